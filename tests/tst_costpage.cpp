#include "app/costcharts.h"
#include "app/costpage.h"
#include "app/costtablemodel.h"

#include <QAbstractItemModelTester>
#include <QBarSet>
#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QFile>
#include <QGroupBox>
#include <QHorizontalBarSeries>
#include <QJsonArray>
#include <QLabel>
#include <QLineEdit>
#include <QLineSeries>
#include <QListWidget>
#include <QPlainTextEdit>
#include <QProcess>
#include <QPushButton>
#include <QScatterSeries>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>
#include <QValueAxis>

using namespace relaybench;

// The Cost page driven through its widgets: the articles' table read back from the model, its working,
// the currency switch, CSV, a measured run as the workload, the charts and the user's catalogue.
class TestCostPage : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void init();
    void cleanup();
    void articlesTable_data();
    void articlesTable();
    void savingsAgainstBaseline();
    void tooltipsCarryTheWorking();
    void detailPaneShowsSelectedRow();
    void yuanMultipliesMoneyColumns();
    void csvExport();
    void csvMatchesCostCommand();
    void measuredRunFillsWorkload();
    void chartsHoldOnePerOption();
    void planBreakEvenMarked();
    void twoPlansThreeRowsPerModel();
    void plansRemovedDuplicatedAndReloaded();
    void freeTokensAndIncludedCredit();
    void onePlanFileMigrated_data();
    void onePlanFileMigrated();
    void brokenPlansFile_data();
    void brokenPlansFile();
    void userCatalogueEntrySaved();

private:
    template<typename T>
    T *widget(const char *name) const
    {
        T *child = m_page->findChild<T *>(QLatin1String(name));
        if (!child)
            qFatal("no widget %s", name);
        return child;
    }
    void setArticlesWorkload();
    void newPage();
    void addPlan(const QString &name);
    void addYuanPerDollarPlan();
    QString monthly(const QString &model, const QString &plan) const;
    int rowOf(const QString &model, const QString &plan = QStringLiteral("direct")) const;

    QTemporaryDir m_data;
    std::unique_ptr<CostPage> m_page;
    std::unique_ptr<QAbstractItemModelTester> m_tester;
};

void TestCostPage::initTestCase()
{
    QVERIFY(m_data.isValid());
    // User catalogue edits go to a throw-away folder, never the real one.
    qputenv("RELAYBENCH_DATA_DIR", m_data.path().toUtf8());
}

void TestCostPage::init()
{
    QFile::remove(m_data.filePath(QStringLiteral("prices.user.json")));
    QFile::remove(m_data.filePath(QStringLiteral("plans.user.json")));
    m_page = std::make_unique<CostPage>();
    m_tester = std::make_unique<QAbstractItemModelTester>(m_page->model(),
                                                          QAbstractItemModelTester::FailureReportingMode::QtTest);
    setArticlesWorkload();
}

// A page as the next start builds it, from the files in the data folder.
void TestCostPage::newPage()
{
    m_tester.reset();
    m_page = std::make_unique<CostPage>();
    m_tester = std::make_unique<QAbstractItemModelTester>(m_page->model(),
                                                          QAbstractItemModelTester::FailureReportingMode::QtTest);
    setArticlesWorkload();
}

void TestCostPage::addPlan(const QString &name)
{
    widget<QPushButton>("addPlanButton")->click();
    widget<QLineEdit>("planNameEdit")->setText(name);
}

// The articles' relay billing 1 yuan per dollar of usage while a dollar costs 7.3 yuan.
void TestCostPage::addYuanPerDollarPlan()
{
    addPlan(QStringLiteral("yuan-per-dollar"));
    widget<QComboBox>("planCurrencyCombo")->setCurrentText(QStringLiteral("CNY"));
    widget<QDoubleSpinBox>("planExchangeSpin")->setValue(7.3);
    widget<QDoubleSpinBox>("planUsageRateSpin")->setValue(1.0);
}

QString TestCostPage::monthly(const QString &model, const QString &plan) const
{
    return m_page->model()->index(rowOf(model, plan), CostTableModel::MonthlyColumn).data().toString();
}

void TestCostPage::cleanup()
{
    m_tester.reset();
    m_page.reset();
}

// 10,000 requests a month x 1,000 output tokens, no input: 10M output tokens; the four articles' models.
void TestCostPage::setArticlesWorkload()
{
    widget<QComboBox>("requestsUnitCombo")->setCurrentIndex(0);
    widget<QDoubleSpinBox>("requestsSpin")->setValue(10000);
    widget<QDoubleSpinBox>("inputTokensSpin")->setValue(0);
    widget<QDoubleSpinBox>("outputTokensSpin")->setValue(1000);
    const QStringList wanted = {QStringLiteral("deepseek-chat"), QStringLiteral("gemini-2.5-flash"),
                                QStringLiteral("gpt-4.1"), QStringLiteral("claude-sonnet-4.5")};
    auto *list = widget<QListWidget>("modelList");
    for (int i = 0; i < list->count(); ++i) {
        QListWidgetItem *item = list->item(i);
        item->setCheckState(wanted.contains(item->data(Qt::UserRole).toString()) ? Qt::Checked : Qt::Unchecked);
    }
    auto *baseline = widget<QComboBox>("baselineCombo");
    baseline->setCurrentIndex(baseline->findData(QStringLiteral("gpt-4.1")));
}

int TestCostPage::rowOf(const QString &model, const QString &plan) const
{
    const CostTableModel *m = m_page->model();
    for (int row = 0; row < m->rowCount(); ++row) {
        if (m->index(row, CostTableModel::ModelColumn).data(CostTableModel::RawValueRole).toString() == model &&
            m->index(row, CostTableModel::PlanColumn).data(CostTableModel::RawValueRole).toString() == plan)
            return row;
    }
    return -1;
}

void TestCostPage::articlesTable_data()
{
    QTest::addColumn<QString>("model");
    QTest::addColumn<double>("monthlyUsd");
    QTest::addColumn<QString>("shown");
    QTest::addRow("deepseek-chat") << QStringLiteral("deepseek-chat") << 4.20 << QStringLiteral("$4.20");
    QTest::addRow("gemini-2.5-flash") << QStringLiteral("gemini-2.5-flash") << 25.00 << QStringLiteral("$25.00");
    QTest::addRow("gpt-4.1") << QStringLiteral("gpt-4.1") << 80.00 << QStringLiteral("$80.00");
    QTest::addRow("claude-sonnet-4.5") << QStringLiteral("claude-sonnet-4.5") << 150.00 << QStringLiteral("$150.00");
}

void TestCostPage::articlesTable()
{
    QFETCH(QString, model);
    QFETCH(double, monthlyUsd);
    QFETCH(QString, shown);
    QCOMPARE(m_page->model()->rowCount(), 4);
    const int row = rowOf(model);
    QVERIFY(row >= 0);
    const QModelIndex monthly = m_page->model()->index(row, CostTableModel::MonthlyColumn);
    QCOMPARE(monthly.data().toString(), shown);
    QVERIFY(qAbs(monthly.data(CostTableModel::RawValueRole).toDouble() - monthlyUsd) < 1e-9);
    const QModelIndex annual = m_page->model()->index(row, CostTableModel::AnnualColumn);
    QVERIFY(qAbs(annual.data(CostTableModel::RawValueRole).toDouble() - 12 * monthlyUsd) < 1e-9);
    // 10M output tokens: the effective price per million output tokens is the list price.
    const QModelIndex perM = m_page->model()->index(row, CostTableModel::PerMtokOutputColumn);
    QVERIFY(qAbs(perM.data(CostTableModel::RawValueRole).toDouble() - monthlyUsd / 10.0) < 1e-9);
    const QModelIndex per1k = m_page->model()->index(row, CostTableModel::Per1kRequestsColumn);
    QVERIFY(qAbs(per1k.data(CostTableModel::RawValueRole).toDouble() - monthlyUsd / 10.0) < 1e-9);
}

void TestCostPage::savingsAgainstBaseline()
{
    const int row = rowOf(QStringLiteral("deepseek-chat"));
    const CostTableModel *m = m_page->model();
    QCOMPARE(m->index(row, CostTableModel::SavingsPctColumn).data().toString(), QStringLiteral("94.75%"));
    QVERIFY(qAbs(m->index(row, CostTableModel::SavingsPctColumn).data(CostTableModel::RawValueRole).toDouble() -
                 94.75) < 1e-9);
    QCOMPARE(m->index(row, CostTableModel::SavingsColumn).data().toString(), QStringLiteral("$75.80"));
    // No baseline: the savings columns say so.
    widget<QComboBox>("baselineCombo")->setCurrentIndex(0);
    QCOMPARE(m->index(rowOf(QStringLiteral("deepseek-chat")), CostTableModel::SavingsPctColumn).data().toString(),
             QStringLiteral("-"));
    QVERIFY(!m->index(0, CostTableModel::SavingsColumn).data(CostTableModel::RawValueRole).isValid());
}

void TestCostPage::tooltipsCarryTheWorking()
{
    const CostTableModel *m = m_page->model();
    const QString tip = m->index(rowOf(QStringLiteral("deepseek-chat")), CostTableModel::MonthlyColumn)
                            .data(Qt::ToolTipRole)
                            .toString();
    QVERIFY2(tip.contains(QStringLiteral("10M output tokens × $0.42/M = $4.20")), qPrintable(tip));
    const QString savings = m->index(rowOf(QStringLiteral("deepseek-chat")), CostTableModel::SavingsPctColumn)
                                .data(Qt::ToolTipRole)
                                .toString();
    QVERIFY2(savings.contains(QStringLiteral("94.75")), qPrintable(savings));
    QVERIFY(!m->index(0, CostTableModel::AnnualColumn).data(Qt::ToolTipRole).toString().isEmpty());
}

void TestCostPage::detailPaneShowsSelectedRow()
{
    auto *table = widget<QTableView>("table");
    table->setCurrentIndex(m_page->model()->index(rowOf(QStringLiteral("gpt-4.1")), 0));
    const QString detail = widget<QPlainTextEdit>("detailText")->toPlainText();
    QVERIFY2(detail.contains(QStringLiteral("10M output tokens × $8.00/M = $80.00")), qPrintable(detail));
    QVERIFY2(detail.contains(QStringLiteral("Annual")), qPrintable(detail));
}

void TestCostPage::yuanMultipliesMoneyColumns()
{
    widget<QComboBox>("currencyCombo")->setCurrentText(QStringLiteral("CNY"));
    QVERIFY(widget<QDoubleSpinBox>("rateSpin")->isEnabled());
    widget<QDoubleSpinBox>("rateSpin")->setValue(7.3);
    const CostTableModel *m = m_page->model();
    const int row = rowOf(QStringLiteral("deepseek-chat"));
    QCOMPARE(m->index(row, CostTableModel::MonthlyColumn).data().toString(), QStringLiteral("¥30.66"));
    QCOMPARE(m->index(rowOf(QStringLiteral("gpt-4.1")), CostTableModel::MonthlyColumn).data().toString(),
             QStringLiteral("¥584.00"));
    QVERIFY(m->headerData(CostTableModel::MonthlyColumn, Qt::Horizontal).toString().contains(QLatin1String("CNY")));
    // The raw values stay in USD, the percentage does not change.
    QVERIFY(qAbs(m->index(row, CostTableModel::MonthlyColumn).data(CostTableModel::RawValueRole).toDouble() - 4.2) <
            1e-9);
    QCOMPARE(m->index(row, CostTableModel::SavingsPctColumn).data().toString(), QStringLiteral("94.75%"));
    QVERIFY(
        m->index(row, CostTableModel::MonthlyColumn).data(Qt::ToolTipRole).toString().contains(QStringLiteral("¥")));
    // A new rate applies at once.
    widget<QDoubleSpinBox>("rateSpin")->setValue(7.0);
    QCOMPARE(m->index(row, CostTableModel::MonthlyColumn).data().toString(), QStringLiteral("¥29.40"));
}

void TestCostPage::csvExport()
{
    const QString path = m_data.filePath(QStringLiteral("costs.csv"));
    QString error;
    QVERIFY2(m_page->exportCsv(path, &error), qPrintable(error));
    QFile file(path);
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QStringList lines = QString::fromUtf8(file.readAll()).split(QLatin1Char('\n'), Qt::SkipEmptyParts);
    QCOMPARE(lines.size(), 5);
    QCOMPARE(lines.first(), QStringLiteral("model,plan,monthly_cost_usd,annual_cost_usd,effective_usd_per_mtok_output,"
                                           "cost_per_1k_requests_usd,savings_vs_baseline_pct"));
    QVERIFY2(lines.contains(QStringLiteral("deepseek-chat,direct,4.2,50.4,0.42,0.42,94.75")),
             qPrintable(lines.join(QLatin1Char('|'))));
    QVERIFY(lines.contains(QStringLiteral("gpt-4.1,direct,80,960,8,8,0")));
    // CSV is USD whatever the display currency, like relaybench cost --format csv.
    widget<QComboBox>("currencyCombo")->setCurrentText(QStringLiteral("CNY"));
    QVERIFY(m_page->model()->toCsv().contains(QStringLiteral("deepseek-chat,direct,4.2,")));
    QVERIFY(!m_page->exportCsv(m_data.filePath(QStringLiteral("no/such/folder/costs.csv")), &error));
    QVERIFY(!error.isEmpty());
}

// The page's CSV and `relaybench cost --format csv` on the same workload hold the same lines (the page
// lists rows in catalogue order, the command in the workload's order, so the lines are compared sorted).
void TestCostPage::csvMatchesCostCommand()
{
    if (!QFile::exists(QStringLiteral(RELAYBENCH_BINARY)))
        QSKIP("relaybench is not built in this build folder");
    QProcess process;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("RELAYBENCH_DATA_DIR"), m_data.path());
    process.setProcessEnvironment(env);
    process.start(QStringLiteral(RELAYBENCH_BINARY),
                  {QStringLiteral("cost"),
                   QStringLiteral(RELAYBENCH_SOURCE_DIR "/examples/cost/articles-10m-output.json"),
                   QStringLiteral("--format"), QStringLiteral("csv")});
    QVERIFY(process.waitForFinished(60000));
    QCOMPARE(process.exitCode(), 0);
    QStringList command =
        QString::fromUtf8(process.readAllStandardOutput()).split(QLatin1Char('\n'), Qt::SkipEmptyParts);
    QStringList page = m_page->model()->toCsv().split(QLatin1Char('\n'), Qt::SkipEmptyParts);
    QCOMPARE(page.first(), command.first()); // the header
    command.sort();
    page.sort();
    QCOMPARE(page, command);
}

void TestCostPage::measuredRunFillsWorkload()
{
    auto *button = widget<QPushButton>("measuredButton");
    QVERIFY(!button->isEnabled());
    // Two targets: 200 attempts, 190 successes; per attempt 1,000 prompt tokens (20% cached), 355 visible
    // output and 100 reasoning tokens.
    const auto target = [](const char *name, double attempts, double succeeded, double prompt, double completion,
                           double cached, double reasoning, double cost) {
        return QJsonObject{{QStringLiteral("name"), QLatin1String(name)},
                           {QStringLiteral("model"), QStringLiteral("deepseek-chat")},
                           {QStringLiteral("requests"), succeeded},
                           {QStringLiteral("attempts"), attempts},
                           {QStringLiteral("succeeded"), succeeded},
                           {QStringLiteral("tokens"), QJsonObject{{QStringLiteral("prompt"), prompt},
                                                                  {QStringLiteral("completion"), completion},
                                                                  {QStringLiteral("cached"), cached},
                                                                  {QStringLiteral("reasoning"), reasoning}}},
                           {QStringLiteral("cost_usd"), cost}};
    };
    RunResult run;
    run.summary = QJsonObject{
        {QStringLiteral("schema"), QStringLiteral("relaybench.summary/1")},
        {QStringLiteral("campaign"), QStringLiteral("hand-written")},
        {QStringLiteral("started_at"), QStringLiteral("2026-11-23T10:00:00.000Z")},
        {QStringLiteral("targets"), QJsonArray{target("relay-a", 110, 100, 110000, 55000, 22000, 11000, 0.5),
                                               target("relay-b", 90, 90, 90000, 36000, 18000, 9000, 0.25),
                                               target("down", 5, 0, 0, 0, 0, 0, 0.0)}}};
    m_page->setMeasuredRun(run);
    QVERIFY(button->isEnabled());
    const QString costs = widget<QLabel>("runCostLabel")->text();
    QVERIFY2(costs.contains(QStringLiteral("relay-a")) && costs.contains(QStringLiteral("$0.50")), qPrintable(costs));
    QVERIFY2(costs.contains(QStringLiteral("$5.00 per 1,000 requests")), qPrintable(costs));

    button->click();
    QCOMPARE(widget<QDoubleSpinBox>("inputTokensSpin")->value(), 1000.0);
    QCOMPARE(widget<QDoubleSpinBox>("outputTokensSpin")->value(), 355.0);
    QCOMPARE(widget<QDoubleSpinBox>("reasoningTokensSpin")->value(), 100.0);
    QCOMPARE(widget<QDoubleSpinBox>("cachedShareSpin")->value(), 20.0);
    QCOMPARE(widget<QDoubleSpinBox>("retryOverheadSpin")->value(), 5.26); // 200 / 190 - 1
    const QString said = widget<QLabel>("measuredLabel")->text();
    QVERIFY2(said.contains(QStringLiteral("hand-written")) && said.contains(QStringLiteral("2 target")),
             qPrintable(said));
    // The table follows: more tokens than the articles' workload, so deepseek-chat costs more than $4.20.
    const double monthly = m_page->model()
                               ->index(rowOf(QStringLiteral("deepseek-chat")), CostTableModel::MonthlyColumn)
                               .data(CostTableModel::RawValueRole)
                               .toDouble();
    QVERIFY(monthly > 4.2);
}

void TestCostPage::chartsHoldOnePerOption()
{
    auto *bars = widget<CostBarChart>("barChart");
    QCOMPARE(bars->series()->count(), 4);
    QStringList names;
    for (QBarSet *set : bars->series()->barSets()) {
        QCOMPARE(set->count(), 1);
        names.append(set->label());
        if (set->label() == QLatin1String("gpt-4.1"))
            QCOMPARE(set->at(0), 80.0);
    }
    QVERIFY(names.contains(QStringLiteral("claude-sonnet-4.5")));
    QVERIFY(bars->moneyAxis()->titleText().contains(QLatin1String("USD")));
    auto *curve = widget<CostCurveChart>("curveChart");
    QCOMPARE(curve->lines().size(), 4);
    for (QLineSeries *line : curve->lines())
        QCOMPARE(line->count(), 101);
    QVERIFY(curve->volumeAxis()->titleText().contains(QLatin1String("requests per month")));
    // Unchecking a model drops its bar and line.
    widget<QListWidget>("modelList")
        ->findItems(QStringLiteral("gpt-4.1"), Qt::MatchStartsWith)
        .first()
        ->setCheckState(Qt::Unchecked);
    QCOMPARE(bars->series()->count(), 3);
    QCOMPARE(curve->lines().size(), 3);
    // Yuan: the axes say so and the bars are multiplied.
    widget<QComboBox>("currencyCombo")->setCurrentText(QStringLiteral("CNY"));
    widget<QDoubleSpinBox>("rateSpin")->setValue(7.3);
    QVERIFY(bars->moneyAxis()->titleText().contains(QLatin1String("CNY")));
    QVERIFY(curve->moneyAxis()->titleText().contains(QLatin1String("CNY")));
    for (QBarSet *set : bars->series()->barSets())
        if (set->label() == QLatin1String("deepseek-chat"))
            QVERIFY(qAbs(set->at(0) - 30.66) < 1e-9);
}

void TestCostPage::planBreakEvenMarked()
{
    // A flat $10 a month plan covering every token: gemini-2.5-flash ($2.50 per 1,000 requests here) costs
    // the same at 4,000 requests a month.
    addPlan(QStringLiteral("flat-10"));
    widget<QDoubleSpinBox>("planFeeSpin")->setValue(10);
    widget<QDoubleSpinBox>("planIncludedSpin")->setValue(1e12);
    QCOMPARE(m_page->model()->rowCount(), 8);
    QCOMPARE(monthly(QStringLiteral("gemini-2.5-flash"), QStringLiteral("flat-10")), QStringLiteral("$10.00"));
    auto *curve = widget<CostCurveChart>("curveChart");
    QCOMPARE(curve->lines().size(), 8);
    bool found = false;
    for (const QPointF &point : curve->breakEvens()->points())
        found = found || (qAbs(point.x() - 4000.0) < 1.0 && qAbs(point.y() - 10.0) < 0.01);
    QVERIFY(found);
    QVERIFY(curve->breakEvens()->isVisible());
    // Unticking the plan drops its rows; the plan stays in the list.
    widget<QListWidget>("planList")->item(0)->setCheckState(Qt::Unchecked);
    QCOMPARE(m_page->model()->rowCount(), 4);
    QCOMPARE(m_page->plans().size(), 1);
}

// Two plans: each ticked model has three rows, direct then each plan. gpt-4.1 uses $80 of list prices:
// the flat plan costs its $10.00, the relay 80 yuan = 80 / 7.3 = $10.96 (86.30% less than direct);
// gemini-2.5-flash's $25 through the relay is 25 / 7.3 = $3.42, claude-sonnet-4.5's $150 is $20.55.
void TestCostPage::twoPlansThreeRowsPerModel()
{
    addPlan(QStringLiteral("flat-10"));
    widget<QDoubleSpinBox>("planFeeSpin")->setValue(10);
    widget<QDoubleSpinBox>("planIncludedSpin")->setValue(1e12);
    addYuanPerDollarPlan();
    QCOMPARE(widget<QListWidget>("planList")->count(), 2);
    QCOMPARE(m_page->model()->rowCount(), 12);
    const QString gpt = QStringLiteral("gpt-4.1");
    const int direct = rowOf(gpt);
    QVERIFY(direct >= 0);
    QCOMPARE(rowOf(gpt, QStringLiteral("flat-10")), direct + 1);
    QCOMPARE(rowOf(gpt, QStringLiteral("yuan-per-dollar")), direct + 2);
    QCOMPARE(monthly(gpt, QStringLiteral("direct")), QStringLiteral("$80.00"));
    QCOMPARE(monthly(gpt, QStringLiteral("flat-10")), QStringLiteral("$10.00"));
    QCOMPARE(monthly(gpt, QStringLiteral("yuan-per-dollar")), QStringLiteral("$10.96"));
    QCOMPARE(m_page->model()
                 ->index(rowOf(gpt, QStringLiteral("yuan-per-dollar")), CostTableModel::SavingsPctColumn)
                 .data()
                 .toString(),
             QStringLiteral("86.30%"));
    QCOMPARE(monthly(QStringLiteral("gemini-2.5-flash"), QStringLiteral("yuan-per-dollar")), QStringLiteral("$3.42"));
    QCOMPARE(monthly(QStringLiteral("claude-sonnet-4.5"), QStringLiteral("yuan-per-dollar")), QStringLiteral("$20.55"));
    QCOMPARE(monthly(QStringLiteral("claude-sonnet-4.5"), QStringLiteral("flat-10")), QStringLiteral("$10.00"));
    // Selecting the first plan shows it in the form again, unchanged by editing the second.
    widget<QListWidget>("planList")->setCurrentRow(0);
    QCOMPARE(widget<QLineEdit>("planNameEdit")->text(), QStringLiteral("flat-10"));
    QCOMPARE(widget<QDoubleSpinBox>("planFeeSpin")->value(), 10.0);
    QCOMPARE(widget<QComboBox>("planCurrencyCombo")->currentText(), QStringLiteral("USD"));
    QCOMPARE(monthly(gpt, QStringLiteral("yuan-per-dollar")), QStringLiteral("$10.96"));
}

// Save, remove (saved at once), duplicate with a clashing name, and a new page reads the file back.
void TestCostPage::plansRemovedDuplicatedAndReloaded()
{
    addPlan(QStringLiteral("flat-10"));
    widget<QDoubleSpinBox>("planFeeSpin")->setValue(10);
    widget<QDoubleSpinBox>("planIncludedSpin")->setValue(1e12);
    addYuanPerDollarPlan();
    widget<QPushButton>("savePlanButton")->click();
    QVERIFY(QFile::exists(CostPage::savedPlanPath()));
    QVERIFY(CostPage::savedPlanPath().startsWith(m_data.path()));
    QVERIFY(widget<QLabel>("planStatusLabel")->text().contains(CostPage::savedPlanPath()));

    auto *list = widget<QListWidget>("planList");
    list->setCurrentRow(0);
    widget<QPushButton>("removePlanButton")->click();
    QCOMPARE(list->count(), 1);
    QCOMPARE(m_page->model()->rowCount(), 8);
    QCOMPARE(rowOf(QStringLiteral("gpt-4.1"), QStringLiteral("flat-10")), -1);
    QCOMPARE(widget<QLineEdit>("planNameEdit")->text(), QStringLiteral("yuan-per-dollar"));

    newPage();
    list = widget<QListWidget>("planList");
    QCOMPARE(list->count(), 1);
    QCOMPARE(list->item(0)->text(), QStringLiteral("yuan-per-dollar"));
    QCOMPARE(list->item(0)->checkState(), Qt::Checked);
    QCOMPARE(widget<QComboBox>("planCurrencyCombo")->currentText(), QStringLiteral("CNY"));
    QCOMPARE(widget<QDoubleSpinBox>("planExchangeSpin")->value(), 7.3);
    QCOMPARE(m_page->model()->rowCount(), 8);
    QCOMPARE(monthly(QStringLiteral("gpt-4.1"), QStringLiteral("yuan-per-dollar")), QStringLiteral("$10.96"));

    // A duplicate gets a name of its own; renaming it onto another plan's name is resolved in the list.
    widget<QPushButton>("duplicatePlanButton")->click();
    QCOMPARE(list->count(), 2);
    QCOMPARE(list->currentRow(), 1);
    QCOMPARE(list->item(1)->text(), QStringLiteral("yuan-per-dollar copy"));
    QCOMPARE(m_page->model()->rowCount(), 12);
    widget<QLineEdit>("planNameEdit")->setText(QStringLiteral("yuan-per-dollar"));
    QCOMPARE(list->item(1)->text(), QStringLiteral("yuan-per-dollar 2"));
    QCOMPARE(monthly(QStringLiteral("gpt-4.1"), QStringLiteral("yuan-per-dollar 2")), QStringLiteral("$10.96"));
    // Unticked plans are saved unticked.
    list->item(0)->setCheckState(Qt::Unchecked);
    widget<QPushButton>("savePlanButton")->click();
    newPage();
    list = widget<QListWidget>("planList");
    QCOMPARE(list->count(), 2);
    QCOMPARE(list->item(0)->checkState(), Qt::Unchecked);
    QCOMPARE(list->item(1)->checkState(), Qt::Checked);
    QCOMPARE(m_page->model()->rowCount(), 8);
}

// gpt-4.1's 10M output tokens through a plan that bills list prices: 5M free tokens halve the $80 usage
// to $40 (no overage price: the uncovered share of usage), and $15 of included credit leave $25.00.
void TestCostPage::freeTokensAndIncludedCredit()
{
    addPlan(QStringLiteral("free-tier"));
    widget<QDoubleSpinBox>("planFreeTokensSpin")->setValue(5e6);
    QCOMPARE(monthly(QStringLiteral("gpt-4.1"), QStringLiteral("free-tier")), QStringLiteral("$40.00"));
    widget<QDoubleSpinBox>("planCreditSpin")->setValue(15);
    QCOMPARE(monthly(QStringLiteral("gpt-4.1"), QStringLiteral("free-tier")), QStringLiteral("$25.00"));
    widget<QPushButton>("savePlanButton")->click();
    newPage();
    QCOMPARE(m_page->plans().size(), 1);
    QCOMPARE(m_page->plans().first().freeTokens, 5e6);
    QCOMPARE(m_page->plans().first().includedCredit, 15.0);
    QCOMPARE(widget<QDoubleSpinBox>("planCreditSpin")->value(), 15.0);
}

// The one-plan file the page wrote before plans became a list is read as a list of one.
void TestCostPage::onePlanFileMigrated_data()
{
    QTest::addColumn<bool>("enabled");
    QTest::addColumn<int>("rows");
    QTest::addRow("enabled") << true << 8;
    QTest::addRow("disabled") << false << 4;
}

void TestCostPage::onePlanFileMigrated()
{
    QFETCH(bool, enabled);
    QFETCH(int, rows);
    QFile file(CostPage::savedPlanPath());
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write(QByteArray(R"({"schema": "relaybench.user-plans/1", "enabled": )") + (enabled ? "true" : "false") +
               R"(, "plans": [{"name": "relay", "monthly_fee": 0, "currency": "CNY", "exchange_rate": 7.3,
                   "usage_rate": 1}]})");
    file.close();
    newPage();
    QCOMPARE(widget<QListWidget>("planList")->count(), 1);
    QCOMPARE(widget<QLabel>("planStatusLabel")->text(), QString());
    QCOMPARE(m_page->model()->rowCount(), rows);
    if (enabled)
        QCOMPARE(monthly(QStringLiteral("gpt-4.1"), QStringLiteral("relay")), QStringLiteral("$10.96"));
    // Saving writes the list format, which reads back the same.
    widget<QPushButton>("savePlanButton")->click();
    QVERIFY(file.open(QIODevice::ReadOnly));
    QVERIFY(file.readAll().contains("relaybench.user-plans/2"));
    file.close();
    newPage();
    QCOMPARE(m_page->model()->rowCount(), rows);
}

void TestCostPage::brokenPlansFile_data()
{
    QTest::addColumn<QByteArray>("content");
    QTest::addColumn<QString>("said");
    QTest::addRow("not JSON") << QByteArray("{\"plans\": [") << QString();
    QTest::addRow("bad field") << QByteArray(R"({"schema": "relaybench.user-plans/2",
                                     "plans": [{"name": "x", "monthly_fee": "ten"}]})")
                               << QStringLiteral("plans[0].monthly_fee");
    QTest::addRow("unknown schema") << QByteArray(R"({"schema": "relaybench.prices/1", "plans": []})")
                                    << QStringLiteral("schema");
    QTest::addRow("ticks a missing plan") << QByteArray(R"({"schema": "relaybench.user-plans/2", "plans": [],
                                              "applied": ["gone"]})")
                                          << QStringLiteral("\"gone\"");
}

// A plans file the page cannot read: a message naming the file (and the field), no plan, a working table,
// and the file kept aside, not lost, when plans are next saved.
void TestCostPage::brokenPlansFile()
{
    QFETCH(QByteArray, content);
    QFETCH(QString, said);
    QFile file(CostPage::savedPlanPath());
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write(content);
    file.close();
    QFile::remove(CostPage::savedPlanPath() + QStringLiteral(".broken"));
    newPage();
    const QString message = widget<QLabel>("planStatusLabel")->text();
    QVERIFY2(message.contains(QLatin1String("not loaded")), qPrintable(message));
    QVERIFY2(message.contains(CostPage::savedPlanPath()), qPrintable(message));
    QVERIFY2(message.contains(said), qPrintable(message));
    QCOMPARE(widget<QListWidget>("planList")->count(), 0);
    QVERIFY(!widget<QWidget>("planEditor")->isEnabled());
    QCOMPARE(m_page->model()->rowCount(), 4);
    QCOMPARE(monthly(QStringLiteral("gpt-4.1"), QStringLiteral("direct")), QStringLiteral("$80.00"));

    addYuanPerDollarPlan(); // saves the list at once
    QCOMPARE(m_page->model()->rowCount(), 8);
    QFile aside(CostPage::savedPlanPath() + QStringLiteral(".broken"));
    QVERIFY(aside.open(QIODevice::ReadOnly));
    QCOMPARE(aside.readAll(), content);
    widget<QPushButton>("savePlanButton")->click();
    newPage();
    QCOMPARE(widget<QLabel>("planStatusLabel")->text(), QString());
    QCOMPARE(monthly(QStringLiteral("gpt-4.1"), QStringLiteral("yuan-per-dollar")), QStringLiteral("$10.96"));
}

void TestCostPage::userCatalogueEntrySaved()
{
    widget<QLineEdit>("entryIdEdit")->setText(QStringLiteral("my-model"));
    widget<QLineEdit>("entryNameEdit")->setText(QStringLiteral("My model"));
    widget<QDoubleSpinBox>("entryInputSpin")->setValue(1.0);
    widget<QDoubleSpinBox>("entryCachedSpin")->setValue(0.1);
    widget<QDoubleSpinBox>("entryOutputSpin")->setValue(2.0);
    widget<QPushButton>("saveEntryButton")->click();
    QVERIFY(QFile::exists(m_data.filePath(QStringLiteral("prices.user.json"))));
    QVERIFY(m_page->catalog().contains(QStringLiteral("my-model")));
    // A new entry is ticked at once: 10M output tokens x $2.00/M.
    const int row = rowOf(QStringLiteral("my-model"));
    QVERIFY(row >= 0);
    QCOMPARE(m_page->model()->index(row, CostTableModel::MonthlyColumn).data().toString(), QStringLiteral("$20.00"));
    // The rest of the workload survived the catalogue reload.
    QVERIFY(rowOf(QStringLiteral("deepseek-chat")) >= 0);

    // It survives a new page (the file), and deleting it removes it from the file too.
    m_tester.reset();
    m_page = std::make_unique<CostPage>();
    QVERIFY(m_page->catalog().contains(QStringLiteral("my-model")));
    widget<QLineEdit>("entryIdEdit")->setText(QStringLiteral("my-model"));
    widget<QPushButton>("deleteEntryButton")->click();
    QVERIFY(!m_page->catalog().contains(QStringLiteral("my-model")));

    // LiteLLM import and catalogue export.
    QString error;
    QVERIFY2(
        m_page->importLiteLlmFile(QStringLiteral(RELAYBENCH_TEST_DATA "/litellm/model_prices_excerpt.json"), &error),
        qPrintable(error));
    QVERIFY(m_page->catalog().ids().size() > PriceCatalog::shipped().ids().size());
    const QString exported = m_data.filePath(QStringLiteral("exported.json"));
    QVERIFY2(m_page->exportCatalog(exported, &error), qPrintable(error));
    QFile file(exported);
    QVERIFY(file.open(QIODevice::ReadOnly));
    const std::optional<PriceCatalog> back = PriceCatalog::fromJson(file.readAll(), exported, &error);
    QVERIFY2(back, qPrintable(error));
    QCOMPARE(back->ids(), m_page->catalog().ids());
}

QTEST_MAIN(TestCostPage)
#include "tst_costpage.moc"
