#include "apikeyresolver.h"

#include "campaign/campaign.h"
#include "keychainstore.h"

#include <QTimer>

namespace relaybench {

ApiKeyResolver::ApiKeyResolver(QObject *parent)
    : QObject(parent)
{}

ApiKeyResolver::~ApiKeyResolver() = default;

void ApiKeyResolver::onKeyRead(const QString &entry, const QString &key, const QString &error)
{
    if (m_done)
        return;
    for (int i = 0; i < m_entries.size(); ++i) {
        if (m_entries.at(i) != entry || !m_keys.at(i).isNull())
            continue;
        if (!error.isEmpty() || key.isEmpty()) {
            fail(QStringLiteral("target \"%1\": api_key_keychain \"%2\": %3; nothing was sent")
                     .arg(m_targetNames.at(i), entry, error.isEmpty() ? QStringLiteral("the entry is empty") : error));
            return;
        }
        m_keys[i] = key;
        --m_pending;
    }
    finishIfDone();
}

void ApiKeyResolver::resolve(const Campaign &campaign)
{
    // A store per resolution: the answers of an abandoned one arrive at a store nobody listens to any more
    // (it is kept until this object goes, as its keychain jobs may still be running).
    if (m_store)
        m_store->disconnect(this);
    m_store = new KeychainStore(this);
    connect(m_store, &KeychainStore::readDone, this, &ApiKeyResolver::onKeyRead);
    const quint64 generation = ++m_generation;
    m_done = false;
    m_keys.clear();
    m_targetNames.clear();
    m_entries.clear();
    m_pending = 0;
    QString error;
    QStringList entriesToRead;
    for (const Target &target : campaign.targets) {
        m_targetNames.append(target.name);
        m_entries.append(target.apiKeyKeychain);
        if (!target.apiKeyKeychain.isEmpty()) {
            m_keys.append(QString()); // null: not read yet
            ++m_pending;
            if (!entriesToRead.contains(target.apiKeyKeychain))
                entriesToRead.append(target.apiKeyKeychain);
            continue;
        }
        QString key = QStringLiteral(""); // empty but not null: known to have no key
        if (!target.apiKeyEnv.isEmpty()) {
            key = qEnvironmentVariable(target.apiKeyEnv.toLocal8Bit().constData());
            if (key.isEmpty() && error.isEmpty())
                error = QStringLiteral("target \"%1\": the environment variable %2 (api_key_env) is not set; "
                                       "nothing was sent")
                            .arg(target.name, target.apiKeyEnv);
            if (key.isNull())
                key = QStringLiteral("");
        }
        m_keys.append(key);
    }
    if (!error.isEmpty()) {
        // Queued, so that the signal never arrives before the caller has returned from resolve().
        QTimer::singleShot(0, this, [this, error, generation] {
            if (generation == m_generation)
                fail(error);
        });
        return;
    }
    for (const QString &entry : entriesToRead)
        m_store->read(entry);
    if (m_pending == 0)
        QTimer::singleShot(0, this, [this, generation] {
            if (generation == m_generation)
                finishIfDone();
        });
}

void ApiKeyResolver::finishIfDone()
{
    if (m_done || m_pending > 0)
        return;
    m_done = true;
    emit resolved(m_keys);
}

void ApiKeyResolver::fail(const QString &error)
{
    if (m_done)
        return;
    m_done = true;
    emit failed(error);
}

} // namespace relaybench
