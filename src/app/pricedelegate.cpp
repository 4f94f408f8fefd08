#include "pricedelegate.h"

#include <QComboBox>

namespace relaybench {

namespace {

QString keepInline()
{
    return QStringLiteral("\x01inline"); // not a catalogue id
}

} // namespace

PriceDelegate::PriceDelegate(QStringList catalogIds, QObject *parent)
    : QStyledItemDelegate(parent)
    , m_ids(std::move(catalogIds))
{}

QWidget *PriceDelegate::createEditor(QWidget *parent, const QStyleOptionViewItem &, const QModelIndex &) const
{
    auto *combo = new QComboBox(parent);
    combo->addItem(tr("none"), QString());
    for (const QString &id : m_ids)
        combo->addItem(id, id);
    return combo;
}

void PriceDelegate::setEditorData(QWidget *editor, const QModelIndex &index) const
{
    auto *combo = static_cast<QComboBox *>(editor);
    const QString id = index.data(Qt::EditRole).toString();
    if (id.isEmpty() && index.data(Qt::DisplayRole).toString() != tr("none")) {
        // An inline price: offered as it is, so that closing the editor does not drop it.
        combo->insertItem(0, index.data(Qt::DisplayRole).toString(), keepInline());
        combo->setCurrentIndex(0);
        return;
    }
    combo->setCurrentIndex(std::max(0, combo->findData(id)));
}

void PriceDelegate::setModelData(QWidget *editor, QAbstractItemModel *model, const QModelIndex &index) const
{
    const QString id = static_cast<QComboBox *>(editor)->currentData().toString();
    if (id != keepInline())
        model->setData(index, id, Qt::EditRole);
}

} // namespace relaybench
