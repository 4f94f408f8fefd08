#include "promptsize.h"

#include <QJsonObject>
#include <QJsonValue>

namespace relaybench {

int messageContentChars(const QJsonArray &messages)
{
    int chars = 0;
    for (const QJsonValue &message : messages) {
        const QJsonValue content = message.toObject().value(QLatin1String("content"));
        if (content.isString())
            chars += int(content.toString().size());
        for (const QJsonValue &part : content.toArray())
            chars += int(part.toObject().value(QLatin1String("text")).toString().size());
    }
    return chars;
}

} // namespace relaybench
