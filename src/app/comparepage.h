#pragma once

#include "metrics/runresult.h"

#include <QWidget>

#include <memory>

namespace Ui {
class ComparePage;
}

namespace relaybench {

class CompareModel;
class DistributionChart;

// The Compare page: a finished run's targets side by side (one row per metric, one column per target, the
// difference against a baseline the user picks, the best value per row highlighted) above their overlaid
// latency distributions, under a caption naming the run. Before any run it says how to get one.
class ComparePage : public QWidget
{
    Q_OBJECT

public:
    explicit ComparePage(QWidget *parent = nullptr);
    ~ComparePage() override;

    void setRun(const RunResult &run);
    void clear();
    CompareModel *model() const { return m_model; }
    DistributionChart *distributionChart() const;

private:
    void onBaselineChosen(int target);
    void fitTable();
    static QString captionFor(const RunResult &run);

    std::unique_ptr<Ui::ComparePage> m_ui;
    CompareModel *m_model; // owned by this page
};

} // namespace relaybench
