#include "costcommand.h"

#include "commandline.h"

#include "pricing/costmodel.h"
#include "pricing/costrowsformat.h"
#include "pricing/userpricecatalog.h"
#include "pricing/workloadfile.h"

#include <QCommandLineParser>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <cmath>

namespace relaybench::cli {

namespace {

const QString command = QStringLiteral("cost");

QString asTable(const QList<CostRow> &rows, const QString &baseline, const Currency &currency)
{
    const QString unit = currency.code;
    const auto money = [&](const std::optional<double> &usd) {
        return usd ? formatMoney(*usd, currency) : QStringLiteral("-");
    };
    QString text =
        QStringLiteral("%1 %2 %3 %4 %5 %6 %7\n")
            .arg(QStringLiteral("model"), -20)
            .arg(QStringLiteral("plan"), -12)
            .arg(QStringLiteral("monthly ") + unit, 14)
            .arg(QStringLiteral("annual ") + unit, 14)
            .arg(QStringLiteral("per M output"), 13)
            .arg(QStringLiteral("per 1k req"), 11)
            .arg(baseline.isEmpty() ? QStringLiteral("savings") : QString(QStringLiteral("vs ") + baseline), 12);
    for (const CostRow &row : rows) {
        text +=
            QStringLiteral("%1 %2 %3 %4 %5 %6 %7\n")
                .arg(row.model, -20)
                .arg(row.plan, -12)
                .arg(formatMoney(row.monthlyUsd, currency), 14)
                .arg(formatMoney(row.annualUsd, currency), 14)
                .arg(money(row.effectiveUsdPerMtokOutput), 13)
                .arg(money(row.costPer1kRequestsUsd), 11)
                .arg(row.savingsPct ? QString::number(*row.savingsPct, 'f', 2) + QLatin1Char('%') : QStringLiteral("-"),
                     12);
    }
    text += QStringLiteral("\nWorking:\n");
    for (const CostRow &row : rows) {
        text += QStringLiteral("%1 (%2):\n").arg(row.model, row.plan);
        text += QStringLiteral("  monthly:\n");
        for (const QString &line : row.monthlyWorking)
            text += QStringLiteral("    ") + line + QLatin1Char('\n');
        text += QStringLiteral("  annual: ") + row.annualWorking + QLatin1Char('\n');
        if (!row.effectiveWorking.isEmpty())
            text += QStringLiteral("  per M output: ") + row.effectiveWorking + QLatin1Char('\n');
        if (!row.per1kWorking.isEmpty())
            text += QStringLiteral("  per 1k requests: ") + row.per1kWorking + QLatin1Char('\n');
        if (!row.savingsWorking.isEmpty())
            text += QStringLiteral("  savings: ") + row.savingsWorking + QLatin1Char('\n');
    }
    return text;
}

} // namespace

int runCostCommand(const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(
        QStringLiteral("Compares what a workload costs a month and a year on each model, directly and through\n"
                       "each plan, from the price catalogue (shipped, your own entries, and the workload's\n"
                       "\"catalog\"). WORKLOAD.json format, plans and every formula: docs/cost.md."));
    parser.addHelpOption();
    parser.addPositionalArgument(QStringLiteral("WORKLOAD.json"), QStringLiteral("The workload to price."));
    const QCommandLineOption format(QStringLiteral("format"), QStringLiteral("table (default), csv or json."),
                                    QStringLiteral("FORMAT"), QStringLiteral("table"));
    const QCommandLineOption currencyOption(QStringLiteral("currency"),
                                            QStringLiteral("Display currency of the table: USD (default) or CNY."),
                                            QStringLiteral("CODE"), QStringLiteral("USD"));
    const QCommandLineOption rate(QStringLiteral("rate"),
                                  QStringLiteral("CNY per US dollar for --currency CNY (default 7.3)."),
                                  QStringLiteral("N"), QStringLiteral("7.3"));
    parser.addOptions({format, currencyOption, rate});
    if (!parser.parse(arguments))
        return usageError(command, parser.errorText());
    if (parser.isSet(QStringLiteral("help"))) {
        printOut(parser.helpText());
        return ExitOk;
    }
    const QStringList positional = parser.positionalArguments();
    if (positional.size() != 1)
        return usageError(command, positional.isEmpty()
                                       ? QStringLiteral("missing WORKLOAD.json (see relaybench cost --help)")
                                       : QStringLiteral("unexpected argument \"%1\"").arg(positional.at(1)));
    const QString formatName = parser.value(format);
    if (formatName != QLatin1String("table") && formatName != QLatin1String("csv") &&
        formatName != QLatin1String("json"))
        return usageError(command, QStringLiteral("--format: must be table, csv or json, got \"%1\"").arg(formatName));
    Currency currency;
    const QString code = parser.value(currencyOption).toUpper();
    if (code == QLatin1String("CNY")) {
        bool ok = false;
        const double perUsd = parser.value(rate).toDouble(&ok);
        if (!ok || !(perUsd > 0.0))
            return usageError(command,
                              QStringLiteral("--rate: must be a number > 0, got \"%1\"").arg(parser.value(rate)));
        currency = Currency::cny(perUsd);
    } else if (code != QLatin1String("USD")) {
        return usageError(command, QStringLiteral("--currency: must be USD or CNY, got \"%1\"").arg(code));
    }

    const QString path = positional.first();
    QString error;
    const auto request = readCostRequestFile(path, &error);
    if (!request)
        return usageError(command, error);
    QString warning;
    PriceCatalog catalog = effectivePriceCatalog(&warning);
    if (!warning.isEmpty())
        printErr(QStringLiteral("relaybench cost: warning: your price catalogue was not read: ") + warning +
                 QLatin1Char('\n'));
    if (!request->catalogPath.isEmpty()) {
        QFile file(request->catalogPath);
        if (!file.open(QIODevice::ReadOnly))
            return usageError(command, QStringLiteral("%1: catalog: cannot read \"%2\": %3")
                                           .arg(path, request->catalogPath, file.errorString()));
        const auto extra = PriceCatalog::fromAnyJson(file.readAll(), request->catalogPath, &error);
        if (!extra)
            return usageError(command, error);
        catalog.mergeFrom(*extra);
    }
    const auto resolved = resolveCostRequest(*request, catalog, path, &error);
    if (!resolved)
        return usageError(command, error);
    const QList<CostRow> rows = compareCosts(request->workload, resolved->options, resolved->baseline, currency);
    if (formatName == QLatin1String("json"))
        printOut(costRowsJson(rows));
    else if (formatName == QLatin1String("csv"))
        printOut(costRowsCsv(rows));
    else
        printOut(asTable(rows, request->baseline, currency));
    return ExitOk;
}

} // namespace relaybench::cli
