#!/usr/bin/env python3
"""Turns what bench/run.sh measured into bench/results.md and bench/results.png.

    report.py RESULTS_DIR OUT.md OUT.png

RESULTS_DIR (bench/build/results) holds:
  native.N.tsv            sr_bench runs (native), N = 1, 2, ...
  wasm.VARIANT.tsv        sr_bench.wasm runs under wazero
  equiv/*.json            one reference document per contender
  callgrind/cg.tsv, callgrind/cg.out.N, callgrind/annotate.CASE.txt
  sizes.json              tools/wasm_sizes.py
  env.tsv                 machine and tool versions
Prints the headline numbers (the same as the top of the Markdown).
"""
import collections
import glob
import json
import math
import os
import re
import statistics
import sys

REF = 100
SCALE_POINTS = [1, 10, 100, 1000, 10000]

WASM_VARIANTS = [
    # name, runner, build, what
    ("srhost_Oz", "srhost exec", "-Oz, LTO (as plugins ship)", "the agent's configuration: WithCloseOnContextDone(true)"),
    ("srhost_O2", "srhost exec", "-O2, LTO", "same runtime, built for speed"),
    ("srhost_Oz_bulk", "srhost exec", "-Oz, LTO, -mno-bulk-memory", "as plugins were built before bulk memory: memcpy/memset as wasi-libc loops"),
    ("nocheck_Oz", "wazero without close-on-done", "-Oz, LTO (as plugins ship)", "bench/wazero-ab -close-on-done=false"),
    ("nocheck_O2", "wazero without close-on-done", "-O2, LTO", "bench/wazero-ab -close-on-done=false"),
]

LIB_NAMES = {
    "cjson": "cJSON 1.7.15 (exact: int64 and doubles as raw text)",
    "cjson_numbers": "cJSON 1.7.15 (plain cJSON numbers: NOT the same document)",
    "jsonc": "json-c 0.16",
    "jansson": "jansson 2.14",
}

CASE_TEXT = {
    "sdk.full": "SDK: build + validate + serialize (record_otel_metric + batch_to_json)",
    "sdk.emit": "SDK: build + validate + serialize + emit (host copies the bytes)",
    "sdk.build": "SDK: builder calls only",
    "sdk.record": "SDK: record_otel_metric only (validate + one write pass into the arena)",
    "sdk.validate": "SDK: validate only",
    "sdk.json_size": "SDK: json_size only (a counting pass; not on the record path)",
    "sdk.serialize_metric": "SDK: otel_metric_to_json only",
    "sdk.serialize": "SDK: serialize only (metric_to_json + batch_to_json, prebuilt)",
    "floor.memcpy": "floor: memcpy of the document's bytes",
}


# ---------------------------------------------------------------- loading --

def load_tsv(path):
    info, samples, allocs = {}, collections.defaultdict(list), {}
    run = os.path.basename(path)
    for line in open(path):
        f = line.rstrip("\n").split("\t")
        if f[0] == "info":
            info[f[1]] = f[2]
        elif f[0] == "sample":
            samples[(f[1], int(f[2]))].append(
                {"run": run, "round": int(f[3]), "ns": float(f[4]), "bytes": int(f[5]), "items": int(f[6])})
        elif f[0] == "allocs":
            allocs[(f[1], int(f[2]))] = (int(f[3]), int(f[4]))
    return info, samples, allocs


def merge(paths):
    info, samples, allocs = {}, collections.defaultdict(list), {}
    for p in sorted(paths):
        i, s, a = load_tsv(p)
        info.update(i)
        for k, v in s.items():
            samples[k].extend(v)
        allocs.update(a)
    return info, samples, allocs


def median(xs):
    return statistics.median(xs) if xs else float("nan")


def quartiles(xs):
    if len(xs) < 4:
        return (min(xs), max(xs)) if xs else (float("nan"),) * 2
    q = statistics.quantiles(xs, n=4)
    return q[0], q[2]


def stat(samples, case, n=REF):
    s = samples.get((case, n), [])
    ns = [x["ns"] for x in s]
    if not ns:
        return None
    lo, hi = quartiles(ns)
    return {"ns": median(ns), "lo": lo, "hi": hi, "bytes": s[0]["bytes"], "items": s[0]["items"], "count": len(ns)}


def ratio(samples, a, b, n=REF):
    """Median over rounds of t_a / t_b, samples paired by (run, round)."""
    sa = {(x["run"], x["round"]): x["ns"] for x in samples.get((a, n), [])}
    sb = {(x["run"], x["round"]): x["ns"] for x in samples.get((b, n), [])}
    r = [sa[k] / sb[k] for k in sa if k in sb and sb[k] > 0]
    if not r:
        return None
    lo, hi = quartiles(r)
    return {"r": median(r), "lo": lo, "hi": hi}


# ------------------------------------------------------------ equivalence --

def json_load(path):
    with open(path) as f:
        return json.load(f)


def differences(a, b, path="$", out=None):
    """Value differences; numbers compare exactly as numbers (an int and a
    float are equal only if they are the same real number), key order is
    ignored (it is reported separately)."""
    if out is None:
        out = []
    if isinstance(a, dict) and isinstance(b, dict):
        for k in a:
            if k not in b:
                out.append((path + "." + k, "missing", ""))
            else:
                differences(a[k], b[k], path + "." + k, out)
        for k in b:
            if k not in a:
                out.append((path + "." + k, "", "extra"))
    elif isinstance(a, list) and isinstance(b, list):
        if len(a) != len(b):
            out.append((path, "len %d" % len(a), "len %d" % len(b)))
        for i, (x, y) in enumerate(zip(a, b)):
            differences(x, y, "%s[%d]" % (path, i), out)
    elif isinstance(a, bool) or isinstance(b, bool):
        if a is not b:
            out.append((path, a, b))
    elif isinstance(a, (int, float)) and isinstance(b, (int, float)):
        if a != b:
            out.append((path, a, b))
    elif a != b or type(a) != type(b):
        out.append((path, a, b))
    return out


def key_order_same(a, b):
    if isinstance(a, dict) and isinstance(b, dict):
        return list(a) == list(b) and all(key_order_same(a[k], b[k]) for k in a if k in b)
    if isinstance(a, list) and isinstance(b, list):
        return all(key_order_same(x, y) for x, y in zip(a, b))
    return True


def equivalence(eqdir):
    ref_path = os.path.join(eqdir, "sdk.json")
    ref_bytes = open(ref_path, "rb").read()
    ref = json.loads(ref_bytes)
    rows = []
    for name in ["wasm_Oz_sdk", "wasm_O2_sdk", "wasm_Oz_cjson", "cjson", "cjson_numbers", "jsonc", "jansson"]:
        p = os.path.join(eqdir, name + ".json")
        if not os.path.exists(p):
            continue
        raw = open(p, "rb").read()
        try:
            doc = json.loads(raw)
        except ValueError as e:
            rows.append({"name": name, "bytes": len(raw), "equal": False, "diffs": [("parse", str(e), "")]})
            continue
        d = differences(ref, doc)
        rows.append({"name": name, "bytes": len(raw), "equal": not d, "identical": raw == ref_bytes,
                     "order": key_order_same(ref, doc), "diffs": d})
    return {"ref_bytes": len(ref_bytes), "rows": rows}


# --------------------------------------------------------------- callgrind --

def callgrind(cgdir):
    if not os.path.isdir(cgdir):
        return None
    iters = {}
    for line in open(os.path.join(cgdir, "cg.tsv")):
        f = line.rstrip("\n").split("\t")
        if f[0] == "cg":
            iters[f[1]] = (int(f[2]), int(f[3]))
    per_op = {}
    for p in glob.glob(os.path.join(cgdir, "cg.out.*")):
        desc = total = None
        for line in open(p, errors="replace"):
            if line.startswith("desc: Trigger: Client Request: "):
                desc = line.split(": ", 3)[-1].strip()
            elif line.startswith("summary:") or line.startswith("totals:"):
                total = int(line.split()[1])
        if desc in iters and total is not None:
            per_op[desc] = total / iters[desc][0]
    hot = {}
    for p in glob.glob(os.path.join(cgdir, "annotate.*.txt")):
        case = os.path.basename(p)[len("annotate."):-len(".txt")]
        rows, total = [], None
        for line in open(p, errors="replace"):
            m = re.match(r"\s*([\d,]+)\s+\(\s*[\d.]+%\)\s+(\S.*)$", line)
            if not m:
                continue
            n = int(m.group(1).replace(",", ""))
            what = m.group(2)
            if "PROGRAM TOTALS" in what:
                total = n
                continue
            if total is not None and n >= total:
                continue  # the frames around the measured loop (inclusive)
            fn = re.sub(r"^.*:", "", what.split(" [")[0])
            obj = os.path.basename(what.split(" [")[-1].rstrip("]")) if " [" in what else ""
            rows.append((fn, obj, n))
        it = iters.get(case, (1, 1))[0]
        hot[case] = {"total": (total or 0) / it, "rows": [(f, o, n / it) for f, o, n in rows]}
    return {"per_op": per_op, "iters": iters, "hot": hot}


# --------------------------------------------------------------- formatting --

def us(ns):
    return "%.1f" % (ns / 1000) if ns >= 1000 else "%.2f" % (ns / 1000)


def fmt_ns(ns):
    if ns >= 1e6:
        return "%.2f ms" % (ns / 1e6)
    if ns >= 1e3:
        return "%.1f µs" % (ns / 1e3)
    return "%.0f ns" % ns


def gbs(nbytes, ns):
    return nbytes / ns  # bytes per ns == GB/s


def met(ok):
    return "**met**" if ok else "**missed**"


def table(headers, rows, align=None):
    out = ["| " + " | ".join(headers) + " |"]
    align = align or ["---"] + ["---:"] * (len(headers) - 1)
    out.append("| " + " | ".join(align) + " |")
    for r in rows:
        out.append("| " + " | ".join(str(c) for c in r) + " |")
    return "\n".join(out)


def kib(n):
    return "%.1f KiB" % (n / 1024)


# ------------------------------------------------------------------- main --

def main():
    resdir, out_md, out_png = sys.argv[1], sys.argv[2], sys.argv[3]
    env = {}
    if os.path.exists(os.path.join(resdir, "env.tsv")):
        for line in open(os.path.join(resdir, "env.tsv")):
            k, _, v = line.rstrip("\n").partition("\t")
            env[k] = v
    ninfo, nat, nallocs = merge(glob.glob(os.path.join(resdir, "native.*.tsv")))
    wasm = {}
    for name, *_ in WASM_VARIANTS:
        p = os.path.join(resdir, "wasm.%s.tsv" % name)
        if os.path.exists(p):
            wasm[name] = merge([p])
    eq = equivalence(os.path.join(resdir, "equiv"))
    cg = callgrind(os.path.join(resdir, "callgrind"))
    sizes_all = json.load(open(os.path.join(resdir, "sizes.json")))
    sizes = sizes_all.get("wasm-oz", {})
    sizes_bulk = sizes_all.get("wasm-oz-bulk", {})
    sizes_o2 = sizes_all.get("wasm-o2", {})

    doc_bytes = int(ninfo["doc_bytes"])
    md = []
    head = []  # headline lines, printed too

    # ---- the numbers every section uses
    full = stat(nat, "sdk.full")
    ser = stat(nat, "sdk.serialize")
    ser_m = stat(nat, "sdk.serialize_metric")
    val = stat(nat, "sdk.validate")
    size_pass = stat(nat, "sdk.json_size")
    memcpy_floor = stat(nat, "floor.memcpy")
    r_cjson = ratio(nat, "cjson.build_print", "sdk.full")
    r_cjson_num = ratio(nat, "cjson_numbers.build_print", "sdk.full")
    r_val = ratio(nat, "sdk.validate", "sdk.serialize_metric")
    ser_gbs = gbs(ser["bytes"], ser["ns"])
    full_gbs = gbs(full["bytes"], full["ns"])

    wz = wasm.get("srhost_Oz")
    wz_full = stat(wz[1], "sdk.full") if wz else None
    wz_ser = stat(wz[1], "sdk.serialize") if wz else None

    def scale_dev(samples, case):
        per = {}
        for n in SCALE_POINTS:
            s = stat(samples, case, n)
            if s:
                per[n] = s["ns"] / n
        band = [per[n] for n in (10, 100, 1000, 10000) if n in per]
        if len(band) < 4:
            return per, None
        centre = statistics.median(band)
        dev = max(abs(x / centre - 1) for x in band)
        return per, {"centre": centre, "dev": dev, "spread": max(band) / min(band)}

    nat_scale, nat_dev = scale_dev(nat, "scale.full")
    w_scale, w_dev = scale_dev(wz[1], "scale.full") if wz else ({}, None)

    http = sizes.get("http_metrics")
    targets = []
    targets.append((
        "native: ≥ 25× faster than cJSON build+print",
        "%.1f× (exact cJSON); %.1f× (plain cJSON numbers, a different document)" % (r_cjson["r"], r_cjson_num["r"]),
        met(r_cjson["r"] >= 25),
        "short by %.1f×: 25× needs %.1f µs per document, we take %.1f µs" % (25 / r_cjson["r"], full["ns"] * r_cjson["r"] / 25 / 1e3, full["ns"] / 1e3)
        if r_cjson["r"] < 25 else "by %.0f%%" % ((r_cjson["r"] / 25 - 1) * 100)))
    targets.append((
        "native: ≥ 1 GB/s of JSON output",
        "serialize only %.2f GB/s; whole path (build+validate+serialize) %.2f GB/s" % (ser_gbs, full_gbs),
        met(ser_gbs >= 1.0) + " (serialize) / " + met(full_gbs >= 1.0) + " (whole path)",
        ("serialize %+.0f%%, whole path %+.0f%%" % ((ser_gbs - 1) * 100, (full_gbs - 1) * 100))))
    w_cj = ratio(wz[1], "cjson.build_print", "sdk.full") if wz else None
    nc = wasm.get("nocheck_Oz")
    w_cj_nc = ratio(nc[1], "cjson.build_print", "sdk.full") if nc else None
    if w_cj:
        targets.append((
            "wasm under wazero: ≥ 10× faster than cJSON compiled the same way",
            "%.1f× under srhost (close-on-done, as the agent runs plugins)%s; cJSON 1.7.15 from Debian's source "
            "package, exact variant, compiled into the same -Oz LTO module" % (
                w_cj["r"], "; %.1f× without close-on-done" % w_cj_nc["r"] if w_cj_nc else ""),
            met(w_cj["r"] >= 10),
            "short by %.1f×: 10× needs %.0f µs per document, we take %.0f µs" % (
                10 / w_cj["r"], wz_full["ns"] * w_cj["r"] / 10 / 1e3, wz_full["ns"] / 1e3)
            if w_cj["r"] < 10 else "by %.0f%%" % ((w_cj["r"] / 10 - 1) * 100)))
    else:
        targets.append((
            "wasm under wazero: ≥ 10× faster than cJSON compiled the same way",
            "not measured: no cJSON source (bench/run.sh fetches it with `apt-get source cjson`, which needs a deb-src line in apt's sources)",
            "n/a", "our wasm speed alone is reported below"))
    if nat_dev:
        targets.append((
            "time per point flat within ±15% from 10 to 10,000 points",
            "native ±%.1f%% (%.0f–%.0f ns/point)%s" % (
                nat_dev["dev"] * 100, min(nat_scale[n] for n in (10, 100, 1000, 10000)),
                max(nat_scale[n] for n in (10, 100, 1000, 10000)),
                "; wasm ±%.1f%%" % (w_dev["dev"] * 100) if w_dev else ""),
            met(nat_dev["dev"] <= 0.15 and (not w_dev or w_dev["dev"] <= 0.15)),
            "margin %.1f points" % ((0.15 - max(nat_dev["dev"], w_dev["dev"] if w_dev else 0)) * 100)))
    ir_ratio = None
    if cg and cg["per_op"].get("sdk.validate") and cg["per_op"].get("sdk.serialize_metric"):
        ir_ratio = cg["per_op"]["sdk.validate"] / cg["per_op"]["sdk.serialize_metric"]
    borderline = r_val["lo"] <= 1 / 3 <= r_val["hi"]
    targets.append((
        "validation ≤ 1/3 of serialization time",
        "validate / otel_metric_to_json = %.3f in time [p25–p75 %.3f–%.3f] (%s vs %s); %s in instructions" % (
            r_val["r"], r_val["lo"], r_val["hi"], fmt_ns(val["ns"]), fmt_ns(ser_m["ns"]),
            "%.3f" % ir_ratio if ir_ratio else "?"),
        met(r_val["r"] <= 1 / 3) + (" (borderline)" if borderline else ""),
        "%+.1f%% against the 0.333 limit in time%s" % (
            (r_val["r"] * 3 - 1) * 100, ", %+.1f%% in instructions" % ((ir_ratio * 3 - 1) * 100) if ir_ratio else "")))
    if http:
        targets.append((
            "example metric plugin (http_metrics) ≤ 24 KiB stripped",
            "%d bytes = %s" % (http["bytes"], kib(http["bytes"])),
            met(http["bytes"] <= 24 * 1024),
            "%.1f KiB over (%.2f× the budget)" % ((http["bytes"] - 24 * 1024) / 1024, http["bytes"] / (24 * 1024))
            if http["bytes"] > 24 * 1024 else "%.1f KiB under" % ((24 * 1024 - http["bytes"]) / 1024)))
        targets.append((
            "no printf in the example metric plugin",
            "printf-family functions in the module: %s" % (", ".join(http["printf"]) or "none"),
            met(not http["printf"]), ""))
    zero = all(nallocs.get((c, REF), (1, 0))[0] == 0 for c in ("sdk.full", "sdk.emit"))
    targets.append((
        "zero heap allocations on build-validate-serialize-emit",
        "%d allocations per document (malloc/calloc/realloc counted by interposition)" % nallocs.get(("sdk.emit", REF), (-1, 0))[0],
        met(zero), ""))

    head.append("Reference document: %d bytes of JSON (1 otel_metric record, %d histogram points)." % (doc_bytes, REF))
    head.append("native SDK build+validate+serialize: %s/doc (%.2f GB/s); serialize only: %s (%.2f GB/s); memcpy floor %s" % (
        fmt_ns(full["ns"]), full_gbs, fmt_ns(ser["ns"]), ser_gbs, fmt_ns(memcpy_floor["ns"])))
    head.append("vs cJSON build+print: %.1fx faster (exact cJSON), %.1fx (plain cJSON numbers); json-c %.1fx, jansson %.1fx" % (
        r_cjson["r"], r_cjson_num["r"], ratio(nat, "jsonc.build_print", "sdk.full")["r"],
        ratio(nat, "jansson.build_print", "sdk.full")["r"]))
    if wz_full:
        head.append("wasm (srhost exec, -Oz as shipped): build+validate+serialize %s/doc, serialize %s (%.0fx / %.0fx native)" % (
            fmt_ns(wz_full["ns"]), fmt_ns(wz_ser["ns"]), wz_full["ns"] / full["ns"], wz_ser["ns"] / ser["ns"]))
        nc = wasm.get("nocheck_Oz")
        if nc:
            ncf = stat(nc[1], "sdk.full")
            head.append("wasm without wazero's close-on-done loop checks: %s/doc (%.1fx native); the checks alone cost %.1fx" % (
                fmt_ns(ncf["ns"]), ncf["ns"] / full["ns"], wz_full["ns"] / ncf["ns"]))
    head.append("validation/serialization = %.2f; time per point %s" % (
        r_val["r"], "flat within ±%.1f%% (10..10,000 points, native)" % (nat_dev["dev"] * 100) if nat_dev else "n/a"))
    if http:
        head.append("http_metrics.wasm %d bytes (%s, budget 24 KiB); heap allocations on the SDK path: %s" % (
            http["bytes"], kib(http["bytes"]), "0" if zero else "NOT 0"))

    # ---- Markdown
    md.append("# Benchmark results\n")
    md.append("Written by `bench/run.sh` (%s). Machine: %s, %s cores; %s; %s; wazero %s (Go %s)." % (
        env.get("date", "?"), env.get("cpu", "?"), env.get("cores", "?"), env.get("cc", "?"), env.get("wasi_cc", "?"),
        env.get("wazero", "?"), env.get("go", "?")))
    md.append("")
    md.append("The reference document is one `otel_metric` record of %d histogram points (each: 2 string attributes, "
              "count, sum, 11 bucket counts, 10 explicit bounds, min, max; timestamps like 1700000000123456789, above 2^53) "
              "in a telemetry batch with a source: **%d bytes** of JSON. Times are medians of interleaved samples "
              "(%s native processes × %s rounds; each sample a calibrated run of about %s ms); ratios are medians of "
              "per-round ratios of samples taken back to back; `[p25–p75]` is the spread over samples. The machine is "
              "shared (2 cores, other jobs running): natively each sample is timed in thread CPU time (%s), so "
              "waiting for a core does not count; wasm32-wasi under wazero has only wall clocks, so its samples are "
              "bimodal when the cores are oversubscribed (the median is that of the majority). The instruction "
              "counts (callgrind, deterministic) back the native ratios." % (
                  REF, doc_bytes, len(glob.glob(os.path.join(resdir, "native.*.tsv"))), ninfo.get("rounds", "?"),
                  ninfo.get("sample_ms", "?"), ninfo.get("clock", "?")))
    md.append("")
    md.append("## Headline\n")
    md.extend("- " + h for h in head)
    md.append("")
    md.append("## Targets\n")
    md.append(table(["target", "measured", "verdict", "by how much"], targets, ["---", "---", "---", "---"]))
    md.append("")

    # reference document table
    md.append("## Reference document, native (x86-64, gcc -O2)\n")
    rows = []
    order = ["sdk.full", "sdk.emit", "sdk.build", "sdk.record", "sdk.validate", "sdk.json_size", "sdk.serialize_metric",
             "sdk.serialize", "floor.memcpy"]
    for lib in ["cjson", "cjson_numbers", "jsonc", "jansson"]:
        order += [lib + ".build_print", lib + ".print"]
    for c in order:
        s = stat(nat, c)
        if not s or c == "floor.loop":
            continue
        if c in CASE_TEXT:
            what = CASE_TEXT[c]
        else:
            lib, op = c.split(".")
            what = "%s: %s" % (LIB_NAMES[lib], "build DOM + print + free" if op == "build_print" else "print only (DOM prebuilt)")
        if c.endswith(".print") and not c.startswith("sdk"):
            r = ratio(nat, c, "sdk.serialize")
            rtxt = "%.1f× sdk serialize" % r["r"]
        elif c.startswith("sdk") or c.startswith("floor"):
            r = ratio(nat, c, "sdk.full")
            rtxt = "%.3f× sdk.full" % r["r"]
        else:
            r = ratio(nat, c, "sdk.full")
            rtxt = "**%.1f× sdk.full**" % r["r"]
        a = nallocs.get((c, REF))
        ir = cg["per_op"].get(c) if cg else None
        rows.append([what, us(s["ns"]), "[%s–%s]" % (us(s["lo"]), us(s["hi"])),
                     "%.2f" % gbs(s["bytes"], s["ns"]) if c != "sdk.validate" and c != "sdk.build" else "–",
                     rtxt, "%d" % a[0] if a else "?", "%.2fM" % (ir / 1e6) if ir else "?"])
    md.append(table(["case", "µs/doc", "[p25–p75]", "GB/s out", "ratio", "allocs/doc", "instructions/doc"], rows))
    md.append("")
    md.append("`GB/s out` is bytes of JSON produced per nanosecond. The SDK's whole path writes the payload once "
              "(`sr_telemetry_record_otel_metric` serializes straight into the arena's free space and keeps what it "
              "wrote) and then copies it into the batch (`batch_to_json`). A point's explicit bounds equal to the "
              "previous array's (bit for bit) are copied as text, not formatted again (`sr_w_double_array`). json-c prints into the DOM's own buffer (not copied "
              "out, which favours it). The libraries do not validate anything (jansson checks UTF-8).")
    md.append("")

    runs = sorted({x["run"] for x in nat.get(("sdk.full", REF), [])})
    if len(runs) > 1:
        rows = []
        for run in runs:
            sub = {k: [x for x in v if x["run"] == run] for k, v in nat.items()}
            rows.append([run.replace(".tsv", "")] + [us(stat(sub, c)["ns"]) for c in ["sdk.full", "sdk.serialize", "cjson.build_print"]]
                        + ["%.2f×" % ratio(sub, "cjson.build_print", "sdk.full")["r"]])
        md.append("Run to run (each native process on its own):\n")
        md.append(table(["process", "sdk.full µs", "sdk.serialize µs", "cjson.build_print µs", "cJSON / SDK"], rows))
        md.append("")

    # equivalence
    md.append("### Same document? (each output parsed back and compared as values)\n")
    rows = []
    for r in eq["rows"]:
        if r["equal"]:
            verdict = "equivalent" + (" (byte-identical)" if r.get("identical") else "")
        else:
            kinds = collections.Counter(re.sub(r"\[\d+\]", "", d[0]).rsplit(".", 1)[-1] for d in r["diffs"])
            by = ", ".join("%d× `%s`" % (v, k) for k, v in kinds.most_common())
            ex = "; ".join("`%s`: %r vs %r" % d for d in r["diffs"][:1])
            sums = [d for d in r["diffs"] if d[0].endswith(".sum")][:1]
            if sums:
                ex += "; `%s`: %r vs %r" % sums[0]
            verdict = "**differs** in %d values (%s), e.g. %s" % (len(r["diffs"]), by, ex)
        name = {"wasm_Oz_sdk": "SDK in wasm (-Oz)", "wasm_O2_sdk": "SDK in wasm (-O2)", "wasm_Oz_cjson": "cJSON 1.7.15 in wasm (-Oz, exact)"}.get(r["name"], LIB_NAMES.get(r["name"], r["name"]))
        rows.append([name, r["bytes"], verdict, "same" if r.get("order") else "differs"])
    md.append(table(["output", "bytes", "against the SDK's document", "key order"], rows, ["---", "---:", "---", "---"]))
    md.append("")
    md.append("Numbers compare exactly (an integer and a float are equal only when they are the same real number), so "
              "a rounded timestamp counts as a difference. cJSON stores numbers as doubles: 1700000000123456789 becomes "
              "1.7000000001234568e+18, and cJSON 1.7.15 also prints a double with 15 digits whenever that reads back "
              "within a relative DBL_EPSILON (`compare_double`), so some sums lose their last bit. The exact cJSON "
              "variant therefore writes timestamps (`snprintf(\"%\" PRIu64)`) and doubles (`\"%.17g\"`) as "
              "`cJSON_CreateRaw` text; json-c (uint64) and jansson (json_int_t) keep the integers exact and print "
              "doubles with `%.17g`, longer than the SDK's shortest form but the same values.")
    md.append("")

    # validation vs serialization, dtoa
    md.append("## Validation, serialization and the double formatter (native)\n")
    rows = []
    for c, what in [("sdk.validate", "validate (all rules)"), ("sdk.json_size", "json_size (counting pass, not on the record path)"),
                    ("sdk.serialize_metric", "otel_metric_to_json (write pass)")]:
        s = stat(nat, c)
        rows.append([what, us(s["ns"]), "%.0f" % (s["ns"] / REF), "%.2fM" % (cg["per_op"].get(c, 0) / 1e6) if cg else "?"])
    md.append(table(["per document (100 points)", "µs", "ns/point", "instructions"], rows))
    md.append("")
    md.append("validate / write pass = **%.3f** [%.3f–%.3f] (target ≤ 0.333). Inside `sr_telemetry_record_otel_metric` "
              "the metric is validated once and written once: %s + %s." % (
                  r_val["r"], r_val["lo"], r_val["hi"], fmt_ns(val["ns"]), fmt_ns(ser_m["ns"])))
    md.append("")
    rows = []
    for c, what in [("dtoa.doc_doubles", "the document's doubles (sum, 10 bounds, min, max per point)"),
                    ("dtoa.doc_bounds", "the explicit bounds alone (0.005 … 1.0)"),
                    ("dtoa.random_bits", "random bit patterns (every exponent)"),
                    ("snprintf17g.doc_doubles", "reference: glibc snprintf(\"%.17g\") on the document's doubles")]:
        s = stat(nat, c)
        if not s:
            continue
        per = s["ns"] / s["items"]
        w = stat(wz[1], c) if wz else None
        ir = cg["per_op"].get(c) if cg else None
        rows.append([what, s["items"], "%.1f" % per, "%.0f" % (ir / s["items"]) if ir else "?",
                     "%.1f" % (w["ns"] / w["items"]) if w else "–"])
    md.append(table(["sr_format_double over", "doubles", "ns/double native", "instructions/double", "ns/double wasm (srhost, -Oz)"], rows))
    dd = stat(nat, "dtoa.doc_doubles")
    if dd:
        share = dd["ns"] / ser_m["ns"]
        md.append("")
        md.append("The document has %d doubles; formatting all of them would take %s (%.0f%% of a write pass, %s). The "
                  "write pass formats the 300 sums, minima and maxima and the first point's 10 bounds; the other 99 "
                  "points' bounds are the same values and are copied as text." % (dd["items"], fmt_ns(dd["ns"]), share * 100, fmt_ns(ser_m["ns"])))
    md.append("")

    # where the whole path goes
    md.append("### Where the whole path's time goes\n")
    cols = [("native", nat)] + [(lbl, wasm[v][1]) for v, lbl in [("srhost_Oz", "wasm srhost -Oz"), ("nocheck_Oz", "wasm no close-on-done -Oz")] if v in wasm]
    rows = []
    parts = [("build (builder calls)", ["sdk.build"]), ("validate", ["sdk.validate"]),
             ("write pass (`otel_metric_to_json`)", ["sdk.serialize_metric"])]
    for label, cs in parts:
        r = [label]
        for _, smp in cols:
            f = stat(smp, "sdk.full")
            x = stat(smp, cs[0])
            r.append("%s (%.0f%%)" % (us(x["ns"]), 100 * x["ns"] / f["ns"]) if x and f else "–")
        rows.append(r)
    r = ["rest: envelope, record, `batch_to_json` copy"]
    for _, smp in cols:
        f = stat(smp, "sdk.full")
        known = sum(stat(smp, c)["ns"] for c in ["sdk.build", "sdk.validate", "sdk.serialize_metric"] if stat(smp, c))
        r.append("%s (%.0f%%)" % (us(f["ns"] - known), 100 * (f["ns"] - known) / f["ns"]) if f else "–")
    rows.append(r)
    r = ["of which double formatting (≈ 310 doubles: sums, min, max, one set of bounds)"]
    for _, smp in cols:
        f = stat(smp, "sdk.full")
        d = stat(smp, "dtoa.doc_doubles")
        bnd = stat(smp, "dtoa.doc_bounds")
        est = d["ns"] - bnd["ns"] + bnd["ns"] * 10 / bnd["items"] if d and bnd else None
        r.append("%s (%.0f%%)" % (us(est), 100 * est / f["ns"]) if est and f else "–")
    rows.append(r)
    r = ["**whole path** (`sdk.full`)"]
    for _, smp in cols:
        f = stat(smp, "sdk.full")
        r.append("**%s**" % us(f["ns"]) if f else "–")
    rows.append(r)
    md.append(table(["µs per document (share of the whole path)"] + [c for c, _ in cols], rows))
    md.append("")
    md.append("The parts are timed separately (each on a prebuilt metric), so they add up only approximately.")
    md.append("")

    # scaling
    md.append("## Scaling: time per point\n")
    rows = []
    for n in SCALE_POINTS:
        r = [str(n)]
        for samples in [nat] + ([wz[1]] if wz else []):
            for case in ["scale.full", "scale.build", "scale.validate", "scale.serialize_metric"]:
                s = stat(samples, case, n)
                r.append("%.0f" % (s["ns"] / n) if s else "–")
        rows.append(r)
    hdr = ["points", "native: full", "build", "validate", "serialize"]
    if wz:
        hdr += ["wasm: full", "build", "validate", "serialize"]
    md.append(table(hdr, rows))
    md.append("")
    if nat_dev:
        md.append("ns per point. From 10 to 10,000 points the whole path stays within **±%.1f%%** of its median "
                  "(max/min %.2f) natively%s. One point costs more per point: the batch, record, source and "
                  "metadata are a fixed cost per document." % (
                      nat_dev["dev"] * 100, nat_dev["spread"],
                      " and within ±%.1f%% in wasm" % (w_dev["dev"] * 100) if w_dev else ""))
    md.append("")

    # wasm
    md.append("## wasm32-wasi under wazero\n")
    md.append("The same `sr_bench` compiled to wasm32-wasi (Debian clang 14 + wasi-libc) and run by `srhost exec`; "
              "`bench/wazero-ab` is the same wazero and module configuration with one switch, the runtime's "
              "`WithCloseOnContextDone(true)` (used by srhost, and per host/README.md by the agent, so a timeout can "
              "stop a plugin), to show what it costs.\n")
    rows = []
    for name, runner, build, what in WASM_VARIANTS:
        if name not in wasm:
            continue
        s = wasm[name][1]
        r = [runner, build]
        for c in ["sdk.full", "sdk.serialize", "sdk.validate", "floor.memcpy"]:
            x = stat(s, c)
            nx = stat(nat, c)
            r.append("%s (%.1f×)" % (us(x["ns"]), x["ns"] / nx["ns"]) if x else "–")
        f = stat(s, "sdk.full")
        r.append("%s–%s" % (us(f["lo"]), us(f["hi"])) if f else "–")
        d = stat(s, "dtoa.doc_doubles")
        r.append("%.0f" % (d["ns"] / d["items"]) if d else "–")
        lp = stat(s, "floor.loop")
        r.append("%.2f" % (lp["ns"] / lp["items"]) if lp else "–")
        ser_x = stat(s, "sdk.serialize")
        r.append("%.3f" % gbs(ser_x["bytes"], ser_x["ns"]) if ser_x else "–")
        rows.append(r)
    lp = stat(nat, "floor.loop")
    rows.append(["native", "gcc -O2"] + ["%s" % us(stat(nat, c)["ns"]) for c in ["sdk.full", "sdk.serialize", "sdk.validate", "floor.memcpy"]]
                + ["%s–%s" % (us(full["lo"]), us(full["hi"])),
                   "%.0f" % (stat(nat, "dtoa.doc_doubles")["ns"] / stat(nat, "dtoa.doc_doubles")["items"]),
                   "%.2f" % (lp["ns"] / lp["items"]), "%.3f" % ser_gbs])
    md.append(table(["runner", "build", "full µs (× native)", "serialize µs (×)", "validate µs (×)", "memcpy µs (×)",
                     "full p25–p75", "ns/double", "ns/loop iteration", "serialize GB/s"], rows, ["---", "---"] + ["---:"] * 8))
    md.append("")
    if "srhost_Oz" in wasm and "nocheck_Oz" in wasm:
        a = stat(wasm["srhost_Oz"][1], "sdk.full")["ns"]
        b = stat(wasm["nocheck_Oz"][1], "sdk.full")["ns"]
        la = stat(wasm["srhost_Oz"][1], "floor.loop")
        lb = stat(wasm["nocheck_Oz"][1], "floor.loop")
        if la and lb:
            md.append("Why: with `WithCloseOnContextDone(true)` wazero's compiler puts a call into Go at every loop "
                      "back-edge (wazero v1.12.0 internal/engine/wazevo/frontend/lower.go: a call to the "
                      "CheckModuleExitCode trampoline at each loop header; call_engine.go then checks in Go whether "
                      "the module was closed). An empty loop iteration costs **%.1f ns** with it and %.2f ns without "
                      "(`floor.loop`), so in the agent a plugin's cost is dominated by how many loop iterations it "
                      "runs, not by its instructions: wasi-libc's memcpy (a C loop without -mbulk-memory), per-digit "
                      "and per-byte loops." % (la["ns"] / la["items"], lb["ns"] / lb["items"]))
            md.append("")
        if la and lb:
            per_edge = la["ns"] / la["items"] - lb["ns"] / lb["items"]
            rows = []
            for c, what, div in [("sdk.full", "whole path, per document", 1), ("sdk.build", "build", 1),
                                 ("sdk.validate", "validate", 1), ("sdk.json_size", "json_size (not on the record path)", 1),
                                 ("sdk.serialize_metric", "write pass", 1),
                                 ("dtoa.doc_doubles", "sr_format_double, per double", 1300)]:
                x, y = stat(wasm["srhost_Oz"][1], c), stat(wasm["nocheck_Oz"][1], c)
                if x and y:
                    rows.append([what, us(x["ns"] / div), us(y["ns"] / div), "%.0f" % ((x["ns"] - y["ns"]) / div / per_edge)])
            md.append("Loop back-edges the SDK runs, estimated as (time with checks − time without) / %.1f ns (-Oz):\n" % per_edge)
            md.append(table(["", "µs with checks", "µs without", "≈ loop back-edges"], rows))
            md.append("")
        md.append("`WithCloseOnContextDone(true)` alone makes the SDK's whole path **%.1f×** slower (-Oz build)." % (a / b))
        md.append("")
    cj_rows = []
    for v, runner, build, what in WASM_VARIANTS:
        if v in wasm and stat(wasm[v][1], "cjson.build_print"):
            w = wasm[v][1]
            cj_rows.append([runner, build] + [us(stat(w, c)["ns"]) for c in ("sdk.full", "cjson.build_print", "sdk.serialize", "cjson.print")]
                           + ["**%.1f×**" % ratio(w, "cjson.build_print", "sdk.full")["r"],
                              "%.1f×" % ratio(w, "cjson.print", "sdk.serialize")["r"]])
    if cj_rows:
        md.append("### wasm: the SDK against cJSON compiled the same way\n")
        md.append("cJSON 1.7.15 is compiled from Debian's source package (`apt-get source cjson`, Debian's patches "
                  "applied) into the same sr_bench.wasm with the same flags and LTO as the SDK; the case is the exact "
                  "variant (int64 and doubles as raw text, the same document, checked above). json-c and jansson "
                  "are not built for wasm.\n")
        md.append(table(["runner", "build", "SDK full µs", "cJSON build+print µs", "SDK serialize µs",
                         "cJSON print µs", "cJSON / SDK (full)", "cJSON print / SDK serialize"], cj_rows))
        md.append("")
    winfo = wz[0] if wz else {}
    md.append("Arena high-water mark for the reference document: native %s bytes after building the metric, %s after "
              "recording it (payload copied in), %s after emitting (the emit scratch buffer); wasm32 %s / %s / %s." % (
                  ninfo["arena_peak_build"], ninfo["arena_peak_record"], ninfo["arena_peak_emit"],
                  winfo.get("arena_peak_build", "?"), winfo.get("arena_peak_record", "?"), winfo.get("arena_peak_emit", "?")))
    md.append("")

    # memory
    md.append("## Heap allocations per document (native, counted)\n")
    md.append("`bench/src/alloc_count.c` defines malloc, calloc, realloc and free in the executable itself, so every "
              "caller (our code, glibc, libcjson/json-c/jansson) is bound to the counting versions, which forward to "
              "glibc's `__libc_malloc` etc. No LD_PRELOAD.\n")
    rows = []
    for (c, n), (a, b) in sorted(nallocs.items(), key=lambda kv: (kv[0][0].split(".")[0] != "sdk", kv[0])):
        if n != REF or c.startswith(("scale", "dtoa", "snprintf", "floor.loop")):
            continue
        rows.append([c, a, b])
    md.append(table(["case", "allocations/doc", "bytes requested/doc"], rows))
    scale_zero = all(a == 0 for (c, n), (a, b) in nallocs.items() if c.startswith("scale"))
    md.append("")
    md.append("The SDK cases at 1 … 10,000 points: %s. In wasm the example plugins contain no allocator at all "
              "(no malloc/free in their function lists, below)." % ("0 allocations at every size" if scale_zero else "SOME ALLOCATE"))
    md.append("")

    # sizes
    md.append("## Size of the plugin modules (stripped, -Oz, LTO, as sr_add_plugin links them)\n")
    md.append("Two builds of the same generated SDK: size builds (`__OPTIMIZE_SIZE__`, i.e. -Os/-Oz: every plugin "
              "and the -Oz wasm benchmark) write JSON through tables generated from the contract and one interpreter "
              "(`runtime/src/sr_wtable.c`), report violations through packed constants and use the runtime's compact "
              "variants; speed builds (native -O2, the -O2 wasm benchmark) keep the straight-line generated code. Both "
              "write the same bytes: the -Oz wasm testee and the native `sr_testee_wtable` answer every conformance "
              "vector exactly as the native testee does (scripts/test.sh).\n")
    rows = []
    for name, p in sizes.items():
        s = p["sections"]
        b = sizes_bulk.get(name)
        o = sizes_o2.get(name)
        rows.append([name, p["bytes"], kib(p["bytes"]), s.get("Code", 0), s.get("Data", 0),
                     p["bytes"] - s.get("Code", 0) - s.get("Data", 0),
                     ", ".join(p["printf"]) or "none", ", ".join(p["malloc"]) or "none",
                     "%d (%+d)" % (b["bytes"], b["bytes"] - p["bytes"]) if b else "–",
                     "%d (%+d)" % (o["bytes"], o["bytes"] - p["bytes"]) if o else "–"])
    md.append(table(["plugin", "bytes", "", "code", "data", "other sections", "printf", "malloc",
                     "-Oz -mno-bulk-memory", "-O2"], rows))
    md.append("")
    md.append("`bench_empty` is a plugin whose entry does nothing, linked against the SDK (nothing of it is left after "
              "--gc-sections: the SDK costs nothing until used); `bench_minimal_metric` is README.md's plugin (one "
              "gauge point, validate, emit, submit a result): the floor of the metric path. `emit_sized` is a test plugin "
              "(tests/e2e). Per-function sizes come from a twin of each plugin linked the same way but with its name "
              "section and a link map (`bench/build/wasm-oz/named/`); its code section is the same size as the "
              "stripped module's: %s.\n" % ("yes for all" if all(p["code_matches_twin"] for p in sizes.values()) else "NOT for all"))
    cats = collections.OrderedDict()
    for name in ["bench_minimal_metric", "http_metrics", "legacy_perfdata"]:
        p = sizes.get(name)
        if not p:
            continue
        for k, v in p["code_by_category"].items():
            cats.setdefault(("code", k), {})[name] = v
        for k, v in p["data_by_category"].items():
            cats.setdefault(("data", k), {})[name] = v
    rows = []
    for (kind, k), per in sorted(cats.items(), key=lambda kv: -kv[1].get("http_metrics", 0)):
        rows.append([kind, k] + [per.get(n, 0) for n in ["bench_minimal_metric", "http_metrics", "legacy_perfdata"]])
    md.append("What the bytes are (bytes per category; with LTO a function carries what was inlined into it, named in the category):\n")
    md.append(table(["section", "category", "minimal_metric", "http_metrics", "legacy_perfdata"], rows, ["---", "---", "---:", "---:", "---:"]))
    md.append("")
    if http:
        rows = [[f["name"], f["size"], f["category"]] for f in http["functions"][:20]]
        md.append("Largest functions of http_metrics.wasm (`wasm-objdump -x -j Code` on the named twin):\n")
        md.append(table(["function", "bytes", "category"], rows, ["---", "---:", "---"]))
        md.append("")
        rows = [[d["name"], d["size"], d["category"]] for d in http["data"][:10]]
        md.append("Largest data of http_metrics.wasm (link map):\n")
        md.append(table(["symbol", "bytes", "category"], rows, ["---", "---:", "---"]))
        md.append("")

    # hotspots
    if cg and cg["hot"]:
        md.append("## Hotspots (callgrind, instructions per document, native)\n")
        for case in ["sdk.full", "sdk.validate", "dtoa.doc_doubles"]:
            h = cg["hot"].get(case)
            if not h:
                continue
            md.append("`%s`: %.0f instructions per operation.\n" % (case, h["total"]))
            rows = [[f, o, "%.0f" % n, "%.1f%%" % (100 * n / h["total"])] for f, o, n in h["rows"][:14]]
            md.append(table(["function (self)", "object", "instructions", "share"], rows, ["---", "---", "---:", "---:"]))
            md.append("")

    md.append("## Files\n")
    md.append("- `bench/run.sh`: installs what is missing, builds (native; wasm -Oz with the plugins and their named "
              "twins, cJSON from Debian's source package; wasm -O2; wasm -Oz -mno-bulk-memory), checks the documents, runs everything, writes this file and "
              "results.png.\n- `bench/src/`: the harness (`bench_main.c`), the document (`doc.c`), the SDK cases "
              "(`sdk_cases.c`), the libraries (`lib_cjson.c`, `lib_jsonc.c`, `lib_jansson.c`), the allocation counter "
              "(`alloc_count.c`).\n- `bench/wasm/`: the size-floor plugins.\n- `bench/wazero-ab/`: the wazero runner "
              "with the close-on-done switch.\n- `bench/tools/`: `wasm_sizes.py` (size attribution), `report.py` (this "
              "report).\n- Raw data: `bench/build/results/`.")
    md.append("")
    with open(out_md, "w") as f:
        f.write("\n".join(md))

    plot(out_png, nat, wasm, sizes, nat_scale, w_scale, full)
    print("\n".join(head))
    for t in targets:
        print("%-60s %s  %s" % (t[0], t[2].replace("*", ""), t[1]))


def plot(path, nat, wasm, sizes, nat_scale, w_scale, full):
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(2, 2, figsize=(16, 11))

    # (a) the reference document
    a = ax[0][0]
    cases = [("sdk.full", "SDK build+validate+serialize"), ("sdk.serialize", "SDK serialize only"),
             ("floor.memcpy", "memcpy floor"),
             ("cjson.build_print", "cJSON build+print (exact)"), ("cjson.print", "cJSON print (exact)"),
             ("cjson_numbers.build_print", "cJSON build+print (numbers)"),
             ("jsonc.build_print", "json-c build+print"), ("jsonc.print", "json-c print"),
             ("jansson.build_print", "jansson build+print"), ("jansson.print", "jansson print")]
    names, vals, errs, colors = [], [], [], []
    for c, label in cases:
        s = stat(nat, c)
        if not s:
            continue
        names.append(label)
        vals.append(s["ns"] / 1e3)
        errs.append([(s["ns"] - s["lo"]) / 1e3, (s["hi"] - s["ns"]) / 1e3])
        colors.append("tab:green" if c.startswith("sdk") else "tab:gray" if c.startswith("floor") else "tab:orange")
    y = range(len(names))
    a.barh(list(y), vals, xerr=list(zip(*errs)), color=colors)
    a.set_yticks(list(y))
    a.set_yticklabels(names, fontsize=8)
    a.invert_yaxis()
    a.set_xscale("log")
    a.set_xlabel("µs per document (log), native; bars: median, whiskers: p25–p75")
    a.set_title("Reference document (%d points, %d bytes of JSON)" % (REF, full["bytes"]))
    for i, v in enumerate(vals):
        a.text(v * 1.08, i, "%.1f" % v, va="center", fontsize=7)

    # (b) scaling
    b = ax[0][1]
    for samples, label, style in [(nat, "native", "-o")] + ([(wasm["srhost_Oz"][1], "wasm (srhost, -Oz)", "--s")] if "srhost_Oz" in wasm else []):
        for case, cl in [("scale.full", "full"), ("scale.serialize_metric", "serialize"), ("scale.validate", "validate"),
                         ("scale.build", "build")]:
            xs, ys = [], []
            for n in SCALE_POINTS:
                s = stat(samples, case, n)
                if s:
                    xs.append(n)
                    ys.append(s["ns"] / n)
            b.plot(xs, ys, style, label="%s: %s" % (label, cl), markersize=4)
    b.axvspan(10, 10000, color="tab:blue", alpha=0.05)
    b.set_xscale("log")
    b.set_yscale("log")
    b.set_xlabel("points per record")
    b.set_ylabel("ns per point (log)")
    b.set_title("Scaling: time per point should be flat (shaded: 10 … 10,000)")
    b.legend(fontsize=7, ncol=2)

    # (c) wasm variants
    c = ax[1][0]
    labels, full_v, ser_v = ["native"], [stat(nat, "sdk.full")["ns"] / 1e3], [stat(nat, "sdk.serialize")["ns"] / 1e3]
    for name, runner, build, what in WASM_VARIANTS:
        if name not in wasm:
            continue
        labels.append("%s\n%s" % ("srhost exec" if runner.startswith("srhost") else "wazero,\nno close-on-done",
                                   build.split(",")[0] + (" no-bulk" if "bulk" in build else "")))
        full_v.append(stat(wasm[name][1], "sdk.full")["ns"] / 1e3)
        ser_v.append(stat(wasm[name][1], "sdk.serialize")["ns"] / 1e3)
    x = list(range(len(labels)))
    c.bar([i - 0.2 for i in x], full_v, 0.4, label="build+validate+serialize")
    c.bar([i + 0.2 for i in x], ser_v, 0.4, label="serialize only")
    c.set_xticks(x)
    c.set_xticklabels(labels, fontsize=7)
    c.set_ylabel("µs per document")
    c.set_title("Our SDK native and in wasm32-wasi under wazero")
    c.legend(fontsize=8)
    for i, v in enumerate(full_v):
        c.text(i - 0.2, v, "%.0f" % v, ha="center", va="bottom", fontsize=7)

    # (d) sizes
    d = ax[1][1]
    names = [n for n in ["bench_empty", "hello", "bench_minimal_metric", "legacy_perfdata", "emit_sized", "http_metrics"] if n in sizes]
    cats = []
    for n in names:
        for k in list(sizes[n]["code_by_category"]) + list(sizes[n]["data_by_category"]):
            if k not in cats:
                cats.append(k)
    bottom = [0.0] * len(names)
    cmap = plt.get_cmap("tab20")
    for i, k in enumerate(cats):
        vals = [(sizes[n]["code_by_category"].get(k, 0) + sizes[n]["data_by_category"].get(k, 0)) / 1024 for n in names]
        d.bar(names, vals, bottom=bottom, label=k, color=cmap(i % 20))
        bottom = [b_ + v for b_, v in zip(bottom, vals)]
    d.axhline(24, color="red", linestyle="--", label="24 KiB budget")
    for i, n in enumerate(names):
        d.text(i, sizes[n]["bytes"] / 1024 + 0.5, "%.1f" % (sizes[n]["bytes"] / 1024), ha="center", fontsize=7)
    d.set_ylabel("KiB (code + data by category)")
    d.set_title("Stripped plugin .wasm (-Oz, LTO)")
    d.tick_params(axis="x", labelsize=7, rotation=15)
    d.legend(fontsize=6, loc="upper left", bbox_to_anchor=(1.01, 1.0))

    fig.tight_layout()
    fig.savefig(path, dpi=110)


if __name__ == "__main__":
    main()
