#pragma once

#include "campaignfields.h"

#include <QJsonValue>
#include <QWidget>

class QLabel;

namespace relaybench {

// The editor of one campaign setting with its error right under it: a red label, and the field outlined.
// edited() only fires for the user's own changes, never for setValue().
class CampaignFieldEditor : public QWidget
{
    Q_OBJECT
public:
    explicit CampaignFieldEditor(CampaignField field, QWidget *parent = nullptr);

    const CampaignField &field() const { return m_field; }
    QWidget *editor() const { return m_editor; }
    void setValue(const QJsonValue &value); // undefined: the key is absent (the placeholder shows the default)
    void setError(const QString &error);    // "" clears it
    QString error() const;

signals:
    void edited(const QString &path, const QJsonValue &value); // undefined: remove the key

private:
    void emitText(const QString &text);

    CampaignField m_field;
    QWidget *m_editor = nullptr;
    QLabel *m_error = nullptr;
};

} // namespace relaybench
