"""Load the YAML contract with a file and line for every key and list item.

The contract is every ``*.yaml`` file directly in the contract folder (the
``vectors/`` subfolder is not part of it), merged into one plain dict; each
top-level key may appear in one file only.

PyYAML's compose API gives nodes with positions; we convert them ourselves so
that we can

* remember where every mapping key and sequence item is (``Locator``),
* reject duplicate keys in one mapping (``yaml.safe_load`` silently keeps the
  last one),
* keep mapping keys as the strings written in the file: YAML 1.1 would turn
  the key ``on:`` (used by every rule) into the boolean ``True``.

Scalar *values* follow ``yaml.safe_load``: ints, floats, bools, null and
strings. Timestamps stay strings, so the result holds only dicts, lists, str,
int, float, bool and None. Dicts keep the order of the file.
"""

from __future__ import annotations

import dataclasses
import pathlib
from typing import Any, Iterable, Sequence

import yaml

__all__ = [
    "Contract",
    "ContractError",
    "Diagnostic",
    "Locator",
    "format_path",
    "load_contract",
    "load_yaml_with_lines",
]


ROOT_FILE = "(contract)"  # file name used for diagnostics about the whole contract


# --------------------------------------------------------------------------
# diagnostics


@dataclasses.dataclass(frozen=True)
class Diagnostic:
    """One problem in the contract: where it is and what is wrong."""

    code: str  # stable machine-readable kind, e.g. "unknown-key"
    file: str  # file name relative to the contract folder
    line: int  # 1-based line (0 when no line applies)
    path: str  # dotted path into the data, e.g. "rules[12].check"
    message: str  # a sentence for a maintainer

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.code}: {self.message}"

    def sort_key(self) -> tuple:
        return (self.file, self.line, self.code, self.path, self.message)


def sort_diagnostics(diagnostics: Iterable[Diagnostic]) -> list[Diagnostic]:
    """Sorted by file and line, duplicates removed."""
    return sorted(set(diagnostics), key=Diagnostic.sort_key)


class ContractError(Exception):
    """The contract is broken; ``diagnostics`` lists every problem found."""

    def __init__(self, diagnostics: Iterable[Diagnostic]):
        self.diagnostics: list[Diagnostic] = sort_diagnostics(diagnostics)
        super().__init__(self.__str__())

    def __str__(self) -> str:
        return "\n".join(str(d) for d in self.diagnostics)


def format_path(path: Sequence) -> str:
    """("rules", 12, "check") -> "rules[12].check"; () -> ""."""
    out = ""
    for part in path:
        if isinstance(part, int) and not isinstance(part, bool):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + str(part)
    return out


# --------------------------------------------------------------------------
# locations


class Locator:
    """Maps a path into the data to the file and line where it is written.

    A mapping entry is located at its key; a list item at its first
    character. A path that was never recorded falls back to its nearest
    recorded ancestor.
    """

    def __init__(self, root_file: str = ROOT_FILE, root_line: int = 0):
        self._where: dict[tuple, tuple[str, int]] = {}
        self._value_where: dict[tuple, tuple[str, int]] = {}
        self.root = (root_file, root_line)

    def record(self, path: tuple, file: str, line: int, value_line: int | None = None) -> None:
        self._where[path] = (file, line)
        self._value_where[path] = (file, value_line if value_line is not None else line)

    def update(self, other: "Locator") -> None:
        self._where.update(other._where)
        self._value_where.update(other._value_where)

    def __contains__(self, path: tuple) -> bool:
        return tuple(path) in self._where

    def locate(self, path: Sequence) -> tuple[str, int]:
        """(file, line) of the key or item at ``path``, else of its nearest ancestor."""
        path = tuple(path)
        while path:
            found = self._where.get(path)
            if found is not None:
                return found
            path = path[:-1]
        return self.root

    def locate_value(self, path: Sequence) -> tuple[str, int]:
        """(file, line) where the value at ``path`` starts (for block values, the line after the key)."""
        path = tuple(path)
        while path:
            found = self._value_where.get(path)
            if found is not None:
                return found
            path = path[:-1]
        return self.root

    def paths(self) -> list[tuple]:
        return list(self._where)


# --------------------------------------------------------------------------
# YAML -> plain data

_YAML = "tag:yaml.org,2002:"
_PLAIN_SCALARS = {_YAML + t for t in ("str", "int", "float", "bool", "null")}
_STRING_LIKE = {_YAML + "timestamp", _YAML + "value"}
_MERGE = _YAML + "merge"


class _Converter:
    def __init__(self, loader: yaml.SafeLoader, file: str, locator: Locator):
        self.loader = loader
        self.file = file
        self.locator = locator
        self.diagnostics: list[Diagnostic] = []
        self._active: set[int] = set()  # nodes being converted (recursive aliases)

    def problem(self, code: str, node: yaml.Node, path: tuple, message: str) -> None:
        self.diagnostics.append(
            Diagnostic(code, self.file, node.start_mark.line + 1, format_path(path), message)
        )

    def convert(self, node: yaml.Node, path: tuple) -> Any:
        if id(node) in self._active:
            self.problem("yaml-syntax", node, path, "a YAML alias refers to a node that contains it (recursive alias)")
            return None
        self._active.add(id(node))
        try:
            if isinstance(node, yaml.MappingNode):
                return self._mapping(node, path)
            if isinstance(node, yaml.SequenceNode):
                if node.tag != _YAML + "seq":
                    self._bad_tag(node, path)
                items = []
                for index, item in enumerate(node.value):
                    self.locator.record(path + (index,), self.file, item.start_mark.line + 1)
                    items.append(self.convert(item, path + (index,)))
                return items
            return self._scalar(node, path)
        finally:
            self._active.discard(id(node))

    def _bad_tag(self, node: yaml.Node, path: tuple) -> None:
        self.problem(
            "bad-value", node, path,
            f"the YAML tag {node.tag!r} is not supported in the contract; write plain values",
        )

    def _scalar(self, node: yaml.ScalarNode, path: tuple) -> Any:
        if node.tag in _PLAIN_SCALARS:
            return self.loader.construct_object(node, deep=True)
        if node.tag in _STRING_LIKE:
            return node.value
        self._bad_tag(node, path)
        return node.value

    def _key(self, key_node: yaml.Node, path: tuple) -> str | None:
        if isinstance(key_node, yaml.ScalarNode):
            return key_node.value
        self.problem("bad-type", key_node, path, "a mapping key must be a plain name, not a list or a mapping")
        return None

    def _mapping(self, node: yaml.MappingNode, path: tuple) -> dict:
        if node.tag != _YAML + "map":
            self._bad_tag(node, path)
        result: dict = {}
        merged: dict = {}
        seen: dict[str, int] = {}
        for key_node, value_node in node.value:
            if key_node.tag == _MERGE and isinstance(key_node, yaml.ScalarNode) and key_node.style is None:
                sources = value_node.value if isinstance(value_node, yaml.SequenceNode) else [value_node]
                for source in sources:
                    if not isinstance(source, yaml.MappingNode):
                        self.problem("bad-type", source, path, "a YAML merge key (<<) needs a mapping or a list of mappings")
                        continue
                    value = self.convert(source, path)
                    for k, v in value.items():
                        merged.setdefault(k, v)
                continue
            key = self._key(key_node, path)
            if key is None:
                continue
            line = key_node.start_mark.line + 1
            child = path + (key,)
            if key in seen:
                where = format_path(path) or "the top level"
                self.problem(
                    "duplicate-key", key_node, child,
                    f"key {key!r} appears twice in {where} (first on line {seen[key]}); "
                    "YAML would silently keep only the last one",
                )
                continue
            seen[key] = line
            self.locator.record(child, self.file, line, value_node.start_mark.line + 1)
            result[key] = self.convert(value_node, child)
        if merged:
            for k, v in merged.items():
                if k not in result:
                    result[k] = v
        return result


def _syntax_diagnostic(error: yaml.YAMLError, file: str) -> Diagnostic:
    line = 1
    mark = getattr(error, "problem_mark", None) or getattr(error, "context_mark", None)
    if mark is not None:
        line = mark.line + 1
    if isinstance(error, yaml.MarkedYAMLError):
        parts = [p for p in (error.context, error.problem) if p]
        text = ", ".join(parts) if parts else "invalid YAML"
        if error.context_mark is not None and error.problem_mark is not None and error.context_mark.line != error.problem_mark.line:
            text += f" (the construct started on line {error.context_mark.line + 1})"
    else:
        text = str(error).strip().splitlines()[0] if str(error).strip() else "invalid YAML"
    return Diagnostic("yaml-syntax", file, line, "", f"YAML syntax error: {text}")


def _parse(text: str, file: str, path_prefix: tuple, locator: Locator) -> tuple[Any, list[Diagnostic], bool]:
    """Returns (data, diagnostics, empty)."""
    loader = yaml.SafeLoader(text)
    try:
        try:
            node = loader.get_single_node()
        except yaml.YAMLError as error:
            return None, [_syntax_diagnostic(error, file)], False
        if node is None:
            return None, [], True
        converter = _Converter(loader, file, locator)
        try:
            data = converter.convert(node, path_prefix)
        except yaml.YAMLError as error:  # a scalar that the safe constructor refuses
            return None, converter.diagnostics + [_syntax_diagnostic(error, file)], False
        return data, converter.diagnostics, False
    finally:
        loader.dispose()


def _read(path: pathlib.Path, file: str) -> tuple[str | None, list[Diagnostic]]:
    try:
        return path.read_text(encoding="utf-8"), []
    except UnicodeDecodeError as error:
        return None, [Diagnostic("yaml-syntax", file, 1, "", f"the file is not valid UTF-8 ({error.reason} at byte {error.start})")]
    except OSError as error:
        return None, [Diagnostic("yaml-syntax", file, 0, "", f"cannot read the file: {error.strerror or error}")]


def load_yaml_with_lines(path: pathlib.Path | str, name: str | None = None) -> tuple[Any, Locator]:
    """Load one YAML file as plain data plus a ``Locator`` for it.

    ``name`` is the file name used in locations and diagnostics (default: the
    file's folder and base name, e.g. "vectors/otel_metric.yaml"). An empty file
    (or one with only comments) gives ``None``. Raises ``ContractError`` on a
    syntax error, a duplicate key or an unsupported YAML tag.
    """
    path = pathlib.Path(path)
    file = name if name is not None else "/".join(path.parts[-2:])
    locator = Locator(file, 1)
    text, diagnostics = _read(path, file)
    data = None
    if text is not None:
        data, diagnostics, _empty = _parse(text, file, (), locator)
    if diagnostics:
        raise ContractError(diagnostics)
    return data, locator


# --------------------------------------------------------------------------
# the contract


@dataclasses.dataclass
class Contract:
    """The merged contract: ``data`` plus where each part of it is written."""

    directory: pathlib.Path
    files: list[str]  # the YAML files merged, in load order
    data: dict
    locator: Locator
    top_level_files: dict[str, str]  # top-level key -> file that defines it

    def locate(self, path: Sequence) -> tuple[str, int]:
        """(file, line) of ``path``, e.g. ("types", "Point", "fields", "flags");
        falls back to the nearest located ancestor."""
        return self.locator.locate(path)

    def locate_value(self, path: Sequence) -> tuple[str, int]:
        return self.locator.locate_value(path)


def contract_files(contract_dir: pathlib.Path) -> list[pathlib.Path]:
    """The files that make up the contract: ``*.yaml`` directly in the folder, by name."""
    return sorted(p for p in pathlib.Path(contract_dir).glob("*.yaml") if p.is_file())


def load_contract(contract_dir: pathlib.Path | str) -> Contract:
    """Load and merge every ``*.yaml`` file of the contract folder.

    Raises ``ContractError`` listing every syntax error, duplicate key,
    top-level key defined in two files, empty file or file whose top level is
    not a mapping. The contract language itself is checked by
    ``codegen.check.check_contract``.
    """
    contract_dir = pathlib.Path(contract_dir)
    diagnostics: list[Diagnostic] = []
    locator = Locator()
    data: dict = {}
    owners: dict[str, tuple[str, int]] = {}
    files = contract_files(contract_dir)
    if not files:
        raise ContractError([Diagnostic("missing-file", ROOT_FILE, 0, "", f"no *.yaml files in {contract_dir}")])
    for path in files:
        file = path.name
        text, problems = _read(path, file)
        diagnostics += problems
        if text is None:
            continue
        file_locator = Locator(file, 1)
        content, problems, empty = _parse(text, file, (), file_locator)
        diagnostics += problems
        if empty:
            diagnostics.append(Diagnostic(
                "empty-file", file, 1, "",
                f"{file} holds no YAML data (it is empty or only comments); "
                "every contract file defines at least one top-level key",
            ))
            continue
        if content is None and problems:
            continue
        if not isinstance(content, dict):
            diagnostics.append(Diagnostic(
                "bad-type", file, 1, "",
                f"the top level of {file} must be a mapping of top-level keys (such as 'limits:'), "
                f"not {'a list' if isinstance(content, list) else 'a single value'}",
            ))
            continue
        for key, value in content.items():
            line = file_locator.locate((key,))[1]
            if key in owners:
                first_file, first_line = owners[key]
                diagnostics.append(Diagnostic(
                    "duplicate-key", file, line, format_path((key,)),
                    f"top-level key {key!r} is defined in {file} and already in "
                    f"{first_file} (line {first_line}); each top-level key belongs to one file",
                ))
                continue
            owners[key] = (file, line)
            data[key] = value
        # record locations only for keys this file owns
        for p in file_locator.paths():
            if p and owners.get(p[0], (None,))[0] == file:
                locator._where[p] = file_locator._where[p]
                locator._value_where[p] = file_locator._value_where[p]
    if diagnostics:
        raise ContractError(diagnostics)
    return Contract(
        directory=contract_dir,
        files=[p.name for p in files],
        data=data,
        locator=locator,
        top_level_files={key: owner[0] for key, owner in owners.items()},
    )
