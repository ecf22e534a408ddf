//! The generated crate's API as a plugin author uses it. Every expected JSON
//! text, rule id and path below is written out by hand from
//! contract/otel_metric.yaml and contract/envelope.yaml (field order,
//! omission, the rule's form and the path it reports), not taken from the
//! code's own output.

use serviceradar_contract::contract::{limits, metadata_key, payload_kind, Severity};
use serviceradar_contract::{
    AggregationTemporality, Attributes, Exemplar, MetricKind, OtelMetric, Point, RecordError, Resource, Rule, Scope,
    Service, TelemetryBatch, TelemetryRecord, TelemetrySource, Value,
};

fn gauge() -> OtelMetric {
    OtelMetric {
        resource: Resource {
            service: Service {
                name: Some("svc".into()),
                ..Default::default()
            },
            ..Default::default()
        },
        name: Some("cpu.usage".into()),
        unit: Some("%".into()),
        kind: Some(MetricKind::Gauge),
        points: vec![Point {
            time_unix_nano: Some(1000),
            attributes: Attributes::new().with("host", "a"),
            as_double: Some(0.5),
            ..Default::default()
        }],
        ..Default::default()
    }
}

/// (rule id, path) of every violation, sorted.
fn found(m: &OtelMetric) -> Vec<(&'static str, String)> {
    let mut v: Vec<_> = m
        .validate()
        .violations
        .into_iter()
        .map(|v| (v.rule.id(), v.path))
        .collect();
    v.sort();
    v
}

#[test]
fn a_gauge_is_written_in_contract_order() {
    let m = gauge();
    assert!(m.validate().violations.is_empty(), "{}", m.validate());
    assert_eq!(
        m.to_json().unwrap(),
        r#"{"schema_version":2,"resource":{"service":{"name":"svc"}},"name":"cpu.usage","unit":"%","kind":"gauge","points":[{"time_unix_nano":1000,"attributes":{"host":"a"},"as_double":0.5}]}"#
    );
}

#[test]
fn an_explicit_empty_unit_is_written_and_unset_parts_are_not() {
    let mut m = gauge();
    m.unit = Some(String::new());
    m.scope = Scope::default();
    m.points[0].attributes = Attributes::new();
    assert_eq!(
        m.to_json().unwrap(),
        r#"{"schema_version":2,"resource":{"service":{"name":"svc"}},"name":"cpu.usage","unit":"","kind":"gauge","points":[{"time_unix_nano":1000,"as_double":0.5}]}"#
    );
}

#[test]
fn a_sum_with_typed_attribute_arrays() {
    let mut m = gauge();
    m.kind = Some(MetricKind::Sum);
    m.temporality = Some(AggregationTemporality::Cumulative);
    m.is_monotonic = Some(true);
    m.unit = Some("By".into());
    m.metadata = Attributes::new()
        .with("ints", vec![1i64, -2])
        .with("doubles", vec![1.0, 2.5e-7])
        .with("flags", vec![true, false])
        .with("names", vec!["x".to_string()])
        .with("n", 3i64);
    m.points[0].as_double = None;
    m.points[0].as_int = Some(-7);
    assert_eq!(
        m.to_json().unwrap(),
        concat!(
            r#"{"schema_version":2,"resource":{"service":{"name":"svc"}},"name":"cpu.usage","unit":"By","kind":"sum","#,
            r#""temporality":"cumulative","is_monotonic":true,"#,
            r#""metadata":{"ints":[1,-2],"doubles":[1.0,2.5e-07],"flags":[true,false],"names":["x"],"n":3},"#,
            r#""points":[{"time_unix_nano":1000,"attributes":{"host":"a"},"as_int":-7}]}"#
        )
    );
}

#[test]
fn an_empty_metric_misses_name_kind_points_and_service_name() {
    let m = OtelMetric::default();
    assert_eq!(
        found(&m),
        vec![
            ("metric.kind.required", "kind".to_string()),
            ("metric.name.required", "name".to_string()),
            ("metric.points.non_empty", "points".to_string()),
            ("resource.service.name.required", "resource.service.name".to_string()),
        ]
    );
    match m.to_json() {
        Err(report) => assert!(report.has_errors()),
        Ok(json) => panic!("an invalid metric was written: {json}"),
    }
}

#[test]
fn paths_name_objects_elements_and_map_entries() {
    let mut m = gauge();
    m.metadata = Attributes::new()
        .with("a", 1i64)
        .with("b", 2i64)
        .with("", 3i64)
        .with("a", 4i64);
    // Both values on a gauge point: reported at the point itself.
    m.points[0].as_int = Some(1);
    m.points.push(Point {
        time_unix_nano: Some(2000),
        as_int: Some(1),
        exemplars: vec![
            Exemplar {
                time_unix_nano: Some(5),
                as_int: Some(1),
                ..Default::default()
            },
            Exemplar {
                time_unix_nano: Some(5),
                as_int: Some(1),
                trace_id: Some("0123456789ABCDEF0123456789abcdef".into()),
                span_id: Some("0000000000000000".into()),
                filtered_attributes: Attributes::new().with("host", "b"),
                ..Default::default()
            },
        ],
        ..Default::default()
    });
    m.points[1].attributes.push("host", "c");
    assert_eq!(
        found(&m),
        vec![
            ("attributes.key.non_empty", "metadata[2]".to_string()),
            ("attributes.key.unique", "metadata[3]".to_string()),
            (
                "exemplar.filtered_attributes.disjoint",
                "points[1].exemplars[1].filtered_attributes[0]".to_string()
            ),
            ("exemplar.span_id.format", "points[1].exemplars[1].span_id".to_string()),
            (
                "exemplar.trace_id.format",
                "points[1].exemplars[1].trace_id".to_string()
            ),
            ("point.value.one_of", "points[0]".to_string()),
        ]
    );
}

#[test]
fn histogram_rules_report_elements_and_fields() {
    let mut m = gauge();
    m.kind = Some(MetricKind::Histogram);
    m.temporality = Some(AggregationTemporality::Delta);
    m.points[0] = Point {
        time_unix_nano: Some(10),
        start_time_unix_nano: Some(11),
        count: Some(5),
        sum: Some(f64::NAN),
        bucket_counts: vec![1, 1, 1],
        explicit_bounds: vec![1.0, 0.5],
        min: Some(2.0),
        max: Some(1.0),
        ..Default::default()
    };
    let want = vec![
        ("double.finite", "points[0].sum".to_string()),
        (
            "point.histogram.bounds.increasing",
            "points[0].explicit_bounds[1]".to_string(),
        ),
        ("point.histogram.count.equals_buckets", "points[0].count".to_string()),
        // The first bucket with observations is (-inf, 1.0]; min 2.0 is not in it.
        ("point.histogram.min.in_first_bucket", "points[0].min".to_string()),
        ("point.histogram.min_le_max", "points[0].min".to_string()),
        (
            "point.start_time.not_after_time",
            "points[0].start_time_unix_nano".to_string(),
        ),
    ];
    assert_eq!(found(&m), want);
}

#[test]
fn warnings_do_not_block_and_limits_are_the_contracts() {
    let mut m = gauge();
    m.unit = Some("furlongs".into());
    let report = m.validate();
    let warnings: Vec<_> = report.warnings().map(|v| (v.rule, v.path.as_str())).collect();
    assert_eq!(warnings, vec![(Rule::MetricUnitUcum, "unit")]);
    assert_eq!(Rule::MetricUnitUcum.severity(), Severity::Warning);
    assert!(m.to_json().is_ok());

    m.name = Some("n".repeat(limits::METRIC_NAME_MAX_CHARS));
    assert!(m.to_json().is_ok());
    m.name = Some("n".repeat(limits::METRIC_NAME_MAX_CHARS + 1));
    assert_eq!(
        found(&m),
        vec![
            ("metric.name.max_length", "name".to_string()),
            ("metric.unit.ucum", "unit".to_string())
        ]
    );
}

#[test]
fn an_otel_metric_record_carries_its_schema_in_metadata() {
    let mut m = gauge();
    m.points.push(Point {
        time_unix_nano: Some(3000),
        as_double: Some(1.0),
        ..Default::default()
    });
    m.points.push(Point {
        time_unix_nano: Some(2000),
        as_double: Some(1.0),
        ..Default::default()
    });
    let mut r = TelemetryRecord::otel_metric("", &m).unwrap();
    assert_eq!(r.event_time_unix_nano, 3000);
    assert!(r.observed_time_unix_nano > 0);
    assert_eq!(r.metadata.get(metadata_key::SIGNAL_TYPE), Some("metric"));
    r.observed_time_unix_nano = 5;
    let batch = TelemetryBatch {
        records: vec![r],
        ..Default::default()
    };
    let payload = m.to_json().unwrap();
    assert_eq!(
        batch.to_json(),
        format!(
            concat!(
                r#"{{"records":[{{"observed_time_unix_nano":5,"event_time_unix_nano":3000,"payload_kind":"otel_metric","#,
                r#""payload":{},"metadata":{{"serviceradar.signal_schema.payload_kind":"otel_metric","#,
                r#""serviceradar.signal_schema.schema_version":"2","serviceradar.signal_schema.signal_type":"metric"}}}}]}}"#
            ),
            payload
        )
    );
}

/// String maps keep keys in byte order and a key set again replaces its
/// value (the same keys as the C test test_string_map_sorted_last_wins).
#[test]
fn string_maps_are_sorted_and_the_last_value_wins() {
    let mut batch = TelemetryBatch::default();
    for (i, k) in ["b", "ab", "a", "\u{e9}", "B", "b", "", "a"].iter().enumerate() {
        batch.source.metadata.push(*k, (i + 1).to_string());
    }
    assert_eq!(
        batch.to_json(),
        "{\"source\":{\"metadata\":{\"\":\"7\",\"B\":\"5\",\"a\":\"8\",\"ab\":\"2\",\"b\":\"6\",\"\u{e9}\":\"4\"}},\"records\":[]}"
    );
}

#[test]
fn an_event_id_is_written_first() {
    let mut m = gauge();
    m.points.push(Point {
        time_unix_nano: Some(3000),
        as_double: Some(1.0),
        ..Default::default()
    });
    let mut r = TelemetryRecord::otel_metric("e-1", &m).unwrap();
    assert_eq!(r.event_id, "e-1");
    r.observed_time_unix_nano = 5;
    let batch = TelemetryBatch {
        records: vec![r],
        ..Default::default()
    };
    assert!(batch
        .to_json()
        .starts_with(r#"{"records":[{"event_id":"e-1","observed_time_unix_nano":5,"event_time_unix_nano":3000,"#));
}

#[test]
fn an_invalid_metric_makes_no_record() {
    match TelemetryRecord::otel_metric("", &OtelMetric::default()) {
        Err(RecordError::Invalid(report)) => assert!(report.has_errors()),
        other => panic!("expected Invalid, got {other:?}"),
    }
}

#[test]
fn caller_json_records_and_the_source() {
    let mut r = TelemetryRecord::json(payload_kind::OCSF_EVENT, r#"{"class_uid": 1}"#).unwrap();
    r.observed_time_unix_nano = 0;
    r.event_id = "e1".into();
    assert!(matches!(
        TelemetryRecord::json(payload_kind::OTEL_METRIC, "{}"),
        Err(RecordError::PayloadKind(_))
    ));
    assert!(matches!(
        TelemetryRecord::json(payload_kind::OTEL_LOG, "{"),
        Err(RecordError::Json(_))
    ));
    let mut batch = TelemetryBatch {
        records: vec![r],
        ..Default::default()
    };
    batch.source = TelemetrySource {
        source_type: "plugin".into(),
        ..Default::default()
    };
    batch.source.metadata.push("k", "v");
    assert_eq!(
        batch.to_json(),
        r#"{"source":{"source_type":"plugin","metadata":{"k":"v"}},"records":[{"event_id":"e1","payload_kind":"ocsf_event","payload":{"class_uid": 1}}]}"#
    );
}

#[test]
fn values_convert_from_plain_rust_values() {
    assert_eq!(Value::from("x"), Value::String("x".into()));
    assert_eq!(Value::from(vec![1.5]), Value::DoubleArray(vec![1.5]));
    assert_eq!(MetricKind::from_name("histogram"), Some(MetricKind::Histogram));
    assert_eq!(MetricKind::Histogram.number(), 3);
    assert_eq!(MetricKind::from_name("Histogram"), None);
}
