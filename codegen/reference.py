"""The Python reference implementation of the contract: decode a vector's
input, validate it by interpreting the contract's rules, and write the
canonical JSON. Vectors' expected outputs come from here, never from the C
code; the C, Go and Rust SDKs must agree with it.
"""
from __future__ import annotations

import json
import math
import struct
from dataclasses import dataclass
from typing import Any, Optional

from . import ucum
from . import model as model_mod
from .model import Cond, Field, FieldRef, MapDef, Model, Rule, TypeDef

INT_RANGES = {
    "int64": (-(1 << 63), (1 << 63) - 1),
    "uint64": (0, (1 << 64) - 1),
    "uint32": (0, (1 << 32) - 1),
}
SPECIAL_DOUBLES = {"NaN": math.nan, "Infinity": math.inf, "-Infinity": -math.inf}
# A map value's tags in vector inputs: one per primitive, and "array".
VALUE_TAGS = tuple(model_mod.VALUE_TAGS.values()) + ("array",)


class InputError(Exception):
    """The input cannot be expressed through the builder API."""


@dataclass
class Obj:
    """A decoded object: field name -> value, only for fields that were set."""
    type: TypeDef
    values: dict
    parent: Optional["Obj"] = None


@dataclass(frozen=True)
class Value:
    tag: str  # string, bool, int, double, array
    v: Any
    elem: str = ""  # element tag for arrays


# ---------------------------------------------------------------- decoding

def decode(model: Model, type_name: str, data: Any) -> Obj:
    t = next((x for x in model.types if x.name == type_name), None)
    if t is None:
        raise InputError("unknown input type %r" % type_name)
    return _decode_obj(t, data, "", None)


def _where(path: str) -> str:
    return path if path else "the metric"


def _decode_obj(t: TypeDef, data: Any, path: str, parent: Optional[Obj]) -> Obj:
    if not isinstance(data, dict):
        raise InputError("%s: expected an object" % _where(path))
    o = Obj(t, {}, parent)
    names = {f.name: f for f in t.fields}
    for key, raw in data.items():
        f = names.get(key)
        p = _join(path, key)
        if f is None:
            raise InputError("%s: unknown field" % p)
        if f.const is not None:
            raise InputError("%s: written by the SDK, cannot be set" % p)
        if f.kind == "object" and not f.repeated:
            o.values[key] = _decode_obj(f.target, raw, p, o)
        elif f.kind == "object":
            if not isinstance(raw, list):
                raise InputError("%s: expected an array" % p)
            o.values[key] = [_decode_obj(f.target, x, "%s[%d]" % (p, i), o) for i, x in enumerate(raw)]
        elif f.kind == "map":
            o.values[key] = _decode_map(raw, p)
        elif f.repeated:
            if not isinstance(raw, list):
                raise InputError("%s: expected an array" % p)
            o.values[key] = [_scalar(f, x, "%s[%d]" % (p, i)) for i, x in enumerate(raw)]
        else:
            o.values[key] = _scalar(f, raw, p)
    return o


def _join(path: str, name: str) -> str:
    return name if not path else path + "." + name


def _string(raw: Any, p: str) -> bytes:
    if isinstance(raw, str):
        return raw.encode("utf-8", "surrogatepass")
    if isinstance(raw, dict) and set(raw) == {"bytes_hex"} and isinstance(raw["bytes_hex"], str):
        try:
            return bytes.fromhex(raw["bytes_hex"])
        except ValueError:
            raise InputError("%s: bytes_hex is not hex" % p) from None
    raise InputError("%s: expected a string" % p)


def _double(raw: Any, p: str) -> float:
    if isinstance(raw, bool):
        raise InputError("%s: expected a number" % p)
    if isinstance(raw, int) and not INT_RANGES["int64"][0] <= raw <= INT_RANGES["uint64"][1]:
        raise InputError("%s: an integer is out of the 64-bit range" % p)
    if isinstance(raw, (int, float)):
        return float(raw)
    if isinstance(raw, str) and raw in SPECIAL_DOUBLES:
        return SPECIAL_DOUBLES[raw]
    raise InputError("%s: expected a number" % p)


def _integer(raw: Any, kind: str, p: str) -> int:
    if isinstance(raw, bool) or not isinstance(raw, int):
        raise InputError("%s: expected an integer" % p)
    lo, hi = INT_RANGES[kind]
    if not lo <= raw <= hi:
        raise InputError("%s: %d is out of range for %s" % (p, raw, kind))
    return raw


def _scalar(f: Field, raw: Any, p: str) -> Any:
    if f.kind == "string":
        return _string(raw, p)
    if f.kind == "bool":
        if not isinstance(raw, bool):
            raise InputError("%s: expected a boolean" % p)
        return raw
    if f.kind == "double":
        return _double(raw, p)
    if f.kind in INT_RANGES:
        return _integer(raw, f.kind, p)
    if f.kind == "enum":
        names = [v.name for v in f.target.values]
        if raw not in names:
            raise InputError("%s: expected one of %s" % (p, ", ".join(names)))
        return raw
    raise AssertionError(f.kind)


def _decode_map(raw: Any, p: str) -> list[tuple[bytes, Value]]:
    if not isinstance(raw, list):
        raise InputError("%s: expected a list of {key, value}" % p)
    out = []
    for i, e in enumerate(raw):
        ep = "%s[%d]" % (p, i)
        if not isinstance(e, dict) or set(e) != {"key", "value"}:
            raise InputError("%s: expected {key, value}" % ep)
        out.append((_string(e["key"], ep), _value(e["value"], ep, top=True)))
    return out


def _value(raw: Any, p: str, top: bool) -> Value:
    if not isinstance(raw, dict) or len(raw) != 1 or next(iter(raw)) not in VALUE_TAGS:
        raise InputError("%s: expected a typed value {string|bool|int|double|array: ...}" % p)
    tag, v = next(iter(raw.items()))
    if tag == "string":
        return Value(tag, _string(v, p))
    if tag == "bool":
        if not isinstance(v, bool):
            raise InputError("%s: expected a boolean" % p)
        return Value(tag, v)
    if tag == "int":
        return Value(tag, _integer(v, "int64", p))
    if tag == "double":
        return Value(tag, _double(v, p))
    if not top:
        raise InputError("%s: arrays cannot nest" % p)
    if not isinstance(v, list):
        raise InputError("%s: expected an array" % p)
    items = [_value(x, p, top=False) for x in v]
    tags = {x.tag for x in items}
    if len(tags) > 1:
        raise InputError("%s: array elements must all have one type" % p)
    return Value("array", tuple(items), next(iter(tags), "string"))


# ------------------------------------------------------------- validation

@dataclass(frozen=True)
class Violation:
    rule: str
    path: str
    severity: str


def validate(model: Model, root: Obj, evaluated: Optional[set] = None) -> list[Violation]:
    """Every violation of every rule; `evaluated` collects the ids of rules
    whose condition held somewhere (for the vectors' coverage check)."""
    out: list[Violation] = []
    _validate_obj(model, root, "", out, evaluated if evaluated is not None else set())
    return out


def _present(o: Obj, f: Field) -> bool:
    if f.name not in o.values:
        return False
    v = o.values[f.name]
    if f.repeated or f.kind == "map":
        return len(v) > 0
    if f.kind == "object":
        return _obj_present(v)
    return True


def _obj_present(o: Obj) -> bool:
    return any(_present(o, f) for f in o.type.fields)


def _get(o: Obj, ref: FieldRef) -> tuple[bool, Any]:
    target = o.parent if ref.via_parent else o
    if target is None or not _present(target, ref.field):
        return False, None
    return True, target.values[ref.field.name]


def _cond(o: Obj, c: Optional[Cond]) -> bool:
    if c is None:
        return True
    if c.op == "all":
        return all(_cond(o, x) for x in c.children)
    if c.op == "not":
        return not _cond(o, c.children[0])
    ok, v = _get(o, c.ref)
    if not ok:
        return False
    if c.op == "in":
        return v in c.values
    if c.op == "eq":
        return v == c.values[0]
    if c.op == "lt":
        return v < c.values[0]
    if c.op == "has_bit":
        return bool(v >> c.values[0] & 1)
    raise AssertionError(c.op)


OPS = {
    "eq": lambda a, b: a == b, "ne": lambda a, b: a != b,
    "lt": lambda a, b: a < b, "le": lambda a, b: a <= b,
    "gt": lambda a, b: a > b, "ge": lambda a, b: a >= b,
}


def _utf8(b: bytes) -> bool:
    try:
        b.decode("utf-8", "strict")
        return True
    except UnicodeDecodeError:
        return False


def _finite(x: float) -> bool:
    return math.isfinite(x)


def _validate_obj(model: Model, o: Obj, path: str, out: list[Violation], seen: set) -> None:
    t = o.type
    for r in model.rules:
        if r.on is None:
            if any(f.kind in ("string", "double") and f.name in o.values for f in t.fields):
                seen.add(r.id)
            _check_universal(r, o, path, out)
        elif r.on is t and _cond(o, r.when):
            seen.add(r.id)
            _check(model, r, o, path, out)
    for f in t.fields:
        if f.name not in o.values:
            if f.kind == "object" and not f.repeated:
                # An embedded object that was never touched is still checked
                # (its required fields are reported).
                _validate_obj(model, Obj(f.target, {}, o), _join(path, f.name), out, seen)
            continue
        v = o.values[f.name]
        p = _join(path, f.name)
        if f.kind == "object" and f.repeated:
            for i, child in enumerate(v):
                _validate_obj(model, child, "%s[%d]" % (p, i), out, seen)
        elif f.kind == "object":
            _validate_obj(model, v, p, out, seen)
        elif f.kind == "map":
            _validate_map(model, f.target, v, p, out, seen)


def _add(out: list, r: Rule, path: str) -> None:
    out.append(Violation(r.id, path, r.severity))


def _check_universal(r: Rule, o: Obj, path: str, out: list[Violation]) -> None:
    for f in o.type.fields:
        if f.name not in o.values:
            continue
        v = o.values[f.name]
        p = _join(path, f.name)
        if r.form == "valid_utf8" and f.kind == "string":
            for i, s in _elements(f, v):
                if not _utf8(s):
                    _add(out, r, p if i is None else "%s[%d]" % (p, i))
        if r.form == "finite" and f.kind == "double":
            for i, x in _elements(f, v):
                if not _finite(x):
                    _add(out, r, p if i is None else "%s[%d]" % (p, i))


def _elements(f: Field, v: Any):
    if f.repeated:
        return list(enumerate(v))
    return [(None, v)]


def _check(model: Model, r: Rule, o: Obj, path: str, out: list[Violation]) -> None:
    a = r.args
    form = r.form
    if form == "required":
        for f in r.fields:
            if not _present(o, f):
                _add(out, r, _join(path, f.name))
    elif form == "absent":
        for f in r.fields:
            if _present(o, f):
                _add(out, r, _join(path, f.name))
    elif form in ("exactly_one", "at_most_one"):
        n = sum(_present(o, f) for f in r.fields)
        if n > 1 or (form == "exactly_one" and n == 0):
            _add(out, r, path)
    elif form == "max_length":
        for f in r.fields:
            if _present(o, f) and len(o.values[f.name]) > r.limit_value:
                _add(out, r, _join(path, f.name))
    elif form in ("min_items", "max_items"):
        for f in r.fields:
            n = len(o.values.get(f.name, []))
            bound = a["value"] if "value" in a else r.limit_value
            if (form == "min_items" and n < bound) or (form == "max_items" and n > bound):
                _add(out, r, _join(path, f.name))
    elif form == "charset":
        cs = next(c for c in model.charsets if c.name == a["charset"])
        for f in r.fields:
            if not _present(o, f):
                continue
            s = o.values[f.name]
            if s == b"":
                ok = bool(a.get("allow_empty", False))
            else:
                ok = s[0] in cs.first and all(b in cs.rest for b in s[1:])
            if not ok:
                _add(out, r, _join(path, f.name))
    elif form == "compare":
        op = OPS[a["op"]]
        for f in r.fields:
            if not _present(o, f):
                continue
            if "other" in a:
                ok, rhs = _get(o, r.other)
                if not ok:
                    continue
            else:
                rhs = a["value"]
            for i, x in _elements(f, o.values[f.name]):
                if isinstance(x, float) and not _finite(x):
                    continue  # reported by double.finite; no ordering on NaN
                if isinstance(rhs, float) and not _finite(rhs):
                    continue
                if not op(x, rhs):
                    p = _join(path, f.name)
                    _add(out, r, p if i is None else "%s[%d]" % (p, i))
    elif form == "length_matches":
        f = r.fields[0]
        n = len(o.values.get(f.name, []))
        m = len(o.values.get(r.other.field.name, []))
        if not (a.get("allow_both_empty") and n == 0 and m == 0) and n != m + a["plus"]:
            _add(out, r, _join(path, f.name))
    elif form == "sum_equals":
        f = r.fields[0]
        items = o.values.get(a["items"], [])
        if _present(o, f) and items:
            total = sum(items)
            if total >= 1 << 64 or total != o.values[f.name]:
                _add(out, r, _join(path, f.name))
    elif form == "strictly_increasing":
        f = r.fields[0]
        xs = o.values.get(f.name, [])
        for i in range(1, len(xs)):
            prev, cur = xs[i - 1], xs[i]
            if not (_finite(prev) and _finite(cur)):
                continue  # reported by double.finite
            if not cur > prev:
                _add(out, r, "%s[%d]" % (_join(path, f.name), i))
    elif form == "hex_id":
        f = r.fields[0]
        if _present(o, f):
            s = o.values[f.name]
            ok = (len(s) == a["digits"] and all(c in b"0123456789abcdef" for c in s)
                  and any(c != ord("0") for c in s))
            if not ok:
                _add(out, r, _join(path, f.name))
    elif form == "ucum":
        f = r.fields[0]
        if _present(o, f):
            s = o.values[f.name]
            if s != b"" and not (s.isascii() and ucum.is_valid(s.decode("ascii"), model.ucum)):
                _add(out, r, _join(path, f.name))
    elif form == "in_bucket":
        f = r.fields[0]
        counts = o.values.get(a["counts"], [])
        bounds = o.values.get(a["bounds"], [])
        if _present(o, f) and counts and len(counts) == len(bounds) + 1:
            nonempty = [i for i, c in enumerate(counts) if c]
            v = o.values[f.name]
            if nonempty and _finite(v) and all(_finite(b) for b in bounds):
                k = nonempty[0] if a["bucket"] == "first_nonempty" else nonempty[-1]
                lower = bounds[k - 1] if k > 0 else -math.inf
                upper = bounds[k] if k < len(bounds) else math.inf
                if not (lower < v <= upper):
                    _add(out, r, _join(path, f.name))
    elif form == "keys_disjoint":
        f = r.fields[0]
        ok, other = _get(o, r.other)
        if _present(o, f) and ok:
            keys = {k for k, _ in other}
            for i, (k, _) in enumerate(o.values[f.name]):
                if k in keys:
                    _add(out, r, "%s[%d]" % (_join(path, f.name), i))
    else:
        raise AssertionError("form %s has no reference implementation" % form)


def _validate_map(model: Model, m: MapDef, entries: list, path: str, out: list[Violation], seen: set) -> None:
    universal = {r.form: r for r in model.rules if r.on is None}
    if entries:
        seen.update(r.id for r in m.rules)
    for i, (k, v) in enumerate(entries):
        p = "%s[%d]" % (path, i)
        strings = [k] + _value_strings(v)
        if "valid_utf8" in universal and not all(_utf8(s) for s in strings):
            _add(out, universal["valid_utf8"], p)
        if "finite" in universal and not all(_finite(x) for x in _value_doubles(v)):
            _add(out, universal["finite"], p)
        for r in m.rules:
            lim = r.limit_value
            if r.form == "map_key_non_empty" and k == b"":
                _add(out, r, p)
            elif r.form == "map_key_unique" and any(k == k2 for k2, _ in entries[:i]):
                _add(out, r, p)
            elif r.form == "map_key_max_length" and len(k) > lim:
                _add(out, r, p)
            elif r.form == "map_string_max_length" and any(len(s) > lim for s in _value_strings(v)):
                _add(out, r, p)
            elif r.form == "map_array_max_items" and v.tag == "array" and len(v.v) > lim:
                _add(out, r, p)
    for r in m.rules:
        if r.form == "map_max_entries" and len(entries) > r.limit_value:
            _add(out, r, path)


def _value_strings(v: Value) -> list[bytes]:
    if v.tag == "string":
        return [v.v]
    if v.tag == "array":
        return [x.v for x in v.v if x.tag == "string"]
    return []


def _value_doubles(v: Value) -> list[float]:
    if v.tag == "double":
        return [v.v]
    if v.tag == "array":
        return [x.v for x in v.v if x.tag == "double"]
    return []


# ---------------------------------------------------------- serialization

def dumps(model: Model, root: Obj) -> str:
    """Canonical JSON text of a valid object."""
    parts: list[str] = []
    _write_obj(root, parts)
    return "".join(parts)


def json_string(b: bytes) -> str:
    return json.dumps(b.decode("utf-8"), ensure_ascii=False)


def json_double(x: float) -> str:
    if not math.isfinite(x):
        raise ValueError("non-finite double cannot be written")
    return repr(x)


def _write_obj(o: Obj, parts: list[str]) -> None:
    parts.append("{")
    first = True
    for f in o.type.fields:
        if f.const is not None:
            text = json.dumps(f.const)
        elif not _present(o, f):
            continue
        else:
            text = _field_text(f, o.values[f.name])
        if not first:
            parts.append(",")
        first = False
        parts.append(json.dumps(f.name) + ":" + text)
    parts.append("}")


def _field_text(f: Field, v: Any) -> str:
    if f.kind == "object" and f.repeated:
        sub: list[str] = []
        for i, x in enumerate(v):
            sub.append("," if i else "[")
            _write_obj(x, sub)
        sub.append("]")
        return "".join(sub)
    if f.kind == "object":
        sub = []
        _write_obj(v, sub)
        return "".join(sub)
    if f.kind == "map":
        return "{" + ",".join(json_string(k) + ":" + _value_text(x) for k, x in v) + "}"
    if f.repeated:
        return "[" + ",".join(_scalar_text(f.kind, x) for x in v) + "]"
    return _scalar_text(f.kind, v)


def _scalar_text(kind: str, v: Any) -> str:
    if kind == "string":
        return json_string(v)
    if kind == "bool":
        return "true" if v else "false"
    if kind == "double":
        return json_double(v)
    if kind == "enum":
        return json.dumps(v)
    return str(int(v))


def _value_text(v: Value) -> str:
    if v.tag == "string":
        return json_string(v.v)
    if v.tag == "bool":
        return "true" if v.v else "false"
    if v.tag == "int":
        return str(v.v)
    if v.tag == "double":
        return json_double(v.v)
    return "[" + ",".join(_value_text(x) for x in v.v) + "]"


def run(model: Model, type_name: str, data: Any, evaluated: Optional[set] = None) -> dict:
    """What a conformance testee must answer for one request (without id)."""
    try:
        obj = decode(model, type_name, data)
    except InputError as e:
        return {"ok": False, "input_error": str(e)}
    vs = validate(model, obj, evaluated)
    errors = [v for v in vs if v.severity == "error"]
    warnings = [v for v in vs if v.severity == "warning"]
    as_list = lambda xs: [{"rule": v.rule, "path": v.path, "severity": v.severity} for v in xs]
    if errors:
        return {"ok": False, "errors": as_list(errors), "warnings": as_list(warnings)}
    return {"ok": True, "output": dumps(model, obj), "warnings": as_list(warnings)}


def double_bits(x: float) -> str:
    return struct.pack(">d", x).hex()
