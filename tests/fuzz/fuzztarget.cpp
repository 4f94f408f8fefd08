// One libFuzzer target: RELAYBENCH_FUZZ_ENTRY names the entry function of fuzzentries.h it runs.
#include "fuzzentries.h"

#include <QCoreApplication>

extern "C" int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    // Some parsers look up translations and paths: give them the application object they expect.
    static QCoreApplication app(*argc, *argv);
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    return relaybench::fuzz::RELAYBENCH_FUZZ_ENTRY(data, size);
}
