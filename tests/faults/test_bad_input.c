/*
 * Classes of bad input the vectors do not spell out one by one, each put
 * into an otherwise valid metric through the public builder, then:
 *   - the validator reports the expected rule (SR_ERR_INVALID);
 *   - the serializer's answer is the expected one (SR_ERR_UTF8 for invalid
 *     UTF-8, SR_ERR_NOT_FINITE for NaN and infinities, else SR_OK: it
 *     writes what it is given, the validator is what refuses);
 *   - sr_telemetry_record_otel_metric refuses it with SR_ERR_INVALID and
 *     adds no record, and sr_emit_telemetry then makes no host call
 *     (tests/c/fake_host.c counts them): nothing is emitted.
 * Envelope strings (source, record metadata, event id) are not validated by
 * a builder; invalid UTF-8 there makes sr_emit_telemetry return
 * SR_ERR_UTF8 before its first host call. Argument errors the builder
 * refuses itself (a value type or an enum value outside the contract)
 * return SR_ERR_ARG and add nothing.
 *
 * Every case has a name (e.g. "utf8.surrogate"); docs/bad-input.md cites
 * them as tests/faults/test_bad_input.c#<name>.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fake_host.h"
#include "sr_telemetry.h"

static int failures, cases;
#define CHECK(cond, ...)                                                     \
    do {                                                                     \
        if (!(cond)) {                                                       \
            (void)fprintf(stderr, "%s:%d: %s: ", __FILE__, __LINE__, #cond); \
            (void)fprintf(stderr, __VA_ARGS__);                              \
            (void)fputc('\n', stderr);                                       \
            failures++;                                                      \
        }                                                                    \
    } while (0)

#define ARENA_BYTES ((size_t)1 << 20)
static unsigned char *arena_mem;

typedef struct doc {
    sr_arena arena;
    sr_otel_metric m;
    sr_point *p;
    sr_exemplar *e;
} doc;

static const char TRACE[] = "4bf92f3577b34da6a3ce929d0e0e4736", SPAN[] = "00f067aa0ba902b7";

/* A valid metric with every string and double field the case may spoil:
 * a gauge (or a histogram) with attributes in all four maps. */
static void base(doc *d, bool histogram)
{
    sr_arena_init(&d->arena, arena_mem, ARENA_BYTES);
    sr_otel_metric_init(&d->m, &d->arena);
    sr_otel_metric_set_resource_service_name(&d->m, "checkout");
    sr_otel_metric_set_resource_service_namespace(&d->m, "shop");
    sr_otel_metric_set_resource_service_version(&d->m, "1.4.2");
    sr_otel_metric_set_resource_service_instance_id(&d->m, "host-7");
    sr_otel_metric_set_scope_name(&d->m, "serviceradar.plugin.http");
    sr_otel_metric_set_scope_version(&d->m, "0.3.0");
    sr_otel_metric_set_name(&d->m, "http.client.duration");
    sr_otel_metric_set_description(&d->m, "Round trip.");
    sr_otel_metric_set_unit(&d->m, "ms");
    sr_otel_metric_set_kind(&d->m, histogram ? SR_METRIC_KIND_HISTOGRAM : SR_METRIC_KIND_GAUGE);
    if (histogram)
        sr_otel_metric_set_temporality(&d->m, SR_AGGREGATION_TEMPORALITY_DELTA);
    sr_otel_metric_add_metadata_string(&d->m, "source", "probe");
    sr_otel_metric_add_resource_attribute_string(&d->m, "host.name", "web-1");
    sr_otel_metric_add_point(&d->m, &d->p);
    sr_point_set_time_unix_nano(d->p, 1700000000000000000u);
    sr_point_add_attribute_string(d->p, "http.method", "GET");
    if (histogram) {
        static const uint64_t buckets[] = {1, 2, 1};
        static const double bounds[] = {10, 20};
        sr_point_set_count(d->p, 4);
        sr_point_set_sum(d->p, 55);
        sr_point_set_bucket_counts(d->p, buckets, 3);
        sr_point_set_explicit_bounds(d->p, bounds, 2);
        sr_point_set_min(d->p, 5);
        sr_point_set_max(d->p, 25);
    } else {
        sr_point_set_as_double(d->p, 12.5);
    }
    sr_point_add_exemplar(d->p, &d->e);
    sr_exemplar_set_time_unix_nano(d->e, 1699999999000000000u);
    sr_exemplar_set_as_double(d->e, 12.5);
    sr_exemplar_set_trace_id(d->e, TRACE);
    sr_exemplar_set_span_id(d->e, SPAN);
    sr_exemplar_add_filtered_attribute_string(d->e, "user.id", "u-42");
}

/* Validate, serialize, record, emit: the case's rule, the serializer's
 * status, and nothing emitted. */
static void judge(doc *d, const char *name, sr_rule rule, sr_status want_json)
{
    static sr_violation v[256];
    sr_report r;
    sr_report_init(&r, v, 256);
    cases++;
    sr_status st = sr_otel_metric_validate(&d->m, &r);
    CHECK(st == SR_ERR_INVALID, "%s: validate returned %d", name, (int)st);
    bool found = false;
    for (size_t i = 0; i < r.stored; i++)
        found = found || v[i].rule == rule;
    CHECK(found, "%s: no %s among %zu violations (first: %s at %s)", name, sr_rule_id(rule), r.stored,
          r.stored ? sr_rule_id(v[0].rule) : "-", r.stored ? v[0].path : "-");
    size_t need = 0;
    CHECK(sr_otel_metric_json_size(&d->m, &need) == want_json, "%s: json_size is not %d", name, (int)want_json);
    sr_telemetry_batch b;
    sr_telemetry_batch_init(&b, &d->arena);
    sr_telemetry_record *rec = NULL;
    size_t used = d->arena.used;
    fake_host_reset();
    st = sr_telemetry_record_otel_metric(&b, &d->m, NULL, &rec);
    sr_emit_report sent;
    sr_status est = sr_emit_telemetry(&b, &sent);
    CHECK(st == SR_ERR_INVALID && rec == NULL && b.records.count == 0 && d->arena.used == used,
          "%s: record status %d, %zu records", name, (int)st, b.records.count);
    CHECK(est == SR_OK && fake.count == 0 && sent.calls == 0, "%s: emit %d with %zu host calls", name, (int)est,
          fake.count);
}

/* ---------------------------------------------------------------- invalid UTF-8 */

typedef struct bytes {
    const char *name;
    const char *s;
    size_t n;
} bytes;
#define B(name, lit) {name, lit, sizeof(lit) - 1}

/* Every way a byte sequence is not UTF-8 (Unicode ch. 3, table 3-7), each
 * inside otherwise plain text. */
static const bytes utf8_classes[] = {
    B("utf8.lead_without_continuation", "ab\xc3\x28" "cd"),
    B("utf8.stray_continuation", "ab\x80" "cd"),
    B("utf8.overlong_2_bytes", "ab\xc0\xaf" "cd"),
    B("utf8.overlong_2_bytes_c1", "ab\xc1\xbf" "cd"),
    B("utf8.overlong_3_bytes", "ab\xe0\x80\xaf" "cd"),
    B("utf8.overlong_4_bytes", "ab\xf0\x8f\xbf\xbf" "cd"),
    B("utf8.surrogate", "ab\xed\xa0\x80" "cd"),
    B("utf8.above_u10ffff", "ab\xf4\x90\x80\x80" "cd"),
    B("utf8.byte_f5_to_ff", "ab\xf5\x80\x80\x80" "cd"),
    B("utf8.byte_ff", "ab\xff" "cd"),
    B("utf8.truncated_at_end", "ab\xe2\x82"),
    B("utf8.truncated_before_ascii", "ab\xf0\x9d\x84" "cd"),
};

typedef enum sfield {
    SF_NAME, SF_DESCRIPTION, SF_UNIT, SF_SVC_NAME, SF_SVC_NAMESPACE, SF_SVC_VERSION, SF_SVC_INSTANCE,
    SF_SCOPE_NAME, SF_SCOPE_VERSION, SF_TRACE_ID, SF_SPAN_ID,
    SF_KEY_METADATA, SF_KEY_RESOURCE, SF_KEY_POINT, SF_KEY_EXEMPLAR,
    SF_VALUE_METADATA, SF_VALUE_RESOURCE, SF_VALUE_POINT, SF_VALUE_EXEMPLAR, SF_ARRAY_ELEMENT,
    SF_COUNT
} sfield;

static const char *const sfield_names[SF_COUNT] = {
    "name", "description", "unit", "resource.service.name", "resource.service.namespace",
    "resource.service.version", "resource.service.instance_id", "scope.name", "scope.version",
    "exemplar trace_id", "exemplar span_id", "metadata key", "resource attribute key", "point attribute key",
    "exemplar filtered attribute key", "metadata value", "resource attribute value", "point attribute value",
    "exemplar filtered attribute value", "string array element"};

static sr_status spoil_string(doc *d, sfield f, const char *s, size_t n)
{
    sr_value v = sr_value_string(s, n);
    sr_value i = sr_value_int(1);
    sr_str items[2] = {{"ok", 2}, {s, n}};
    sr_value arr = sr_value_string_array(items, 2);
    switch (f) {
    case SF_NAME: return sr_otel_metric_set_name_n(&d->m, s, n);
    case SF_DESCRIPTION: return sr_otel_metric_set_description_n(&d->m, s, n);
    case SF_UNIT: return sr_otel_metric_set_unit_n(&d->m, s, n);
    case SF_SVC_NAME: return sr_otel_metric_set_resource_service_name_n(&d->m, s, n);
    case SF_SVC_NAMESPACE: return sr_otel_metric_set_resource_service_namespace_n(&d->m, s, n);
    case SF_SVC_VERSION: return sr_otel_metric_set_resource_service_version_n(&d->m, s, n);
    case SF_SVC_INSTANCE: return sr_otel_metric_set_resource_service_instance_id_n(&d->m, s, n);
    case SF_SCOPE_NAME: return sr_otel_metric_set_scope_name_n(&d->m, s, n);
    case SF_SCOPE_VERSION: return sr_otel_metric_set_scope_version_n(&d->m, s, n);
    case SF_TRACE_ID: return sr_exemplar_set_trace_id_n(d->e, s, n);
    case SF_SPAN_ID: return sr_exemplar_set_span_id_n(d->e, s, n);
    case SF_KEY_METADATA: return sr_otel_metric_add_metadata(&d->m, s, n, &i);
    case SF_KEY_RESOURCE: return sr_otel_metric_add_resource_attribute(&d->m, s, n, &i);
    case SF_KEY_POINT: return sr_point_add_attribute(d->p, s, n, &i);
    case SF_KEY_EXEMPLAR: return sr_exemplar_add_filtered_attribute(d->e, s, n, &i);
    case SF_VALUE_METADATA: return sr_otel_metric_add_metadata(&d->m, "k", 1, &v);
    case SF_VALUE_RESOURCE: return sr_otel_metric_add_resource_attribute(&d->m, "k", 1, &v);
    case SF_VALUE_POINT: return sr_point_add_attribute(d->p, "k", 1, &v);
    case SF_VALUE_EXEMPLAR: return sr_exemplar_add_filtered_attribute(d->e, "k", 1, &v);
    default: return sr_point_add_attribute(d->p, "list", 4, &arr);
    }
}

static void invalid_utf8(void)
{
    char name[160];
    for (size_t c = 0; c < sizeof utf8_classes / sizeof utf8_classes[0]; c++) {
        for (int f = 0; f < SF_COUNT; f++) {
            doc d;
            base(&d, false);
            CHECK(spoil_string(&d, (sfield)f, utf8_classes[c].s, utf8_classes[c].n) == SR_OK, "set");
            (void)snprintf(name, sizeof name, "%s in %s", utf8_classes[c].name, sfield_names[f]);
            judge(&d, name, SR_RULE_STRING_UTF8, SR_ERR_UTF8);
        }
    }
}

/* ---------------------------------------------------------------- NaN and infinities */

typedef enum dfield {
    DF_AS_DOUBLE, DF_SUM, DF_MIN, DF_MAX, DF_BOUND, DF_EXEMPLAR, DF_ATTRIBUTE, DF_ARRAY_ELEMENT, DF_COUNT
} dfield;
static const char *const dfield_names[DF_COUNT] = {"as_double", "sum", "min", "max", "explicit bound",
                                                   "exemplar as_double", "double attribute", "double array element"};

static void not_finite(void)
{
    static const struct {
        const char *name;
        double v;
    } values[] = {{"double.nan", NAN}, {"double.inf", INFINITY}, {"double.neg_inf", -INFINITY}};
    char name[160];
    for (size_t k = 0; k < sizeof values / sizeof values[0]; k++) {
        for (int f = 0; f < DF_COUNT; f++) {
            double x = values[k].v;
            doc d;
            base(&d, f == DF_SUM || f == DF_MIN || f == DF_MAX || f == DF_BOUND);
            sr_value one = sr_value_double(x);
            double items[3] = {1.0, x, 2.0};
            sr_value arr = sr_value_double_array(items, 3);
            double bounds[2] = {10, x};
            sr_status st;
            switch (f) {
            case DF_AS_DOUBLE: st = sr_point_set_as_double(d.p, x); break;
            case DF_SUM: st = sr_point_set_sum(d.p, x); break;
            case DF_MIN: st = sr_point_set_min(d.p, x); break;
            case DF_MAX: st = sr_point_set_max(d.p, x); break;
            case DF_BOUND: st = sr_point_set_explicit_bounds(d.p, bounds, 2); break;
            case DF_EXEMPLAR: st = sr_exemplar_set_as_double(d.e, x); break;
            case DF_ATTRIBUTE: st = sr_point_add_attribute(d.p, "x", 1, &one); break;
            default: st = sr_otel_metric_add_metadata(&d.m, "xs", 2, &arr); break;
            }
            CHECK(st == SR_OK, "set");
            (void)snprintf(name, sizeof name, "%s in %s", values[k].name, dfield_names[f]);
            judge(&d, name, SR_RULE_DOUBLE_FINITE, SR_ERR_NOT_FINITE);
        }
    }
}

/* ---------------------------------------------------------------- ids, keys, times */

static void ids(void)
{
    static const struct {
        const char *name;
        bool span;
        const char *id;
    } bad[] = {
        {"id.trace.uppercase", false, "4BF92F3577B34DA6A3CE929D0E0E4736"},
        {"id.trace.all_zero", false, "00000000000000000000000000000000"},
        {"id.trace.short", false, "4bf92f3577b34da6a3ce929d0e0e473"},
        {"id.trace.long", false, "4bf92f3577b34da6a3ce929d0e0e47360"},
        {"id.trace.not_hex", false, "4bf92f3577b34da6a3ce929d0e0e473g"},
        {"id.trace.empty", false, ""},
        {"id.span.uppercase", true, "00F067AA0BA902B7"},
        {"id.span.all_zero", true, "0000000000000000"},
        {"id.span.short", true, "00f067aa0ba902b"},
        {"id.span.long", true, "00f067aa0ba902b70"},
        {"id.span.not_hex", true, "00f067aa0ba902bz"},
        {"id.span.empty", true, ""},
    };
    for (size_t k = 0; k < sizeof bad / sizeof bad[0]; k++) {
        doc d;
        base(&d, false);
        if (bad[k].span)
            sr_exemplar_set_span_id(d.e, bad[k].id);
        else
            sr_exemplar_set_trace_id(d.e, bad[k].id);
        judge(&d, bad[k].name, bad[k].span ? SR_RULE_EXEMPLAR_SPAN_ID_FORMAT : SR_RULE_EXEMPLAR_TRACE_ID_FORMAT,
              SR_OK);
    }
}

static void keys_and_times(void)
{
    static const char *const key_empty[] = {"key.empty.metadata", "key.empty.resource", "key.empty.point",
                                            "key.empty.exemplar"};
    static const char *const key_dup[] = {"key.duplicate.metadata", "key.duplicate.resource",
                                          "key.duplicate.point", "key.duplicate.exemplar"};
    for (int map = 0; map < 4; map++) {
        for (int dup = 0; dup <= 1; dup++) {
            doc d;
            base(&d, false);
            sr_value v = sr_value_bool(true);
            const char *key = dup ? "twice" : "";
            for (int times = 0; times <= dup; times++) {
                switch (map) {
                case 0: sr_otel_metric_add_metadata(&d.m, key, strlen(key), &v); break;
                case 1: sr_otel_metric_add_resource_attribute(&d.m, key, strlen(key), &v); break;
                case 2: sr_point_add_attribute(d.p, key, strlen(key), &v); break;
                default: sr_exemplar_add_filtered_attribute(d.e, key, strlen(key), &v); break;
                }
            }
            judge(&d, dup ? key_dup[map] : key_empty[map],
                  dup ? SR_RULE_ATTRIBUTES_KEY_UNIQUE : SR_RULE_ATTRIBUTES_KEY_NON_EMPTY, SR_OK);
        }
    }
    doc d;
    base(&d, false);
    sr_point_set_time_unix_nano(d.p, 0);
    judge(&d, "time.zero.point", SR_RULE_POINT_TIME_NON_ZERO, SR_OK);
    base(&d, false);
    sr_exemplar_set_time_unix_nano(d.e, 0);
    judge(&d, "time.zero.exemplar", SR_RULE_EXEMPLAR_TIME_NON_ZERO, SR_OK);
    base(&d, false);
    sr_point_set_start_time_unix_nano(d.p, 1700000000000000001u);
    judge(&d, "time.start_after_time", SR_RULE_POINT_START_TIME_NOT_AFTER_TIME, SR_OK);
}

/* ---------------------------------------------------------------- refused by the builder */

static void builder_refusals(void)
{
    doc d;
    base(&d, false);
    size_t used = d.arena.used, count = d.p->attributes.count;
    sr_value bad = sr_value_int(1);
    bad.type = (sr_value_type)99;
    cases++;
    CHECK(sr_point_add_attribute(d.p, "k", 1, &bad) == SR_ERR_ARG && d.p->attributes.count == count
              && d.arena.used == used,
          "value.type_outside_contract: not refused");
    sr_value nulls = sr_value_int_array(NULL, 3);
    cases++;
    CHECK(sr_point_add_attribute(d.p, "k", 1, &nulls) == SR_ERR_ARG && d.p->attributes.count == count
              && d.arena.used == used,
          "value.array_without_items: not refused");
    cases++;
    CHECK(sr_otel_metric_set_kind(&d.m, (sr_metric_kind)7) == SR_ERR_ARG && d.m.kind == SR_METRIC_KIND_GAUGE,
          "enum.kind_outside_contract: not refused");
    cases++;
    CHECK(sr_otel_metric_set_temporality(&d.m, (sr_aggregation_temporality)0) == SR_ERR_ARG
              && !(d.m.present & SR_OTEL_METRIC_HAS_TEMPORALITY),
          "enum.temporality_unspecified: not refused");
    /* the metric is still the valid base: it records and emits */
    sr_telemetry_batch b;
    sr_telemetry_batch_init(&b, &d.arena);
    fake_host_reset();
    cases++;
    CHECK(sr_telemetry_record_otel_metric(&b, &d.m, NULL, NULL) == SR_OK && sr_emit_telemetry(&b, NULL) == SR_OK
              && fake.count == 1,
          "after refused calls the metric does not emit");
    fake_host_reset();
}

/* ---------------------------------------------------------------- the envelope */

static void envelope_utf8(void)
{
    static const char *const names[] = {"envelope.utf8.source_type", "envelope.utf8.source_instance",
                                        "envelope.utf8.source_metadata", "envelope.utf8.event_id",
                                        "envelope.utf8.record_metadata"};
    const char *bad = "ab\xed\xa0\x80" "cd"; /* a surrogate */
    for (int k = 0; k < 5; k++) {
        doc d;
        base(&d, false);
        sr_telemetry_batch b;
        sr_telemetry_batch_init(&b, &d.arena);
        sr_telemetry_record *r = NULL;
        CHECK(sr_telemetry_record_otel_metric(&b, &d.m, NULL, &r) == SR_OK, "record");
        switch (k) {
        case 0: sr_telemetry_batch_set_source_type(&b, bad); break;
        case 1: sr_telemetry_batch_set_source_instance(&b, bad); break;
        case 2: sr_telemetry_batch_add_source_metadata(&b, "k", bad); break;
        case 3: sr_telemetry_record_set_event_id(r, bad); break;
        default: sr_telemetry_record_add_metadata(r, bad, "v"); break;
        }
        fake_host_reset();
        sr_emit_report sent;
        sr_status st = sr_emit_telemetry(&b, &sent);
        cases++;
        CHECK(st == SR_ERR_UTF8 && fake.count == 0 && sent.calls == 0, "%s: emit %d with %zu host calls", names[k],
              (int)st, fake.count);
        size_t len = 0;
        CHECK(sr_telemetry_batch_to_json(&b, NULL, 0, &len) == SR_ERR_UTF8, "%s: batch JSON written", names[k]);
    }
    fake_host_reset();
}

int main(void)
{
    arena_mem = malloc(ARENA_BYTES);
    if (arena_mem == NULL)
        return 2;
    invalid_utf8();
    not_finite();
    ids();
    keys_and_times();
    builder_refusals();
    envelope_utf8();
    (void)printf("%d bad-input cases: each refused, nothing emitted; %d failed checks\n", cases, failures);
    free(arena_mem);
    return failures ? 1 : 0;
}
