#include "app/mainwindow.h"
#include "app/simstatsmodel.h"
#include "app/simulatorpage.h"

#include "simclient.h"

#include "sim/simserver.h"

#include <QAbstractItemModelTester>
#include <QComboBox>
#include <QLabel>
#include <QLineEdit>
#include <QStatusBar>
#include <QTabWidget>
#include <QTableView>
#include <QTest>

using namespace relaybench;

class TestSimulatorPage : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void showsTheDemoTarget();
    void countersFollowTraffic();
    void switchingProfileReachesTheServer();
    void badProfileFileIsRefusedAndNamed();
    void mainWindowHostsThePage();

private:
    std::unique_ptr<SimServer> m_server;
};

void TestSimulatorPage::initTestCase()
{
    QString error;
    auto profile = loadSimProfile(QStringLiteral("relay"), &error);
    QVERIFY2(profile, qPrintable(error));
    profile->faultRates.fill(0.0);
    m_server = std::make_unique<SimServer>(*profile, 1);
    QVERIFY(m_server->listen(QHostAddress::LocalHost, 0, &error));
}

void TestSimulatorPage::showsTheDemoTarget()
{
    SimulatorPage page(m_server.get());
    QCOMPARE(page.findChild<QLineEdit *>(QStringLiteral("urlEdit"))->text(), m_server->baseUrl().toString());
    auto *combo = page.findChild<QComboBox *>(QStringLiteral("profileCombo"));
    QCOMPARE(combo->currentText(), QStringLiteral("relay"));
    QVERIFY(combo->findText(QStringLiteral("direct-peak")) >= 0);
}

void TestSimulatorPage::countersFollowTraffic()
{
    SimulatorPage page(m_server.get());
    QAbstractItemModelTester tester(page.statsModel(), QAbstractItemModelTester::FailureReportingMode::QtTest);
    const auto valueOf = [&](const QString &label) {
        for (int row = 0; row < page.statsModel()->rowCount(); ++row) {
            if (page.statsModel()->index(row, 0).data().toString() == label)
                return page.statsModel()->index(row, 1).data().toString();
        }
        return QString();
    };
    const int before = valueOf(QStringLiteral("Chat requests")).toInt();
    for (int i = 0; i < 3; ++i)
        simtest::exchange(m_server->port(), simtest::chatRequest(simtest::chatBody(true, 2)), 5000,
                          simtest::responseComplete);
    QTRY_COMPARE_WITH_TIMEOUT(valueOf(QStringLiteral("Chat requests")).toInt(), before + 3, 3000);
    QVERIFY(valueOf(QStringLiteral("Streamed")).toInt() >= 3);
}

void TestSimulatorPage::switchingProfileReachesTheServer()
{
    SimulatorPage page(m_server.get());
    QString error;
    QVERIFY2(page.applyProfile(QStringLiteral("local-gpu"), &error), qPrintable(error));
    QCOMPARE(m_server->profile()->name, QStringLiteral("local-gpu"));
    QCOMPARE(page.findChild<QComboBox *>(QStringLiteral("profileCombo"))->currentText(), QStringLiteral("local-gpu"));
    QVERIFY(page.applyProfile(QStringLiteral("relay"), &error));
}

void TestSimulatorPage::badProfileFileIsRefusedAndNamed()
{
    SimulatorPage page(m_server.get());
    const QString path = QStringLiteral(RELAYBENCH_TEST_DATA "/profiles/bad-rate.json");
    QString error;
    QVERIFY(!page.applyProfile(path, &error));
    QVERIFY2(error.startsWith(path + QStringLiteral(": faults.reset")), qPrintable(error));
    QCOMPARE(m_server->profile()->name, QStringLiteral("relay")); // unchanged
    QCOMPARE(page.findChild<QComboBox *>(QStringLiteral("profileCombo"))->currentText(), QStringLiteral("relay"));
}

void TestSimulatorPage::mainWindowHostsThePage()
{
    MainWindow window(m_server.get());
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    window.findChild<QTabWidget *>(QStringLiteral("pages"))->setCurrentWidget(window.simulatorPage());
    QVERIFY(window.simulatorPage()->isVisible());
    QVERIFY(
        window.findChild<QLabel *>(QStringLiteral("simulatorState"))->text().contains(m_server->baseUrl().toString()));
}

QTEST_MAIN(TestSimulatorPage)
#include "tst_simulatorpage.moc"
