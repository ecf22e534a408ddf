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

echo "== C: the size builds' table-driven serializer forced on natively (SR_WTABLE=1): the vectors and odd lines answered as sr_testee does"
python3 tests/conformance/run_vectors.py --testee build/sr_testee_wtable --expect-same-as build/sr_testee
python3 tests/conformance/wasm/differential.py --testee build/sr_testee_wtable --reference build/sr_testee

echo "== C: clang build, conformance vectors"
cmake -S . -B build-clang -DCMAKE_BUILD_TYPE=Release -DCMAKE_C_COMPILER=clang >/dev/null
cmake --build build-clang -j"$(nproc)"
ctest --test-dir build-clang --output-on-failure -R "conformance|two_units"

# ==== Go SDK (issue #4)
# The generated Go SDK (generated/go: package contract, jsontext, testee) is
# gofmt-clean and vetted; its unit tests live in tests/conformance/go/sdk
# (generated/ belongs to the generator); the Go testee answers every vector
# byte for byte as the C testee does. The edit-flow test
# (tests/codegen/test_edit_flows_go.py) ran with the generator tests above.
echo "== Go SDK: gofmt, vet, unit tests, conformance vectors (same answers as C)"
go_unformatted=$(gofmt -l generated/go tests/conformance/go)
if [ -n "$go_unformatted" ]; then
  echo "not gofmt-formatted: $go_unformatted" >&2
  exit 1
fi
(cd generated/go && go vet ./...)
(cd tests/conformance/go && go vet ./... && go test ./... && go build -o ../../../build/sr_testee_go .)
python3 tests/conformance/run_vectors.py --testee build/sr_testee_go --expect-same-as build/sr_testee
# ==== end of Go SDK

# ==== Rust SDK (issue #4)
# The generated crate (generated/rust) and the Rust conformance testee
# (tests/conformance/rust, whose workspace and Cargo.lock the crate shares):
# clippy with warnings as errors, the crate's unit tests, the API tests and
# the double layout against Python's repr (800k doubles), then the vectors
# through the release testee, every answer the same as the C testee's. Crates
# come from crates.io through cargo; the build lives in build/cargo.
rust_start=$(date +%s)
rust_ws=tests/conformance/rust/Cargo.toml
export CARGO_TARGET_DIR="$PWD/build/cargo"
echo "== Rust: clippy -D warnings (generated crate and testee, all targets)"
cargo clippy --locked --manifest-path "$rust_ws" --workspace --all-targets --all-features -- -D warnings
cargo clippy --locked --manifest-path generated/rust/Cargo.toml --all-targets -- -D warnings
echo "== Rust: generated crate unit tests"
cargo test --locked --manifest-path generated/rust/Cargo.toml
echo "== Rust: API tests and the repr layout against Python"
cargo test --locked --release --manifest-path "$rust_ws"
echo "== Rust: conformance vectors through the Rust testee (same answers as the C testee)"
cargo build --locked --release --manifest-path "$rust_ws" --bin sr_testee_rust
python3 tests/conformance/run_vectors.py --testee build/cargo/release/sr_testee_rust --expect-same-as build/sr_testee
unset CARGO_TARGET_DIR
echo "== Rust: done in $(( $(date +%s) - rust_start ))s"
# ==== end of Rust SDK

# ==== parity and upstream (issue #4)
# Parity: every vector through the C, Go and Rust testees; a matrix of case x
# language, each cell judged against the vector and against C (same verdict,
# same (rule, path, severity) set, outputs equal as JSON values with numbers
# compared exactly; C's bytes are the canonical text). The runner's own tests
# plant differences in a mutant of the Python reference testee.
echo "== parity: the vectors through C, Go and Rust (matrix)"
python3 -m pytest -q tests/conformance/selftest
python3 tests/conformance/run_vectors.py --parity c=build/sr_testee --parity go=build/sr_testee_go \
  --parity rust=build/cargo/release/sr_testee_rust --matrix build/parity-matrix.md
# Upstream: our C SDK's emit_telemetry bytes for tests/upstream/scenarios.json
# against what the upstream Go and Rust SDKs write (hand-derived, in
# tests/upstream/expected/: neither registry serves them); every difference
# must be a decided divergence in contract/envelope.yaml (tests/upstream/README.md).
echo "== upstream: C SDK output against the upstream Go and Rust SDKs"
python3 tests/upstream/compare.py --emit build/tests/upstream/sr_upstream_emit
# ==== end of parity and upstream

# ==== reliability (issue #6): sanitizers, fault injection, static analysis, fuzzing
# The native suite under AddressSanitizer + UBSan (leak detection on), the
# fault-injection tests (tests/faults/), docs/bad-input.md checked against
# the vectors and the contract, clang-tidy + cppcheck on the hand-written C
# (tests/cppcheck/), and a 10 s libFuzzer smoke run per target (tests/fuzz/;
# a longer run: tests/fuzz/run.sh 120). About 50 s from clean, 40 s warm.
reliability_start=$(date +%s)
reliability_tools=(clang-tidy cppcheck libclang-rt-14-dev)
reliability_missing=()
for p in "${reliability_tools[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || reliability_missing+=("$p")
done
if ((${#reliability_missing[@]})); then
  echo "reliability: installing Debian packages: ${reliability_missing[*]}"
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${reliability_missing[@]}" >/dev/null
fi
sanitizer_env=(ASAN_OPTIONS=detect_leaks=1:strict_string_checks=1:detect_stack_use_after_return=1
               UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1)

echo "== reliability: every native test under AddressSanitizer + UBSan (clang, leak detection on)"
cmake -S . -B build-asan -DCMAKE_BUILD_TYPE=Debug -DSR_SANITIZE=ON \
      -DCMAKE_C_COMPILER=clang -DCMAKE_CXX_COMPILER=clang++ >/dev/null
cmake --build build-asan -j"$(nproc)"
env "${sanitizer_env[@]}" ctest --test-dir build-asan --output-on-failure
# run_vectors.py judges answers only; a leak is reported at exit, so the
# sanitized testee must also exit 0 with nothing on stderr.
env "${sanitizer_env[@]}" python3 tests/faults/testee_exits_clean.py build-asan/sr_testee

echo "== reliability: fault injection under the sanitizers (arena exhaustion, limits, bad input, vectors through emit)"
cmake -S tests/faults -B build-faults -DSR_SANITIZE=ON -DCMAKE_C_COMPILER=clang >/dev/null
cmake --build build-faults -j"$(nproc)"
env "${sanitizer_env[@]}" ctest --test-dir build-faults --output-on-failure

echo "== reliability: docs/bad-input.md against the vectors and the contract"
python3 tests/fuzz/check_bad_input_table.py

echo "== reliability: static analysis of the hand-written C (clang-tidy, cppcheck)"
python3 tests/cppcheck/static_analysis.py

echo "== reliability: libFuzzer smoke run, 10 s per target"
tests/fuzz/run.sh 10
echo "== reliability: done in $(( $(date +%s) - reliability_start ))s"
# ==== end of reliability (issue #6)

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
