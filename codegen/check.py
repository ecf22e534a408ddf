"""Check the contract language: a JSON Schema for the shape, then references.

``check_contract(contract)`` raises ``ContractError`` with every problem found
(``file:line: code: message``, sorted by file and line) and returns None when
the contract is sound.

1. ``schema/contract.schema.json`` (draft 2020-12) checks the shape: known keys
   only, required keys, value types, enums, one check form per rule and its
   arguments, conditions. Each ``jsonschema`` error becomes a ``Diagnostic``
   at the line of the offending key, with a message that names the thing
   (``field 'name' of type 'Service'``) rather than the schema.
2. Reference checks: every name used resolves (types, limits, charsets, enum
   values, fields of the rule's type or of its parent, signal types, protobuf
   messages), each check form is used on fields it can apply to, ids and
   numbers are unique, exactly one root type, every other type has exactly
   one parent, constants match their field's type, charsets parse.

The reference checks run even when the schema found problems; they skip what
they cannot make sense of, so one mistake gives one diagnostic where possible.

Diagnostic codes (stable; tests rely on them):

=====================  ====================================================
yaml-syntax            the file is not valid YAML (loader)
duplicate-key          a key twice in one mapping, or a top-level key in two files (loader)
empty-file             a contract file holds no data (loader)
missing-file           the contract folder has no YAML file (loader)
unknown-key            a key the contract language does not have (misspelling)
missing-key            a required key is missing
bad-type               a value of the wrong kind (a list where a name is expected, ...)
bad-value              a value outside the allowed set or form (severity, op, rule id, ...)
bad-name               a definition's name has the wrong form (type names are CamelCase, ...)
bad-check              a rule's check has no form, several forms, or the wrong arguments
bad-condition          a ``when`` condition has the wrong shape
unknown-type           a type name that is not defined (or is defined as something else)
unknown-field          a field the rule's type (or its parent) does not have
unknown-limit          a limit that limits.yaml does not define
unknown-charset        a charset that is not defined
unknown-enum-value     a value that the field's enum does not have
unknown-signal-type    a payload kind's signal_type is not a signal type
unknown-message        a payload kind's message is not a protobuf message
wrong-field-type       a check form or condition on a field of a kind it cannot apply to
wrong-target           a check form used with an ``on`` it cannot apply to
duplicate-id           a rule or divergence id used twice
duplicate-name         a name defined twice (a type and an enum, two parameters, ...)
duplicate-number       a protobuf field number used twice in one message
duplicate-value        an enum number, return code or log level used twice
missing-root           no type has ``root: true``
multiple-roots         more than one type has ``root: true``
root-has-parent        the root type is used as a field type
type-unused            a non-root type no field uses (so it has no parent)
type-multiple-parents  a type used by more than one field (so no unique parent)
type-unreachable       a type not reachable from the root (a cycle of types)
bad-const              a ``const`` that does not fit its field's type
bad-default            a protobuf ``default`` that does not fit its field's type
bad-omit               an envelope ``omit`` that does not fit its field's type
bad-charset            a charset range that does not parse
=====================  ====================================================
"""

from __future__ import annotations

import dataclasses
import difflib
import functools
import json
import math
import pathlib
from typing import Any, Iterable, Iterator, Sequence

import jsonschema

from .loader import (
    ROOT_FILE,
    Contract,
    ContractError,
    Diagnostic,
    format_path,
    load_contract,
    sort_diagnostics,
)

__all__ = [
    "ContractError",
    "Diagnostic",
    "SCHEMA_PATH",
    "check_contract",
    "contract_diagnostics",
    "diagnose_contract_dir",
    "parse_charset",
]

SCHEMA_PATH = pathlib.Path(__file__).resolve().parent / "schema" / "contract.schema.json"

PRIMITIVES = ("string", "bool", "int64", "uint64", "uint32", "double")
INTEGER_TYPES = {"int64": (-(2**63), 2**63 - 1), "uint64": (0, 2**64 - 1), "uint32": (0, 2**32 - 1)}
INTEGER_BITS = {"int64": 64, "uint64": 64, "uint32": 32}
NUMERIC_TYPES = ("int64", "uint64", "uint32", "double")
ENVELOPE_EXTRA_TYPES = ("json", "StringMap")
PROTOBUF_SCALARS = ("string", "bool", "double", "uint64", "uint32", "int32")
PROTOBUF_INTEGER_RANGES = {"uint64": (0, 2**64 - 1), "uint32": (0, 2**32 - 1), "int32": (-(2**31), 2**31 - 1)}

STAR_FORMS = ("valid_utf8", "finite")
MAP_FORMS = (
    "map_key_non_empty", "map_key_unique", "map_key_max_length",
    "map_string_max_length", "map_array_max_items", "map_max_entries",
)


# --------------------------------------------------------------------------
# public API


def check_contract(contract: Contract) -> None:
    """Raise ``ContractError`` listing every problem; return None when sound."""
    diagnostics = contract_diagnostics(contract)
    if diagnostics:
        raise ContractError(diagnostics)


def contract_diagnostics(contract: Contract, strict: bool = False) -> list[Diagnostic]:
    """Every problem of a loaded contract, sorted by file and line.

    ``strict`` lets an exception inside the reference checks propagate even
    when the schema already found problems (for tests).
    """
    schema_problems = list(_SchemaChecker(contract).run())
    try:
        reference_problems = _ReferenceChecker(contract).run()
    except Exception:
        # The reference checks are written to skip malformed parts; if one
        # still trips over a shape the schema already reported, the schema's
        # diagnostics say what to fix. Without schema errors it is a bug.
        if strict or not schema_problems:
            raise
        reference_problems = []
    return sort_diagnostics(schema_problems + reference_problems)


def diagnose_contract_dir(contract_dir: pathlib.Path | str) -> list[Diagnostic]:
    """Load and check a contract folder; every diagnostic (empty when sound)."""
    try:
        contract = load_contract(contract_dir)
    except ContractError as error:
        return error.diagnostics
    return contract_diagnostics(contract)


def parse_charset(spec: str) -> tuple[set[int], list[str]]:
    """Parse "A-Za-z0-9_./-" into a set of byte values plus a list of problems.

    Items are single characters or ranges X-Y; a '-' at the very start or the
    very end is a literal '-'. Characters must be ASCII.
    """
    out: set[int] = set()
    problems: list[str] = []
    i = 0
    n = len(spec)
    while i < n:
        if i + 2 < n and spec[i + 1] == "-":
            lo, hi = spec[i], spec[i + 2]
            if ord(lo) > ord(hi):
                problems.append(f"the range '{lo}-{hi}' runs backwards ('{lo}' comes after '{hi}' in ASCII)")
            out.update(range(ord(lo), ord(hi) + 1))
            i += 3
        else:
            out.add(ord(spec[i]))
            i += 1
    bad = sorted({c for c in spec if ord(c) > 0x7E or ord(c) < 0x20})
    if bad:
        shown = ", ".join(repr(c) for c in bad)
        problems.append(f"it holds {shown}, which is not visible ASCII; charsets are sets of ASCII bytes")
    return out, problems


# --------------------------------------------------------------------------
# wording helpers



def _value_text(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return f"'{value}'"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    return str(value)


def _value_kind(value: Any) -> str:
    if value is None:
        return "an empty value (null)"
    if isinstance(value, bool):
        return f"a boolean ({_value_text(value)})"
    if isinstance(value, int):
        return f"an integer ({value})"
    if isinstance(value, float):
        return f"a number ({value})"
    if isinstance(value, str):
        return f"a string ({_value_text(value)})"
    if isinstance(value, dict):
        keys = ", ".join(str(k) for k in list(value)[:6])
        return f"a mapping ({{{keys}}})" if keys else "an empty mapping ({})"
    if isinstance(value, list):
        return f"a list of {len(value)} item{'s' if len(value) != 1 else ''}"
    return type(value).__name__


_JSON_TYPE_WORDS = {
    "string": "a string", "integer": "an integer", "number": "a number",
    "boolean": "true or false", "object": "a mapping", "array": "a list", "null": "null",
}


def _type_words(types: Any) -> str:
    if isinstance(types, str):
        types = [types]
    words = [_JSON_TYPE_WORDS.get(t, t) for t in types]
    return " or ".join(words)


def _names(names: Iterable[Any], limit: int = 30) -> str:
    names = [str(n) for n in names]
    if not names:
        return "none"
    if len(names) > limit:
        return ", ".join(names[:limit]) + f", … ({len(names)} in all)"
    return ", ".join(names)


def _suggest(word: Any, options: Iterable[Any]) -> str | None:
    if not isinstance(word, str):
        return None
    options = [o for o in options if isinstance(o, str)]
    lowered = {o.lower(): o for o in options}
    if word.lower() in lowered and lowered[word.lower()] != word:
        return lowered[word.lower()]
    close = difflib.get_close_matches(word, options, n=1, cutoff=0.6)
    return close[0] if close else None


def _did_you_mean(word: Any, options: Iterable[Any]) -> str:
    match = _suggest(word, options)
    return f"; did you mean '{match}'?" if match else ""


def _article(word: str) -> str:
    return "an" if str(word)[:1].lower() in "aeiou" else "a"


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


# --------------------------------------------------------------------------
# naming parts of the contract for messages


class _Namer:
    def __init__(self, data: dict):
        self.data = data

    def rule(self, index: int) -> str:
        rules = self.data.get("rules")
        if isinstance(rules, list) and 0 <= index < len(rules):
            rule = rules[index]
            if isinstance(rule, dict) and isinstance(rule.get("id"), str):
                return f"rule '{rule['id']}'"
        return f"rule #{index + 1} (rules[{index}])"

    def divergence(self, index: int) -> str:
        items = (self.data.get("envelope") or {}).get("divergences") if isinstance(self.data.get("envelope"), dict) else None
        if isinstance(items, list) and 0 <= index < len(items):
            item = items[index]
            if isinstance(item, dict) and isinstance(item.get("id"), str):
                return f"divergence '{item['id']}'"
        return f"divergence #{index + 1} (envelope.divergences[{index}])"

    def _object(self, p: tuple) -> str | None:  # noqa: C901 - a table
        n = len(p)
        head = p[0]
        if n == 1:
            if head == "contract":
                return "the contract header ('contract')"
            return f"the '{head}' section"
        if head in ("signal_types", "payload_kinds", "limits", "charsets", "enums", "maps", "types") and n >= 2:
            noun = {
                "signal_types": "signal type", "payload_kinds": "payload kind", "limits": "limit",
                "charsets": "charset", "enums": "enum", "maps": "map", "types": "type",
            }[head]
            if n == 2:
                return f"{noun} '{p[1]}'"
            if head == "types" and n == 3 and p[2] == "fields":
                return f"the fields of type '{p[1]}'"
            if head == "types" and n == 4 and p[2] == "fields":
                return f"field '{p[3]}' of type '{p[1]}'"
            if head == "enums" and n == 3 and p[2] == "values":
                return f"the values of enum '{p[1]}'"
            if head == "enums" and n == 4 and p[2] == "values":
                return f"value '{p[3]}' of enum '{p[1]}'"
            return None
        if head == "rules" and n >= 2 and isinstance(p[1], int):
            rule = self.rule(p[1])
            if n == 2:
                return rule
            if p[2] == "when":
                if n == 3:
                    return f"the condition ('when') of {rule}"
                return f"the condition at {format_path(p[2:])} of {rule}"
            if p[2] == "check" and n == 3:
                return f"the check of {rule}"
            if p[2] == "check" and n == 4:
                return f"the '{p[3]}' check of {rule}"
            if p[2] == "source" and n == 3:
                return f"the source of {rule}"
            return None
        if head == "envelope":
            if n >= 3 and p[1] == "types":
                if n == 3:
                    return f"envelope type '{p[2]}'"
                if n == 4 and p[3] == "fields":
                    return f"the fields of envelope type '{p[2]}'"
                if n == 5 and p[3] == "fields":
                    return f"field '{p[4]}' of envelope type '{p[2]}'"
            if n == 3 and p[1] == "divergences" and isinstance(p[2], int):
                return self.divergence(p[2])
            return None
        if head == "host_abi":
            if n >= 3 and p[1] == "functions":
                if n == 3:
                    return f"host function '{p[2]}'"
                if n == 5 and p[3] == "params" and isinstance(p[4], int):
                    return f"parameter #{p[4] + 1} of host function '{p[2]}'"
            if n == 3 and p[1] == "return_codes":
                return f"return code '{p[2]}'"
            if n == 3 and p[1] == "log_levels":
                return f"log level '{p[2]}'"
            return None
        if head == "protobuf":
            if n >= 3 and p[1] == "messages":
                if n == 3:
                    return f"protobuf message '{p[2]}'"
                if n == 4 and p[3] == "fields":
                    return f"the fields of protobuf message '{p[2]}'"
                if n == 5 and p[3] == "fields":
                    return f"field '{p[4]}' of protobuf message '{p[2]}'"
            if n >= 3 and p[1] == "enums":
                if n == 3:
                    return f"protobuf enum '{p[2]}'"
                if n == 4:
                    return f"value '{p[3]}' of protobuf enum '{p[2]}'"
            return None
        return None

    def describe(self, path: Sequence) -> str:
        p = tuple(path)
        if not p:
            return "the contract"
        for length in range(len(p), 0, -1):
            name = self._object(p[:length])
            if name is None:
                continue
            rest = p[length:]
            if not rest:
                return name
            if len(rest) == 1 and isinstance(rest[0], int):
                return f"item #{rest[0] + 1} of {name}"
            return f"'{format_path(rest)}' of {name}"
        return f"'{format_path(p)}'"


# --------------------------------------------------------------------------
# 1. the JSON Schema


@functools.lru_cache(maxsize=None)
def _schema() -> dict:
    with open(SCHEMA_PATH, encoding="utf-8") as handle:
        schema = json.load(handle)
    jsonschema.Draft202012Validator.check_schema(schema)
    return schema


class _SafeDict(dict):
    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


class _SchemaChecker:
    def __init__(self, contract: Contract):
        self.contract = contract
        self.schema = _schema()
        self.namer = _Namer(contract.data)

    def run(self) -> Iterator[Diagnostic]:
        validator = jsonschema.Draft202012Validator(self.schema)
        for error in validator.iter_errors(self.contract.data):
            yield from self._convert(error)

    # schema navigation --------------------------------------------------
    def _resolve(self, ref: str) -> Any:
        if not ref.startswith("#/"):
            raise ValueError(f"only local $ref is supported in the contract schema: {ref}")
        node: Any = self.schema
        for part in ref[2:].split("/"):
            node = node[part]
        return node

    def _chain(self, schema_path: Sequence) -> list[dict]:
        """Schemas from the last non-$ref step to the one holding the failing keyword."""
        node: Any = self.schema
        chain = [node]
        steps = list(schema_path)
        for index, step in enumerate(steps):
            while isinstance(node, dict) and step not in node and "$ref" in node:
                node = self._resolve(node["$ref"])
                chain.append(node)
            if index == len(steps) - 1:
                break  # the keyword itself
            node = node[step]
            chain = [node]
        return [c for c in chain if isinstance(c, dict)]

    @staticmethod
    def _find(chain: list[dict], key: str) -> Any:
        for schema in chain:
            if key in schema:
                return schema[key]
        return None

    # conversion ----------------------------------------------------------
    def _diag(self, code: str, path: tuple, message: str, location: tuple[str, int] | None = None) -> Diagnostic:
        file, line = location if location is not None else self.contract.locate(path)
        return Diagnostic(code, file, line, format_path(path), message)

    def _convert(self, error: jsonschema.ValidationError) -> Iterator[Diagnostic]:  # noqa: C901
        path = tuple(error.path)
        keyword = error.validator
        schema_path = list(error.relative_schema_path)
        chain = self._chain(schema_path)
        holder = chain[-1] if chain else {}
        instance = error.instance
        where = self.namer.describe(path)
        what = self._find(chain, "x-what")

        if "propertyNames" in schema_path:
            key = instance
            rule = what or "a name of the right form"
            yield self._diag(
                "bad-name", path + (key,),
                f"the name '{key}' in {where} is not valid: names here are {rule}",
            )
            return

        custom = None
        for schema in reversed(chain):
            entry = (schema.get("x-errors") or {}).get(keyword)
            if entry:
                custom = entry
                break
        if custom is not None:
            keys = list(instance) if isinstance(instance, dict) else []
            main = custom.get("main")
            others = [k for k in keys if k != main]
            values = _SafeDict(
                where=where,
                keys=", ".join(str(k) for k in keys),
                count=len(keys),
                others=", ".join(f"'{k}'" for k in others),
                tests=", ".join(str(k) for k in keys if k not in ("field", "not", "all")),
                allowed=_names(holder.get("properties", {})),
            )
            yield self._diag(custom.get("code", "bad-value"), path, custom["message"].format_map(values))
            return

        if keyword == "additionalProperties" and isinstance(instance, dict):
            allowed = list(holder.get("properties", {}))
            noun = holder.get("x-unknown", "key")
            for key in instance:
                if key in allowed:
                    continue
                hint = _did_you_mean(key, allowed)
                if instance[key] is None and isinstance(key, str) and (" " in key or key.endswith(".")):
                    hint = (
                        "; it looks like the end of a text cut at a comma: inside {...} an unquoted ','"
                        " ends the value, so put the text in quotes"
                    )
                if not path:
                    message = f"unknown top-level key '{key}'{hint} (known top-level keys: {_names(allowed)})"
                elif not allowed:
                    message = f"unknown key '{key}' in {where}{hint}: this form takes no arguments, write {{}}"
                else:
                    message = f"unknown {noun} '{key}' in {where}{hint} (allowed: {_names(allowed)})"
                yield self._diag("unknown-key", path + (key,), message)
            return

        if keyword == "required" and isinstance(instance, dict):
            required = list(error.validator_value)
            missing = [k for k in required if k not in instance]
            for key in missing:
                if not path:
                    file = (self.schema.get("properties", {}).get(key) or {}).get("x-file")
                    location = (file, 1) if file in self.contract.files else (ROOT_FILE, 0)
                    where_hint = f" (it belongs in {file})" if file else ""
                    yield self._diag(
                        "missing-key", (key,),
                        f"the contract has no top-level key '{key}'{where_hint}",
                        location=location,
                    )
                else:
                    yield self._diag(
                        "missing-key", path,
                        f"{where} has no '{key}' (required: {_names(required)})",
                    )
            return

        value = _value_text(instance)
        if keyword == "type":
            expected = what or _type_words(error.validator_value)
            yield self._diag("bad-type", path, f"{where} must be {expected}, not {_value_kind(instance)}")
        elif keyword in ("enum", "const"):
            options = error.validator_value if keyword == "enum" else [error.validator_value]
            yield self._diag(
                "bad-value", path,
                f"{where} is {value}, which is not one of: {_names(_value_text(o) for o in options)}"
                f"{_did_you_mean(instance, options)}",
            )
        elif keyword == "pattern":
            yield self._diag("bad-value", path, f"{where} is {value}, which is not {what or 'of the expected form'}")
        elif keyword in ("minLength",):
            yield self._diag("bad-value", path, f"{where} must not be an empty string")
        elif keyword in ("minItems", "minProperties"):
            count = error.validator_value
            unit = "item" if keyword == "minItems" else "entry"
            if count == 1:
                message = f"{where} must not be empty"
            else:
                message = f"{where} needs at least {count} {unit}{'s' if unit == 'item' else 'ies'}, not {len(instance)}"
            yield self._diag("bad-value", path, message)
        elif keyword in ("maxItems", "maxProperties"):
            count = error.validator_value
            yield self._diag("bad-value", path, f"{where} may have at most {count}, not {len(instance)}")
        elif keyword in ("minimum", "exclusiveMinimum"):
            yield self._diag("bad-value", path, f"{where} is {value}, below the minimum {error.validator_value}")
        elif keyword in ("maximum", "exclusiveMaximum"):
            yield self._diag("bad-value", path, f"{where} is {value}, above the maximum {error.validator_value}")
        elif keyword == "uniqueItems" and isinstance(instance, list):
            seen: list = []
            dups: list = []
            for item in instance:
                if item in seen and item not in dups:
                    dups.append(item)
                seen.append(item)
            yield self._diag(
                "bad-value", path,
                f"{where} lists {_names(_value_text(d) for d in dups)} more than once",
            )
        else:
            yield self._diag("bad-value", path, f"{where} is not valid: {error.message}")


# --------------------------------------------------------------------------
# 2. references


@dataclasses.dataclass
class _Field:
    owner: str  # the type that has the field
    name: str
    type: Any
    repeated: bool
    kind: str  # "primitive", "enum", "map", "type" or "unknown"

    def text(self) -> str:
        t = self.type
        if self.kind == "primitive":
            inner = t
        elif self.kind in ("enum", "map", "type"):
            inner = f"{'type' if self.kind == 'type' else self.kind} {t}"
        else:
            inner = f"'{t}'"
        if self.repeated:
            return f"a list of {inner}"
        if self.kind == "primitive":
            return f"{_article(t)} {t}"
        return inner

    @property
    def is_string(self) -> bool:
        return self.kind == "primitive" and self.type == "string"

    @property
    def is_numeric(self) -> bool:
        return self.kind == "primitive" and self.type in NUMERIC_TYPES

    @property
    def is_integer(self) -> bool:
        return self.kind == "primitive" and self.type in INTEGER_TYPES


class _ReferenceChecker:
    def __init__(self, contract: Contract):
        self.contract = contract
        self.data = contract.data if isinstance(contract.data, dict) else {}
        self.namer = _Namer(self.data)
        self.out: list[Diagnostic] = []

        self.types = self._section("types")
        self.enums = self._section("enums")
        self.maps = self._section("maps")
        self.limits = self._section("limits")
        self.charsets = self._section("charsets")
        self.signal_types = self._section("signal_types")
        protobuf = self._section("protobuf")
        self.pb_messages = protobuf.get("messages") if isinstance(protobuf, dict) else None
        self.pb_enums = protobuf.get("enums") if isinstance(protobuf, dict) else None
        self.parents: dict[str, list[tuple[str, str]]] = {}
        self.roots: list[str] = []

    # helpers ---------------------------------------------------------------
    def _section(self, key: str) -> dict | None:
        value = self.data.get(key)
        return value if isinstance(value, dict) else None

    def add(self, code: str, path: Sequence, message: str) -> None:
        path = tuple(path)
        file, line = self.contract.locate(path)
        self.out.append(Diagnostic(code, file, line, format_path(path), message))

    @staticmethod
    def _items(mapping: Any) -> list[tuple[Any, Any]]:
        return list(mapping.items()) if isinstance(mapping, dict) else []

    def _type_fields(self, type_name: str) -> dict:
        t = (self.types or {}).get(type_name)
        fields = t.get("fields") if isinstance(t, dict) else None
        return fields if isinstance(fields, dict) else {}

    def _kind_of(self, type_name: Any) -> str:
        if not isinstance(type_name, str):
            return "unknown"
        if type_name in PRIMITIVES:
            return "primitive"
        if self.enums is not None and type_name in self.enums:
            return "enum"
        if self.maps is not None and type_name in self.maps:
            return "map"
        if self.types is not None and type_name in self.types:
            return "type"
        return "unknown"

    def _field(self, type_name: str, field_name: str) -> _Field | None:
        spec = self._type_fields(type_name).get(field_name)
        if spec is None:
            return None
        if not isinstance(spec, dict):
            return _Field(type_name, field_name, None, False, "unknown")
        t = spec.get("type")
        return _Field(type_name, field_name, t, spec.get("repeated") is True, self._kind_of(t))

    def _enum_values(self, enum_name: str) -> dict:
        e = (self.enums or {}).get(enum_name)
        values = e.get("values") if isinstance(e, dict) else None
        return values if isinstance(values, dict) else {}

    def parent_of(self, type_name: str) -> str | None:
        users = self.parents.get(type_name, [])
        return users[0][0] if len(users) == 1 else None

    # run ----------------------------------------------------------------------
    def run(self) -> list[Diagnostic]:
        self.check_names()
        self.check_types()
        self.check_tree()
        self.check_charsets()
        self.check_enums()
        self.check_rules()
        self.check_payload_kinds()
        self.check_envelope()
        self.check_host_abi()
        self.check_protobuf()
        return self.out

    # names ----------------------------------------------------------------------
    def check_names(self) -> None:
        seen: dict[str, tuple[str, tuple, tuple[str, int]]] = {}
        entries = []
        for section, noun in (("types", "type"), ("enums", "enum"), ("maps", "map")):
            for name, _ in self._items(self._section(section)):
                path = (section, name)
                entries.append((self.contract.locate(path), name, noun, path))
        for location, name, noun, path in sorted(entries, key=lambda e: e[0]):
            if name in seen:
                first_noun, _first_path, first_loc = seen[name]
                self.add(
                    "duplicate-name", path,
                    f"'{name}' is defined as {_article(noun)} {noun} here and already as {_article(first_noun)} {first_noun} "
                    f"({first_loc[0]}:{first_loc[1]}); types, enums and maps share one namespace",
                )
            else:
                seen[name] = (noun, path, location)

    # types ----------------------------------------------------------------------
    def _type_options(self) -> list[str]:
        return list(PRIMITIVES) + list(self.enums or {}) + list(self.maps or {}) + list(self.types or {})

    def check_types(self) -> None:
        for type_name, spec in self._items(self.types):
            if not isinstance(spec, dict):
                continue
            if spec.get("root") is True:
                self.roots.append(type_name)
            for field_name, field in self._items(spec.get("fields")):
                if not isinstance(field, dict):
                    continue
                path = ("types", type_name, "fields", field_name)
                t = field.get("type")
                if not isinstance(t, str):
                    continue
                kind = self._kind_of(t)
                if kind == "unknown":
                    if self.types is None:
                        continue
                    self.add(
                        "unknown-type", path + ("type",),
                        f"field '{field_name}' of type '{type_name}' has type '{t}', which is not a "
                        f"primitive ({_names(PRIMITIVES)}), an enum, a map or a type{_did_you_mean(t, self._type_options())}",
                    )
                    continue
                if kind == "type":
                    self.parents.setdefault(t, []).append((type_name, field_name))
                if "const" in field:
                    self._check_const(type_name, field_name, field, kind, path + ("const",))

    def _check_const(self, type_name: str, field_name: str, field: dict, kind: str, path: tuple) -> None:
        value = field["const"]
        t = field.get("type")
        where = f"field '{field_name}' of type '{type_name}'"
        if field.get("repeated") is True or kind in ("map", "type"):
            what = "a list" if field.get("repeated") is True else f"a {kind} ({t})"
            self.add("bad-const", path, f"{where} is {what} and cannot have a const; only single primitive or enum fields can")
            return
        problem = None
        if kind == "enum":
            values = self._enum_values(t)
            if not isinstance(value, str) or value not in values:
                problem = f"a value of enum {t} ({_names(values)})"
        elif t == "string":
            if not isinstance(value, str):
                problem = "a string"
        elif t == "bool":
            if not isinstance(value, bool):
                problem = "true or false"
        elif t in INTEGER_TYPES:
            lo, hi = INTEGER_TYPES[t]
            if not _is_int(value) or not lo <= value <= hi:
                problem = f"an integer from {lo} to {hi}"
        elif t == "double":
            if not _is_number(value) or (isinstance(value, float) and not math.isfinite(value)):
                problem = "a finite number"
        if problem:
            self.add("bad-const", path, f"{where} is {_article(t)} {t}, so its const must be {problem}, not {_value_kind(value)}")

    def check_tree(self) -> None:
        if self.types is None:
            return
        if not self.roots:
            unused = [t for t in self.types if t not in self.parents]
            hint = f" (types no field uses: {_names(unused)})" if unused else ""
            self.add("missing-root", ("types",), f"no type has 'root: true'; exactly one type must be the payload's root{hint}")
        for extra in self.roots[1:]:
            self.add(
                "multiple-roots", ("types", extra, "root"),
                f"type '{extra}' has 'root: true', but '{self.roots[0]}' already is the root; exactly one type is the root",
            )
        for root in self.roots:
            for user_type, user_field in self.parents.get(root, []):
                self.add(
                    "root-has-parent", ("types", user_type, "fields", user_field, "type"),
                    f"field '{user_field}' of type '{user_type}' uses the root type '{root}'; the root cannot be nested in another type",
                )
        for type_name in self.types:
            if type_name in self.roots:
                continue
            users = self.parents.get(type_name, [])
            if not users and self.roots:
                self.add(
                    "type-unused", ("types", type_name),
                    f"type '{type_name}' is not the root and no field uses it, so it has no parent; "
                    "use it in a field or remove it",
                )
            for user_type, user_field in users[1:]:
                first_type, first_field = users[0]
                self.add(
                    "type-multiple-parents", ("types", user_type, "fields", user_field, "type"),
                    f"field '{user_field}' of type '{user_type}' uses type '{type_name}', which field "
                    f"'{first_field}' of type '{first_type}' already uses; every type has exactly one parent "
                    "(define a separate type)",
                )
        if len(self.roots) == 1:
            reached = {self.roots[0]}
            todo = [self.roots[0]]
            while todo:
                current = todo.pop()
                for _, field in self._items(self._type_fields(current)):
                    t = field.get("type") if isinstance(field, dict) else None
                    if self._kind_of(t) == "type" and t not in reached:
                        reached.add(t)
                        todo.append(t)
            for type_name in self.types:
                if type_name not in reached and len(self.parents.get(type_name, [])) == 1:
                    self.add(
                        "type-unreachable", ("types", type_name),
                        f"type '{type_name}' cannot be reached from the root '{self.roots[0]}' "
                        "(its parents form a cycle)",
                    )

    # charsets and enums ------------------------------------------------------------
    def check_charsets(self) -> None:
        for name, spec in self._items(self.charsets):
            for key in ("first", "rest"):
                value = spec.get(key) if isinstance(spec, dict) else None
                if not isinstance(value, str) or not value:
                    continue
                _, problems = parse_charset(value)
                for problem in problems:
                    self.add("bad-charset", ("charsets", name, key), f"'{key}' of charset '{name}' (\"{value}\") does not parse: {problem}")

    def check_enums(self) -> None:
        for name, spec in self._items(self.enums):
            values = spec.get("values") if isinstance(spec, dict) else None
            self._unique_numbers(values, ("enums", name, "values"), f"enum '{name}'")

    def _unique_numbers(self, mapping: Any, path: tuple, owner: str, value_key: str | None = None) -> None:
        seen: dict[Any, str] = {}
        for key, value in self._items(mapping):
            number = value.get(value_key) if (value_key and isinstance(value, dict)) else value
            if not _is_int(number):
                continue
            if number in seen:
                self.add(
                    "duplicate-value", path + (key,),
                    f"'{key}' of {owner} has the number {number}, which '{seen[number]}' already has",
                )
            else:
                seen[number] = key

    # rules ---------------------------------------------------------------------------
    def check_rules(self) -> None:
        rules = self.data.get("rules")
        if not isinstance(rules, list):
            return
        ids: dict[str, int] = {}
        for index, rule in enumerate(rules):
            if not isinstance(rule, dict):
                continue
            path = ("rules", index)
            rid = rule.get("id")
            if isinstance(rid, str):
                if rid in ids:
                    file, line = self.contract.locate(("rules", ids[rid]))
                    self.add("duplicate-id", path + ("id",), f"rule id '{rid}' is already used by the rule at {file}:{line}; rule ids are unique")
                else:
                    ids[rid] = index
            self._check_rule(index, rule)

    def _target(self, index: int, rule: dict) -> tuple[str | None, str | None]:
        """('*' | 'type' | 'map' | None, name)."""
        on = rule.get("applies_to")
        if not isinstance(on, str):
            return None, None
        if on == "*":
            return "*", on
        kind = self._kind_of(on)
        if kind in ("type", "map"):
            return kind, on
        name = self.namer.rule(index)
        if kind in ("enum", "primitive"):
            self.add("unknown-type", ("rules", index, "applies_to"), f"{name} applies to '{on}', which is {'an enum' if kind == 'enum' else 'a primitive'}; applies_to names a type, a map or \"*\"")
        elif self.types is not None:
            options = list(self.types) + list(self.maps or {})
            self.add("unknown-type", ("rules", index, "applies_to"), f"{name} applies to '{on}', which is not a type or a map{_did_you_mean(on, options)}")
        return None, None

    def _check_rule(self, index: int, rule: dict) -> None:
        name = self.namer.rule(index)
        target, on = self._target(index, rule)
        check = rule.get("check")
        form, args = None, None
        if isinstance(check, dict) and len(check) == 1:
            form, args = next(iter(check.items()))
        check_path = ("rules", index, "check", form)
        if target is not None and form is not None:
            if form in STAR_FORMS and target != "*":
                self.add("wrong-target", check_path, f"{name} uses '{form}', which checks the whole payload; write applies_to: \"*\" (not '{on}')")
            elif form in MAP_FORMS and target != "map":
                where = "every type" if target == "*" else f"type '{on}'"
                self.add("wrong-target", check_path, f"{name} uses '{form}', which checks a map, but the rule applies to {where}; put the name of a map in applies_to")
            elif form not in STAR_FORMS and form not in MAP_FORMS and target != "type":
                where = "\"*\"" if target == "*" else f"map '{on}'"
                self.add("wrong-target", check_path, f"{name} uses '{form}', which checks fields of a type, but the rule applies to {where}; put the type's name in applies_to")
            elif target == "type":
                self._check_form(index, name, on, form, args, check_path)
        if isinstance(args, dict) and "limit" in args:
            self._check_limit(args["limit"], check_path + ("limit",), f"{name}")
        if form == "charset" and isinstance(args, dict) and isinstance(args.get("charset"), str) and self.charsets is not None:
            charset = args["charset"]
            if charset not in self.charsets:
                self.add(
                    "unknown-charset", check_path + ("charset",),
                    f"{name} refers to charset '{charset}', which is not defined "
                    f"(charsets: {_names(self.charsets)}){_did_you_mean(charset, self.charsets)}",
                )
        if "when" in rule:
            when_path = ("rules", index, "when")
            if target in ("*", "map"):
                self.add("wrong-target", when_path, f"{name} has a condition, but conditions test fields and the rule applies to {'every type' if target == '*' else 'map ' + repr(on)}")
            elif target == "type":
                self._check_condition(name, on, rule["when"], when_path)

    def _check_limit(self, limit: Any, path: tuple, owner: str) -> None:
        if not isinstance(limit, str) or self.limits is None or limit in self.limits:
            return
        self.add(
            "unknown-limit", path,
            f"{owner} refers to limit '{limit}', which limits.yaml does not define{_did_you_mean(limit, self.limits)}",
        )

    def _resolve(self, name: str, on: str, ref: Any, path: tuple, allow_parent: bool) -> _Field | None:
        """Field ``ref`` of type ``on`` (or of its parent for parent.X); reports unknown fields."""
        if not isinstance(ref, str):
            return None
        owner = on
        field_name = ref
        if ref.startswith("parent."):
            field_name = ref[len("parent."):]
            if not allow_parent:
                self.add("bad-value", path, f"{name} refers to '{ref}' here, but only 'other' and conditions may name a field of the parent")
                return None
            if on in self.roots:
                self.add("unknown-field", path, f"{name} refers to '{ref}', but type '{on}' is the root and has no parent")
                return None
            owner = self.parent_of(on)
            if owner is None:
                return None  # no unique parent: reported by check_tree
        fields = self._type_fields(owner)
        field = self._field(owner, field_name)
        if field is None:
            via = f"the parent of type '{on}', type '{owner}'" if owner != on else f"type '{on}'"
            self.add(
                "unknown-field", path,
                f"{name} refers to field '{field_name}', which {via} does not have "
                f"(fields: {_names(fields)}){_did_you_mean(field_name, fields)}",
            )
        return field

    def _field_refs(self, name: str, on: str, args: Any, key: str, path: tuple, allow_parent: bool = False) -> list[tuple[_Field, tuple]]:
        """Resolve args[key] (a name or a list of names) -> [(field, path)]."""
        value = args.get(key) if isinstance(args, dict) else args
        base = path + (key,) if isinstance(args, dict) else path
        if isinstance(value, str):
            refs = [(value, base)]
        elif isinstance(value, list):
            refs = [(v, base + (i,)) for i, v in enumerate(value)]
        else:
            return []
        out = []
        for ref, ref_path in refs:
            field = self._resolve(name, on, ref, ref_path, allow_parent)
            if field is not None:
                out.append((field, ref_path))
        return out

    def _need(self, name: str, form: str, field: _Field, path: tuple, ok: bool, needed: str) -> None:
        if ok or field.kind == "unknown":
            return
        self.add(
            "wrong-field-type", path,
            f"{name}: '{form}' needs {needed}, but field '{field.name}' of type '{field.owner}' is {field.text()}",
        )

    def _check_form(self, index: int, name: str, on: str, form: str, args: Any, path: tuple) -> None:  # noqa: C901
        def refs(key: str, allow_parent: bool = False) -> list[tuple[_Field, tuple]]:
            return self._field_refs(name, on, args, key, path, allow_parent)

        if form in ("required", "absent", "exactly_one", "at_most_one"):
            if isinstance(args, list):
                self._field_refs(name, on, args, "", path)
            return
        if not isinstance(args, dict):
            return
        single_string = "a single string field"
        if form in ("max_length", "charset", "hex_id", "ucum"):
            for field, p in refs("field"):
                self._need(name, form, field, p, field.is_string and not field.repeated, single_string)
        elif form in ("min_items", "max_items"):
            for field, p in refs("field"):
                self._need(name, form, field, p, field.repeated, "a repeated field (a list)")
        elif form == "compare":
            for field, p in refs("field"):
                self._need(name, form, field, p, field.is_numeric, "a numeric field (int64, uint64, uint32 or double)")
            for field, p in refs("other", allow_parent=True):
                self._need(name, form, field, p, field.is_numeric and not field.repeated, "a single numeric field as 'other'")
        elif form == "strictly_increasing":
            for field, p in refs("field"):
                self._need(name, form, field, p, field.is_numeric and field.repeated, "a repeated numeric field")
        elif form == "length_matches":
            for field, p in refs("field"):
                self._need(name, form, field, p, field.repeated, "a repeated field (a list)")
            for field, p in refs("other", allow_parent=True):
                self._need(name, form, field, p, field.repeated, "a repeated field (a list) as 'other'")
        elif form == "sum_equals":
            for field, p in refs("field"):
                self._need(name, form, field, p, field.is_integer and not field.repeated, "a single integer field as 'field'")
            for field, p in refs("items"):
                self._need(name, form, field, p, field.is_integer and field.repeated, "a repeated integer field as 'items'")
        elif form == "in_bucket":
            for field, p in refs("field"):
                self._need(name, form, field, p, field.is_numeric and not field.repeated, "a single numeric field as 'field'")
            for field, p in refs("counts"):
                self._need(name, form, field, p, field.is_integer and field.repeated, "a repeated integer field as 'counts'")
            for field, p in refs("bounds"):
                self._need(name, form, field, p, field.is_numeric and field.repeated, "a repeated numeric field as 'bounds'")
        elif form == "keys_disjoint":
            for field, p in refs("field"):
                self._need(name, form, field, p, field.kind == "map" and not field.repeated, "a map field")
            for field, p in refs("other", allow_parent=True):
                self._need(name, form, field, p, field.kind == "map" and not field.repeated, "a map field as 'other'")

    def _check_condition(self, name: str, on: str, cond: Any, path: tuple) -> None:  # noqa: C901
        if not isinstance(cond, dict):
            return
        if "not" in cond:
            self._check_condition(name, on, cond["not"], path + ("not",))
        if isinstance(cond.get("all"), list):
            for i, child in enumerate(cond["all"]):
                self._check_condition(name, on, child, path + ("all", i))
        if not isinstance(cond.get("field"), str):
            return
        field = self._resolve(name, on, cond["field"], path + ("field",), allow_parent=True)
        if field is None or field.kind == "unknown":
            return
        ref = cond["field"]
        what = f"field '{field.name}' of type '{field.owner}'"
        if field.repeated:
            self.add("wrong-field-type", path + ("field",), f"{name} has a condition on '{ref}', but {what} is {field.text()}; conditions test single values")
            return
        if "in" in cond:
            if field.kind != "enum":
                self.add("wrong-field-type", path + ("in",), f"{name} tests '{ref}' with 'in', which needs an enum field, but {what} is {field.text()}; use eq")
            elif isinstance(cond["in"], list):
                values = self._enum_values(field.type)
                for i, value in enumerate(cond["in"]):
                    if isinstance(value, str) and value not in values:
                        self.add(
                            "unknown-enum-value", path + ("in", i),
                            f"{name} tests '{ref}' for '{value}', which enum {field.type} does not have "
                            f"(values: {_names(values)}){_did_you_mean(value, values)}",
                        )
        if "eq" in cond:
            self._check_eq(name, ref, what, field, cond["eq"], path + ("eq",))
        if "lt" in cond and not field.is_numeric:
            self.add("wrong-field-type", path + ("lt",), f"{name} tests '{ref}' with 'lt', which needs a numeric field, but {what} is {field.text()}")
        if "has_bit" in cond:
            bit = cond["has_bit"]
            if not field.is_integer:
                self.add("wrong-field-type", path + ("has_bit",), f"{name} tests a bit of '{ref}', which needs an integer field, but {what} is {field.text()}")
            elif _is_int(bit) and bit >= INTEGER_BITS[field.type]:
                self.add("bad-value", path + ("has_bit",), f"{name} tests bit {bit} of '{ref}', but {_article(field.type)} {field.type} has bits 0 to {INTEGER_BITS[field.type] - 1}")

    def _check_eq(self, name: str, ref: str, what: str, field: _Field, value: Any, path: tuple) -> None:
        if field.kind == "enum":
            values = self._enum_values(field.type)
            if not isinstance(value, str) or value not in values:
                self.add(
                    "unknown-enum-value", path,
                    f"{name} compares '{ref}' with {_value_text(value)}, which enum {field.type} does not have "
                    f"(values: {_names(values)}){_did_you_mean(value, values)}",
                )
            return
        if field.kind != "primitive":
            self.add("wrong-field-type", path, f"{name} compares '{ref}' with eq, but {what} is {field.text()}; eq compares single values")
            return
        t = field.type
        ok = {
            "string": isinstance(value, str),
            "bool": isinstance(value, bool),
            "double": _is_number(value),
        }.get(t)
        if ok is None:  # integers
            lo, hi = INTEGER_TYPES[t]
            ok = _is_int(value) and lo <= value <= hi
        if not ok:
            self.add("bad-value", path, f"{name} compares '{ref}' ({field.text()}) with {_value_kind(value)}, which {_article(t)} {t} can never equal")

    # payload kinds ----------------------------------------------------------------------
    def check_payload_kinds(self) -> None:
        for kind, spec in self._items(self._section("payload_kinds")):
            if not isinstance(spec, dict):
                continue
            path = ("payload_kinds", kind)
            signal = spec.get("signal_type")
            if isinstance(signal, str) and self.signal_types is not None and signal not in self.signal_types:
                self.add(
                    "unknown-signal-type", path + ("signal_type",),
                    f"payload kind '{kind}' has signal type '{signal}', which is not defined "
                    f"(signal types: {_names(self.signal_types)}){_did_you_mean(signal, self.signal_types)}",
                )
            t = spec.get("type")
            if isinstance(t, str) and self.types is not None and t not in self.types:
                what = {"enum": "an enum", "map": "a map", "primitive": "a primitive"}.get(self._kind_of(t), "not defined")
                self.add(
                    "unknown-type", path + ("type",),
                    f"payload kind '{kind}' has type '{t}', which is {what}; it must name a type in 'types'"
                    f"{_did_you_mean(t, self.types)}",
                )
            message = spec.get("message")
            if isinstance(message, str) and isinstance(self.pb_messages, dict) and message not in self.pb_messages:
                self.add(
                    "unknown-message", path + ("message",),
                    f"payload kind '{kind}' carries protobuf message '{message}', which is not in protobuf.messages"
                    f" ({_names(self.pb_messages)}){_did_you_mean(message, self.pb_messages)}",
                )
            encoding = spec.get("encoding")
            if encoding == "base64_protobuf" and "message" not in spec:
                self.add("missing-key", path, f"payload kind '{kind}' is base64_protobuf, so it needs 'message' (the protobuf message it carries)")
            if encoding == "json" and "message" in spec:
                self.add("bad-value", path + ("message",), f"payload kind '{kind}' is json, so it has no protobuf 'message'; 'message' is for base64_protobuf")
            if encoding == "base64_protobuf" and "type" in spec:
                self.add("bad-value", path + ("type",), f"payload kind '{kind}' is base64_protobuf, so it has no JSON 'type'; 'type' is for json payload kinds")

    # envelope ----------------------------------------------------------------------------
    def check_envelope(self) -> None:
        envelope = self._section("envelope")
        if envelope is None:
            return
        types = envelope.get("types") if isinstance(envelope.get("types"), dict) else {}
        allowed = list(PRIMITIVES) + list(ENVELOPE_EXTRA_TYPES) + list(types)
        for type_name, spec in self._items(types):
            if not isinstance(spec, dict):
                continue
            for field_name, field in self._items(spec.get("fields")):
                if not isinstance(field, dict):
                    continue
                path = ("envelope", "types", type_name, "fields", field_name)
                t = field.get("type")
                if isinstance(t, str) and t not in allowed:
                    self.add(
                        "unknown-type", path + ("type",),
                        f"field '{field_name}' of envelope type '{type_name}' has type '{t}', which is not a primitive, "
                        f"json, StringMap or an envelope type ({_names(types)}){_did_you_mean(t, allowed)}",
                    )
                    continue
                self._check_envelope_omit(type_name, field_name, field, types, path)
            flatten = spec.get("flatten_into")
            if isinstance(flatten, str) and "." in flatten:
                target, _, target_field = flatten.partition(".")
                path = ("envelope", "types", type_name, "flatten_into")
                if target not in types:
                    self.add("unknown-type", path, f"envelope type '{type_name}' flattens into '{flatten}', but '{target}' is not an envelope type{_did_you_mean(target, types)}")
                else:
                    fields = types[target].get("fields") if isinstance(types[target], dict) else None
                    fields = fields if isinstance(fields, dict) else {}
                    if target_field not in fields:
                        self.add("unknown-field", path, f"envelope type '{type_name}' flattens into '{flatten}', but envelope type '{target}' has no field '{target_field}' (fields: {_names(fields)})")
                    elif isinstance(fields[target_field], dict) and fields[target_field].get("type") != "StringMap":
                        self.add("wrong-field-type", path, f"envelope type '{type_name}' flattens into '{flatten}', which must be a StringMap field, not {fields[target_field].get('type')}")
        ids: dict[str, int] = {}
        for index, item in enumerate(envelope.get("divergences") or [] if isinstance(envelope.get("divergences"), list) else []):
            if isinstance(item, dict) and isinstance(item.get("id"), str):
                if item["id"] in ids:
                    self.add("duplicate-id", ("envelope", "divergences", index, "id"), f"divergence id '{item['id']}' is used twice (first as divergences[{ids[item['id']]}])")
                else:
                    ids[item["id"]] = index
            if isinstance(item, dict) and item.get("canonical") == "ours" and item.get("status") == "gap":
                # Our behaviour is the decision, so it cannot fall short of it.
                self.add(
                    "bad-value", ("envelope", "divergences", index, "status"),
                    f"divergence '{item.get('id')}' makes our behaviour canonical ('ours'), so its status is "
                    "'conforms', not 'gap'",
                )

    def _check_envelope_omit(self, type_name: str, field_name: str, field: dict, types: dict, path: tuple) -> None:
        omit = field.get("omit")
        t = field.get("type")
        repeated = field.get("repeated") is True
        if omit == "zero":
            ok, what = (t in NUMERIC_TYPES and not repeated), "a single number field"
        elif omit == "empty":
            ok, what = (t in ("string", "StringMap") or repeated), "a string, a StringMap or a repeated field"
        elif omit == "unset":
            ok, what = ((t in types or t == "json") and not repeated), "a single object field (an envelope type or json)"
        else:
            return
        if not ok:
            self.add(
                "bad-omit", path + ("omit",),
                f"field '{field_name}' of envelope type '{type_name}' has omit '{omit}', which applies to {what}, "
                f"not to {'a list of ' + str(t) if repeated else _article(t) + ' ' + str(t)}",
            )

    # host ABI --------------------------------------------------------------------------
    def check_host_abi(self) -> None:
        abi = self._section("host_abi")
        if abi is None:
            return
        if "max_payload_limit" in abi:
            self._check_limit(abi["max_payload_limit"], ("host_abi", "max_payload_limit"), "host_abi.max_payload_limit")
        for function, spec in self._items(abi.get("functions")):
            params = spec.get("params") if isinstance(spec, dict) else None
            if not isinstance(params, list):
                continue
            seen: set[str] = set()
            for i, param in enumerate(params):
                pname = param.get("name") if isinstance(param, dict) else None
                if isinstance(pname, str):
                    if pname in seen:
                        self.add("duplicate-name", ("host_abi", "functions", function, "params", i, "name"), f"host function '{function}' has two parameters named '{pname}'")
                    seen.add(pname)
        self._unique_numbers(abi.get("return_codes"), ("host_abi", "return_codes"), "the host return codes", "value")
        self._unique_numbers(abi.get("log_levels"), ("host_abi", "log_levels"), "the host log levels")

    # protobuf ----------------------------------------------------------------------------
    def check_protobuf(self) -> None:
        messages = self.pb_messages if isinstance(self.pb_messages, dict) else {}
        enums = self.pb_enums if isinstance(self.pb_enums, dict) else {}
        for name in messages:
            if name in enums:
                self.add("duplicate-name", ("protobuf", "enums", name), f"'{name}' is both a protobuf message and a protobuf enum")
        allowed = list(PROTOBUF_SCALARS) + list(messages) + list(enums)
        for message, spec in messages.items():
            fields = spec.get("fields") if isinstance(spec, dict) else None
            numbers: dict[int, str] = {}
            for field_name, field in self._items(fields):
                if not isinstance(field, dict):
                    continue
                path = ("protobuf", "messages", message, "fields", field_name)
                where = f"field '{field_name}' of protobuf message '{message}'"
                number = field.get("number")
                if _is_int(number):
                    if number in numbers:
                        self.add("duplicate-number", path + ("number",), f"{where} has number {number}, which field '{numbers[number]}' already has")
                    else:
                        numbers[number] = field_name
                    if 19000 <= number <= 19999:
                        self.add("bad-value", path + ("number",), f"{where} has number {number}; 19000-19999 are reserved by protobuf")
                t = field.get("type")
                if isinstance(t, str) and t not in allowed:
                    self.add(
                        "unknown-type", path + ("type",),
                        f"{where} has type '{t}', which is not a protobuf scalar ({_names(PROTOBUF_SCALARS)}), "
                        f"a message or an enum of this contract{_did_you_mean(t, allowed)}",
                    )
                    continue
                if "default" in field:
                    self._check_pb_default(where, field, enums, path + ("default",))
                if "when_zero" in field and (t not in ("uint64", "int64") or field.get("repeated") is True):
                    self.add("bad-value", path + ("when_zero",),
                             f"{where} is {_article(t)} {'repeated ' if field.get('repeated') is True else ''}{t}; "
                             "when_zero: now_unix_nano needs a single uint64 or int64 field (a time in ns)")
        for name, values in enums.items():
            if not isinstance(values, dict) or not values:
                continue
            first_key, first = next(iter(values.items()))
            if _is_int(first) and first != 0:
                self.add("bad-value", ("protobuf", "enums", name, first_key), f"the first value of protobuf enum '{name}' ('{first_key}') must be 0 in proto3, not {first}")
            self._unique_numbers(values, ("protobuf", "enums", name), f"protobuf enum '{name}'")

    def _check_pb_default(self, where: str, field: dict, enums: dict, path: tuple) -> None:
        t = field.get("type")
        value = field["default"]
        if field.get("repeated") is True or (t not in PROTOBUF_SCALARS and t not in enums):
            self.add("bad-default", path, f"{where} cannot have a default: only single scalar or enum fields can")
            return
        if t in enums:
            ok, what = isinstance(value, str) and value in (enums[t] or {}), f"a value of enum {t}"
        elif t == "string":
            ok, what = isinstance(value, str), "a string"
        elif t == "bool":
            ok, what = isinstance(value, bool), "true or false"
        elif t == "double":
            ok, what = _is_number(value), "a number"
        else:
            lo, hi = PROTOBUF_INTEGER_RANGES[t]
            ok, what = _is_int(value) and lo <= value <= hi, f"an integer from {lo} to {hi}"
        if not ok:
            self.add("bad-default", path, f"{where} is {_article(t)} {t}, so its default must be {what}, not {_value_kind(value)}")
