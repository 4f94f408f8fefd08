#include "costpage.h"

#include "costcharts.h"
#include "costtablemodel.h"
#include "ui_costpage.h"

#include "pricing/litellmimport.h"
#include "pricing/workloadfile.h"
#include "util/datadirectory.h"
#include "util/jsonfieldreader.h"

#include <QDir>
#include <QFile>
#include <QFileDialog>
#include <QHeaderView>
#include <QJsonArray>
#include <QJsonDocument>
#include <QListWidget>
#include <QSaveFile>
#include <QSignalBlocker>
#include <QStyle>

#include <algorithm>

namespace relaybench {

namespace {

// The articles' comparison: what the page shows before the user picks anything.
const QStringList defaultModels = {QStringLiteral("deepseek-chat"), QStringLiteral("gemini-2.5-flash"),
                                   QStringLiteral("gpt-4.1"), QStringLiteral("claude-sonnet-4.5")};
const QString defaultBaseline = QStringLiteral("gpt-4.1");

bool writeFile(const QString &path, const QByteArray &bytes, QString *error)
{
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write(bytes) != bytes.size() || !file.commit()) {
        if (error)
            *error = CostPage::tr("%1: %2").arg(path, file.errorString());
        return false;
    }
    return true;
}

double number(const QJsonObject &object, const char *key)
{
    return object.value(QLatin1String(key)).toDouble();
}

QString optionName(const CostOption &option)
{
    return option.plan ? QString(option.model.id + QStringLiteral(" via ") + option.plan->name) : option.model.id;
}

} // namespace

CostPage::CostPage(QWidget *parent)
    : QWidget(parent)
    , m_ui(std::make_unique<Ui::CostPage>())
    , m_model(new CostTableModel(this))
{
    m_ui->setupUi(this);
    m_ui->table->setModel(m_model);
    m_ui->table->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_ui->splitter->setStretchFactor(0, 0);
    m_ui->splitter->setStretchFactor(1, 1);
    m_ui->resultsSplitter->setStretchFactor(2, 1);
    m_ui->barChart->setMinimumHeight(260);
    m_ui->curveChart->setMinimumHeight(260);
    m_ui->detailText->setMaximumHeight(160);
    // The form is read whole, never scrolled sideways.
    m_ui->formScroll->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    m_ui->formScroll->setMinimumWidth(m_ui->formPanel->sizeHint().width() +
                                      style()->pixelMetric(QStyle::PM_ScrollBarExtent) + 4);
    m_ui->measuredButton->setEnabled(false);
    m_ui->rateSpin->setEnabled(false);
    m_ui->planOverageSpin->setEnabled(false);

    QString warning;
    if (!m_userCatalog.load(&warning))
        m_ui->catalogStatusLabel->setText(tr("Your catalogue was not loaded: %1").arg(warning));
    reloadCatalog();
    fillModelList(defaultModels);
    loadSavedPlans();
    connectEdits();
    recompute();
}

CostPage::~CostPage() = default;

void CostPage::connectEdits()
{
    for (QDoubleSpinBox *spin : findChildren<QDoubleSpinBox *>()) {
        if (spin->objectName().startsWith(QLatin1String("entry")))
            continue; // catalogue fields change the catalogue only when saved
        if (spin->objectName().startsWith(QLatin1String("plan")))
            connect(spin, &QDoubleSpinBox::valueChanged, this, &CostPage::takePlanFromForm);
        else
            connect(spin, &QDoubleSpinBox::valueChanged, this, &CostPage::recompute);
    }
    for (QComboBox *combo : {m_ui->requestsUnitCombo, m_ui->baselineCombo})
        connect(combo, &QComboBox::currentIndexChanged, this, &CostPage::recompute);
    connect(m_ui->planCurrencyCombo, &QComboBox::currentIndexChanged, this, &CostPage::takePlanFromForm);
    connect(m_ui->currencyCombo, &QComboBox::currentIndexChanged, this, [this] {
        m_ui->rateSpin->setEnabled(m_ui->currencyCombo->currentText() != QLatin1String("USD"));
        recompute();
    });
    connect(m_ui->planOverageCheck, &QCheckBox::toggled, this, [this](bool on) {
        m_ui->planOverageSpin->setEnabled(on);
        takePlanFromForm();
    });
    connect(m_ui->planNameEdit, &QLineEdit::textChanged, this, &CostPage::takePlanFromForm);
    connect(m_ui->planList, &QListWidget::currentRowChanged, this, &CostPage::showCurrentPlan);
    connect(m_ui->planList, &QListWidget::itemChanged, this, [this](QListWidgetItem *item) {
        const int row = m_ui->planList->row(item);
        if (row < 0 || row >= m_plans.size())
            return;
        m_plans[row].applied = item->checkState() == Qt::Checked;
        recompute();
    });
    connect(m_ui->addPlanButton, &QPushButton::clicked, this, &CostPage::addPlan);
    connect(m_ui->duplicatePlanButton, &QPushButton::clicked, this, &CostPage::duplicatePlan);
    connect(m_ui->removePlanButton, &QPushButton::clicked, this, &CostPage::removePlan);
    connect(m_ui->modelList, &QListWidget::itemChanged, this, &CostPage::recompute);
    connect(m_ui->modelList, &QListWidget::currentItemChanged, this, [this](QListWidgetItem *item) {
        if (item)
            showEntry(item->data(Qt::UserRole).toString());
    });
    connect(m_ui->table->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            &CostPage::showSelectedWorking);
    connect(m_ui->savePlanButton, &QPushButton::clicked, this,
            [this] { savePlansWithMessage(tr("Plans saved in %1.").arg(savedPlanPath())); });
    connect(m_ui->exportCsvButton, &QPushButton::clicked, this, &CostPage::chooseCsvFile);
    connect(m_ui->measuredButton, &QPushButton::clicked, this, &CostPage::useMeasuredWorkload);
    connect(m_ui->saveEntryButton, &QPushButton::clicked, this, &CostPage::saveEntry);
    connect(m_ui->deleteEntryButton, &QPushButton::clicked, this, &CostPage::deleteEntry);
    connect(m_ui->importLiteLlmButton, &QPushButton::clicked, this, &CostPage::chooseLiteLlmFile);
    connect(m_ui->exportCatalogButton, &QPushButton::clicked, this, &CostPage::chooseCatalogFile);
}

void CostPage::reloadCatalog()
{
    m_catalog = m_userCatalog.mergedOver(PriceCatalog::shipped());
}

void CostPage::fillModelList(const QStringList &checked)
{
    m_filling = true;
    const QString current =
        m_ui->modelList->currentItem() ? m_ui->modelList->currentItem()->data(Qt::UserRole).toString() : QString();
    const QString baseline =
        m_ui->baselineCombo->count() > 0 ? m_ui->baselineCombo->currentData().toString() : defaultBaseline;
    {
        const QSignalBlocker listBlocker(m_ui->modelList);
        const QSignalBlocker comboBlocker(m_ui->baselineCombo);
        m_ui->modelList->clear();
        m_ui->baselineCombo->clear();
        m_ui->baselineCombo->addItem(tr("none"), QString());
        for (const CatalogEntry &entry : m_catalog.entries()) {
            const QString label = entry.name.isEmpty() || entry.name == entry.id
                                      ? entry.id
                                      : QString(entry.id + QStringLiteral(" - ") + entry.name);
            auto *item = new QListWidgetItem(label, m_ui->modelList);
            item->setData(Qt::UserRole, entry.id);
            item->setFlags(item->flags() | Qt::ItemIsUserCheckable);
            item->setCheckState(checked.contains(entry.id) ? Qt::Checked : Qt::Unchecked);
            item->setToolTip(tr("%1 (%2): input %3, cached %4, output %5 per million tokens")
                                 .arg(entry.id, entry.provider, formatRate(entry.price.input, Currency::usd()),
                                      formatRate(entry.price.cachedInput, Currency::usd()),
                                      formatRate(entry.price.output, Currency::usd())));
            if (entry.id == current)
                m_ui->modelList->setCurrentItem(item);
            m_ui->baselineCombo->addItem(entry.id, entry.id);
        }
        const int baselineIndex = m_ui->baselineCombo->findData(baseline);
        m_ui->baselineCombo->setCurrentIndex(std::max(0, baselineIndex));
    }
    m_filling = false;
}

QStringList CostPage::checkedModels() const
{
    QStringList ids;
    for (int i = 0; i < m_ui->modelList->count(); ++i) {
        const QListWidgetItem *item = m_ui->modelList->item(i);
        if (item->checkState() == Qt::Checked)
            ids.append(item->data(Qt::UserRole).toString());
    }
    return ids;
}

Workload CostPage::workload() const
{
    Workload w;
    const bool perDay = m_ui->requestsUnitCombo->currentIndex() == 1;
    w.requestsPerMonth = m_ui->requestsSpin->value() * (perDay ? Workload::daysPerMonth : 1.0);
    w.inputTokensPerRequest = m_ui->inputTokensSpin->value();
    w.outputTokensPerRequest = m_ui->outputTokensSpin->value();
    w.cachedInputShare = m_ui->cachedShareSpin->value() / 100.0;
    w.reasoningTokensPerRequest = m_ui->reasoningTokensSpin->value();
    w.batchShare = m_ui->batchShareSpin->value() / 100.0;
    w.retryOverhead = m_ui->retryOverheadSpin->value() / 100.0;
    w.monthlyGrowth = m_ui->growthSpin->value() / 100.0;
    return w;
}

Currency CostPage::currency() const
{
    if (m_ui->currencyCombo->currentText() == QLatin1String("CNY"))
        return Currency::cny(m_ui->rateSpin->value());
    return Currency::usd();
}

Plan CostPage::planFromForm() const
{
    Plan p;
    p.name = m_ui->planNameEdit->text().trimmed();
    p.monthlyFee = m_ui->planFeeSpin->value();
    p.includedTokens = m_ui->planIncludedSpin->value();
    p.includedCredit = m_ui->planCreditSpin->value();
    p.freeTokens = m_ui->planFreeTokensSpin->value();
    if (m_ui->planOverageCheck->isChecked())
        p.overagePerMtok = m_ui->planOverageSpin->value();
    p.markupPct = m_ui->planMarkupSpin->value();
    p.perRequestFee = m_ui->planPerRequestSpin->value();
    p.topUpFeePct = m_ui->planTopUpSpin->value();
    p.currency = m_ui->planCurrencyCombo->currentText();
    p.exchangeRate = std::max(1e-9, m_ui->planExchangeSpin->value());
    p.usageRate = m_ui->planUsageRateSpin->value();
    return p;
}

QList<Plan> CostPage::plans() const
{
    QList<Plan> all;
    for (const ListedPlan &listed : m_plans)
        all.append(listed.plan);
    return all;
}

QList<Plan> CostPage::appliedPlans() const
{
    QList<Plan> applied;
    for (const ListedPlan &listed : m_plans)
        if (listed.applied)
            applied.append(listed.plan);
    return applied;
}

// "direct" names the rows bought without a plan, and the table tells plans apart by name.
QString CostPage::uniquePlanName(const QString &wanted, qsizetype except) const
{
    const QString base = wanted.isEmpty() || wanted == QLatin1String("direct") ? QStringLiteral("plan") : wanted;
    const auto taken = [&](const QString &name) {
        for (qsizetype i = 0; i < m_plans.size(); ++i)
            if (i != except && m_plans.at(i).plan.name == name)
                return true;
        return false;
    };
    QString name = base;
    for (int n = 2; taken(name); ++n)
        name = base + QLatin1Char(' ') + QString::number(n);
    return name;
}

void CostPage::fillPlanList(int current)
{
    {
        const QSignalBlocker blocker(m_ui->planList);
        m_ui->planList->clear();
        for (const ListedPlan &listed : std::as_const(m_plans)) {
            auto *item = new QListWidgetItem(listed.plan.name, m_ui->planList);
            item->setFlags(item->flags() | Qt::ItemIsUserCheckable);
            item->setCheckState(listed.applied ? Qt::Checked : Qt::Unchecked);
        }
        m_ui->planList->setCurrentRow(std::min(current, int(m_plans.size()) - 1));
    }
    showCurrentPlan();
}

void CostPage::showCurrentPlan()
{
    const int row = m_ui->planList->currentRow();
    const bool valid = row >= 0 && row < m_plans.size();
    m_ui->planEditor->setEnabled(valid);
    m_ui->duplicatePlanButton->setEnabled(valid);
    m_ui->removePlanButton->setEnabled(valid);
    if (valid)
        showPlan(m_plans.at(row).plan);
    recompute();
}

void CostPage::showPlan(const Plan &p)
{
    const bool wasFilling = m_filling;
    m_filling = true; // one recompute for the whole plan, not one per field
    m_ui->planNameEdit->setText(p.name);
    m_ui->planFeeSpin->setValue(p.monthlyFee);
    m_ui->planIncludedSpin->setValue(p.includedTokens);
    m_ui->planCreditSpin->setValue(p.includedCredit);
    m_ui->planFreeTokensSpin->setValue(p.freeTokens);
    m_ui->planOverageCheck->setChecked(p.overagePerMtok.has_value());
    m_ui->planOverageSpin->setEnabled(p.overagePerMtok.has_value());
    m_ui->planOverageSpin->setValue(p.overagePerMtok.value_or(0.0));
    m_ui->planMarkupSpin->setValue(p.markupPct);
    m_ui->planPerRequestSpin->setValue(p.perRequestFee);
    m_ui->planTopUpSpin->setValue(p.topUpFeePct);
    if (m_ui->planCurrencyCombo->findText(p.currency) < 0)
        m_ui->planCurrencyCombo->addItem(p.currency);
    m_ui->planCurrencyCombo->setCurrentText(p.currency);
    m_ui->planExchangeSpin->setValue(p.exchangeRate);
    m_ui->planUsageRateSpin->setValue(p.usageRate);
    m_filling = wasFilling;
}

void CostPage::takePlanFromForm()
{
    const int row = m_ui->planList->currentRow();
    if (m_filling || row < 0 || row >= m_plans.size())
        return;
    Plan edited = planFromForm();
    edited.models = m_plans.at(row).plan.models; // not on the form: kept as the file gave it
    // A clash is resolved in the list, not in the edit field, so typing a name is never fought.
    edited.name = uniquePlanName(edited.name, row);
    m_plans[row].plan = edited;
    if (QListWidgetItem *item = m_ui->planList->item(row)) {
        const QSignalBlocker blocker(m_ui->planList);
        item->setText(edited.name);
    }
    recompute();
}

void CostPage::insertPlan(const Plan &plan, qsizetype at)
{
    ListedPlan listed{plan, true};
    listed.plan.name = uniquePlanName(plan.name, -1);
    m_plans.insert(at, listed);
    fillPlanList(int(at));
}

void CostPage::addPlan()
{
    insertPlan(Plan{}, m_plans.size());
    savePlansWithMessage(tr("Plan \"%1\" added.").arg(m_plans.last().plan.name));
}

void CostPage::duplicatePlan()
{
    const int row = m_ui->planList->currentRow();
    if (row < 0 || row >= m_plans.size())
        return;
    Plan copy = m_plans.at(row).plan;
    copy.name = tr("%1 copy").arg(copy.name);
    insertPlan(copy, row + 1);
    savePlansWithMessage(tr("Plan \"%1\" added.").arg(m_plans.at(row + 1).plan.name));
}

void CostPage::removePlan()
{
    const int row = m_ui->planList->currentRow();
    if (row < 0 || row >= m_plans.size())
        return;
    const QString name = m_plans.at(row).plan.name;
    m_plans.removeAt(row);
    fillPlanList(std::min(row, int(m_plans.size()) - 1));
    savePlansWithMessage(tr("Plan \"%1\" removed.").arg(name));
}

QString CostPage::savedPlanPath()
{
    return QDir(dataDirectory()).filePath(QStringLiteral("plans.user.json"));
}

bool CostPage::savePlans(QString *error)
{
    if (!QDir().mkpath(dataDirectory())) {
        if (error)
            *error = tr("%1: cannot create the folder").arg(dataDirectory());
        return false;
    }
    if (m_planFileBroken) {
        // The unreadable file may hold plans the user wants back: keep it rather than overwrite it.
        const QString aside = savedPlanPath() + QStringLiteral(".broken");
        QFile::remove(aside);
        if (!QFile::copy(savedPlanPath(), aside)) {
            if (error)
                *error = tr("%1: cannot keep the unreadable plans file aside").arg(aside);
            return false;
        }
        m_planFileBroken = false;
    }
    SavedPlans saved;
    for (const ListedPlan &listed : std::as_const(m_plans)) {
        saved.plans.append(listed.plan);
        if (listed.applied)
            saved.applied.append(listed.plan.name);
    }
    return writeFile(savedPlanPath(), savedPlansToJson(saved), error);
}

void CostPage::savePlansWithMessage(const QString &done)
{
    QString error;
    m_ui->planStatusLabel->setText(savePlans(&error) ? done : tr("Plans not saved: %1").arg(error));
}

void CostPage::loadSavedPlans()
{
    QFile file(savedPlanPath());
    if (!file.exists()) {
        fillPlanList(-1); // none saved yet
        return;
    }
    QString error;
    std::optional<SavedPlans> saved;
    if (file.open(QIODevice::ReadOnly))
        saved = parseSavedPlans(file.readAll(), savedPlanPath(), &error);
    else
        error = tr("%1: %2").arg(savedPlanPath(), file.errorString());
    if (!saved) {
        m_planFileBroken = true;
        m_ui->planStatusLabel->setText(
            tr("Your saved plans were not loaded: %1\nThe page works without them; the file is kept as "
               "plans.user.json.broken when plans are next saved.")
                .arg(error));
        fillPlanList(-1);
        return;
    }
    for (const Plan &plan : std::as_const(saved->plans))
        m_plans.append(ListedPlan{plan, saved->applied.contains(plan.name)});
    fillPlanList(0);
}

void CostPage::recompute()
{
    if (m_filling)
        return;
    const Workload w = workload();
    const Currency display = currency();
    const QList<Plan> throughPlans = appliedPlans();
    QList<CostOption> options;
    const QStringList ids = checkedModels();
    // As `relaybench cost` orders them: each model directly, then through each ticked plan that sells it.
    for (const QString &id : ids) {
        const std::optional<CatalogEntry> entry = m_catalog.find(id);
        if (!entry)
            continue;
        options.append(CostOption{*entry, std::nullopt});
        for (const Plan &plan : throughPlans)
            if (plan.models.isEmpty() || plan.models.contains(id))
                options.append(CostOption{*entry, plan});
    }
    std::optional<CostOption> baseline;
    if (const std::optional<CatalogEntry> entry = m_catalog.find(m_ui->baselineCombo->currentData().toString()))
        baseline = CostOption{*entry, std::nullopt};

    const int selected = m_ui->table->currentIndex().row();
    const QList<CostRow> rows = compareCosts(w, options, baseline, display);
    m_model->setRows(rows, display);
    if (selected >= 0 && selected < rows.size())
        m_ui->table->selectRow(selected);
    showSelectedWorking();

    m_ui->barChart->setRows(rows, display);
    QList<CostCurveChart::Line> lines;
    for (const CostOption &option : options)
        lines.append({optionName(option), option});
    // Twice the workload's volume shows where it sits and what growth would bring.
    const double maxVolume = w.requestsPerMonth > 0.0 ? 2.0 * w.requestsPerMonth : 1000.0;
    m_ui->curveChart->setOptions(w, lines, maxVolume, display);
}

void CostPage::showSelectedWorking()
{
    const int row = m_ui->table->currentIndex().row();
    m_ui->detailText->setPlainText(row >= 0 ? m_model->fullWorking(row)
                                            : tr("Select a row to see how each of its figures is worked out."));
}

void CostPage::setMeasuredRun(const RunResult &run)
{
    m_run = run;
    const QJsonArray targets = run.summary.value(QLatin1String("targets")).toArray();
    m_ui->measuredButton->setEnabled(!targets.isEmpty());
    const QString campaign = run.summary.value(QLatin1String("campaign")).toString(run.campaign.name);
    const QString started = run.summary.value(QLatin1String("started_at")).toString();
    m_ui->measuredLabel->setText(targets.isEmpty()
                                     ? tr("Run \"%1\" has no targets to measure.").arg(campaign)
                                     : tr("Run \"%1\" (%2), %3 target(s): press the button to take its tokens.")
                                           .arg(campaign, started)
                                           .arg(targets.size()));
    QStringList costs;
    for (const QJsonValue &value : targets) {
        const QJsonObject target = value.toObject();
        const double cost = number(target, "cost_usd");
        const double succeeded = number(target, "succeeded");
        QString line = tr("%1 (%2): %3 for %4 successful requests, %5 attempts")
                           .arg(target.value(QLatin1String("name")).toString(),
                                target.value(QLatin1String("model")).toString(), formatMoney(cost, Currency::usd()))
                           .arg(succeeded)
                           .arg(number(target, "attempts"));
        if (succeeded > 0)
            line += tr(", %1 per 1,000 requests").arg(formatMoney(cost / succeeded * 1000.0, Currency::usd()));
        costs.append(line);
    }
    m_ui->runCostLabel->setText(
        costs.isEmpty() ? QString()
                        : QString(tr("What the run cost:") + QLatin1Char('\n') + costs.join(QLatin1Char('\n'))));
}

void CostPage::useMeasuredWorkload()
{
    // Tokens in summary.json count every non-warm-up attempt, so they are averaged per attempt; the retry
    // overhead (attempts per success) then bills the extra attempts once, as the workload formulas do.
    double prompt = 0, completion = 0, cached = 0, reasoning = 0, attempts = 0, succeeded = 0;
    int used = 0;
    const QJsonArray targets = m_run.summary.value(QLatin1String("targets")).toArray();
    for (const QJsonValue &value : targets) {
        const QJsonObject target = value.toObject();
        if (number(target, "succeeded") <= 0 || number(target, "attempts") <= 0)
            continue;
        const QJsonObject tokens = target.value(QLatin1String("tokens")).toObject();
        prompt += number(tokens, "prompt");
        completion += number(tokens, "completion");
        cached += number(tokens, "cached");
        reasoning += number(tokens, "reasoning");
        attempts += number(target, "attempts");
        succeeded += number(target, "succeeded");
        ++used;
    }
    if (used == 0 || attempts <= 0) {
        m_ui->measuredLabel->setText(tr("The run has no successful request to take a workload from."));
        return;
    }
    m_filling = true;
    m_ui->inputTokensSpin->setValue(prompt / attempts);
    // Reasoning tokens are part of completion tokens in the run, and a separate field in the workload.
    m_ui->outputTokensSpin->setValue(std::max(0.0, completion - reasoning) / attempts);
    m_ui->reasoningTokensSpin->setValue(reasoning / attempts);
    m_ui->cachedShareSpin->setValue(prompt > 0 ? cached / prompt * 100.0 : 0.0);
    m_ui->retryOverheadSpin->setValue((attempts / succeeded - 1.0) * 100.0);
    m_filling = false;
    const QString campaign = m_run.summary.value(QLatin1String("campaign")).toString(m_run.campaign.name);
    m_ui->measuredLabel->setText(
        tr("Taken from run \"%1\" (%2 target(s), %3 attempts, %4 successful): per request %5 input "
           "(%6% cached), %7 output, %8 reasoning tokens; retry overhead %9%. Volume is yours to set.")
            .arg(campaign)
            .arg(used)
            .arg(attempts)
            .arg(succeeded)
            .arg(prompt / attempts, 0, 'f', 1)
            .arg(prompt > 0 ? cached / prompt * 100.0 : 0.0, 0, 'f', 1)
            .arg(std::max(0.0, completion - reasoning) / attempts, 0, 'f', 1)
            .arg(reasoning / attempts, 0, 'f', 1)
            .arg((attempts / succeeded - 1.0) * 100.0, 0, 'f', 2));
    recompute();
}

bool CostPage::exportCsv(const QString &path, QString *error)
{
    return writeFile(path, m_model->toCsv().toUtf8(), error);
}

bool CostPage::exportCatalog(const QString &path, QString *error)
{
    return writeFile(path, m_catalog.toJson(), error);
}

bool CostPage::importLiteLlmFile(const QString &path, QString *error)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        if (error)
            *error = tr("%1: %2").arg(path, file.errorString());
        return false;
    }
    const std::optional<LiteLlmImport> imported = importLiteLlm(file.readAll(), path, error);
    if (!imported)
        return false;
    m_userCatalog.importCatalog(imported->catalog);
    if (!m_userCatalog.save(error))
        return false;
    const QStringList checked = checkedModels();
    reloadCatalog();
    fillModelList(checked);
    m_ui->catalogStatusLabel->setText(tr("Imported %1 model(s) from %2; %3 entr(ies) skipped.")
                                          .arg(imported->catalog.ids().size())
                                          .arg(path)
                                          .arg(imported->skipped.size()));
    recompute();
    return true;
}

void CostPage::showEntry(const QString &id)
{
    const std::optional<CatalogEntry> entry = m_catalog.find(id);
    if (!entry)
        return;
    m_ui->entryIdEdit->setText(entry->id);
    m_ui->entryNameEdit->setText(entry->name);
    m_ui->entryProviderEdit->setText(entry->provider);
    m_ui->entryInputSpin->setValue(entry->price.input);
    m_ui->entryCachedSpin->setValue(entry->price.cachedInput);
    m_ui->entryOutputSpin->setValue(entry->price.output);
}

bool CostPage::saveUserCatalog()
{
    QString error;
    if (!m_userCatalog.save(&error)) {
        m_ui->catalogStatusLabel->setText(tr("Not saved: %1").arg(error));
        return false;
    }
    return true;
}

void CostPage::saveEntry()
{
    const QString id = m_ui->entryIdEdit->text().trimmed();
    if (id.isEmpty()) {
        m_ui->catalogStatusLabel->setText(tr("An entry needs an id."));
        return;
    }
    // Editing keeps what the form does not show (batch prices, long-context tier, source ...).
    CatalogEntry entry = m_catalog.find(id).value_or(CatalogEntry{});
    entry.id = id;
    entry.name = m_ui->entryNameEdit->text().trimmed();
    entry.provider = m_ui->entryProviderEdit->text().trimmed();
    entry.price.input = m_ui->entryInputSpin->value();
    entry.price.cachedInput = m_ui->entryCachedSpin->value();
    entry.price.output = m_ui->entryOutputSpin->value();
    m_userCatalog.upsert(entry);
    if (!saveUserCatalog())
        return;
    QStringList checked = checkedModels();
    if (!checked.contains(id))
        checked.append(id);
    reloadCatalog();
    fillModelList(checked);
    m_ui->catalogStatusLabel->setText(tr("Saved %1 in %2.").arg(id, m_userCatalog.path()));
    recompute();
}

void CostPage::deleteEntry()
{
    const QString id = m_ui->entryIdEdit->text().trimmed();
    if (!m_catalog.contains(id)) {
        m_ui->catalogStatusLabel->setText(tr("No entry \"%1\" to delete.").arg(id));
        return;
    }
    // Your own entry goes (a shipped one with its id shows again); a shipped one is hidden.
    if (!m_userCatalog.remove(id))
        m_userCatalog.hide(id);
    if (!saveUserCatalog())
        return;
    reloadCatalog();
    fillModelList(checkedModels());
    m_ui->catalogStatusLabel->setText(m_catalog.contains(id)
                                          ? tr("Your %1 deleted; the shipped prices apply again.").arg(id)
                                          : tr("%1 deleted.").arg(id));
    recompute();
}

void CostPage::chooseCsvFile()
{
    const QString path =
        QFileDialog::getSaveFileName(this, tr("Export cost table"), QStringLiteral("costs.csv"), tr("CSV (*.csv)"));
    QString error;
    if (!path.isEmpty() && !exportCsv(path, &error))
        m_ui->tableHint->setText(error);
}

void CostPage::chooseLiteLlmFile()
{
    const QString path = QFileDialog::getOpenFileName(this, tr("Import LiteLLM prices"), QString(),
                                                      tr("LiteLLM price file (*.json);;All files (*)"));
    QString error;
    if (!path.isEmpty() && !importLiteLlmFile(path, &error))
        m_ui->catalogStatusLabel->setText(tr("Not imported: %1").arg(error));
}

void CostPage::chooseCatalogFile()
{
    const QString path = QFileDialog::getSaveFileName(this, tr("Export catalogue"), QStringLiteral("prices.json"),
                                                      tr("Price catalogue (*.json)"));
    QString error;
    if (path.isEmpty())
        return;
    m_ui->catalogStatusLabel->setText(exportCatalog(path, &error) ? tr("Catalogue written to %1.").arg(path)
                                                                  : tr("Not exported: %1").arg(error));
}

} // namespace relaybench
