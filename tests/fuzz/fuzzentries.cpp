#include "fuzzentries.h"

#include "campaign/campaignloader.h"
#include "engine/chatresponsereader.h"
#include "engine/sseparser.h"
#include "pricing/litellmimport.h"
#include "pricing/pricecatalog.h"
#include "sim/simprofile.h"
#include "storage/requestscsvwriter.h"

#include <QByteArray>
#include <QCoreApplication>
#include <QDir>
#include <QStringList>

#include <cstdlib>

namespace relaybench::fuzz {

namespace {

QByteArray bytesOf(const uint8_t *data, size_t size)
{
    return QByteArray(reinterpret_cast<const char *>(data), qsizetype(size));
}

void check(bool condition)
{
    if (!condition)
        std::abort(); // the fuzzer keeps the input that got here
}

// The pieces a network read could deliver: the first byte picks where the input is cut, so that the
// fuzzer also explores events, lines and CRLFs split across reads.
QList<QByteArray> piecesOf(const QByteArray &input)
{
    if (input.isEmpty())
        return {};
    const int step = 1 + (uchar(input.at(0)) % 16);
    const QByteArray rest = input.mid(1);
    QList<QByteArray> pieces;
    for (qsizetype at = 0; at < rest.size(); at += step)
        pieces.append(rest.mid(at, step));
    return pieces;
}

// Fields of one requests.csv line (RFC 4180), to check that the writer's output reads back.
QStringList parseCsvLine(const QByteArray &line, bool *ok)
{
    QStringList fields;
    QByteArray field;
    bool quoted = false;
    *ok = true;
    for (qsizetype i = 0; i < line.size(); ++i) {
        const char c = line.at(i);
        if (quoted) {
            if (c == '"' && i + 1 < line.size() && line.at(i + 1) == '"') {
                field += '"';
                ++i;
            } else if (c == '"') {
                quoted = false;
            } else {
                field += c;
            }
        } else if (c == '"' && field.isEmpty()) {
            quoted = true;
        } else if (c == ',') {
            fields.append(QString::fromUtf8(field));
            field.clear();
        } else if (c == '\r' && i + 2 == line.size() && line.at(i + 1) == '\n') {
            break;
        } else {
            field += c;
        }
    }
    *ok = !quoted && line.endsWith("\r\n");
    fields.append(QString::fromUtf8(field));
    return fields;
}

} // namespace

int sseParser(const uint8_t *data, size_t size)
{
    constexpr qsizetype maxLine = 4096;
    SseParser parser(maxLine);
    for (const QByteArray &piece : piecesOf(bytesOf(data, size))) {
        parser.feed(piece);
        check(parser.bufferedBytes() <= maxLine); // the line cap holds, whatever arrives
        parser.takeEvents();
    }
    parser.finish();
    parser.takeEvents();
    return 0;
}

int chatResponse(const uint8_t *data, size_t size)
{
    const QByteArray input = bytesOf(data, size);
    const bool sse = !input.isEmpty() && (uchar(input.at(0)) & 0x80);
    ChatResponseReader reader(sse, 64 * 1024, 4096);
    double now = 0.0;
    for (const QByteArray &piece : piecesOf(input)) {
        if (!reader.feed(piece, now += 1.0))
            break;
    }
    reader.finish();
    check(reader.contentChars() >= 0 && reader.reasoningChars() >= 0);
    check(reader.interTokenMs().size() <= qsizetype(reader.tokenEvents()));
    if (const auto usage = reader.usage())
        check(usage->promptTokens >= 0 && usage->completionTokens >= 0);
    check(!ChatResponseReader::errorMessageOf(input).isEmpty());
    return 0;
}

int campaignFile(const uint8_t *data, size_t size)
{
    // prompts_file names are resolved against a folder that holds nothing.
    static const PriceCatalog catalog = PriceCatalog::shipped();
    const CampaignLoadResult result = parseCampaign(bytesOf(data, size), QStringLiteral("fuzz.json"),
                                                    QDir::tempPath() + QStringLiteral("/rb-fuzz-none"), catalog);
    check(result.campaign.has_value() == result.errors.isEmpty()); // one or the other, never both or neither
    if (result.campaign)
        check(!result.campaign->targets.isEmpty() && !result.campaign->request.conversations.isEmpty());
    return 0;
}

int priceCatalog(const uint8_t *data, size_t size)
{
    QString error;
    const auto catalog = PriceCatalog::fromAnyJson(bytesOf(data, size), QStringLiteral("fuzz.json"), &error);
    check(catalog.has_value() || !error.isEmpty());
    return 0;
}

int litellmImport(const uint8_t *data, size_t size)
{
    QString error;
    const auto imported = importLiteLlm(bytesOf(data, size), QStringLiteral("fuzz.json"), &error);
    check(imported.has_value() || !error.isEmpty());
    return 0;
}

int simProfile(const uint8_t *data, size_t size)
{
    QString error;
    const auto profile = parseSimProfile(bytesOf(data, size), QStringLiteral("fuzz.json"), &error);
    check(profile.has_value() || !error.isEmpty());
    return 0;
}

int csvWriter(const uint8_t *data, size_t size)
{
    // Server text (an error message) and a target name, as they reach requests.csv.
    const QByteArray input = bytesOf(data, size);
    const qsizetype split = input.indexOf('\0');
    AttemptRecord record;
    record.error = QString::fromUtf8(split < 0 ? input : input.left(split));
    const QString targetName = split < 0 ? QStringLiteral("t") : QString::fromUtf8(input.mid(split + 1));
    record.outcome = Outcome::InvalidResponse;
    const QByteArray row = RequestsCsvWriter::row(record, targetName);
    bool ok = false;
    const QStringList fields = parseCsvLine(row, &ok);
    check(ok);
    check(fields.size() == QString::fromLatin1(RequestsCsvWriter::header()).count(QLatin1Char(',')) + 1);
    for (const QString &cell : {fields.at(0), fields.at(15)}) {
        // No cell starts a formula: = + - @ tab CR are neutralised with a leading quote.
        check(cell.isEmpty() || !QStringLiteral("=+-@\t\r").contains(cell.front()));
    }
    const QString written = fields.at(15);
    check(written == record.error || written == QLatin1Char('\'') + record.error);
    return 0;
}

} // namespace relaybench::fuzz
