#include "chartimage.h"

#include <QBuffer>
#include <QChart>
#include <QChartView>
#include <QDir>
#include <QGraphicsLayout>
#include <QGraphicsScene>
#include <QPainter>
#include <QSaveFile>
#include <QSvgGenerator>

namespace relaybench::chartimage {

namespace {

// Lays the chart out at `size` for the time of one paint, then gives it back its own geometry: the view
// itself is not resized, so nothing on screen moves and hidden views (other tabs) export too.
void paintChart(QChartView *view, QPainter *painter, QSize size)
{
    QChart *chart = view->chart();
    const QRectF ownGeometry = chart->geometry();
    const auto layOut = [chart](const QRectF &geometry) {
        chart->setGeometry(geometry);
        if (chart->layout())
            chart->layout()->activate();
    };
    const QRectF exportGeometry(ownGeometry.topLeft(), QSizeF(size));
    layOut(exportGeometry);
    painter->setRenderHint(QPainter::Antialiasing);
    painter->setRenderHint(QPainter::TextAntialiasing);
    chart->scene()->render(painter, QRectF(QPointF(0, 0), QSizeF(size)), exportGeometry, Qt::IgnoreAspectRatio);
    layOut(ownGeometry);
}

bool save(const QByteArray &bytes, const QString &path, QString *error)
{
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write(bytes) != bytes.size() || !file.commit()) {
        if (error)
            *error = QStringLiteral("cannot write \"%1\" in the folder \"%2\": %3")
                         .arg(QDir::toNativeSeparators(path), QDir::toNativeSeparators(QFileInfo(path).absolutePath()),
                              file.errorString());
        return false;
    }
    return true;
}

} // namespace

QImage render(QChartView *view, QSize size)
{
    QImage image(size * devicePixelRatio, QImage::Format_ARGB32_Premultiplied);
    image.setDevicePixelRatio(devicePixelRatio);
    image.fill(view->chart()->backgroundBrush().color());
    QPainter painter(&image);
    paintChart(view, &painter, size);
    painter.end();
    return image;
}

QByteArray png(QChartView *view, QSize size)
{
    QByteArray bytes;
    QBuffer buffer(&bytes);
    buffer.open(QIODevice::WriteOnly);
    render(view, size).save(&buffer, "PNG");
    return bytes;
}

QByteArray svg(QChartView *view, const QString &title, QSize size)
{
    QByteArray bytes;
    QBuffer buffer(&bytes);
    buffer.open(QIODevice::WriteOnly);
    QSvgGenerator generator;
    generator.setOutputDevice(&buffer);
    generator.setSize(size);
    generator.setViewBox(QRect(QPoint(0, 0), size));
    generator.setTitle(title);
    generator.setDescription(QStringLiteral("RelayBench chart"));
    QPainter painter(&generator);
    paintChart(view, &painter, size);
    painter.end();
    return bytes;
}

bool writePng(QChartView *view, const QString &path, QString *error, QSize size)
{
    return save(png(view, size), path, error);
}

bool writeSvg(QChartView *view, const QString &title, const QString &path, QString *error, QSize size)
{
    return save(svg(view, title, size), path, error);
}

} // namespace relaybench::chartimage
