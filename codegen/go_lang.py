"""Go spellings of model facts, used as Jinja filters by templates/go/.

Only lookups and string assembly, as in c_lang.py: which Go expression tests
presence, reads a field, or states a condition. What the rules mean lives in
the contract.
"""
from __future__ import annotations

import json
import re

from .model import Cond, Field, TypeDef, spell_cond

GO_OPS = {"eq": "==", "ne": "!=", "lt": "<", "le": "<=", "gt": ">", "ge": ">="}

# Go types of the contract's primitives (data, like model.C_TYPES).
GO_TYPES = {
    "string": "string",
    "bool": "bool",
    "int64": "int64",
    "uint64": "uint64",
    "uint32": "uint32",
    "double": "float64",
}


# Words Go spells as initialisms (trace_id -> TraceID).
INITIALISMS = {"id": "ID", "utf8": "UTF8"}


def ident(name: str) -> str:
    """An exported Go identifier from a contract name: metric.name.required ->
    MetricNameRequired, time_unix_nano -> TimeUnixNano, OtelMetric -> OtelMetric."""
    return "".join(INITIALISMS.get(p, p[:1].upper() + p[1:]) for p in re.split(r"[^A-Za-z0-9]+", name) if p)


def lower_ident(name: str) -> str:
    s = ident(name)
    return s[:1].lower() + s[1:]


def go_string(text: str) -> str:
    """A Go interpreted string literal (JSON escaping is valid Go escaping for
    the ASCII names and descriptions of the contract)."""
    return json.dumps(text, ensure_ascii=True)


def field_name(f) -> str:
    return ident(f.name)


def scalar_type(f: Field) -> str:
    """The Go type of one value of f (an element, for a repeated field)."""
    if f.kind == "enum":
        return ident(f.target.name)
    if f.kind in ("object", "map"):
        return ident(f.target.name)
    return GO_TYPES[f.kind]


def member_type(f: Field) -> str:
    """The Go type of f as a struct member: pointers for optional scalars,
    slices for repeated fields, value structs for embedded objects."""
    if f.kind == "map":
        return ident(f.target.name)
    if f.repeated:
        return "[]" + scalar_type(f)
    if f.kind == "object":
        return ident(f.target.name)
    return "*" + scalar_type(f)


def ref_obj(via_parent: bool) -> str:
    return "parent" if via_parent else "o"


def member(obj: str, f: Field) -> str:
    return "%s.%s" % (obj, ident(f.name))


def present(obj: str, f: Field) -> str:
    m = member(obj, f)
    if f.const is not None:
        return "true"
    if f.repeated or f.kind == "map":
        return "len(%s) != 0" % m
    if f.kind == "object":
        return "%s.isPresent()" % m
    return "%s != nil" % m


def value(obj: str, f: Field) -> str:
    """The value of a present optional scalar."""
    return "*" + member(obj, f)


def literal(f: Field, v) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    if f.kind == "double":
        return repr(float(v))
    if f.kind == "enum":
        return enum_const(f.target, v)
    return str(v)


def enum_const(e, value_name: str) -> str:
    return ident(e.name) + ident(value_name)


def cond(c: Cond | None) -> str:
    return spell_cond(c, "true", _cond_leaf)


def _cond_leaf(c: Cond) -> str:
    obj = ref_obj(c.ref.via_parent)
    f = c.ref.field
    has = present(obj, f)
    val = value(obj, f)
    if c.op == "in":
        alts = " || ".join("%s == %s" % (val, enum_const(f.target, v)) for v in c.values)
        return "(%s && (%s))" % (has, alts)
    if c.op == "eq":
        if isinstance(c.values[0], bool):
            return "(%s && %s%s)" % (has, "" if c.values[0] else "!", val)
        return "(%s && %s == %s)" % (has, val, literal(f, c.values[0]))
    if c.op == "lt":
        return "(%s && %s < %s)" % (has, val, literal(f, c.values[0]))
    if c.op == "has_bit":
        return "(%s && (%s>>%d)&1 != 0)" % (has, val, c.values[0])
    raise ValueError(c.op)


def op(name: str) -> str:
    return GO_OPS[name]


def parent_type(t: TypeDef) -> str:
    return ident(t.parent.name)


def env_go_type(f) -> str:
    """Go member type of an envelope field."""
    return {"string": "string", "int64": "int64", "json": "json.RawMessage", "map": "StringMap"}[f.kind]


FILTERS = {
    "go_ident": ident,
    "go_lower": lower_ident,
    "go_string": go_string,
    "go_field": field_name,
    "go_scalar_type": scalar_type,
    "go_member_type": member_type,
    "go_prim": lambda kind: GO_TYPES[kind],
    "go_present": present,
    "go_member": member,
    "go_value": value,
    "go_literal": literal,
    "go_enum_const": enum_const,
    "go_cond": cond,
    "go_op": op,
    "go_parent_type": parent_type,
    "go_env_type": env_go_type,
}
TESTS: dict = {}
