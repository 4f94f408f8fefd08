#include "sim/simprofile.h"
#include "sim/simserver.h"

#include <QDirIterator>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>

// A run with distinctive keys, then every artefact it leaves: the run folder, the data folder (the
// history database with its -wal and -shm), a history export, and everything printed. No key may appear
// in any of them, in full or in a recognisable part.
class TestSecrets : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void noArtefactHoldsAKey();

private:
    struct Output
    {
        int exitCode = -1;
        QByteArray out;
        QByteArray err;
    };
    Output relaybench(const QStringList &arguments);

    QTemporaryDir m_dir;
    std::unique_ptr<relaybench::SimServer> m_sim;
    QProcessEnvironment m_env;
};

namespace {

// The accepted key and a wrong one (its 401 path writes error messages); both unlike anything else.
const QByteArray goodKey = QByteArrayLiteral("sk-rbsecret-GOOD-7c1e9a53f0d24b8e");
const QByteArray wrongKey = QByteArrayLiteral("sk-rbsecret-WRONG-2d6f0b8c4a1e9f37");

} // namespace

void TestSecrets::initTestCase()
{
    QVERIFY(m_dir.isValid());
    QString error;
    const auto profile =
        relaybench::parseSimProfile("{\"ttft_ms\": 5, \"tpot_ms\": 1, \"completion_tokens\": 8, \"api_keys\": [\"" +
                                        goodKey + "\"], \"faults\": {\"server_error\": 0.2}}",
                                    QStringLiteral("secrets"), &error);
    QVERIFY2(profile, qPrintable(error));
    m_sim = std::make_unique<relaybench::SimServer>(*profile, 1);
    QVERIFY(m_sim->listen(QHostAddress::LocalHost, 0, &error));
    m_env = QProcessEnvironment::systemEnvironment();
    m_env.insert(QStringLiteral("RB_SECRET_GOOD"), QString::fromLatin1(goodKey));
    m_env.insert(QStringLiteral("RB_SECRET_WRONG"), QString::fromLatin1(wrongKey));
    m_env.insert(QStringLiteral("RELAYBENCH_DATA_DIR"), m_dir.filePath(QStringLiteral("data")));
    m_env.insert(QStringLiteral("XDG_CONFIG_HOME"), m_dir.filePath(QStringLiteral("config")));
}

TestSecrets::Output TestSecrets::relaybench(const QStringList &arguments)
{
    QProcess process;
    process.setProcessEnvironment(m_env);
    process.start(QStringLiteral(RELAYBENCH_BINARY), arguments);
    if (!process.waitForFinished(60000)) {
        process.kill();
        process.waitForFinished();
    }
    Output output{process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1,
                  process.readAllStandardOutput(), process.readAllStandardError()};
    // Everything printed is an artefact too.
    static int calls = 0;
    QFile log(m_dir.filePath(QStringLiteral("printed-%1.txt").arg(++calls)));
    if (log.open(QIODevice::WriteOnly))
        log.write(output.out + output.err);
    return output;
}

void TestSecrets::noArtefactHoldsAKey()
{
    const QString url = m_sim->baseUrl().toString();
    const QJsonObject campaign{
        {QStringLiteral("name"), QStringLiteral("secrets")},
        {QStringLiteral("targets"),
         QJsonArray{QJsonObject{{QStringLiteral("name"), QStringLiteral("good")},
                                {QStringLiteral("base_url"), url},
                                {QStringLiteral("model"), QStringLiteral("m")},
                                {QStringLiteral("api_key_env"), QStringLiteral("RB_SECRET_GOOD")}},
                    QJsonObject{{QStringLiteral("name"), QStringLiteral("wrong")},
                                {QStringLiteral("base_url"), url},
                                {QStringLiteral("model"), QStringLiteral("m")},
                                {QStringLiteral("api_key_env"), QStringLiteral("RB_SECRET_WRONG")}}}},
        {QStringLiteral("load"), QJsonObject{{QStringLiteral("concurrency"), 2}, {QStringLiteral("requests"), 20}}},
        {QStringLiteral("retry"),
         QJsonObject{{QStringLiteral("max_attempts"), 2}, {QStringLiteral("base_delay_s"), 0.01}}},
    };
    const QString campaignPath = m_dir.filePath(QStringLiteral("campaign.json"));
    QFile file(campaignPath);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write(QJsonDocument(campaign).toJson());
    file.close();

    const Output run = relaybench(
        {QStringLiteral("run"), campaignPath, QStringLiteral("--out"), m_dir.filePath(QStringLiteral("run"))});
    QVERIFY2(run.exitCode == 0 || run.exitCode == 1, run.err.constData()); // 1: an SLO failed, still a run
    const auto id = QRegularExpression(QStringLiteral("history run id: (\\d+)")).match(QString::fromUtf8(run.out));
    QVERIFY2(id.hasMatch(), run.out.constData());
    QCOMPARE(relaybench({QStringLiteral("history"), QStringLiteral("list"), QStringLiteral("--json")}).exitCode, 0);
    QCOMPARE(relaybench({QStringLiteral("history"), QStringLiteral("show"), id.captured(1)}).exitCode, 0);
    QCOMPARE(relaybench({QStringLiteral("history"), QStringLiteral("export"), id.captured(1), QStringLiteral("--out"),
                         m_dir.filePath(QStringLiteral("export"))})
                 .exitCode,
             0);
    // The 401s did happen: the wrong key reached the code paths that write server error messages.
    QFile csv(m_dir.filePath(QStringLiteral("run/requests.csv")));
    QVERIFY(csv.open(QIODevice::ReadOnly));
    const QByteArray rows = csv.readAll();
    QVERIFY(rows.contains(",auth_error,HTTP 401: Incorrect API key provided."));
    QVERIFY(rows.contains(",ok,"));

    // The whole key, its secret tail, and its UTF-16 form (a QString dumped raw) in any file left behind.
    QList<QByteArray> needles;
    for (const QByteArray &key : {goodKey, wrongKey}) {
        needles << key << key.mid(12);
        needles << QByteArray(reinterpret_cast<const char *>(QString::fromLatin1(key).utf16()), key.size() * 2);
    }
    int files = 0;
    QDirIterator it(m_dir.path(), QDir::Files | QDir::Hidden, QDirIterator::Subdirectories);
    while (it.hasNext()) {
        const QString path = it.next();
        if (path == campaignPath)
            continue; // holds only the variable names, checked below
        QFile artefact(path);
        QVERIFY2(artefact.open(QIODevice::ReadOnly), qPrintable(path));
        const QByteArray bytes = artefact.readAll();
        for (const QByteArray &needle : needles)
            QVERIFY2(!bytes.contains(needle), qPrintable(path + QStringLiteral(" holds a key")));
        ++files;
    }
    qInfo("%d files checked", files);
    QVERIFY(files >= 8); // requests.csv, summary.json, history.sqlite (+ -wal), export, printed output
    // The saved campaign names the variables (api_key_env), never their values.
    QFile saved(campaignPath);
    QVERIFY(saved.open(QIODevice::ReadOnly));
    const QByteArray savedBytes = saved.readAll();
    QVERIFY(savedBytes.contains("RB_SECRET_GOOD") && !savedBytes.contains(goodKey) && !savedBytes.contains(wrongKey));
}

QTEST_GUILESS_MAIN(TestSecrets)
#include "tst_secrets.moc"
