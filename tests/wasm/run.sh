#!/bin/sh
# Build the WASI tree from scratch and check every plugin module.
#   tests/wasm/run.sh [BUILD_DIR]      (default: build-wasm in the repository)
# Needs (Debian 12): clang lld llvm wasi-libc libclang-rt-14-dev-wasm32 wabt
# python3 cmake, or WASI_SDK_PATH pointing at a wasi-sdk (plus wabt, python3).
# The checks are the CTest tests that cmake/plugins.cmake registers, one per
# plugin (tests/wasm/check_module.py); each prints `N passed, N failed`.
set -eu
root=$(cd "$(dirname "$0")/../.." && pwd)
build=${1:-"$root/build-wasm"}
rm -rf "$build"
cmake -S "$root" -B "$build" -DCMAKE_TOOLCHAIN_FILE="$root/cmake/wasm32-wasi.cmake"
cmake --build "$build" -j "$(nproc 2>/dev/null || echo 2)"
ctest --test-dir "$build" --output-on-failure
