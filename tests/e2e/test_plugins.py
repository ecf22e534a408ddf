"""End to end: the example plugins, built to wasm32-wasi, run in the local
wazero host (host/) the way the agent runs them.

What a plugin emits is checked three ways: against values this test states
itself, against the contract through the Python reference (every otel_metric
payload must validate and already be in canonical form), and, for the
perfdata shim, against a vector.

Needs the WASI build and the host binary; scripts/test.sh builds them and
passes their paths as SR_WASM_BUILD and SR_HOST (defaults: build-wasm/ and
build/srhost, built here when missing).
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
from codegen import model as model_mod, reference  # noqa: E402
from codegen.loader import load_contract  # noqa: E402

EXAMPLES = ROOT / "examples"


@pytest.fixture(scope="session")
def model():
    contract = load_contract(ROOT / "contract")
    return model_mod.resolve(contract.data, ROOT / "contract", [])


@pytest.fixture(scope="session")
def wasm_dir() -> Path:
    d = Path(os.environ.get("SR_WASM_BUILD", ROOT / "build-wasm"))
    if not (d / "plugins").is_dir():
        subprocess.run(["cmake", "-S", str(ROOT), "-B", str(d),
                        "-DCMAKE_TOOLCHAIN_FILE=" + str(ROOT / "cmake" / "wasm32-wasi.cmake")], check=True)
        subprocess.run(["cmake", "--build", str(d)], check=True)
    return d / "plugins"


@pytest.fixture(scope="session")
def host() -> Path:
    exe = Path(os.environ.get("SR_HOST", ROOT / "build" / "srhost"))
    if not exe.exists():
        subprocess.run(["go", "build", "-o", str(exe), "./cmd/srhost"], cwd=ROOT / "host", check=True)
    return exe


def run(host: Path, wasm_dir: Path, name: str, *extra: str) -> dict:
    args = [str(host), "run", "--json", "--wasm", str(wasm_dir / name / (name + ".wasm")),
            "--manifest", str(EXAMPLES / name / "plugin.yaml"), *extra]
    done = subprocess.run(args, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr + done.stdout
    return json.loads(done.stdout)


def as_input(model, payload: dict) -> dict:
    """A canonical otel_metric payload back into the vectors' input form
    (maps as [{key, value: {type: v}}]), so the reference can judge it."""
    def value(v):
        if isinstance(v, bool):
            return {"bool": v}
        if isinstance(v, int):
            return {"int": v}
        if isinstance(v, float):
            return {"double": v}
        if isinstance(v, str):
            return {"string": v}
        return {"array": [value(x) for x in v]}

    def obj(t, d):
        out = {}
        for f in t.fields:
            if f.name not in d or f.const is not None:
                continue
            v = d[f.name]
            if f.kind == "map":
                out[f.name] = [{"key": k, "value": value(x)} for k, x in v.items()]
            elif f.kind == "object" and f.repeated:
                out[f.name] = [obj(f.target, x) for x in v]
            elif f.kind == "object":
                out[f.name] = obj(f.target, v)
            else:
                out[f.name] = v
        assert set(d) <= {f.name for f in t.fields}, "unknown fields %s" % (set(d) - {f.name for f in t.fields})
        return out
    return obj(model.root, payload)


def check_canonical(model, payload: dict) -> None:
    """The payload validates and is already the reference's canonical text."""
    got = reference.run(model, model.root.name, as_input(model, payload))
    assert got.get("ok"), got
    assert got["warnings"] == [], got["warnings"]
    assert got["output"] == json.dumps(payload, separators=(",", ":"), ensure_ascii=False)


def metric_records(report: dict) -> list[dict]:
    records = [r for batch in report["telemetry"] for r in batch["records"]]
    assert all(r["payload_kind"] == "otel_metric" for r in records)
    return records


def test_http_metrics_plugin(model, host, wasm_dir):
    rep = run(host, wasm_dir, "http_metrics", "--config", str(EXAMPLES / "http_metrics" / "config.json"))
    assert rep["error"] == "" and not rep["result_synthesized"]
    assert [c["function"] for c in rep["calls"]] == ["get_config", "emit_telemetry", "log", "submit_result"]
    assert all(c["code"] == 0 for c in rep["calls"])
    result = rep["result"]
    assert (result["status"], result["summary"], result["schema_version"]) == ("OK", "3 metrics emitted", 1)
    assert rep["logs"] == [{"level": 1, "message": "emitted 3 otel_metric records"}]

    assert len(rep["telemetry"]) == 1
    batch = rep["telemetry"][0]
    assert batch["source"] == {"source_type": "wasm_plugin", "source_instance": "edge-01"}
    records = metric_records(rep)
    assert len(records) == 3
    for r in records:
        check_canonical(model, r["payload"])
        assert r["metadata"] == {"serviceradar.signal_schema.schema_version": "2",
                                 "serviceradar.signal_schema.signal_type": "metric",
                                 "serviceradar.signal_schema.payload_kind": "otel_metric"}
        latest = max(p["time_unix_nano"] for p in r["payload"]["points"])
        assert r["event_time_unix_nano"] == latest
        assert r["observed_time_unix_nano"] >= latest

    hist, total, util = (r["payload"] for r in records)
    assert (hist["name"], hist["kind"], hist["temporality"], hist["unit"]) == \
        ("http.server.request.duration", "histogram", "cumulative", "s")
    p = hist["points"][0]
    assert (p["count"], p["sum"], p["bucket_counts"], p["explicit_bounds"], p["min"], p["max"]) == \
        (48, 7.25, [12, 30, 5, 1], [0.05, 0.25, 1.0], 0.011, 1.5)
    assert p["attributes"] == {"http.route": "/cart", "http.response.status_code": 200}
    assert p["time_unix_nano"] - p["start_time_unix_nano"] == 60 * 10**9
    ex = p["exemplars"][0]
    assert (ex["as_double"], ex["trace_id"], ex["span_id"]) == (1.5, "4bf92f3577b34da6a3ce929d0e0e4736", "00f067aa0ba902b7")
    assert (total["kind"], total["is_monotonic"], total["unit"], total["points"][0]["as_int"]) == \
        ("sum", True, "By", 9182736455)
    assert util["kind"] == "gauge" and "temporality" not in util and "is_monotonic" not in util
    assert util["resource"]["attributes"] == {"host.name": "web-1"}
    assert [(x["attributes"]["cpu.logical_number"], x["as_double"]) for x in util["points"]] == [("0", 0.42), ("1", 0.17)]


def test_http_metrics_host_failure_reaches_plugin(host, wasm_dir):
    rep = run(host, wasm_dir, "http_metrics", "--fail", "emit_telemetry=internal")
    assert rep["telemetry"] == []
    assert rep["result"]["status"] == "UNKNOWN"
    assert rep["result"]["details"] == "emit_telemetry returned -5"


def test_legacy_perfdata_plugin(model, host, wasm_dir):
    rep = run(host, wasm_dir, "legacy_perfdata")
    assert rep["error"] == "" and not rep["result_synthesized"]
    assert [c["function"] for c in rep["calls"]] == ["emit_telemetry", "submit_result"]
    result = rep["result"]
    assert (result["status"], result["summary"]) == ("WARNING", "disk / at 91%")
    assert result["perfdata"] == "'disk_used'=91.0%;80.0;90.0;0.0;100.0 'inodes_used'=120034.0c 'io wait'=0.003s"
    records = metric_records(rep)
    assert len(records) == 3  # one single-point gauge per sr_result_add_metric
    for r in records:
        check_canonical(model, r["payload"])
        assert r["payload"]["kind"] == "gauge" and len(r["payload"]["points"]) == 1
    assert [r["payload"]["name"] for r in records] == ["disk_used", "inodes_used", "io_wait"]
    assert [r["payload"]["unit"] for r in records] == ["%", "{count}", "s"]


def test_legacy_lowered_gauge_equals_vector(host, wasm_dir):
    """The shim's first gauge is the vector shim.lowered_gauge.disk_used, byte
    for byte once its point time (now) is set to the vector's."""
    vectors = json.loads((ROOT / "generated" / "vectors" / "otel_metric.json").read_text())
    case = next(c for c in vectors["cases"] if c["id"] == "shim.lowered_gauge.disk_used")
    rep = run(host, wasm_dir, "legacy_perfdata")
    payload = metric_records(rep)[0]["payload"]
    assert payload["points"][0]["time_unix_nano"] > 1_600_000_000 * 10**9
    payload["points"][0]["time_unix_nano"] = 1
    assert json.dumps(payload, separators=(",", ":"), ensure_ascii=False) == case["expected"]


# ---------------------------------------------------- the emit path, for real

EMPTY_BATCH = len('{"records":[]}')
RECORD = len('{"event_id":"0","payload_kind":"otel_log","payload":}')  # plus the payload; ids 0..9


def emit_sized(host, wasm_dir, tmp_path, records: int, payload_bytes: int, *extra: str, retry: int = 0) -> dict:
    config = tmp_path / "config.json"
    config.write_text(json.dumps({"records": records, "payload_bytes": payload_bytes, "retry": retry}))
    args = [str(host), "run", "--json", "--timeout", "60s",
            "--wasm", str(wasm_dir / "emit_sized" / "emit_sized.wasm"),
            "--manifest", str(ROOT / "tests" / "e2e" / "plugins" / "emit_sized" / "plugin.yaml"),
            "--config", str(config), *extra]
    done = subprocess.run(args, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def emits(rep: dict) -> list[dict]:
    return [c for c in rep["calls"] if c["function"] == "emit_telemetry"]


@pytest.fixture(scope="module")
def limit() -> int:
    data = load_contract(ROOT / "contract").data
    return data["limits"][data["host_abi"]["max_payload_limit"]]["value"]


def test_batch_of_exactly_the_limit_is_one_call(host, wasm_dir, tmp_path, limit):
    rep = emit_sized(host, wasm_dir, tmp_path, 1, limit - EMPTY_BATCH - RECORD)
    assert rep["result"]["summary"] == "ok", rep["result"]
    assert [c["bytes"] for c in emits(rep)] == [limit]
    assert all(c["code"] == 0 for c in emits(rep))
    assert rep["result"]["labels"]["records_sent"] == "1"


def test_record_one_byte_over_is_refused_and_nothing_sent(host, wasm_dir, tmp_path, limit):
    rep = emit_sized(host, wasm_dir, tmp_path, 1, limit - EMPTY_BATCH - RECORD + 1)
    assert rep["result"]["summary"] == "limit exceeded"  # SR_ERR_LIMIT
    assert rep["result"]["labels"]["record"] == "0"
    assert emits(rep) == []  # refused before the first host call


def test_large_batch_is_split_in_record_order(host, wasm_dir, tmp_path, limit):
    m = limit // 3 - 1000  # three such records fit in one call, four do not
    rep = emit_sized(host, wasm_dir, tmp_path, 4, m)
    assert rep["result"]["summary"] == "ok"
    assert [c["bytes"] for c in emits(rep)] == [EMPTY_BATCH + 3 * (RECORD + m) + 2, EMPTY_BATCH + RECORD + m]
    assert [len(b["records"]) for b in rep["telemetry"]] == [3, 1]
    assert rep["result"]["labels"]["records_sent"] == "4"


def test_every_host_code_on_emit_reaches_the_plugin(host, wasm_dir, tmp_path, limit):
    codes = load_contract(ROOT / "contract").data["host_abi"]["return_codes"]
    m = limit // 3 - 1000
    for name, code in codes.items():
        if code["value"] == 0:
            continue
        rep = emit_sized(host, wasm_dir, tmp_path, 4, m, "--fail", "emit_telemetry=%s@2" % name)
        labels = rep["result"]["labels"]
        assert rep["result"]["summary"] == "host call failed"  # SR_ERR_HOST
        assert labels["host_code"] == str(code["value"]), (name, rep["result"])
        assert (labels["calls"], labels["records_sent"]) == ("2", "3"), (name, labels)
        assert [c["code"] for c in emits(rep)] == [0, code["value"]]


@pytest.mark.parametrize("records", [1, 4], ids=["single_batch", "split_batch"])
def test_every_host_code_then_retry_sends_each_record_once(host, wasm_dir, tmp_path, limit, records):
    """The failure switch refuses one emit_telemetry call with each code of
    the contract; the plugin retries the rest with sr_emit_telemetry_from:
    the host accepts every record exactly once, in order."""
    codes = load_contract(ROOT / "contract").data["host_abi"]["return_codes"]
    m = limit // 3 - 1000
    fail_call = 1 if records == 1 else 2
    for name, code in codes.items():
        if code["value"] == 0:
            continue
        rep = emit_sized(host, wasm_dir, tmp_path, records, m, "--fail",
                         "emit_telemetry=%s@%d" % (name, fail_call), retry=1)
        assert rep["result"]["summary"] == "ok", (name, rep["result"])
        accepted = [r["event_id"] for batch in rep["telemetry"] for r in batch["records"]]
        assert accepted == [str(i) for i in range(records)], (name, accepted)
        # the refused call, then the retry of the rest in one accepted call
        assert [c["code"] for c in emits(rep)] == [0] * (fail_call - 1) + [code["value"], 0]
        assert rep["result"]["labels"]["records_sent"] == str(records)


def test_every_host_code_on_get_config_and_submit_result_reaches_the_plugin(host, wasm_dir, tmp_path):
    """get_config's code comes back through sr_get_config; a refused
    submit_result's code through sr_submit_result (the plugin logs it)."""
    codes = load_contract(ROOT / "contract").data["host_abi"]["return_codes"]
    for name, code in codes.items():
        if code["value"] == 0:
            continue
        rep = emit_sized(host, wasm_dir, tmp_path, 1, 10, "--fail", "get_config=%s" % name)
        assert rep["result"]["labels"]["get_config_code"] == str(code["value"]), name
        rep = emit_sized(host, wasm_dir, tmp_path, 1, 10, "--fail", "submit_result=%s" % name)
        assert rep["result_synthesized"], name  # nothing was accepted
        assert {"level": 3, "message": "submit_result returned %d" % code["value"]} in rep["logs"], (name, rep["logs"])
