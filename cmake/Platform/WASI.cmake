# Platform file for CMAKE_SYSTEM_NAME WASI (CMake 3.25 ships none).
# cmake/wasm32-wasi.cmake puts this folder on CMAKE_MODULE_PATH; wasi-sdk's
# own toolchain file does the same with an equivalent file.
set(WASI 1)
set(CMAKE_EXECUTABLE_SUFFIX ".wasm")
# No dynamic linking in WASI preview 1: add_library(SHARED) is refused.
set_property(GLOBAL PROPERTY TARGET_SUPPORTS_SHARED_LIBS FALSE)

# Every link line ends in -O0. The last -O of a clang 14 link decides one
# thing only (LTO code generation runs at wasm-ld's default --lto-O2 either
# way; the compile's -Oz has already marked the functions minsize): when it
# is not -O0 and a wasm-opt (binaryen) is on PATH, the driver runs
# `wasm-opt <module> -O<n> -o <module>` by itself, with no feature flags, and
# that fails on the bulk memory instructions ("bulk memory is disabled"), so
# merely installing binaryen broke every WASI build. wasm-ld's command is the
# same with -O0; when wasm-opt is wanted, sr_add_plugin runs it as a step of
# its own with the module's features (cmake/plugins.cmake, SR_WASM_OPT).
set(CMAKE_C_LINK_EXECUTABLE
    "<CMAKE_C_COMPILER> <FLAGS> <CMAKE_C_LINK_FLAGS> <LINK_FLAGS> <OBJECTS> -o <TARGET> <LINK_LIBRARIES> -O0")
