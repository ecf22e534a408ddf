#!/usr/bin/env bash
# The main job: regenerate from the contract, build the SDK, run the demo.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
python3 -m codegen
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build build -j"$(nproc)" --target sr_metric_demo >/dev/null
build/sr_metric_demo
