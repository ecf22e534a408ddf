//! The Rust conformance testee. Reads JSON Lines on stdin, one request per line:
//!   {"id": ..., "type": "otel_metric", "input": {...}}
//! builds the input through the generated crate's API (its generated
//! `conformance` decoder), validates, serializes, and answers one line each:
//!   {"id", "ok": true, "output": "<canonical JSON>", "warnings": [...]}
//!   {"id", "ok": false, "errors": [{"rule", "path", "severity"}], "warnings": [...]}
//!   {"id", "ok": false, "input_error": "..."}
//! the same protocol as the C testee (tests/conformance/testee_main.c). It
//! never panics on what it is fed: a line that is not JSON, a request of the
//! wrong shape or an input the API cannot express is an input_error.

use std::io::{self, BufRead, Write};

use serde::Serialize;
use serde_json::Value;
use serviceradar_contract::{conformance, Severity, Violation};

#[derive(Serialize)]
struct Item<'a> {
    rule: &'a str,
    path: &'a str,
    severity: &'a str,
}

/// Field order is the answer's key order (the C testee's).
#[derive(Serialize, Default)]
struct Answer<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    id: Option<&'a Value>,
    ok: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    input_error: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    output: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    errors: Option<Vec<Item<'a>>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    warnings: Option<Vec<Item<'a>>>,
}

fn items(found: &[Violation], severity: Severity) -> Vec<Item<'_>> {
    found
        .iter()
        .filter(|v| v.severity() == severity)
        .map(|v| Item {
            rule: v.rule.id(),
            path: &v.path,
            severity: severity.as_str(),
        })
        .collect()
}

fn input_error(id: Option<&Value>, message: String) -> String {
    let a = Answer {
        id,
        input_error: Some(message),
        ..Answer::default()
    };
    serde_json::to_string(&a).expect("answers serialize")
}

fn answer(line: &[u8]) -> String {
    let Ok(req) = serde_json::from_slice::<Value>(line) else {
        return input_error(None, "request is not {id, type, input}".to_string());
    };
    let id = req.get("id");
    let (Some(kind), Some(input)) = (req.get("type"), req.get("input")) else {
        return input_error(id, "request is not {id, type, input}".to_string());
    };
    if kind.as_str() != Some(conformance::TYPE) {
        return input_error(id, "the payload: unknown type".to_string());
    }
    let decoded = match conformance::decode(input) {
        Ok(d) => d,
        Err(message) => return input_error(id, message),
    };
    // Violations the decoder found while building (strings that are not
    // UTF-8), then the validator's.
    let mut found = decoded.violations;
    found.extend(decoded.payload.validate().violations);
    let errors = items(&found, Severity::Error);
    let warnings = Some(items(&found, Severity::Warning));
    let a = if errors.is_empty() {
        Answer {
            id,
            ok: true,
            output: Some(decoded.payload.canonical_json()),
            warnings,
            ..Answer::default()
        }
    } else {
        Answer {
            id,
            errors: Some(errors),
            warnings,
            ..Answer::default()
        }
    };
    serde_json::to_string(&a).expect("answers serialize")
}

fn main() -> io::Result<()> {
    let stdin = io::stdin().lock();
    let mut out = io::BufWriter::new(io::stdout().lock());
    for line in stdin.split(b'\n') {
        let line = line?;
        if line.is_empty() {
            continue;
        }
        out.write_all(answer(&line).as_bytes())?;
        out.write_all(b"\n")?;
        out.flush()?;
    }
    Ok(())
}
