# One INTERFACE target carries the warnings and the strict Qt defines, so that every
# library, executable and test in the tree is built the same way (as qBittorrent does).
add_library(relaybench_settings INTERFACE)

target_compile_options(relaybench_settings INTERFACE
    -Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor -Wcast-align -Woverloaded-virtual
    $<$<BOOL:${RELAYBENCH_WERROR}>:-Werror>)

target_compile_definitions(relaybench_settings INTERFACE
    QT_NO_CAST_FROM_ASCII
    QT_NO_CAST_TO_ASCII
    QT_NO_CAST_FROM_BYTEARRAY
    QT_USE_QSTRINGBUILDER
    QT_NO_NARROWING_CONVERSIONS_IN_CONNECT
    QT_NO_URL_CAST_FROM_STRING
    QT_STRICT_ITERATORS
    QT_DISABLE_DEPRECATED_UP_TO=0x060400)

# Sanitizer builds (the `asan` preset) set RELAYBENCH_SANITIZE to e.g. "address,undefined".
set(RELAYBENCH_SANITIZE "" CACHE STRING "Comma-separated -fsanitize= list, empty for none")
if(RELAYBENCH_SANITIZE)
    target_compile_options(relaybench_settings INTERFACE
        -fsanitize=${RELAYBENCH_SANITIZE} -fno-omit-frame-pointer -fno-sanitize-recover=all)
    target_link_options(relaybench_settings INTERFACE -fsanitize=${RELAYBENCH_SANITIZE})
endif()
