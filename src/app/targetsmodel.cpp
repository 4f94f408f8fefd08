#include "targetsmodel.h"

#include "campaign/campaigndocument.h"

#include <QBrush>
#include <QColor>
#include <QRegularExpression>

namespace relaybench {

namespace {

QLatin1String columnKey(int column)
{
    switch (column) {
    case TargetsModel::Name:
        return QLatin1String("name");
    case TargetsModel::BaseUrl:
        return QLatin1String("base_url");
    case TargetsModel::Model:
        return QLatin1String("model");
    case TargetsModel::Price:
        return QLatin1String("price");
    default:
        return QLatin1String("");
    }
}

// The column that shows an error at "targets[i].KEY...": key sources in their column, the rest
// (headers, the target as a whole) on the name.
int columnForKey(const QString &key)
{
    if (key == QLatin1String("api_key_env") || key == QLatin1String("api_key_keychain"))
        return TargetsModel::KeySource;
    for (int column : {TargetsModel::BaseUrl, TargetsModel::Model, TargetsModel::Price})
        if (key == columnKey(column))
            return column;
    return TargetsModel::Name;
}

} // namespace

TargetsModel::TargetsModel(CampaignDocument *document, QObject *parent)
    : QAbstractTableModel(parent)
    , m_document(document)
{}

void TargetsModel::reload()
{
    beginResetModel();
    endResetModel();
}

void TargetsModel::setErrors(const QList<JsonFieldProblem> &errors)
{
    static const QRegularExpression targetPath(QStringLiteral("^targets\\[(\\d+)\\](?:\\.([^.\\[]+))?"));
    QHash<QPair<int, int>, QString> cells;
    for (const JsonFieldProblem &error : errors) {
        const auto match = targetPath.match(error.path);
        if (!match.hasMatch())
            continue;
        const QPair<int, int> cell{match.captured(1).toInt(), columnForKey(match.captured(2))};
        QString &text = cells[cell];
        // The cell's own key needs no name; anything deeper or beside it (headers.X, api_key_env) does.
        const QString where = match.captured(2).isEmpty() ? QString() : error.path.mid(match.capturedStart(2));
        const bool own = where == columnKey(cell.second);
        text += (text.isEmpty() ? QString() : QStringLiteral("\n")) +
                (where.isEmpty() || own ? error.problem : where + QStringLiteral(": ") + error.problem);
    }
    if (cells == m_errors)
        return;
    m_errors = cells;
    if (rowCount() > 0)
        emit dataChanged(index(0, 0), index(rowCount() - 1, ColumnCount - 1),
                         {Qt::ToolTipRole, Qt::ForegroundRole, Qt::BackgroundRole});
}

QString TargetsModel::cellError(int row, int column) const
{
    return m_errors.value({row, column});
}

QString TargetsModel::keySourceText(const QJsonObject &target)
{
    const QJsonValue env = target.value(QLatin1String("api_key_env"));
    const QJsonValue keychain = target.value(QLatin1String("api_key_keychain"));
    if (keychain.isString() && !keychain.toString().isEmpty())
        return QStringLiteral("keychain: ") + keychain.toString();
    if (env.isString() && !env.toString().isEmpty())
        return QStringLiteral("env ") + env.toString();
    return tr("none");
}

QString TargetsModel::priceText(const QJsonValue &price)
{
    if (price.isString())
        return price.toString();
    if (price.isObject()) {
        const QJsonObject p = price.toObject();
        return tr("$%1 in / $%2 out per M")
            .arg(p.value(QLatin1String("input")).toDouble())
            .arg(p.value(QLatin1String("output")).toDouble());
    }
    return tr("none");
}

int TargetsModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : m_document->targetCount();
}

int TargetsModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant TargetsModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const QJsonObject target = m_document->target(index.row());
    const QString error = cellError(index.row(), index.column());
    switch (role) {
    case Qt::DisplayRole:
    case Qt::EditRole:
        if (index.column() == KeySource) {
            if (role == Qt::EditRole) // the variable name, for typing another one
                return target.value(QLatin1String("api_key_env")).toString();
            return keySourceText(target);
        }
        if (index.column() == Price)
            return role == Qt::EditRole ? target.value(QLatin1String("price")).toString()
                                        : priceText(target.value(QLatin1String("price")));
        {
            const QJsonValue value = target.value(columnKey(index.column()));
            return value.isString() ? value.toString() : value.toVariant().toString();
        }
    case Qt::ToolTipRole:
        if (!error.isEmpty())
            return error;
        if (index.column() == KeySource)
            return tr("Where the API key comes from: an environment variable (type its name here) or the system "
                      "keychain (Set key...). The key itself is never stored in the campaign file.");
        return {};
    case Qt::ForegroundRole:
        return error.isEmpty() ? QVariant() : QVariant(QBrush(QColor(0xc6, 0x28, 0x28)));
    case Qt::BackgroundRole:
        return error.isEmpty() ? QVariant() : QVariant(QBrush(QColor(0xff, 0xeb, 0xee)));
    default:
        return {};
    }
}

bool TargetsModel::setData(const QModelIndex &index, const QVariant &value, int role)
{
    if (role != Qt::EditRole || !checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return false;
    const QString prefix = QStringLiteral("targets[%1].").arg(index.row());
    const QString text = value.toString().trimmed();
    const QJsonValue absent(QJsonValue::Undefined);
    if (index.column() == KeySource) {
        // "keychain: ENTRY" or "env NAME" as the column shows them, or a bare variable name.
        const bool keychain = text.startsWith(QLatin1String("keychain:"));
        QString name = keychain ? text.mid(9).trimmed() : text;
        if (!keychain && name.startsWith(QLatin1String("env ")))
            name = name.mid(4).trimmed();
        m_document->setValue(prefix + QStringLiteral("api_key_env"), keychain || name.isEmpty() ? absent : name);
        m_document->setValue(prefix + QStringLiteral("api_key_keychain"), keychain && !name.isEmpty() ? name : absent);
    } else {
        const bool optional = index.column() == Price;
        m_document->setValue(prefix + columnKey(index.column()),
                             optional && text.isEmpty() ? absent : QJsonValue(value.toString()));
    }
    emit dataChanged(index.siblingAtColumn(0), index.siblingAtColumn(ColumnCount - 1));
    emit edited();
    return true;
}

Qt::ItemFlags TargetsModel::flags(const QModelIndex &index) const
{
    if (!index.isValid())
        return Qt::NoItemFlags;
    return Qt::ItemIsSelectable | Qt::ItemIsEnabled | Qt::ItemIsEditable;
}

QVariant TargetsModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case Name:
        return tr("Name");
    case BaseUrl:
        return tr("Base URL");
    case Model:
        return tr("Model");
    case KeySource:
        return tr("API key");
    case Price:
        return tr("Price");
    default:
        return {};
    }
}

} // namespace relaybench
