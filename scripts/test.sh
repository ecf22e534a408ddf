#!/usr/bin/env bash
# Every test: generator tests, drift check, the local host's tests, C build
# (gcc and clang), cmocka unit tests, the double formatter against Python's
# repr, the conformance vectors, the wasm32-wasi build of the example plugins
# with their module checks, and the plugins run end to end in the local host.
# Installs what is missing first.
set -euo pipefail
cd "$(dirname "$0")/.."
start=$(date +%s)

scripts/setup.sh

echo "== generator: drift check"
python3 -m codegen --check

echo "== generator: tests"
python3 -m pytest -q tests/codegen

echo "== local host (Go, wazero): vet and tests"
(cd host && go vet ./... && go test ./...)

echo "== C: gcc build, unit tests, dtoa check, conformance vectors"
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release -DCMAKE_C_COMPILER=gcc >/dev/null
cmake --build build -j"$(nproc)"
ctest --test-dir build --output-on-failure

echo "== C: clang build, conformance vectors"
cmake -S . -B build-clang -DCMAKE_BUILD_TYPE=Release -DCMAKE_C_COMPILER=clang >/dev/null
cmake --build build-clang -j"$(nproc)"
ctest --test-dir build-clang --output-on-failure -R "conformance|two_units"

echo "== wasm32-wasi: SDK and example plugins, module checks"
# The toolchain is given on the first configure only (CMake keeps it).
toolchain=()
[ -f build-wasm/CMakeCache.txt ] || toolchain=(-DCMAKE_TOOLCHAIN_FILE=cmake/wasm32-wasi.cmake)
cmake -S . -B build-wasm "${toolchain[@]}" >/dev/null
cmake --build build-wasm -j"$(nproc)"
ctest --test-dir build-wasm --output-on-failure

echo "== end to end: the example plugins in the local wazero host"
(cd host && go build -o ../build/srhost ./cmd/srhost)
SR_WASM_BUILD=build-wasm SR_HOST=build/srhost python3 -m pytest -q tests/e2e

echo "== all tests passed in $(( $(date +%s) - start ))s"
