#include "csvfilesink.h"

namespace relaybench {

CsvFileSink::CsvFileSink(const QString &path, QStringList targetNames)
    : m_file(path)
    , m_writer(&m_file, std::move(targetNames))
{}

bool CsvFileSink::open(QString *error)
{
    if (!m_file.open(QIODevice::WriteOnly | QIODevice::Truncate)) {
        *error = m_file.fileName() + QStringLiteral(": cannot write: ") + m_file.errorString();
        return false;
    }
    m_writer.writeHeader();
    m_file.flush();
    return true;
}

void CsvFileSink::write(const AttemptRecord &record)
{
    m_writer.write(record);
    m_file.flush();
}

} // namespace relaybench
