"""Test vectors: hand-written cases from contract/vectors/ plus boundary cases
generated from every limit, each answered by the Python reference.

A hand-written case states its verdict and its errors and warnings itself;
the reference must find exactly those, so a vector's expectation never rests
on one implementation alone. Generation fails while any rule lacks a passing
and a failing case.
"""
from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

from . import reference
from .model import Model, Rule, TypeDef


class VectorError(Exception):
    pass


def _pairs(xs) -> list[tuple[str, str]]:
    return sorted((x["rule"], x["path"]) for x in xs or [])


def load_cases(vector_dir: Path, load_yaml) -> tuple[dict, list[dict]]:
    bases: dict = {}
    cases: list[dict] = []
    for f in sorted(vector_dir.glob("*.yaml")):
        data, _ = load_yaml(f)
        bases.update(data.get("bases", {}))
        for c in data.get("cases", []):
            c = dict(c)
            c["source"] = "contract/vectors/" + f.name
            cases.append(c)
    for c in cases:
        inp = c.get("input")
        if isinstance(inp, dict) and set(inp) == {"$base"}:
            c["input"] = copy.deepcopy(bases[inp["$base"]])
    return bases, cases


# ------------------------------------------------------- generated cases

def _set(doc: dict, path: str, value: Any) -> None:
    """Set doc at a path such as points[0].exemplars[0].trace_id."""
    parts = path.split(".")
    cur = doc
    for i, part in enumerate(parts):
        name, idx = part, None
        if part.endswith("]"):
            name, idx = part[:-1].split("[")
            idx = int(idx)
        last = i == len(parts) - 1
        if idx is None:
            if last:
                cur[name] = value
            else:
                cur = cur.setdefault(name, {})
        else:
            cur = cur[name][idx]
            if last:
                raise VectorError("cannot set an array element: %s" % path)


def _anchor(t: TypeDef) -> str:
    """Path of the first instance of type t in a base document."""
    parts = []
    cur = t
    while cur.parent_field is not None:
        pf = cur.parent_field
        parts.insert(0, pf.name + ("[0]" if pf.repeated else ""))
        cur = cur.parent
    return ".".join(parts)


def _string_of(rule_field: str, n: int) -> str:
    if rule_field == "unit":
        return "{" + "a" * (n - 2) + "}"  # an annotation: valid UCUM at any length
    return "a" * n


def _map_occurrences(model: Model) -> list[tuple[TypeDef, str]]:
    out = []
    for t in model.types:
        for f in t.fields:
            if f.kind == "map":
                out.append((t, f.name))
    return out


def _base_for(bases: dict, rule: Rule) -> str:
    names = {f.name for f in rule.fields}
    return "histogram" if names & {"explicit_bounds", "bucket_counts"} else "gauge"


def _bounded_cases(rule: Rule, n: int, make) -> list[dict]:
    """A case at the limit (passes) and one past it (fails)."""
    return [make(n, True), make(n + 1, False)]


def generate_limit_cases(model: Model, bases: dict) -> list[dict]:
    cases: list[dict] = []

    def case(cid, desc, base, edits, valid, errors):
        doc = copy.deepcopy(bases[base])
        for path, value in edits:
            _set(doc, path, value)
        c = {"id": cid, "description": desc, "type": model.root_payload_kind,
             "input": doc, "valid": valid, "source": "generated from contract/limits.yaml"}
        c["errors"] = errors
        cases.append(c)

    for r in model.rules:
        if r.limit is None:
            continue
        lim = r.limit_value
        if r.form == "max_length":
            for f in r.fields:
                anchor = _anchor(r.on)
                path = (anchor + "." if anchor else "") + f.name
                for n, ok in ((lim, True), (lim + 1, False)):
                    case("limit.%s.%s.%s" % (r.id, f.name, "at" if ok else "over"),
                         "%s of %d bytes (limit %s = %d)" % (path, n, r.limit.name, lim),
                         _base_for(bases, r), [(path, _string_of(f.name, n))], ok,
                         [] if ok else [{"rule": r.id, "path": path}])
        elif r.form == "max_items":
            f = r.fields[0]
            anchor = _anchor(r.on)
            path = (anchor + "." if anchor else "") + f.name
            base = _base_for(bases, r)
            for n, ok in ((lim, True), (lim + 1, False)):
                edits = _items_edit(model, bases[base], path, f.name, n)
                errors = [] if ok else [{"rule": r.id, "path": path}]
                if not ok and f.name in ("explicit_bounds", "bucket_counts"):
                    # A consistent histogram grows both arrays, so the
                    # sibling array's limit is crossed at the same time.
                    errors = [{"rule": x.id, "path": path.rsplit(".", 1)[0] + "." + x.fields[0].name}
                              for x in model.rules if x.form == "max_items" and x.on is r.on
                              and x.fields[0].name in ("explicit_bounds", "bucket_counts")]
                case("limit.%s.%s" % (r.id, "at" if ok else "over"),
                     "%s with %d items (limit %s%s = %d)" % (path, n, r.limit.name,
                                                            " + %d" % r.args["plus"] if r.args.get("plus") else "", lim),
                     base, edits, ok, errors)
        elif r.form.startswith("map_"):
            for t, mname in _map_occurrences(model):
                anchor = _anchor(t)
                path = (anchor + "." if anchor else "") + mname
                for n, ok in ((lim, True), (lim + 1, False)):
                    entries, err_path = _map_edit(r.form, n)
                    errors = [] if ok else [{"rule": r.id, "path": path + err_path}]
                    case("limit.%s.%s.%s" % (r.id, path.replace("[0]", ""), "at" if ok else "over"),
                         "%s: %s at %d (limit %s = %d)" % (path, r.form, n, r.limit.name, lim),
                         "gauge", [(path, entries)], ok, errors)
    return cases


def _items_edit(model: Model, base: dict, path: str, name: str, n: int) -> list[tuple[str, Any]]:
    if name == "points":
        return [(path, [{"time_unix_nano": 1700000000000000000 + i, "as_int": i} for i in range(n)])]
    if name == "exemplars":
        return [(path, [{"time_unix_nano": 1700000000000000000 + i, "as_int": i} for i in range(n)])]
    if name in ("explicit_bounds", "bucket_counts"):
        # Keep the histogram consistent: n bounds and n + 1 buckets, or
        # n buckets and n - 1 bounds.
        bounds = n if name == "explicit_bounds" else n - 1
        point = path.rsplit(".", 1)[0]
        return [(point + ".explicit_bounds", [float(i) for i in range(bounds)]),
                (point + ".bucket_counts", [1] * (bounds + 1)),
                (point + ".count", bounds + 1),
                (point + ".min", 0.0), (point + ".max", float(bounds)), (point + ".sum", float(bounds))]
    raise VectorError("no item generator for %s" % name)


def _map_edit(form: str, n: int) -> tuple[list, str]:
    if form == "map_key_max_length":
        return [{"key": "k" * n, "value": {"int": 1}}], "[0]"
    if form == "map_string_max_length":
        return [{"key": "k", "value": {"string": "v" * n}}], "[0]"
    if form == "map_array_max_items":
        return [{"key": "k", "value": {"array": [{"int": i} for i in range(n)]}}], "[0]"
    if form == "map_max_entries":
        return [{"key": "k%d" % i, "value": {"int": i}} for i in range(n)], ""
    raise VectorError("no map generator for %s" % form)


# ------------------------------------------------------------ computing

def build(model: Model, vector_dir: Path, load_yaml) -> list[dict]:
    bases, hand = load_cases(vector_dir, load_yaml)
    cases = hand + generate_limit_cases(model, bases)
    seen_ids: set[str] = set()
    passing: set[str] = set()
    failing: set[str] = set()
    problems: list[str] = []
    out: list[dict] = []
    for c in cases:
        cid = c["id"]
        if cid in seen_ids:
            problems.append("%s: duplicate case id" % cid)
        seen_ids.add(cid)
        evaluated: set[str] = set()
        got = reference.run(model, model.root.name, c["input"], evaluated)
        want_valid = c["valid"]
        if c.get("input_error"):
            if "input_error" not in got:
                problems.append("%s: the reference could express the input: %s" % (cid, got))
            rec = {"id": cid, "description": c["description"], "type": c.get("type", model.root_payload_kind),
                   "input": c["input"], "valid": False, "input_error": True}
            out.append(rec)
            continue
        if "input_error" in got:
            problems.append("%s: the reference rejects the input: %s" % (cid, got["input_error"]))
            continue
        if got["ok"] != want_valid:
            problems.append("%s: stated valid=%s, reference says %s (errors %s)"
                            % (cid, want_valid, got["ok"], _pairs(got.get("errors"))))
        if _pairs(got.get("errors")) != _pairs(c.get("errors")):
            problems.append("%s: stated errors %s, reference finds %s"
                            % (cid, _pairs(c.get("errors")), _pairs(got.get("errors"))))
        if _pairs(got.get("warnings")) != _pairs(c.get("warnings")):
            problems.append("%s: stated warnings %s, reference finds %s"
                            % (cid, _pairs(c.get("warnings")), _pairs(got.get("warnings"))))
        flagged = {e["rule"] for e in got.get("errors", []) + got.get("warnings", [])}
        failing |= flagged
        passing |= evaluated - flagged
        rec = {"id": cid, "description": c["description"], "type": c.get("type", model.root_payload_kind),
               "input": c["input"], "valid": got["ok"]}
        if got["ok"]:
            rec["expected"] = got["output"]
        else:
            rec["errors"] = [{"rule": e["rule"], "path": e["path"]} for e in got["errors"]]
        rec["warnings"] = [{"rule": w["rule"], "path": w["path"]} for w in got["warnings"]]
        out.append(rec)
    for r in model.rules:
        if r.id not in failing:
            problems.append("rule %s has no failing case" % r.id)
        if r.id not in passing:
            problems.append("rule %s has no passing case" % r.id)
    if problems:
        raise VectorError("\n".join(problems))
    return out
