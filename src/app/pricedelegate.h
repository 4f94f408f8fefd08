#pragma once

#include <QStringList>
#include <QStyledItemDelegate>

namespace relaybench {

// Edits a target's price as a choice of catalogue ids (PriceCatalog::shipped()), or none.
class PriceDelegate : public QStyledItemDelegate
{
    Q_OBJECT
public:
    explicit PriceDelegate(QStringList catalogIds, QObject *parent = nullptr);

    QWidget *createEditor(QWidget *parent, const QStyleOptionViewItem &option, const QModelIndex &index) const override;
    void setEditorData(QWidget *editor, const QModelIndex &index) const override;
    void setModelData(QWidget *editor, QAbstractItemModel *model, const QModelIndex &index) const override;

private:
    QStringList m_ids;
};

} // namespace relaybench
