/*
 * sdk_cases.c - the reference document through our SDK: the builder, the
 * validator, the serializer and the emit path, exactly as a plugin calls
 * them (sr_telemetry_record_otel_metric, sr_telemetry_batch_to_json,
 * sr_emit_telemetry).
 */
#include <stdlib.h>
#include <string.h>

#include "bench.h"
#include "doc.h"
#include "sr_telemetry.h"

/* The host import sr_emit_telemetry calls: here a host that copies the
 * payload out of the plugin's memory, as wazero's host functions do. In the
 * wasm build this definition replaces the env.emit_telemetry import. */
static char *host_sink;
static size_t host_sink_cap, host_sink_len;
int32_t sr_host_emit_telemetry(const void *ptr, uint32_t size)
{
    if (size > host_sink_cap)
        return SR_HOST_TOO_LARGE;
    memcpy(host_sink, ptr, size);
    host_sink_len = size;
    return SR_HOST_OK;
}

typedef struct sdk_state {
    size_t n;
    /* work: rebuilt by every operation */
    unsigned char *work_mem;
    size_t work_size;
    /* prebuilt: the metric and the batch holding its record, built once */
    unsigned char *pre_mem;
    size_t pre_size;
    sr_arena pre_arena;
    sr_otel_metric pre_metric;
    sr_telemetry_batch pre_batch;
    sr_telemetry_record *pre_record;
    char *payload; /* sdk_serialize writes the metric here */
    char *out;     /* the whole document */
    char *copy;    /* memcpy floor destination */
    size_t cap, out_len, payload_len;
} sdk_state;

#define SIZES 8
static sdk_state states[SIZES];

static sdk_state *state_for(size_t n)
{
    for (int i = 0; i < SIZES; i++)
        if (states[i].n == n)
            return &states[i];
    return NULL;
}

static void build_metric(sr_otel_metric *m, sr_arena *a, size_t n)
{
    sr_otel_metric_init(m, a);
    sr_otel_metric_set_resource_service_name(m, DOC_SERVICE_NAME);
    sr_otel_metric_set_scope_name(m, DOC_SCOPE_NAME);
    sr_otel_metric_set_name(m, DOC_METRIC_NAME);
    sr_otel_metric_set_description(m, DOC_METRIC_DESCRIPTION);
    sr_otel_metric_set_unit(m, DOC_METRIC_UNIT);
    sr_otel_metric_set_kind(m, SR_METRIC_KIND_HISTOGRAM);
    sr_otel_metric_set_temporality(m, SR_AGGREGATION_TEMPORALITY_CUMULATIVE);
    for (size_t i = 0; i < n; i++) {
        const doc_point *d = &doc_points[i];
        sr_point *p;
        sr_otel_metric_add_point(m, &p);
        sr_point_set_start_time_unix_nano(p, d->start_time_unix_nano);
        sr_point_set_time_unix_nano(p, d->time_unix_nano);
        sr_point_add_attribute_string(p, "http.route", d->route);
        sr_point_add_attribute_string(p, "http.request.method", d->method);
        sr_point_set_count(p, d->count);
        sr_point_set_sum(p, d->sum);
        sr_point_set_bucket_counts(p, d->bucket_counts, DOC_BUCKETS);
        sr_point_set_explicit_bounds(p, doc_bounds, DOC_BOUNDS);
        sr_point_set_min(p, d->min);
        sr_point_set_max(p, d->max);
    }
}

static void batch_start(sr_telemetry_batch *b, sr_arena *a)
{
    sr_telemetry_batch_init(b, a);
    sr_telemetry_batch_set_source_type(b, DOC_SOURCE_TYPE);
    sr_telemetry_batch_set_source_instance(b, DOC_SOURCE_INSTANCE);
}

/* Validate + record the metric (the plugin's path); NULL on failure. */
static sr_telemetry_record *record(sr_telemetry_batch *b, const sr_otel_metric *m)
{
    sr_violation v[8];
    sr_report rep;
    sr_telemetry_record *r = NULL;
    sr_report_init(&rep, v, 8);
    if (sr_telemetry_record_otel_metric(b, m, &rep, &r) != SR_OK || rep.warnings != 0)
        return NULL;
    sr_telemetry_record_set_observed_time_unix_nano(r, DOC_OBSERVED_TIME);
    return r;
}

int sdk_setup(size_t n)
{
    if (state_for(n))
        return 0;
    sdk_state *s = NULL;
    for (int i = 0; i < SIZES && !s; i++)
        if (states[i].n == 0)
            s = &states[i];
    if (!s)
        return -1;
    doc_init();
    s->n = n;
    s->work_size = 8192 + n * 2048;
    s->pre_size = s->work_size;
    s->cap = 4096 + n * 512;
    s->work_mem = malloc(s->work_size);
    s->pre_mem = malloc(s->pre_size);
    s->payload = malloc(s->cap);
    s->out = malloc(s->cap);
    s->copy = malloc(s->cap);
    if (!s->work_mem || !s->pre_mem || !s->payload || !s->out || !s->copy)
        return -1;
    if (host_sink_cap < s->cap) {
        free(host_sink);
        host_sink = malloc(s->cap);
        host_sink_cap = s->cap;
    }
    sr_arena_init(&s->pre_arena, s->pre_mem, s->pre_size);
    build_metric(&s->pre_metric, &s->pre_arena, n);
    batch_start(&s->pre_batch, &s->pre_arena);
    s->pre_record = record(&s->pre_batch, &s->pre_metric);
    if (!s->pre_record)
        return -1;
    if (sr_telemetry_batch_to_json(&s->pre_batch, s->out, s->cap, &s->out_len) != SR_OK)
        return -1;
    if (sr_otel_metric_to_json(&s->pre_metric, s->payload, s->cap, &s->payload_len) != SR_OK)
        return -1;
    /* The prebuilt record's payload now points at our buffer, which
     * sdk_serialize rewrites each time. */
    s->pre_record->payload.ptr = s->payload;
    return sdk_full(n) == s->out_len ? 0 : -1;
}

size_t sdk_full(size_t n)
{
    sdk_state *s = state_for(n);
    sr_arena a;
    sr_otel_metric m;
    sr_telemetry_batch b;
    size_t len = 0;
    sr_arena_init(&a, s->work_mem, s->work_size);
    batch_start(&b, &a);
    build_metric(&m, &a, n);
    if (!record(&b, &m))
        return 0;
    if (sr_telemetry_batch_to_json(&b, s->out, s->cap, &len) != SR_OK)
        return 0;
    return len;
}

size_t sdk_emit(size_t n)
{
    sdk_state *s = state_for(n);
    sr_arena a;
    sr_otel_metric m;
    sr_telemetry_batch b;
    sr_emit_report rep;
    sr_arena_init(&a, s->work_mem, s->work_size);
    batch_start(&b, &a);
    build_metric(&m, &a, n);
    if (!record(&b, &m))
        return 0;
    if (sr_emit_telemetry(&b, &rep) != SR_OK || rep.calls != 1)
        return 0;
    return host_sink_len;
}

size_t sdk_build(size_t n)
{
    sdk_state *s = state_for(n);
    sr_arena a;
    sr_otel_metric m;
    sr_arena_init(&a, s->work_mem, s->work_size);
    build_metric(&m, &a, n);
    return m.points.count == n ? a.used : 0;
}

size_t sdk_record(size_t n)
{
    sdk_state *s = state_for(n);
    sr_arena a;
    sr_telemetry_batch b;
    sr_arena_init(&a, s->work_mem, s->work_size);
    batch_start(&b, &a);
    sr_telemetry_record *r = record(&b, &s->pre_metric);
    return r ? r->payload.len : 0;
}

size_t sdk_validate(size_t n)
{
    sdk_state *s = state_for(n);
    sr_violation v[8];
    sr_report rep;
    sr_report_init(&rep, v, 8);
    return sr_otel_metric_validate(&s->pre_metric, &rep) == SR_OK && rep.warnings == 0;
}

size_t sdk_serialize_metric(size_t n)
{
    sdk_state *s = state_for(n);
    size_t len = 0;
    return sr_otel_metric_to_json(&s->pre_metric, s->payload, s->cap, &len) == SR_OK ? len : 0;
}

size_t sdk_json_size(size_t n)
{
    sdk_state *s = state_for(n);
    size_t need = 0;
    return sr_otel_metric_json_size(&s->pre_metric, &need) == SR_OK ? need : 0;
}

size_t sdk_serialize(size_t n)
{
    sdk_state *s = state_for(n);
    size_t len = 0;
    if (sr_otel_metric_to_json(&s->pre_metric, s->payload, s->cap, &len) != SR_OK)
        return 0;
    s->pre_record->payload.len = len;
    if (sr_telemetry_batch_to_json(&s->pre_batch, s->out, s->cap, &len) != SR_OK)
        return 0;
    return len;
}

size_t sdk_memcpy(size_t n)
{
    sdk_state *s = state_for(n);
    memcpy(s->copy, s->out, s->out_len);
    return s->out_len;
}

const char *sdk_output(size_t n, size_t *len)
{
    sdk_state *s = state_for(n);
    *len = sdk_full(n);
    return s->out;
}

void sdk_arena_peaks(size_t n, size_t *after_build, size_t *after_record, size_t *after_emit)
{
    sdk_state *s = state_for(n);
    sr_arena a;
    sr_otel_metric m;
    sr_telemetry_batch b;
    sr_emit_report rep;
    sr_arena_init(&a, s->work_mem, s->work_size);
    batch_start(&b, &a);
    build_metric(&m, &a, n);
    *after_build = a.peak;
    record(&b, &m);
    *after_record = a.peak;
    sr_emit_telemetry(&b, &rep);
    *after_emit = a.peak;
}

size_t sdk_format_doubles(const double *v, size_t count)
{
    static char sink[SR_DOUBLE_MAX_CHARS * 4];
    size_t total = 0;
    for (size_t i = 0; i < count; i++)
        total += sr_format_double(v[i], sink + (i & 3) * SR_DOUBLE_MAX_CHARS);
    return total;
}
