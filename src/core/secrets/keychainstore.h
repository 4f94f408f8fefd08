#pragma once

#include <QObject>
#include <QString>

namespace relaybench {

// API keys in the system keychain (Secret Service or KWallet over D-Bus on Linux, Keychain on macOS,
// Credential Manager on Windows) under the service "RelayBench", through QtKeychain. Every operation is
// asynchronous and ends in exactly one signal. There is no plaintext fallback: without a keychain the
// operation fails with an error that says so. Errors never contain the key.
class KeychainStore : public QObject
{
    Q_OBJECT
public:
    static QString service();

    explicit KeychainStore(QObject *parent = nullptr);

    void write(const QString &entry, const QString &key);
    void read(const QString &entry);
    void remove(const QString &entry);

signals:
    void written(const QString &entry, const QString &error);                      // error "": stored
    void readDone(const QString &entry, const QString &key, const QString &error); // error "": key holds it
    void removed(const QString &entry, const QString &error);
};

} // namespace relaybench
