#include "apikeys.h"

#include "secrets/apikeyresolver.h"

#include <QEventLoop>

namespace relaybench::cli {

QStringList resolveApiKeys(const Campaign &campaign, QString *error)
{
    QStringList keys;
    ApiKeyResolver resolver;
    QEventLoop waitForKeys;
    QObject::connect(&resolver, &ApiKeyResolver::resolved, &waitForKeys, [&](const QStringList &resolved) {
        keys = resolved;
        waitForKeys.quit();
    });
    QObject::connect(&resolver, &ApiKeyResolver::failed, &waitForKeys, [&](const QString &why) {
        *error = why;
        waitForKeys.quit();
    });
    resolver.resolve(campaign);
    waitForKeys.exec();
    return keys;
}

} // namespace relaybench::cli
