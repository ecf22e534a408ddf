"""Rust spellings of model facts, used as Jinja filters by templates/rust/.

Only lookups and string assembly, as in c_lang.py: which Rust expression tests
presence, reads a field, or states a condition. What the rules mean lives in
the contract.
"""
from __future__ import annotations

import re

from .model import Cond, Field, FieldRef, Limit, Rule, reads_parent, snake, spell_cond

# Type mappings are data: the Rust type of each contract primitive.
RUST_TYPES = {
    "string": "String",
    "bool": "bool",
    "int64": "i64",
    "uint64": "u64",
    "uint32": "u32",
    "double": "f64",
}

# Words that need a raw identifier (r#...) as a field name.
RUST_KEYWORDS = frozenset("""
    as break const continue crate else enum extern false fn for if impl in let loop match mod move mut
    pub ref return self Self static struct super trait true type unsafe use where while async await dyn
    abstract become box do final macro override priv typeof unsized virtual yield try gen
""".split())


def ident(name: str) -> str:
    """A field or function name (contract names are snake_case already)."""
    return "r#" + name if name in RUST_KEYWORDS else name


def camel(name: str) -> str:
    """UpperCamelCase of a dotted or snake name: metric.name.required -> MetricNameRequired."""
    parts = [p for p in re.split(r"[^A-Za-z0-9]+", name) if p]
    return "".join(p[:1].upper() + p[1:] for p in parts)


def const_name(name: str) -> str:
    """SCREAMING_SNAKE_CASE of a contract name."""
    return re.sub(r"[^A-Za-z0-9]+", "_", re.sub(r"(?<=[a-z0-9])([A-Z])", r"_\1", name)).upper()


def lit(text: str) -> str:
    """A Rust string literal for any text."""
    out = ['"']
    for ch in text:
        if ch == '"':
            out.append('\\"')
        elif ch == "\\":
            out.append("\\\\")
        elif ch == "\n":
            out.append("\\n")
        elif ch == "\t":
            out.append("\\t")
        elif ch == "\r":
            out.append("\\r")
        elif ord(ch) < 0x20 or ord(ch) == 0x7F:
            out.append("\\u{%x}" % ord(ch))
        else:
            out.append(ch)
    out.append('"')
    return "".join(out)


def doc(text: str) -> str:
    """Text for a /// comment: one line, whitespace collapsed."""
    return " ".join(str(text).split())


def scalar_type(f: Field) -> str:
    """The Rust type of one value of f (an element, for arrays)."""
    if f.kind in RUST_TYPES:
        return RUST_TYPES[f.kind]
    return f.target.name


def member_type(f: Field) -> str:
    """The Rust type of f inside its owner's struct."""
    if f.kind == "object" and not f.repeated:
        return f.target.name  # embedded: always there, written when anything in it is set
    if f.kind == "map":
        return f.target.name
    if f.repeated:
        return "Vec<%s>" % scalar_type(f)
    return "Option<%s>" % scalar_type(f)


def member(obj: str, f: Field) -> str:
    return "%s.%s" % (obj, ident(f.name))


def present(obj: str, f: Field) -> str:
    if f.const is not None:
        return "true"
    m = member(obj, f)
    if f.repeated or f.kind == "map":
        return "!%s.is_empty()" % m
    if f.kind == "object":
        return "%s.is_present()" % m
    return "%s.is_some()" % m


def absent(obj: str, f: Field) -> str:
    """The negation of present(), spelled without a leading `!` where Rust can."""
    if f.const is not None:
        return "false"
    m = member(obj, f)
    if f.repeated or f.kind == "map":
        return "%s.is_empty()" % m
    if f.kind == "object":
        return "!%s.is_present()" % m
    return "%s.is_none()" % m


def ref_obj(ref: FieldRef) -> str:
    return "parent" if ref.via_parent else "o"


def value(f: Field, v) -> str:
    """A Rust literal of f's scalar type."""
    if f.kind == "enum":
        return "%s::%s" % (f.target.name, camel(f.target.value(v).name))
    if f.kind == "bool" or isinstance(v, bool):
        return "true" if v else "false"
    if f.kind == "double":
        return repr(float(v)) + "_f64"
    if f.kind in RUST_TYPES:
        return "%d_%s" % (v, RUST_TYPES[f.kind])
    raise ValueError("no Rust literal for a %s field" % f.kind)


def cond(c: Cond | None) -> str:
    return spell_cond(c, "true", _cond_leaf)


def _cond_leaf(c: Cond) -> str:
    f = c.ref.field
    if f.repeated or f.kind in ("object", "map", "string") or f.const is not None:
        raise ValueError("a condition on %s (%s) has no Rust spelling" % (c.ref.text, f.kind))
    m = member(ref_obj(c.ref), f)
    if c.op == "in":
        return "matches!(%s, Some(%s))" % (m, " | ".join(value(f, v) for v in c.values))
    if c.op == "eq":
        return "%s.is_some_and(|x| ops::eq(x, %s))" % (m, value(f, c.values[0]))
    if c.op == "lt":
        return "%s.is_some_and(|x| ops::lt(x, %s))" % (m, value(f, c.values[0]))
    if c.op == "has_bit":
        return "%s.is_some_and(|x| ops::has_bit(x.into(), %d))" % (m, c.values[0])
    raise ValueError(c.op)


def rule_variant(r: Rule) -> str:
    return "Rule::" + camel(r.id)


def limit_ref(r: Rule) -> str:
    """The bound of a limit rule as an expression over the limit's constant."""
    expr = "limits::" + const_name(r.limit.name)
    plus = int(r.args.get("plus", 0))
    return "%s + %d" % (expr, plus) if plus else expr


def limit_const(limit: Limit) -> str:
    return const_name(limit.name)


needs_parent = reads_parent


def bytes_lit(bs: list[int]) -> str:
    return "[" + ", ".join("0x%02x" % b for b in bs) + "]"


FILTERS = {
    "rs_ident": ident,
    "rs_camel": camel,
    "rs_snake": snake,
    "rs_const": const_name,
    "rs_lit": lit,
    "rs_doc": doc,
    "rs_scalar_type": scalar_type,
    "rs_member_type": member_type,
    "rs_present": present,
    "rs_absent": absent,
    "rs_cond": cond,
    "rs_value": value,
    "rs_rule": rule_variant,
    "rs_limit": limit_ref,
    "rs_limit_const": limit_const,
    "rs_bytes": bytes_lit,
    "rs_primitive": lambda kind: RUST_TYPES[kind],
}
TESTS = {"rs_needs_parent": needs_parent}
