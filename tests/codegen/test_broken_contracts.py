"""The contract checker against the real contract and against broken copies.

Each folder in broken/ holds a case.yaml:

    description: what is wrong
    replace:                      # edits applied to copies of contract/*.yaml
      - {file: otel_metric.yaml, old: "exact text", new: "replacement"}
    create:                       # optional: extra files to add
      - {file: zz_extra.yaml, content: "..."}
    expected:                     # every diagnostic, as code + location
      - {code: unknown-key, file: otel_metric.yaml, at: "reqired: true", mentions: reqired}

`old` must occur exactly once in the current contract file, so a case fails
loudly (instead of testing nothing) when the contract changes under it. The
location is `at`, a text that occurs once in the edited file (the diagnostic
is expected on the line where it starts), so edits elsewhere in the contract
do not move it; `line` (a number in the edited file) is for files a case
creates. `mentions` (optional) is a word the
diagnostic's message must contain: the offending name, never the wording.
"""

from __future__ import annotations

import pathlib
import re
import shutil
import sys

import pytest
import yaml

ROOT = pathlib.Path(__file__).resolve().parents[2]
CONTRACT_DIR = ROOT / "contract"
CASES_DIR = pathlib.Path(__file__).resolve().parent / "broken"

if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from codegen.check import ContractError, Diagnostic, check_contract, contract_diagnostics  # noqa: E402
from codegen.loader import load_contract, load_yaml_with_lines  # noqa: E402

CASE_NAMES = sorted(p.name for p in CASES_DIR.iterdir() if (p / "case.yaml").is_file())


def diagnose(contract_dir: pathlib.Path) -> list[Diagnostic]:
    """Everything wrong with a contract folder, through the public API."""
    try:
        contract = load_contract(contract_dir)
    except ContractError as error:
        assert error.diagnostics, "ContractError without diagnostics"
        return error.diagnostics
    try:
        check_contract(contract)
    except ContractError as error:
        assert error.diagnostics, "ContractError without diagnostics"
        # the reference checks must not crash on a broken contract either
        assert contract_diagnostics(contract, strict=True) == error.diagnostics
        return error.diagnostics
    return []


def load_case(name: str) -> dict:
    case = yaml.safe_load((CASES_DIR / name / "case.yaml").read_text(encoding="utf-8"))
    assert isinstance(case, dict) and case.get("description"), f"{name}/case.yaml needs a description"
    unknown = set(case) - {"description", "replace", "create", "expected"}
    assert not unknown, f"{name}/case.yaml has unknown keys {sorted(unknown)}"
    assert case.get("expected"), f"{name}/case.yaml lists no expected diagnostics"
    return case


def build_case(name: str, target: pathlib.Path) -> dict:
    """Copy the real contract into target and apply the case's edits."""
    case = load_case(name)
    for path in sorted(CONTRACT_DIR.glob("*.yaml")):
        shutil.copyfile(path, target / path.name)
    for edit in case.get("replace") or []:
        file = target / edit["file"]
        assert file.is_file(), f"case {name}: contract/{edit['file']} does not exist"
        text = file.read_text(encoding="utf-8")
        count = text.count(edit["old"])
        assert count == 1, (
            f"case {name}: the text to replace occurs {count} times in contract/{edit['file']} "
            f"(expected exactly once); the contract changed, update tests/codegen/broken/{name}/case.yaml:\n"
            f"{edit['old']}"
        )
        file.write_text(text.replace(edit["old"], edit["new"]), encoding="utf-8")
    for extra in case.get("create") or []:
        (target / extra["file"]).write_text(extra["content"], encoding="utf-8")
    for entry in case["expected"]:
        if "at" in entry:
            text = (target / entry["file"]).read_text(encoding="utf-8")
            count = text.count(entry["at"])
            assert count == 1, f"case {name}: 'at' text occurs {count} times in the edited {entry['file']}: {entry['at']!r}"
            entry["line"] = text[: text.index(entry["at"])].count("\n") + 1
    return case


@pytest.fixture(scope="module")
def baseline() -> set[tuple]:
    """Problems of the unmodified contract (should be none, see test_real_contract_is_clean).

    Subtracted from each case so that one mistake in the real contract makes
    one test fail, not every case."""
    return {(d.code, d.file, d.path, d.message) for d in diagnose(CONTRACT_DIR)}


def case_diagnostics(name: str, tmp_path: pathlib.Path, baseline: set[tuple]) -> tuple[dict, list[Diagnostic]]:
    case = build_case(name, tmp_path)
    found = [d for d in diagnose(tmp_path) if (d.code, d.file, d.path, d.message) not in baseline]
    return case, found


def test_real_contract_is_clean() -> None:
    diagnostics = diagnose(CONTRACT_DIR)
    assert diagnostics == [], "the real contract has problems:\n" + "\n".join(str(d) for d in diagnostics)


def test_enough_cases() -> None:
    assert len(CASE_NAMES) >= 12


@pytest.mark.parametrize("name", CASE_NAMES)
def test_broken_contract(name: str, tmp_path: pathlib.Path, baseline: set[tuple]) -> None:
    case, found = case_diagnostics(name, tmp_path, baseline)
    expected = {(e["code"], e["file"], e["line"]) for e in case["expected"]}
    got = {(d.code, d.file, d.line) for d in found}
    assert got == expected, (
        f"case {name}: {case['description']}\n"
        f"missing: {sorted(expected - got)}\nunexpected: {sorted(got - expected)}\n"
        "all diagnostics:\n" + "\n".join(str(d) for d in found)
    )
    # sorted by file and line
    assert found == sorted(found, key=lambda d: (d.file, d.line, d.code, d.path, d.message))
    for entry in case["expected"]:
        if "mentions" not in entry:
            continue
        messages = [d.message for d in found if (d.code, d.file, d.line) == (entry["code"], entry["file"], entry["line"])]
        assert any(str(entry["mentions"]) in m for m in messages), (
            f"case {name}: no {entry['code']} message at {entry['file']}:{entry['line']} mentions "
            f"{entry['mentions']!r}:\n" + "\n".join(messages)
        )


def test_messages_are_sentences(tmp_path: pathlib.Path, baseline: set[tuple]) -> None:
    """Print every case's diagnostics; each names the offending thing in plain words."""
    for name in CASE_NAMES:
        target = tmp_path / name
        target.mkdir()
        case, found = case_diagnostics(name, target, baseline)
        print(f"\n== {name}: {case['description']}")
        mentions = [str(e["mentions"]) for e in case["expected"] if "mentions" in e]
        for d in found:
            print(f"   {d}")
            assert isinstance(d.message, str) and len(d.message) >= 20, f"{name}: message too short: {d}"
            assert " " in d.message and not d.message.endswith((" ", ",", ";", ":")), f"{name}: {d}"
            assert not re.search(r"\{[a-z_]+\}", d.message), f"{name}: unfilled placeholder in {d}"
            assert "jsonschema" not in d.message and "$defs" not in d.message, f"{name}: schema jargon in {d}"
            assert str(d) == f"{d.file}:{d.line}: {d.code}: {d.message}"
            assert d.line >= 1 and d.file.endswith(".yaml"), f"{name}: no usable location in {d}"
        for word in mentions:
            assert any(word in d.message for d in found), f"{name}: no message mentions {word!r}"


def test_error_lists_every_diagnostic(tmp_path: pathlib.Path) -> None:
    """Two independent mistakes give two diagnostics, one per line of str(error)."""
    for path in CONTRACT_DIR.glob("*.yaml"):
        shutil.copyfile(path, tmp_path / path.name)
    om = tmp_path / "otel_metric.yaml"
    text = om.read_text(encoding="utf-8")
    for old, new in [("limit: metric_name_max_chars}", "limit: nope_one}"), ("charset: instrument_name}", "charset: nope_two}")]:
        assert text.count(old) == 1
        text = text.replace(old, new)
    om.write_text(text, encoding="utf-8")
    contract = load_contract(tmp_path)
    with pytest.raises(ContractError) as raised:
        check_contract(contract)
    lines = str(raised.value).splitlines()
    new = [line for line in lines if "nope_" in line]
    assert len(new) == 2, lines
    # sorted by line: metric.name.syntax (charset) comes before metric.name.max_length (limit)
    assert "unknown-charset" in new[0] and "unknown-limit" in new[1], lines


def test_contract_api() -> None:
    contract = load_contract(CONTRACT_DIR)
    data = contract.data
    assert type(data) is dict and "types" in data and "rules" in data
    rules = data["rules"]
    assert all("applies_to" in r or "on" in r for r in rules)  # keys stay strings (YAML 1.1 'on' is not True)
    assert True not in rules[0]
    file, line = contract.locate(("types", "Point", "fields", "flags"))
    assert file == "otel_metric.yaml"
    source = (CONTRACT_DIR / file).read_text(encoding="utf-8").splitlines()
    assert source[line - 1].strip().startswith("flags:")
    # falls back to the nearest located ancestor
    assert contract.locate(("types", "Point", "fields", "flags", "no", "such")) == (file, line)
    file, line = contract.locate(("rules", 3))
    assert source[line - 1].lstrip().startswith("- ")


def test_load_yaml_with_lines(tmp_path: pathlib.Path) -> None:
    path = tmp_path / "one.yaml"
    path.write_text("cases:\n  - id: a\n    on: 1\n  - id: b\n    when: 2024-01-01\n", encoding="utf-8")
    data, locator = load_yaml_with_lines(path)
    assert data == {"cases": [{"id": "a", "on": 1}, {"id": "b", "when": "2024-01-01"}]}
    name = f"{tmp_path.name}/one.yaml"  # default name: folder and file
    assert locator.locate(("cases", 1)) == (name, 4)
    assert locator.locate(("cases", 0, "on")) == (name, 3)
    vectors = sorted((CONTRACT_DIR / "vectors").glob("*.yaml"))
    for vector_file in vectors:
        data, locator = load_yaml_with_lines(vector_file)
        assert isinstance(data, dict)
        assert locator.locate(("cases", 0))[0] == f"vectors/{vector_file.name}"
    path.write_text("a: 1\nb: [1, 2\n", encoding="utf-8")
    with pytest.raises(ContractError) as raised:
        load_yaml_with_lines(path, name="vectors/one.yaml")
    (diag,) = raised.value.diagnostics
    assert diag.code == "yaml-syntax" and diag.file == "vectors/one.yaml" and diag.line == 3
    path.write_text("a: 1\nb: 2\na: 3\n", encoding="utf-8")
    with pytest.raises(ContractError) as raised:
        load_yaml_with_lines(path)
    assert [(d.code, d.line) for d in raised.value.diagnostics] == [("duplicate-key", 3)]
    path.write_text("# only a comment\n", encoding="utf-8")
    assert load_yaml_with_lines(path)[0] is None
