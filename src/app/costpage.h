#pragma once

#include "metrics/runresult.h"
#include "pricing/costmodel.h"
#include "pricing/pricecatalog.h"
#include "pricing/userpricecatalog.h"

#include <QWidget>

#include <memory>

namespace Ui {
class CostPage;
}

namespace relaybench {

class CostTableModel;

// The Cost page: a workload, the catalogue models to compare (directly and through each ticked plan), the display
// currency; the table of monthly and annual costs with the working of every figure, a bar chart and a
// cost-versus-volume chart with break-even points; the user's own catalogue entries; and a finished run's
// tokens as the workload. Everything is recomputed on every edit: the sums are cheap.
class CostPage : public QWidget
{
    Q_OBJECT

public:
    explicit CostPage(QWidget *parent = nullptr);
    ~CostPage() override;

    // Enables "Use measured workload" with this run's tokens and shows what the run cost per target.
    void setMeasuredRun(const RunResult &run);
    // Fills the workload's per-request tokens and retry overhead from the run given to setMeasuredRun().
    void useMeasuredWorkload();
    CostTableModel *model() const { return m_model; }
    // The table as `relaybench cost --format csv` writes it (USD).
    bool exportCsv(const QString &path, QString *error);
    // The effective catalogue (shipped + the user's own) as relaybench.prices/1 JSON.
    bool exportCatalog(const QString &path, QString *error);
    // Adds the chat models of a LiteLLM price file to the user's catalogue, and saves it.
    bool importLiteLlmFile(const QString &path, QString *error);
    const PriceCatalog &catalog() const { return m_catalog; }
    // Where the plans are kept: DATA/plans.user.json, beside the user's catalogue (docs/cost.md).
    static QString savedPlanPath();
    // Writes every plan and which are ticked; a file that could not be read at start is kept beside it
    // as plans.user.json.broken first.
    bool savePlans(QString *error);
    // The plans in the list, in its order, as the form last left them.
    QList<Plan> plans() const;

private:
    void reloadCatalog();
    void fillModelList(const QStringList &checked);
    QStringList checkedModels() const;
    Workload workload() const;
    Currency currency() const;
    QList<Plan> appliedPlans() const;
    void recompute();
    void showSelectedWorking();
    void showEntry(const QString &id);
    void saveEntry();
    void deleteEntry();
    bool saveUserCatalog();
    void chooseCsvFile();
    void chooseLiteLlmFile();
    void chooseCatalogFile();
    void connectEdits();
    void loadSavedPlans();
    void fillPlanList(int current);
    void showCurrentPlan();
    void showPlan(const Plan &plan);
    Plan planFromForm() const;
    void takePlanFromForm();
    QString uniquePlanName(const QString &wanted, qsizetype except) const;
    void addPlan();
    void duplicatePlan();
    void removePlan();
    void insertPlan(const Plan &plan, qsizetype at);
    void savePlansWithMessage(const QString &done);

    std::unique_ptr<Ui::CostPage> m_ui;
    CostTableModel *m_model; // owned by this page
    UserPriceCatalog m_userCatalog;
    PriceCatalog m_catalog; // shipped + the user's
    RunResult m_run;
    // The plan list's items mirror these, in order; the form edits the current one.
    struct ListedPlan
    {
        Plan plan;
        bool applied = true; // ticked: every ticked model is priced through it too
    };
    QList<ListedPlan> m_plans;
    bool m_planFileBroken = false; // kept aside before the first save replaces it
    bool m_filling = false;        // widgets being filled by code: no recompute per field
};

} // namespace relaybench
