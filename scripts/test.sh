#!/usr/bin/env bash
# Every test: generator tests, drift check, the local host's tests, C build
# (gcc and clang), cmocka unit tests, the double formatter against Python's
# repr, the conformance vectors, the wasm32-wasi build of the example plugins
# with their module checks, the conformance vectors against the wasm32-wasi
# testee (the same answers as the native one), and the plugins run end to end
# in the local host.
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

echo "== wasm32-wasi: the conformance vectors in the local wazero host, answered as natively"
# The local host (also used end to end below) runs the testee built as a
# WASI command; every answer must be the native (json-c) testee's, byte for
# byte, on the vectors and on odd lines (tests/conformance/wasm/).
(cd host && go build -o ../build/srhost ./cmd/srhost)
wasm_testee="build/srhost exec --wasm build-wasm/conformance/sr_testee.wasm"
python3 tests/conformance/run_vectors.py --testee "$wasm_testee" --expect-same-as build/sr_testee
python3 tests/conformance/wasm/differential.py --testee "$wasm_testee" --reference build/sr_testee

echo "== end to end: the example plugins in the local wazero host"
SR_WASM_BUILD=build-wasm SR_HOST=build/srhost python3 -m pytest -q tests/e2e

echo "== all tests passed in $(( $(date +%s) - start ))s"
