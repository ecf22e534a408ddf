#!/usr/bin/env python3
"""A/B of two sr_bench builds, interleaved in one run.

    python3 bench/tools/ab.py OLD_CMD NEW_CMD [--pairs N] [--args "..."]

OLD_CMD and NEW_CMD are command prefixes (e.g. a native sr_bench path, or
"srhost exec --wasm x.wasm --"). Each pair runs OLD then NEW (alternating
which goes first) with the same arguments (default: --groups ref --rounds 5
--sample-ms 4); the table gives, per case, the median ns/op of each and the
median over pairs of the per-pair ratio NEW/OLD. Used for the before/after
numbers in commit messages; the full benchmark is bench/run.sh.
"""
import argparse
import shlex
import statistics
import subprocess
from collections import defaultdict


def run(cmd, args):
    out = subprocess.run(shlex.split(cmd) + shlex.split(args), check=True, capture_output=True, text=True).stdout
    per = defaultdict(list)
    for line in out.splitlines():
        f = line.split("\t")
        if f[0] == "sample":
            per[(f[1], int(f[2]))].append(float(f[4]))
    return {k: statistics.median(v) for k, v in per.items()}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("old")
    ap.add_argument("new")
    ap.add_argument("--pairs", type=int, default=5)
    ap.add_argument("--args", default="--groups ref --rounds 5 --sample-ms 4")
    a = ap.parse_args()
    olds, news, ratios = defaultdict(list), defaultdict(list), defaultdict(list)
    for i in range(a.pairs):
        order = [("old", a.old), ("new", a.new)]
        if i % 2:
            order.reverse()
        got = {who: run(cmd, a.args) for who, cmd in order}
        for k in got["new"]:
            if k in got["old"]:
                olds[k].append(got["old"][k])
                news[k].append(got["new"][k])
                ratios[k].append(got["new"][k] / got["old"][k])
    print(f"| case | points | old ns/op | new ns/op | new/old (median of {a.pairs} pairs) |")
    print("| --- | ---: | ---: | ---: | ---: |")
    for k in sorted(ratios):
        print(f"| {k[0]} | {k[1]} | {statistics.median(olds[k]):.0f} | {statistics.median(news[k]):.0f} | "
              f"{statistics.median(ratios[k]):.3f} |")


if __name__ == "__main__":
    main()
