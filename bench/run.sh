#!/usr/bin/env bash
# bench/run.sh - the SDK benchmark, end to end (about 2-4 minutes):
#   1. installs what is missing (Debian packages, matplotlib from
#      bench/requirements.txt; Go must be on PATH, as for host/);
#   2. builds bench/ natively and for wasm32-wasi (-Oz as plugins ship, with
#      the example plugins and their named twins, and cJSON from Debian's
#      source package when apt can fetch it; -O2; -Oz -mno-bulk-memory),
#      srhost and bench/wazero-ab;
#   3. checks that every contender writes the same document;
#   4. runs the native benchmark (3 processes), the wasm benchmark under
#      wazero (srhost exec, and wazero-ab without close-on-done), callgrind;
#   5. measures the plugin modules and writes bench/results.md and
#      bench/results.png, and prints the headline.
# Everything it builds or records stays under bench/build/.
#
#   bench/run.sh               the full run
#   BENCH_QUICK=1 bench/run.sh a smoke test (few rounds; numbers are rough)
set -euo pipefail

BENCH="$(cd "$(dirname "$0")" && pwd)"
REPO="$(dirname "$BENCH")"
B="$BENCH/build"
R="$B/results"
LOGS="$B/logs"
QUICK="${BENCH_QUICK:-0}"
if [ "$QUICK" = 1 ]; then
  NATIVE_RUNS=1 ROUNDS=5 WASM_ROUNDS=3 SAMPLE_MS=2 CG_ITERS=2
else
  NATIVE_RUNS=3 ROUNDS=31 WASM_ROUNDS=25 SAMPLE_MS=4 CG_ITERS=10
fi

start=$(date +%s)
log() { printf '[bench %3ds] %s\n' "$(($(date +%s) - start))" "$*"; }
# Runs a command with its output in a log file; on failure shows the log's end.
quiet() {
  local name=$1; shift
  if ! "$@" >"$LOGS/$name.log" 2>&1; then
    echo "bench: '$*' failed; last lines of $LOGS/$name.log:" >&2
    tail -n 30 "$LOGS/$name.log" >&2
    exit 1
  fi
}

mkdir -p "$B" "$LOGS"

# ---- 1. what the benchmark needs ---------------------------------------------
packages=(cmake make gcc pkg-config python3 python3-pip valgrind
          libcjson-dev libjson-c-dev libjansson-dev
          clang lld wasi-libc libclang-rt-14-dev-wasm32 wabt binaryen)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  log "installing Debian packages: ${missing[*]}"
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
if ! command -v go >/dev/null 2>&1; then
  echo "bench: Go (1.25 or newer) is needed for srhost and bench/wazero-ab and is not on PATH" >&2
  exit 1
fi
if ! python3 - "$BENCH/requirements.txt" <<'PY' 2>/dev/null
import importlib.metadata as md, sys
for line in open(sys.argv[1]):
    line = line.split("#")[0].strip()
    if line:
        name, version = line.split("==")
        if md.version(name) != version:
            sys.exit(1)
PY
then
  log "installing Python packages from bench/requirements.txt"
  python3 -m pip install -q -r "$BENCH/requirements.txt" 2>/dev/null \
    || python3 -m pip install -q --break-system-packages -r "$BENCH/requirements.txt"
fi

# cJSON's C source for the wasm build (compiled like the SDK): Debian's source
# package, through apt's own client. That needs a deb-src entry in apt's
# sources: when there is none, one is made from the machine's own binary
# entries (the same archive, Types deb-src). Without a source package the
# wasm build has no cJSON and the report says so.
add_deb_src() {
  local sudo="" made=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  local out=/etc/apt/sources.list.d/sr-bench-deb-src
  if [ -f /etc/apt/sources.list.d/debian.sources ] && ! grep -q '^Types:.*deb-src' /etc/apt/sources.list.d/*.sources 2>/dev/null; then
    sed 's/^Types: deb$/Types: deb-src/' /etc/apt/sources.list.d/debian.sources | $sudo tee "$out.sources" >/dev/null && made=1
  elif [ -f /etc/apt/sources.list ] && grep -q '^deb ' /etc/apt/sources.list && ! grep -q '^deb-src ' /etc/apt/sources.list; then
    sed -n 's/^deb /deb-src /p' /etc/apt/sources.list | $sudo tee "$out.list" >/dev/null && made=1
  fi
  [ -n "$made" ] && log "added a deb-src entry ($out.*) made from apt's binary entries" && $sudo apt-get update -qq
}
CJSON_SRC=""
if [ ! -f "$B/src/cjson/cJSON.c" ]; then
  log "fetching cJSON's source package (apt-get source cjson)"
  rm -rf "$B/src" && mkdir -p "$B/src"
  if (cd "$B/src" && apt-get source -qq cjson >"$LOGS/apt-source-cjson.log" 2>&1) \
     || { add_deb_src && (cd "$B/src" && apt-get source -qq cjson >"$LOGS/apt-source-cjson.log" 2>&1); }; then
    d=$(find "$B/src" -maxdepth 1 -type d -name 'cjson-*' | head -n1)
    [ -n "$d" ] && ln -sfn "$d" "$B/src/cjson"
  else
    log "no cJSON source (apt-get source cjson failed: no deb-src in apt's sources?); wasm has no cJSON"
  fi
fi
[ -f "$B/src/cjson/cJSON.c" ] && CJSON_SRC="$B/src/cjson"

# ---- 2. builds -----------------------------------------------------------------
TOOLCHAIN="$REPO/cmake/wasm32-wasi.cmake"
log "building natively (gcc -O2)"
quiet cfg-native cmake -S "$BENCH" -B "$B/native" -DCMAKE_BUILD_TYPE=Release
quiet build-native cmake --build "$B/native" -j2
log "building for wasm32-wasi (with the plugins): -Oz/LTO, -O2/LTO, -Oz/LTO/-mno-bulk-memory"
quiet cfg-wasm-oz cmake -S "$BENCH" -B "$B/wasm-oz" -DCMAKE_TOOLCHAIN_FILE="$TOOLCHAIN" \
  -DBENCH_CJSON_SRC="$CJSON_SRC"
quiet build-wasm-oz cmake --build "$B/wasm-oz" -j2
# -O2 after cmake/plugins.cmake's -Oz on every compile line: the last -O wins
# (wasm-ld's LTO code generation is -O2 in both; -Oz only marks functions
# minsize), so this is the same build at -O2, plugins included.
quiet cfg-wasm-o2 cmake -S "$BENCH" -B "$B/wasm-o2" -DCMAKE_TOOLCHAIN_FILE="$TOOLCHAIN" \
  -DBENCH_WASM_EXTRA=-O2 -DBENCH_CJSON_SRC="$CJSON_SRC"
quiet build-wasm-o2 cmake --build "$B/wasm-o2" -j2
quiet cfg-wasm-oz-bulk cmake -S "$BENCH" -B "$B/wasm-oz-bulk" -DCMAKE_TOOLCHAIN_FILE="$TOOLCHAIN" \
  -DBENCH_WASM_EXTRA=-mno-bulk-memory
quiet build-wasm-oz-bulk cmake --build "$B/wasm-oz-bulk" -j2
log "building srhost and wazero-ab (Go)"
(cd "$REPO/host" && quiet build-srhost go build -o "$B/srhost" ./cmd/srhost)
(cd "$BENCH/wazero-ab" && quiet build-wazero-ab go build -o "$B/wazero-ab" .)

NATIVE="$B/native/sr_bench"
SRHOST="$B/srhost"
AB="$B/wazero-ab"

rm -rf "$R"
mkdir -p "$R/equiv" "$R/callgrind"
{
  printf 'date\t%s\n' "$(date -u +%Y-%m-%dT%H:%MZ)"
  printf 'cpu\t%s\n' "$(lscpu | sed -n 's/^Model name: *//p' | head -n1)"
  printf 'cores\t%s\n' "$(nproc)"
  printf 'cc\t%s\n' "$(gcc --version | head -n1)"
  wasi_cc=$(sed -n 's/^set(CMAKE_C_COMPILER "\(.*\)")$/\1/p' "$B"/wasm-oz/CMakeFiles/*/CMakeCCompiler.cmake | head -n1)
  printf 'wasi_cc\t%s\n' "$("$wasi_cc" --version | head -n1) + wasi-libc $(dpkg-query -W -f='${Version}' wasi-libc)"
  printf 'wazero\t%s\n' "$(sed -n 's/.*tetratelabs\/wazero \(v[0-9.]*\).*/\1/p' "$REPO/host/go.mod" | head -n1)"
  printf 'go\t%s\n' "$(go version | awk '{print $3}')"
} >"$R/env.tsv"

# ---- 3. the same document from everyone -----------------------------------------
log "writing the reference document with every contender"
for who in sdk cjson cjson_numbers jsonc jansson; do
  "$NATIVE" --dump "$who" >"$R/equiv/$who.json"
done
"$SRHOST" exec --wasm "$B/wasm-oz/sr_bench.wasm" -- --dump sdk >"$R/equiv/wasm_Oz_sdk.json"
"$SRHOST" exec --wasm "$B/wasm-o2/sr_bench.wasm" -- --dump sdk >"$R/equiv/wasm_O2_sdk.json"
if [ -n "$CJSON_SRC" ]; then
  "$SRHOST" exec --wasm "$B/wasm-oz/sr_bench.wasm" -- --dump cjson >"$R/equiv/wasm_Oz_cjson.json"
fi

# ---- 4. measurements -------------------------------------------------------------
for i in $(seq 1 "$NATIVE_RUNS"); do
  log "native run $i/$NATIVE_RUNS"
  "$NATIVE" --rounds "$ROUNDS" --sample-ms "$SAMPLE_MS" >"$R/native.$i.tsv"
done
log "wasm: srhost exec, -Oz (all groups)"
"$SRHOST" exec --wasm "$B/wasm-oz/sr_bench.wasm" -- --rounds "$WASM_ROUNDS" --sample-ms "$SAMPLE_MS" >"$R/wasm.srhost_Oz.tsv"
log "wasm: srhost exec, -O2"
"$SRHOST" exec --wasm "$B/wasm-o2/sr_bench.wasm" -- --groups ref,dtoa --rounds "$WASM_ROUNDS" --sample-ms "$SAMPLE_MS" >"$R/wasm.srhost_O2.tsv"
log "wasm: srhost exec, -Oz -mno-bulk-memory (as before plugins used bulk memory)"
"$SRHOST" exec --wasm "$B/wasm-oz-bulk/sr_bench.wasm" -- --groups ref --rounds "$WASM_ROUNDS" --sample-ms "$SAMPLE_MS" >"$R/wasm.srhost_Oz_bulk.tsv"
log "wasm: wazero without close-on-done, -Oz and -O2"
"$AB" -close-on-done=false -wasm "$B/wasm-oz/sr_bench.wasm" -- --groups ref,dtoa --rounds "$WASM_ROUNDS" --sample-ms "$SAMPLE_MS" >"$R/wasm.nocheck_Oz.tsv"
"$AB" -close-on-done=false -wasm "$B/wasm-o2/sr_bench.wasm" -- --groups ref,dtoa --rounds "$WASM_ROUNDS" --sample-ms "$SAMPLE_MS" >"$R/wasm.nocheck_O2.tsv"

log "callgrind: instructions per operation (deterministic)"
(cd "$R/callgrind" && valgrind --tool=callgrind --collect-atstart=no --callgrind-out-file=cg.out \
   "$NATIVE" --callgrind --iters "$CG_ITERS" >cg.tsv 2>"$LOGS/callgrind.log")
for case in sdk.full sdk.validate dtoa.doc_doubles; do
  f=$(grep -l "^desc: Trigger: Client Request: $case\$" "$R"/callgrind/cg.out.* | head -n1)
  callgrind_annotate --threshold=100 "$f" >"$R/callgrind/annotate.$case.txt" 2>/dev/null
done

# ---- 5. sizes and the report ------------------------------------------------------
log "measuring the plugin modules"
python3 "$BENCH/tools/wasm_sizes.py" "$B/wasm-oz" "$B/wasm-oz-bulk" "$B/wasm-o2" >"$R/sizes.json"
log "writing bench/results.md and bench/results.png"
echo
python3 "$BENCH/tools/report.py" "$R" "$BENCH/results.md" "$BENCH/results.png"
echo
log "done: bench/results.md, bench/results.png (raw data in bench/build/results/)"
