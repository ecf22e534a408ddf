/*
 * lib_jsonc.c - the reference document with json-c (Debian's 0.16).
 * 64-bit integers as json-c uint64/int64 objects (exact). Printed with
 * JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE (compact, and "/"
 * not escaped, as the others); doubles with json-c's default "%.17g".
 */
#include <json-c/json.h>

#include "bench.h"
#include "doc.h"

static json_object *str(const char *s) { return json_object_new_string(s); }

static void *build(size_t n)
{
    json_object *root = json_object_new_object();
    json_object *src = json_object_new_object();
    json_object_object_add(root, "source", src);
    json_object_object_add(src, "source_type", str(DOC_SOURCE_TYPE));
    json_object_object_add(src, "source_instance", str(DOC_SOURCE_INSTANCE));
    json_object *records = json_object_new_array();
    json_object_object_add(root, "records", records);
    json_object *rec = json_object_new_object();
    json_object_array_add(records, rec);
    json_object_object_add(rec, "observed_time_unix_nano", json_object_new_int64(DOC_OBSERVED_TIME));
    json_object_object_add(rec, "event_time_unix_nano", json_object_new_uint64(doc_event_time(n)));
    json_object_object_add(rec, "payload_kind", str("otel_metric"));
    json_object *m = json_object_new_object();
    json_object_object_add(rec, "payload", m);
    json_object_object_add(m, "schema_version", json_object_new_int(2));
    json_object *res = json_object_new_object();
    json_object_object_add(m, "resource", res);
    json_object *svc = json_object_new_object();
    json_object_object_add(res, "service", svc);
    json_object_object_add(svc, "name", str(DOC_SERVICE_NAME));
    json_object *scope = json_object_new_object();
    json_object_object_add(m, "scope", scope);
    json_object_object_add(scope, "name", str(DOC_SCOPE_NAME));
    json_object_object_add(m, "name", str(DOC_METRIC_NAME));
    json_object_object_add(m, "description", str(DOC_METRIC_DESCRIPTION));
    json_object_object_add(m, "unit", str(DOC_METRIC_UNIT));
    json_object_object_add(m, "kind", str("histogram"));
    json_object_object_add(m, "temporality", str("cumulative"));
    json_object *points = json_object_new_array_ext((int)n);
    json_object_object_add(m, "points", points);
    for (size_t i = 0; i < n; i++) {
        const doc_point *d = &doc_points[i];
        json_object *p = json_object_new_object();
        json_object_array_add(points, p);
        json_object_object_add(p, "time_unix_nano", json_object_new_uint64(d->time_unix_nano));
        json_object_object_add(p, "start_time_unix_nano", json_object_new_uint64(d->start_time_unix_nano));
        json_object *attrs = json_object_new_object();
        json_object_object_add(p, "attributes", attrs);
        json_object_object_add(attrs, "http.route", str(d->route));
        json_object_object_add(attrs, "http.request.method", str(d->method));
        json_object_object_add(p, "count", json_object_new_uint64(d->count));
        json_object_object_add(p, "sum", json_object_new_double(d->sum));
        json_object *bc = json_object_new_array_ext(DOC_BUCKETS);
        json_object_object_add(p, "bucket_counts", bc);
        for (int b = 0; b < DOC_BUCKETS; b++)
            json_object_array_add(bc, json_object_new_uint64(d->bucket_counts[b]));
        json_object *eb = json_object_new_array_ext(DOC_BOUNDS);
        json_object_object_add(p, "explicit_bounds", eb);
        for (int b = 0; b < DOC_BOUNDS; b++)
            json_object_array_add(eb, json_object_new_double(doc_bounds[b]));
        json_object_object_add(p, "min", json_object_new_double(d->min));
        json_object_object_add(p, "max", json_object_new_double(d->max));
    }
    json_object *md = json_object_new_object();
    json_object_object_add(rec, "metadata", md);
    json_object_object_add(md, "serviceradar.signal_schema.schema_version", str("2"));
    json_object_object_add(md, "serviceradar.signal_schema.signal_type", str("metric"));
    json_object_object_add(md, "serviceradar.signal_schema.payload_kind", str("otel_metric"));
    return root;
}

static const char *print(void *dom, char *buf, size_t cap, size_t *len)
{
    (void)buf;
    (void)cap;
    /* json-c prints into the DOM's own buffer (kept and reused); the text is
     * not copied out, which only favours json-c. */
    *len = 0;
    return json_object_to_json_string_length((json_object *)dom,
                                             JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE, len);
}

static void destroy(void *dom) { json_object_put((json_object *)dom); }

const bench_lib bench_jsonc = {"jsonc", build, print, destroy};
