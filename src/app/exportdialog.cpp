#include "exportdialog.h"

#include "ui_exportdialog.h"

#include <QCheckBox>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QListWidgetItem>
#include <QMessageBox>
#include <QPushButton>
#include <QSettings>
#include <QStandardPaths>

namespace relaybench {

namespace {
const QString folderKey = QStringLiteral("export/folder");
const QString requestsCsvKey = QStringLiteral("export/requestsCsv");
const QString summaryJsonKey = QStringLiteral("export/summaryJson");
const QString htmlReportKey = QStringLiteral("export/htmlReport");
const QString chartsPngKey = QStringLiteral("export/chartsPng");
const QString chartsSvgKey = QStringLiteral("export/chartsSvg");
// Charts the user unticked, by title: a chart added in a later version starts ticked.
const QString uncheckedChartsKey = QStringLiteral("export/uncheckedCharts");
} // namespace

ExportDialog::ExportDialog(const QStringList &chartTitles, QWidget *parent)
    : QDialog(parent)
    , m_ui(std::make_unique<Ui::ExportDialog>())
    , m_chartTitles(chartTitles)
{
    m_ui->setupUi(this);
    for (const QString &title : chartTitles) {
        auto *item = new QListWidgetItem(title, m_ui->chartList);
        item->setFlags(Qt::ItemIsEnabled | Qt::ItemIsUserCheckable);
        item->setCheckState(Qt::Checked);
    }
    loadSettings();
    connect(m_ui->browseButton, &QPushButton::clicked, this, &ExportDialog::browse);
    connect(m_ui->buttonBox, &QDialogButtonBox::accepted, this, &ExportDialog::accept);
    connect(m_ui->buttonBox, &QDialogButtonBox::rejected, this, &ExportDialog::reject);
    connect(m_ui->folderEdit, &QLineEdit::textChanged, this, &ExportDialog::updateOkButton);
    for (QCheckBox *box : {m_ui->requestsCsvCheck, m_ui->summaryJsonCheck, m_ui->htmlReportCheck, m_ui->chartsPngCheck,
                           m_ui->chartsSvgCheck})
        connect(box, &QCheckBox::toggled, this, &ExportDialog::updateOkButton);
    connect(m_ui->chartList, &QListWidget::itemChanged, this, &ExportDialog::updateOkButton);
    updateOkButton();
}

ExportDialog::~ExportDialog() = default;

ExportOptions ExportDialog::options() const
{
    ExportOptions options;
    options.dir = m_ui->folderEdit->text().trimmed();
    options.requestsCsv = m_ui->requestsCsvCheck->isChecked();
    options.summaryJson = m_ui->summaryJsonCheck->isChecked();
    options.htmlReport = m_ui->htmlReportCheck->isChecked();
    options.chartsPng = m_ui->chartsPngCheck->isChecked();
    options.chartsSvg = m_ui->chartsSvgCheck->isChecked();
    return options;
}

QList<int> ExportDialog::selectedCharts() const
{
    QList<int> selected;
    for (int i = 0; i < m_ui->chartList->count(); ++i) {
        if (m_ui->chartList->item(i)->checkState() == Qt::Checked)
            selected.append(i);
    }
    return selected;
}

QStringList ExportDialog::existingFiles() const
{
    const ExportOptions chosen = options();
    if (chosen.dir.isEmpty())
        return {};
    QStringList titles;
    for (int i : selectedCharts())
        titles << m_chartTitles.at(i);
    const QDir dir(chosen.dir);
    QStringList existing;
    for (const QString &name : RunExporter::plannedFiles(chosen, titles)) {
        if (QFileInfo::exists(dir.absoluteFilePath(name)))
            existing << dir.absoluteFilePath(name);
    }
    return existing;
}

void ExportDialog::accept()
{
    const QStringList existing = existingFiles();
    if (!existing.isEmpty()) {
        QStringList names;
        for (const QString &path : existing)
            names << QFileInfo(path).fileName();
        const auto answer = QMessageBox::question(
            this, tr("Replace files?"),
            tr("The folder %1 already holds %n file(s) this export writes:\n\n%2\n\nReplace them?", nullptr,
               int(existing.size()))
                .arg(QDir::toNativeSeparators(options().dir), names.join(QStringLiteral(", "))),
            QMessageBox::Yes | QMessageBox::No, QMessageBox::No);
        if (answer != QMessageBox::Yes)
            return; // stay open: another folder, or fewer files
    }
    saveSettings();
    QDialog::accept();
}

void ExportDialog::browse()
{
    const QString folder = QFileDialog::getExistingDirectory(this, tr("Export to folder"), m_ui->folderEdit->text());
    if (!folder.isEmpty())
        m_ui->folderEdit->setText(QDir::toNativeSeparators(folder));
}

void ExportDialog::updateOkButton()
{
    const ExportOptions chosen = options();
    const bool charts = (chosen.chartsPng || chosen.chartsSvg) && !selectedCharts().isEmpty();
    const bool anything = chosen.requestsCsv || chosen.summaryJson || chosen.htmlReport || charts;
    m_ui->buttonBox->button(QDialogButtonBox::Ok)->setEnabled(!chosen.dir.isEmpty() && anything);
}

void ExportDialog::loadSettings()
{
    const QSettings settings;
    const ExportOptions defaults;
    const QString documents = QStandardPaths::writableLocation(QStandardPaths::DocumentsLocation);
    m_ui->folderEdit->setText(
        settings.value(folderKey, QDir(documents).filePath(QStringLiteral("RelayBench"))).toString());
    m_ui->requestsCsvCheck->setChecked(settings.value(requestsCsvKey, defaults.requestsCsv).toBool());
    m_ui->summaryJsonCheck->setChecked(settings.value(summaryJsonKey, defaults.summaryJson).toBool());
    m_ui->htmlReportCheck->setChecked(settings.value(htmlReportKey, defaults.htmlReport).toBool());
    m_ui->chartsPngCheck->setChecked(settings.value(chartsPngKey, defaults.chartsPng).toBool());
    m_ui->chartsSvgCheck->setChecked(settings.value(chartsSvgKey, defaults.chartsSvg).toBool());
    const QStringList unchecked = settings.value(uncheckedChartsKey).toStringList();
    for (int i = 0; i < m_ui->chartList->count(); ++i) {
        QListWidgetItem *item = m_ui->chartList->item(i);
        item->setCheckState(unchecked.contains(item->text()) ? Qt::Unchecked : Qt::Checked);
    }
}

void ExportDialog::saveSettings() const
{
    QSettings settings;
    const ExportOptions chosen = options();
    settings.setValue(folderKey, chosen.dir);
    settings.setValue(requestsCsvKey, chosen.requestsCsv);
    settings.setValue(summaryJsonKey, chosen.summaryJson);
    settings.setValue(htmlReportKey, chosen.htmlReport);
    settings.setValue(chartsPngKey, chosen.chartsPng);
    settings.setValue(chartsSvgKey, chosen.chartsSvg);
    QStringList unchecked = settings.value(uncheckedChartsKey).toStringList();
    for (int i = 0; i < m_ui->chartList->count(); ++i) {
        const QListWidgetItem *item = m_ui->chartList->item(i);
        unchecked.removeAll(item->text());
        if (item->checkState() != Qt::Checked)
            unchecked.append(item->text());
    }
    settings.setValue(uncheckedChartsKey, unchecked);
}

} // namespace relaybench
