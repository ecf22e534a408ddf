"""The parity runner (run_vectors.py --parity) tells agreement from
disagreement: each planted difference in a mutant of the reference testee is
either a failure (a different value, verdict or violation) or an agreement
with a note (the same value written differently)."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
RUNNER = HERE.parent / "run_vectors.py"
REFERENCE = "%s %s" % (sys.executable, HERE.parent / "reference_testee.py")
# A small, varied slice of the vectors keeps this quick.
ONLY = ("valid.", "warning.", "invalid.metric.", "input.")


def parity(mode: str, only: str) -> tuple[int, str]:
    mutant = "%s %s %s" % (sys.executable, HERE / "mutant_testee.py", mode)
    done = subprocess.run([sys.executable, str(RUNNER), "--only", only, "--parity", "ref=" + REFERENCE,
                           "--parity", "mutant=" + mutant], capture_output=True, text=True, timeout=300)
    return done.returncode, done.stdout


@pytest.mark.parametrize("mode,only,outcome", [
    ("none", "valid.", "agree"),
    ("exponent", "valid.", "note:number(s) formatted differently"),
    ("reorder", "valid.", "note:object keys in another order"),
    ("ulp", "valid.", "fail:output value differs"),
    ("int_as_double", "valid.", "fail:output value differs"),
    ("drop_warning", "warning.", "fail:warnings differ"),
    ("move_error", "invalid.metric.", "fail:errors differ"),
])
def test_planted_difference(mode: str, only: str, outcome: str) -> None:
    code, out = parity(mode, only)
    kind, _, text = outcome.partition(":")
    if kind == "agree":
        assert code == 0, out
        assert "0 agree with different text, 0 fail" in out.split("mutant", 1)[1], out
    elif kind == "note":
        assert code == 0, out
        assert "1 agree with different text, 0 fail" in out, out
        assert text in out, out
    else:
        assert code == 1, out
        assert "FAIL" in out and "[mutant]" in out and text in out, out
