#include "workloadfile.h"

#include "util/jsondocument.h"
#include "util/jsonfieldreader.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <algorithm>
#include <limits>

namespace relaybench {

namespace {

constexpr double unlimited = std::numeric_limits<double>::max();

void rejectUnknownKeys(const QJsonObject &object, const QString &path, const QStringList &known,
                       JsonFieldReader &reader)
{
    for (auto it = object.constBegin(); it != object.constEnd(); ++it) {
        if (!known.contains(it.key()))
            reader.fail(path.isEmpty() ? it.key() : path + QLatin1Char('.') + it.key(),
                        QStringLiteral("unknown field (known: %1)").arg(known.join(QStringLiteral(", "))));
    }
}

const QStringList workloadKeys = {
    QStringLiteral("name"),
    QStringLiteral("description"),
    QStringLiteral("requests_per_month"),
    QStringLiteral("requests_per_day"),
    QStringLiteral("input_tokens_per_request"),
    QStringLiteral("output_tokens_per_request"),
    QStringLiteral("cached_input_share"),
    QStringLiteral("reasoning_tokens_per_request"),
    QStringLiteral("batch_share"),
    QStringLiteral("retry_overhead"),
    QStringLiteral("monthly_growth"),
    QStringLiteral("models"),
    QStringLiteral("baseline"),
    QStringLiteral("baseline_plan"),
    QStringLiteral("plans"),
    QStringLiteral("catalog"),
};

const QStringList planKeys = {
    QStringLiteral("name"),
    QStringLiteral("monthly_fee"),
    QStringLiteral("included_tokens"),
    QStringLiteral("included_credit"),
    QStringLiteral("overage_per_mtok"),
    QStringLiteral("markup_pct"),
    QStringLiteral("per_request_fee"),
    QStringLiteral("topup_fee_pct"),
    QStringLiteral("free_tokens"),
    QStringLiteral("currency"),
    QStringLiteral("exchange_rate"),
    QStringLiteral("usage_rate"),
    QStringLiteral("models"),
};

} // namespace

std::optional<Plan> planFromJson(const QJsonValue &value, const QString &path, JsonFieldReader &reader)
{
    if (!value.isObject()) {
        reader.fail(path, QStringLiteral("must be an object, got ") + describeJsonValue(value));
        return std::nullopt;
    }
    const QJsonObject o = value.toObject();
    rejectUnknownKeys(o, path, planKeys, reader);
    Plan plan;
    plan.name = reader.string(o, path, QLatin1String("name"), QString()).trimmed();
    if (plan.name.isEmpty() || plan.name == QLatin1String("direct"))
        reader.fail(JsonFieldReader::join(path, QLatin1String("name")),
                    QStringLiteral("is required: a non-empty name other than \"direct\""));
    plan.monthlyFee = reader.number(o, path, QLatin1String("monthly_fee"), 0.0, 0.0);
    plan.includedTokens = reader.number(o, path, QLatin1String("included_tokens"), 0.0, 0.0);
    plan.includedCredit = reader.number(o, path, QLatin1String("included_credit"), 0.0, 0.0);
    if (o.contains(QLatin1String("overage_per_mtok")))
        plan.overagePerMtok = reader.number(o, path, QLatin1String("overage_per_mtok"), 0.0, 0.0);
    plan.markupPct = reader.number(o, path, QLatin1String("markup_pct"), 0.0, -100.0);
    plan.perRequestFee = reader.number(o, path, QLatin1String("per_request_fee"), 0.0, 0.0);
    plan.topUpFeePct = reader.number(o, path, QLatin1String("topup_fee_pct"), 0.0, 0.0);
    plan.freeTokens = reader.number(o, path, QLatin1String("free_tokens"), 0.0, 0.0);
    plan.currency = reader.string(o, path, QLatin1String("currency"), QStringLiteral("USD")).trimmed().toUpper();
    if (plan.currency != QLatin1String("USD") && !o.contains(QLatin1String("exchange_rate")))
        reader.fail(JsonFieldReader::join(path, QLatin1String("exchange_rate")),
                    QStringLiteral("is required for a plan billed in %1 (%1 per US dollar, e.g. 7.3 for CNY)")
                        .arg(plan.currency));
    plan.exchangeRate = reader.number(o, path, QLatin1String("exchange_rate"), 1.0, 1e-9);
    plan.usageRate = reader.number(o, path, QLatin1String("usage_rate"), plan.exchangeRate, 0.0);
    plan.models = reader.stringList(o, path, QLatin1String("models"));
    return plan;
}

QJsonObject planToJson(const Plan &plan)
{
    QJsonObject o{{QLatin1String("name"), plan.name},
                  {QLatin1String("monthly_fee"), plan.monthlyFee},
                  {QLatin1String("currency"), plan.currency},
                  {QLatin1String("exchange_rate"), plan.exchangeRate},
                  {QLatin1String("usage_rate"), plan.usageRate}};
    const auto put = [&](const char *key, double value) {
        if (value != 0.0)
            o.insert(QLatin1String(key), value);
    };
    put("included_tokens", plan.includedTokens);
    put("included_credit", plan.includedCredit);
    put("markup_pct", plan.markupPct);
    put("per_request_fee", plan.perRequestFee);
    put("topup_fee_pct", plan.topUpFeePct);
    put("free_tokens", plan.freeTokens);
    if (plan.overagePerMtok)
        o.insert(QLatin1String("overage_per_mtok"), *plan.overagePerMtok);
    if (!plan.models.isEmpty())
        o.insert(QLatin1String("models"), QJsonArray::fromStringList(plan.models));
    return o;
}

std::optional<CostRequest> parseCostRequest(const QByteArray &json, const QString &source, QString *error)
{
    const auto object = parseJsonObjectText(json, source, QStringLiteral("a JSON object (see docs/cost.md)"), error);
    if (!object)
        return std::nullopt;
    const QJsonObject &o = *object;
    JsonFieldReader reader(source);
    rejectUnknownKeys(o, QString(), workloadKeys, reader);
    CostRequest request;
    Workload &w = request.workload;
    const bool perMonth = o.contains(QLatin1String("requests_per_month"));
    const bool perDay = o.contains(QLatin1String("requests_per_day"));
    if (perMonth && perDay)
        reader.fail(QStringLiteral("requests_per_day"),
                    QStringLiteral("give requests_per_month or requests_per_day, not both"));
    else if (!perMonth && !perDay)
        reader.fail(QStringLiteral("requests_per_month"), QStringLiteral("is required (or requests_per_day)"));
    if (perDay)
        w.requestsPerMonth =
            reader.number(o, QString(), QLatin1String("requests_per_day"), 0.0, 0.0) * Workload::daysPerMonth;
    else
        w.requestsPerMonth = reader.number(o, QString(), QLatin1String("requests_per_month"), 0.0, 0.0);
    w.inputTokensPerRequest = reader.number(o, QString(), QLatin1String("input_tokens_per_request"), 0.0, 0.0);
    w.outputTokensPerRequest = reader.number(o, QString(), QLatin1String("output_tokens_per_request"), 0.0, 0.0);
    w.cachedInputShare = reader.number(o, QString(), QLatin1String("cached_input_share"), 0.0, 0.0, 1.0);
    w.reasoningTokensPerRequest = reader.number(o, QString(), QLatin1String("reasoning_tokens_per_request"), 0.0, 0.0);
    w.batchShare = reader.number(o, QString(), QLatin1String("batch_share"), 0.0, 0.0, 1.0);
    w.retryOverhead = reader.number(o, QString(), QLatin1String("retry_overhead"), 0.0, 0.0, unlimited);
    w.monthlyGrowth = reader.number(o, QString(), QLatin1String("monthly_growth"), 0.0, -0.99, unlimited);
    request.models = reader.stringList(o, QString(), QLatin1String("models"));
    if (!o.contains(QLatin1String("models")))
        reader.fail(QStringLiteral("models"), QStringLiteral("is required: an array of catalogue ids"));
    else if (request.models.isEmpty() && o.value(QLatin1String("models")).isArray())
        reader.fail(QStringLiteral("models"), QStringLiteral("must name at least one catalogue id"));
    request.baseline = reader.string(o, QString(), QLatin1String("baseline"), QString());
    request.baselinePlan = reader.string(o, QString(), QLatin1String("baseline_plan"), QString());
    request.catalogPath = reader.string(o, QString(), QLatin1String("catalog"), QString());
    const QJsonValue plans = o.value(QLatin1String("plans"));
    if (!plans.isUndefined() && !plans.isArray())
        reader.fail(QStringLiteral("plans"),
                    QStringLiteral("must be an array of plans, got ") + describeJsonValue(plans));
    const QJsonArray planArray = plans.toArray();
    for (qsizetype i = 0; i < planArray.size(); ++i) {
        const QString path = QStringLiteral("plans[%1]").arg(i);
        const auto plan = planFromJson(planArray.at(i), path, reader);
        if (!plan)
            continue;
        if (std::any_of(request.plans.cbegin(), request.plans.cend(),
                        [&](const Plan &p) { return p.name == plan->name; }))
            reader.fail(path + QStringLiteral(".name"), QStringLiteral("duplicate plan name \"%1\"").arg(plan->name));
        request.plans.append(*plan);
    }
    if (!reader.ok()) {
        if (error)
            *error = reader.errors().join(QLatin1Char('\n'));
        return std::nullopt;
    }
    return request;
}

std::optional<CostRequest> readCostRequestFile(const QString &path, QString *error)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        if (error)
            *error = path + QStringLiteral(": cannot read: ") + file.errorString();
        return std::nullopt;
    }
    auto request = parseCostRequest(file.readAll(), path, error);
    if (request && !request->catalogPath.isEmpty())
        request->catalogPath = QFileInfo(path).absoluteDir().absoluteFilePath(request->catalogPath);
    return request;
}

std::optional<ResolvedCostRequest> resolveCostRequest(const CostRequest &request, const PriceCatalog &catalog,
                                                      const QString &source, QString *error)
{
    JsonFieldReader reader(source);
    const QString known = catalog.ids().join(QStringLiteral(", "));
    ResolvedCostRequest resolved;
    for (qsizetype i = 0; i < request.models.size(); ++i) {
        const auto model = catalog.find(request.models.at(i));
        if (!model) {
            reader.fail(QStringLiteral("models[%1]").arg(i),
                        QStringLiteral("unknown model id \"%1\" (known: %2)").arg(request.models.at(i), known));
            continue;
        }
        resolved.options.append(CostOption{*model, std::nullopt});
        for (const Plan &plan : request.plans) {
            if (plan.models.isEmpty() || plan.models.contains(model->id))
                resolved.options.append(CostOption{*model, plan});
        }
    }
    for (qsizetype i = 0; i < request.plans.size(); ++i) {
        const QStringList &planModels = request.plans.at(i).models;
        for (qsizetype j = 0; j < planModels.size(); ++j) {
            if (!catalog.contains(planModels.at(j)))
                reader.fail(QStringLiteral("plans[%1].models[%2]").arg(i).arg(j),
                            QStringLiteral("unknown model id \"%1\" (known: %2)").arg(planModels.at(j), known));
        }
    }
    if (!request.baseline.isEmpty()) {
        const auto model = catalog.find(request.baseline);
        const auto plan = std::find_if(request.plans.cbegin(), request.plans.cend(),
                                       [&](const Plan &p) { return p.name == request.baselinePlan; });
        if (!model)
            reader.fail(QStringLiteral("baseline"),
                        QStringLiteral("unknown model id \"%1\" (known: %2)").arg(request.baseline, known));
        else if (!request.baselinePlan.isEmpty() && request.baselinePlan != QLatin1String("direct") &&
                 plan == request.plans.cend())
            reader.fail(QStringLiteral("baseline_plan"),
                        QStringLiteral("unknown plan \"%1\" (not among \"plans\")").arg(request.baselinePlan));
        else
            resolved.baseline =
                CostOption{*model, plan == request.plans.cend() ? std::nullopt : std::optional<Plan>(*plan)};
    } else if (!request.baselinePlan.isEmpty()) {
        reader.fail(QStringLiteral("baseline_plan"), QStringLiteral("needs a \"baseline\" model"));
    }
    if (!reader.ok()) {
        if (error)
            *error = reader.errors().join(QLatin1Char('\n'));
        return std::nullopt;
    }
    return resolved;
}

} // namespace relaybench

namespace relaybench {

namespace {

const QString savedPlansSchema = QStringLiteral("relaybench.user-plans/2");
const QString savedPlansSchemaV1 = QStringLiteral("relaybench.user-plans/1"); // one plan, "enabled": bool

} // namespace

std::optional<SavedPlans> parseSavedPlans(const QByteArray &json, const QString &source, QString *error)
{
    const auto object = parseJsonObjectText(
        json, source, QStringLiteral("a JSON object with \"schema\" and \"plans\" (see docs/cost.md)"), error);
    if (!object)
        return std::nullopt;
    const QJsonObject &o = *object;
    JsonFieldReader reader(source);
    const QString schema = reader.string(o, QString(), QLatin1String("schema"), QString());
    const bool v1 = schema == savedPlansSchemaV1;
    if (!v1 && schema != savedPlansSchema)
        reader.fail(QStringLiteral("schema"), QStringLiteral("must be \"%1\" (or the older \"%2\"), got %3")
                                                  .arg(savedPlansSchema, savedPlansSchemaV1,
                                                       describeJsonValue(o.value(QLatin1String("schema")))));
    const QStringList keys =
        v1 ? QStringList{QStringLiteral("schema"), QStringLiteral("enabled"), QStringLiteral("plans")}
           : QStringList{QStringLiteral("schema"), QStringLiteral("plans"), QStringLiteral("applied")};
    rejectUnknownKeys(o, QString(), keys, reader);
    const QJsonValue plans = o.value(QLatin1String("plans"));
    if (!plans.isArray())
        reader.fail(QStringLiteral("plans"),
                    QStringLiteral("must be an array of plans, got ") + describeJsonValue(plans));
    SavedPlans saved;
    const QJsonArray planArray = plans.toArray();
    for (qsizetype i = 0; i < planArray.size(); ++i) {
        const QString path = QStringLiteral("plans[%1]").arg(i);
        const auto plan = planFromJson(planArray.at(i), path, reader);
        if (!plan)
            continue;
        if (std::any_of(saved.plans.cbegin(), saved.plans.cend(), [&](const Plan &p) { return p.name == plan->name; }))
            reader.fail(path + QStringLiteral(".name"), QStringLiteral("duplicate plan name \"%1\"").arg(plan->name));
        saved.plans.append(*plan);
    }
    if (v1) {
        if (reader.boolean(o, QString(), QLatin1String("enabled"), false))
            for (const Plan &plan : std::as_const(saved.plans))
                saved.applied.append(plan.name);
    } else {
        saved.applied = reader.stringList(o, QString(), QLatin1String("applied"));
        for (const QString &name : std::as_const(saved.applied))
            if (std::none_of(saved.plans.cbegin(), saved.plans.cend(), [&](const Plan &p) { return p.name == name; }))
                reader.fail(QStringLiteral("applied"), QStringLiteral("names no plan: \"%1\"").arg(name));
    }
    if (!reader.ok()) {
        if (error)
            *error = reader.errors().join(QLatin1Char('\n'));
        return std::nullopt;
    }
    return saved;
}

QByteArray savedPlansToJson(const SavedPlans &saved)
{
    QJsonArray plans;
    for (const Plan &plan : saved.plans)
        plans.append(planToJson(plan));
    const QJsonObject root{{QLatin1String("schema"), savedPlansSchema},
                           {QLatin1String("plans"), plans},
                           {QLatin1String("applied"), QJsonArray::fromStringList(saved.applied)}};
    return QJsonDocument(root).toJson(QJsonDocument::Indented);
}

} // namespace relaybench
