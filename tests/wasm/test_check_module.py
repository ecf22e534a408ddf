#!/usr/bin/env python3
"""check_module.py catches what it should: small modules written in WAT
(assembled with wabt's wat2wasm), each with one defect, must fail; a good one
must pass.

Runs under pytest (`python3 -m pytest tests/wasm`) or alone
(`python3 tests/wasm/test_check_module.py`, ends with `N passed, N failed`);
the WASI build registers it as a CTest test when wat2wasm is found.
"""
import os
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
CHECK = os.path.join(HERE, "check_module.py")

MANIFEST = """id: t
name: T
version: 0.1.0
entrypoint: run_check
capabilities: [log, submit_result]
resources: {requested_cpu_ms: 100, requested_memory_mb: 16}
"""

GOOD = """(module
  (import "env" "log" (func $log (param i32 i32 i32)))
  (import "wasi_snapshot_preview1" "fd_write" (func (param i32 i32 i32 i32) (result i32)))
  (memory (export "memory") 1)
  (func (export "_initialize"))
  (func (export "run_check") (call $log (i32.const 1) (i32.const 0) (i32.const 0))))
"""


def variant(old, new):
    assert old in GOOD
    return GOOD.replace(old, new)


CASES = {
    # name: (wat, manifest, expected exit code[, extra arguments])
    "good": (GOOD, MANIFEST, 0),
    "foreign_import_module": (variant('"wasi_snapshot_preview1"', '"wasi_unstable"'), MANIFEST, 1),
    "unknown_env_import": (variant('"env" "log"', '"env" "not_a_host_function"'), MANIFEST, 1),
    "imported_memory": (variant('(memory (export "memory") 1)',
                                '(import "env" "memory" (memory 1))'), MANIFEST, 1),
    "no_memory_export": (variant('(memory (export "memory") 1)', '(memory 1)'), MANIFEST, 1),
    "start_export": (variant('(func (export "_initialize"))', '(func (export "_start"))'), MANIFEST, 1),
    "no_entry": (variant('"run_check"', '"other"'), MANIFEST, 1),
    "entry_with_params": (variant('(func (export "run_check")',
                                  '(func (export "run_check") (param i32)'), MANIFEST, 1),
    "manifest_other_entrypoint": (GOOD, MANIFEST.replace("entrypoint: run_check", "entrypoint: main"), 1),
    "manifest_missing_capability": (GOOD, MANIFEST.replace("[log, submit_result]", "[submit_result]"), 1),
    # the good module is about 150 bytes: within a 4096-byte budget, over a 64-byte one
    "within_size_budget": (GOOD, MANIFEST, 0, ["--max-bytes", "4096"]),
    "over_size_budget": (GOOD, MANIFEST, 1, ["--max-bytes", "64"]),
}


def run_case(name):
    wat, manifest, expected, *extra = CASES[name]
    extra = extra[0] if extra else []
    wat2wasm = shutil.which("wat2wasm")
    if not wat2wasm:
        raise RuntimeError("wat2wasm (Debian: wabt) not found")
    with tempfile.TemporaryDirectory() as tmp:
        wat_path = os.path.join(tmp, "m.wat")
        wasm_path = os.path.join(tmp, "m.wasm")
        yaml_path = os.path.join(tmp, "plugin.yaml")
        with open(wat_path, "w") as f:
            f.write(wat)
        with open(yaml_path, "w") as f:
            f.write(manifest)
        subprocess.run([wat2wasm, wat_path, "-o", wasm_path], check=True)
        r = subprocess.run([sys.executable, CHECK, "--entry", "run_check",
                            "--manifest", yaml_path, *extra, wasm_path],
                           capture_output=True, text=True)
    assert r.returncode == expected, f"{name}: exit {r.returncode}, wanted {expected}\n{r.stdout}{r.stderr}"
    assert r.stdout.rstrip().splitlines()[-1].endswith(" failed"), r.stdout


def _make_test(name):
    def test():
        run_case(name)
    test.__name__ = f"test_{name}"
    return test


for _name in CASES:
    globals()[f"test_{_name}"] = _make_test(_name)


if __name__ == "__main__":
    passed = failed = 0
    for case in CASES:
        try:
            run_case(case)
            passed += 1
            print(f"PASS: {case}")
        except Exception as e:  # noqa: BLE001 - report every case
            failed += 1
            print(f"FAIL: {case}: {e}")
    print(f"{passed} passed, {failed} failed")
    sys.exit(1 if failed else 0)
