#include "campaigndocument.h"

#include "util/jsondocument.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QSaveFile>

#include <optional>

namespace relaybench {

namespace {

// One step of a JSON path: a key, or an array index.
struct PathStep
{
    QString key;
    qsizetype index = -1;
};

std::optional<QList<PathStep>> parsePath(const QString &path)
{
    QList<PathStep> steps;
    qsizetype i = 0;
    while (i < path.size()) {
        const qsizetype keyStart = i;
        while (i < path.size() && path[i] != QLatin1Char('.') && path[i] != QLatin1Char('['))
            ++i;
        if (i == keyStart)
            return std::nullopt;
        steps.append({path.mid(keyStart, i - keyStart), -1});
        while (i < path.size() && path[i] == QLatin1Char('[')) {
            const qsizetype close = path.indexOf(QLatin1Char(']'), i);
            bool ok = false;
            const qsizetype index = close < 0 ? -1 : path.mid(i + 1, close - i - 1).toLongLong(&ok);
            if (!ok || index < 0)
                return std::nullopt;
            steps.append({QString(), index});
            i = close + 1;
        }
        if (i < path.size() && path[i] != QLatin1Char('.'))
            return std::nullopt;
        if (i < path.size() && ++i == path.size())
            return std::nullopt; // a trailing "."
    }
    if (steps.isEmpty())
        return std::nullopt;
    return steps;
}

// `current` with the value at steps[i...] replaced; undefined when it should be removed from its parent.
std::optional<QJsonValue> replaced(const QJsonValue &current, const QList<PathStep> &steps, qsizetype i,
                                   const QJsonValue &value)
{
    if (i == steps.size())
        return value;
    const PathStep &step = steps[i];
    if (step.index >= 0) {
        QJsonArray array = current.toArray();
        if (!current.isArray() || step.index >= array.size())
            return std::nullopt;
        const auto child = replaced(array.at(step.index), steps, i + 1, value);
        if (!child)
            return std::nullopt;
        if (child->isUndefined())
            array.removeAt(step.index);
        else
            array.replace(step.index, *child);
        return QJsonValue(array);
    }
    if (!current.isObject() && !current.isUndefined())
        return std::nullopt;
    QJsonObject object = current.toObject();
    const auto child = replaced(object.value(step.key), steps, i + 1, value);
    if (!child)
        return std::nullopt;
    if (child->isUndefined())
        object.remove(step.key);
    else
        object.insert(step.key, *child);
    // An object emptied by a removal goes too ("slo": {} after clearing its last check), never the root.
    if (object.isEmpty() && i > 0 && value.isUndefined())
        return QJsonValue(QJsonValue::Undefined);
    return QJsonValue(object);
}

} // namespace

bool CampaignDocument::loadFile(const QString &path, QString *error)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        *error = path + QStringLiteral(": cannot read: ") + file.errorString();
        return false;
    }
    return loadBytes(file.readAll(), QFileInfo(path).absolutePath(), error, path);
}

bool CampaignDocument::loadBytes(const QByteArray &json, const QString &baseDir, QString *error, const QString &path)
{
    const QString source = path.isEmpty() ? QStringLiteral("campaign") : path;
    const auto object = parseJsonObjectText(json, source, QStringLiteral("a JSON object"), error);
    if (!object)
        return false;
    m_root = *object;
    m_path = path;
    m_baseDir = baseDir;
    m_modified = false;
    return true;
}

bool CampaignDocument::saveFile(const QString &path, QString *error)
{
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write(toJson()) < 0 || !file.commit()) {
        *error = path + QStringLiteral(": cannot write: ") + file.errorString();
        return false;
    }
    m_path = path;
    m_baseDir = QFileInfo(path).absolutePath();
    m_modified = false;
    return true;
}

QByteArray CampaignDocument::toJson() const
{
    return QJsonDocument(m_root).toJson(QJsonDocument::Indented);
}

QJsonValue CampaignDocument::value(const QString &path) const
{
    const auto steps = parsePath(path);
    if (!steps)
        return QJsonValue(QJsonValue::Undefined);
    QJsonValue current(m_root);
    for (const PathStep &step : *steps) {
        if (step.index >= 0) {
            if (!current.isArray() || step.index >= current.toArray().size())
                return QJsonValue(QJsonValue::Undefined);
            current = current.toArray().at(step.index);
        } else {
            if (!current.isObject())
                return QJsonValue(QJsonValue::Undefined);
            current = current.toObject().value(step.key);
        }
    }
    return current;
}

bool CampaignDocument::setValue(const QString &path, const QJsonValue &value)
{
    const auto steps = parsePath(path);
    if (!steps || steps->first().index >= 0)
        return false;
    const auto root = replaced(QJsonValue(m_root), *steps, 0, value);
    if (!root)
        return false;
    if (root->toObject() != m_root) {
        m_root = root->toObject();
        m_modified = true;
    }
    return true;
}

QJsonArray CampaignDocument::targetsArray() const
{
    return m_root.value(QLatin1String("targets")).toArray();
}

void CampaignDocument::setTargets(const QJsonArray &targets)
{
    m_root.insert(QStringLiteral("targets"), targets);
    m_modified = true;
}

int CampaignDocument::targetCount() const
{
    return int(targetsArray().size());
}

QJsonObject CampaignDocument::target(int index) const
{
    return targetsArray().at(index).toObject();
}

int CampaignDocument::addTarget(const QJsonObject &target)
{
    QJsonArray targets = targetsArray();
    targets.append(target);
    setTargets(targets);
    return int(targets.size() - 1);
}

void CampaignDocument::removeTarget(int index)
{
    QJsonArray targets = targetsArray();
    if (index < 0 || index >= targets.size())
        return;
    targets.removeAt(index);
    setTargets(targets);
}

void CampaignDocument::moveTarget(int from, int to)
{
    QJsonArray targets = targetsArray();
    if (from < 0 || from >= targets.size() || to < 0 || to >= targets.size() || from == to)
        return;
    const QJsonValue moved = targets.takeAt(from);
    targets.insert(to, moved);
    setTargets(targets);
}

CampaignLoadResult CampaignDocument::validate(const PriceCatalog &catalog) const
{
    // The campaign's source path is where the engine resolves sim:// profile files from.
    const QString source = !m_path.isEmpty()     ? m_path
                           : m_baseDir.isEmpty() ? QStringLiteral("untitled.json")
                                                 : QDir(m_baseDir).filePath(QStringLiteral("untitled.json"));
    return parseCampaign(toJson(), source, m_baseDir, catalog);
}

} // namespace relaybench
