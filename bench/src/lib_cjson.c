/*
 * lib_cjson.c - the reference document with cJSON (Debian's libcjson 1.7.15).
 *
 * cJSON keeps every number as a double, so a 64-bit integer above 2^53
 * (time_unix_nano: 1700000000123456789) cannot be a cJSON number without
 * being rounded. And cJSON 1.7.15 prints a double with "%1.15g" whenever
 * that reads back within a relative DBL_EPSILON of it (compare_double), so
 * a double that needs 16 or 17 digits can come out one unit in the last
 * place off (82.07190363053272 -> 82.0719036305327). Two variants:
 *   cjson         exact: 64-bit integers and doubles as raw number text
 *                 (cJSON_CreateRaw of snprintf "%" PRIu64 / "%.17g"), the way
 *                 to keep them in cJSON; the same document as the SDK's;
 *   cjson_numbers idiomatic: every number a cJSON number; timestamps come
 *                 out rounded (1.7000000601234693e+18) and some sums one ulp
 *                 off: a different document, timed for reference only.
 * Small integers (count, bucket counts, schema_version) are cJSON numbers in
 * both (printed with "%d", exact).
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "bench.h"
#include "doc.h"

size_t bench_fmt_u64(char *buf, size_t cap, uint64_t v)
{
    int n = snprintf(buf, cap, "%" PRIu64, v);
    return n > 0 ? (size_t)n : 0;
}

static int exact = 1;

static void add_u64(cJSON *o, const char *key, uint64_t v)
{
    if (exact) {
        char tmp[24];
        bench_fmt_u64(tmp, sizeof tmp, v);
        cJSON_AddRawToObject(o, key, tmp);
    } else {
        cJSON_AddNumberToObject(o, key, (double)v);
    }
}

static cJSON *dbl(double v)
{
    if (exact) {
        char tmp[32];
        snprintf(tmp, sizeof tmp, "%.17g", v);
        return cJSON_CreateRaw(tmp);
    }
    return cJSON_CreateNumber(v);
}

static void add_double(cJSON *o, const char *key, double v) { cJSON_AddItemToObject(o, key, dbl(v)); }

static void *build(size_t n)
{
    cJSON *root = cJSON_CreateObject();
    cJSON *src = cJSON_AddObjectToObject(root, "source");
    cJSON_AddStringToObject(src, "source_type", DOC_SOURCE_TYPE);
    cJSON_AddStringToObject(src, "source_instance", DOC_SOURCE_INSTANCE);
    cJSON *records = cJSON_AddArrayToObject(root, "records");
    cJSON *rec = cJSON_CreateObject();
    cJSON_AddItemToArray(records, rec);
    add_u64(rec, "observed_time_unix_nano", (uint64_t)DOC_OBSERVED_TIME);
    add_u64(rec, "event_time_unix_nano", doc_event_time(n));
    cJSON_AddStringToObject(rec, "payload_kind", "otel_metric");
    cJSON *m = cJSON_AddObjectToObject(rec, "payload");
    cJSON_AddNumberToObject(m, "schema_version", 2);
    cJSON *res = cJSON_AddObjectToObject(m, "resource");
    cJSON *svc = cJSON_AddObjectToObject(res, "service");
    cJSON_AddStringToObject(svc, "name", DOC_SERVICE_NAME);
    cJSON *scope = cJSON_AddObjectToObject(m, "scope");
    cJSON_AddStringToObject(scope, "name", DOC_SCOPE_NAME);
    cJSON_AddStringToObject(m, "name", DOC_METRIC_NAME);
    cJSON_AddStringToObject(m, "description", DOC_METRIC_DESCRIPTION);
    cJSON_AddStringToObject(m, "unit", DOC_METRIC_UNIT);
    cJSON_AddStringToObject(m, "kind", "histogram");
    cJSON_AddStringToObject(m, "temporality", "cumulative");
    cJSON *points = cJSON_AddArrayToObject(m, "points");
    for (size_t i = 0; i < n; i++) {
        const doc_point *d = &doc_points[i];
        cJSON *p = cJSON_CreateObject();
        cJSON_AddItemToArray(points, p);
        add_u64(p, "time_unix_nano", d->time_unix_nano);
        add_u64(p, "start_time_unix_nano", d->start_time_unix_nano);
        cJSON *attrs = cJSON_AddObjectToObject(p, "attributes");
        cJSON_AddStringToObject(attrs, "http.route", d->route);
        cJSON_AddStringToObject(attrs, "http.request.method", d->method);
        cJSON_AddNumberToObject(p, "count", (double)d->count);
        add_double(p, "sum", d->sum);
        cJSON *bc = cJSON_AddArrayToObject(p, "bucket_counts");
        for (int b = 0; b < DOC_BUCKETS; b++)
            cJSON_AddItemToArray(bc, cJSON_CreateNumber((double)d->bucket_counts[b]));
        cJSON *eb = cJSON_AddArrayToObject(p, "explicit_bounds");
        for (int b = 0; b < DOC_BOUNDS; b++)
            cJSON_AddItemToArray(eb, dbl(doc_bounds[b]));
        add_double(p, "min", d->min);
        add_double(p, "max", d->max);
    }
    cJSON *md = cJSON_AddObjectToObject(rec, "metadata");
    cJSON_AddStringToObject(md, "serviceradar.signal_schema.schema_version", "2");
    cJSON_AddStringToObject(md, "serviceradar.signal_schema.signal_type", "metric");
    cJSON_AddStringToObject(md, "serviceradar.signal_schema.payload_kind", "otel_metric");
    return root;
}

static void *build_exact(size_t n)
{
    exact = 1;
    return build(n);
}

static void *build_numbers(size_t n)
{
    exact = 0;
    return build(n);
}

static const char *print(void *dom, char *buf, size_t cap, size_t *len)
{
    *len = cJSON_PrintPreallocated((cJSON *)dom, buf, (int)cap, 0) ? strlen(buf) : 0;
    return buf;
}

static void destroy(void *dom) { cJSON_Delete((cJSON *)dom); }

const bench_lib bench_cjson = {"cjson", build_exact, print, destroy};
const bench_lib bench_cjson_numbers = {"cjson_numbers", build_numbers, print, destroy};
