#pragma once

#include "campaign/campaign.h"
#include "campaign/campaigndocument.h"
#include "campaign/campaignestimate.h"
#include "pricing/pricecatalog.h"

#include <QHash>
#include <QWidget>

#include <memory>
#include <optional>

class QGroupBox;
class QLabel;

namespace Ui {
class CampaignPage;
}

namespace relaybench {

class CampaignFieldEditor;
class KeychainStore;
class TargetsModel;

// The Campaign page: edits a campaign file (docs/campaign-format.md) without losing anything it does not
// show, checks it with the same loader as `relaybench run` on every edit, shows each error beside its
// field, and estimates what the run will cost and take.
class CampaignPage : public QWidget
{
    Q_OBJECT
public:
    explicit CampaignPage(QWidget *parent = nullptr);
    ~CampaignPage() override;

    bool openFile(const QString &path, QString *error);
    bool saveFile(const QString &path, QString *error);
    void loadDemo();          // ":/relaybench/examples/demo.json"
    QString filePath() const; // "" for the demo / unsaved
    bool isModified() const;
    std::optional<Campaign> campaign() const; // nullopt while any error shows
    QStringList errors() const;
    CampaignEstimate estimate() const;
    bool confirmRun(); // asks only when the estimate passes the threshold; true = go

    // Stores `key` in the system keychain for target `row` and points the target at it (what "Set key..."
    // does after asking); ends in keyStored().
    void storeKey(int row, const QString &key);
    QString keychainEntryFor(int row) const; // "CAMPAIGN/TARGET"

signals:
    void campaignChanged();
    void validityChanged(bool valid);
    void keyStored(int row, const QString &error); // error "": stored

private:
    void buildSettings();
    void documentReplaced(); // after open / demo: every editor and the table re-read the document
    void revalidate();
    void showErrors(const QList<JsonFieldProblem> &errors);
    void showPromptSource();
    void editField(const QString &path, const QJsonValue &value);
    void addTarget();
    void removeTarget();
    void moveTarget(int delta);
    void askForKey();
    int currentRow() const;

    std::unique_ptr<Ui::CampaignPage> ui;
    CampaignDocument m_document;
    PriceCatalog m_catalog;
    TargetsModel *m_targets = nullptr;
    KeychainStore *m_keychain = nullptr;
    QList<CampaignFieldEditor *> m_editors;
    QHash<QString, QGroupBox *> m_groups;
    QHash<QString, QLabel *> m_groupErrors; // errors on a group as a whole ("request: give one of ...")
    QLabel *m_promptSource = nullptr;       // prompts_file / messages, read-only
    QHash<QString, int> m_pendingKeys;      // keychain entry -> target row
    std::optional<Campaign> m_campaign;
    CampaignEstimate m_estimate;
    QStringList m_errors;
    bool m_valid = false;
};

} // namespace relaybench
