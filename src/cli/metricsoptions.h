#pragma once

#include <QCommandLineOption>
#include <QString>

#include <memory>

class QCommandLineParser;

namespace relaybench {
class MetricsEndpoint;
}

namespace relaybench::cli {

// --metrics-port / --metrics-host / --metrics-linger, shared by `run` and `monitor` (docs/prometheus.md).
struct MetricsOptions
{
    QCommandLineOption port{QStringLiteral("metrics-port"),
                            QStringLiteral("Serve Prometheus metrics at http://HOST:N/metrics (off unless given; "
                                           "9464 is the usual port, 0 picks a free one)."),
                            QStringLiteral("N")};
    QCommandLineOption host{QStringLiteral("metrics-host"),
                            QStringLiteral("Address the metrics server binds (default 127.0.0.1; 0.0.0.0 exposes "
                                           "it to the network)."),
                            QStringLiteral("HOST"), QStringLiteral("127.0.0.1")};
    QCommandLineOption linger{QStringLiteral("metrics-linger"),
                              QStringLiteral("Keep serving the metrics S seconds after the run ends, so a last "
                                             "scrape sees the final counts (default 0)."),
                              QStringLiteral("S"), QStringLiteral("0")};

    void addTo(QCommandLineParser &parser) const;
    // Starts the exporter when --metrics-port was given (`endpoint` stays null otherwise). false and a
    // message naming the option on a bad value or a port that cannot be bound.
    bool start(const QCommandLineParser &parser, std::unique_ptr<MetricsEndpoint> *endpoint, QString *error) const;
    // --metrics-linger in milliseconds (0 when not given or invalid: start() has checked it).
    int lingerMs(const QCommandLineParser &parser) const;
};

} // namespace relaybench::cli
