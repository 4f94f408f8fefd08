#include "campaignfieldeditor.h"

#include <QCheckBox>
#include <QComboBox>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QSignalBlocker>
#include <QVBoxLayout>

namespace relaybench {

namespace {

// "8" -> 8, "null" -> null, "eight" -> "eight": what the user typed, as the loader will judge it.
QJsonValue valueFromText(const QString &text)
{
    const QString trimmed = text.trimmed();
    if (trimmed.isEmpty())
        return QJsonValue(QJsonValue::Undefined);
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson(QByteArray("[") + trimmed.toUtf8() + "]", &error);
    if (error.error == QJsonParseError::NoError && doc.array().size() == 1)
        return doc.array().first();
    return trimmed;
}

QString textFromValue(const QJsonValue &value)
{
    switch (value.type()) {
    case QJsonValue::Undefined:
        return {};
    case QJsonValue::String:
        return value.toString();
    case QJsonValue::Double:
        return QString::number(value.toDouble(), 'g', 15);
    default:
        return QString::fromUtf8(QJsonDocument(QJsonArray{value}).toJson(QJsonDocument::Compact)).mid(1).chopped(1);
    }
}

QStringList stringsOf(const QJsonValue &value)
{
    QStringList strings;
    for (const QJsonValue &item : value.toArray())
        strings.append(item.isString() ? item.toString() : textFromValue(item));
    return strings;
}

QJsonValue arrayFromStrings(const QStringList &items)
{
    QJsonArray array;
    for (const QString &item : items)
        if (!item.trimmed().isEmpty())
            array.append(item.trimmed());
    return array.isEmpty() ? QJsonValue(QJsonValue::Undefined) : QJsonValue(array);
}

} // namespace

CampaignFieldEditor::CampaignFieldEditor(CampaignField field, QWidget *parent)
    : QWidget(parent)
    , m_field(std::move(field))
{
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(2);
    using K = CampaignField::Kind;
    switch (m_field.kind) {
    case K::Choice: {
        auto *combo = new QComboBox(this);
        combo->addItems(m_field.choices);
        connect(combo, &QComboBox::activated, this,
                [this, combo](int) { emit edited(m_field.path, combo->currentText()); });
        m_editor = combo;
        break;
    }
    case K::Bool: {
        auto *check = new QCheckBox(this);
        connect(check, &QCheckBox::clicked, this, [this](bool on) { emit edited(m_field.path, on); });
        m_editor = check;
        break;
    }
    case K::Lines: {
        auto *lines = new QPlainTextEdit(this);
        lines->setPlaceholderText(tr("default: %1").arg(m_field.defaultText));
        lines->setMaximumHeight(100);
        connect(lines, &QPlainTextEdit::textChanged, this, [this, lines] {
            if (!signalsBlocked())
                emit edited(m_field.path, arrayFromStrings(lines->toPlainText().split(QLatin1Char('\n'))));
        });
        m_editor = lines;
        break;
    }
    default: {
        auto *line = new QLineEdit(this);
        line->setPlaceholderText(tr("default: %1").arg(m_field.defaultText));
        connect(line, &QLineEdit::textEdited, this, &CampaignFieldEditor::emitText);
        m_editor = line;
        break;
    }
    }
    m_editor->setToolTip(m_field.tooltip);
    m_editor->setObjectName(m_field.path);
    m_editor->setAccessibleName(m_field.label);
    m_error = new QLabel(this);
    m_error->setObjectName(m_field.path + QStringLiteral(".error"));
    m_error->setWordWrap(true);
    m_error->setStyleSheet(QStringLiteral("color: #c62828;"));
    m_error->hide();
    layout->addWidget(m_editor);
    layout->addWidget(m_error);
}

void CampaignFieldEditor::emitText(const QString &text)
{
    using K = CampaignField::Kind;
    QJsonValue value;
    if (m_field.kind == K::List)
        value = arrayFromStrings(text.split(QLatin1Char(',')));
    else if (m_field.kind == K::Text)
        value = text.isEmpty() ? QJsonValue(QJsonValue::Undefined) : QJsonValue(text);
    else
        value = valueFromText(text);
    emit edited(m_field.path, value);
}

void CampaignFieldEditor::setValue(const QJsonValue &value)
{
    const QSignalBlocker blocker(this);
    using K = CampaignField::Kind;
    if (auto *combo = qobject_cast<QComboBox *>(m_editor)) {
        const QString text = value.isString() ? value.toString() : m_field.defaultText;
        if (combo->findText(text) < 0)
            combo->addItem(text); // an invalid value stays visible (its error says why)
        combo->setCurrentText(text);
    } else if (auto *check = qobject_cast<QCheckBox *>(m_editor)) {
        check->setChecked(value.isBool() ? value.toBool() : m_field.defaultText == QLatin1String("true"));
    } else if (auto *lines = qobject_cast<QPlainTextEdit *>(m_editor)) {
        lines->setPlainText(stringsOf(value).join(QLatin1Char('\n')));
    } else if (auto *line = qobject_cast<QLineEdit *>(m_editor)) {
        line->setText(m_field.kind == K::List && value.isArray() ? stringsOf(value).join(QStringLiteral(", "))
                                                                 : textFromValue(value));
    }
}

void CampaignFieldEditor::setError(const QString &error)
{
    if (error == m_error->text() && m_error->isHidden() == error.isEmpty())
        return;
    m_error->setText(error);
    m_error->setVisible(!error.isEmpty());
    m_editor->setStyleSheet(error.isEmpty() ? QString()
                                            : QStringLiteral("%1 { border: 1px solid #c62828; }")
                                                  .arg(QLatin1String(m_editor->metaObject()->className())));
    m_editor->setToolTip(error.isEmpty() ? m_field.tooltip : m_field.tooltip + QStringLiteral("\n\n") + error);
}

QString CampaignFieldEditor::error() const
{
    return m_error->text();
}

} // namespace relaybench
