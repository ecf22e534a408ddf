/*
 * lib_jansson.c - the reference document with jansson (Debian's 2.14).
 * 64-bit integers as json_integer (json_int_t is long long: exact below
 * 2^63, which every value here is). Printed with json_dumpb(JSON_COMPACT)
 * into the caller's buffer; doubles with jansson's default "%.17g".
 */
#include <jansson.h>

#include "bench.h"
#include "doc.h"

static void *build(size_t n)
{
    json_t *root = json_object();
    json_t *src = json_object();
    json_object_set_new(root, "source", src);
    json_object_set_new(src, "source_type", json_string(DOC_SOURCE_TYPE));
    json_object_set_new(src, "source_instance", json_string(DOC_SOURCE_INSTANCE));
    json_t *records = json_array();
    json_object_set_new(root, "records", records);
    json_t *rec = json_object();
    json_array_append_new(records, rec);
    json_object_set_new(rec, "observed_time_unix_nano", json_integer(DOC_OBSERVED_TIME));
    json_object_set_new(rec, "event_time_unix_nano", json_integer((json_int_t)doc_event_time(n)));
    json_object_set_new(rec, "payload_kind", json_string("otel_metric"));
    json_t *m = json_object();
    json_object_set_new(rec, "payload", m);
    json_object_set_new(m, "schema_version", json_integer(2));
    json_t *res = json_object();
    json_object_set_new(m, "resource", res);
    json_t *svc = json_object();
    json_object_set_new(res, "service", svc);
    json_object_set_new(svc, "name", json_string(DOC_SERVICE_NAME));
    json_t *scope = json_object();
    json_object_set_new(m, "scope", scope);
    json_object_set_new(scope, "name", json_string(DOC_SCOPE_NAME));
    json_object_set_new(m, "name", json_string(DOC_METRIC_NAME));
    json_object_set_new(m, "description", json_string(DOC_METRIC_DESCRIPTION));
    json_object_set_new(m, "unit", json_string(DOC_METRIC_UNIT));
    json_object_set_new(m, "kind", json_string("histogram"));
    json_object_set_new(m, "temporality", json_string("cumulative"));
    json_t *points = json_array();
    json_object_set_new(m, "points", points);
    for (size_t i = 0; i < n; i++) {
        const doc_point *d = &doc_points[i];
        json_t *p = json_object();
        json_array_append_new(points, p);
        json_object_set_new(p, "time_unix_nano", json_integer((json_int_t)d->time_unix_nano));
        json_object_set_new(p, "start_time_unix_nano", json_integer((json_int_t)d->start_time_unix_nano));
        json_t *attrs = json_object();
        json_object_set_new(p, "attributes", attrs);
        json_object_set_new(attrs, "http.route", json_string(d->route));
        json_object_set_new(attrs, "http.request.method", json_string(d->method));
        json_object_set_new(p, "count", json_integer((json_int_t)d->count));
        json_object_set_new(p, "sum", json_real(d->sum));
        json_t *bc = json_array();
        json_object_set_new(p, "bucket_counts", bc);
        for (int b = 0; b < DOC_BUCKETS; b++)
            json_array_append_new(bc, json_integer((json_int_t)d->bucket_counts[b]));
        json_t *eb = json_array();
        json_object_set_new(p, "explicit_bounds", eb);
        for (int b = 0; b < DOC_BOUNDS; b++)
            json_array_append_new(eb, json_real(doc_bounds[b]));
        json_object_set_new(p, "min", json_real(d->min));
        json_object_set_new(p, "max", json_real(d->max));
    }
    json_t *md = json_object();
    json_object_set_new(rec, "metadata", md);
    json_object_set_new(md, "serviceradar.signal_schema.schema_version", json_string("2"));
    json_object_set_new(md, "serviceradar.signal_schema.signal_type", json_string("metric"));
    json_object_set_new(md, "serviceradar.signal_schema.payload_kind", json_string("otel_metric"));
    return root;
}

static const char *print(void *dom, char *buf, size_t cap, size_t *len)
{
    size_t n = json_dumpb((json_t *)dom, buf, cap, JSON_COMPACT);
    *len = n <= cap ? n : 0;
    return buf;
}

static void destroy(void *dom) { json_decref((json_t *)dom); }

const bench_lib bench_jansson = {"jansson", build, print, destroy};
