#!/usr/bin/env bash
# Builds the libFuzzer targets (tests/fuzz/CMakeLists.txt, clang) and runs
# each for the given number of seconds, then reports per target the inputs
# executed, executions per second, edge coverage (cov:) and features (ft:)
# from libFuzzer's final stats, and the corpus size reached.
#
#   tests/fuzz/run.sh            # smoke: 10 s per target (scripts/test.sh)
#   tests/fuzz/run.sh 120        # a longer run
#   tests/fuzz/run.sh 60 testee  # some targets only
#
# Environment:
#   SR_FUZZ_BUILD  build directory (default build-fuzz)
#   SR_FUZZ_JOBS   targets run at once (default: the number of CPUs)
#   SR_FUZZ_KEEP=1 keep the inputs found by earlier runs (default: every
#                  run starts again from the committed seeds only)
#
# Each target reads the committed seeds (tests/fuzz/corpus/<t>, never
# written) and writes what it finds to <build>/corpus/<t>. A crash, a leak or
# a failed invariant stops that target, keeps the input as
# <build>/artifacts/<t>-crash-..., prints the log's end and makes this script
# exit 1. Reproduce with: <build>/fuzz_<t> <artifact>.
set -euo pipefail
cd "$(dirname "$0")/../.."

seconds=${1:-10}
shift || true
targets=("$@")
((${#targets[@]})) || targets=(api_sequence escape testee dtoa)
build=${SR_FUZZ_BUILD:-build-fuzz}
jobs=${SR_FUZZ_JOBS:-$(nproc)}

cmake -S tests/fuzz -B "$build" -DCMAKE_C_COMPILER=clang >/dev/null
cmake --build "$build" -j"$(nproc)" >/dev/null

mkdir -p "$build/logs" "$build/artifacts"
run_one() {
    local t=$1 work="$build/corpus/$1"
    [ "${SR_FUZZ_KEEP:-0}" = 1 ] || rm -rf "$work"
    mkdir -p "$work"
    local dict=() max_len
    [ -f "tests/fuzz/$t.dict" ] && dict=("-dict=tests/fuzz/$t.dict")
    # Longest input tried: the dtoa target reads 8 bytes; the testee's
    # seeds go up to 12 KB.
    case $t in dtoa) max_len=8 ;; testee) max_len=16384 ;; *) max_len=4096 ;; esac
    "$build/fuzz_$t" "$work" "tests/fuzz/corpus/$t" "${dict[@]}" \
        -max_total_time="$seconds" -max_len="$max_len" -timeout=10 -rss_limit_mb=2048 \
        -print_final_stats=1 -artifact_prefix="$build/artifacts/$t-" \
        >"$build/logs/$t.log" 2>&1
}

# Run the targets, at most $jobs at a time.
declare -A rc=()
pids=()
names=()
for t in "${targets[@]}"; do
    [ -x "$build/fuzz_$t" ] || { echo "run.sh: no target fuzz_$t" >&2; exit 2; }
    run_one "$t" &
    pids+=($!)
    names+=("$t")
    if ((${#pids[@]} >= jobs)); then
        wait "${pids[0]}" && rc[${names[0]}]=0 || rc[${names[0]}]=$?
        pids=("${pids[@]:1}")
        names=("${names[@]:1}")
    fi
done
for i in "${!pids[@]}"; do
    wait "${pids[$i]}" && rc[${names[$i]}]=0 || rc[${names[$i]}]=$?
done

# Summary from each log: the last status line (cov, ft, corp) and the
# final stats.
failed=0
printf '%-13s %12s %9s %7s %8s %16s  %s\n' target executions exec/s cov ft corpus result
for t in "${targets[@]}"; do
    log="$build/logs/$t.log"
    status=$(grep -E '^#[0-9]+' "$log" | tail -1 || true)
    cov=$(sed -n 's/.* cov: \([0-9]*\).*/\1/p' <<<"$status")
    ft=$(sed -n 's/.* ft: \([0-9]*\).*/\1/p' <<<"$status")
    corp=$(sed -n 's/.* corp: \([0-9]*\/[0-9]*[a-zA-Z]*\).*/\1/p' <<<"$status")
    execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
    speed=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log")
    result=ok
    if [ "${rc[$t]}" != 0 ]; then
        result="FAILED (exit ${rc[$t]})"
        failed=1
    fi
    printf '%-13s %12s %9s %7s %8s %16s  %s\n' "$t" "${execs:-?}" "${speed:-?}" "${cov:-?}" "${ft:-?}" "${corp:-?}" "$result"
done
if ((failed)); then
    for t in "${targets[@]}"; do
        [ "${rc[$t]}" = 0 ] && continue
        echo "---- $t: end of $build/logs/$t.log"
        tail -40 "$build/logs/$t.log"
    done
    for t in "${targets[@]}"; do
        [ "${rc[$t]}" = 0 ] || ls -1t "$build/artifacts/$t"-* 2>/dev/null | head -1 | sed 's/^/artifact: /'
    done
    exit 1
fi
