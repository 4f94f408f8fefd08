#include "historycommand.h"

#include "commandline.h"

#include "history/runcomparison.h"
#include "history/runstore.h"
#include "history/storedrunexport.h"

#include <QCommandLineParser>
#include <QJsonArray>
#include <QJsonDocument>

#include <cmath>

namespace relaybench::cli {

namespace {

const QString command = QStringLiteral("history");

QJsonArray summaryTargets(const RecordedRun &run)
{
    return run.summary.value(QLatin1String("targets")).toArray();
}

qint64 requestCount(const RecordedRun &run)
{
    qint64 total = 0;
    for (const QJsonValue &target : summaryTargets(run))
        total += qint64(target.toObject().value(QLatin1String("requests")).toDouble());
    return total;
}

QStringList targetNames(const RecordedRun &run)
{
    QStringList names;
    for (const RecordedTarget &target : run.targets)
        names.append(target.name);
    return names;
}

QJsonObject targetNamed(const RecordedRun &run, const QString &name)
{
    for (const QJsonValue &value : summaryTargets(run)) {
        if (value.toObject().value(QLatin1String("name")).toString() == name)
            return value.toObject();
    }
    return {};
}

QJsonObject runJson(const RecordedRun &run)
{
    QJsonArray targets;
    for (const RecordedTarget &target : run.targets)
        targets.append(QJsonObject{{QStringLiteral("name"), target.name},
                                   {QStringLiteral("model"), target.model},
                                   {QStringLiteral("base_url"), target.baseUrl}});
    return QJsonObject{
        {QStringLiteral("id"), run.id},
        {QStringLiteral("kind"), run.kind},
        {QStringLiteral("campaign"), run.campaignName},
        {QStringLiteral("started_at"), run.startedAt},
        {QStringLiteral("ended_at"), run.endedAt.isEmpty() ? QJsonValue() : QJsonValue(run.endedAt)},
        {QStringLiteral("state"), run.state},
        {QStringLiteral("stop_reason"), run.stopReason.isEmpty() ? QJsonValue() : QJsonValue(run.stopReason)},
        {QStringLiteral("attempts"), run.attempts},
        {QStringLiteral("requests"), run.summary.isEmpty() ? QJsonValue() : QJsonValue(requestCount(run))},
        {QStringLiteral("targets"), targets},
    };
}

bool openStore(RunStore *store)
{
    QString error;
    if (store->open(RunStore::defaultPath(), &error))
        return true;
    printErr(QStringLiteral("relaybench history: ") + error + QLatin1Char('\n'));
    return false;
}

bool findRun(RunStore &store, const QString &idText, RecordedRun *run)
{
    bool ok = false;
    const qint64 id = idText.toLongLong(&ok);
    QString error;
    if (!ok || !store.run(id, run, &error)) {
        printErr(QStringLiteral("relaybench history: ") +
                 (ok ? error : QStringLiteral("\"%1\" is not a run id (see relaybench history list)").arg(idText)) +
                 QLatin1Char('\n'));
        return false;
    }
    return true;
}

int list(RunStore &store, bool json)
{
    QString error;
    const QList<RecordedRun> runs = store.runs(&error);
    if (!error.isEmpty()) {
        printErr(QStringLiteral("relaybench history: ") + error + QLatin1Char('\n'));
        return ExitUsage;
    }
    if (json) {
        QJsonArray array;
        for (const RecordedRun &run : runs)
            array.append(runJson(run));
        printOut(QString::fromUtf8(QJsonDocument(array).toJson(QJsonDocument::Indented)));
        return ExitOk;
    }
    QString text = QStringLiteral("%1 %2 %3 %4 %5 %6\n")
                       .arg(QStringLiteral("id"), 5)
                       .arg(QStringLiteral("started"), -29)
                       .arg(QStringLiteral("state"), -11)
                       .arg(QStringLiteral("attempts"), 9)
                       .arg(QStringLiteral("campaign"), -20)
                       .arg(QStringLiteral("targets"));
    for (const RecordedRun &run : runs)
        text += QStringLiteral("%1 %2 %3 %4 %5 %6\n")
                    .arg(run.id, 5)
                    .arg(run.startedAt, -29)
                    .arg(run.state, -11)
                    .arg(run.attempts, 9)
                    .arg(run.campaignName, -20)
                    .arg(targetNames(run).join(QStringLiteral(", ")));
    printOut(text);
    return ExitOk;
}

QString metricCell(const QJsonObject &target, const char *group, const char *key)
{
    const QJsonValue value = target.value(QLatin1String(group)).toObject().value(QLatin1String(key));
    return value.isDouble() ? QString::number(value.toDouble(), 'f', 1) : QStringLiteral("-");
}

int show(RunStore &store, const QString &id)
{
    RecordedRun run;
    if (!findRun(store, id, &run))
        return ExitUsage;
    QString text = QStringLiteral("run %1: %2\n").arg(run.id).arg(run.campaignName);
    text += QStringLiteral("  state:     %1%2\n")
                .arg(run.state, run.stopReason.isEmpty() ? QString() : QStringLiteral(" (%1)").arg(run.stopReason));
    text += QStringLiteral("  started:   %1\n  ended:     %2\n  attempts:  %3 recorded\n")
                .arg(run.startedAt, run.endedAt.isEmpty() ? QStringLiteral("-") : run.endedAt)
                .arg(run.attempts);
    text += QStringLiteral("  targets:\n");
    for (const RecordedTarget &target : run.targets)
        text += QStringLiteral("    %1  %2  %3\n").arg(target.name, target.model, target.baseUrl);
    if (run.summary.isEmpty()) {
        text += QStringLiteral("  no summary: the run did not finish (relaybench history export writes its "
                               "requests.csv and a summary.json computed from its attempts)\n");
        printOut(text);
        return ExitOk;
    }
    text += QStringLiteral("\n%1 %2 %3 %4 %5 %6 %7\n")
                .arg(QStringLiteral("target"), -16)
                .arg(QStringLiteral("requests"), 9)
                .arg(QStringLiteral("success"), 8)
                .arg(QStringLiteral("p50 ms"), 9)
                .arg(QStringLiteral("p95 ms"), 9)
                .arg(QStringLiteral("TTFT p50"), 9)
                .arg(QStringLiteral("cost $"), 10);
    for (const QJsonValue &value : summaryTargets(run)) {
        const QJsonObject t = value.toObject();
        const QJsonValue rate = t.value(QLatin1String("success_rate"));
        text += QStringLiteral("%1 %2 %3 %4 %5 %6 %7\n")
                    .arg(t.value(QLatin1String("name")).toString(), -16)
                    .arg(qint64(t.value(QLatin1String("requests")).toDouble()), 9)
                    .arg(rate.isDouble() ? QString::number(rate.toDouble() * 100.0, 'f', 1) + QLatin1Char('%')
                                         : QStringLiteral("-"),
                         8)
                    .arg(metricCell(t, "latency_ms", "p50"), 9)
                    .arg(metricCell(t, "latency_ms", "p95"), 9)
                    .arg(metricCell(t, "ttft_ms", "p50"), 9)
                    .arg(t.value(QLatin1String("cost_usd")).toDouble(), 10, 'f', 4);
    }
    printOut(text);
    return ExitOk;
}

int exportRun(RunStore &store, const QString &id, const QString &dir)
{
    RecordedRun run;
    if (!findRun(store, id, &run))
        return ExitUsage;
    QString error;
    if (!exportStoredRun(store.path(), run.id, dir, &error))
        return usageError(command, error);
    if (run.summary.isEmpty())
        printErr(QStringLiteral("relaybench history: run %1 is %2: its summary.json was computed from the stored "
                                "attempts (see docs/history.md)\n")
                     .arg(run.id)
                     .arg(run.state));
    return ExitOk;
}

int deleteRun(RunStore &store, const QString &id)
{
    RecordedRun run;
    if (!findRun(store, id, &run))
        return ExitUsage;
    QString error;
    if (!store.deleteRun(run.id, &error)) {
        printErr(QStringLiteral("relaybench history: ") + error + QLatin1Char('\n'));
        return ExitUsage;
    }
    printOut(QStringLiteral("deleted run %1 (%2, %3 attempts)\n").arg(run.id).arg(run.campaignName).arg(run.attempts));
    return ExitOk;
}

QString number(double value, char format, int precision)
{
    return std::isnan(value) ? QStringLiteral("-") : QString::number(value, format, precision);
}

// "better" / "worse" when the change can be told from noise; "~" and the reason when it cannot.
QString verdict(const MetricChange &change)
{
    if (change.tooFewSamples)
        return QStringLiteral("~ ") + change.why;
    if (change.change == 0.0)
        return {};
    return (change.change < 0.0) == change.lowerIsBetter ? QStringLiteral("better") : QStringLiteral("worse");
}

int compare(RunStore &store, const QString &firstId, const QString &secondId)
{
    RecordedRun first;
    RecordedRun second;
    if (!findRun(store, firstId, &first) || !findRun(store, secondId, &second))
        return ExitUsage;
    for (const RecordedRun *run : {&first, &second}) {
        if (run->summary.isEmpty()) {
            printErr(QStringLiteral("relaybench history: run %1 is %2 and has no summary to compare (relaybench "
                                    "history export computes one from its attempts)\n")
                         .arg(run->id)
                         .arg(run->state));
            return ExitUsage;
        }
    }
    QString text = QStringLiteral("run %1 (%2, %3) -> run %4 (%5, %6)\n")
                       .arg(first.id)
                       .arg(first.campaignName, first.startedAt)
                       .arg(second.id)
                       .arg(second.campaignName, second.startedAt);
    const QList<MetricChange> changes = compareRuns(first, second);
    QString target;
    for (const MetricChange &change : changes) {
        if (change.target != target) {
            target = change.target;
            const qint64 requestsBefore =
                qint64(targetNamed(first, target).value(QLatin1String("requests")).toDouble());
            const qint64 requestsAfter =
                qint64(targetNamed(second, target).value(QLatin1String("requests")).toDouble());
            text +=
                QStringLiteral("\ntarget %1: %2 -> %3 requests\n").arg(target).arg(requestsBefore).arg(requestsAfter);
            text += QStringLiteral("  %1 %2 %3 %4 %5 %6  %7\n")
                        .arg(QStringLiteral("metric"), -36)
                        .arg(QStringLiteral("unit"), -6)
                        .arg(QStringLiteral("run %1").arg(first.id), 14)
                        .arg(QStringLiteral("run %1").arg(second.id), 14)
                        .arg(QStringLiteral("change"), 14)
                        .arg(QStringLiteral("%"), 9)
                        .arg(QStringLiteral("verdict"));
        }
        const QString percent = std::isnan(change.changePercent)
                                    ? QStringLiteral("-")
                                    : QString::number(change.changePercent, 'f', 1) + QLatin1Char('%');
        text += QStringLiteral("  %1 %2 %3 %4 %5 %6  %7\n")
                    .arg(change.metric, -36)
                    .arg(change.unit, -6)
                    .arg(number(change.before, 'g', 8), 14)
                    .arg(number(change.after, 'g', 8), 14)
                    .arg(number(change.change, 'g', 6), 14)
                    .arg(percent, 9)
                    .arg(verdict(change));
    }
    if (changes.isEmpty())
        text += QStringLiteral("\nthe two runs share no target (targets are matched by name)\n");
    else
        text += QStringLiteral("\n~: the change cannot be told from sampling noise (docs/history.md, "
                               "\"Comparing runs\")\n");
    printOut(text);
    return ExitOk;
}

} // namespace

int runHistoryCommand(const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(
        QStringLiteral("The run history: every `relaybench run` (unless --no-history) is recorded in\n"
                       "DATA/history.sqlite (DATA: relaybench --data-dir DIR, else $RELAYBENCH_DATA_DIR, else\n"
                       "~/.local/share/RelayBench/RelayBench; see docs/history.md).\n"
                       "  list [--json]          every recorded run\n"
                       "  show ID                one run: state, targets, summary table\n"
                       "  export ID --out DIR    DIR/requests.csv and DIR/summary.json, as `relaybench run` writes\n"
                       "                         (an interrupted run: summary computed from its attempts)\n"
                       "  compare ID1 ID2        each summary metric of each shared target in both runs, the\n"
                       "                         change, and whether it can be told from sampling noise\n"
                       "  delete ID              remove a run and its attempts"));
    parser.addHelpOption();
    parser.addPositionalArgument(QStringLiteral("ACTION"), QStringLiteral("list, show, export, compare or delete."));
    const QCommandLineOption json(QStringLiteral("json"), QStringLiteral("list: JSON instead of a table."));
    const QCommandLineOption out(QStringLiteral("out"), QStringLiteral("export: the output folder."),
                                 QStringLiteral("DIR"));
    parser.addOptions({json, out});
    if (!parser.parse(arguments))
        return usageError(command, parser.errorText());
    if (parser.isSet(QStringLiteral("help"))) {
        printOut(parser.helpText());
        return ExitOk;
    }
    const QStringList args = parser.positionalArguments();
    const QString action = args.value(0);
    const auto needs = [&](qsizetype count, const QString &usage) {
        if (args.size() == count)
            return true;
        usageError(command, QStringLiteral("usage: relaybench history ") + usage);
        return false;
    };
    if (action == QLatin1String("list")) {
        if (!needs(1, QStringLiteral("list [--json]")))
            return ExitUsage;
    } else if (action == QLatin1String("show")) {
        if (!needs(2, QStringLiteral("show ID")))
            return ExitUsage;
    } else if (action == QLatin1String("export")) {
        if (!needs(2, QStringLiteral("export ID --out DIR")))
            return ExitUsage;
        if (parser.value(out).isEmpty())
            return usageError(command, QStringLiteral("export: --out DIR is required"));
    } else if (action == QLatin1String("compare")) {
        if (!needs(3, QStringLiteral("compare ID1 ID2")))
            return ExitUsage;
    } else if (action == QLatin1String("delete")) {
        if (!needs(2, QStringLiteral("delete ID")))
            return ExitUsage;
    } else {
        return usageError(
            command, action.isEmpty()
                         ? QStringLiteral("needs an action: list, show, export, compare or delete")
                         : QStringLiteral("unknown action \"%1\" (list, show, export, compare, delete)").arg(action));
    }

    RunStore store;
    if (!openStore(&store))
        return ExitUsage;
    if (action == QLatin1String("list"))
        return list(store, parser.isSet(json));
    if (action == QLatin1String("show"))
        return show(store, args.at(1));
    if (action == QLatin1String("export"))
        return exportRun(store, args.at(1), parser.value(out));
    if (action == QLatin1String("delete"))
        return deleteRun(store, args.at(1));
    return compare(store, args.at(1), args.at(2));
}

} // namespace relaybench::cli
