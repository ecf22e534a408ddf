# Platform file for CMAKE_SYSTEM_NAME WASI (CMake 3.25 ships none).
# cmake/wasm32-wasi.cmake puts this folder on CMAKE_MODULE_PATH; wasi-sdk's
# own toolchain file does the same with an equivalent file.
set(WASI 1)
set(CMAKE_EXECUTABLE_SUFFIX ".wasm")
# No dynamic linking in WASI preview 1: add_library(SHARED) is refused.
set_property(GLOBAL PROPERTY TARGET_SUPPORTS_SHARED_LIBS FALSE)
