#!/usr/bin/env python3
"""Judges the C serviceradar.metric.v1 encoder (tests/c/test_metric_v1.c).

A minimal protobuf wire-format decoder of its own (varint, fixed64,
length-delimited), driven only by contract/metric_v1.yaml, decodes every
encoding the C program prints and compares it with the values stated below,
written by hand from the C test's inputs. The decoder is strict where the
encoder promises something: proto3 zero values are not on the wire, varints
are minimal, fields come in number order, a singular field appears once,
an int32 is sign-extended to 10 bytes, strings are UTF-8.

It also counts the C program's own `check` lines, and base64-decodes every
serviceradar_metrics record the fake host received. Prints `N passed, N failed`.

    protobuf_decode.py PATH-TO-sr_test_metric_v1
"""
from __future__ import annotations

import base64
import json
import math
import struct
import subprocess
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]
SCALARS = {"string": 2, "bool": 0, "double": 1, "uint64": 0, "uint32": 0, "int32": 0}


class WireError(Exception):
    pass


# ------------------------------------------------------------------ decoder

def read_varint(data: bytes, i: int) -> tuple[int, int]:
    """(value, next index); refuses overlong and unterminated varints."""
    value = shift = 0
    start = i
    while True:
        if i >= len(data):
            raise WireError("varint runs past the end at byte %d" % start)
        b = data[i]
        i += 1
        value |= (b & 0x7F) << shift
        shift += 7
        if b < 0x80:
            break
        if shift >= 70:
            raise WireError("varint longer than 10 bytes at byte %d" % start)
    if value >= 1 << 64:
        raise WireError("varint above 2**64-1 at byte %d" % start)
    if i - start != max(1, (value.bit_length() + 6) // 7):
        raise WireError("varint not minimal at byte %d: %s" % (start, data[start:i].hex()))
    return value, i


def fields_of(data: bytes) -> list[tuple[int, int, object]]:
    """[(number, wire type, value)]: value is an int (varint), 8 bytes or bytes."""
    out = []
    i = 0
    while i < len(data):
        key, i = read_varint(data, i)
        number, wire = key >> 3, key & 7
        if number == 0:
            raise WireError("field number 0")
        if wire == 0:
            value, i = read_varint(data, i)
        elif wire == 1:
            if i + 8 > len(data):
                raise WireError("fixed64 of field %d runs past the end" % number)
            value, i = data[i:i + 8], i + 8
        elif wire == 2:
            n, i = read_varint(data, i)
            if i + n > len(data):
                raise WireError("field %d: length %d runs past the end" % (number, n))
            value, i = data[i:i + n], i + n
        else:
            raise WireError("field %d: wire type %d not used by this schema" % (number, wire))
        out.append((number, wire, value))
    return out


class Schema:
    """contract/metric_v1.yaml, read directly (not through codegen)."""

    def __init__(self, path: Path):
        pb = yaml.safe_load(path.read_text(encoding="utf-8"))["protobuf"]
        self.messages = pb["messages"]
        self.enums = pb["enums"]

    def decode(self, message: str, data: bytes) -> dict:
        spec = self.messages[message]["fields"]
        by_number = {f["number"]: (name, f) for name, f in spec.items()}
        out: dict = {}
        last = 0
        for number, wire, raw in fields_of(data):
            if number not in by_number:
                raise WireError("%s: unknown field number %d" % (message, number))
            name, f = by_number[number]
            where = "%s.%s" % (message, name)
            if number < last:
                raise WireError("%s: field %d after field %d (not in number order)" % (message, number, last))
            repeated = f.get("repeated", False)
            if number == last and not repeated:
                raise WireError("%s: singular field written twice" % where)
            last = number
            t = f["type"]
            want_wire = SCALARS.get(t, 0 if t in self.enums else 2)
            if wire != want_wire:
                raise WireError("%s: wire type %d, want %d" % (where, wire, want_wire))
            value = self.value(where, t, raw)
            if repeated:
                out.setdefault(name, []).append(value)
            else:
                out[name] = value
        return out

    def value(self, where: str, t: str, raw):
        if t in self.messages:
            return self.decode(t, raw)
        if t == "string":
            if raw == b"":
                raise WireError("%s: empty string written (proto3 leaves it out)" % where)
            try:
                return raw.decode("utf-8")
            except UnicodeDecodeError as e:
                raise WireError("%s: not UTF-8: %s" % (where, e)) from None
        if t == "double":
            if raw == bytes(8):
                raise WireError("%s: +0.0 written (proto3 leaves it out)" % where)
            return struct.unpack("<d", raw)[0]
        if raw == 0:
            raise WireError("%s: zero %s written (proto3 leaves it out)" % (where, t))
        if t == "bool":
            if raw != 1:
                raise WireError("%s: bool written as %d" % (where, raw))
            return True
        if t == "uint64":
            return raw
        if t == "uint32":
            if raw >= 1 << 32:
                raise WireError("%s: %d does not fit a uint32" % (where, raw))
            return raw
        # int32 and enums: a negative value is the 64-bit two's complement.
        signed = raw - (1 << 64) if raw >= 1 << 63 else raw
        if not -(1 << 31) <= signed < 1 << 31:
            raise WireError("%s: %d does not fit an int32 (a negative value must be sign-extended "
                            "to 64 bits)" % (where, signed))
        if t in self.enums:
            names = {v: k for k, v in self.enums[t].items()}
            return names.get(signed, signed)  # an unknown value is kept as its number
        return signed


# --------------------------------------------------------- expected values
# Written from the inputs in tests/c/test_metric_v1.c, field by field. Only
# what is on the wire is listed: a missing key means "not written".

def nan_with_payload() -> float:
    return struct.unpack("<d", bytes.fromhex("010000000000f87f"))[0]


DEFAULT = "serviceradar.metric.v1"
IDENTITY_DEFAULT = {"payload_kind": DEFAULT}
UTF8_SAMPLE = "\u00e9 \u65e5\u672c \U0001f680"

EXPECTED: dict[str, dict] = {
    "full": {
        "schema_version": "serviceradar.metric.v1",
        "resource": {
            "agent_id": "agent-1", "gateway_id": "gw-2", "partition": "default", "service_name": "snmp-poller",
            "service_type": "wasm-plugin", "host_id": "host-9", "host_ip": "10.0.0.9",
            "target_device_ip": "192.0.2.1", "device_id": "default:192.0.2.1", "kv_store_id": "kv-1",
            "attributes": [{"key": "rack", "value": "r7"}, {"key": "zone", "value": "eu-west-1a"}],
        },
        "ingest_identity": {
            "source": "plugin-metrics", "payload_kind": "custom.kind", "producer_id": "p-1",
            "producer_kind": "wasm-plugin", "attested_by": "agent-1",
            "attributes": [{"key": "tenant", "value": "acme"}],
        },
        "ingress_id": "ingress-1",
        "ingress_timestamp_unix_nano": 2**64 - 1,
        "emitted_at_unix_nano": 1,
        "metrics": [
            {
                "name": "ifHCInOctets", "metric_type": "snmp", "kind": "sum", "temporality": "cumulative",
                "is_monotonic": True, "unit": "By", "scale": 0.001, "counter_width": 64,
                "points": [
                    {
                        "value": 1234.5, "raw_value": "1234.5", "raw_value_type": "double",
                        "observed_at_unix_nano": 1790510400000000000,
                        "start_time_unix_nano": 1790510000000000000,
                        "reset_anchor": "boot-42", "if_index": 3, "interface_uid": "eth0",
                        "series_identity_hint": "if=3",
                        "attributes": [{"key": "ifName", "value": "eth0"}, {"key": "ifAlias", "value": "uplink"}],
                        "metadata": [{"key": "poll", "value": "fast"}],
                    },
                    {"value": -0.0, "raw_value": UTF8_SAMPLE, "raw_value_type": "string", "if_index": -1},
                    {"value": 1e300, "raw_value_type": "uint64", "if_index": -2**31},
                ],
                "tags": [{"key": "device", "value": "core-1"}, {"key": "dir", "value": "in"}],
                "metadata": [{"key": "oid", "value": "1.3.6.1.2.1.31.1.1.1.6"}],
                "thresholds": [{"key": "warn", "value": "80"}, {"key": "crit", "value": "95"}],
            },
            {
                "name": "temperature", "kind": "gauge", "temporality": "delta", "unit": "Cel",
                "counter_width": 2**32 - 1, "points": [{"value": -273.15, "if_index": 2**31 - 1}],
            },
        ],
    },
    "defaults": {
        "schema_version": DEFAULT,
        "ingest_identity": IDENTITY_DEFAULT,
        "metrics": [{"name": "up", "kind": "gauge", "points": [{"value": 1.0}]}],
    },
    "identity_default": {"ingest_identity": {"source": "plugin-metrics", "payload_kind": DEFAULT}},
    "empty_strings": {"resource": {}, "ingest_identity": {}},
    "empty": {"schema_version": DEFAULT, "ingest_identity": IDENTITY_DEFAULT},
    "zeros": {
        "schema_version": "v",
        "ingest_identity": IDENTITY_DEFAULT,
        "metrics": [{"name": "z", "points": [{}, {}], "tags": [{}]}, {}],
    },
    "ints": {
        "schema_version": DEFAULT,
        "ingest_identity": IDENTITY_DEFAULT,
        "ingress_timestamp_unix_nano": 300,
        "emitted_at_unix_nano": 2,
        "metrics": [
            {
                "name": "a", "kind": "histogram", "counter_width": 1,
                "points": [
                    {"if_index": 1, "observed_at_unix_nano": 127, "start_time_unix_nano": 128},
                    {"if_index": -2, "observed_at_unix_nano": 16383, "start_time_unix_nano": 16384},
                    {"if_index": -2**31, "observed_at_unix_nano": 2**63},
                    {"if_index": 2**31 - 1, "observed_at_unix_nano": 2**64 - 1},
                    {"raw_value_type": "bool"},
                    {"raw_value_type": 9},
                ],
            },
            {"name": "b", "temporality": "cumulative", "is_monotonic": True, "counter_width": 2**32 - 1},
        ],
    },
    "doubles": {
        "schema_version": DEFAULT,
        "ingest_identity": IDENTITY_DEFAULT,
        "metrics": [{
            "name": "d", "scale": -0.0,
            "points": [{"value": v} for v in (-0.0, 1e300, 5e-324, -1.5, sys.float_info.max, math.inf, -math.inf,
                                              nan_with_payload(), 0.1)],
        }],
    },
    "large": {
        "schema_version": DEFAULT,
        "ingest_identity": IDENTITY_DEFAULT,
        "metrics": [{
            "name": "x" * 200,
            "points": [{"value": i + 0.5, "observed_at_unix_nano": 1000 + i} for i in range(300)],
            "tags": [{"key": "k%d" % i, "value": "v%d" % i} for i in range(20)],
        }],
    },
    "upstream": {
        "schema_version": DEFAULT,
        "resource": {"agent_id": "agent-1", "service_name": "conformance", "service_type": "wasm-plugin"},
        "ingest_identity": {"source": "plugin-metrics", "payload_kind": DEFAULT, "producer_id": "conformance",
                            "producer_kind": "wasm-plugin"},
        "metrics": [{
            "name": "conformance.latency_ms", "metric_type": "plugin", "kind": "gauge", "unit": "ms",
            "points": [{"value": 4.5, "raw_value": "4.5", "raw_value_type": "double",
                        "observed_at_unix_nano": 1790510400000000000}],
        }],
    },
}

# Byte-for-byte references: the payload of the telemetry_metric conformance
# transcript shared by the upstream Go and Rust SDKs
# (carverauto/serviceradar-sdk-rust conformance/testdata/telemetry_metric.json,
# produced by the Go SDK) for the batch of case "upstream".
EXACT_BASE64 = {
    "upstream": "ChZzZXJ2aWNlcmFkYXIubWV0cmljLnYxEiMKB2FnZW50LTEiC2NvbmZvcm1hbmNlKgt3YXNtLXBsdWdpbhpCCg5wbHVnaW4tbWV0"
                "cmljcxIWc2VydmljZXJhZGFyLm1ldHJpYy52MRoLY29uZm9ybWFuY2UiC3dhc20tcGx1Z2luogFDChZjb25mb3JtYW5jZS5s"
                "YXRlbmN5X21zEgZwbHVnaW4YATICbXOiARoJAAAAAAAAEkASAzQuNRgBIICAkrWO98rsGA==",
}


def same(want, got, path: str = "") -> list[str]:
    """Differences between two decoded values; doubles compare by their bits."""
    if isinstance(want, dict) and isinstance(got, dict):
        out = []
        for k in sorted(set(want) | set(got)):
            p = path + "." + k if path else k
            if k not in got:
                out.append("%s: missing, want %r" % (p, want[k]))
            elif k not in want:
                out.append("%s: %r is on the wire but should not be" % (p, got[k]))
            else:
                out += same(want[k], got[k], p)
        return out
    if isinstance(want, list) and isinstance(got, list):
        if len(want) != len(got):
            return ["%s: %d elements, want %d" % (path, len(got), len(want))]
        return [d for i, (w, g) in enumerate(zip(want, got)) for d in same(w, g, "%s[%d]" % (path, i))]
    if isinstance(want, float) and isinstance(got, float):
        if struct.pack("<d", want) != struct.pack("<d", got):
            return ["%s: %r (%s), want %r (%s)" % (path, got, struct.pack("<d", got).hex(), want,
                                                   struct.pack("<d", want).hex())]
        return []
    if type(want) is not type(got) or want != got:
        return ["%s: %r, want %r" % (path, got, want)]
    return []


# ------------------------------------------------------------------- judge

class Tally:
    def __init__(self) -> None:
        self.passed = self.failed = 0

    def __call__(self, name: str, problems: list[str]) -> None:
        if problems:
            self.failed += 1
            print("FAIL %s" % name)
            for p in problems[:12]:
                print("    %s" % p)
        else:
            self.passed += 1


def main() -> int:
    if len(sys.argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    schema = Schema(ROOT / "contract" / "metric_v1.yaml")
    root = "MetricBatch"
    done = subprocess.run([sys.argv[1]], capture_output=True, text=True)
    tally = Tally()
    cases: dict[str, bytes] = {}
    order: list[str] = []
    emitted: list[dict] = []
    for line in done.stdout.splitlines():
        kind, _, rest = line.partition(" ")
        if kind == "case":
            name, _, hexed = rest.partition(" ")
            cases[name] = bytes.fromhex(hexed)
        elif kind == "check":
            name, _, verdict = rest.partition(" ")
            tally("C: " + name, [] if verdict == "ok" else [verdict])
        elif kind == "records":
            order = rest.split()
        elif kind == "emit":
            try:
                emitted.append(json.loads(rest))
            except ValueError as e:
                tally("emitted document is JSON", ["%s: %s" % (e, rest[:200])])
    tally("C program exit status", [] if done.returncode == 0 else
          ["exit status %d; stderr: %s" % (done.returncode, done.stderr.strip()[:400])])

    # Every expected case was encoded, and decodes to exactly its values.
    tally("every case printed", ["case %s missing" % n for n in EXPECTED if n not in cases]
          + ["case %s has no expectation here" % n for n in cases if n not in EXPECTED])
    for name, want in EXPECTED.items():
        if name not in cases:
            continue
        try:
            got = schema.decode(root, cases[name])
            problems = same(want, got)
        except WireError as e:
            problems = [str(e)]
        tally("decode " + name, problems)
    for name, b64 in EXACT_BASE64.items():
        want = base64.b64decode(b64, validate=True)
        got = cases.get(name, b"")
        tally("bytes of %s equal the upstream SDKs'" % name,
              [] if got == want else ["got  %s" % got.hex(), "want %s" % want.hex()])

    # The records: one per case, payload = base64 of the case's message (times filled in).
    records = [r for doc in emitted for r in doc.get("records", [])]
    tally("one record per case", [] if len(records) == len(order) == len(cases) else
          ["%d records, %d names, %d cases" % (len(records), len(order), len(cases))])
    for name, r in zip(order, records):
        problems = []
        if r.get("payload_kind") != "serviceradar_metrics":
            problems.append("payload_kind %r" % r.get("payload_kind"))
        payload = r.get("payload")
        if not isinstance(payload, str):
            problems.append("payload is not a JSON string: %r" % (payload,))
        else:
            try:
                raw = base64.b64decode(payload, validate=True)
            except ValueError as e:
                raw = None
                problems.append("not standard base64: %s" % e)
            now = r.get("observed_time_unix_nano")
            if raw is not None and name in cases:
                # The record's payload is the case's message, except that a
                # field marked `when_zero: now_unix_nano` in the contract
                # and left 0 carries the record's time.
                want = schema.decode(root, cases[name])
                for fname, f in schema.messages[root]["fields"].items():
                    if f.get("when_zero") == "now_unix_nano" and fname not in want:
                        want[fname] = now
                try:
                    problems += ["payload: " + x for x in same(want, schema.decode(root, raw))]
                except WireError as e:
                    problems.append("payload: %s" % e)
                if base64.b64encode(raw).decode() != payload:
                    problems.append("not the canonical padded standard base64 of the payload")
        if not isinstance(r.get("observed_time_unix_nano"), int) or r["observed_time_unix_nano"] <= 0:
            problems.append("observed_time_unix_nano missing: %r" % r.get("observed_time_unix_nano"))
        elif r.get("event_time_unix_nano") != r["observed_time_unix_nano"]:
            problems.append("event_time_unix_nano %r is not the observed time %r (both are now, as upstream)"
                            % (r.get("event_time_unix_nano"), r["observed_time_unix_nano"]))
        extra = set(r) - {"payload_kind", "payload", "observed_time_unix_nano", "event_time_unix_nano"}
        if extra:
            problems.append("unexpected record fields %s" % sorted(extra))
        tally("record " + name, problems)
    # The cases cover every base64 tail: no padding, '==' and '='.
    tails = {len(cases[n]) % 3 for n in order if n in cases}
    tally("base64 padding cases", [] if tails == {0, 1, 2} else ["lengths mod 3 covered: %s" % sorted(tails)])

    print("%d passed, %d failed" % (tally.passed, tally.failed))
    return 0 if tally.failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
