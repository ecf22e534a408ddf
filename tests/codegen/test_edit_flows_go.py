"""A rule edit and a limit edit in a copy of the contract reach the generated
Go SDK with no hand edit, and the regenerated Go enforces them.

The edits: rule metric.points.max_items takes its bound from exemplars_max
instead of points_max (a rule change), and metric_name_max_chars goes from
255 to 100 (a limit change). Regenerating changes exactly one line of
go/contract.go (the limit constant) and one line of go/validate.go (the
rule's bound), and a small Go program built against the regenerated package
(and, for comparison, against the unedited one) shows the new verdicts.
Helpers come from test_generator.py (the C version of these checks).
"""
from __future__ import annotations

import pathlib
import shutil
import subprocess
import sys

import pytest

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
from test_generator import copy_contract, generate, replace_once  # noqa: E402

# Builds one gauge per argument and prints what Validate reports:
# "name:N" names it with N bytes, "points:N" gives it N points.
GO_CHECK = r"""
package main

import (
	"fmt"
	"os"
	"strconv"
	"strings"

	c "serviceradar.local/sdk/contract"
)

func main() {
	for _, arg := range os.Args[1:] {
		what, num, _ := strings.Cut(arg, ":")
		n, _ := strconv.Atoi(num)
		name, points := "up", 1
		if what == "name" {
			name = strings.Repeat("a", n)
		} else {
			points = n
		}
		m := c.NewOtelMetric().SetName(name).SetKind(c.MetricKindGauge)
		m.Resource.Service.SetName("svc")
		for i := 0; i < points; i++ {
			var p c.Point
			p.SetTimeUnixNano(uint64(i + 1)).SetAsInt(1)
			m.AddPoint(p)
		}
		out := "ok"
		if errs := m.Validate().Errors(); len(errs) > 0 {
			out = "invalid"
			for _, v := range errs {
				out += " " + v.Rule + "@" + v.Path
			}
		}
		fmt.Println(arg, out)
	}
}
"""

ARGS = ["name:100", "name:101", "points:16", "points:17"]


def go_run(sdk: pathlib.Path, work: pathlib.Path) -> dict[str, str]:
    """Build GO_CHECK against the Go package in sdk (go vet first); run it on ARGS."""
    go = shutil.which("go")
    if go is None:
        pytest.skip("the Go toolchain is not installed")
    work.mkdir(parents=True)
    (work / "go.mod").write_text(
        "module edit.check\n\ngo 1.22\n\nrequire serviceradar.local/sdk/contract v0.0.0\n\n"
        f"replace serviceradar.local/sdk/contract => {sdk}\n", encoding="utf-8")
    (work / "main.go").write_text(GO_CHECK, encoding="utf-8")
    for cmd in ([go, "vet", "./..."], [go, "run", ".", *ARGS]):
        proc = subprocess.run(cmd, cwd=work, capture_output=True, text=True)
        assert proc.returncode == 0, f"{' '.join(cmd[1:3])} failed:\n{proc.stdout}{proc.stderr}"
    return dict(line.split(" ", 1) for line in proc.stdout.splitlines())


def test_rule_and_limit_edits_flow_into_go(tmp_path: pathlib.Path) -> None:
    contract = copy_contract(tmp_path / "a")
    before = generate(contract, tmp_path / "before")
    replace_once(contract / "otel_metric.yaml", "check: {max_items: {field: points, limit: points_max}}",
                 "check: {max_items: {field: points, limit: exemplars_max}}")
    replace_once(contract / "limits.yaml", "  metric_name_max_chars:\n    value: 255\n",
                 "  metric_name_max_chars:\n    value: 100\n")
    after = generate(contract, tmp_path / "after")

    go_before = {rel: data for rel, data in before.items() if rel.startswith("go/")}
    go_after = {rel: data for rel, data in after.items() if rel.startswith("go/")}
    assert set(go_before) == set(go_after)
    changed = {rel for rel in go_before if go_before[rel] != go_after[rel]}
    assert changed == {"go/contract.go", "go/validate.go"}, changed

    def diff(rel: str) -> list[tuple[str, str]]:
        a, b = go_before[rel].decode().splitlines(), go_after[rel].decode().splitlines()
        assert len(a) == len(b), rel
        return [(x.strip(), y.strip()) for x, y in zip(a, b) if x != y]

    (old, new), = diff("go/contract.go")
    assert old.split() == ["LimitMetricNameMaxChars", "=", "255"] and new.split() == ["LimitMetricNameMaxChars", "=", "100"]
    assert diff("go/validate.go") == [("if len(o.Points) > LimitPointsMax {", "if len(o.Points) > LimitExemplarsMax {")]

    # The Go code checks the limit by its constant, so the 255 -> 100 edit
    # changed no validator line; the rule edit changed exactly its bound.
    was = go_run(tmp_path / "before" / "go", tmp_path / "run-before")
    now = go_run(tmp_path / "after" / "go", tmp_path / "run-after")
    assert was == {"name:100": "ok", "name:101": "ok", "points:16": "ok", "points:17": "ok"}
    assert now == {
        "name:100": "ok",
        "name:101": "invalid metric.name.max_length@name",
        "points:16": "ok",
        "points:17": "invalid metric.points.max_items@points",
    }
