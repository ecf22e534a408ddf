"""A rule and a limit edited in a copy of the contract reach the generated
Rust crate with no hand edit, and the regenerated crate enforces them.

The edit: metric.unit.ucum becomes an error (it is a warning) and
metric_unit_max_chars becomes 24 (it is 63); the hand-written vectors that
state the rule as a warning are edited to match, as a contract author would
have to. The test regenerates from the edited copy, checks that the Rust changed exactly where those two facts live
(the limit constant, the rule's severity and its comments), then builds a
tiny program against the crate before and after the edit and runs the same
units through both. Cargo's target directory is shared under build/ so the
dependencies compile once.
"""
from __future__ import annotations

import os
import pathlib
import shutil
import subprocess
import sys

import pytest

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
from test_generator import ROOT, changed_lines, copy_contract, generate, replace_once  # noqa: E402

TARGET_DIR = ROOT / "build" / "cargo-edit-flows"
LOCK = ROOT / "tests" / "conformance" / "rust" / "Cargo.lock"

# The program: one line per unit given, "ok" (with warnings) or "invalid"
# with the errors, each as rule@path.
MAIN_RS = r'''
use serviceradar_contract::{MetricKind, OtelMetric, Point, Resource, Service};

fn main() {
    for unit in std::env::args().skip(1) {
        let m = OtelMetric {
            resource: Resource { service: Service { name: Some("svc".into()), ..Default::default() }, ..Default::default() },
            name: Some("m".into()),
            unit: Some(unit.clone()),
            kind: Some(MetricKind::Gauge),
            points: vec![Point { time_unix_nano: Some(1), as_int: Some(1), ..Default::default() }],
            ..Default::default()
        };
        let report = m.validate();
        let list = |it: Vec<String>| it.join(" ");
        let errors = list(report.errors().map(|v| format!("{}@{}", v.rule.id(), v.path)).collect());
        let warnings = list(report.warnings().map(|v| format!("{}@{}", v.rule.id(), v.path)).collect());
        match m.to_json() {
            Ok(_) => println!("{unit} ok {warnings}"),
            Err(_) => println!("{unit} invalid {errors}"),
        }
    }
}
'''


def cargo_run(repo: pathlib.Path, units: list[str], main_rs: str = MAIN_RS) -> dict[str, str]:
    """Build the program in a workspace laid out as the real one (the generated
    Cargo.toml names ../../tests/conformance/rust as its workspace) and run it."""
    cargo = shutil.which("cargo")
    if cargo is None:
        pytest.skip("cargo is not installed")
    ws = repo / "tests" / "conformance" / "rust"
    (ws / "src").mkdir(parents=True)
    (ws / "Cargo.toml").write_text(
        '[workspace]\nmembers = [".", "../../../generated/rust"]\nresolver = "2"\n\n'
        '[package]\nname = "edit-check"\nversion = "0.1.0"\nedition = "2021"\npublish = false\n\n'
        '[dependencies]\nserviceradar-contract = { path = "../../../generated/rust" }\n', encoding="utf-8")
    (ws / "src" / "main.rs").write_text(main_rs, encoding="utf-8")
    shutil.copy(LOCK, ws / "Cargo.lock")  # the versions the project builds with
    run = subprocess.run([cargo, "run", "--quiet", "--manifest-path", str(ws / "Cargo.toml"), "--", *units],
                         capture_output=True, text=True, env={**os.environ, "CARGO_TARGET_DIR": str(TARGET_DIR)})
    assert run.returncode == 0, run.stderr[-3000:]
    return {line.split(" ", 1)[0]: line.split(" ", 1)[1].strip() for line in run.stdout.splitlines()}


def rust_tree(tree: dict[str, bytes]) -> dict[str, bytes]:
    return {rel: data for rel, data in tree.items() if rel.startswith("rust/")}


def test_rule_and_limit_edits_flow_into_rust(tmp_path: pathlib.Path) -> None:
    before_repo, after_repo = tmp_path / "before", tmp_path / "after"
    snapshot = copy_contract(before_repo)
    before = generate(snapshot, before_repo / "repo" / "generated")

    edited = copy_contract(after_repo, snapshot)
    replace_once(edited / "limits.yaml", "  metric_unit_max_chars:\n    value: 63\n",
                 "  metric_unit_max_chars:\n    value: 24\n")
    replace_once(edited / "otel_metric.yaml", "  - id: metric.unit.ucum\n    severity: warning\n",
                 "  - id: metric.unit.ucum\n    severity: error\n")
    vectors = edited / "vectors" / "otel_metric.yaml"
    replace_once(vectors, "    errors: [{rule: metric.unit.ascii, path: unit}]\n"
                          "    warnings: [{rule: metric.unit.ucum, path: unit}]\n",
                 "    errors: [{rule: metric.unit.ascii, path: unit}, {rule: metric.unit.ucum, path: unit}]\n")
    replace_once(vectors, "a warning, not an error.\n    valid: true\n", "a warning, not an error.\n    valid: false\n")
    replace_once(vectors, "as_double: 1200.0}]\n    warnings: [{rule: metric.unit.ucum, path: unit}]\n",
                 "as_double: 1200.0}]\n    errors: [{rule: metric.unit.ucum, path: unit}]\n")
    after = generate(edited, after_repo / "repo" / "generated")

    # 1. The Rust changed only where the two facts are spelled.
    old, new = rust_tree(before), rust_tree(after)
    assert set(old) == set(new)
    changed = {rel for rel in old if old[rel] != new[rel]}
    assert changed == {"rust/src/contract.rs", "rust/src/otel_metric.rs"}, changed
    contract_changes = changed_lines(old["rust/src/contract.rs"], new["rust/src/contract.rs"])
    assert ("    pub const METRIC_UNIT_MAX_CHARS: usize = 63;",
            "    pub const METRIC_UNIT_MAX_CHARS: usize = 24;") in contract_changes
    assert ("            Rule::MetricUnitUcum => Severity::Warning,",
            "            Rule::MetricUnitUcum => Severity::Error,") in contract_changes
    # Besides those two lines only the rule's doc comment, which names its severity.
    rest = [c for c in contract_changes if "METRIC_UNIT_MAX_CHARS" not in c[0] and "=> Severity::" not in c[0]]
    assert rest == [("    /// `metric.unit.ucum` (warning): " + rest[0][0].split("(warning): ", 1)[1],
                     "    /// `metric.unit.ucum` (error): " + rest[0][0].split("(warning): ", 1)[1])], rest
    validator_changes = changed_lines(old["rust/src/otel_metric.rs"], new["rust/src/otel_metric.rs"])
    assert [(a.strip(), b.strip()) for a, b in validator_changes] == [
        ("// metric.unit.ucum (warning): " + validator_changes[0][0].split("(warning): ", 1)[1],
         "// metric.unit.ucum (error): " + validator_changes[0][0].split("(warning): ", 1)[1])]

    # 2. The regenerated crate enforces them: 24 bytes pass, 25 do not; a
    # unit that is not UCUM is now refused instead of warned about.
    at, over = "{" + "a" * 22 + "}", "{" + "a" * 23 + "}"
    units = ["By", at, over, "furlong"]
    assert cargo_run(before_repo / "repo", units) == {
        "By": "ok",
        at: "ok",
        over: "ok",
        "furlong": "ok metric.unit.ucum@unit",
    }
    assert cargo_run(after_repo / "repo", units) == {
        "By": "ok",
        at: "ok",
        over: "invalid metric.unit.max_length@unit",
        "furlong": "invalid metric.unit.ucum@unit",
    }
