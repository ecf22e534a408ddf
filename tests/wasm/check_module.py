#!/usr/bin/env python3
"""Check that a built plugin .wasm is what the ServiceRadar agent can run.

    check_module.py [--entry run_check] [--manifest plugin.yaml] [--max-bytes N]
                    [--objdump wasm-objdump] [--host-header sr_host.h] PLUGIN.wasm

Reads the module with `wasm-objdump -x` (wabt) and checks:
  - it is valid (wasm-validate, when found next to wasm-objdump);
  - every import comes from module `env` or `wasi_snapshot_preview1`, and
    every `env` import is a host function of sr_host.h;
  - the entry is exported as a function of type () -> ();
  - `memory` is exported, and the memory is the module's own (not imported);
  - `_start` is not exported: the agent never calls it, so a command module
    (main + _start) would run without its initialisation;
  - with --manifest: its `entrypoint:` is the entry, and every host function
    imported from `env` is in its `capabilities:`;
  - the size is at most 64 MiB (the agent's limit), and with --max-bytes at
    most that many bytes (a plugin's size budget).
Prints the imports, exports and size, one PASS/FAIL line per check, and ends
with `N passed, N failed`; exits 1 when a check failed, 2 on a usage error.

The WASI build (cmake/wasm32-wasi.cmake) registers one CTest test per plugin
(cmake/plugins.cmake), so `ctest --test-dir <wasm build>` runs this for each;
tests/wasm/run.sh configures, builds and runs them in one go.
"""
import argparse
import os
import re
import shutil
import subprocess
import sys

ALLOWED_MODULES = ("env", "wasi_snapshot_preview1")
MAX_MODULE_BYTES = 64 * 1024 * 1024
HERE = os.path.dirname(os.path.abspath(__file__))
DEFAULT_HOST_HEADER = os.path.join(HERE, "..", "..", "generated", "c", "include", "sr_host.h")


def parse_objdump(text):
    """The sections of `wasm-objdump -x` we need, as plain data."""
    section = None
    types, funcs, imports, exports, memories = {}, {}, [], [], []
    header = re.compile(r"^(\w+)\[(\d+)\]:")
    for line in text.splitlines():
        m = header.match(line)
        if m:
            section = m.group(1)
            continue
        if not line.startswith(" - "):
            continue
        item = line[3:]
        if section == "Type":
            m = re.match(r"type\[(\d+)\] (.*)$", item)
            if m:
                types[int(m.group(1))] = m.group(2).strip()
        elif section == "Import":
            # " - func[0] sig=0 <env.log> <- env.log"
            m = re.match(r"(\w+)\[(\d+)\](?: sig=(\d+))?.*<- (\S+)$", item)
            if m:
                module, _, field = m.group(4).partition(".")
                imports.append({"kind": m.group(1), "index": int(m.group(2)),
                                "sig": None if m.group(3) is None else int(m.group(3)),
                                "module": module, "field": field})
                if m.group(1) == "func":
                    funcs[int(m.group(2))] = int(m.group(3))
        elif section == "Function":
            m = re.match(r"func\[(\d+)\] sig=(\d+)", item)
            if m:
                funcs[int(m.group(1))] = int(m.group(2))
        elif section == "Memory":
            memories.append(item)
        elif section == "Export":
            # " - func[5] <run_check> -> \"run_check\""  /  " - memory[0] -> \"memory\""
            m = re.match(r"(\w+)\[(\d+)\].*-> \"(.*)\"$", item)
            if m:
                exports.append({"kind": m.group(1), "index": int(m.group(2)),
                                "name": m.group(3)})
    return {"types": types, "funcs": funcs, "imports": imports,
            "exports": exports, "memories": memories}


def host_functions(header_path):
    """Import names declared with SR_HOST_IMPORT(name) in sr_host.h, or None."""
    try:
        with open(header_path, encoding="utf-8") as f:
            text = f.read()
    except OSError:
        return None
    return set(re.findall(r"^SR_HOST_IMPORT\((\w+)\)", text, re.M))


def manifest_fields(path):
    """`entrypoint:` and the `capabilities:` list of a plugin.yaml (a small
    line reader: block list or [a, b] flow list; no YAML library needed)."""
    entry, caps, in_caps = None, [], False
    with open(path, encoding="utf-8") as f:
        for raw in f:
            line = raw.split("#", 1)[0].rstrip()
            if not line.strip():
                continue
            top = not line[0].isspace()
            if top:
                in_caps = False
                m = re.match(r"entrypoint:\s*[\"']?([^\"'\s]+)", line)
                if m:
                    entry = m.group(1)
                m = re.match(r"capabilities:\s*(.*)$", line)
                if m:
                    rest = m.group(1).strip()
                    if rest.startswith("["):
                        caps += [c.strip().strip("\"'") for c in rest.strip("[]").split(",") if c.strip()]
                    else:
                        in_caps = True
            elif in_caps:
                m = re.match(r"\s+-\s*[\"']?([^\"'\s]+)", line)
                if m:
                    caps.append(m.group(1))
    return entry, caps


def main(argv):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("wasm")
    ap.add_argument("--entry", default="run_check", help="export the agent calls (default run_check)")
    ap.add_argument("--manifest", help="plugin.yaml to check against the module")
    ap.add_argument("--max-bytes", type=int, help="size budget: the module is at most this many bytes")
    ap.add_argument("--objdump", default="wasm-objdump")
    ap.add_argument("--host-header", default=DEFAULT_HOST_HEADER,
                    help="sr_host.h, for the list of host functions (skipped when missing)")
    args = ap.parse_args(argv)

    objdump = shutil.which(args.objdump) or args.objdump
    if not os.path.isfile(args.wasm):
        print(f"error: no such file {args.wasm}", file=sys.stderr)
        return 2
    try:
        out = subprocess.run([objdump, "-x", args.wasm], check=True,
                             capture_output=True, text=True).stdout
    except (OSError, subprocess.CalledProcessError) as e:
        print(f"error: {objdump} -x {args.wasm} failed: {e}", file=sys.stderr)
        return 2
    mod = parse_objdump(out)
    size = os.path.getsize(args.wasm)

    print(f"module: {args.wasm}")
    print(f"size: {size} bytes")
    print(f"imports ({len(mod['imports'])}):")
    for imp in mod["imports"]:
        sig = mod["types"].get(imp["sig"], "") if imp["sig"] is not None else ""
        print(f"  {imp['kind']:<6} {imp['module']}.{imp['field']} {sig}".rstrip())
    print(f"exports ({len(mod['exports'])}):")
    for exp in mod["exports"]:
        sig = mod["types"].get(mod["funcs"].get(exp["index"]), "") if exp["kind"] == "func" else ""
        print(f"  {exp['kind']:<6} {exp['name']} {sig}".rstrip())

    results = []

    def check(ok, what):
        results.append(bool(ok))
        print(f"{'PASS' if ok else 'FAIL'}: {what}")

    validate = os.path.join(os.path.dirname(objdump), "wasm-validate")
    validate = validate if os.path.isfile(validate) else shutil.which("wasm-validate")
    if validate:
        r = subprocess.run([validate, args.wasm], capture_output=True, text=True)
        check(r.returncode == 0, "wasm-validate accepts the module"
              + ("" if r.returncode == 0 else ": " + (r.stderr or r.stdout).strip()))

    bad = [f"{i['module']}.{i['field']}" for i in mod["imports"] if i["module"] not in ALLOWED_MODULES]
    check(not bad, "imports only from " + " / ".join(ALLOWED_MODULES)
          + (f" (others: {', '.join(bad)})" if bad else ""))

    env_imports = [i["field"] for i in mod["imports"] if i["module"] == "env" and i["kind"] == "func"]
    known = host_functions(args.host_header)
    if known is not None:
        unknown = [f for f in env_imports if f not in known]
        check(not unknown, "every env import is a host function of sr_host.h"
              + (f" (unknown: {', '.join(unknown)})" if unknown else ""))
    env_non_func = [f"{i['kind']} {i['field']}" for i in mod["imports"]
                    if i["module"] == "env" and i["kind"] != "func"]
    check(not env_non_func, "env imports are functions only (no imported memory/table/global)"
          + (f" (got: {', '.join(env_non_func)})" if env_non_func else ""))

    exports = {e["name"]: e for e in mod["exports"]}
    entry = exports.get(args.entry)
    check(entry is not None and entry["kind"] == "func", f"entry `{args.entry}` is an exported function")
    if entry is not None and entry["kind"] == "func":
        sig = mod["types"].get(mod["funcs"].get(entry["index"]))
        check(sig == "() -> nil", f"entry `{args.entry}` has type () -> () (got {sig})")

    mem = exports.get("memory")
    check(mem is not None and mem["kind"] == "memory", "`memory` is exported")
    check(len(mod["memories"]) == 1, "the module defines its own memory (not imported)")
    check("_start" not in exports, "no `_start` export (a reactor, not a command; the agent never calls _start)")

    if args.manifest:
        m_entry, caps = manifest_fields(args.manifest)
        check(m_entry == args.entry, f"manifest entrypoint is `{args.entry}` (got {m_entry})")
        if known is not None:
            missing = [f for f in env_imports if f in known and f not in caps]
            check(not missing, "manifest capabilities cover every imported host function"
                  + (f" (missing: {', '.join(missing)})" if missing else ""))

    check(size <= MAX_MODULE_BYTES, f"size {size} bytes is within the agent's 64 MiB limit")
    if args.max_bytes is not None:
        check(size <= args.max_bytes, f"size {size} bytes is within the budget of {args.max_bytes} bytes"
              + ("" if size <= args.max_bytes else f" ({size - args.max_bytes} bytes over)"))

    passed = sum(results)
    failed = len(results) - passed
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
