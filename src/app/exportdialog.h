#pragma once

#include "runexporter.h"

#include <QDialog>
#include <QList>
#include <QStringList>

#include <memory>

namespace Ui {
class ExportDialog;
}

namespace relaybench {

// Where to export a run and what: a folder, the files (CLI's requests.csv and summary.json, an HTML report,
// chart images) and which charts. Remembers the last folder and choices (QSettings "export/..."), and asks
// before replacing files already in the folder; OK only closes the dialog, the caller runs RunExporter.
class ExportDialog : public QDialog
{
    Q_OBJECT

public:
    ExportDialog(const QStringList &chartTitles, QWidget *parent = nullptr);
    ~ExportDialog() override;

    ExportOptions options() const;
    QList<int> selectedCharts() const; // indexes into chartTitles
    // The files of this export that already exist in the chosen folder (absolute paths).
    QStringList existingFiles() const;

    void accept() override;

private:
    void browse();
    void updateOkButton();
    void loadSettings();
    void saveSettings() const;

    std::unique_ptr<Ui::ExportDialog> m_ui;
    QStringList m_chartTitles;
};

} // namespace relaybench
