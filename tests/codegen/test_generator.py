"""End-to-end tests of the generator (`python3 -m codegen`).

Every test works on copies in pytest's tmp_path: it never writes into the real
generated/, and it snapshots contract/ first, so that a teammate editing the
contract while the tests run cannot make two generations of one test differ.

What is covered:

* the output is deterministic and every file says it is generated, by what,
  and carries no timestamp;
* `--check` finds a changed, an extra and a missing file;
* a limit edited in contract/limits.yaml reaches the constants (C, Go), the
  docs and the vectors with no hand edit, and the regenerated C enforces it;
* golden output for a minimal contract (golden/minimal/), byte for byte;
* the generated C is tidy (no trailing blanks, tabs, overlong lines).
"""

from __future__ import annotations

import contextlib
import difflib
import io
import json
import os
import pathlib
import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET

import pytest
import yaml

ROOT = pathlib.Path(__file__).resolve().parents[2]
CONTRACT_DIR = ROOT / "contract"
TEMPLATES_DIR = ROOT / "templates"
RUNTIME_DIR = ROOT / "runtime"
GOLDEN_DIR = pathlib.Path(__file__).resolve().parent / "golden" / "minimal"

if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from codegen import GENERATOR_VERSION  # noqa: E402
from codegen.__main__ import main as codegen_main  # noqa: E402
from codegen.loader import load_contract  # noqa: E402

VECTORS = "vectors/otel_metric.json"  # the one output not rendered from a template
C_FLAGS = ["-std=c11", "-Wall", "-Wextra", "-Werror", "-pedantic"]


# ---------------------------------------------------------------- helpers

def manifest() -> dict[str, str]:
    """{output path: template} from templates/manifest.yaml."""
    data = yaml.safe_load((TEMPLATES_DIR / "manifest.yaml").read_text(encoding="utf-8"))
    return {item["output"]: item["template"] for item in data["outputs"]}


def run_codegen(*args: str | os.PathLike) -> tuple[int, str, str]:
    """The CLI in-process: (exit code, stdout, stderr)."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        rc = codegen_main([str(a) for a in args])
    return rc, out.getvalue(), err.getvalue()


def generate(contract: pathlib.Path, out: pathlib.Path) -> dict[str, bytes]:
    rc, stdout, stderr = run_codegen("--contract", contract, "--out", out)
    assert rc == 0, f"generation failed ({rc}):\n{stdout}{stderr}"
    return read_tree(out)


def read_tree(root: pathlib.Path) -> dict[str, bytes]:
    """{relative posix path: bytes} of every file under root."""
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def ucum_essence(contract: pathlib.Path) -> str:
    data = yaml.safe_load((contract / "ucum.yaml").read_text(encoding="utf-8"))
    return data["ucum"]["essence"]


def copy_contract(dest: pathlib.Path, src: pathlib.Path = CONTRACT_DIR) -> pathlib.Path:
    """Copy a contract folder (with vectors/) to dest/repo/contract.

    ucum.yaml names the UCUM file relative to the contract folder
    (../../shared/...); a symlink at that relative place in dest points to the
    real file, so the copy is used unchanged."""
    target = dest / "repo" / "contract"
    shutil.copytree(src, target)
    essence = ucum_essence(src)
    real = (src / essence).resolve()
    if not real.is_file():
        pytest.skip(f"the UCUM essence file {real} is missing (shared/ must sit beside the repository)")
    link = pathlib.Path(os.path.normpath(target / essence))
    assert dest in link.parents, f"{essence} leads outside {dest}; give copy_contract a deeper dest"
    link.parent.mkdir(parents=True, exist_ok=True)
    link.symlink_to(real)
    return target


def replace_once(path: pathlib.Path, old: str, new: str) -> None:
    """A text edit that fails loudly when the contract changed under the test."""
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, f"{old!r} occurs {text.count(old)} times in {path.name}, expected once"
    path.write_text(text.replace(old, new), encoding="utf-8")


def changed_lines(old: bytes, new: bytes) -> list[tuple[str, str]]:
    """(old line, new line) pairs of a diff that only changed lines in place."""
    a, b = old.decode().splitlines(), new.decode().splitlines()
    assert len(a) == len(b), "lines were added or removed:\n" + "".join(
        difflib.unified_diff([x + "\n" for x in a], [x + "\n" for x in b], n=0))
    return [(x, y) for x, y in zip(a, b) if x != y]


def vector_cases(tree: dict[str, bytes]) -> dict[str, dict]:
    cases = json.loads(tree[VECTORS])["cases"]
    return {c["id"]: c for c in cases}


def at_path(doc, path: str):
    """doc at a vector path such as points[0].exemplars[0].filtered_attributes."""
    for part in path.split("."):
        name, _, index = part.partition("[")
        doc = doc[name]
        if index:
            doc = doc[int(index.rstrip("]"))]
    return doc


def map_occurrences(contract: pathlib.Path) -> list[str]:
    """Vector paths (first element of each array) of every map-typed field,
    found by walking the contract's types from the root."""
    data = load_contract(contract).data
    types, maps = data["types"], data.get("maps", {})
    root = next(name for name, t in types.items() if t.get("root"))
    out: list[str] = []

    def walk(type_name: str, prefix: str) -> None:
        for name, field in types[type_name]["fields"].items():
            path = prefix + name
            if field["type"] in maps:
                out.append(path)
            elif field["type"] in types:
                walk(field["type"], path + ("[0]" if field.get("repeated") else "") + ".")
    walk(root, "")
    return out


def doc_row(docs: bytes, first_cell: str) -> list[str]:
    """Cells of the docs table row whose first cell is `first_cell`."""
    rows = [line for line in docs.decode().splitlines() if line.startswith(f"| {first_cell} |")]
    assert len(rows) == 1, f"expected one docs row for {first_cell}, found {rows}"
    return [cell.strip() for cell in rows[0].strip("|").split(" | ")]


# --------------------------------------------------------------- fixtures

@pytest.fixture(scope="module")
def real(tmp_path_factory) -> tuple[pathlib.Path, pathlib.Path, dict[str, bytes]]:
    """One generation from a snapshot of contract/: (contract copy, out dir, tree).
    Read-only for the tests that use it; tests that edit make their own copies."""
    base = tmp_path_factory.mktemp("real")
    contract = copy_contract(base)
    out = base / "out"
    return contract, out, generate(contract, out)


# ------------------------------------------------- 1. determinism, notices

def test_generation_is_deterministic(tmp_path: pathlib.Path) -> None:
    """Two runs of the CLI give byte-identical trees, so generated/ only changes
    when the contract or a template does. Separate processes with different
    hash seeds catch output that depends on set or dict-of-set order."""
    contract = copy_contract(tmp_path)
    trees = []
    for seed in ("0", "4242"):
        out = tmp_path / f"out{seed}"
        env = dict(os.environ, PYTHONHASHSEED=seed)
        proc = subprocess.run([sys.executable, "-m", "codegen", "--contract", str(contract), "--out", str(out)],
                              cwd=ROOT, env=env, capture_output=True, text=True)
        assert proc.returncode == 0, proc.stdout + proc.stderr
        trees.append(read_tree(out))
    first, second = trees
    assert set(first) == set(second)
    assert [rel for rel in first if first[rel] != second[rel]] == []
    assert set(first) == set(manifest()) | {VECTORS}, "the tree is not what templates/manifest.yaml lists"


def test_every_file_has_a_generated_notice(real) -> None:
    """A reader opening any generated file learns on line 1 that it must not be
    edited, which template made it and which generator version."""
    _, _, tree = real
    templates = manifest()
    # How line 1 is a comment, per file type (a type not listed here is only
    # checked for the notice's words).
    comment = {".h": ("/* ", " */"), ".c": ("/* ", " */"), ".md": ("<!-- ", " -->"),
               ".go": ("// ", ""), ".mod": ("// ", "")}
    for rel, data in tree.items():
        text = data.decode("utf-8")
        if rel.endswith(".json"):
            # JSON has no comments; the notice is the "$comment" member. The
            # vectors are not rendered from a template, so instead of
            # templates/... the notice names the code that computed them.
            notice = json.loads(text)["$comment"]
            assert "codegen/reference.py" in notice, f"{rel}: {notice}"
        else:
            notice = text.split("\n", 1)[0]
            start, end = comment.get(pathlib.PurePosixPath(rel).suffix, ("", ""))
            assert notice.startswith(start) and notice.endswith(end), f"{rel}: line 1 is not one comment: {notice}"
            assert f"templates/{templates[rel]}" in notice, f"{rel}: line 1 does not name templates/{templates[rel]}"
        assert "GENERATED" in notice and "DO NOT EDIT" in notice, f"{rel}: {notice}"
        assert f"codegen {GENERATOR_VERSION}" in notice, f"{rel}: no generator version in {notice}"


DATE = re.compile(r"(?<!\d)(?:19|20)\d\d[-/.](?:0[1-9]|1[0-2])[-/.](?:0[1-9]|[12]\d|3[01])(?!\d)")
TIME = re.compile(r"(?<!\d)\d\d:\d\d:\d\d(?!\d)")


def test_no_timestamps(real) -> None:
    """Output must not depend on when it was generated (or --check would fail
    forever). The only date allowed is the revision date of the UCUM data file,
    which identifies the data version the tables were built from and changes only
    when that file does; it is read from the file itself, and exactly that string
    is exempt."""
    contract, _, tree = real
    root = ET.parse((contract / ucum_essence(contract)).resolve()).getroot()
    data_version = "ucum-essence.xml version %s (%s)" % (root.get("version"), root.get("revision-date"))
    assert DATE.search(data_version), f"expected the UCUM data version to hold its revision date: {data_version}"
    assert data_version in tree["docs/contract.md"].decode(), "the docs no longer name the UCUM data version"
    for rel, data in tree.items():
        text = data.decode("utf-8").replace(data_version, "")
        for pattern in (DATE, TIME):
            found = pattern.search(text)
            assert found is None, f"{rel}: timestamp-like {found.group()!r} in ...{text[found.start() - 60:found.end() + 20]!r}"


# ------------------------------------------------------------ 2. drift check

def test_check_reports_drift(tmp_path: pathlib.Path) -> None:
    """`--check` (run by CI) exits 0 on fresh output and 1, naming the file, on a
    changed byte, an extra file and a missing file; it never modifies the tree,
    and a normal run repairs it."""
    contract = copy_contract(tmp_path)
    out = tmp_path / "out"
    fresh = generate(contract, out)

    def check(expected_rc: int, expected_lines: set[str]) -> None:
        before = read_tree(out)
        rc, stdout, stderr = run_codegen("--check", "--contract", contract, "--out", out)
        assert rc == expected_rc, stdout + stderr
        listed = {line for line in stdout.splitlines() if line.startswith(("stale: ", "not generated by"))}
        assert listed == expected_lines, stdout
        assert read_tree(out) == before, "--check modified the output tree"

    check(0, set())

    victim = out / "c/src/sr_otel_metric.c"
    data = bytearray(victim.read_bytes())
    middle = len(data) // 2
    data[middle] ^= 0x01  # one byte
    victim.write_bytes(bytes(data))
    check(1, {"stale: generated/c/src/sr_otel_metric.c"})
    victim.write_bytes(fresh["c/src/sr_otel_metric.c"])
    check(0, set())

    (out / "c/src/extra.c").write_text("int x;\n", encoding="utf-8")
    check(1, {"not generated by the contract: generated/c/src/extra.c"})
    (out / "c/src/extra.c").unlink()

    (out / "docs/contract.md").unlink()
    check(1, {"stale: generated/docs/contract.md"})

    (out / "c/include/stray.h").write_text("/* stray */\n", encoding="utf-8")
    assert generate(contract, out) == fresh, "a normal run did not restore the tree exactly"


def test_check_contract_error_exits_2(tmp_path: pathlib.Path) -> None:
    """A broken contract is exit code 2 (not 1: nothing to regenerate), with
    file:line diagnostics, and the output folder is left alone."""
    contract = copy_contract(tmp_path)
    replace_once(contract / "limits.yaml", "  metric_name_max_chars:\n    value: 255\n",
                 "  metric_name_max_chars:\n    value: many\n")
    out = tmp_path / "out"
    out.mkdir()
    (out / "keep.txt").write_text("x\n", encoding="utf-8")
    for extra in ([], ["--check"]):
        rc, stdout, stderr = run_codegen(*extra, "--contract", contract, "--out", out)
        assert rc == 2, stdout + stderr
        assert "limits.yaml:" in stderr, stderr
    assert read_tree(out) == {"keep.txt": b"x\n"}


# ------------------------------------------------ 3. a limit edit flows everywhere

C_LIMIT_CHECK = r"""
/* Builds one gauge per argument and prints what the validator reports:
 * "name:N" names it with N bytes; "array:N" gives it a metadata entry holding
 * an int array of N items. One line per argument: ARG ok|invalid RULE@PATH... */
#include "sr_otel_metric.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static unsigned char arena_buf[1 << 20];
static char name[1024];
static int64_t items[1024];

int main(int argc, char **argv)
{
    memset(name, 'a', sizeof name);
    for (int i = 1; i < argc; i++) {
        size_t n = (size_t)strtoul(strchr(argv[i], ':') + 1, NULL, 10);
        int is_name = strncmp(argv[i], "name:", 5) == 0;
        sr_value value = sr_value_int_array(items, n);
        sr_arena arena;
        sr_otel_metric m;
        sr_point *p;
        sr_violation v[16];
        sr_report report;
        if (n > sizeof name)
            return 3;
        sr_arena_init(&arena, arena_buf, sizeof arena_buf);
        if (sr_otel_metric_init(&m, &arena) != SR_OK
            || sr_otel_metric_set_name_n(&m, name, is_name ? n : 4) != SR_OK
            || sr_otel_metric_set_resource_service_name(&m, "svc") != SR_OK
            || sr_otel_metric_set_kind(&m, SR_METRIC_KIND_GAUGE) != SR_OK
            || sr_otel_metric_add_point(&m, &p) != SR_OK
            || sr_point_set_time_unix_nano(p, 1) != SR_OK
            || sr_point_set_as_int(p, 1) != SR_OK
            || (!is_name && sr_otel_metric_add_metadata(&m, "k", 1, &value) != SR_OK))
            return 2;
        sr_report_init(&report, v, 16);
        printf("%s %s", argv[i], sr_otel_metric_validate(&m, &report) == SR_OK ? "ok" : "invalid");
        for (size_t k = 0; k < report.stored; k++)
            printf(" %s@%s", sr_rule_id(v[k].rule), v[k].path);
        printf("\n");
    }
    return 0;
}
"""


HOST_PROTOTYPE = re.compile(r"^(\w[\w ]*?) ?(sr_host_\w+)\((.*)\);$", re.M)


def host_stubs(out: pathlib.Path) -> str:
    """Native definitions of the wasm host imports declared in the generated
    sr_host.h (they do nothing), so that the generated sources link."""
    header = out / "c/include/sr_host.h"
    if not header.is_file():
        return ""
    lines = ['#include "sr_host.h"']
    for result, name, params in HOST_PROTOTYPE.findall(header.read_text(encoding="utf-8")):
        names = [re.findall(r"\w+", p)[-1] for p in params.split(",") if p.strip() not in ("", "void")]
        body = "".join(f"(void){n}; " for n in names) + ("" if result == "void" else "return 0; ")
        lines.append(f"{result} {name}({params}) {{ {body}}}")
    return "\n".join(lines) + "\n"


def compile_and_run(out: pathlib.Path, work: pathlib.Path, args: list[str],
                    program: str = None) -> dict[str, str]:
    """Build the regenerated C with the runtime and `program` (C_LIMIT_CHECK
    by default); run it. Returns {argument: 'ok|invalid RULE@PATH ...'}."""
    gcc = shutil.which("gcc")
    if gcc is None:
        pytest.skip("gcc is not installed")
    main_c = work / "limit_check.c"
    main_c.write_text(C_LIMIT_CHECK if program is None else program, encoding="utf-8")
    stubs_c = work / "host_stubs.c"
    stubs_c.write_text(host_stubs(out), encoding="utf-8")
    exe = work / "limit_check"
    sources = sorted((out / "c/src").glob("*.c")) + sorted((RUNTIME_DIR / "src").glob("*.c")) + [main_c, stubs_c]
    cmd = [gcc, *C_FLAGS, "-I", str(out / "c/include"), "-I", str(out / "c/src"),
           "-I", str(RUNTIME_DIR / "include"), *map(str, sources), "-o", str(exe), "-lm"]
    build = subprocess.run(cmd, capture_output=True, text=True)
    assert build.returncode == 0, "the regenerated C does not compile:\n" + build.stderr
    run = subprocess.run([str(exe), *args], capture_output=True, text=True)
    assert run.returncode == 0, f"limit_check failed ({run.returncode}): {run.stdout}{run.stderr}"
    lines = run.stdout.splitlines()
    return {line.split(" ", 1)[0]: line.split(" ", 1)[1] for line in lines}


def edited_generation(tmp_path: pathlib.Path, real, limit: str, old: int, new: int):
    """Regenerate from a copy of the same contract snapshot with one limit
    changed by a plain text edit; return (edited contract, out dir, tree)."""
    snapshot, _, _ = real
    contract = copy_contract(tmp_path, snapshot)
    replace_once(contract / "limits.yaml", f"  {limit}:\n    value: {old}\n", f"  {limit}:\n    value: {new}\n")
    out = tmp_path / "out"
    return contract, out, generate(contract, out)


def camel(name: str) -> str:
    return "".join(part.capitalize() for part in name.split("_"))


# Outputs that declare each limit as a constant, and the line that must hold
# the new value (an output missing from templates/manifest.yaml is skipped).
CONSTANT_LINES = {
    "c/include/sr_contract.h": lambda limit, value: rf"#define SR_LIMIT_{limit.upper()} {value}u( /\*.*\*/)?",
    "go/contract.go": lambda limit, value: rf"\s*Limit{camel(limit)}\s*= {value}$",
    "rust/src/contract.rs": lambda limit, value: rf"\s*pub const {limit.upper()}: usize = {value};",
}


def assert_limit_flows(before: dict[str, bytes], after: dict[str, bytes], limit: str, rule: str, new: int) -> None:
    """The edit shows in exactly the limit constants (one line per file), the
    docs (limit row and the rule row) and the vectors; nothing else changed:
    the C validators use the constant, not the number."""
    constant_files = {rel for rel in CONSTANT_LINES if rel in manifest()}
    assert "c/include/sr_contract.h" in constant_files
    assert set(before) == set(after)
    assert {rel for rel in before if before[rel] != after[rel]} == constant_files | {"docs/contract.md", VECTORS}
    for rel in sorted(constant_files):
        (change,) = changed_lines(before[rel], after[rel])
        assert re.fullmatch(CONSTANT_LINES[rel](limit, new), change[1]), f"{rel}: {change}"
        assert re.fullmatch(CONSTANT_LINES[rel](limit, r"\d+"), change[0]), f"{rel}: {change}"

    docs = after["docs/contract.md"]
    assert doc_row(docs, f"`{limit}`")[1] == str(new)
    assert f"(limit: `{limit}` = {new})" in doc_row(docs, f"`{rule}`")[4]
    doc_changes = {new_line.split(" | ")[0] for _, new_line in changed_lines(before["docs/contract.md"], docs)}
    assert doc_changes == {f"| `{limit}`", f"| `{rule}`"}, doc_changes


def test_name_limit_edit_flows_everywhere(tmp_path: pathlib.Path, real) -> None:
    """Acceptance criterion: changing metric_name_max_chars in limits.yaml and
    regenerating updates the C constant, the docs and the boundary vectors, with
    no hand edit anywhere, and the regenerated C enforces the new limit."""
    _, _, before = real
    _, out, after = edited_generation(tmp_path, real, "metric_name_max_chars", 255, 100)
    assert_limit_flows(before, after, "metric_name_max_chars", "metric.name.max_length", 100)

    cases = vector_cases(after)
    at, over = cases["limit.metric.name.max_length.name.at"], cases["limit.metric.name.max_length.name.over"]
    assert at["input"]["name"] == "a" * 100 and at["valid"] is True and "errors" not in at
    assert len(over["input"]["name"]) == 101 and over["valid"] is False
    assert over["errors"] == [{"rule": "metric.name.max_length", "path": "name"}]
    old_cases = vector_cases(before)
    assert {cid for cid in cases if cases[cid] != old_cases.get(cid)} == {at["id"], over["id"]}

    result = compile_and_run(out, tmp_path, ["name:100", "name:101"])
    assert result == {"name:100": "ok", "name:101": "invalid metric.name.max_length@name"}


def test_map_limit_edit_flows_everywhere(tmp_path: pathlib.Path, real) -> None:
    """The same for a limit of a map rule (attribute_array_max_items): the
    boundary vectors move to 7/8 items at every place the map occurs, and the
    regenerated C rejects an 8-item array."""
    _, _, before = real
    contract, out, after = edited_generation(tmp_path, real, "attribute_array_max_items", 128, 7)
    assert_limit_flows(before, after, "attribute_array_max_items", "attributes.array.max_items", 7)

    cases = vector_cases(after)
    occurrences = map_occurrences(contract)
    assert len(occurrences) >= 2, occurrences
    expected_ids = set()
    for path in occurrences:
        stem = "limit.attributes.array.max_items." + path.replace("[0]", "")
        expected_ids |= {stem + ".at", stem + ".over"}
        for suffix, n, valid in ((".at", 7, True), (".over", 8, False)):
            case = cases[stem + suffix]
            (entry,) = at_path(case["input"], path)
            assert len(entry["value"]["array"]) == n, case["id"]
            assert case["valid"] is valid, case["id"]
            if valid:
                assert "errors" not in case, case["id"]
            else:
                assert case["errors"] == [{"rule": "attributes.array.max_items", "path": path + "[0]"}], case["id"]
    old_cases = vector_cases(before)
    assert {cid for cid in cases if cases[cid] != old_cases.get(cid)} == expected_ids

    result = compile_and_run(out, tmp_path, ["array:7", "array:8"])
    assert result == {"array:7": "ok", "array:8": "invalid attributes.array.max_items@metadata[0]"}


# ------------------------------------------------------- 4. golden output

# tests/codegen/golden/minimal/contract/ is a deliberately small contract and
# expected/ the generator's output for it. Any change to a template or to the
# generator shows up here as a small, readable diff.
#
#   SR_UPDATE_GOLDEN=1 python3 -m pytest -q tests/codegen -k golden
#
# rewrites expected/ instead of comparing. expected/ is the reference: a human
# must review every change to it (git diff tests/codegen/golden) before it is
# committed, exactly as for a hand-written test expectation.
#
# The golden C is compared, not compiled: sr_telemetry.c and sr_result.c are
# written for the real otel_metric type (resource, unit, metadata, as_double),
# which the minimal contract does not have. The real contract's C is compiled
# by the limit tests above.

def test_golden_contract_finds_the_shared_ucum_file() -> None:
    """The golden contract's UCUM path resolves to the same file as the real
    contract's, through shared/ beside the repository (works on a clean clone)."""
    golden = (GOLDEN_DIR / "contract" / ucum_essence(GOLDEN_DIR / "contract")).resolve()
    assert golden == (CONTRACT_DIR / ucum_essence(CONTRACT_DIR)).resolve()
    assert golden == (ROOT.parent / "shared" / "data" / "ucum" / "ucum-essence.xml").resolve()


def test_golden_minimal(tmp_path: pathlib.Path) -> None:
    """Output for golden/minimal/contract equals golden/minimal/expected, byte for byte."""
    expected_dir = GOLDEN_DIR / "expected"
    out = tmp_path / "out"
    got = generate(GOLDEN_DIR / "contract", out)
    if os.environ.get("SR_UPDATE_GOLDEN") == "1":
        if expected_dir.exists():
            shutil.rmtree(expected_dir)
        shutil.copytree(out, expected_dir)
        pytest.skip(f"rewrote {expected_dir.relative_to(ROOT)}: review `git diff tests/codegen/golden` before committing")
    want = read_tree(expected_dir)
    problems = []
    for rel in sorted(set(want) - set(got)):
        problems.append(f"not generated any more: {rel}")
    for rel in sorted(set(got) - set(want)):
        problems.append(f"new output: {rel}")
    for rel in sorted(set(want) & set(got)):
        if want[rel] != got[rel]:
            diff = list(difflib.unified_diff(want[rel].decode().splitlines(), got[rel].decode().splitlines(),
                                             f"expected/{rel}", f"generated/{rel}", lineterm="", n=1))
            problems.append("\n".join(diff[:40] + (["..."] if len(diff) > 40 else [])))
    assert not problems, ("the minimal contract's output changed; if intended, run "
                          "SR_UPDATE_GOLDEN=1 python3 -m pytest -q tests/codegen -k golden and review the diff\n"
                          + "\n".join(problems))


# ------------------------------------------------------------ 5. whitespace

# A line may exceed MAX_LINE only when it is a string literal of a data table
# (e.g. the packed UCUM atoms), optionally the whole `... = "...";` declaration.
MAX_LINE = 200
STRING_TABLE_LINE = re.compile(r'^\s*(?:[\w\s\[\]*]+=\s*)?"(?:[^"\\]|\\.)*"\s*[;,]?$')


def whitespace_problems(rel: str, data: bytes) -> list[str]:
    text = data.decode("utf-8")
    problems = []
    if not text.endswith("\n") or text.endswith("\n\n"):
        problems.append(f"{rel}: does not end with exactly one newline")
    for number, line in enumerate(text.split("\n")[:-1], 1):
        where = f"{rel}:{number}"
        if line != line.rstrip():
            problems.append(f"{where}: trailing whitespace: {line[-40:]!r}")
        if "\t" in line:
            problems.append(f"{where}: tab character")
        # Line 1 is the GENERATED notice, one line by design (see
        # test_every_file_has_a_generated_notice); it lists the contract files.
        if number > 1 and len(line) > MAX_LINE and not STRING_TABLE_LINE.match(line):
            problems.append(f"{where}: {len(line)} characters: {line[:60]!r}...")
    return problems


@pytest.mark.parametrize("which", ["contract", "golden-minimal"])
def test_generated_c_whitespace(which: str, real, tmp_path: pathlib.Path) -> None:
    """Generated C is tidy: no trailing whitespace, no tabs, no line over 200
    characters except string-literal table lines, exactly one final newline."""
    if which == "contract":
        _, _, tree = real
    else:
        tree = generate(GOLDEN_DIR / "contract", tmp_path / "out")
    c_files = {rel: data for rel, data in tree.items() if rel.startswith("c/")}
    assert c_files
    problems = [p for rel, data in sorted(c_files.items()) for p in whitespace_problems(rel, data)]
    assert not problems, f"{len(problems)} problem(s):\n" + "\n".join(problems[:30])


def test_whitespace_checker_itself() -> None:
    """The checker above flags what it should and exempts only string tables."""
    assert whitespace_problems("x.c", b"int a;\n") == []
    assert len(whitespace_problems("x.c", b"int a; \n")) == 1
    assert len(whitespace_problems("x.c", b"\tint a;\n")) == 1
    assert len(whitespace_problems("x.c", b"int a;\n\n")) == 1
    assert len(whitespace_problems("x.c", b"int a;")) == 1
    long_code = "int a[] = { " + "0x00, " * 40 + "};"
    long_string = '    "' + "a" * 300 + '"'
    long_decl = 'static const char t[] = "' + "a" * 300 + '";'
    assert len(whitespace_problems("x.c", f"/* n */\n{long_code}\n".encode())) == 1
    assert whitespace_problems("x.c", f"/* n */\n{long_string}\n{long_decl}\n".encode()) == []
