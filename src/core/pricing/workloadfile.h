#pragma once

#include "costmodel.h"

#include <QList>
#include <QString>
#include <QStringList>

#include <optional>

namespace relaybench {

// A cost question as `relaybench cost WORKLOAD.json` reads it (docs/cost.md): the workload, the models,
// the plans, the baseline and an optional extra catalogue.
struct CostRequest
{
    Workload workload;
    QStringList models;
    QList<Plan> plans;
    QString baseline;     // a model id; empty: no savings column
    QString baselinePlan; // a plan name, or empty: the baseline model bought directly
    QString catalogPath;  // relative paths resolved against the workload file's folder
};

// Parses and checks the workload JSON. Every problem is reported with its field ("workload.json:
// cached_input_share: must be a number between 0 and 1, got 1.5"), unknown fields included: a typo
// would otherwise cost nothing and the sums would silently be wrong. Model ids are checked by resolve.
std::optional<CostRequest> parseCostRequest(const QByteArray &json, const QString &source, QString *error);
std::optional<CostRequest> readCostRequestFile(const QString &path, QString *error);

// Plans in and out of JSON (the same keys as in the workload's "plans"), for saving them.
std::optional<Plan> planFromJson(const QJsonValue &value, const QString &path, class JsonFieldReader &reader);
QJsonObject planToJson(const Plan &plan);

// The options to compare (each model directly, then through each plan that sells it) and the baseline,
// resolved against `catalog`; an unknown id fails with the field that names it.
struct ResolvedCostRequest
{
    QList<CostOption> options;
    std::optional<CostOption> baseline;
};
std::optional<ResolvedCostRequest> resolveCostRequest(const CostRequest &request, const PriceCatalog &catalog,
                                                      const QString &source, QString *error);

} // namespace relaybench

namespace relaybench {

// The Cost page's plans (DATA/plans.user.json, docs/cost.md "The Cost page"): every plan the user keeps, and
// which of them price the ticked models. Names are unique: the table tells the rows apart by them.
struct SavedPlans
{
    QList<Plan> plans;
    QStringList applied; // names of the ticked plans, in the order of `plans`
};

// Reads "relaybench.user-plans/2", and the older "relaybench.user-plans/1" (one plan and an "enabled" flag,
// migrated to a list of one, ticked when it was enabled). Every problem is reported with its field.
std::optional<SavedPlans> parseSavedPlans(const QByteArray &json, const QString &source, QString *error);
// Always "relaybench.user-plans/2"; each plan with the keys of a workload's "plans".
QByteArray savedPlansToJson(const SavedPlans &saved);

} // namespace relaybench
