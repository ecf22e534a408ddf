"""C spellings of model facts, used as Jinja filters by templates/c/.

Only lookups and string assembly: which C expression tests presence, reads a
field, or states a condition. What the rules mean lives in the contract.
"""
from __future__ import annotations

import json

from .model import Cond, Field, FieldRef, Rule, TypeDef, reads_parent, spell_cond

C_OPS = {"eq": "==", "ne": "!=", "lt": "<", "le": "<=", "gt": ">", "ge": ">="}


def c_string_literal(text: str) -> str:
    """A C string literal for ASCII text (keys and names are ASCII)."""
    return json.dumps(text)  # JSON escaping of ASCII is valid C escaping


def member(obj: str, f: Field) -> str:
    """`obj` is a pointer expression to f's owner."""
    return "%s->%s" % (obj, f.c_name)


def present(obj: str, f: Field, local: bool = False) -> str:
    """The presence test of f on `obj`. local: a validator's own object
    (obj "o") reads its presence bits through SR__L (in size builds a local
    loaded once, see validator_locals)."""
    m = member(obj, f)
    if f.kind == "string" and not f.repeated:
        return "(%s.ptr != NULL)" % m
    if f.repeated or f.kind == "map":
        return "(%s.count != 0)" % m
    if f.kind == "object":
        return "%s_is_present(&%s)" % (f.target.c_prefix, m)
    if f.const is not None:
        return "1"
    if local and obj == "o":
        return "((SR__L(o_present, o->present) & %s) != 0)" % f.c_has
    return "((%s->present & %s) != 0)" % (obj, f.c_has)


def validator_locals(body: str, t: TypeDef) -> dict:
    """A validator's body with the members of its object that it reads more
    than once as SR__L(local, member), and the declarations of those locals
    (SR__LOCAL): in size builds each is loaded once on entry (else, since
    the calls that report could have changed them for all the compiler
    knows, they are loaded again after each call), in speed builds the
    member is read where it was (see templates/c/sr_otel_metric.c.j2).
    The presence bits come spelled that way already (present, local)."""
    decls = []
    if "SR__L(o_present, o->present)" in body:
        decls.append("SR__LOCAL(const uint32_t, o_present, o->present);")
    for f in t.fields:
        if not f.repeated:
            continue
        for member, prefix in (("count", "n_"), ("items", "i_")):
            text = "o->%s.%s" % (f.c_name, member)
            if body.count(text) < 2:
                continue
            if member == "count":
                ctype = "const size_t"
            elif f.kind in C_ITEM_TYPES:
                ctype = "const %s *const" % C_ITEM_TYPES[f.kind]
            else:
                continue
            name = prefix + f.c_name
            decls.append("SR__LOCAL(%s, %s, %s);" % (ctype, name, text))
            body = body.replace(text, "SR__L(%s, %s)" % (name, text))
    return {"body": body, "decls": decls}


C_ITEM_TYPES = {"double": "double", "uint64": "uint64_t"}


def vpresent(obj: str, f: Field) -> str:
    """present() in a validator (see local there)."""
    return present(obj, f, True)


def ref_obj(ref: FieldRef) -> str:
    return "parent" if ref.via_parent else "o"


def cond(c: Cond | None) -> str:
    return spell_cond(c, "1", _cond_leaf)


def _parent_only(c: Cond) -> bool:
    """Whether every test of c reads the parent (none reads the object)."""
    if c.op in ("all", "not"):
        return all(_parent_only(x) for x in c.children)
    return c.ref is not None and c.ref.via_parent


def _hoistable(c: Cond | None) -> list[Cond]:
    """The parts of a rule's condition that read only the parent: the
    condition itself, or the parent-only terms of an `all`."""
    if c is None:
        return []
    if c.op == "all":
        return [x for x in c.children if _parent_only(x)]
    return [c] if _parent_only(c) else []


def parent_conds(t: TypeDef, rules: list[Rule]) -> list[str]:
    """The distinct parent-only conditions of t's rules, spelled on the
    parent as `o` (the parent's own validator evaluates them once for all
    its items and passes them as the bits of `parent_when`, bit i for the
    i-th of this list)."""
    out: list[str] = []
    for r in rules:
        if r.on is t:
            for c in _hoistable(r.when):
                s = spell_cond(c, "1", lambda x: _cond_leaf(x, "o"))
                if s not in out:
                    out.append(s)
    if len(out) > 32:
        raise ValueError("%s: more than 32 parent conditions" % t.name)
    return out


def cond_hoisted(c: Cond | None, hoisted: list[str]) -> str:
    """cond(c), with each parent-only part that the parent passed in
    (see parent_conds) read from the bits of `parent_when`."""
    if c is not None and _parent_only(c):
        s = spell_cond(c, "1", lambda x: _cond_leaf(x, "o"))
        if s in hoisted:
            return "((parent_when >> %du) & 1u)" % hoisted.index(s)
    if c is not None and c.op == "all":
        return "(" + " && ".join(cond_hoisted(x, hoisted) for x in c.children) + ")"
    return cond(c)


def _cond_leaf(c: Cond, parent_obj: str = "parent") -> str:
    """A test in a validator (`o` its own object)."""
    obj = parent_obj if c.ref.via_parent else "o"
    f = c.ref.field
    has = present(obj, f, True)
    val = member(obj, f)
    if c.op == "in":
        alts = " || ".join("%s == %s" % (val, f.target.value(v).c_name) for v in c.values)
        return "(%s && (%s))" % (has, alts)
    if c.op == "eq":
        return "(%s && %s == %s)" % (has, val, literal(f, c.values[0]))
    if c.op == "lt":
        return "(%s && %s < %s)" % (has, val, literal(f, c.values[0]))
    if c.op == "has_bit":
        return "(%s && ((%s >> %du) & 1u))" % (has, val, c.values[0])
    raise ValueError(c.op)


def literal(f: Field, v) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    if f.kind == "double":
        return repr(float(v))
    if f.kind in ("uint64", "uint32"):
        return "UINT64_C(%d)" % v
    if f.kind == "int64":
        return "INT64_C(%d)" % v
    return str(v)


def op(name: str) -> str:
    return C_OPS[name]


needs_parent = reads_parent


def setter_prefix(t: TypeDef) -> str:
    """Builder functions for t's fields: sr_<handle>_set_<infix><field>."""
    return t.handle.c_prefix


def infix(t: TypeDef) -> str:
    return "".join(f.name + "_" for f in t.handle_path)


def handle_member(t: TypeDef, var: str) -> str:
    """Pointer expression to an object of type t, given its handle `var`."""
    if not t.handle_path:
        return var
    return "(&%s->%s)" % (var, ".".join(f.c_name for f in t.handle_path))


def array_facts(t: TypeDef, rules: list[Rule]) -> list[dict]:
    """What the validator of t learns about each repeated number field in one
    pass, before its rules run: for a double array whether all items are
    finite (`finite`, needed when a "*" finite rule or an in_bucket rule reads
    it) and whether it has no strictly_increasing violation (`increasing`);
    for a uint64 array its sum and overflow (`sum`, sum_equals) and its first
    and last non-zero item (`first`, `last`, in_bucket). The rules' checks
    then read these facts and walk an array again only to report what the
    pass found wrong, so the report is the same."""
    facts: dict[str, dict] = {}

    def need(f: Field, what: str) -> None:
        facts.setdefault(f.name, {"field": f, "finite": False, "increasing": False, "sum": False,
                                  "first": False, "last": False})[what] = True

    any_finite = any(r.form == "finite" and r.on is None for r in rules)
    for f in t.fields:
        if f.repeated and f.kind == "double" and any_finite:
            need(f, "finite")
    for r in rules:
        if r.on is not t:
            continue
        if r.form == "strictly_increasing":
            need(r.fields[0], "increasing")
        elif r.form == "sum_equals":
            need(r.items, "sum")
        elif r.form == "in_bucket":
            need(r.bounds, "finite")
            need(r.counts, "first" if r.args.get("bucket") == "first_nonempty" else "last")
    order = [f.name for f in t.fields]
    return sorted(facts.values(), key=lambda d: order.index(d["field"].name))


def byte_ranges(members) -> list[tuple[int, int]]:
    """A set of ASCII bytes as sorted inclusive ranges."""
    out: list[list[int]] = []
    for b in sorted(members):
        if not 0 < b < 0x80:
            raise ValueError("charset byte 0x%02x is not ASCII: the C charset test handles ASCII only" % b)
        if out and out[-1][1] == b - 1:
            out[-1][1] = b
        else:
            out.append([b, b])
    return [(lo, hi) for lo, hi in out]


def charset_ranges_max(charsets) -> int:
    """How many ranges the C charset test takes per class (the most any needs)."""
    return max([len(byte_ranges(x)) for cs in charsets for x in (cs.first, cs.rest)] or [1])


def charset_ranges(members, width: int) -> list[int]:
    """0x80 - lo, 0x7f - hi of each range (the addends of the C test), padded
    to `width` ranges by repeating the last."""
    r = byte_ranges(members)
    r += [r[-1]] * (width - len(r))
    return [b for lo, hi in r for b in (0x80 - lo, 0x7F - hi)]


_FIELD_TABLES: dict[int, tuple] = {}


def _rule_words(m) -> list[str]:
    words: list[str] = []
    for r in m.rules:
        for w in r.id.split("."):
            if w not in words:
                words.append(w)
    return words


def _overlap(a: str, b: str) -> int:
    """The longest proper suffix of a that is a prefix of b."""
    for k in range(min(len(a), len(b)) - 1, 0, -1):
        if a.endswith(b[:k]):
            return k
    return 0


def pack_words(words) -> str:
    """One string holding every word: a word inside another is dropped, then
    the two pieces that overlap most (a suffix of one the prefix of the
    other) are merged, again and again (the greedy shortest-superstring
    heuristic; ties broken by the pieces' text, so the result is stable)."""
    pieces: list[str] = []
    for w in sorted(set(words), key=lambda w: (-len(w), w)):
        if not any(w in k for k in pieces):
            pieces.append(w)
    over = {(a, b): _overlap(a, b) for a in pieces for b in pieces if a != b}
    while True:
        (a, b), k = min(over.items(), key=lambda kv: (-kv[1], kv[0]), default=(("", ""), 0))
        if k == 0:
            break
        merged = a + b[k:]
        pieces = [x for x in pieces if x not in (a, b)]
        pieces = [x for x in pieces if x not in merged]
        over = {ab: n for ab, n in over.items() if ab[0] in pieces and ab[1] in pieces}
        for x in pieces:
            over[(merged, x)] = _overlap(merged, x)
            over[(x, merged)] = _overlap(x, merged)
        pieces.append(merged)
    return "".join(sorted(pieces, key=lambda w: (-len(w), w)))


def field_table(m) -> tuple[str, list[int], dict[str, int]]:
    """Every name the C code spells, once: the field names of the validated
    types (for the validator's paths), the names the size builds' serializer
    tables write (keys and enum values, codegen/c_tables.py) and the words
    of the rule ids (which wasm size builds spell the ids from), all packed
    into one string (pack_words); offset << 5 | length of each name, and
    each name's index, in that order."""
    key = id(m)
    if key not in _FIELD_TABLES:
        from . import c_tables
        names: list[str] = []
        for t in m.types:
            for f in t.fields:
                if f.name not in names:
                    names.append(f.name)
        for n in c_tables.names(m) + _rule_words(m):
            if n not in names:
                names.append(n)
        chars = pack_words(names)
        spans = [(chars.index(n), len(n)) for n in names]
        if any(off >= 1 << 11 or n >= 1 << 5 for off, n in spans) or len(names) >= 0xFF:
            raise ValueError("names do not fit the packed C name table")
        _FIELD_TABLES[key] = (m, chars, [off << 5 | n for off, n in spans], {n: i for i, n in enumerate(names)})
    return _FIELD_TABLES[key][1:]


def name_id(name: str, m) -> int:
    return field_table(m)[2][name]


def field_id(f: Field, m) -> int:
    return field_table(m)[2][f.name]


def starts(lengths: list[int]) -> list[int]:
    """Where each of NUL-terminated strings of these lengths starts when
    they are stored one after the other."""
    out, pos = [], 0
    for n in lengths:
        out.append(pos)
        pos += n + 1
    if pos > 1 << 16:
        raise ValueError("the packed strings do not fit 16-bit offsets")
    return out


def rule_id_words(m) -> dict:
    """The rule ids as their dot-separated words, each a name of the packed
    name table (field_table): the word indexes of every id in order, the
    last word of each id with bit 7 set."""
    words = _rule_words(m)
    ids = {w: name_id(w, m) for w in words}
    if any(len(w) >= 32 or not w for w in words) or max(ids.values()) >= 0x80:
        raise ValueError("rule id words do not fit the packed C table")
    refs = []
    for r in m.rules:
        parts = [ids[w] for w in r.id.split(".")]
        parts[-1] |= 0x80
        refs += parts
    return {"refs": refs, "text_size": sum(len(r.id) + 1 for r in m.rules)}


FILTERS = {
    "c_rule_id_words": rule_id_words,
    "sr_starts": starts,
    "c_field_table": field_table,
    "c_field_id": field_id,
    "c_name_id": name_id,
    "c_charset_ranges": charset_ranges,
    "c_charset_ranges_max": charset_ranges_max,
    "c_charset": lambda cs: "sr_charset_" + cs.name,
    "c_array_facts": array_facts,
    "c_parent_conds": parent_conds,
    "c_cond_hoisted": cond_hoisted,
    "c_literal": c_string_literal,
    "c_present": present,
    "c_vpresent": vpresent,
    "c_validator_locals": validator_locals,
    "c_member": member,
    "c_cond": cond,
    "c_op": op,
    "c_value": literal,
    "c_setter_prefix": setter_prefix,
    "c_infix": infix,
    "c_handle_member": handle_member,
}
def needs_parent_ptr(t: TypeDef) -> bool:
    """Whether t's validator still reads its parent once the parent-only
    conditions come in `parent_when` (an operand or a mixed condition)."""
    if not reads_parent(t):
        return False
    hoisted = parent_conds(t, t.rules)
    return any((r.other is not None and r.other.via_parent)
               or "parent->" in cond_hoisted(r.when, hoisted) for r in t.rules)


TESTS = {"needs_parent": needs_parent, "needs_parent_ptr": needs_parent_ptr}


# wasm value types as C types.
WASM_C_TYPES = {"i32": "int32_t", "i64": "int64_t", "u32": "uint32_t", "u64": "uint64_t",
                "f32": "float", "f64": "double"}


def wasm_c_type(t: str) -> str:
    return WASM_C_TYPES[t]


def wasm_c_param(p: dict) -> str:
    """A u32 the contract marks as a pointer is a pointer in C (wasm32)."""
    if p.get("pointer") == "in":
        return "const void *%s" % p["name"]
    if p.get("pointer") == "out":
        return "void *%s" % p["name"]
    return "%s %s" % (WASM_C_TYPES[p["type"]], p["name"])


FILTERS.update({"wasm_c_type": wasm_c_type, "wasm_c_param": wasm_c_param})


ENV_C_TYPES = {"string": "sr_str", "int64": "int64_t", "json": "sr_str", "map": "sr_string_map"}


def env_c_type(f) -> str:
    """C member type of an envelope field."""
    return ENV_C_TYPES[f.kind]


def env_source_name(name: str) -> str:
    """source_type stays source_type; other source fields get a source_ prefix."""
    return name if name.startswith("source_") else "source_" + name


FILTERS.update({"env_c_type": env_c_type, "env_source_name": env_source_name})


def pb_schema(raw: dict):
    """The resolved protobuf view of Model.protobuf (templates/c/sr_metric_v1.*)."""
    from .model import protobuf_schema
    return protobuf_schema(raw)


FILTERS.update({"pb_schema": pb_schema})
