#include "app/chartimage.h"
#include "app/exportdialog.h"
#include "app/htmlreport.h"
#include "app/latencyhistogramchart.h"
#include "app/ratecharts.h"
#include "app/runexporter.h"

#include "campaign/campaignloader.h"
#include "engine/runcontroller.h"
#include "pricing/pricecatalog.h"
#include "storage/csvfilesink.h"
#include "storage/summaryfile.h"

#include <QApplication>
#include <QCheckBox>
#include <QDialogButtonBox>
#include <QDir>
#include <QFile>
#include <QImage>
#include <QJsonArray>
#include <QJsonDocument>
#include <QLineEdit>
#include <QListWidget>
#include <QMessageBox>
#include <QProcess>
#include <QPushButton>
#include <QRegularExpression>
#include <QSet>
#include <QSettings>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>
#include <QXmlStreamReader>

#include <memory>

using namespace relaybench;

// Export of a run from the window: the same requests.csv and summary.json as `relaybench run --out` (a real
// CLI process runs the same campaign file), chart images, and a self-contained, escaped HTML report.
class TestExport : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void csvAndSummaryMatchTheCli();
    void chartImagesHaveTheRequestedSize();
    void reportIsSelfContainedAndEscaped();
    void readOnlyFolderFailsNamingIt();
    void runWithoutFolderFailsNamingTheFile();
    void dialogRemembersChoicesAndAsksBeforeReplacing();

private:
    QList<NamedChart> charts() const;

    QTemporaryDir m_dir;
    QString m_campaignPath;
    RunResult m_run;
    QString m_cliDir;
    std::unique_ptr<LatencyHistogramChart> m_histogram;
    std::unique_ptr<ThroughputChart> m_throughput;
};

namespace {

const QString hostileName = QStringLiteral("<b>&\"x\"");
const QString secretKey = QStringLiteral("sk-export-test-9d2e7b-secret");
const QString secretHeaderValue = QStringLiteral("hunter2-header-secret");
const QString keyVariable = QStringLiteral("RELAYBENCH_EXPORT_TEST_KEY");

QByteArray readAll(const QString &path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

// RFC 4180: quoted fields may hold commas, quotes ("") and line breaks.
QList<QStringList> parseCsv(const QString &text)
{
    QList<QStringList> rows;
    QStringList row;
    QString field;
    bool quoted = false;
    for (qsizetype i = 0; i < text.size(); ++i) {
        const QChar c = text.at(i);
        if (quoted) {
            if (c == QLatin1Char('"') && i + 1 < text.size() && text.at(i + 1) == QLatin1Char('"')) {
                field += c;
                ++i;
            } else if (c == QLatin1Char('"')) {
                quoted = false;
            } else {
                field += c;
            }
        } else if (c == QLatin1Char('"')) {
            quoted = true;
        } else if (c == QLatin1Char(',')) {
            row << field;
            field.clear();
        } else if (c == QLatin1Char('\n')) {
            if (field.endsWith(QLatin1Char('\r')))
                field.chop(1);
            row << field;
            rows << row;
            row.clear();
            field.clear();
        } else {
            field += c;
        }
    }
    if (!field.isEmpty() || !row.isEmpty())
        rows << (row << field);
    return rows;
}

// Every key path of a JSON value: objects by key, arrays by "[]" (the union over their elements).
void collectKeys(const QJsonValue &value, const QString &prefix, QSet<QString> *keys)
{
    if (value.isObject()) {
        const QJsonObject object = value.toObject();
        for (auto it = object.begin(); it != object.end(); ++it) {
            const QString path = prefix.isEmpty() ? it.key() : QString(prefix % QLatin1Char('.') % it.key());
            keys->insert(path);
            collectKeys(it.value(), path, keys);
        }
    } else if (value.isArray()) {
        for (const QJsonValue &element : value.toArray())
            collectKeys(element, prefix + QStringLiteral("[]"), keys);
    }
}

QSet<QString> keysOf(const QString &path)
{
    QSet<QString> keys;
    collectKeys(QJsonDocument::fromJson(readAll(path)).object(), QString(), &keys);
    return keys;
}

} // namespace

void TestExport::initTestCase()
{
    QVERIFY(m_dir.isValid());
    if (qEnvironmentVariableIsSet("RELAYBENCH_KEEP_TEST_FILES")) { // to look at the exported files
        m_dir.setAutoRemove(false);
        qInfo("files in %s", qPrintable(m_dir.path()));
    }
    // Two in-process simulators; the second fails now and then (so there are outcome rows and error texts),
    // the first has a name that must be escaped, a key and a secret header.
    m_campaignPath = m_dir.filePath(QStringLiteral("campaign.json"));
    QFile campaignFile(m_campaignPath);
    QVERIFY(campaignFile.open(QIODevice::WriteOnly));
    campaignFile.write(
        QJsonDocument(
            QJsonObject{
                {QStringLiteral("name"), QStringLiteral("export <test>")},
                {QStringLiteral("targets"),
                 QJsonArray{QJsonObject{{QStringLiteral("name"), hostileName},
                                        {QStringLiteral("base_url"), QStringLiteral("sim://relay")},
                                        {QStringLiteral("model"), QStringLiteral("sim-model")},
                                        {QStringLiteral("api_key_env"), keyVariable},
                                        {QStringLiteral("headers"),
                                         QJsonObject{{QStringLiteral("X-Team-Token"), secretHeaderValue}}},
                                        {QStringLiteral("price"), QStringLiteral("deepseek-chat")}},
                            QJsonObject{{QStringLiteral("name"), QStringLiteral("flaky one")},
                                        {QStringLiteral("base_url"), QStringLiteral("sim://flaky")},
                                        {QStringLiteral("model"), QStringLiteral("sim-model")}}}},
                {QStringLiteral("load"),
                 QJsonObject{{QStringLiteral("concurrency"), 4}, {QStringLiteral("requests"), 24}}},
                {QStringLiteral("request"),
                 QJsonObject{{QStringLiteral("prompts"), QJsonArray{QStringLiteral("one"), QStringLiteral("two")}},
                             {QStringLiteral("max_tokens"), 8}}},
                {QStringLiteral("timeouts"), QJsonObject{{QStringLiteral("total_s"), 2}}},
            })
            .toJson());
    campaignFile.close();
    qputenv(keyVariable.toLatin1().constData(), secretKey.toLatin1());

    // The window's way: the loaded campaign on a RunController, requests.csv through CsvFileSink, summary.json
    // through writeSummaryFile.
    const CampaignLoadResult loaded = loadCampaignFile(m_campaignPath, PriceCatalog::shipped());
    QVERIFY2(loaded.campaign, qPrintable(loaded.errors.join(QLatin1Char('\n'))));
    m_run.campaign = *loaded.campaign;
    m_run.folder = m_dir.filePath(QStringLiteral("window-run"));
    QVERIFY(QDir().mkpath(m_run.folder));
    QStringList names;
    for (const Target &target : m_run.campaign.targets)
        names << target.name;
    CsvFileSink csv(QDir(m_run.folder).filePath(QStringLiteral("requests.csv")), names);
    QString error;
    QVERIFY2(csv.open(&error), qPrintable(error));
    RunController controller(m_run.campaign, {secretKey, QString()});
    controller.addSink(&csv);
    QSignalSpy finished(&controller, &RunController::finished);
    controller.start();
    QVERIFY(finished.wait(60000));
    QCOMPARE(finished.first().first().toString(), QString());
    csv.flush();
    m_run.summary = controller.summary();
    m_run.live = controller.snapshot();
    QVERIFY2(writeSummaryFile(QDir(m_run.folder).filePath(QStringLiteral("summary.json")), m_run.summary, &error),
             qPrintable(error));

    // The CLI's way, on the same file.
    m_cliDir = m_dir.filePath(QStringLiteral("cli-run"));
    QProcess cli;
    cli.start(QStringLiteral(RELAYBENCH_BINARY),
              {QStringLiteral("run"), m_campaignPath, QStringLiteral("--out"), m_cliDir, QStringLiteral("--quiet")});
    QVERIFY(cli.waitForFinished(60000));
    QVERIFY2(cli.exitCode() == 0 || cli.exitCode() == 1, cli.readAllStandardError().constData());

    m_histogram = std::make_unique<LatencyHistogramChart>();
    m_histogram->setTargets(names);
    m_histogram->update(m_run.live);
    m_histogram->resize(640, 400);
    m_histogram->show(); // one shown at a small size, one never shown: both export at the fixed size
    m_throughput = std::make_unique<ThroughputChart>();
    m_throughput->setTargets(names);
    m_throughput->update(m_run.live);
}

QList<NamedChart> TestExport::charts() const
{
    return {{QStringLiteral("Latency distribution"), m_histogram.get()},
            {QStringLiteral("Throughput"), m_throughput.get()}};
}

void TestExport::csvAndSummaryMatchTheCli()
{
    ExportOptions options;
    options.dir = m_dir.filePath(QStringLiteral("export-files"));
    QStringList written;
    QString error;
    QVERIFY2(RunExporter::exportRun(m_run, options, charts(), QString(), &written, &error), qPrintable(error));
    const QDir out(options.dir);
    QCOMPARE(written, QStringList({out.absoluteFilePath(QStringLiteral("requests.csv")),
                                   out.absoluteFilePath(QStringLiteral("summary.json")),
                                   out.absoluteFilePath(QStringLiteral("report.html"))}));

    // Copied byte for byte from the run folder.
    const QByteArray csv = readAll(out.filePath(QStringLiteral("requests.csv")));
    QCOMPARE(csv, readAll(QDir(m_run.folder).filePath(QStringLiteral("requests.csv"))));
    QCOMPARE(readAll(out.filePath(QStringLiteral("summary.json"))),
             readAll(QDir(m_run.folder).filePath(QStringLiteral("summary.json"))));

    // requests.csv: the CLI's header line, and as many columns on every row.
    const QByteArray cliCsv = readAll(QDir(m_cliDir).filePath(QStringLiteral("requests.csv")));
    QVERIFY(!cliCsv.isEmpty());
    QCOMPARE(csv.left(csv.indexOf('\n')), cliCsv.left(cliCsv.indexOf('\n')));
    const QList<QStringList> rows = parseCsv(QString::fromUtf8(csv));
    QCOMPARE(rows.size(), 1 + 48); // 24 requests per target, no retries
    const qsizetype columns = rows.first().size();
    QVERIFY(columns > 10);
    for (const QStringList &row : rows)
        QCOMPARE(row.size(), columns);
    for (const QStringList &row : parseCsv(QString::fromUtf8(cliCsv)))
        QCOMPARE(row.size(), columns);
    QVERIFY(csv.contains(hostileName.toUtf8().replace("\"", "\"\""))); // quoted, quotes doubled

    // summary.json: the same keys, at every depth.
    const QSet<QString> keys = keysOf(out.filePath(QStringLiteral("summary.json")));
    const QSet<QString> cliKeys = keysOf(QDir(m_cliDir).filePath(QStringLiteral("summary.json")));
    QVERIFY(keys.contains(QStringLiteral("targets[].latency_ms.p99")));
    QCOMPARE(keys, cliKeys);
}

void TestExport::chartImagesHaveTheRequestedSize()
{
    ExportOptions options;
    options.dir = m_dir.filePath(QStringLiteral("export-images"));
    options.requestsCsv = options.summaryJson = options.htmlReport = false;
    options.chartsPng = options.chartsSvg = true;
    QStringList written;
    QString error;
    QVERIFY2(RunExporter::exportRun(m_run, options, charts(), QString(), &written, &error), qPrintable(error));
    QCOMPARE(written.size(), 4);
    const QDir out(options.dir);
    const QSize pixels = chartimage::defaultSize * chartimage::devicePixelRatio;
    for (const QString &stem : {QStringLiteral("latency-distribution"), QStringLiteral("throughput")}) {
        QImage image;
        QVERIFY2(image.load(out.filePath(stem + QStringLiteral(".png"))), qPrintable(stem));
        QCOMPARE(image.size(), pixels);
        // Not a blank page: the chart's lines and text are there.
        QSet<QRgb> colours;
        for (int y = 0; y < image.height(); y += 7)
            for (int x = 0; x < image.width(); x += 7)
                colours.insert(image.pixel(x, y));
        QVERIFY2(colours.size() > 10, qPrintable(stem));

        QFile svg(out.filePath(stem + QStringLiteral(".svg")));
        QVERIFY(svg.open(QIODevice::ReadOnly));
        QXmlStreamReader xml(&svg);
        QVERIFY(xml.readNextStartElement());
        QCOMPARE(xml.name(), QLatin1String("svg"));
        while (!xml.atEnd())
            xml.readNext();
        QVERIFY2(!xml.hasError(), qPrintable(xml.errorString()));
    }
    // The shown view keeps its own size.
    QCOMPARE(m_histogram->size(), QSize(640, 400));
    QCOMPARE(m_histogram->chart()->size().toSize(), m_histogram->viewport()->size());
}

void TestExport::reportIsSelfContainedAndEscaped()
{
    const QString extra = QStringLiteral("<table id=\"compare\"><tr><td>compared</td></tr></table>");
    const QString html = buildHtmlReport(m_run, charts(), extra);
    QVERIFY(html.startsWith(QLatin1String("<!DOCTYPE html>")));
    QVERIFY(html.contains(extra));

    // No reference outside the file: every src/href is a data: URI, no CSS url(), no @import.
    static const QRegularExpression reference(QStringLiteral("\\b(src|href)\\s*=\\s*[\"']?([^\"'\\s>]*)"),
                                              QRegularExpression::CaseInsensitiveOption);
    int images = 0;
    for (auto it = reference.globalMatch(html); it.hasNext();) {
        const QRegularExpressionMatch match = it.next();
        QVERIFY2(match.captured(2).startsWith(QLatin1String("data:")), qPrintable(match.captured(0).left(80)));
        if (match.captured(2).startsWith(QLatin1String("data:image/png;base64,"))) {
            QImage image;
            QVERIFY(image.loadFromData(QByteArray::fromBase64(match.captured(2).mid(22).toLatin1()), "PNG"));
            QCOMPARE(image.size(), chartimage::defaultSize * chartimage::devicePixelRatio);
            ++images;
        }
    }
    QCOMPARE(images, 2);
    QVERIFY(!html.contains(QLatin1String("url(")));
    QVERIFY(!html.contains(QLatin1String("@import")));
    QVERIFY(!html.contains(QLatin1String("http://")));
    QVERIFY(!html.contains(QLatin1String("https://")));

    // User and server text escaped; no key, key variable or header value.
    QVERIFY(!html.contains(hostileName));
    QVERIFY(html.contains(QStringLiteral("&lt;b&gt;&amp;&quot;x&quot;")));
    QVERIFY(html.contains(QStringLiteral("export &lt;test&gt;")));
    QVERIFY(html.contains(QStringLiteral("flaky one")));
    QVERIFY(!html.contains(secretKey));
    QVERIFY(!html.contains(keyVariable));
    QVERIFY(!html.contains(secretHeaderValue));
    QVERIFY(html.contains(QStringLiteral("X-Team-Token"))); // the header's name is no secret
    // The tables: one row per target with its figures, and the outcomes.
    QVERIFY(html.contains(QStringLiteral("TTFT p95 (ms)")));
    QVERIFY(html.contains(QStringLiteral("<td>ok</td>")));
    QVERIFY(html.contains(QStringLiteral("sim://relay")));
    QVERIFY(html.contains(QStringLiteral("ran to the end")));
}

void TestExport::readOnlyFolderFailsNamingIt()
{
    QString folder = m_dir.filePath(QStringLiteral("read-only"));
    QVERIFY(QDir().mkpath(folder));
    QVERIFY(QFile::setPermissions(folder, QFileDevice::ReadOwner | QFileDevice::ExeOwner | QFileDevice::ReadGroup |
                                              QFileDevice::ExeGroup | QFileDevice::ReadOther | QFileDevice::ExeOther));
    {
        QFile probe(QDir(folder).filePath(QStringLiteral("probe")));
        if (probe.open(QIODevice::WriteOnly)) {
            // Root ignores permissions: /proc/self is a folder that nobody can write a file into.
            probe.close();
            probe.remove();
            folder = QStringLiteral("/proc/self");
        }
    }
    ExportOptions options;
    options.dir = folder;
    options.chartsPng = true;
    QStringList written;
    QString error;
    QVERIFY(!RunExporter::exportRun(m_run, options, charts(), QString(), &written, &error));
    QVERIFY(written.isEmpty());
    QVERIFY2(error.contains(QDir::toNativeSeparators(QDir(folder).absolutePath())), qPrintable(error));
    QVERIFY2(error.contains(QLatin1String("requests.csv")), qPrintable(error));
    QVERIFY(!QFile::exists(QDir(folder).filePath(QStringLiteral("requests.csv"))));
    QFile::setPermissions(m_dir.filePath(QStringLiteral("read-only")),
                          QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ExeOwner);
}

void TestExport::runWithoutFolderFailsNamingTheFile()
{
    RunResult run = m_run;
    run.folder = m_dir.filePath(QStringLiteral("no-such-run"));
    ExportOptions options;
    options.dir = m_dir.filePath(QStringLiteral("export-missing"));
    QString error;
    QVERIFY(!RunExporter::exportRun(run, options, {}, QString(), nullptr, &error));
    QVERIFY2(error.contains(QDir::toNativeSeparators(QDir(run.folder).filePath(QStringLiteral("requests.csv")))),
             qPrintable(error));
    QVERIFY(!QFile::exists(QDir(options.dir).filePath(QStringLiteral("requests.csv"))));
}

void TestExport::dialogRemembersChoicesAndAsksBeforeReplacing()
{
    QSettings().remove(QStringLiteral("export"));
    const QString folder = m_dir.filePath(QStringLiteral("export-dialog"));
    QVERIFY(QDir().mkpath(folder));
    const QStringList titles{QStringLiteral("Latency over time"), QStringLiteral("Throughput")};
    {
        ExportDialog dialog(titles);
        const ExportOptions defaults = dialog.options();
        QVERIFY(defaults.requestsCsv && defaults.summaryJson && defaults.htmlReport);
        QVERIFY(!defaults.chartsPng && !defaults.chartsSvg);
        QCOMPARE(dialog.selectedCharts(), QList<int>({0, 1}));

        dialog.findChild<QLineEdit *>(QStringLiteral("folderEdit"))->setText(folder);
        dialog.findChild<QCheckBox *>(QStringLiteral("chartsPngCheck"))->setChecked(true);
        dialog.findChild<QCheckBox *>(QStringLiteral("summaryJsonCheck"))->setChecked(false);
        dialog.findChild<QListWidget *>(QStringLiteral("chartList"))->item(0)->setCheckState(Qt::Unchecked);
        const ExportOptions chosen = dialog.options();
        QCOMPARE(chosen.dir, folder);
        QVERIFY(chosen.chartsPng && !chosen.summaryJson && chosen.requestsCsv);
        QCOMPARE(dialog.selectedCharts(), QList<int>({1}));
        QVERIFY(dialog.existingFiles().isEmpty());

        // Two of the files it would write are there already: it asks, and "No" keeps the dialog open.
        for (const QString &name : {QStringLiteral("requests.csv"), QStringLiteral("throughput.png")}) {
            QFile file(QDir(folder).filePath(name));
            QVERIFY(file.open(QIODevice::WriteOnly));
        }
        QCOMPARE(dialog.existingFiles().size(), 2);
        dialog.show();
        QString question;
        const auto answer = [&question](QMessageBox::StandardButton button) {
            QTimer::singleShot(0, qApp, [&question, button] {
                auto *box = qobject_cast<QMessageBox *>(QApplication::activeModalWidget());
                if (!box)
                    return;
                question = box->text();
                box->button(button)->click();
            });
        };
        answer(QMessageBox::No);
        dialog.accept();
        QVERIFY2(question.contains(QLatin1String("throughput.png")), qPrintable(question));
        QVERIFY(dialog.isVisible());
        QCOMPARE(dialog.result(), int(QDialog::Rejected));
        answer(QMessageBox::Yes);
        dialog.accept();
        QCOMPARE(dialog.result(), int(QDialog::Accepted));
    }
    // The next dialog starts from the last choices.
    ExportDialog again(titles);
    QCOMPARE(again.options().dir, folder);
    QVERIFY(again.options().chartsPng);
    QVERIFY(!again.options().summaryJson);
    QCOMPARE(again.selectedCharts(), QList<int>({1}));
}

QTEST_MAIN(TestExport)
#include "tst_export.moc"
