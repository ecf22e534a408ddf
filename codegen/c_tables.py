"""Serializer tables for the size builds' table-driven JSON writer.

runtime/include/sr_wtable.h describes the layout; this module turns the
model's types into it (per field: its name, value kind, where the value is,
how presence is tested, the nested type, map, hook or enum) as C
initializer text for templates/c/*.c.j2 (templates/c/_wtable.j2). The straight-line writers of speed builds and
these tables come from the same fields in the same order, and both variants
are run over every conformance vector (scripts/test.sh).
"""
from __future__ import annotations

import json

# Field kind -> the runtime's value kind for a singular scalar.
SCALAR_KINDS = {"string": "SR_WK_STR", "bool": "SR_WK_BOOL", "uint32": "SR_WK_U32", "uint64": "SR_WK_U64",
                "int64": "SR_WK_I64", "double": "SR_WK_DOUBLE", "enum": "SR_WK_ENUM"}
ARRAY_KINDS = {"uint64": "SR_WK_U64S", "double": "SR_WK_DOUBLES"}
# The map value primitives (model.VALUE_TAGS order) -> value kinds.
VALUE_KINDS = {"string": "SR_WK_STR", "bool": "SR_WK_BOOL", "int64": "SR_WK_I64", "double": "SR_WK_DOUBLE"}


def _chars(text: str) -> list[str]:
    """ASCII text as C character constants."""
    out = []
    for ch in text:
        if not (" " <= ch <= "~"):
            raise ValueError("serializer text is not printable ASCII: %r" % text)
        out.append("'\\''" if ch == "'" else "'\\\\'" if ch == "\\" else "'%s'" % ch)
    return out


class _Name:
    """A name in the code: its index in the shared name table
    (c_lang.field_table), resolved when the C text is made, since that table
    is made from these tables' names."""

    def __init__(self, name: str) -> None:
        self.name = name


class Tables:
    """One schema's code (see runtime/include/sr_wtable.h): types as a
    header and one entry per field. Offsets into the code are C expressions,
    since an offset of a value takes SR_WAT_SIZE bytes (1 on 32-bit targets,
    2 on 64-bit ones)."""

    def __init__(self, m, shared: bool) -> None:
        self.m = m
        self.shared = shared  # names as indexes into the shared name table, else inline
        self.lines: list[tuple[list, str]] = []  # (byte expressions or _Names, comment)
        self._fixed = 0  # bytes of the code so far, SR_WAT()s not counted
        self._wats = 0   # SR_WAT()s so far
        self.type_at: list[tuple[str, str]] = []  # (name, code offset expression)
        self._count_line = -1
        self._count = 0
        self._enum_bytes: list = []
        self._enum_ord: dict[str, int] = {}
        self._enums: list = []
        self.names: list[str] = []  # every name the code refers to, keys and enum values
        self.checks: list[str] = []  # layout facts the implied presence tests rely on
        self.hooks: list[tuple[str, str]] = []  # result(): (default, field) of each SR_WK_HOOK row, by arg

    def _here(self) -> str:
        return "%d + %d * SR_WAT_SIZE" % (self._fixed, self._wats) if self._wats else str(self._fixed)

    def _emit(self, items: list, wats: int, note: str) -> None:
        self.lines.append((items, note))
        self._fixed += len(items) - wats
        self._wats += wats

    def _name(self, name: str) -> _Name:
        if len(name) >= 32:
            raise ValueError("serializer name too long: %r" % name)
        _chars(name)
        if name not in self.names:
            self.names.append(name)
        return _Name(name)

    def _resolve(self, item) -> str:
        if isinstance(item, _Name):
            from .c_lang import name_id
            i = name_id(item.name, self.m)
            if i >= 0x80:
                raise ValueError("name %r: index %d does not fit below 0x80" % (item.name, i))
            return str(i)
        return item

    def enum(self, e) -> int:
        """The enum's number (the high 3 bits of a field's arg)."""
        if e.name not in self._enum_ord:
            if len(self._enum_ord) == 8:
                raise ValueError("more than 8 enums in one schema")
            if max(v.number for v in e.values) >= 64 or min(v.number for v in e.values) < 0:
                raise ValueError("enum %s: values outside 0..63" % e.name)
            self._enum_ord[e.name] = len(self._enums)
            self._enums.append(e)
        return self._enum_ord[e.name]

    def begin(self, name: str, present: str = "0") -> None:
        self.type_at.append((name, self._here()))
        self._count_line = len(self.lines)
        self._count = 0
        self._emit(["0", "SR_WAT(%s)" % present], 1, "type %d: %s" % (len(self.type_at) - 1, name))

    def row(self, name: str, at: str, kind: str, presence: str, arg: int | str, check: str | None = None,
            const: str | None = None) -> None:
        items = ["SR_WKIND(%s, %s)" % (kind, presence), str(arg), "SR_WAT(%s)" % at]
        if self.shared:
            items.append(self._name(name))
        else:
            if not 0 < len(name) < 0x80:
                raise ValueError("serializer name too long: %r" % name)
            items += ["0x80 | %d" % len(name)] + _chars(name)
        if const is not None:
            if len(const) > 255:
                raise ValueError("serializer text too long: %r" % const)
            items += [str(len(const))] + _chars(const)
        self._emit(items, 1, name)
        self._count += 1
        if check:
            self.checks.append(check)

    def end(self) -> None:
        items, note = self.lines[self._count_line]
        self.lines[self._count_line] = ([str(self._count)] + items[1:], note)

    def finish(self) -> "Tables":
        """The enums' bytes (sr_wschema.enums); call once, after the last
        type."""
        heads: list[str] = []
        body: list = []
        for e in self._enums:
            heads.append(str(len(self._enums) + len(body)))
            n = max(v.number for v in e.values) + 1
            at = {v.number: self._name(v.name) for v in e.values}
            body.append(str(n))
            body.extend(at.get(i, "0xFF") for i in range(n))
        self._enum_bytes = heads + body
        return self

    # ---- C text for the templates
    @property
    def enum_words(self) -> list[str]:
        return [self._resolve(x) for x in self._enum_bytes]

    @property
    def code_lines(self) -> list[str]:
        """A line per entry; a constant value's text on a line of its own,
        so that generated C stays within 200 columns."""
        out = []
        for items, note in self.lines:
            items = [self._resolve(x) for x in items]
            out.append("%s, /* %s */" % (", ".join(items[:4]), note))
            if len(items) > 4:
                out.append("    %s," % ", ".join(items[4:]))
        return out

    @property
    def type_lines(self) -> list[str]:
        return ["%s, /* %d: %s */" % (at, i, name) for i, (name, at) in enumerate(self.type_at)]

    def type_index(self, name: str) -> int:
        return next(i for i, (n, _) in enumerate(self.type_at) if n == name)


def _off(ctype: str, member: str) -> str:
    return "offsetof(%s, %s)" % (ctype, member)


def _ptr_check(T: str, mem: str) -> str:
    return "%s == %s" % (_off(T, mem + ".ptr"), _off(T, mem))


def _size_check(T: str, mem: str, member: str, words: int) -> str:
    return "%s == %s + %s" % (_off(T, mem + "." + member), _off(T, mem),
                              "sizeof(void *)" if words == 1 else "%d * sizeof(void *)" % words)


def otel(m) -> Tables:
    """The payload types (sr_otel_metric.c): one type per struct, in
    c_struct_order (the order the type indexes follow)."""
    tb = Tables(m, True)
    order = m.c_struct_order
    index = {t.name: i for i, t in enumerate(order)}
    maps = {mp.name: i for i, mp in enumerate(m.maps)}
    for t in order:
        T = t.c_type
        tb.begin(T, _off(T, "present") if t.presence_fields else "0")
        for f in t.fields:
            mem = f.c_name
            if f.const is not None:
                tb.row(f.name, "0", "SR_WK_CONST", "SR_WP_ALWAYS", 0, const=json.dumps(f.const))
            elif f.kind == "object" and f.repeated:
                tb.row(f.name, _off(T, mem), "SR_WK_LIST", "SR_WP_SIZE", index[f.target.name],
                       _size_check(T, mem, "count", 2))
            elif f.kind == "object":
                tb.row(f.name, _off(T, mem), "SR_WK_OBJECT", "SR_WP_ALWAYS", index[f.target.name])
            elif f.kind == "map":
                tb.row(f.name, _off(T, mem), "SR_WK_MAP", "SR_WP_SIZE", maps[f.target.name],
                       _size_check(T, mem, "count", 2))
            elif f.repeated:
                if f.kind not in ARRAY_KINDS:
                    raise ValueError("%s.%s: no table writer for arrays of %s" % (t.name, f.name, f.kind))
                tb.row(f.name, _off(T, mem), ARRAY_KINDS[f.kind], "SR_WP_SIZE", 0, _size_check(T, mem, "count", 1))
            elif f.kind == "string":
                tb.row(f.name, _off(T, mem), "SR_WK_STR", "SR_WP_PTR", 0, _ptr_check(T, mem))
            else:
                if f.presence_bit < 0 or f.presence_bit > 31 or f.kind not in SCALAR_KINDS:
                    raise ValueError("%s.%s: no table writer for %s" % (t.name, f.name, f.kind))
                arg = f.presence_bit | (tb.enum(f.target) << 5 if f.kind == "enum" else 0)
                tb.row(f.name, _off(T, mem), SCALAR_KINDS[f.kind], "SR_WP_BIT", arg)
        tb.end()
    return tb.finish()


def value_kinds(m) -> list[str]:
    """sr_wvalue.kinds: the value kind of each sr_value type code (the codes
    are 1.. in value_types order, see sr_otel_metric.h.j2; 0 is none)."""
    return ["0xFF"] + [VALUE_KINDS[v.primitive] for v in m.value_types]


ENV_KINDS = {"string": "SR_WK_STR", "json": "SR_WK_RAW", "int64": "SR_WK_I64", "map": "SR_WK_MAP"}


def envelope(m) -> Tables:
    """The telemetry source, record and batch (sr_telemetry.c), types 0, 1
    and 2; the batch's records are a hook (hook 0), written a chunk at a
    time."""
    tb = Tables(m, False)
    for name in ("TelemetrySource", "TelemetryRecord"):
        t = m.envelope_type(name)
        T = t.c_type
        tb.begin(T)
        for f in t.fields:
            mem = f.c_name
            if f.kind not in ENV_KINDS:
                raise ValueError("%s.%s: no table writer for %s" % (name, f.name, f.kind))
            check = None
            if f.omit == "never":
                presence = "SR_WP_ALWAYS"
            elif f.kind == "map":
                presence, check = "SR_WP_SIZE", _size_check(T, mem, "count", 2)
            elif f.kind == "int64":
                presence = "SR_WP_I64"
            else:
                presence, check = "SR_WP_SIZE", _size_check(T, mem, "len", 1)
            tb.row(f.name, _off(T, mem), ENV_KINDS[f.kind], presence, 0, check)
        tb.end()
    batch = m.envelope_type("TelemetryBatch")
    tb.begin(batch.c_type)
    for f in batch.fields:
        if f.kind == "object" and f.omit == "unset":
            # left out when it has nothing set: an object field that writes no field is dropped
            tb.row(f.name, _off(batch.c_type, f.c_name), "SR_WK_OBJECT", "SR_WP_ALWAYS", tb.type_index(f.target.c_type))
        elif f.kind == "list" and f.omit == "never":
            tb.row(f.name, "0", "SR_WK_HOOK", "SR_WP_ALWAYS", 0)  # the template's w_records: a chunk of them
        else:
            raise ValueError("TelemetryBatch.%s: no table writer for %s (omit %s)" % (f.name, f.kind, f.omit))
    tb.end()
    return tb.finish()


def result(m) -> Tables:
    """The check result (sr_result.c): type 0 the result, type 1 a display
    widget (inside its list entry). Fields with a default, and perfdata, are
    hooks (tb.hooks: (default, field) by hook number; the template writes
    them)."""
    tb = Tables(m, False)
    pr = m.plugin_result
    T = "sr_result"
    tb.begin(T)
    for name, f in pr["fields"].items():
        default = f.get("default")
        if default is not None or name == "perfdata":
            tb.hooks.append((default or name, name))
            tb.row(name, "0", "SR_WK_HOOK", "SR_WP_ALWAYS", len(tb.hooks) - 1)
        elif name == "display":
            tb.row(name, _off(T, name), "SR_WK_LIST", "SR_WP_SIZE", 1, _size_check(T, name, "count", 2))
        elif f["type"] in ("string", "json"):
            tb.row(name, _off(T, name), "SR_WK_STR" if f["type"] == "string" else "SR_WK_RAW", "SR_WP_SIZE", 0,
                   _size_check(T, name, "len", 1))
        elif f["type"] == "StringMap":
            tb.row(name, _off(T, name), "SR_WK_MAP", "SR_WP_SIZE", 0, _size_check(T, name, "count", 2))
        else:
            raise ValueError("plugin_result.%s: no table writer for %s" % (name, f["type"]))
    tb.end()
    tb.begin("sr__widget_entry")
    for name, typ in pr["widget_fields"].items():
        member = "w." + name + ("_json" if typ == "json" else "")
        tb.row(name, _off("sr__widget_entry", member), "SR_WK_CRAW" if typ == "json" else "SR_WK_CSTR",
               "SR_WP_PTR", 0)
    tb.end()
    return tb.finish()


def names(m) -> list[str]:
    """Every name the payload schema's code refers to (keys and enum values),
    for the shared name table (c_lang.field_table). The envelope and the
    result keep their names inline: a plugin that only submits a result
    links neither the validator nor that table."""
    return otel(m).names


FILTERS = {"c_wtable_otel": otel, "c_wtable_envelope": envelope, "c_wtable_result": result,
           "c_wtable_value_kinds": value_kinds}
