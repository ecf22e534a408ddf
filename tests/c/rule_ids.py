#!/usr/bin/env python3
"""sr_rule_id against the contract: every rule's id, in the contract's
order, twice, then NULL for out-of-range rules (see rule_ids_check.c).

    rule_ids.py PATH-TO-rule_ids_check...
"""
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
from codegen.loader import load_contract  # noqa: E402


def main() -> int:
    ids = [r["id"] for r in load_contract(ROOT / "contract").data["rules"]]
    want = ids + ids + ["null", "null"]
    failed = 0
    for program in sys.argv[1:]:
        got = subprocess.run([program], capture_output=True, text=True, check=True).stdout.splitlines()
        if got != want:
            failed += 1
            bad = [(i, w, g) for i, (w, g) in enumerate(zip(want, got)) if w != g][:5]
            print("FAIL %s: %d lines for %d; first differences %s" % (program, len(got), len(want), bad))
        else:
            print("ok %s: %d rule ids" % (program, len(ids)))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
