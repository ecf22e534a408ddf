"""Resolve the checked contract into one model that every template reads.

Everything a template needs is computed here: identifiers per language,
paths, parents, limits, rule arguments resolved to Field objects. Templates
only loop and look up.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field as dc_field
from pathlib import Path
from typing import Any, Optional

from . import ucum

PRIMITIVES = ("string", "bool", "int64", "uint64", "uint32", "double")
NUMERIC = ("int64", "uint64", "uint32", "double")

# Type mappings are data, one table per target language.
C_TYPES = {
    "string": "sr_str",
    "bool": "bool",
    "int64": "int64_t",
    "uint64": "uint64_t",
    "uint32": "uint32_t",
    "double": "double",
}
C_WRITERS = {  # runtime writer for a scalar of this primitive
    "int64": "sr_w_i64",
    "uint64": "sr_w_u64",
    "uint32": "sr_w_u64",
    "double": "sr_w_double",
}


# Words a struct member cannot be named in C or in C++ (the headers are
# usable from C++); such a field gets a trailing underscore in C.
C_RESERVED = frozenset("""
    auto break case char const continue default do double else enum extern float for goto if
    inline int long register restrict return short signed sizeof static struct switch typedef
    union unsigned void volatile while bool true false alignas alignof and asm catch class
    constexpr delete explicit export friend mutable namespace new noexcept not nullptr operator
    or private protected public template this throw try typeid typename using virtual xor
""".split())


def snake(name: str) -> str:
    return re.sub(r"(?<=[a-z0-9])([A-Z])", r"_\1", name).lower()


def upper(name: str) -> str:
    return re.sub(r"[^A-Za-z0-9]+", "_", name).upper()


def singular(name: str) -> str:
    if name.endswith("ies"):
        return name[:-3] + "y"
    if name.endswith("s"):
        return name[:-1]
    return name


@dataclass
class Limit:
    name: str
    value: int
    description: str
    source: str
    c_name: str


@dataclass
class EnumValue:
    name: str
    number: int
    c_name: str


@dataclass
class EnumDef:
    name: str
    description: str
    values: list[EnumValue]
    c_type: str

    def value(self, name: str) -> EnumValue:
        return next(v for v in self.values if v.name == name)


# The tag a map value of each primitive carries in vector inputs and in C
# (SR_VALUE_<TAG>); data, not logic.
VALUE_TAGS = {"string": "string", "bool": "bool", "int64": "int", "double": "double"}


@dataclass
class ValueType:
    primitive: str
    tag: str
    c_type: str
    c_enum: str
    c_array_enum: str


@dataclass
class MapDef:
    name: str
    description: str
    c_type: str
    c_prefix: str
    value_types: list[ValueType]
    arrays: bool
    paths: list[str] = dc_field(default_factory=list)  # documentation paths
    rules: list["Rule"] = dc_field(default_factory=list)

    @property
    def c_entry(self) -> str:
        return singular(self.c_type)


@dataclass
class Charset:
    name: str
    description: str
    first: frozenset[int]
    rest: frozenset[int]
    first_spec: str
    rest_spec: str
    c_first: str  # name of the generated 256-bit table
    c_rest: str

    @property
    def first_bits(self) -> list[int]:
        return bitset(self.first)

    @property
    def rest_bits(self) -> list[int]:
        return bitset(self.rest)


def bitset(members) -> list[int]:
    """32 bytes; bit (b & 7) of byte (b >> 3) is set for each member byte b."""
    out = [0] * 32
    for b in members:
        out[b >> 3] |= 1 << (b & 7)
    return out


@dataclass
class Field:
    name: str
    type_name: str
    kind: str  # a primitive name, 'enum', 'map' or 'object'
    repeated: bool
    const: Any
    omit: str
    description: str
    owner: "TypeDef"
    target: Any = None  # EnumDef / MapDef / TypeDef
    presence_bit: int = -1  # for optional scalars kept in a bitmask

    @property
    def primitive(self) -> Optional[str]:
        return self.type_name if self.kind in PRIMITIVES else None

    @property
    def c_type(self) -> str:
        if self.kind in PRIMITIVES:
            return C_TYPES[self.kind]
        return self.target.c_type

    @property
    def c_name(self) -> str:
        """The struct member's name in C."""
        return self.name + "_" if self.name in C_RESERVED else self.name

    @property
    def c_member_type(self) -> str:
        """The C type of this field inside its owner's struct."""
        if self.repeated and self.kind == "object":
            return self.target.c_type + "_list"
        if self.repeated:
            return "sr_%s_array" % self.kind
        return self.c_type

    @property
    def json_key(self) -> str:
        return '"%s":' % self.name

    @property
    def c_has(self) -> str:
        return "%s_HAS_%s" % (self.owner.c_upper, upper(self.name))

    @property
    def singular(self) -> str:
        return singular(self.name)

    @property
    def numeric(self) -> bool:
        return self.kind in NUMERIC


@dataclass
class TypeDef:
    name: str
    description: str
    root: bool
    fields: list[Field]
    c_type: str = ""
    c_prefix: str = ""
    c_upper: str = ""
    parent: Optional["TypeDef"] = None
    parent_field: Optional[Field] = None
    rules: list["Rule"] = dc_field(default_factory=list)

    def field(self, name: str) -> Field:
        return next(f for f in self.fields if f.name == name)

    @property
    def is_list_element(self) -> bool:
        return self.parent_field is not None and self.parent_field.repeated

    @property
    def embedded(self) -> bool:
        """Embedded in its parent's struct (a singular object field)."""
        return self.parent_field is not None and not self.parent_field.repeated

    @property
    def handle(self) -> "TypeDef":
        """The object a caller holds to set this type's fields: itself for the
        root and list elements, the nearest such ancestor for embedded ones."""
        t = self
        while t.embedded:
            t = t.parent
        return t

    @property
    def handle_path(self) -> list[Field]:
        """Fields from the handle down to this embedded object."""
        chain: list[Field] = []
        t = self
        while t.embedded:
            chain.insert(0, t.parent_field)
            t = t.parent
        return chain

    @property
    def doc_path(self) -> str:
        """Path pattern such as points[].exemplars[]."""
        if self.parent is None:
            return ""
        base = self.parent.doc_path
        seg = self.parent_field.name + ("[]" if self.parent_field.repeated else "")
        return seg if not base else base + "." + seg

    @property
    def scalar_fields(self) -> list[Field]:
        return [f for f in self.fields if f.kind not in ("object", "map") and not f.repeated]

    @property
    def presence_fields(self) -> list[Field]:
        """Optional scalars whose presence lives in the `present` bitmask."""
        return [f for f in self.fields if f.presence_bit >= 0]


@dataclass
class FieldRef:
    field: Field
    via_parent: bool

    @property
    def text(self) -> str:
        return ("parent." if self.via_parent else "") + self.field.name


@dataclass
class Cond:
    op: str  # in, eq, lt, has_bit, not, all
    ref: Optional[FieldRef] = None
    values: list[Any] = dc_field(default_factory=list)
    children: list["Cond"] = dc_field(default_factory=list)


def spell_cond(c: Optional[Cond], true: str, leaf) -> str:
    """A condition in C, Go or Rust, which share `&&`, `!` and parentheses:
    `true` for no condition, leaf(c) for one test (in, eq, lt, has_bit)."""
    if c is None:
        return true
    if c.op == "all":
        return "(" + " && ".join(spell_cond(x, true, leaf) for x in c.children) + ")"
    if c.op == "not":
        return "!" + spell_cond(c.children[0], true, leaf)
    return leaf(c)


def reads_parent(t: "TypeDef") -> bool:
    """Whether t's validator reads its parent (a condition or operand says parent.X)."""
    def uses(c: Optional[Cond]) -> bool:
        if c is None:
            return False
        if c.ref is not None and c.ref.via_parent:
            return True
        return any(uses(x) for x in c.children)
    return any(uses(r.when) or (r.other is not None and r.other.via_parent) for r in t.rules)


@dataclass
class Rule:
    id: str
    severity: str
    on: Any  # TypeDef, MapDef or None for "*"
    form: str
    args: dict
    fields: list[Field]  # the fields the check looks at, resolved
    when: Optional[Cond]
    description: str
    source_ref: str
    strength: str
    index: int
    c_enum: str
    limit: Optional[Limit] = None
    other: Optional[FieldRef] = None
    charset: Optional[Charset] = None
    items: Optional[Field] = None  # sum_equals: the array that is summed
    counts: Optional[Field] = None  # in_bucket: bucket counts
    bounds: Optional[Field] = None  # in_bucket: bucket bounds

    @property
    def on_name(self) -> str:
        return "*" if self.on is None else self.on.name

    @property
    def limit_value(self) -> Optional[int]:
        if self.limit is None:
            return None
        return self.limit.value + int(self.args.get("plus", 0))

    @property
    def doc_paths(self) -> list[str]:
        if self.on is None:
            return ["every string / every double"]
        bases = self.on.paths if isinstance(self.on, MapDef) else [self.on.doc_path]
        out = []
        for b in bases:
            if self.fields and self.form not in ("exactly_one", "at_most_one"):
                for f in self.fields:
                    out.append((b + "." if b else "") + f.name)
            else:
                out.append(b + ("[]" if isinstance(self.on, MapDef) else "") if b else "(the metric)")
        return out


@dataclass
class EnvField:
    """A field of an envelope type (telemetry batch, source, record)."""
    name: str
    kind: str  # string, int64, json, map, object, list
    omit: str  # unset, never, empty, zero
    target: Optional["EnvType"] = None
    description: str = ""

    @property
    def c_name(self) -> str:
        return self.name + "_" if self.name in C_RESERVED else self.name

    @property
    def json_key(self) -> str:
        return '"%s":' % self.name

    @property
    def singular(self) -> str:
        return singular(self.name)


@dataclass
class EnvType:
    name: str
    description: str
    fields: list[EnvField]
    c_type: str
    flatten_into: Optional[str] = None  # "Type.field" for a signal-schema reference

    def field(self, name: str) -> EnvField:
        return next(f for f in self.fields if f.name == name)


@dataclass
class PayloadKind:
    name: str
    signal_type: str
    encoding: str
    description: str
    type: Optional[TypeDef]
    schema_version: Optional[int]
    message: Optional[str]
    c_name: str


@dataclass
class Model:
    meta: dict
    signal_types: list[tuple[str, str, str]]  # (name, description, C const)
    payload_kinds: list[PayloadKind]
    limits: list[Limit]
    charsets: list[Charset]
    enums: list[EnumDef]
    maps: list[MapDef]
    types: list[TypeDef]
    rules: list[Rule]
    envelope: dict
    envelope_types: list[EnvType]
    host_abi: dict
    host_codes: list[tuple[str, int, str, str]]
    protobuf: dict
    plugin_result: dict
    perfdata: dict
    ucum: ucum.UcumTables
    contract_files: list[str]

    @property
    def root(self) -> TypeDef:
        return next(t for t in self.types if t.root)

    @property
    def root_payload_kind(self) -> str:
        """The payload kind whose JSON the root type is (the vectors' case type)."""
        return next(pk.name for pk in self.payload_kinds if pk.type is self.root)

    def envelope_type(self, name: str) -> EnvType:
        return next(t for t in self.envelope_types if t.name == name)

    def payload_kind(self, name: str) -> PayloadKind:
        return next(p for p in self.payload_kinds if p.name == name)

    def limit(self, name: str) -> Limit:
        return next(x for x in self.limits if x.name == name)

    @property
    def value_types(self) -> list[ValueType]:
        """Union of the value types of every map (one sr_value type serves all)."""
        out: list[ValueType] = []
        for mp in self.maps:
            for v in mp.value_types:
                if v.primitive not in [x.primitive for x in out]:
                    out.append(v)
        return out

    @property
    def c_struct_order(self) -> list[TypeDef]:
        """Types with every embedded type before the type that embeds it."""
        out: list[TypeDef] = []

        def visit(t: TypeDef) -> None:
            if t in out:
                return
            for f in t.fields:
                if f.kind == "object" and not f.repeated:
                    visit(f.target)
            out.append(t)
        for t in self.types:
            visit(t)
        return out

    @property
    def repeated_primitives(self) -> list[str]:
        kinds = []
        for t in self.types:
            for f in t.fields:
                if f.repeated and f.kind in PRIMITIVES and f.kind not in kinds:
                    kinds.append(f.kind)
        return kinds

    @property
    def path_max(self) -> int:
        """Longest validation path plus NUL, from the contract's own limits."""
        return _path_max(self)

    @property
    def max_nesting(self) -> int:
        return max(len(t.doc_path.split(".")) for t in self.types) + 2


def parse_charset(spec: str) -> frozenset[int]:
    out: set[int] = set()
    i = 0
    while i < len(spec):
        if i + 2 < len(spec) and spec[i + 1] == "-":
            out.update(range(ord(spec[i]), ord(spec[i + 2]) + 1))
            i += 3
        else:
            out.add(ord(spec[i]))
            i += 1
    return frozenset(out)


def _digits(n: int) -> int:
    return len(str(n))


def _path_max(m: Model) -> int:
    # Longest field name chain + the largest index each array can reach.
    best = 0
    for t in m.types:
        length = 0
        cur = t
        while cur.parent_field is not None:
            pf = cur.parent_field
            length += len(pf.name) + 1
            if pf.repeated:
                length += 2 + _digits(_repeat_limit(m, pf))
            cur = cur.parent
        longest_leaf = 0
        for f in t.fields:
            leaf = len(f.name) + 1
            if f.repeated or f.kind == "map":
                leaf += 2 + _digits(max(_repeat_limit(m, f), m.limit("attributes_max_entries").value
                                        if f.kind == "map" else 0))
            longest_leaf = max(longest_leaf, leaf)
        best = max(best, length + longest_leaf)
    return best + 1


def _repeat_limit(m: Model, f: Field) -> int:
    """The largest index a validator may have to print for this array."""
    for r in m.rules:
        if r.form == "max_items" and f in r.fields and r.limit is not None:
            return r.limit_value
    # Arrays without a contract limit are bounded by the host payload size.
    return m.limit("host_payload_max_bytes").value


def resolve(data: dict, contract_dir: Path, files: list[str]) -> Model:
    limits = [
        Limit(n, v["value"], v["description"], v["source"], "SR_LIMIT_" + upper(n))
        for n, v in data["limits"].items()
    ]
    charsets = [
        Charset(n, v["description"], parse_charset(v["first"]), parse_charset(v["rest"]),
                v["first"], v["rest"], "sr_charset_%s_first" % n, "sr_charset_%s_rest" % n)
        for n, v in data.get("charsets", {}).items()
    ]
    enums = [
        EnumDef(n, v["description"],
                [EnumValue(k, num, "SR_%s_%s" % (upper(snake(n)), upper(k))) for k, num in v["values"].items()],
                "sr_" + snake(n))
        for n, v in data.get("enums", {}).items()
    ]
    maps = [
        MapDef(n, v["description"], "sr_" + snake(n), "sr_" + snake(n),
               [ValueType(p, VALUE_TAGS[p], C_TYPES[p], "SR_VALUE_" + upper(VALUE_TAGS[p]),
                          "SR_VALUE_" + upper(VALUE_TAGS[p]) + "_ARRAY") for p in v["value_types"]],
               bool(v.get("homogeneous_arrays", False)))
        for n, v in data.get("maps", {}).items()
    ]
    by_enum = {e.name: e for e in enums}
    by_map = {m.name: m for m in maps}

    types: list[TypeDef] = []
    for tname, tv in data["types"].items():
        t = TypeDef(tname, tv["description"], bool(tv.get("root", False)), [])
        t.c_type = "sr_" + snake(tname)
        t.c_prefix = t.c_type
        t.c_upper = upper(t.c_type)
        types.append(t)
    by_type = {t.name: t for t in types}
    for t, (tname, tv) in zip(types, data["types"].items()):
        bit = 0
        for fname, fv in tv["fields"].items():
            tn = fv["type"]
            if tn in PRIMITIVES:
                kind, target = tn, None
            elif tn in by_enum:
                kind, target = "enum", by_enum[tn]
            elif tn in by_map:
                kind, target = "map", by_map[tn]
            else:
                kind, target = "object", by_type[tn]
            repeated = bool(fv.get("repeated", False))
            omit = fv.get("omit", "empty" if (repeated or kind == "map") else "absent")
            f = Field(fname, tn, kind, repeated, fv.get("const"), omit, fv.get("description", ""), t, target)
            if kind in ("bool", "int64", "uint64", "uint32", "double", "enum") and not repeated and f.const is None:
                f.presence_bit = bit
                bit += 1
            t.fields.append(f)
    # parents: each non-root type is used by exactly one field (checked)
    for t in types:
        for f in t.fields:
            if f.kind == "object":
                f.target.parent = t
                f.target.parent_field = f
    # map occurrence paths, for the docs
    for t in types:
        for f in t.fields:
            if f.kind == "map":
                base = t.doc_path
                f.target.paths.append((base + "." if base else "") + f.name)

    rules: list[Rule] = []
    for i, rv in enumerate(data["rules"]):
        on_name = rv["applies_to"]
        on = None if on_name == "*" else (by_type.get(on_name) or by_map.get(on_name))
        form, args = next(iter(rv["check"].items()))
        if isinstance(args, list):
            args = {"field": args}
        args = dict(args or {})
        flds: list[Field] = []
        if isinstance(on, TypeDef) and "field" in args:
            names = args["field"] if isinstance(args["field"], list) else [args["field"]]
            flds = [on.field(n) for n in names]
        limit = next((x for x in limits if x.name == args.get("limit")), None)
        other = _ref(on, args["other"]) if "other" in args and isinstance(on, TypeDef) else None
        src = rv["source"]
        r = Rule(rv["id"], rv["severity"], on, form, args, flds,
                 _cond(on, rv.get("when")), rv["description"],
                 src.get("ref", ""), src.get("strength", ""), i,
                 "SR_RULE_" + upper(rv["id"]), limit, other,
                 next((c for c in charsets if c.name == args.get("charset")), None),
                 on.field(args["items"]) if "items" in args and isinstance(on, TypeDef) else None,
                 on.field(args["counts"]) if "counts" in args and isinstance(on, TypeDef) else None,
                 on.field(args["bounds"]) if "bounds" in args and isinstance(on, TypeDef) else None)
        rules.append(r)
        if on is not None:
            on.rules.append(r)

    env_types = [EnvType(n, v["description"], [], "sr_" + snake(n), v.get("flatten_into"))
                 for n, v in data["envelope"]["types"].items()]
    env_by = {t.name: t for t in env_types}
    for t, v in zip(env_types, data["envelope"]["types"].values()):
        for fname, fv in v["fields"].items():
            tn = fv["type"]
            if tn in env_by:
                kind, target = ("list" if fv.get("repeated") else "object"), env_by[tn]
            elif tn == "StringMap":
                kind, target = "map", None
            else:
                kind, target = tn, None
            t.fields.append(EnvField(fname, kind, fv["omit"], target, fv.get("description", "")))

    pks = []
    for n, v in data["payload_kinds"].items():
        pks.append(PayloadKind(n, v["signal_type"], v["encoding"], v["description"],
                               by_type.get(v.get("type", "")), v.get("schema_version"),
                               v.get("message"), "SR_PAYLOAD_KIND_" + upper(n)))
    abi = data["host_abi"]
    codes = [(n, v["value"], v["description"], "SR_HOST_" + upper(n)) for n, v in abi["return_codes"].items()]
    uc = data["ucum"]
    essence = (contract_dir / uc["essence"]).resolve()
    if not essence.is_file():
        raise ucum.UcumError("ucum.yaml: essence file %s not found (it is read from the shared/ folder "
                             "beside the repository)" % essence)
    tables = ucum.load(essence, uc.get("extra_atoms", []))
    return Model(
        meta=data["contract"],
        signal_types=[(n, v["description"], "SR_SIGNAL_TYPE_" + upper(n)) for n, v in data["signal_types"].items()],
        payload_kinds=pks, limits=limits, charsets=charsets, enums=enums, maps=maps,
        types=types, rules=rules, envelope=data["envelope"], envelope_types=env_types,
        host_abi=abi, host_codes=codes,
        protobuf=data.get("protobuf", {}), plugin_result=data["plugin_result"], perfdata=data["perfdata"],
        ucum=tables, contract_files=files,
    )


def _ref(on: TypeDef, text: str) -> FieldRef:
    if text.startswith("parent."):
        return FieldRef(on.parent.field(text[len("parent."):]), True)
    return FieldRef(on.field(text), False)


def _cond(on, c) -> Optional[Cond]:
    if c is None:
        return None
    if "all" in c:
        return Cond("all", children=[_cond(on, x) for x in c["all"]])
    if "not" in c:
        return Cond("not", children=[_cond(on, c["not"])])
    ref = _ref(on, c["field"])
    for op in ("in", "eq", "lt", "has_bit"):
        if op in c:
            vals = c[op] if isinstance(c[op], list) else [c[op]]
            return Cond(op, ref, vals)
    raise ValueError("unknown condition %r" % (c,))


# ------------------------------------------------- protobuf (metric_v1.yaml)
# A resolved view of `protobuf:` for the binary encoder templates
# (templates/c/sr_metric_v1.*.j2). Model.protobuf stays the raw dict; the
# templates reach this view through the `pb_schema` filter (c_lang.py).

PB_WIRE = {"string": 2, "bool": 0, "double": 1, "uint64": 0, "uint32": 0, "int32": 0, "enum": 0, "message": 2}
PB_C_TYPES = {"string": "const char *", "bool": "bool", "double": "double", "uint64": "uint64_t",
              "uint32": "uint32_t", "int32": "int32_t"}


@dataclass
class PbEnumValue:
    name: str
    number: int
    c_name: str


@dataclass
class PbEnum:
    name: str
    c_type: str
    values: list[PbEnumValue]


@dataclass
class PbField:
    name: str
    number: int
    kind: str  # a scalar type name, 'enum' or 'message'
    repeated: bool
    default: Any
    target: Any  # PbEnum / PbMessage / None
    owner: "PbMessage"
    when_zero: Optional[str] = None  # "now_unix_nano": the record constructor fills in the time

    @property
    def c_name(self) -> str:
        return self.name + "_" if self.name in C_RESERVED else self.name

    @property
    def wire(self) -> int:
        return PB_WIRE[self.kind]

    @property
    def c_type(self) -> str:
        """The member's C type, spaced so that `c_type + c_name` reads well."""
        if self.kind == "message":
            return "const %s *" % self.target.c_type
        if self.kind == "enum":
            return self.target.c_type + " "
        t = PB_C_TYPES[self.kind]
        return t if t.endswith("*") else t + " "

    @property
    def c_default(self) -> str:
        """Name of the macro holding this field's contract default."""
        return "%s_%s_DEFAULT" % (self.owner.c_upper, upper(self.name))

    @property
    def written_when_absent(self) -> bool:
        """A singular message with contract defaults inside: written (with just
        its defaults) even when the caller leaves it NULL."""
        return self.kind == "message" and not self.repeated and self.target.has_defaults


@dataclass
class PbMessage:
    name: str
    c_type: str
    c_fn: str  # suffix of the static functions that size and write it
    fields: list[PbField]

    @property
    def c_upper(self) -> str:
        return upper(self.c_type)

    @property
    def has_defaults(self) -> bool:
        return any(f.default is not None or f.written_when_absent for f in self.fields)

    @property
    def wire_fields(self) -> list[PbField]:
        """Fields in the order they are written: by field number, as protobuf does."""
        return sorted(self.fields, key=lambda f: f.number)


@dataclass
class PbSchema:
    package: str
    c_prefix: str  # sr_<last package component>, e.g. sr_v1
    enums: list[PbEnum]
    messages: list[PbMessage]  # every message after the messages it contains

    def message(self, name: str) -> PbMessage:
        return next(x for x in self.messages if x.name == name)

    @property
    def roots(self) -> list[PbMessage]:
        """Messages no other message contains: each gets a public encoder."""
        inner = {f.target.name for x in self.messages for f in x.fields if f.kind == "message"}
        return [x for x in self.messages if x.name not in inner]

    @property
    def kinds(self) -> set[str]:
        """Field kinds that occur, so that templates emit only the helpers they use."""
        return {f.kind for x in self.messages for f in x.fields}

    @property
    def has_repeated(self) -> bool:
        return any(f.repeated for x in self.messages for f in x.fields)

    @property
    def unset_messages(self) -> list[PbMessage]:
        """Messages written with just their defaults when left NULL."""
        out: list[PbMessage] = []
        for x in self.messages:
            for f in x.fields:
                if f.written_when_absent and f.target not in out:
                    out.append(f.target)
        return out


def protobuf_schema(raw: dict) -> PbSchema:
    """Resolves `protobuf:` (already checked by check.py). Raises ValueError for
    what the C encoder does not support: repeated scalars, defaults on
    non-string fields, recursive messages."""
    prefix = "sr_" + raw["package"].split(".")[-1]
    enums = [PbEnum(n, "%s_%s" % (prefix, snake(n)),
                    [PbEnumValue(k, v, upper("%s_%s_%s" % (prefix, snake(n), k))) for k, v in vals.items()])
             for n, vals in (raw.get("enums") or {}).items()]
    by_enum = {e.name: e for e in enums}
    messages = {n: PbMessage(n, "%s_%s" % (prefix, snake(n)), snake(n), []) for n in raw["messages"]}
    for n, spec in raw["messages"].items():
        msg = messages[n]
        for fname, fv in spec["fields"].items():
            t = fv["type"]
            kind, target = ("message", messages[t]) if t in messages else ("enum", by_enum[t]) if t in by_enum else (t, None)
            f = PbField(fname, fv["number"], kind, bool(fv.get("repeated", False)), fv.get("default"), target, msg,
                        fv.get("when_zero"))
            where = "protobuf field %s.%s" % (n, fname)
            if f.repeated and kind != "message":
                raise ValueError("%s: repeated %s is not supported by the C encoder (only repeated messages)" % (where, kind))
            if f.default is not None and kind != "string":
                raise ValueError("%s: a default on a %s field is not supported by the C encoder" % (where, kind))
            msg.fields.append(f)
    ordered: list[PbMessage] = []

    def visit(x: PbMessage, path: tuple[str, ...]) -> None:
        if x.name in path:
            raise ValueError("protobuf message %s contains itself (%s): not supported by the C encoder"
                             % (x.name, " -> ".join(path + (x.name,))))
        if x in ordered:
            return
        for f in x.fields:
            if f.kind == "message":
                visit(f.target, path + (x.name,))
        ordered.append(x)
    for x in messages.values():
        visit(x, ())
    return PbSchema(raw["package"], prefix, enums, ordered)

