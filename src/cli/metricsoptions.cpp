#include "metricsoptions.h"

#include "exporter/metricsendpoint.h"

#include <QCommandLineParser>

namespace relaybench::cli {

void MetricsOptions::addTo(QCommandLineParser &parser) const
{
    parser.addOptions({port, host, linger});
}

bool MetricsOptions::start(const QCommandLineParser &parser, std::unique_ptr<MetricsEndpoint> *endpoint,
                           QString *error) const
{
    endpoint->reset();
    bool ok = false;
    const double lingerS = parser.value(linger).toDouble(&ok);
    if (!ok || lingerS < 0.0 || lingerS > 86400.0) {
        *error = QStringLiteral("--metrics-linger: \"%1\" is not a number of seconds between 0 and 86400")
                     .arg(parser.value(linger));
        return false;
    }
    if (!parser.isSet(port))
        return true;
    const uint number = parser.value(port).toUInt(&ok);
    if (!ok || number > 65535) {
        *error = QStringLiteral("--metrics-port: \"%1\" is not a port number (0-65535)").arg(parser.value(port));
        return false;
    }
    auto started = std::make_unique<MetricsEndpoint>();
    QString why;
    if (!started->listen(parser.value(host), quint16(number), &why)) {
        *error = QStringLiteral("--metrics-port: ") + why;
        return false;
    }
    *endpoint = std::move(started);
    return true;
}

int MetricsOptions::lingerMs(const QCommandLineParser &parser) const
{
    return qRound(parser.value(linger).toDouble() * 1000.0);
}

} // namespace relaybench::cli
