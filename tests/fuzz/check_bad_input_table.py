#!/usr/bin/env python3
"""Keeps docs/bad-input.md true.

Reads every table of the document whose header has the columns Status, Rule
and Proof, and checks, citing file:line for each problem:

  - every rule id in the Rule column is a rule of the contract
    (the "Validation rules" table of generated/docs/contract.md), and every
    rule of the contract appears in some row's Rule column;
  - every status in the Status column is an sr_status of
    runtime/include/sr_runtime.h (or `input_error`, the conformance
    testee's answer for input the C API cannot express);
  - every vector id in the Proof column is a case of
    generated/vectors/otel_metric.json, and it really proves its row: an
    invalid vector reports (as error) one of the row's rules, a valid vector
    cited with warning rules reports one of them as a warning, and an
    input-error vector stands in a row without rules;
  - (a note, not a failure) every invalid, warning and input-error vector
    is cited somewhere: a new vector of a class already in the table does
    not make the document wrong, but is worth citing;
  - every `path#name` in the Proof column names a file of the repository
    that contains `name`.

Exit status 1 on any problem.

    python3 tests/fuzz/check_bad_input_table.py [other.md]
"""
from __future__ import annotations

import json
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DOC = ROOT / "docs" / "bad-input.md"
VECTORS = ROOT / "generated" / "vectors" / "otel_metric.json"
CONTRACT = ROOT / "generated" / "docs" / "contract.md"
RUNTIME_H = ROOT / "runtime" / "include" / "sr_runtime.h"

TICKED = re.compile(r"`([^`]+)`")


def contract_rules() -> dict[str, str]:
    """{rule id: severity} from the contract reference's rule table."""
    rules = {}
    for m in re.finditer(r"^\| `([a-z0-9_.]+)` \| (error|warning) \|", CONTRACT.read_text(encoding="utf-8"), re.M):
        rules[m[1]] = m[2]
    if not rules:
        sys.exit("%s: no rule table found" % CONTRACT)
    return rules


def statuses() -> set[str]:
    return set(re.findall(r"^\s*(SR_[A-Z0-9_]+) = \d+,?", RUNTIME_H.read_text(encoding="utf-8"), re.M))


def rel(p: Path) -> str:
    try:
        return str(p.resolve().relative_to(ROOT))
    except ValueError:
        return str(p)


def split_row(line: str) -> list[str]:
    """Cells of a Markdown table row (no escaped pipes are used in the doc)."""
    return [c.strip() for c in line.strip().strip("|").split("|")]


def main() -> int:
    doc = Path(sys.argv[1]) if len(sys.argv) > 1 else DOC
    rules = contract_rules()
    known_status = statuses()
    cases = {c["id"]: c for c in json.loads(VECTORS.read_text(encoding="utf-8"))["cases"]}
    problems: list[str] = []
    rules_seen: set[str] = set()
    vectors_seen: set[str] = set()
    rows = 0

    lines = doc.read_text(encoding="utf-8").splitlines()
    columns: dict[str, int] | None = None
    for n, line in enumerate(lines, 1):
        where = "%s:%d" % (rel(doc), n)
        if not line.startswith("|"):
            columns = None
            continue
        cells = split_row(line)
        if columns is None:
            names = [c.lower() for c in cells]
            if {"status", "rule", "proof"} <= set(names):
                columns = {k: names.index(k) for k in ("status", "rule", "proof")}
            continue
        if set(line.replace("|", "").strip()) <= set("-: "):
            continue  # the header's separator
        if max(columns.values()) >= len(cells):
            problems.append("%s: the row has too few cells" % where)
            continue
        rows += 1

        row_rules = TICKED.findall(cells[columns["rule"]])
        for r in row_rules:
            if r not in rules:
                problems.append("%s: `%s` is not a rule of the contract" % (where, r))
        rules_seen.update(row_rules)
        if not row_rules and cells[columns["rule"]] not in ("—", "-"):
            problems.append("%s: the Rule cell holds no rule id (write — when there is none)" % where)

        for st in TICKED.findall(cells[columns["status"]]):
            if st != "input_error" and st not in known_status:
                problems.append("%s: `%s` is not an sr_status" % (where, st))

        proofs = TICKED.findall(cells[columns["proof"]])
        if not proofs:
            problems.append("%s: no proof cited" % where)
        for p in proofs:
            if "#" in p:
                path, name = p.split("#", 1)
                f = ROOT / path
                if not f.is_file():
                    problems.append("%s: %s does not exist" % (where, path))
                elif name not in f.read_text(encoding="utf-8", errors="replace"):
                    problems.append("%s: %s holds no %r" % (where, path, name))
                continue
            case = cases.get(p)
            if case is None:
                problems.append("%s: `%s` is not a vector id" % (where, p))
                continue
            vectors_seen.add(p)
            errors = {e["rule"] for e in case.get("errors", [])}
            warnings = {w["rule"] for w in case.get("warnings", [])}
            if case.get("input_error"):
                if row_rules:
                    problems.append("%s: `%s` is an input error, yet the row names rules" % (where, p))
            elif not case.get("valid"):
                if not errors & set(row_rules):
                    problems.append("%s: `%s` reports %s, none of the row's rules" % (where, p, sorted(errors)))
            elif row_rules and not warnings & set(row_rules):
                problems.append("%s: `%s` is valid and warns %s, none of the row's rules"
                                % (where, p, sorted(warnings)))

    for r in sorted(set(rules) - rules_seen):
        problems.append("%s: rule `%s` (%s) of the contract is in no row" % (rel(doc), r, rules[r]))
    notes = []
    for cid, case in cases.items():
        bad = case.get("input_error") or not case.get("valid") or case.get("warnings")
        if bad and cid not in vectors_seen:
            notes.append("%s: note: vector `%s` (%s) is cited in no row" % (
                rel(doc), cid, "input error" if case.get("input_error") else
                "invalid" if not case.get("valid") else "warning"))

    for p in problems + notes:
        print(p)
    print("%s: %d rows, %d of %d contract rules, %d vectors cited: %s"
          % (rel(doc), rows, len(rules_seen & set(rules)), len(rules), len(vectors_seen),
             "%d problem(s)" % len(problems) if problems else "ok"))
    return 1 if problems or rows == 0 else 0


if __name__ == "__main__":
    sys.exit(main())
