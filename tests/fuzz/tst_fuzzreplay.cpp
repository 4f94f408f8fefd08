#include "fuzzentries.h"

#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QTest>

// Every fuzz corpus input and every kept crash input (tests/fuzz/corpus/TARGET, tests/fuzz/regressions/
// TARGET) through its entry function, in every ordinary build: a fixed crash stays fixed.
class TestFuzzReplay : public QObject
{
    Q_OBJECT

private slots:
    void replay_data();
    void replay();
};

void TestFuzzReplay::replay_data()
{
    QTest::addColumn<int>("entry");
    QTest::addColumn<QString>("file");
    int inputs = 0;
    for (int i = 0; i < int(std::size(relaybench::fuzz::entries)); ++i) {
        const QString name = QLatin1String(relaybench::fuzz::entries[i].name);
        for (const char *kind : {"corpus", "regressions"}) {
            const QString dir = QStringLiteral(RELAYBENCH_FUZZ_DIR "/") + QLatin1String(kind) + QLatin1Char('/') + name;
            QDirIterator it(dir, QDir::Files);
            while (it.hasNext()) {
                const QString file = it.next();
                QTest::addRow("%s %s/%s", qPrintable(name), kind, qPrintable(QFileInfo(file).fileName())) << i << file;
                ++inputs;
            }
        }
    }
    if (inputs == 0)
        qFatal("no fuzz inputs found under %s", RELAYBENCH_FUZZ_DIR);
}

void TestFuzzReplay::replay()
{
    QFETCH(int, entry);
    QFETCH(QString, file);
    QFile input(file);
    QVERIFY2(input.open(QIODevice::ReadOnly), qPrintable(file));
    const QByteArray bytes = input.readAll();
    QCOMPARE(relaybench::fuzz::entries[entry].entry(reinterpret_cast<const uint8_t *>(bytes.constData()),
                                                    size_t(bytes.size())),
             0);
}

QTEST_GUILESS_MAIN(TestFuzzReplay)
#include "tst_fuzzreplay.moc"
