"""UCUM case-sensitive (c/s) unit syntax, with atoms and prefixes read from
the UCUM essence XML (never copied by hand).

Grammar (UCUM specification, section 2 "Syntax rules"):
    main-term   := "/" term | term
    term        := component (("." | "/") component)*
    component   := annotatable annotation? | annotation | factor | "(" term ")"
    annotatable := simple-unit exponent?
    simple-unit := ATOM | PREFIX METRIC-ATOM
    exponent    := ("+" | "-")? digits
    annotation  := "{" printable ASCII except "{" "}" "}"
Square brackets are part of atom symbols, so '.', '/' and digits inside
[...] never split a component.
"""
from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path


class UcumError(Exception):
    """The UCUM essence file cannot be read."""


@dataclass(frozen=True)
class UcumTables:
    atoms: tuple[tuple[str, bool], ...]  # (code, is_metric), sorted by code
    prefixes: tuple[str, ...]  # sorted
    source: str

    @property
    def atom_map(self) -> dict[str, bool]:
        return dict(self.atoms)

    @staticmethod
    def packed(codes: list[str]) -> tuple[str, list[int]]:
        """All codes concatenated (sorted) and the n + 1 offsets into them."""
        offsets, pos = [0], 0
        for c in codes:
            pos += len(c)
            offsets.append(pos)
        return "".join(codes), offsets

    @property
    def atom_chars(self) -> tuple[str, list[int]]:
        return self.packed([c for c, _ in self.atoms])

    @property
    def prefix_chars(self) -> tuple[str, list[int]]:
        return self.packed(list(self.prefixes))

    @property
    def c_layout(self) -> "CLayout":
        """The atoms as the C runtime searches them (runtime/src/sr_ucum.c)."""
        return c_layout([c for c, _ in self.atoms], self.atom_map)

    @property
    def c_prefix_layout(self) -> "CLayout":
        return c_layout(list(self.prefixes), None)

    @property
    def metric_bits(self) -> list[int]:
        out = [0] * ((len(self.atoms) + 7) // 8)
        for i, (_, metric) in enumerate(self.atoms):
            if metric:
                out[i >> 3] |= 1 << (i & 7)
        return out


def c_key(code: str) -> tuple[int, int]:
    """A code of 1..16 bytes as the C search reads it (runtime/src/sr_ucum.c):
    zero-padded to 16 bytes, two little-endian words. Within one length,
    equal keys mean equal codes."""
    b = code.encode("ascii").ljust(16, b"\0")
    return int.from_bytes(b[:8], "little"), int.from_bytes(b[8:], "little")


@dataclass(frozen=True)
class CSet:
    """Codes grouped by length (1..max_len), each group a run of fixed-width
    records sorted by c_key: records of length L have the indices
    [start[L-1], start[L]) and begin at chars[offset[L-1]]."""
    chars: str
    start: list[int]
    offset: list[int]
    codes: list[str]  # in index order (from the set's first index)

    @property
    def max_len(self) -> int:
        return len(self.offset)


@dataclass(frozen=True)
class CLayout:
    """Plain codes, then the codes written "[x]", stored as x (brackets are
    implied by the set); one index space across both, in that order."""
    plain: CSet
    bracketed: CSet
    metric_bits: list[int]


def _c_set(codes: list[str], first: int) -> CSet:
    max_len = max((len(c) for c in codes), default=0)
    if max_len > 16:
        raise UcumError("a UCUM code longer than 16 bytes does not fit the C search key: %r"
                        % max(codes, key=len))
    chars, start, offset, order = [], [first], [], []
    pos = 0
    for n in range(1, max_len + 1):
        group = sorted((c for c in codes if len(c) == n), key=c_key)
        offset.append(pos)
        chars += group
        order += group
        pos += n * len(group)
        start.append(start[-1] + len(group))
    return CSet("".join(chars), start, offset, order)


def c_layout(codes: list[str], metric: dict[str, bool] | None) -> CLayout:
    wrapped = [c for c in codes if len(c) > 2 and c[0] == "[" and c[-1] == "]"]
    plain = _c_set([c for c in codes if c not in set(wrapped)], 0)
    bracketed = _c_set([c[1:-1] for c in wrapped], len(plain.codes))
    bits = [0] * ((len(codes) + 7) // 8)
    if metric is not None:
        for i, c in enumerate(plain.codes + ["[%s]" % c for c in bracketed.codes]):
            if metric[c]:
                bits[i >> 3] |= 1 << (i & 7)
    return CLayout(plain, bracketed, bits if metric is not None else [])


def load(path: Path, extra_atoms: list[str]) -> UcumTables:
    root = ET.parse(path).getroot()
    atoms: dict[str, bool] = {}
    prefixes: set[str] = set()
    for el in root:
        tag = el.tag.rsplit("}", 1)[-1]
        code = el.get("Code")
        if not code:
            continue
        if tag == "prefix":
            prefixes.add(code)
        elif tag == "base-unit":
            atoms[code] = True  # base units are metric
        elif tag == "unit":
            atoms[code] = el.get("isMetric") == "yes"
    for a in extra_atoms:
        atoms.setdefault(a, False)
    version = root.get("version", "?")
    return UcumTables(tuple(sorted(atoms.items())), tuple(sorted(prefixes)),
                      "ucum-essence.xml version %s (%s)" % (version, root.get("revision-date", "?")))


def is_valid(unit: str, t: UcumTables) -> bool:
    """True when `unit` is a syntactically valid UCUM c/s expression."""
    if unit == "" or not all(0x21 <= ord(c) <= 0x7E for c in unit):
        return False
    p = _Parser(unit, t.atom_map, set(t.prefixes))
    if unit[0] == "/":
        p.i = 1
    depth = 0  # parentheses only group: a counter is enough
    try:
        while True:
            while p.peek() == "(":
                depth += 1
                p.i += 1
            p.simple_component()
            while p.peek() == ")":
                if depth == 0:
                    return False
                depth -= 1
                p.i += 1
            if p.i == len(unit):
                return depth == 0
            if p.peek() not in (".", "/"):
                return False
            p.i += 1
    except _Fail:
        return False


class _Fail(Exception):
    pass


class _Parser:
    def __init__(self, s: str, atoms: dict[str, bool], prefixes: set[str]):
        self.s, self.i, self.atoms, self.prefixes = s, 0, atoms, prefixes

    def peek(self) -> str:
        return self.s[self.i] if self.i < len(self.s) else ""

    def simple_component(self) -> None:
        """An annotation, or a symbol run with an optional annotation."""
        if self.peek() == "{":
            self.annotation()
            return
        # Scan the symbol run: up to '.', '/', '(', ')', '{', '}' outside brackets.
        start, depth = self.i, 0
        while self.i < len(self.s):
            ch = self.s[self.i]
            if ch == "[":
                depth += 1
            elif ch == "]":
                depth -= 1
                if depth < 0:
                    raise _Fail
            elif depth == 0 and ch in "./(){}":
                break
            self.i += 1
        if depth != 0:
            raise _Fail
        run = self.s[start:self.i]
        if run == "":
            raise _Fail
        unit = self.unit_with_exponent(run)
        if not (unit or run.isdigit()):
            raise _Fail
        if self.peek() == "{":
            if not unit:
                raise _Fail  # a bare factor takes no annotation
            self.annotation()

    def annotation(self) -> None:
        end = self.s.find("}", self.i + 1)
        if end < 0 or "{" in self.s[self.i + 1:end]:
            raise _Fail
        self.i = end + 1

    def unit_with_exponent(self, run: str) -> bool:
        # Try every split run = simple-unit + exponent (exponent may be empty).
        for cut in range(len(run), 0, -1):
            unit, exp = run[:cut], run[cut:]
            if exp and not _is_exponent(exp):
                continue
            if self.simple_unit(unit):
                return True
        return False

    def simple_unit(self, u: str) -> bool:
        if u in self.atoms:
            return True
        for n in range(1, len(u)):
            if u[:n] in self.prefixes and self.atoms.get(u[n:], False):
                return True
        return False


def _is_exponent(e: str) -> bool:
    if e[0] in "+-":
        e = e[1:]
    return e.isdigit()
