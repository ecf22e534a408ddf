#!/usr/bin/env bash
# The main job: regenerate the SDK from the contract, build the example
# plugins to wasm32-wasi, run them in the local wazero host (host/) the way
# the agent does, and show what they submitted and emitted.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
python3 -m codegen
# The toolchain is given on the first configure only (CMake keeps it).
toolchain=()
[ -f build-wasm/CMakeCache.txt ] || toolchain=(-DCMAKE_TOOLCHAIN_FILE=cmake/wasm32-wasi.cmake)
cmake -S . -B build-wasm "${toolchain[@]}" >/dev/null
cmake --build build-wasm -j"$(nproc)" | grep -E "\.wasm: [0-9]+ bytes" || true
mkdir -p build
(cd host && go build -o ../build/srhost ./cmd/srhost)

echo
echo "################ examples/http_metrics: a histogram, a monotonic sum and a gauge"
build/srhost run --wasm build-wasm/plugins/http_metrics/http_metrics.wasm \
  --manifest examples/http_metrics/plugin.yaml --config examples/http_metrics/config.json

echo
echo "################ examples/legacy_perfdata: old-style perfdata, lowered to gauges"
build/srhost run --wasm build-wasm/plugins/legacy_perfdata/legacy_perfdata.wasm \
  --manifest examples/legacy_perfdata/plugin.yaml
