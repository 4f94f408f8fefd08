#pragma once

#include <cstddef>
#include <cstdint>

// The parsers RelayBench runs on bytes it does not control (server answers, files users hand it), as
// fuzz entry functions. Each is built twice: into libFuzzer targets (RELAYBENCH_FUZZ=ON, clang) and into
// tst_fuzzreplay, which runs every corpus and regression input in every ordinary build.
// Each returns 0; a broken invariant aborts, which is what a fuzzer reports.
namespace relaybench::fuzz {

using Entry = int (*)(const uint8_t *data, size_t size);

int sseParser(const uint8_t *data, size_t size);
int chatResponse(const uint8_t *data, size_t size);
int campaignFile(const uint8_t *data, size_t size);
int priceCatalog(const uint8_t *data, size_t size);
int litellmImport(const uint8_t *data, size_t size);
int simProfile(const uint8_t *data, size_t size);
int csvWriter(const uint8_t *data, size_t size);

struct NamedEntry
{
    const char *name; // also the folder name under tests/fuzz/corpus and tests/fuzz/regressions
    Entry entry;
};

inline constexpr NamedEntry entries[] = {
    {"sse_parser", sseParser},       {"chat_response", chatResponse},   {"campaign_file", campaignFile},
    {"price_catalog", priceCatalog}, {"litellm_import", litellmImport}, {"sim_profile", simProfile},
    {"csv_writer", csvWriter},
};

} // namespace relaybench::fuzz
