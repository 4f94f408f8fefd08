// How long loadStoredRun takes for one recorded run: what the window waits for when it reopens a run from
// the history (requirement: under 2 s for 1,000,000 attempts). Used by bench/history-record.sh.
//
//   relaybench-history-bench DATABASE RUN_ID [REPEATS]
//
// Prints one JSON line per repetition: {"ms": wall time of loadStoredRun, "attempts": attempts in the
// rebuilt live snapshot, "targets": N}. Exit code 1 when the run cannot be loaded.
#include "history/storedrun.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QJsonDocument>
#include <QJsonObject>

#include <cstdio>

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    const QStringList args = QCoreApplication::arguments();
    if (args.size() < 3) {
        std::fputs("usage: relaybench-history-bench DATABASE RUN_ID [REPEATS]\n", stderr);
        return 2;
    }
    const qint64 runId = args.at(2).toLongLong();
    const int repeats = args.size() > 3 ? std::max(1, args.at(3).toInt()) : 1;
    for (int i = 0; i < repeats; ++i) {
        relaybench::RunResult result;
        QString error;
        QElapsedTimer timer;
        timer.start();
        if (!relaybench::loadStoredRun(args.at(1), runId, &result, &error)) {
            std::fprintf(stderr, "relaybench-history-bench: %s\n", qUtf8Printable(error));
            return 1;
        }
        const qint64 ms = timer.elapsed();
        qint64 attempts = 0;
        for (const relaybench::LiveTarget &target : std::as_const(result.live.targets))
            attempts += target.attempts;
        const QJsonObject line{{QStringLiteral("ms"), ms},
                               {QStringLiteral("attempts"), attempts},
                               {QStringLiteral("targets"), qint64(result.live.targets.size())}};
        std::printf("%s\n", QJsonDocument(line).toJson(QJsonDocument::Compact).constData());
    }
    return 0;
}
