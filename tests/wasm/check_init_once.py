#!/usr/bin/env python3
"""Run a plugin's entry the way the agent does and check that C runtime
initialisation (the constructors, run by the reactor's _initialize) happens
exactly once.

    check_init_once.py [--entry run_check] PLUGIN.wasm

The module is run in wabt's interpreter (wasm-interp --dummy-import-func:
every import, env.* and wasi_snapshot_preview1.*, is a stub that logs its
call and returns 0), twice over:
  - as the agent does: `_initialize` is not exported (so never called) and
    the entry is called twice (a second export of the same function);
  - as wasmtime does for a reactor: `_initialize` is called first, then the
    entry twice.
Each run must finish without a trap, call the constructors
(__wasm_call_ctors, the function _initialize calls) exactly once, and reach
at least one host function. The exports are changed in the text form
(wasm2wat, wat2wasm); the code is not touched.
Ends with `N passed, N failed`; exit 1 on failure, 2 when a tool is missing.
"""
import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile


def tool(name):
    path = shutil.which(name)
    if not path:
        print(f"error: {name} (Debian: wabt) not found", file=sys.stderr)
        sys.exit(2)
    return path


def main(argv):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("wasm")
    ap.add_argument("--entry", default="run_check")
    args = ap.parse_args(argv)
    wasm2wat, wat2wasm, interp = tool("wasm2wat"), tool("wat2wasm"), tool("wasm-interp")

    wat = subprocess.run([wasm2wat, args.wasm], check=True, capture_output=True, text=True).stdout
    results = []

    def check(ok, what):
        results.append(bool(ok))
        print(f"{'PASS' if ok else 'FAIL'}: {what}")

    init = re.search(r'^\s*\(export "_initialize" \(func (\d+)\)\)\n', wat, re.M)
    entry = re.search(r'^\s*\(export "%s" \(func (\d+)\)\)\n' % re.escape(args.entry), wat, re.M)
    check(init is not None, "the module exports _initialize (a WASI reactor)")
    check(entry is not None, f"the module exports `{args.entry}`")
    if not (init and entry):
        print(f"{sum(results)} passed, {len(results) - sum(results)} failed")
        return 1
    # The function _initialize calls: __wasm_call_ctors.
    body = re.search(r"^\s*\(func \(;%s;\) \(type \d+\)(.*?)(?=^\s*\(func |^\s*\(table|^\s*\(memory|^\s*\(global|^\s*\(export|\Z)"
                     % init.group(1), wat, re.M | re.S)
    ctors = re.search(r"\bcall (\d+)\b", body.group(1)) if body else None
    check(ctors is not None, "_initialize calls a function (__wasm_call_ctors)")
    if not ctors:
        print(f"{sum(results)} passed, {len(results) - sum(results)} failed")
        return 1
    ctors_call = re.compile(r"\|\s*call \$%s\s*$" % ctors.group(1), re.M)

    again = f'  (export "{args.entry}__again" (func {entry.group(1)}))\n'
    variants = {
        # wasm-interp --run-all-exports calls the exported functions in order.
        "agent (no _initialize, entry twice)": wat.replace(init.group(0), "").replace(entry.group(0), entry.group(0) + again),
        "wasmtime-like (_initialize, then entry twice)": wat.replace(entry.group(0), entry.group(0) + again),
    }
    with tempfile.TemporaryDirectory() as tmp:
        for n, (label, text) in enumerate(variants.items()):
            wat_path = os.path.join(tmp, f"v{n}.wat")
            wasm_path = os.path.join(tmp, f"v{n}.wasm")
            with open(wat_path, "w") as f:
                f.write(text)
            subprocess.run([wat2wasm, wat_path, "-o", wasm_path], check=True)
            r = subprocess.run([interp, "--dummy-import-func", "--run-all-exports", "--trace", wasm_path],
                               capture_output=True, text=True)
            out = r.stdout + r.stderr
            calls = [l for l in out.splitlines() if l.startswith("called host ")]
            trapped = r.returncode != 0 or "error:" in out
            check(not trapped, f"{label}: runs without a trap"
                  + ("" if not trapped else ": " + "\n".join(out.splitlines()[-3:])))
            n_ctors = len(ctors_call.findall(out))
            check(n_ctors == 1, f"{label}: constructors run exactly once (got {n_ctors})")
            check(calls, f"{label}: the entry reaches the host ({len(calls)} host calls)")
            for line in calls:
                print(f"    {line}")

    passed = sum(results)
    print(f"{passed} passed, {len(results) - passed} failed")
    return 1 if passed != len(results) else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
