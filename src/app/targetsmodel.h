#pragma once

#include "util/jsonfieldreader.h"

#include <QAbstractTableModel>
#include <QHash>
#include <QJsonObject>

namespace relaybench {

class CampaignDocument;

// The campaign's targets as a table, read from and written straight to the document. The key column
// says where the key is ("env RELAY_API_KEY", "keychain: demo/relay", "none"), never the key. A cell
// with a loader error is red and carries the message as its tooltip.
class TargetsModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column
    {
        Name,
        BaseUrl,
        Model,
        KeySource,
        Price,
        ColumnCount
    };

    explicit TargetsModel(CampaignDocument *document, QObject *parent = nullptr);

    // After the document changed underneath (open, add, remove).
    void reload();
    // The loader's errors; those under targets[i] go to their cells.
    void setErrors(const QList<JsonFieldProblem> &errors);
    QString cellError(int row, int column) const;

    static QString keySourceText(const QJsonObject &target);
    static QString priceText(const QJsonValue &price);

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    bool setData(const QModelIndex &index, const QVariant &value, int role = Qt::EditRole) override;
    Qt::ItemFlags flags(const QModelIndex &index) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

signals:
    void edited(); // the user changed a cell: the document changed

private:
    CampaignDocument *m_document;
    QHash<QPair<int, int>, QString> m_errors; // (row, column) -> message
};

} // namespace relaybench
