"""Serializer tables for the size builds' table-driven JSON writer.

runtime/include/sr_wtable.h describes the layout; this module turns the
model's types into its rows (one per field: key text, value kind, where the
value is, how presence is tested, the nested type or enum) as C initializer
text for templates/c/*.c.j2. The straight-line writers of speed builds and
these tables come from the same fields in the same order, and both variants
are run over every conformance vector (scripts/test.sh).
"""
from __future__ import annotations

import json

from .c_lang import c_string_literal

# Field kind -> the runtime's value kind for a singular scalar.
SCALAR_KINDS = {"string": "SR_WK_STR", "bool": "SR_WK_BOOL", "uint32": "SR_WK_U32", "uint64": "SR_WK_U64",
                "int64": "SR_WK_I64", "double": "SR_WK_DOUBLE", "enum": "SR_WK_ENUM"}
ARRAY_KINDS = {"uint64": "SR_WK_U64S", "double": "SR_WK_DOUBLES"}
# The map value primitives (model.VALUE_TAGS order) -> value kinds.
VALUE_KINDS = {"string": "SR_WK_STR", "bool": "SR_WK_BOOL", "int64": "SR_WK_I64", "double": "SR_WK_DOUBLE"}


class Tables:
    """One schema: texts (length-prefixed, shared), enums, types and rows."""

    def __init__(self) -> None:
        self.text_parts: list[tuple[int, str]] = []  # (offset, text)
        self._text_at: dict[str, int] = {}
        self._size = 0
        self.enum_words: list[str] = []
        self._enum_at: dict[str, int] = {}
        self.rows: list[str] = []
        self.types: list[tuple[str, int, int]] = []  # (name, first, count)
        self.hooks: list[tuple[str, str]] = []  # result(): (default, field) of each SR_WK_HOOK row, by arg

    def text(self, s: str) -> int:
        if s not in self._text_at:
            if len(s) > 255 or self._size > 0xFFFF:
                raise ValueError("serializer text too long: %r" % s)
            self._text_at[s] = self._size
            self.text_parts.append((self._size, s))
            self._size += 1 + len(s)
        return self._text_at[s]

    def enum(self, e) -> int:
        if e.name not in self._enum_at:
            n = max(v.number for v in e.values) + 1
            if n > 64 or min(v.number for v in e.values) < 0:
                raise ValueError("enum %s: values outside 0..63" % e.name)
            at = {v.number: self.text(json.dumps(v.name)) for v in e.values}
            self._enum_at[e.name] = len(self.enum_words)
            self.enum_words.append(str(n))
            self.enum_words.extend(str(at.get(i, 0xFFFF)) for i in range(n))
        return self._enum_at[e.name]

    def row(self, key: str, at: str, test: str, kind: str, presence: str, arg: int | str, note: str) -> None:
        self.rows.append("{%d, %s, %s, SR_WKIND(%s, %s), %s}, /* %s */"
                         % (self.text(key), at, test, kind, presence, arg, note))

    def begin(self, name: str) -> None:
        self.types.append((name, len(self.rows), 0))

    def end(self) -> None:
        name, first, _ = self.types[-1]
        self.types[-1] = (name, first, len(self.rows) - first)

    # ---- C text for the templates
    @property
    def text_lines(self) -> list[str]:
        """The text blob as C literal pieces, one text a line; the length
        byte is an octal escape, so no following character can extend it."""
        return ['"\\%03o" %s' % (len(s), c_string_literal(s)) for _, s in self.text_parts] or ['""']

    @property
    def type_lines(self) -> list[str]:
        return ["{%d, %d}, /* %d: %s */" % (first, count, i, name)
                for i, (name, first, count) in enumerate(self.types)]

    def type_index(self, name: str) -> int:
        return next(i for i, (n, _, _) in enumerate(self.types) if n == name)


def _off(ctype: str, member: str) -> str:
    return "offsetof(%s, %s)" % (ctype, member)


def otel(m) -> Tables:
    """The payload types (sr_otel_metric.c): one type per struct, in
    c_struct_order (the order the type indexes follow)."""
    tb = Tables()
    order = m.c_struct_order
    index = {t.name: i for i, t in enumerate(order)}
    maps = {mp.name: i for i, mp in enumerate(m.maps)}
    for t in order:
        tb.begin(t.c_type)
        T = t.c_type
        for f in t.fields:
            mem = f.c_name
            if f.const is not None:
                tb.row(f.json_key + json.dumps(f.const), "0", "0", "SR_WK_CONST", "SR_WP_ALWAYS", 0, f.name)
            elif f.kind == "object" and f.repeated:
                tb.row(f.json_key, _off(T, mem), _off(T, mem + ".count"), "SR_WK_LIST", "SR_WP_SIZE",
                       index[f.target.name], f.name)
            elif f.kind == "object":
                tb.row(f.json_key, _off(T, mem), "0", "SR_WK_OBJECT", "SR_WP_ALWAYS", index[f.target.name], f.name)
            elif f.kind == "map":
                tb.row(f.json_key, _off(T, mem), _off(T, mem + ".count"), "SR_WK_MAP", "SR_WP_SIZE",
                       maps[f.target.name], f.name)
            elif f.repeated:
                if f.kind not in ARRAY_KINDS:
                    raise ValueError("%s.%s: no table writer for arrays of %s" % (t.name, f.name, f.kind))
                tb.row(f.json_key, _off(T, mem), _off(T, mem + ".count"), ARRAY_KINDS[f.kind], "SR_WP_SIZE", 0,
                       f.name)
            elif f.kind == "string":
                tb.row(f.json_key, _off(T, mem), _off(T, mem + ".ptr"), "SR_WK_STR", "SR_WP_PTR", 0, f.name)
            else:
                if f.presence_bit < 0 or f.kind not in SCALAR_KINDS:
                    raise ValueError("%s.%s: no table writer for %s" % (t.name, f.name, f.kind))
                arg = tb.enum(f.target) if f.kind == "enum" else 0
                tb.row(f.json_key, _off(T, mem), "%s << 5 | %d" % (_off(T, "present"), f.presence_bit),
                       SCALAR_KINDS[f.kind], "SR_WP_BIT", arg, f.name)
        tb.end()
    return tb


def value_kinds(m) -> list[str]:
    """sr_wvalue.kinds: the value kind of each sr_value type code (the codes
    are 1.. in value_types order, see sr_otel_metric.h.j2; 0 is none)."""
    return ["0xFF"] + [VALUE_KINDS[v.primitive] for v in m.value_types]


ENV_KINDS = {"string": "SR_WK_STR", "json": "SR_WK_RAW", "int64": "SR_WK_I64", "map": "SR_WK_MAP"}


def envelope(m) -> Tables:
    """The telemetry source and record (sr_telemetry.c): type 0 the source,
    type 1 the record; the batch itself keeps its own writer (it is written
    in chunks of records)."""
    tb = Tables()
    for name in ("TelemetrySource", "TelemetryRecord"):
        t = m.envelope_type(name)
        T = t.c_type
        tb.begin(T)
        for f in t.fields:
            mem = f.c_name
            if f.kind not in ENV_KINDS:
                raise ValueError("%s.%s: no table writer for %s" % (name, f.name, f.kind))
            if f.omit == "never":
                presence, test = "SR_WP_ALWAYS", "0"
            elif f.kind == "map":
                presence, test = "SR_WP_SIZE", _off(T, mem + ".count")
            elif f.kind == "int64":
                presence, test = "SR_WP_I64", _off(T, mem)
            else:
                presence, test = "SR_WP_SIZE", _off(T, mem + ".len")
            tb.row(f.json_key, _off(T, mem), test, ENV_KINDS[f.kind], presence, 0, f.name)
        tb.end()
    return tb


def result(m) -> Tables:
    """The check result (sr_result.c): type 0 the result, type 1 a display
    widget (inside its list entry). Fields with a default are hooks, in the
    order of RESULT_HOOKS (the template defines them)."""
    tb = Tables()
    pr = m.plugin_result
    tb.begin("sr_result")
    T = "sr_result"
    for name, f in pr["fields"].items():
        default = f.get("default")
        key = '"%s":' % name
        if default is not None or name == "perfdata":
            tb.hooks.append((default or name, name))
            tb.row(key + ('"' if name == "perfdata" else ""), "0", "0", "SR_WK_HOOK", "SR_WP_ALWAYS",
                   len(tb.hooks) - 1, name)
        elif name == "display":
            tb.row(key, _off(T, "display"), _off(T, "display.count"), "SR_WK_LIST", "SR_WP_SIZE", 1, name)
        elif f["type"] == "string":
            tb.row(key, _off(T, name), _off(T, name + ".len"), "SR_WK_STR", "SR_WP_SIZE", 0, name)
        elif f["type"] == "json":
            tb.row(key, _off(T, name), _off(T, name + ".len"), "SR_WK_RAW", "SR_WP_SIZE", 0, name)
        elif f["type"] == "StringMap":
            tb.row(key, _off(T, name), _off(T, name + ".count"), "SR_WK_MAP", "SR_WP_SIZE", 0, name)
        else:
            raise ValueError("plugin_result.%s: no table writer for %s" % (name, f["type"]))
    tb.end()
    tb.begin("sr__widget_entry")
    for name, typ in pr["widget_fields"].items():
        member = "w." + name + ("_json" if typ == "json" else "")
        kind = "SR_WK_CRAW" if typ == "json" else "SR_WK_CSTR"
        tb.row('"%s":' % name, _off("sr__widget_entry", member), _off("sr__widget_entry", member), kind,
               "SR_WP_PTR", 0, name)
    tb.end()
    return tb


FILTERS = {"c_wtable_otel": otel, "c_wtable_envelope": envelope, "c_wtable_result": result,
           "c_wtable_value_kinds": value_kinds}
