#include "keychainstore.h"

#include <qt6keychain/keychain.h>

#ifdef Q_OS_LINUX
#include <QDBusConnection>
#endif

namespace relaybench {

namespace {

QString noKeychain()
{
    return QStringLiteral("no system keychain is available (on Linux: a Secret Service such as GNOME Keyring or "
                          "KWallet on the D-Bus session bus)");
}

// QtKeychain reports a missing Secret Service as a generic error; these are the cases it comes down to.
bool noSecretService(const QKeychain::Job &job)
{
#ifdef Q_OS_LINUX
    if (!QDBusConnection::sessionBus().isConnected())
        return true;
#endif
    return job.errorString().contains(QLatin1String("org.freedesktop.secrets"));
}

// What went wrong, in words a user can act on; QtKeychain's own text is appended for details.
QString describeError(const QKeychain::Job &job, const QString &entry)
{
    QString what;
    switch (job.error()) {
    case QKeychain::NoError:
        return {};
    case QKeychain::EntryNotFound:
        what =
            QStringLiteral("the system keychain has no entry \"%1\" (service %2)").arg(entry, KeychainStore::service());
        break;
    case QKeychain::NoBackendAvailable:
    case QKeychain::NotImplemented:
        what = noKeychain();
        break;
    case QKeychain::AccessDeniedByUser:
    case QKeychain::AccessDenied:
        what = QStringLiteral("the system keychain refused access to \"%1\" (locked, or access denied)").arg(entry);
        break;
    case QKeychain::CouldNotDeleteEntry:
    case QKeychain::OtherError:
        what = noSecretService(job) ? noKeychain() : QStringLiteral("the system keychain failed on \"%1\"").arg(entry);
        break;
    }
    const QString detail = job.errorString().trimmed();
    return detail.isEmpty() ? what : what + QStringLiteral(": ") + detail;
}

template<typename JobType>
JobType *newJob(const QString &entry, KeychainStore *store)
{
    auto *job = new JobType(KeychainStore::service(), store);
    job->setAutoDelete(true);
    job->setInsecureFallback(false); // never a plaintext copy of a key
    job->setKey(entry);
    return job;
}

} // namespace

QString KeychainStore::service()
{
    return QStringLiteral("RelayBench");
}

KeychainStore::KeychainStore(QObject *parent)
    : QObject(parent)
{}

void KeychainStore::write(const QString &entry, const QString &key)
{
    auto *job = newJob<QKeychain::WritePasswordJob>(entry, this);
    job->setTextData(key);
    connect(job, &QKeychain::Job::finished, this,
            [this, entry](QKeychain::Job *done) { emit written(entry, describeError(*done, entry)); });
    job->start();
}

void KeychainStore::read(const QString &entry)
{
    auto *job = newJob<QKeychain::ReadPasswordJob>(entry, this);
    connect(job, &QKeychain::Job::finished, this, [this, entry, job](QKeychain::Job *done) {
        const QString error = describeError(*done, entry);
        emit readDone(entry, error.isEmpty() ? job->textData() : QString(), error);
    });
    job->start();
}

void KeychainStore::remove(const QString &entry)
{
    auto *job = newJob<QKeychain::DeletePasswordJob>(entry, this);
    connect(job, &QKeychain::Job::finished, this,
            [this, entry](QKeychain::Job *done) { emit removed(entry, describeError(*done, entry)); });
    job->start();
}

} // namespace relaybench
