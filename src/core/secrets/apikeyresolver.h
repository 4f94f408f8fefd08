#pragma once

#include <QObject>
#include <QStringList>

namespace relaybench {

struct Campaign;
class KeychainStore;

// Fetches every target's API key from where the campaign says it is (api_key_env: the environment,
// api_key_keychain: the system keychain) before a run. Ends in exactly one signal, always after
// resolve() has returned. Keys only travel in resolved(); no message ever contains one.
class ApiKeyResolver : public QObject
{
    Q_OBJECT
public:
    explicit ApiKeyResolver(QObject *parent = nullptr);
    ~ApiKeyResolver() override;

    // A new call abandons the previous one (its results are dropped).
    void resolve(const Campaign &campaign);

signals:
    void resolved(const QStringList &keys); // one per target, "" = no key
    void failed(const QString &error);      // names the target and the variable or entry

private:
    void onKeyRead(const QString &entry, const QString &key, const QString &error);
    void finishIfDone();
    void fail(const QString &error);

    KeychainStore *m_store = nullptr;
    quint64 m_generation = 0;
    QStringList m_keys;
    QStringList m_targetNames;
    QStringList m_entries; // per target: the keychain entry, or ""
    int m_pending = 0;
    bool m_done = true;
};

} // namespace relaybench
