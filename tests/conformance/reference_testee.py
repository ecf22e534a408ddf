#!/usr/bin/env python3
"""A conformance testee answered by the Python reference (codegen/reference.py).

Speaks the JSON Lines protocol of the C, Go and Rust testees. The vectors'
expected answers come from the same reference, so this testee proves nothing
about an SDK; it is the known-good subject the runner's own tests mutate
(tests/conformance/selftest/).
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from codegen import model as model_mod, reference  # noqa: E402
from codegen.check import check_contract  # noqa: E402
from codegen.loader import load_contract  # noqa: E402


def load_model() -> model_mod.Model:
    contract_dir = ROOT / "contract"
    contract = load_contract(contract_dir)
    check_contract(contract)
    return model_mod.resolve(contract.data, contract_dir, sorted(p.name for p in contract_dir.glob("*.yaml")))


def main() -> int:
    m = load_model()
    for line in sys.stdin:
        if not line.strip():
            continue
        try:
            req = json.loads(line)
        except json.JSONDecodeError as e:
            print(json.dumps({"ok": False, "input_error": "not JSON: %s" % e}), flush=True)
            continue
        ans = {"id": req.get("id")}
        if req.get("type") != m.root_payload_kind:
            ans.update({"ok": False, "input_error": "unknown type"})
        else:
            ans.update(reference.run(m, m.root.name, req.get("input")))
        print(json.dumps(ans, ensure_ascii=False), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
