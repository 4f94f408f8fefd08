#include "campaignpage.h"

#include "pricing/userpricecatalog.h"

#include "campaignfieldeditor.h"
#include "campaignfields.h"
#include "pricedelegate.h"
#include "secrets/keychainstore.h"
#include "targetsmodel.h"
#include "ui_campaignpage.h"

#include <QFile>
#include <QFileInfo>
#include <QFormLayout>
#include <QGroupBox>
#include <QHeaderView>
#include <QInputDialog>
#include <QJsonArray>
#include <QLabel>
#include <QMessageBox>
#include <QSettings>

namespace relaybench {

namespace {

const QString confirmAboveKey = QStringLiteral("campaign/confirmAboveUsd");

bool isUnder(const QString &path, const QString &prefix)
{
    return path == prefix || path.startsWith(prefix + QLatin1Char('.')) || path.startsWith(prefix + QLatin1Char('['));
}

QLabel *newErrorLabel(QWidget *parent)
{
    auto *label = new QLabel(parent);
    label->setWordWrap(true);
    label->setStyleSheet(QStringLiteral("color: #c62828;"));
    label->hide();
    return label;
}

void setLabelError(QLabel *label, const QStringList &errors)
{
    label->setText(errors.join(QLatin1Char('\n')));
    label->setVisible(!errors.isEmpty());
}

} // namespace

CampaignPage::CampaignPage(QWidget *parent)
    : QWidget(parent)
    , ui(std::make_unique<Ui::CampaignPage>())
    , m_catalog(effectivePriceCatalog(nullptr)) // shipped prices plus the user's own (docs/cost.md)
{
    ui->setupUi(this);
    ui->generalErrorLabel->hide();
    m_keychain = new KeychainStore(this);
    m_targets = new TargetsModel(&m_document, this);
    ui->targetsView->setModel(m_targets);
    ui->targetsView->setItemDelegateForColumn(TargetsModel::Price, new PriceDelegate(m_catalog.ids(), this));
    ui->targetsView->horizontalHeader()->setSectionResizeMode(TargetsModel::BaseUrl, QHeaderView::Stretch);
    ui->targetsView->verticalHeader()->hide();
    buildSettings();

    connect(m_targets, &TargetsModel::edited, this, &CampaignPage::revalidate);
    connect(ui->addTargetButton, &QPushButton::clicked, this, &CampaignPage::addTarget);
    connect(ui->removeTargetButton, &QPushButton::clicked, this, &CampaignPage::removeTarget);
    connect(ui->moveUpButton, &QPushButton::clicked, this, [this] { moveTarget(-1); });
    connect(ui->moveDownButton, &QPushButton::clicked, this, [this] { moveTarget(+1); });
    connect(ui->setKeyButton, &QPushButton::clicked, this, &CampaignPage::askForKey);
    connect(m_keychain, &KeychainStore::written, this, [this](const QString &entry, const QString &error) {
        const int row = m_pendingKeys.value(entry, -1); // -1: the campaign was replaced in the meantime
        m_pendingKeys.remove(entry);
        if (error.isEmpty() && row >= 0 && row < m_document.targetCount()) {
            m_document.setValue(QStringLiteral("targets[%1].api_key_env").arg(row), QJsonValue(QJsonValue::Undefined));
            m_document.setValue(QStringLiteral("targets[%1].api_key_keychain").arg(row), entry);
            m_targets->reload();
            ui->keyStatusLabel->setStyleSheet(QString());
            ui->keyStatusLabel->setText(tr("The key is in the system keychain as \"%1\".").arg(entry));
            revalidate();
        } else {
            ui->keyStatusLabel->setStyleSheet(QStringLiteral("color: #c62828;"));
            ui->keyStatusLabel->setText(
                tr("The key was not stored: %1. Put the key in an environment variable instead and type its name "
                   "in the API key column (api_key_env).")
                    .arg(error));
        }
        emit keyStored(row, error);
    });

    QSettings settings;
    ui->confirmAboveSpin->setValue(settings.value(confirmAboveKey, 1.0).toDouble());
    connect(ui->confirmAboveSpin, &QDoubleSpinBox::valueChanged, this,
            [](double value) { QSettings().setValue(confirmAboveKey, value); });
    loadDemo();
}

CampaignPage::~CampaignPage() = default;

void CampaignPage::buildSettings()
{
    auto *grid = static_cast<QGridLayout *>(ui->settingsContainer->layout());
    int index = 0;
    for (const CampaignFieldGroup &group : campaignFieldGroups()) {
        auto *box = new QGroupBox(group.title, ui->settingsContainer);
        box->setObjectName(group.path.isEmpty() ? QStringLiteral("campaignGroup")
                                                : group.path + QStringLiteral("Group"));
        auto *form = new QFormLayout(box);
        auto *groupError = newErrorLabel(box);
        form->addRow(groupError);
        m_groups.insert(group.path, box);
        m_groupErrors.insert(group.path, groupError);
        for (const CampaignField &field : campaignFields()) {
            if (field.group != group.path)
                continue;
            auto *editor = new CampaignFieldEditor(field, box);
            auto *label = new QLabel(field.label, box);
            label->setToolTip(field.tooltip);
            label->setBuddy(editor->editor());
            form->addRow(label, editor);
            connect(editor, &CampaignFieldEditor::edited, this, &CampaignPage::editField);
            m_editors.append(editor);
            if (field.path == QLatin1String("request.prompts")) {
                m_promptSource = new QLabel(box);
                m_promptSource->setObjectName(QStringLiteral("promptSource"));
                m_promptSource->setWordWrap(true);
                m_promptSource->setTextInteractionFlags(Qt::TextSelectableByMouse);
                form->addRow(m_promptSource);
            }
        }
        grid->addWidget(box, index / 2, index % 2);
        ++index;
    }
    grid->setRowStretch(grid->rowCount(), 1);
}

void CampaignPage::documentReplaced()
{
    for (CampaignFieldEditor *editor : std::as_const(m_editors))
        editor->setValue(m_document.value(editor->field().path));
    m_targets->reload();
    m_pendingKeys.clear();
    ui->keyStatusLabel->clear();
    showPromptSource();
    revalidate();
}

// prompts_file and messages are shown, not edited: the file (or conversation) stays as it is.
void CampaignPage::showPromptSource()
{
    const QJsonValue file = m_document.value(QStringLiteral("request.prompts_file"));
    const QJsonValue messages = m_document.value(QStringLiteral("request.messages"));
    QString text;
    if (!file.isUndefined())
        text = tr("Prompts from the file %1 (relative to the campaign file; edit the file itself).")
                   .arg(file.isString() ? file.toString() : tr("(not a path)"));
    else if (!messages.isUndefined())
        text = tr("One conversation of %1 messages, sent with every request (edit it in the file).")
                   .arg(messages.toArray().size());
    m_promptSource->setText(text);
    m_promptSource->setVisible(!text.isEmpty());
    for (CampaignFieldEditor *editor : std::as_const(m_editors))
        if (editor->field().path == QLatin1String("request.prompts"))
            editor->setVisible(text.isEmpty());
}

void CampaignPage::editField(const QString &path, const QJsonValue &value)
{
    m_document.setValue(path, value);
    revalidate();
}

void CampaignPage::revalidate()
{
    const CampaignLoadResult result = m_document.validate(m_catalog);
    m_campaign = result.campaign;
    m_errors = result.errors;
    showErrors(result.fieldErrors);
    // Warnings do not block Run, but some must be seen before it: a target with "tls_verify": false
    // accepts any certificate. Unknown keys (typos) are listed here too.
    QStringList warnings;
    for (const QString &warning : result.warnings)
        warnings.append(QStringLiteral("\u26a0 ") + warning);
    ui->warningsLabel->setText(warnings.join(QLatin1Char('\n')));
    ui->warningsLabel->setVisible(!warnings.isEmpty());
    if (m_campaign) {
        m_estimate = estimateCampaign(*m_campaign, m_document.baseDir());
        ui->estimateLabel->setText(m_estimate.text);
    } else {
        m_estimate = CampaignEstimate{};
        ui->estimateLabel->setText(tr("No estimate until the errors above are fixed."));
    }
    const bool valid = m_campaign.has_value();
    if (valid != m_valid) {
        m_valid = valid;
        emit validityChanged(valid);
    }
    emit campaignChanged();
}

void CampaignPage::showErrors(const QList<JsonFieldProblem> &errors)
{
    m_targets->setErrors(errors);
    QList<bool> claimed(errors.size(), false);
    for (qsizetype i = 0; i < errors.size(); ++i)
        claimed[i] = errors[i].path.startsWith(QLatin1String("targets["));
    for (CampaignFieldEditor *editor : std::as_const(m_editors)) {
        QStringList mine;
        for (qsizetype i = 0; i < errors.size(); ++i) {
            if (!isUnder(errors[i].path, editor->field().path))
                continue;
            claimed[i] = true;
            const QString rest = errors[i].path.mid(editor->field().path.size());
            mine.append(rest.isEmpty() ? errors[i].problem
                                       : rest.mid(rest.startsWith(QLatin1Char('.')) ? 1 : 0) + QStringLiteral(": ") +
                                             errors[i].problem);
        }
        editor->setError(mine.join(QLatin1Char('\n')));
    }
    for (auto it = m_groupErrors.constBegin(); it != m_groupErrors.constEnd(); ++it) {
        QStringList mine;
        for (qsizetype i = 0; i < errors.size(); ++i) {
            if (claimed[i] || it.key().isEmpty() || !isUnder(errors[i].path, it.key()))
                continue;
            claimed[i] = true;
            mine.append(errors[i].path + QStringLiteral(": ") + errors[i].problem);
        }
        setLabelError(it.value(), mine);
    }
    QStringList general;
    for (qsizetype i = 0; i < errors.size(); ++i)
        if (!claimed[i])
            general.append(errors[i].path.isEmpty() ? errors[i].problem
                                                    : errors[i].path + QStringLiteral(": ") + errors[i].problem);
    setLabelError(ui->generalErrorLabel, general);
}

bool CampaignPage::openFile(const QString &path, QString *error)
{
    if (!m_document.loadFile(path, error))
        return false;
    documentReplaced();
    return true;
}

bool CampaignPage::saveFile(const QString &path, QString *error)
{
    if (!m_document.saveFile(path, error))
        return false;
    revalidate(); // prompts_file and sim:// profile files now resolve against the new folder
    return true;
}

void CampaignPage::loadDemo()
{
    QFile demo(QStringLiteral(":/relaybench/examples/demo.json"));
    QString error;
    if (!demo.open(QIODevice::ReadOnly) || !m_document.loadBytes(demo.readAll(), QString(), &error))
        qWarning("demo campaign: %s", qPrintable(error.isEmpty() ? demo.errorString() : error));
    documentReplaced();
}

QString CampaignPage::filePath() const
{
    return m_document.filePath();
}

bool CampaignPage::isModified() const
{
    return m_document.isModified();
}

std::optional<Campaign> CampaignPage::campaign() const
{
    return m_campaign;
}

QStringList CampaignPage::errors() const
{
    return m_errors;
}

CampaignEstimate CampaignPage::estimate() const
{
    return m_estimate;
}

bool CampaignPage::confirmRun()
{
    if (!m_campaign)
        return false;
    const double threshold = QSettings().value(confirmAboveKey, 1.0).toDouble();
    if (m_estimate.maxCostUsd <= threshold)
        return true;
    const auto answer =
        QMessageBox::question(this, tr("Run this campaign?"),
                              tr("%1.\n\nThat is more than the $%2 above which you asked to confirm. Run it?")
                                  .arg(m_estimate.text)
                                  .arg(threshold, 0, 'f', 2));
    return answer == QMessageBox::Yes;
}

int CampaignPage::currentRow() const
{
    const QModelIndex current = ui->targetsView->currentIndex();
    return current.isValid() ? current.row() : -1;
}

void CampaignPage::addTarget()
{
    const int row = currentRow();
    QJsonObject target = row >= 0 ? m_document.target(row)
                                  : QJsonObject{{QStringLiteral("base_url"), QStringLiteral("sim://relay")},
                                                {QStringLiteral("model"), QStringLiteral("sim-model")}};
    // A copy must not carry the original's keychain entry under a new name: the key source starts empty.
    target.remove(QStringLiteral("api_key_keychain"));
    const QString base = target.value(QLatin1String("name")).toString(QStringLiteral("target"));
    QStringList names;
    for (int i = 0; i < m_document.targetCount(); ++i)
        names.append(m_document.target(i).value(QLatin1String("name")).toString());
    QString name = base;
    for (int n = 2; names.contains(name); ++n)
        name = base + QStringLiteral("-%1").arg(n);
    target.insert(QStringLiteral("name"), name);
    const int added = m_document.addTarget(target);
    m_targets->reload();
    ui->targetsView->setCurrentIndex(m_targets->index(added, TargetsModel::Name));
    revalidate();
}

void CampaignPage::removeTarget()
{
    const int row = currentRow();
    if (row < 0)
        return;
    m_document.removeTarget(row);
    m_targets->reload();
    revalidate();
}

void CampaignPage::moveTarget(int delta)
{
    const int row = currentRow();
    const int to = row + delta;
    if (row < 0 || to < 0 || to >= m_document.targetCount())
        return;
    m_document.moveTarget(row, to);
    m_targets->reload();
    ui->targetsView->setCurrentIndex(m_targets->index(to, TargetsModel::Name));
    revalidate();
}

QString CampaignPage::keychainEntryFor(int row) const
{
    QString campaign = m_document.value(QStringLiteral("name")).toString();
    if (campaign.isEmpty())
        campaign = m_document.filePath().isEmpty() ? QStringLiteral("campaign")
                                                   : QFileInfo(m_document.filePath()).completeBaseName();
    return campaign + QLatin1Char('/') + m_document.target(row).value(QLatin1String("name")).toString();
}

void CampaignPage::askForKey()
{
    const int row = currentRow();
    if (row < 0) {
        ui->keyStatusLabel->setText(tr("Select a target first."));
        return;
    }
    bool ok = false;
    const QString key = QInputDialog::getText(
        this, tr("Set API key"),
        tr("API key for target \"%1\". It goes into the system keychain as \"%2\"; the campaign file only names "
           "that entry.")
            .arg(m_document.target(row).value(QLatin1String("name")).toString(), keychainEntryFor(row)),
        QLineEdit::Password, QString(), &ok);
    if (ok && !key.isEmpty())
        storeKey(row, key);
}

void CampaignPage::storeKey(int row, const QString &key)
{
    if (row < 0 || row >= m_document.targetCount())
        return;
    const QString entry = keychainEntryFor(row);
    m_pendingKeys.insert(entry, row);
    ui->keyStatusLabel->setStyleSheet(QString());
    ui->keyStatusLabel->setText(tr("Storing the key in the system keychain..."));
    m_keychain->write(entry, key);
}

} // namespace relaybench
