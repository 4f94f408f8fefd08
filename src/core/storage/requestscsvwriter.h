#pragma once

#include "metrics/attemptrecord.h"

#include <QStringList>

class QIODevice;

namespace relaybench {

// requests.csv: one row per attempt, RFC 4180, written to any QIODevice (a file, or a QBuffer in tests).
class RequestsCsvWriter
{
public:
    static QByteArray header();
    // `targetNames` maps AttemptRecord::target to the name written in the first column.
    RequestsCsvWriter(QIODevice *device, QStringList targetNames);

    bool writeHeader();
    bool write(const AttemptRecord &record);

    static QByteArray row(const AttemptRecord &record, const QString &targetName);
    // Quotes a cell when it holds a comma, quote or line break; neutralises a leading = + - @ tab or CR
    // (a spreadsheet would run it as a formula) by prefixing a single quote.
    static QByteArray cell(const QString &text);

private:
    QIODevice *m_device;
    QStringList m_targetNames;
};

} // namespace relaybench
