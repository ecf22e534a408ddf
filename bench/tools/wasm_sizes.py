#!/usr/bin/env python3
"""What each kilobyte of a plugin .wasm is.

For every plugin built by bench/CMakeLists.txt (WASI size build) this reads
  plugins/NAME/NAME.wasm   the stripped module, as sr_add_plugin() makes it
  named/NAME.wasm          its twin: same code, name section kept
  named/NAME.map           the twin's link map (wasm-ld --Map)
and writes JSON: section sizes of the stripped module (wasm-objdump -h), the
size of every function body (wasm-objdump -x -j Code on the twin), every
data symbol (the map), all grouped into categories, and whether printf or
malloc made it into the module.

    wasm_sizes.py BUILD_DIR [BUILD_DIR ...] > sizes.json
"""
import json
import os
import re
import subprocess
import sys

PLUGINS = ["bench_empty", "hello", "bench_minimal_metric", "legacy_perfdata", "http_metrics", "emit_sized"]

# (category, regex on the function name); first match wins. With LTO a
# function may carry others inlined into it (noted in the report).
CODE_CATEGORIES = [
    ("wasi-libc (memcpy, memset, strlen, clock, ...)",
     r"^(memcmp|memcpy|memmove|memset|strlen|__wasm_call_ctors|_initialize)(\.\d+)?$"),
    ("double formatting (Schubfach dtoa)",
     r"^(sr_format_double|format|shortest|layout|drop_trailing_zeros|scale_round_odd|mul64|sr_w_double(_array)?)(\.\d+)?$"),
    ("integer formatting",
     r"^(sr_format_[iu]64|sr_w_[iu]64|w_u64|sr_decimal_len|sr_put_digits|put_digits|sr_put_u64|sr_digits8|sr_put_word\w*)(\.\d+)?$"),
    ("JSON writer (bytes, escaping)",
     r"^(sr_w_json_string(_body)?|sr_w_bytes\w*|sr_w_char|sr_writer_init|sr_writer_finish|put_escape|put_bytes|"
     r"json_word_special)(\.\d+)?$"),
    ("otel_metric serializer, straight-line (+ json_size)",
     r"^(sr_otel_metric_to_json|sr_otel_metric_json_size|w_sr_\w+|w_value)(\.\d+)?$"),
    ("table-driven JSON serializer (size builds: sr_wtable.c and its hooks)",
     r"^(sr_wtable_\w+|w_field|w_scalar|w_hook_\d+)(\.\d+)?$"),
    ("validator (rules, paths, report)",
     r"^(sr_otel_metric_validate|v_sr_\w+|sr__report_\w+|sr__check_\w+|sr__path_\w+|sr__charset_\w+|in_ranges|"
     r"report_at|render_path|sr_utf8_valid|sr_utf8_seq_len\w*|sr_hex_id_valid|sr_report_init|sr_double_is_finite|"
     r"in_bucket|string_faults|value_\w+|sr_service_is_present|sr_resource_is_present|sr_scope_is_present|sr_rule_\w+)(\.\d+)?$"),
    ("record_otel_metric (validator, UCUM, serializer inlined)", r"^sr_telemetry_record_otel_metric$"),
    ("UCUM unit check", r"^(sr_ucum_valid|find|find_in|load_key|annotation|all_digits|ucum_\w+)(\.\d+)?$"),
    ("telemetry envelope + emit",
     r"^(sr_telemetry_\w+|sr_emit_telemetry\w*|walk|w_batch|w_records?|send_chunk|w_string_map|w_source|sr_string_map_add|"
     r"new_record|record_size|drop_last_record|same_str|sr_now_unix_nano)(\.\d+)?$"),
    ("builder (arena, setters)",
     r"^(sr_arena_\w+|sr_otel_metric_(set|add|init)\w*|sr_point_\w+|sr_exemplar_\w+|sr_attributes_\w+|copy_items|"
     r"copy_value|sr__copy_str|sr_value_\w+)(\.\d+)?$"),
    ("check result + perfdata shim",
     r"^(sr_result_\w+|w_result|w_rfc3339|sr_submit_result|sr_log|sr_get_config|w_perfdata\w*|w_perf_entry|perf\w*|"
     r"emit_lowered|w_status_word|sr_status_str)(\.\d+)?$"),
    ("plugin entry (+ plugin code, builder calls inlined)", r"^(sr_plugin_entry|sr_plugin_mark_initialized_|check)$"),
]
DATA_CATEGORIES = [
    ("dtoa power-of-ten tables (SR_POW10_BASE, SR_POW5, SR_POW10_DELTA)",
     r"^(SR_POW10_G|SR_POW10_BASE|SR_POW5|SR_POW10_DELTA|sr_pow5_u64)$"),
    ("UCUM tables", r"ucum"),
    ("validator tables (rule ids, field names, charsets)",
     r"^(rule_ids|rule_id_\w+|rule_word\w*|rule_warning|field_spans|sr__field_spans|sr__field_chars|sr_charset_\w+)$"),
    ("serializer tables (size builds) and pre-rendered envelope text",
     r"^(w_(code|schema|types|enums|maps|hooks|names|value_type|value_kinds)(\.\d+)?|schema|schema_json|kind_json|"
     r"kind_str|metric_ops)$"),
    ("writer tables (escape classes, digit pairs)", r"^(json_class|put_escape\.hex|sr_digit_pairs)$"),
]


def run(*cmd):
    return subprocess.run(cmd, check=True, capture_output=True, text=True).stdout


def sections(path):
    out = {}
    for line in run("wasm-objdump", "-h", path).splitlines():
        m = re.match(r"\s*(\w+) start=0x([0-9a-f]+) end=0x([0-9a-f]+) \(size=0x([0-9a-f]+)\)", line)
        if m:
            out[m.group(1)] = int(m.group(4), 16)
    return out


def functions(path):
    """{name: body size} from wasm-objdump -x -j Code (the named twin)."""
    funcs = []
    for line in run("wasm-objdump", "-x", "-j", "Code", path).splitlines():
        m = re.match(r"\s*- func\[(\d+)\] size=(\d+) <(.*)>", line)
        if m:
            funcs.append((m.group(3), int(m.group(2))))
    return funcs


def map_entries(path):
    """Input-section entries of the link map: (output section, file, symbol, size)."""
    out, section = [], None
    for line in open(path):
        m = re.match(r"^\s+(\S+)\s+([0-9a-f]+)\s+([0-9a-f]+)( +)(\S.*)$", line.rstrip("\n"))
        if not m:
            continue
        indent, text = len(m.group(4)), m.group(5)
        if indent == 1:
            section = text
        elif indent == 9:
            fm = re.match(r"(.*):\((.*)\)$", text)
            if fm:
                sym = fm.group(2)
                sym = re.sub(r"^\.(rodata|data|bss)\.", "", sym)
                out.append((section, fm.group(1), sym, int(m.group(3), 16)))
            else:
                out.append((section, text, text, int(m.group(3), 16)))
    return out


def categorize(name, origin, table, default):
    if origin == "<internal>" and name.startswith(".rodata"):
        return "string literals (field names, rule ids, messages)"
    if "libc.a" in origin or "crt1" in origin:
        return "wasi-libc (memcpy, memset, strlen, clock, ...)"
    for cat, rx in table:
        if re.search(rx, name):
            return cat
    return default


def plugin_sizes(build):
    result = {}
    for name in PLUGINS:
        stripped = os.path.join(build, "plugins", name, name + ".wasm")
        named = os.path.join(build, "named", name + ".wasm")
        mapfile = os.path.join(build, "named", name + ".map")
        if not os.path.exists(stripped):
            continue
        secs = sections(stripped)
        nsecs = sections(named)
        origins = {}
        for sec, origin, sym, size in map_entries(mapfile):
            origins.setdefault(sym, origin)
        funcs = functions(named)
        code_by_cat, func_rows = {}, []
        for fname, size in funcs:
            origin = origins.get(fname, "")
            cat = categorize(fname, origin, CODE_CATEGORIES, "other code")
            code_by_cat[cat] = code_by_cat.get(cat, 0) + size
            func_rows.append({"name": fname, "size": size, "category": cat,
                              "origin": "wasi-libc" if "libc.a" in origin or "crt1" in origin else "sdk/plugin"})
        data_by_cat, data_rows = {}, []
        for sec, origin, sym, size in map_entries(mapfile):
            if sec not in (".rodata", ".data"):
                continue
            cat = categorize(sym, origin, DATA_CATEGORIES, "plugin's own constants and other data")
            data_by_cat[cat] = data_by_cat.get(cat, 0) + size
            data_rows.append({"name": sym, "size": size, "category": cat})
        bss = sum(size for sec, _, _, size in map_entries(mapfile) if sec == ".bss")
        names = [f for f, _ in funcs]
        result[name] = {
            "bytes": os.path.getsize(stripped),
            "sections": secs,
            "code_matches_twin": secs.get("Code") == nsecs.get("Code"),
            "code_by_category": code_by_cat,
            "data_by_category": data_by_cat,
            "functions": sorted(func_rows, key=lambda r: -r["size"]),
            "data": sorted(data_rows, key=lambda r: -r["size"]),
            "bss": bss,
            "printf": sorted(n for n in names if re.search(r"printf|fwrite|__towrite|fputs", n)),
            "malloc": sorted(n for n in names if re.search(r"malloc|calloc|realloc|^free$|sbrk", n)),
        }
    return result


def main():
    out = {}
    for build in sys.argv[1:]:
        out[os.path.basename(os.path.normpath(build))] = plugin_sizes(build)
    json.dump(out, sys.stdout, indent=1)


if __name__ == "__main__":
    main()
