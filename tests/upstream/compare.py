#!/usr/bin/env python3
"""Our C SDK's telemetry output against the upstream Go and Rust SDKs'.

Runs the native program (upstream_emit.c) on scenarios.json, and compares
each scenario's env.emit_telemetry payload with what upstream Go and upstream
Rust write for the same input (expected/, expected.yaml: derived by hand
from their source, never from our output):

  * as JSON values: members present or left out, values (a time the SDK took
    from its clock, @NOW@, matches a number inside the scenario's clock
    window);
  * as bytes: member order, string escapes, number spelling, whitespace;
  * a serviceradar_metrics payload: strict standard base64 with '=' padding,
    then the protobuf field by field (decoded with contract/metric_v1.yaml),
    including field order and varint form.

Every difference found (scenario, path, kind, Go / Rust / ours) must be
covered by a divergence in contract/envelope.yaml (`observed: {kind, path}`,
path a glob over paths whose indices are written []); every divergence must
be observed at least once; and each divergence's `status` must be what the
observations show: `conforms` when canonical is `ours`, or when our output
equals the canonical SDK's (both SDKs' for `both`) wherever it is observed,
`gap` otherwise. Exit 1 on any failure.

    compare.py [--emit PATH-TO-sr_upstream_emit] [--table]

--table prints the observed differences as a Markdown table.
"""
from __future__ import annotations

import argparse
import base64
import binascii
import math
import re
import struct
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
SDKS = ("go", "rust")
NOW = "@NOW@"
PAYLOAD = "@PAYLOAD@"


# ---------------------------------------------------------------- JSON with raw tokens

@dataclass
class Node:
    kind: str                     # object, array, string, number, literal, now
    raw: str = ""                 # the token as written (string, number, literal)
    value: object = None          # decoded scalar
    items: list = field(default_factory=list)  # array: [Node]; object: [(key, raw key, Node)]


class JsonError(Exception):
    pass


_NUMBER = re.compile(r"-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?")
_STRING = re.compile(r'"(?:[^"\\\x00-\x1f]|\\["\\/bfnrt]|\\u[0-9a-fA-F]{4})*"')


class Parser:
    """A strict JSON parser that keeps member order and every token's text.
    It also reads @NOW@ where a number may stand (the expectations' clock)."""

    def __init__(self, text: str):
        self.s = text
        self.i = 0
        self.spaced = False  # whitespace between tokens

    def ws(self) -> None:
        j = self.i
        while self.i < len(self.s) and self.s[self.i] in " \t\r\n":
            self.i += 1
        self.spaced |= self.i != j

    def parse(self) -> Node:
        self.ws()
        node = self.value()
        self.ws()
        if self.i != len(self.s):
            raise JsonError(f"trailing text at offset {self.i}")
        return node

    def value(self) -> Node:
        if self.i >= len(self.s):
            raise JsonError("unexpected end")
        c = self.s[self.i]
        if c == "{":
            self.i += 1
            node = Node("object")
            self.ws()
            if self.s.startswith("}", self.i):
                self.i += 1
                return node
            while True:
                self.ws()
                key = self.string()
                self.ws()
                self.expect(":")
                self.ws()
                node.items.append((key.value, key.raw, self.value()))
                self.ws()
                if self.s.startswith(",", self.i):
                    self.i += 1
                    continue
                self.expect("}")
                return node
        if c == "[":
            self.i += 1
            node = Node("array")
            self.ws()
            if self.s.startswith("]", self.i):
                self.i += 1
                return node
            while True:
                self.ws()
                node.items.append(self.value())
                self.ws()
                if self.s.startswith(",", self.i):
                    self.i += 1
                    continue
                self.expect("]")
                return node
        if c == '"':
            return self.string()
        if self.s.startswith(NOW, self.i):
            self.i += len(NOW)
            return Node("now", raw=NOW)
        for lit, val in (("true", True), ("false", False), ("null", None)):
            if self.s.startswith(lit, self.i):
                self.i += len(lit)
                return Node("literal", raw=lit, value=val)
        m = _NUMBER.match(self.s, self.i)
        if not m:
            raise JsonError(f"unexpected {c!r} at offset {self.i}")
        self.i = m.end()
        raw = m.group()
        num = int(raw) if re.fullmatch(r"-?[0-9]+", raw) else float(raw)
        return Node("number", raw=raw, value=num)

    def string(self) -> Node:
        m = _STRING.match(self.s, self.i)
        if not m:
            raise JsonError(f"bad string at offset {self.i}")
        self.i = m.end()
        import json
        return Node("string", raw=m.group(), value=json.loads(m.group()))

    def expect(self, c: str) -> None:
        if not self.s.startswith(c, self.i):
            raise JsonError(f"expected {c!r} at offset {self.i}")
        self.i += 1


def parse_json(text: str, what: str) -> tuple[Node, bool]:
    p = Parser(text)
    try:
        return p.parse(), p.spaced
    except JsonError as e:
        raise SystemExit(f"compare.py: {what} is not JSON: {e}")


def show(node: Node | None) -> str:
    """A node as written (compact), for the table."""
    if node is None:
        return "(left out)"
    if node.kind == "now":
        return "now"
    if node.kind == "object":
        return "{" + ",".join(f"{k}:{show(v)}" for _, k, v in node.items) + "}"
    if node.kind == "array":
        return "[" + ",".join(show(v) for v in node.items) + "]"
    return node.raw


# ---------------------------------------------------------------- protobuf (contract/metric_v1.yaml)

class Proto:
    def __init__(self, contract: dict):
        self.messages = contract["messages"]
        self.enums = contract.get("enums") or {}

    def spec(self, message: str, number: int) -> tuple[str, dict] | None:
        for name, f in self.messages[message]["fields"].items():
            if f["number"] == number:
                return name, f
        return None

    def kind(self, f: dict) -> str:
        t = f["type"]
        if t in self.messages:
            return "message"
        if t == "double":
            return "fixed64"
        if t == "string":
            return "bytes"
        return "varint"


def read_varint(data: bytes, i: int) -> tuple[int, int, bool]:
    """(value, next index, minimal)."""
    value = shift = 0
    start = i
    while True:
        if i >= len(data) or shift > 63:
            raise ValueError("bad varint")
        b = data[i]
        i += 1
        value |= (b & 0x7F) << shift
        shift += 7
        if b < 0x80:
            minimal = (i - start == 1) or b != 0
            return value, i, minimal


WIRE = {0: "varint", 1: "fixed64", 2: "bytes", 5: "fixed32"}


def decode(proto: Proto, message: str, data: bytes) -> list:
    """[(number, name, wire kind, value, minimal)], in wire order; a message's value is its list."""
    out = []
    i = 0
    while i < len(data):
        tag, i, minimal = read_varint(data, i)
        number, wire = tag >> 3, tag & 7
        spec = proto.spec(message, number)
        name = spec[0] if spec else f"#{number}"
        if wire == 0:
            value, i, m2 = read_varint(data, i)
            minimal &= m2
            kind = "varint"
        elif wire == 1:
            value = struct.unpack("<d", data[i:i + 8])[0]
            i += 8
            kind = "fixed64"
        elif wire == 2:
            n, i, m2 = read_varint(data, i)
            minimal &= m2
            raw = data[i:i + n]
            i += n
            if spec and proto.kind(spec[1]) == "message":
                value, kind = decode(proto, spec[1]["type"], raw), "message"
            else:
                value, kind = raw.decode("utf-8", "replace"), "bytes"
        else:
            raise ValueError(f"wire type {wire} in {message}")
        out.append((number, name, kind, value, minimal, spec[1]["type"] if spec else None))
    return out


def expected_fields(proto: Proto, message: str, items: list) -> list:
    out = []
    for number, kind, value in items:
        spec = proto.spec(message, number)
        if spec is None:
            raise SystemExit(f"compare.py: expected.yaml names field {number} that {message} does not have")
        if kind == "message":
            value = expected_fields(proto, spec[1]["type"], value)
        elif kind == "bytes":
            value = str(value)
        out.append((number, spec[0], kind, value, True, spec[1]["type"]))
    return out


def show_pb(kind: str, value) -> str:
    if value == NOW:
        return "now"
    if kind == "message":
        return "{" + ", ".join(f"{n}: {show_pb(k, v)}" for _, n, k, v, _, _ in value) + "}"
    if kind == "fixed64":
        if value == 0 and math.copysign(1, value) < 0:
            return "-0.0"
        return repr(value)
    if kind == "bytes":
        return '"' + value + '"'
    return str(value)


# ---------------------------------------------------------------- differences

@dataclass(frozen=True)
class Diff:
    scenario: str
    path: str
    kind: str
    upstream: str
    ours: str

    @property
    def pattern_path(self) -> str:
        return re.sub(r"\[\d+\]", "[]", self.path)


def key_path(path: str, key: str) -> str:
    if re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", key):
        return f"{path}.{key}" if path else key
    return f'{path}["{key}"]'


class Comparer:
    def __init__(self, scenario: str, window: tuple[int, int], proto: Proto, expected_pb: list | None):
        self.scenario = scenario
        self.window = window
        self.proto = proto
        self.expected_pb = expected_pb
        self.diffs: list[Diff] = []

    def add(self, path: str, kind: str, upstream: str, ours: str) -> None:
        self.diffs.append(Diff(self.scenario, path, kind, upstream, ours))

    def json(self, path: str, exp: Node, ours: Node) -> None:
        if exp.kind == "now":
            lo, hi = self.window
            if ours.kind == "number" and isinstance(ours.value, int) and lo <= ours.value <= hi:
                return
            self.add(path, "value", "the time at the call", show(ours) + " (not the time at the call)")
            return
        if exp.kind == "string" and exp.value == PAYLOAD:
            self.payload(path, ours)
            return
        if exp.kind != ours.kind:
            self.add(path, "value", show(exp), show(ours))
            return
        if exp.kind == "object":
            ek = [k for k, _, _ in exp.items]
            ok = [k for k, _, _ in ours.items]
            emap = {k: (rk, v) for k, rk, v in exp.items}
            omap = {k: (rk, v) for k, rk, v in ours.items}
            if len(emap) != len(ek) or len(omap) != len(ok):
                self.add(path, "value", "unique keys" if len(emap) == len(ek) else "a repeated key",
                         "unique keys" if len(omap) == len(ok) else "a repeated key")
            for k in ek:
                if k not in omap:
                    self.add(key_path(path, k), "member", show(emap[k][1]), "(left out)")
            for k in ok:
                if k not in emap:
                    self.add(key_path(path, k), "member", "(left out)", show(omap[k][1]))
            common_e = [k for k in ek if k in omap]
            common_o = [k for k in ok if k in emap]
            if common_e != common_o:
                self.add(path or "(batch)", "key-order", ", ".join(common_e), ", ".join(common_o))
            for k in common_e:
                if emap[k][0] != omap[k][0]:
                    self.add(key_path(path, k), "string-escape", "key " + emap[k][0], "key " + omap[k][0])
                self.json(key_path(path, k), emap[k][1], omap[k][1])
            return
        if exp.kind == "array":
            for i, (e, o) in enumerate(zip(exp.items, ours.items)):
                self.json(f"{path}[{i}]", e, o)
            for i in range(len(ours.items), len(exp.items)):
                self.add(f"{path}[{i}]", "member", show(exp.items[i]), "(left out)")
            for i in range(len(exp.items), len(ours.items)):
                self.add(f"{path}[{i}]", "member", "(left out)", show(ours.items[i]))
            return
        if exp.value != ours.value or type(exp.value) is bool and type(ours.value) is not bool:
            self.add(path, "value", show(exp), show(ours))
        elif exp.raw != ours.raw:
            self.add(path, "string-escape" if exp.kind == "string" else "number-format", exp.raw, ours.raw)

    def payload(self, path: str, ours: Node) -> None:
        if ours.kind != "string":
            self.add(path, "value", "a base64 string", show(ours))
            return
        text = ours.value
        try:
            data = base64.b64decode(text, validate=True)
        except (binascii.Error, ValueError):
            self.add(path, "base64", "standard base64 with '=' padding", text)
            return
        if base64.b64encode(data).decode() != text:
            self.add(path, "base64", "standard base64 with '=' padding", text)
            return
        if self.expected_pb is None:
            raise SystemExit(f"compare.py: {self.scenario}: a @PAYLOAD@ without `protobuf` in expected.yaml")
        try:
            got = decode(self.proto, "MetricBatch", data)
        except ValueError as e:
            self.add(path, "value", "a serviceradar.metric.v1 MetricBatch", f"undecodable: {e}")
            return
        exp = expected_fields(self.proto, "MetricBatch", self.expected_pb)
        self.message(path + "(MetricBatch)", exp, got)

    def message(self, path: str, exp: list, got: list) -> None:
        for _, name, kind, _, minimal, _ in got:
            if not minimal:
                self.add(f"{path}.{name}", "varint-form", "minimal varints", "a padded varint")
        if [f[0] for f in exp] != sorted(f[0] for f in exp):
            raise SystemExit(f"compare.py: expected.yaml lists {path} out of number order")
        if [f[0] for f in got] != sorted(f[0] for f in got):
            self.add(path, "field-order", "fields in number order", ", ".join(f[1] for f in got))
        names = list(dict.fromkeys([f[1] for f in exp] + [f[1] for f in got]))
        for name in names:
            e = [f for f in exp if f[1] == name]
            g = [f for f in got if f[1] == name]
            repeated = self._repeated(e or g)
            for i in range(max(len(e), len(g))):
                p = f"{path}.{name}[{i}]" if repeated else f"{path}.{name}"
                if i >= len(g):
                    self.add(p, "member", show_pb(e[i][2], e[i][3]), "(left out)")
                elif i >= len(e):
                    self.add(p, "member", "(left out)", show_pb(g[i][2], g[i][3]))
                else:
                    self.field(p, e[i], g[i])

    def _repeated(self, fields: list) -> bool:
        return bool(fields) and fields[0][5] is not None and any(
            f.get("repeated") for m in self.proto.messages.values() for n, f in m["fields"].items()
            if n == fields[0][1] and f["type"] == fields[0][5])

    def field(self, path: str, e: tuple, g: tuple) -> None:
        ekind, evalue, gkind, gvalue = e[2], e[3], g[2], g[3]
        if ekind != gkind:
            self.add(path, "value", show_pb(ekind, evalue), show_pb(gkind, gvalue))
        elif ekind == "message":
            self.message(path, evalue, gvalue)
        elif evalue == NOW:
            lo, hi = self.window
            if not (lo <= gvalue <= hi):
                self.add(path, "value", "the time at the call", f"{gvalue} (not the time at the call)")
        elif ekind == "fixed64":
            if struct.pack("<d", float(evalue)) != struct.pack("<d", gvalue):
                self.add(path, "value", show_pb(ekind, float(evalue)), show_pb(gkind, gvalue))
        elif evalue != gvalue:
            self.add(path, "value", show_pb(ekind, evalue), show_pb(gkind, gvalue))


# ---------------------------------------------------------------- main

def run_emit(exe: Path) -> dict[str, tuple[int, int, str]]:
    done = subprocess.run([str(exe), str(HERE / "scenarios.json")], capture_output=True, text=True)
    if done.returncode != 0:
        raise SystemExit(f"compare.py: {exe} failed ({done.returncode}):\n{done.stderr}")
    out = {}
    for line in done.stdout.splitlines():
        sid, before, after, hexed = line.split("\t")
        out[sid] = (int(before), int(after), bytes.fromhex(hexed).decode("utf-8"))
    return out


def glob(path: str, pattern: str) -> bool:
    """`*` is any text; everything else, [] included, stands for itself."""
    return re.fullmatch(".*".join(re.escape(part) for part in pattern.split("*")), path) is not None


def matches(div: dict, d: Diff) -> bool:
    return any(o["kind"] == d.kind and glob(d.pattern_path, o["path"]) for o in div.get("observed") or [])


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--emit", type=Path, default=ROOT / "build" / "tests" / "upstream" / "sr_upstream_emit")
    ap.add_argument("--table", action="store_true")
    args = ap.parse_args(argv)

    scenarios = {s["id"]: s for s in __import__("json").loads((HERE / "scenarios.json").read_text("utf-8"))["scenarios"]}
    expected = yaml.safe_load((HERE / "expected.yaml").read_text("utf-8"))
    envelope = yaml.safe_load((ROOT / "contract" / "envelope.yaml").read_text("utf-8"))["envelope"]
    proto = Proto(yaml.safe_load((ROOT / "contract" / "metric_v1.yaml").read_text("utf-8"))["protobuf"])
    divergences = envelope.get("divergences") or []
    ours_all = run_emit(args.emit)

    failures: list[str] = []
    passed = 0
    if set(ours_all) != set(scenarios) or set(expected["scenarios"]) != set(scenarios):
        failures.append(f"scenario ids differ: scenarios.json {sorted(scenarios)}, program {sorted(ours_all)}, "
                        f"expected.yaml {sorted(expected['scenarios'])}")

    # (scenario, path, kind) -> {sdk: Diff}
    found: dict[tuple, dict[str, Diff]] = {}
    for sid in scenarios:
        if sid not in ours_all or sid not in expected["scenarios"]:
            continue
        before, after, ours_text = ours_all[sid]
        ours_node, ours_spaced = parse_json(ours_text, f"our output for {sid}")
        for sdk in SDKS:
            exp_text = (HERE / "expected" / f"{sid}.{sdk}.json").read_text("utf-8")
            exp_node, exp_spaced = parse_json(exp_text, f"expected/{sid}.{sdk}.json")
            if exp_spaced:
                failures.append(f"expected/{sid}.{sdk}.json has whitespace between tokens; both SDKs write compact JSON")
            cmp = Comparer(sid, (before, after), proto, expected["scenarios"][sid].get("protobuf"))
            cmp.json("", exp_node, ours_node)
            if ours_spaced:
                cmp.add("(batch)", "whitespace", "compact", "whitespace between tokens")
            for d in cmp.diffs:
                found.setdefault((d.scenario, d.path, d.kind), {})[sdk] = d
            passed += 1

    rows = []
    for key, by_sdk in sorted(found.items()):
        any_d = next(iter(by_sdk.values()))
        go = by_sdk["go"].upstream if "go" in by_sdk else any_d.ours
        rust = by_sdk["rust"].upstream if "rust" in by_sdk else any_d.ours
        owners = [div for div in divergences if matches(div, any_d)]
        rows.append((key, go, rust, any_d.ours, by_sdk, owners))
        if not owners:
            failures.append(f"{key[0]}: {key[1]} ({key[2]}): Go {go} / Rust {rust} / ours {any_d.ours} "
                            "is not covered by any divergence in contract/envelope.yaml")
        elif len(owners) > 1:
            failures.append(f"{key[0]}: {key[1]} ({key[2]}) is covered by several divergences: "
                            + ", ".join(o["id"] for o in owners))
        else:
            passed += 1

    for div in divergences:
        mine = [r for r in rows if div in r[5]]
        for o in div.get("observed") or []:
            if not any(o["kind"] == r[0][2] and glob(re.sub(r"\[\d+\]", "[]", r[0][1]), o["path"]) for r in mine):
                failures.append(f"divergence {div['id']}: {o['kind']} at {o['path']} is no longer observed; "
                                "remove it from contract/envelope.yaml or fix the scenario")
        if div["canonical"] == "ours":
            status = "conforms"
        else:
            wanted = {"go": ("go",), "rust": ("rust",), "both": SDKS}[div["canonical"]]
            status = "gap" if any(sdk in r[4] for r in mine for sdk in wanted) else "conforms"
        if mine and div.get("status") != status:
            failures.append(f"divergence {div['id']}: status is {div.get('status')!r}, but the comparison shows "
                            f"{status!r} (canonical {div['canonical']})")
        elif mine:
            passed += 1

    if args.table:
        print("| scenario | path | kind | Go | Rust | ours | divergence |")
        print("|---|---|---|---|---|---|---|")
        for key, go, rust, ours, _, owners in rows:
            cells = [key[0], key[1], key[2], go, rust, ours, ", ".join(o["id"] for o in owners) or "NONE"]
            print("| " + " | ".join(c.replace("|", "\\|").replace("\n", "\\n") for c in cells) + " |")
    for f in failures:
        print("FAIL " + f, file=sys.stderr)
    print(f"upstream comparison: {len(rows)} differences in {len(scenarios)} scenarios, "
          f"{len(divergences)} divergences")
    print(f"{passed} passed, {len(failures)} failed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
