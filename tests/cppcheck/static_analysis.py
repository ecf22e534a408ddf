#!/usr/bin/env python3
"""Static analysis of the hand-written C: clang-tidy (checks in /.clang-tidy)
and cppcheck, over runtime/src, runtime/include (through the sources that
include it), tests/conformance, tests/fuzz and tests/faults. generated/ is
not analysed.

    python3 tests/cppcheck/static_analysis.py [--build-dir build-analysis] [-j N]

Exit status 1 when either tool reports anything that is not suppressed, or
when a suppression no longer matches a finding. Suppressions:
  - tests/cppcheck/suppressions.txt: cppcheck's own list (whole checks, each
    with the reason it does not apply to this code);
  - tests/cppcheck/findings-suppressed.txt: single findings of either tool,
    matched by tool, check, file and the text of the flagged line (not its
    number, so edits elsewhere do not break it), each with its reason.

The top-level sources are analysed with the flags CMake gives them (a
compile_commands.json configured into --build-dir, clang); the test sources
of tests/fuzz and tests/faults, which belong to projects of their own, with
the flags listed below.
"""
from __future__ import annotations

import argparse
import concurrent.futures
import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
SITE_SUPPRESSIONS = HERE / "findings-suppressed.txt"
CPPCHECK_SUPPRESSIONS = HERE / "suppressions.txt"

# Analysed with the top-level project's compile flags.
DB_SOURCES = sorted(str(p.relative_to(ROOT)) for p in (ROOT / "runtime" / "src").glob("*.c")) + [
    "tests/conformance/testee_main.c"]
# Test sources of the projects in tests/fuzz and tests/faults.
OWN_SOURCES = sorted(str(p.relative_to(ROOT)) for d in ("tests/fuzz", "tests/faults")
                     for p in (ROOT / d).glob("*.c"))
OWN_FLAGS = ["-std=c11", "-D_POSIX_C_SOURCE=200809L", "-I" + str(ROOT / "runtime/include"),
             "-I" + str(ROOT / "generated/c/include"), "-I" + str(ROOT / "tests/c"),
             "-I" + str(ROOT / "tests/conformance"), "-I" + str(ROOT / "tests/fuzz"),
             "-I" + str(ROOT / "tests/faults")]
CPPCHECK_INCLUDES = ["runtime/include", "runtime/src", "generated/c/include", "tests/conformance", "tests/c",
                     "tests/fuzz", "tests/faults"]

FINDING = re.compile(r"^(?P<file>[^\s:][^:]*):(?P<line>\d+):(?P<col>\d+): (?P<sev>[a-z]+): (?P<msg>.*) "
                     r"\[(?P<check>[^\]]+)\]$")


@dataclass(frozen=True)
class Finding:
    tool: str
    check: str
    file: str  # relative to ROOT when inside it
    line: int
    col: int
    message: str

    def source_line(self) -> str:
        try:
            return (ROOT / self.file).read_text(encoding="utf-8", errors="replace").splitlines()[self.line - 1]
        except (OSError, IndexError):
            return ""

    def __str__(self) -> str:
        return "%s:%d:%d: %s [%s/%s]\n    %s" % (self.file, self.line, self.col, self.message, self.tool,
                                              self.check, self.source_line().strip())


@dataclass
class Suppression:
    tool: str
    check: str
    file: str
    text: str
    reason: str
    where: str
    used: bool = False

    def matches(self, f: Finding) -> bool:
        return (f.tool == self.tool and f.check == self.check and f.file == self.file
                and self.text in f.source_line())


def load_suppressions() -> list[Suppression]:
    out = []
    for n, raw in enumerate(SITE_SUPPRESSIONS.read_text(encoding="utf-8").splitlines(), 1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        parts = [p.strip() for p in line.split(" | ")]
        if len(parts) != 4 or ":" not in parts[0] or not parts[3]:
            sys.exit("%s:%d: expected 'tool:check | file | flagged text | reason'" % (SITE_SUPPRESSIONS, n))
        tool, check = parts[0].split(":", 1)
        out.append(Suppression(tool, check, parts[1], parts[2], parts[3], "%s:%d" % (SITE_SUPPRESSIONS.name, n)))
    return out


def relative(path: str) -> str:
    p = Path(path)
    if not p.is_absolute():
        p = ROOT / p
    try:
        return str(p.resolve().relative_to(ROOT))
    except ValueError:
        return str(p)


def parse(tool: str, text: str) -> set[Finding]:
    found = set()
    for line in text.splitlines():
        m = FINDING.match(line)
        if m and m["sev"] in ("warning", "error", "style", "performance", "portability", "information"):
            found.add(Finding(tool, m["check"], relative(m["file"]), int(m["line"]), int(m["col"]), m["msg"]))
    return found


def clang_tidy(exe: str, build_dir: Path, jobs: int) -> set[Finding]:
    def one(args: list[str]) -> tuple[int, str]:
        done = subprocess.run(args, cwd=ROOT, capture_output=True, text=True)
        return done.returncode, done.stdout + done.stderr

    runs = [(src, [exe, "--quiet", "-p", str(build_dir), src]) for src in DB_SOURCES]
    runs += [(src, [exe, "--quiet", src, "--"] + OWN_FLAGS) for src in OWN_SOURCES]
    found: set[Finding] = set()
    with concurrent.futures.ThreadPoolExecutor(max_workers=jobs) as pool:
        for (rc, out), (src, _) in zip(pool.map(one, [a for _, a in runs]), runs):
            new = parse("clang-tidy", out)
            if rc != 0 and not new:
                sys.exit("clang-tidy failed on %s:\n%s" % (src, out))
            found |= new
    return found


def cppcheck(exe: str) -> set[Finding]:
    args = [exe, "--std=c11", "--platform=unix64", "--enable=warning,style,performance,portability",
            "--inconclusive", "--quiet", "--suppressions-list=" + str(CPPCHECK_SUPPRESSIONS),
            "--template={file}:{line}:{column}: {severity}: {message} [{id}]"]
    args += ["-I" + d for d in CPPCHECK_INCLUDES]
    args += DB_SOURCES + OWN_SOURCES
    done = subprocess.run(args, cwd=ROOT, capture_output=True, text=True)
    found = parse("cppcheck", done.stdout + done.stderr)
    if done.returncode != 0 and not found:
        sys.exit("cppcheck failed:\n" + done.stdout + done.stderr)
    return found


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--build-dir", type=Path, default=ROOT / "build-analysis",
                    help="where to configure the top-level project for its compile_commands.json")
    ap.add_argument("-j", "--jobs", type=int, default=os.cpu_count() or 1)
    ap.add_argument("--clang-tidy", default=shutil.which("clang-tidy") or shutil.which("clang-tidy-14"))
    ap.add_argument("--cppcheck", default=shutil.which("cppcheck"))
    args = ap.parse_args()
    if not args.clang_tidy or not args.cppcheck:
        sys.exit("static_analysis: clang-tidy and cppcheck are needed (Debian: apt-get install clang-tidy cppcheck)")

    subprocess.run(["cmake", "-S", str(ROOT), "-B", str(args.build_dir), "-DCMAKE_C_COMPILER=clang",
                    "-DCMAKE_EXPORT_COMPILE_COMMANDS=ON"], check=True, stdout=subprocess.DEVNULL)

    suppressions = load_suppressions()
    findings = sorted(clang_tidy(args.clang_tidy, args.build_dir, args.jobs) | cppcheck(args.cppcheck),
                      key=lambda f: (f.file, f.line, f.col, f.tool, f.check))
    open_findings = []
    for f in findings:
        hit = [s for s in suppressions if s.matches(f)]
        for s in hit:
            s.used = True
        if not hit:
            open_findings.append(f)
    stale = [s for s in suppressions if not s.used]

    files = len(DB_SOURCES) + len(OWN_SOURCES)
    print("static analysis: %d files, clang-tidy and cppcheck: %d findings, %d suppressed with a reason, %d open"
          % (files, len(findings), len(findings) - len(open_findings), len(open_findings)))
    for f in open_findings:
        print(f)
    for s in stale:
        print("%s: suppression matches no finding any more: %s:%s | %s | %s"
              % (s.where, s.tool, s.check, s.file, s.text))
    return 1 if open_findings or stale else 0


if __name__ == "__main__":
    sys.exit(main())
