#pragma once

#include "campaign/campaign.h"
#include "engine/recordsink.h"
#include "engine/runner.h"
#include "sim/simprofile.h"
#include "sim/simserver.h"

#include <QJsonObject>
#include <QList>

#include <functional>
#include <memory>

// Shared by the engine tests: a simulator with a profile given as JSON, a campaign aimed at it,
// and a run that collects every record.
namespace enginetest {

class CollectingSink : public relaybench::RecordSink
{
public:
    void write(const relaybench::AttemptRecord &record) override { records.append(record); }
    QList<relaybench::AttemptRecord> records;
};

struct RunOutput
{
    QList<relaybench::AttemptRecord> records;
    QJsonObject summary;
    bool finished = false;
    bool sloPassed = false;
    QString stopReason;
};

std::unique_ptr<relaybench::SimServer> startSimulator(const QByteArray &profileJson, int threads = 1);

// One target per simulator URL, closed loop, streaming, no retries, short timeouts.
relaybench::Campaign campaignFor(const QStringList &baseUrls, int concurrency, qint64 requests);

// Runs to the end (or `timeoutMs`); `during` is called once the run has started, e.g. to stop it.
RunOutput run(const relaybench::Campaign &campaign, int timeoutMs = 30000,
              const std::function<void(relaybench::Runner &)> &during = {}, const QStringList &keys = {});

QList<relaybench::AttemptRecord> ofTarget(const QList<relaybench::AttemptRecord> &records, int target);
double median(QList<double> values);

} // namespace enginetest
