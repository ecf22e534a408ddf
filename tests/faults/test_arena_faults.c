/*
 * Arena exhaustion at every allocation point of the reference document: a
 * histogram metric with 100 points, 2 attributes on each, 11 buckets (10
 * bounds), min/max/sum, an exemplar on every point (two on every tenth,
 * with trace and span ids and a filtered attribute), recorded into a
 * telemetry batch and emitted through the fake host (tests/c/fake_host.c).
 *
 * The document is a list of steps (one API call each). Before step k runs
 * for real, it is tried with the arena cut to every size from what is in
 * use up to the first size that is enough, byte by byte (the batch steps,
 * whose allocations are large, by bisection over the same sizes). Every
 * attempt below that size must:
 *   - return SR_ERR_ARENA;
 *   - leave the arena's use as it was and the object it was called on
 *     unchanged, byte for byte.
 * Where the attempt got to differs from the previous size (a different
 * allocation inside the call failed; seen through the arena's high-water
 * mark, reset before each attempt), it must also:
 *   - leave the metric serializing exactly as before step k (same bytes) and
 *     validating exactly as before (same status and counts);
 *   - and, with room given back, the metric as it stands records and emits
 *     exactly the document as before step k (or is refused with
 *     SR_ERR_INVALID when that was not valid): nothing partial is emitted.
 * A failed batch step leaves the batch without the record and makes no host
 * call. At the first size that is enough the step succeeds (the arena need
 * is exact), and the next step starts from there. At the end the emitted
 * payload holds the complete document, and a run with failures at every
 * point that retried each failed call with room ends with the same bytes as
 * a run that never failed.
 */
#include <stdalign.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fake_host.h"
#include "sr_telemetry.h"

#define POINTS 100
#define BUCKETS 11
#define BIG_ARENA ((size_t)4 << 20)

static int failures;
#define CHECK(cond, ...)                                                              \
    do {                                                                              \
        if (!(cond)) {                                                                \
            (void)fprintf(stderr, "%s:%d: %s: ", __FILE__, __LINE__, #cond);          \
            (void)fprintf(stderr, __VA_ARGS__);                                       \
            (void)fputc('\n', stderr);                                                \
            if (++failures > 20)                                                      \
                exit(1);                                                              \
        }                                                                             \
    } while (0)

/* ---------------------------------------------------------------- the document */

typedef enum op {
    S_SVC_NAME, S_SVC_VERSION, S_RES_ATTR, S_SCOPE, S_NAME, S_DESC, S_UNIT, S_KIND, S_TEMP, S_META,
    S_ADD_POINT, S_TIME, S_START, S_ATTR_ROUTE, S_ATTR_CODE, S_COUNT, S_SUM, S_BUCKETS, S_BOUNDS, S_MIN, S_MAX,
    S_ADD_EX, S_EX_TIME, S_EX_VALUE, S_EX_TRACE, S_EX_SPAN, S_EX_ATTR,
    S_RECORD, S_EMIT
} op;

static const char *const op_names[] = {
    "set_resource_service_name", "set_resource_service_version", "add_resource_attribute_string",
    "set_scope_name", "set_name", "set_description", "set_unit", "set_kind", "set_temporality",
    "add_metadata_string", "add_point", "set_time_unix_nano", "set_start_time_unix_nano",
    "add_attribute_string", "add_attribute_int", "set_count", "set_sum", "set_bucket_counts",
    "set_explicit_bounds", "set_min", "set_max", "add_exemplar", "exemplar_set_time_unix_nano",
    "exemplar_set_as_double", "exemplar_set_trace_id", "exemplar_set_span_id",
    "exemplar_add_filtered_attribute_string", "telemetry_record_otel_metric", "emit_telemetry"};

typedef struct step {
    op op;
    int point;
} step;

static step steps[4096];
static size_t nsteps;

static void plan(void)
{
    static const op head[] = {S_SVC_NAME, S_SVC_VERSION, S_RES_ATTR, S_SCOPE, S_NAME,
                              S_DESC,     S_UNIT,        S_KIND,     S_TEMP,  S_META};
    static const op point_ops[] = {S_ADD_POINT, S_TIME,    S_START,  S_ATTR_ROUTE, S_ATTR_CODE, S_COUNT,
                                   S_SUM,       S_BUCKETS, S_BOUNDS, S_MIN,        S_MAX};
    static const op ex_ops[] = {S_ADD_EX, S_EX_TIME, S_EX_VALUE, S_EX_TRACE, S_EX_SPAN, S_EX_ATTR};
    for (size_t i = 0; i < sizeof head / sizeof head[0]; i++)
        steps[nsteps++] = (step){head[i], -1};
    for (int p = 0; p < POINTS; p++) {
        for (size_t i = 0; i < sizeof point_ops / sizeof point_ops[0]; i++)
            steps[nsteps++] = (step){point_ops[i], p};
        for (int e = 0; e < (p % 10 == 0 ? 2 : 1); e++)
            for (size_t i = 0; i < sizeof ex_ops / sizeof ex_ops[0]; i++)
                steps[nsteps++] = (step){ex_ops[i], p};
    }
    steps[nsteps++] = (step){S_RECORD, -1};
    steps[nsteps++] = (step){S_EMIT, -1};
}

typedef struct doc {
    sr_arena *arena;
    sr_otel_metric m;
    sr_point *p;     /* the point being built */
    sr_exemplar *e;  /* the exemplar being built */
    sr_telemetry_batch batch;
    sr_emit_report sent;
} doc;

static const uint64_t T0 = UINT64_C(1700000000000000000);

static sr_status run_step(doc *d, const step *s)
{
    static const char *const routes[] = {"/", "/cart", "/checkout", "/api/v1/items", "/health"};
    static const double bounds[BUCKETS - 1] = {0.5, 1, 2.5, 5, 10, 25, 50, 100, 250, 500};
    int i = s->point;
    uint64_t buckets[BUCKETS], count = 0;
    for (int b = 0; b < BUCKETS; b++) {
        buckets[b] = (uint64_t)((i * 7 + b * 3) % 5);
        count += buckets[b];
    }
    char trace[33], span[17];
    (void)snprintf(trace, sizeof trace, "4bf92f3577b34da6a3ce929d%08x", (unsigned)(i + 1));
    (void)snprintf(span, sizeof span, "00f067aa%08x", (unsigned)(i + 1));
    sr_point *out_p = NULL;
    sr_exemplar *out_e = NULL;
    sr_status st;
    switch (s->op) {
    case S_SVC_NAME: return sr_otel_metric_set_resource_service_name(&d->m, "checkout");
    case S_SVC_VERSION: return sr_otel_metric_set_resource_service_version(&d->m, "1.4.2");
    case S_RES_ATTR: return sr_otel_metric_add_resource_attribute_string(&d->m, "host.name", "web-1");
    case S_SCOPE: return sr_otel_metric_set_scope_name(&d->m, "serviceradar.plugin.http");
    case S_NAME: return sr_otel_metric_set_name(&d->m, "http.server.request.duration");
    case S_DESC: return sr_otel_metric_set_description(&d->m, "Duration of HTTP server requests.");
    case S_UNIT: return sr_otel_metric_set_unit(&d->m, "ms");
    case S_KIND: return sr_otel_metric_set_kind(&d->m, SR_METRIC_KIND_HISTOGRAM);
    case S_TEMP: return sr_otel_metric_set_temporality(&d->m, SR_AGGREGATION_TEMPORALITY_DELTA);
    case S_META: return sr_otel_metric_add_metadata_string(&d->m, "source", "probe");
    case S_ADD_POINT:
        st = sr_otel_metric_add_point(&d->m, &out_p);
        if (st == SR_OK)
            d->p = out_p;
        return st;
    case S_TIME: return sr_point_set_time_unix_nano(d->p, T0 + (uint64_t)i * 1000000000u);
    case S_START: return sr_point_set_start_time_unix_nano(d->p, T0 + (uint64_t)i * 1000000000u - 1000000000u);
    case S_ATTR_ROUTE: return sr_point_add_attribute_string(d->p, "http.route", routes[i % 5]);
    case S_ATTR_CODE: return sr_point_add_attribute_int(d->p, "http.response.status_code", 200 + (i % 3) * 100);
    case S_COUNT: return sr_point_set_count(d->p, count);
    case S_SUM: return sr_point_set_sum(d->p, (double)count * 3.25);
    case S_BUCKETS: return sr_point_set_bucket_counts(d->p, buckets, BUCKETS);
    case S_BOUNDS: return sr_point_set_explicit_bounds(d->p, bounds, BUCKETS - 1);
    case S_MIN: return sr_point_set_min(d->p, 0.25);
    case S_MAX: return sr_point_set_max(d->p, 750.0);
    case S_ADD_EX:
        st = sr_point_add_exemplar(d->p, &out_e);
        if (st == SR_OK)
            d->e = out_e;
        return st;
    case S_EX_TIME: return sr_exemplar_set_time_unix_nano(d->e, T0 + (uint64_t)i * 1000000000u - 1);
    case S_EX_VALUE: return sr_exemplar_set_as_double(d->e, 3.25);
    case S_EX_TRACE: return sr_exemplar_set_trace_id(d->e, trace);
    case S_EX_SPAN: return sr_exemplar_set_span_id(d->e, span);
    case S_EX_ATTR: return sr_exemplar_add_filtered_attribute_string(d->e, "user.id", "u-42");
    case S_RECORD: {
        sr_telemetry_record *r = NULL;
        st = sr_telemetry_record_otel_metric(&d->batch, &d->m, NULL, &r);
        if (st == SR_OK) /* a fixed clock, so runs compare byte for byte */
            sr_telemetry_record_set_observed_time_unix_nano(r, 1);
        return st;
    }
    case S_EMIT: return sr_emit_telemetry(&d->batch, &d->sent);
    }
    return SR_ERR_ARG;
}

/* The bytes a step may touch when it fails (and must not). */
static const void *target(const doc *d, const step *s, size_t *size)
{
    switch (s->op) {
    case S_TIME: case S_START: case S_ATTR_ROUTE: case S_ATTR_CODE: case S_COUNT: case S_SUM:
    case S_BUCKETS: case S_BOUNDS: case S_MIN: case S_MAX: case S_ADD_EX:
        *size = sizeof *d->p;
        return d->p;
    case S_EX_TIME: case S_EX_VALUE: case S_EX_TRACE: case S_EX_SPAN: case S_EX_ATTR:
        *size = sizeof *d->e;
        return d->e;
    case S_RECORD: case S_EMIT:
        *size = sizeof d->batch;
        return &d->batch;
    default:
        *size = sizeof d->m;
        return &d->m;
    }
}

/* ---------------------------------------------------------------- helpers */

static char *json_of(const sr_otel_metric *m, size_t *len)
{
    size_t need = 0;
    if (sr_otel_metric_json_size(m, &need) != SR_OK)
        return NULL;
    char *buf = malloc(need);
    if (buf == NULL || sr_otel_metric_to_json(m, buf, need, len) != SR_OK || *len != need) {
        free(buf);
        return NULL;
    }
    return buf;
}

typedef struct verdict {
    sr_status status;
    size_t errors, warnings;
} verdict;

static verdict judge(const sr_otel_metric *m)
{
    sr_report r;
    sr_report_init(&r, NULL, 0);
    verdict v;
    v.status = sr_otel_metric_validate(m, &r);
    v.errors = r.errors;
    v.warnings = r.warnings;
    return v;
}

static bool contains(const char *hay, size_t n, const char *needle, size_t k)
{
    for (size_t i = 0; i + k <= n; i++)
        if (memcmp(hay + i, needle, k) == 0)
            return true;
    return false;
}

/* With room given back: recording and emitting the metric as it stands
 * sends exactly `json` (valid) or nothing (invalid). Everything it
 * allocates is rolled back. */
static void check_emits_as_before(doc *d, const char *json, size_t len, const verdict *before, size_t k)
{
    sr_arena *a = d->arena;
    size_t size = a->size, mark = sr_arena_mark(a);
    a->size = BIG_ARENA;
    sr_telemetry_batch b;
    sr_telemetry_batch_init(&b, a);
    sr_telemetry_record *r = NULL;
    fake_host_reset();
    sr_status st = sr_telemetry_record_otel_metric(&b, &d->m, NULL, &r);
    if (before->status != SR_OK) {
        CHECK(st == SR_ERR_INVALID && b.records.count == 0, "step %zu: an invalid metric was recorded (%d)", k,
              (int)st);
    } else {
        CHECK(st == SR_OK, "step %zu: recording failed (%d)", k, (int)st);
        sr_emit_report sent;
        st = sr_emit_telemetry(&b, &sent);
        CHECK(st == SR_OK && fake.count == 1, "step %zu: emit %d, %zu calls", k, (int)st, fake.count);
        if (fake.count == 1)
            CHECK(contains(fake.calls[0].payload, fake.calls[0].size, json, len),
                  "step %zu: the emitted payload is not the document as before the failed call", k);
    }
    fake_host_reset();
    sr_arena_rollback(a, mark);
    a->size = size;
}

/* ---------------------------------------------------------------- the sweep */

typedef struct attempt {
    sr_status st;
    size_t reached; /* the arena's high-water mark in the attempt */
} attempt;

static attempt try_at(doc *d, const step *s, size_t size)
{
    sr_arena *a = d->arena;
    a->size = size;
    a->peak = a->used;
    attempt r;
    r.st = run_step(d, s);
    r.reached = a->peak;
    return r;
}

typedef struct stats {
    size_t attempts, points, bytes;
} stats;

/* Checks one failed attempt; `fresh` when it failed at an allocation no
 * smaller size failed at. */
static void check_failure(doc *d, const step *s, size_t k, size_t size, const attempt *at, size_t used,
                          const unsigned char *snap, const char *json, size_t len, const verdict *before,
                          bool fresh)
{
    size_t tsize;
    const void *t = target(d, s, &tsize);
    CHECK(at->st == SR_ERR_ARENA, "step %zu (%s) with %zu arena bytes: status %d", k, op_names[s->op], size,
          (int)at->st);
    CHECK(d->arena->used == used, "step %zu (%s) with %zu bytes: failed yet keeps %zu bytes", k, op_names[s->op],
          size, d->arena->used - used);
    CHECK(memcmp(snap, t, tsize) == 0, "step %zu (%s) with %zu bytes: failed yet changed its object", k,
          op_names[s->op], size);
    if (s->op == S_RECORD)
        CHECK(d->batch.records.count == 0 && d->batch.records.head == NULL, "step %zu: a failed record stays", k);
    if (s->op == S_EMIT)
        CHECK(fake.count == 0, "step %zu: a failed emit called the host %zu times", k, fake.count);
    if (!fresh)
        return;
    size_t now_len = 0;
    char *now = json_of(&d->m, &now_len);
    CHECK(now != NULL && now_len == len && memcmp(now, json, len) == 0,
          "step %zu (%s) with %zu bytes: the metric no longer serializes as before", k, op_names[s->op], size);
    free(now);
    verdict v = judge(&d->m);
    CHECK(v.status == before->status && v.errors == before->errors && v.warnings == before->warnings,
          "step %zu (%s): validation changed", k, op_names[s->op]);
    if (s->op != S_EMIT)
        check_emits_as_before(d, json, len, before, k);
}

static void sweep(doc *d, stats *st_out)
{
    sr_arena *a = d->arena;
    for (size_t k = 0; k < nsteps; k++) {
        const step *s = &steps[k];
        size_t used = a->used, tsize;
        size_t len = 0;
        char *json = json_of(&d->m, &len);
        CHECK(json != NULL, "step %zu: the metric does not serialize", k);
        if (json == NULL)
            return;
        verdict before = judge(&d->m);
        const void *t = target(d, s, &tsize);
        unsigned char snap[sizeof(sr_telemetry_batch) > sizeof(sr_otel_metric) ? sizeof(sr_telemetry_batch)
                                                                                 : sizeof(sr_otel_metric)];
        memcpy(snap, t, tsize);
        fake_host_reset();

        size_t enough;
        if (s->op == S_RECORD || s->op == S_EMIT) {
            /* Large allocations (the whole JSON, the emit buffer): find the
             * first size that is enough by bisection, then every failure
             * point below it by splitting the range of sizes wherever the
             * high-water mark differs at its two ends (it only grows with
             * the size). A success is undone: the batch as it was, its
             * memory back, the host's record of the call gone. */
            size_t lo = used, hi = BIG_ARENA;
            attempt bottom = try_at(d, s, lo);
            st_out->attempts++;
            if (bottom.st == SR_OK) {
                enough = lo;
                memcpy(&d->batch, snap, sizeof d->batch);
                sr_arena_rollback(a, used);
                fake_host_reset();
            } else {
                check_failure(d, s, k, lo, &bottom, used, snap, json, len, &before, true);
                st_out->points++;
                while (hi - lo > 1) {
                    size_t mid = lo + (hi - lo) / 2;
                    attempt at = try_at(d, s, mid);
                    st_out->attempts++;
                    if (at.st == SR_OK) {
                        hi = mid;
                        memcpy(&d->batch, snap, sizeof d->batch);
                        sr_arena_rollback(a, used);
                        fake_host_reset();
                    } else {
                        check_failure(d, s, k, mid, &at, used, snap, json, len, &before, false);
                        lo = mid;
                    }
                }
                enough = hi;
                attempt top = try_at(d, s, enough - 1);
                st_out->attempts++;
                bool fresh = top.reached != bottom.reached;
                check_failure(d, s, k, enough - 1, &top, used, snap, json, len, &before, fresh);
                st_out->points += fresh;
                struct seg {
                    size_t lo, rlo, hi, rhi;
                } stack[128];
                size_t sp = 0;
                stack[sp++] = (struct seg){used, bottom.reached, enough - 1, top.reached};
                while (sp > 0) {
                    struct seg g = stack[--sp];
                    if (g.rlo == g.rhi || g.hi - g.lo <= 1)
                        continue;
                    size_t mid = g.lo + (g.hi - g.lo) / 2;
                    attempt at = try_at(d, s, mid);
                    st_out->attempts++;
                    fresh = at.reached != g.rlo && at.reached != g.rhi;
                    check_failure(d, s, k, mid, &at, used, snap, json, len, &before, fresh);
                    st_out->points += fresh;
                    if (sp + 2 > sizeof stack / sizeof stack[0]) {
                        CHECK(0, "step %zu: bisection stack", k);
                        break;
                    }
                    stack[sp++] = (struct seg){mid, at.reached, g.hi, g.rhi};
                    stack[sp++] = (struct seg){g.lo, g.rlo, mid, at.reached};
                }
            }
        } else {
            /* Every size, byte by byte, until the step succeeds. */
            size_t size = used, last_reached = (size_t)-1;
            for (;; size++) {
                attempt at = try_at(d, s, size);
                st_out->attempts++;
                if (at.st == SR_OK)
                    break;
                bool fresh = at.reached != last_reached;
                check_failure(d, s, k, size, &at, used, snap, json, len, &before, fresh);
                if (fresh)
                    st_out->points++;
                last_reached = at.reached;
                if (size > used + 65536) {
                    CHECK(0, "step %zu (%s) does not succeed with 64 KiB more", k, op_names[s->op]);
                    free(json);
                    return;
                }
            }
            enough = size;
        }
        /* Run it for real with exactly enough (batch steps were undone). */
        if (s->op == S_RECORD || s->op == S_EMIT) {
            fake_host_reset();
            attempt at = try_at(d, s, enough);
            CHECK(at.st == SR_OK, "step %zu (%s) fails with %zu bytes, the size found to be enough", k,
                  op_names[s->op], enough);
        }
        CHECK(a->used <= enough, "step %zu: used %zu with %zu bytes", k, a->used, enough);
        a->size = BIG_ARENA;
        free(json);
    }
    st_out->bytes = a->used;
}

/* ---------------------------------------------------------------- main */

static unsigned char *arena_mem;

/* The whole document with a roomy arena: the emitted payload. */
static char *reference_run(size_t *len, size_t *arena_used)
{
    sr_arena a;
    doc d;
    memset(&d, 0, sizeof d);
    sr_arena_init(&a, arena_mem, BIG_ARENA);
    d.arena = &a;
    sr_otel_metric_init(&d.m, &a);
    sr_telemetry_batch_init(&d.batch, &a);
    fake_host_reset();
    for (size_t k = 0; k < nsteps; k++) {
        sr_status st = run_step(&d, &steps[k]);
        CHECK(st == SR_OK, "reference run: step %zu (%s) returned %d", k, op_names[steps[k].op], (int)st);
    }
    CHECK(fake.count == 1, "reference run: %zu host calls", fake.count);
    char *out = NULL;
    if (fake.count == 1) {
        *len = fake.calls[0].size;
        out = malloc(*len);
        if (out)
            memcpy(out, fake.calls[0].payload, *len);
    }
    *arena_used = a.used;
    size_t mlen = 0;
    char *m = json_of(&d.m, &mlen);
    CHECK(m != NULL && judge(&d.m).status == SR_OK, "the reference document is not valid");
    CHECK(out == NULL || contains(out, *len, m, mlen), "the emitted batch does not hold the document");
    (void)fprintf(stderr, "reference document: %zu points, JSON %zu bytes, batch %zu bytes, arena %zu bytes\n",
                  d.m.points.count, mlen, *len, a.used);
    free(m);
    fake_host_reset();
    return out;
}

int main(void)
{
    arena_mem = malloc(BIG_ARENA);
    if (arena_mem == NULL)
        return 2;
    plan();

    size_t ref_len = 0, ref_used = 0;
    char *ref = reference_run(&ref_len, &ref_used);
    if (ref == NULL)
        return 1;

    /* The sweep: every step, failing at every allocation first. */
    sr_arena a;
    doc d;
    memset(&d, 0, sizeof d);
    sr_arena_init(&a, arena_mem, BIG_ARENA);
    d.arena = &a;
    sr_otel_metric_init(&d.m, &a);
    sr_telemetry_batch_init(&d.batch, &a);
    stats st = {0, 0, 0};
    sweep(&d, &st);
    CHECK(fake.count == 1, "sweep: %zu host calls at the end", fake.count);
    if (fake.count == 1)
        CHECK(fake.calls[0].size == ref_len && memcmp(fake.calls[0].payload, ref, ref_len) == 0,
              "after failing at every allocation and retrying, the emitted batch differs from a run without "
              "failures");
    CHECK(st.bytes == ref_used, "the sweep used %zu arena bytes, the plain run %zu", st.bytes, ref_used);
    (void)printf("%zu steps, %zu arena sizes tried, %zu distinct failure points, each failed cleanly; "
                 "arena %zu bytes; emitted batch identical to the run without failures\n",
                 nsteps, st.attempts, st.points, st.bytes);
    free(ref);
    free(arena_mem);
    fake_host_reset();
    if (failures)
        (void)fprintf(stderr, "%d check(s) failed\n", failures);
    return failures ? 1 : 0;
}
