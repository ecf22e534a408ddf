"""One rule edit and one limit edit, made once in a copy of the contract,
reach all three SDKs with no hand edit: the C, Go and Rust generated from the
edited contract, each compiled and run, give the same new verdicts, and the
SDKs generated from the unedited copy give the old ones.

The edits (plain text, as a maintainer would make them): rule
metric.points.max_items takes its bound from exemplars_max (16) instead of
points_max, and metric_name_max_chars goes from 255 to 100. Each language
builds one gauge per argument ("name:N": a name of N bytes; "points:N": N
points) through its own API and prints the errors as rule@path. Which lines
of each language change is pinned by test_generator.py (C),
test_edit_flows_go.py and test_edit_flows_rust.py; this test shows the three
agree on what the edit means.
"""
from __future__ import annotations

import pathlib
import sys

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
from test_edit_flows_go import ARGS, go_run  # noqa: E402
from test_edit_flows_rust import cargo_run  # noqa: E402
from test_generator import compile_and_run, copy_contract, generate, replace_once  # noqa: E402

C_CHECK = r"""
#include "sr_otel_metric.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static unsigned char arena_buf[1 << 20];
static char name[1024];

int main(int argc, char **argv)
{
    memset(name, 'a', sizeof name);
    for (int i = 1; i < argc; i++) {
        size_t n = (size_t)strtoul(strchr(argv[i], ':') + 1, NULL, 10);
        int is_name = strncmp(argv[i], "name:", 5) == 0;
        size_t points = is_name ? 1 : n;
        sr_arena arena;
        sr_otel_metric m;
        sr_violation v[16];
        sr_report report;
        if (n > sizeof name)
            return 3;
        sr_arena_init(&arena, arena_buf, sizeof arena_buf);
        if (sr_otel_metric_init(&m, &arena) != SR_OK
            || sr_otel_metric_set_name_n(&m, is_name ? name : "up", is_name ? n : 2) != SR_OK
            || sr_otel_metric_set_resource_service_name(&m, "svc") != SR_OK
            || sr_otel_metric_set_kind(&m, SR_METRIC_KIND_GAUGE) != SR_OK)
            return 2;
        for (size_t k = 0; k < points; k++) {
            sr_point *p;
            if (sr_otel_metric_add_point(&m, &p) != SR_OK || sr_point_set_time_unix_nano(p, k + 1) != SR_OK
                || sr_point_set_as_int(p, 1) != SR_OK)
                return 2;
        }
        sr_report_init(&report, v, 16);
        printf("%s %s", argv[i], sr_otel_metric_validate(&m, &report) == SR_OK ? "ok" : "invalid");
        for (size_t k = 0; k < report.stored; k++)
            if (v[k].severity == SR_SEVERITY_ERROR)
                printf(" %s@%s", sr_rule_id(v[k].rule), v[k].path);
        printf("\n");
    }
    return 0;
}
"""

RUST_CHECK = r'''
use serviceradar_contract::{MetricKind, OtelMetric, Point, Resource, Service};

fn main() {
    for arg in std::env::args().skip(1) {
        let (what, n) = arg.split_once(':').unwrap();
        let n: usize = n.parse().unwrap();
        let (name, points) = if what == "name" { ("a".repeat(n), 1) } else { ("up".to_string(), n) };
        let m = OtelMetric {
            resource: Resource { service: Service { name: Some("svc".into()), ..Default::default() }, ..Default::default() },
            name: Some(name),
            kind: Some(MetricKind::Gauge),
            points: (0..points)
                .map(|i| Point { time_unix_nano: Some(i as u64 + 1), as_int: Some(1), ..Default::default() })
                .collect(),
            ..Default::default()
        };
        let report = m.validate();
        let errors: Vec<String> = report.errors().map(|v| format!(" {}@{}", v.rule.id(), v.path)).collect();
        println!("{arg} {}{}", if errors.is_empty() { "ok" } else { "invalid" }, errors.concat());
    }
}
'''

BEFORE = {"name:100": "ok", "name:101": "ok", "points:16": "ok", "points:17": "ok"}
AFTER = {
    "name:100": "ok",
    "name:101": "invalid metric.name.max_length@name",
    "points:16": "ok",
    "points:17": "invalid metric.points.max_items@points",
}


def verdicts(repo: pathlib.Path, work: pathlib.Path) -> dict[str, dict[str, str]]:
    generated = repo / "generated"
    work.mkdir(parents=True)
    return {
        "c": compile_and_run(generated, work, ARGS, program=C_CHECK),
        "go": go_run(generated / "go", work / "go"),
        "rust": cargo_run(repo, ARGS, main_rs=RUST_CHECK),
    }


def test_one_edit_reaches_c_go_and_rust(tmp_path: pathlib.Path) -> None:
    before_repo, after_repo = tmp_path / "before" / "repo", tmp_path / "after" / "repo"
    snapshot = copy_contract(tmp_path / "before")
    generate(snapshot, before_repo / "generated")
    edited = copy_contract(tmp_path / "after", snapshot)
    replace_once(edited / "otel_metric.yaml", "check: {max_items: {field: points, limit: points_max}}",
                 "check: {max_items: {field: points, limit: exemplars_max}}")
    replace_once(edited / "limits.yaml", "  metric_name_max_chars:\n    value: 255\n",
                 "  metric_name_max_chars:\n    value: 100\n")
    generate(edited, after_repo / "generated")

    was = verdicts(before_repo, tmp_path / "before" / "work")
    now = verdicts(after_repo, tmp_path / "after" / "work")
    assert was == {"c": BEFORE, "go": BEFORE, "rust": BEFORE}, was
    assert now == {"c": AFTER, "go": AFTER, "rust": AFTER}, now
