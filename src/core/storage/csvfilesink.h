#pragma once

#include "engine/recordsink.h"
#include "requestscsvwriter.h"

#include <QFile>

namespace relaybench {

// requests.csv on disk, one row per attempt, flushed as each is written so that a killed run
// leaves every finished row behind.
class CsvFileSink : public RecordSink
{
public:
    CsvFileSink(const QString &path, QStringList targetNames);
    bool open(QString *error);
    void write(const AttemptRecord &record) override;
    void flush() override { m_file.flush(); }

private:
    QFile m_file;
    RequestsCsvWriter m_writer;
};

} // namespace relaybench
