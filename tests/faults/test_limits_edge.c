/*
 * Every string and array limit of the contract at exactly its maximum and
 * one past it, through the public builder and validator:
 *   - at the limit: no error at all (warnings such as metric.unit.ucum
 *     allowed), and the metric records into a telemetry batch;
 *   - one past: SR_ERR_INVALID with the limit's rule at the expected path
 *     (and no error of any other rule, except the one a histogram's bucket
 *     and bound counts share), and sr_telemetry_record_otel_metric refuses
 *     it with SR_ERR_INVALID and adds no record: nothing is emitted.
 * Strings are bytes: each string limit is tried with ASCII and with the
 * last character a 4-byte UTF-8 sequence (so "one past" is 3 bytes past
 * a character boundary when it ends in one). The fixed-length trace and
 * span ids are tried at their length and one shorter and one longer.
 *
 * generated/vectors/otel_metric.json already has an ".at"/".over" pair for
 * each limit, with ASCII strings and int arrays only; this covers, beyond
 * them, every element type of attribute arrays, string array elements at
 * the value limit, UTF-8 at the byte limits, and the id lengths. Last,
 * strings far past their limits must still be judged in linear time
 * (far_past).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

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

#define ARENA_BYTES ((size_t)16 << 20)
static unsigned char *arena_mem;
static char *text; /* scratch text of up to 8 KiB */

/* ---------------------------------------------------------------- the base metric */

typedef struct doc {
    sr_arena arena;
    sr_otel_metric m;
    sr_point *p;
    sr_exemplar *e;
} doc;

/* A valid gauge with one point and one exemplar, no attributes anywhere. */
static void base(doc *d)
{
    sr_arena_init(&d->arena, arena_mem, ARENA_BYTES);
    sr_otel_metric_init(&d->m, &d->arena);
    sr_otel_metric_set_resource_service_name(&d->m, "checkout");
    sr_otel_metric_set_name(&d->m, "up");
    sr_otel_metric_set_kind(&d->m, SR_METRIC_KIND_GAUGE);
    sr_otel_metric_add_point(&d->m, &d->p);
    sr_point_set_time_unix_nano(d->p, 1700000000000000000u);
    sr_point_set_as_int(d->p, 1);
    sr_point_add_exemplar(d->p, &d->e);
    sr_exemplar_set_time_unix_nano(d->e, 1700000000000000000u);
    sr_exemplar_set_as_int(d->e, 1);
}

/* n bytes of text: 'a's, or 'a's ending in U+1F600 (4 bytes) when utf8. */
static const char *make_text(size_t n, bool utf8)
{
    memset(text, 'a', n);
    if (utf8 && n >= 4)
        memcpy(text + n - 4, "\xf0\x9f\x98\x80", 4);
    return text;
}

/* ---------------------------------------------------------------- the fields */

typedef enum map_id { MAP_METADATA, MAP_RESOURCE, MAP_POINT, MAP_EXEMPLAR } map_id;
static const char *const map_paths[] = {"metadata", "resource.attributes", "points[0].attributes",
                                        "points[0].exemplars[0].filtered_attributes"};

static sr_status add_to(doc *d, map_id map, const char *key, size_t key_len, const sr_value *v)
{
    switch (map) {
    case MAP_METADATA: return sr_otel_metric_add_metadata(&d->m, key, key_len, v);
    case MAP_RESOURCE: return sr_otel_metric_add_resource_attribute(&d->m, key, key_len, v);
    case MAP_POINT: return sr_point_add_attribute(d->p, key, key_len, v);
    default: return sr_exemplar_add_filtered_attribute(d->e, key, key_len, v);
    }
}

typedef enum field {
    F_NAME, F_DESCRIPTION, F_UNIT, F_SVC_NAME, F_SVC_NAMESPACE, F_SVC_VERSION, F_SVC_INSTANCE,
    F_SCOPE_NAME, F_SCOPE_VERSION, F_COUNT
} field;

static const struct {
    const char *path;
    size_t limit;
    sr_rule rule;
    bool ascii_only; /* the field's syntax allows ASCII only */
} string_fields[F_COUNT] = {
    [F_NAME] = {"name", SR_LIMIT_METRIC_NAME_MAX_CHARS, SR_RULE_METRIC_NAME_MAX_LENGTH, true},
    [F_DESCRIPTION] = {"description", SR_LIMIT_METRIC_DESCRIPTION_MAX_BYTES, SR_RULE_METRIC_DESCRIPTION_MAX_LENGTH, false},
    [F_UNIT] = {"unit", SR_LIMIT_METRIC_UNIT_MAX_CHARS, SR_RULE_METRIC_UNIT_MAX_LENGTH, true},
    [F_SVC_NAME] = {"resource.service.name", SR_LIMIT_IDENTITY_STRING_MAX_BYTES, SR_RULE_RESOURCE_IDENTITY_MAX_LENGTH, false},
    [F_SVC_NAMESPACE] = {"resource.service.namespace", SR_LIMIT_IDENTITY_STRING_MAX_BYTES, SR_RULE_RESOURCE_IDENTITY_MAX_LENGTH, false},
    [F_SVC_VERSION] = {"resource.service.version", SR_LIMIT_IDENTITY_STRING_MAX_BYTES, SR_RULE_RESOURCE_IDENTITY_MAX_LENGTH, false},
    [F_SVC_INSTANCE] = {"resource.service.instance_id", SR_LIMIT_IDENTITY_STRING_MAX_BYTES, SR_RULE_RESOURCE_IDENTITY_MAX_LENGTH, false},
    [F_SCOPE_NAME] = {"scope.name", SR_LIMIT_IDENTITY_STRING_MAX_BYTES, SR_RULE_SCOPE_IDENTITY_MAX_LENGTH, false},
    [F_SCOPE_VERSION] = {"scope.version", SR_LIMIT_IDENTITY_STRING_MAX_BYTES, SR_RULE_SCOPE_IDENTITY_MAX_LENGTH, false},
};

static sr_status set_field(doc *d, field f, const char *s, size_t n)
{
    switch (f) {
    case F_NAME: return sr_otel_metric_set_name_n(&d->m, s, n);
    case F_DESCRIPTION: return sr_otel_metric_set_description_n(&d->m, s, n);
    case F_UNIT: return sr_otel_metric_set_unit_n(&d->m, s, n);
    case F_SVC_NAME: return sr_otel_metric_set_resource_service_name_n(&d->m, s, n);
    case F_SVC_NAMESPACE: return sr_otel_metric_set_resource_service_namespace_n(&d->m, s, n);
    case F_SVC_VERSION: return sr_otel_metric_set_resource_service_version_n(&d->m, s, n);
    case F_SVC_INSTANCE: return sr_otel_metric_set_resource_service_instance_id_n(&d->m, s, n);
    case F_SCOPE_NAME: return sr_otel_metric_set_scope_name_n(&d->m, s, n);
    default: return sr_otel_metric_set_scope_version_n(&d->m, s, n);
    }
}

/* ---------------------------------------------------------------- judging */

static sr_violation items[1024];

/* `over`: the metric must fail with `rule` at `path` (and `rule2`, when not
 * SR_RULE_COUNT, may come with it); else it must have no error. */
static void judge(doc *d, const char *what, bool over, sr_rule rule, const char *path, sr_rule rule2)
{
    sr_report r;
    sr_report_init(&r, items, sizeof items / sizeof items[0]);
    sr_status st = sr_otel_metric_validate(&d->m, &r);
    cases++;
    /* Nothing emitted when invalid: the record is refused and not added. */
    sr_telemetry_batch b;
    sr_telemetry_batch_init(&b, &d->arena);
    size_t used = d->arena.used;
    sr_status rec = sr_telemetry_record_otel_metric(&b, &d->m, NULL, NULL);
    if (!over) {
        CHECK(st == SR_OK && r.errors == 0, "%s at the limit: status %d, %zu errors (first: %s at %s)", what,
              (int)st, r.errors, r.stored ? sr_rule_id(items[0].rule) : "-", r.stored ? items[0].path : "-");
        CHECK(rec == SR_OK && b.records.count == 1, "%s at the limit: not recorded (%d)", what, (int)rec);
        return;
    }
    CHECK(st == SR_ERR_INVALID, "%s one past the limit: status %d", what, (int)st);
    CHECK(rec == SR_ERR_INVALID && b.records.count == 0 && d->arena.used == used,
          "%s one past the limit: record status %d, %zu records", what, (int)rec, b.records.count);
    bool found = false;
    for (size_t i = 0; i < r.stored; i++) {
        if (items[i].severity != SR_SEVERITY_ERROR)
            continue;
        if (items[i].rule == rule && strcmp(items[i].path, path) == 0)
            found = true;
        else
            CHECK(items[i].rule == rule2, "%s one past the limit: also %s at %s", what, sr_rule_id(items[i].rule),
                  items[i].path);
    }
    CHECK(found, "%s one past the limit: no %s at %s", what, sr_rule_id(rule), path);
}

/* ---------------------------------------------------------------- the cases */

static void strings(void)
{
    char what[160];
    for (int f = 0; f < F_COUNT; f++) {
        for (int utf8 = 0; utf8 <= (string_fields[f].ascii_only ? 0 : 1); utf8++) {
            for (size_t extra = 0; extra <= 1; extra++) {
                doc d;
                base(&d);
                size_t n = string_fields[f].limit + extra;
                /* one past with UTF-8: the whole 4-byte character past a
                 * boundary is 3 bytes too many; one byte past is an 'a' */
                const char *s = make_text(n, utf8 && !extra);
                if (utf8 && extra) {
                    make_text(n, false);
                    memcpy(text + n - 5, "\xf0\x9f\x98\x80", 4); /* ...U+1F600 'a' */
                }
                CHECK(set_field(&d, (field)f, s, n) == SR_OK, "set %s", string_fields[f].path);
                (void)snprintf(what, sizeof what, "%s of %zu bytes%s", string_fields[f].path, n,
                               utf8 ? " (UTF-8)" : "");
                judge(&d, what, extra, string_fields[f].rule, string_fields[f].path, SR_RULE_COUNT);
            }
        }
    }
}

static void map_keys_and_values(void)
{
    char what[200], path[96];
    for (int map = 0; map < 4; map++) {
        (void)snprintf(path, sizeof path, "%s[0]", map_paths[map]);
        for (int utf8 = 0; utf8 <= 1; utf8++) {
            for (size_t extra = 0; extra <= 1; extra++) {
                /* key */
                doc d;
                base(&d);
                size_t n = SR_LIMIT_ATTRIBUTE_KEY_MAX_BYTES + extra;
                sr_value v = sr_value_int(1);
                CHECK(add_to(&d, (map_id)map, make_text(n, utf8), n, &v) == SR_OK, "add key");
                (void)snprintf(what, sizeof what, "%s key of %zu bytes%s", map_paths[map], n, utf8 ? " (UTF-8)" : "");
                judge(&d, what, extra, SR_RULE_ATTRIBUTES_KEY_MAX_LENGTH, path, SR_RULE_COUNT);
                /* string value */
                base(&d);
                n = SR_LIMIT_ATTRIBUTE_VALUE_MAX_BYTES + extra;
                v = sr_value_string(make_text(n, utf8), n);
                CHECK(add_to(&d, (map_id)map, "k", 1, &v) == SR_OK, "add value");
                (void)snprintf(what, sizeof what, "%s string value of %zu bytes%s", map_paths[map], n,
                               utf8 ? " (UTF-8)" : "");
                judge(&d, what, extra, SR_RULE_ATTRIBUTES_VALUE_MAX_LENGTH, path, SR_RULE_COUNT);
                /* the last element of a string array */
                base(&d);
                sr_str elems[3] = {{"x", 1}, {"y", 1}, {make_text(n, utf8), n}};
                v = sr_value_string_array(elems, 3);
                CHECK(add_to(&d, (map_id)map, "k", 1, &v) == SR_OK, "add array");
                (void)snprintf(what, sizeof what, "%s string array element of %zu bytes%s", map_paths[map], n,
                               utf8 ? " (UTF-8)" : "");
                judge(&d, what, extra, SR_RULE_ATTRIBUTES_VALUE_MAX_LENGTH, path, SR_RULE_COUNT);
            }
        }
    }
}

static void map_arrays_and_entries(void)
{
    static sr_str strs[SR_LIMIT_ATTRIBUTE_ARRAY_MAX_ITEMS + 1];
    static bool bools[SR_LIMIT_ATTRIBUTE_ARRAY_MAX_ITEMS + 1];
    static int64_t ints[SR_LIMIT_ATTRIBUTE_ARRAY_MAX_ITEMS + 1];
    static double doubles[SR_LIMIT_ATTRIBUTE_ARRAY_MAX_ITEMS + 1];
    static const char *const types[] = {"string", "bool", "int", "double"};
    for (size_t i = 0; i <= SR_LIMIT_ATTRIBUTE_ARRAY_MAX_ITEMS; i++) {
        strs[i] = (sr_str){"s", 1};
        bools[i] = i & 1;
        ints[i] = (int64_t)i;
        doubles[i] = (double)i / 4;
    }
    char what[200], path[96], key[16];
    for (int map = 0; map < 4; map++) {
        (void)snprintf(path, sizeof path, "%s[0]", map_paths[map]);
        for (size_t extra = 0; extra <= 1; extra++) {
            size_t n = SR_LIMIT_ATTRIBUTE_ARRAY_MAX_ITEMS + extra;
            for (int t = 0; t < 4; t++) {
                doc d;
                base(&d);
                sr_value v = t == 0   ? sr_value_string_array(strs, n)
                             : t == 1 ? sr_value_bool_array(bools, n)
                             : t == 2 ? sr_value_int_array(ints, n)
                                      : sr_value_double_array(doubles, n);
                CHECK(add_to(&d, (map_id)map, "k", 1, &v) == SR_OK, "add array");
                (void)snprintf(what, sizeof what, "%s %s array of %zu", map_paths[map], types[t], n);
                judge(&d, what, extra, SR_RULE_ATTRIBUTES_ARRAY_MAX_ITEMS, path, SR_RULE_COUNT);
            }
            /* entries */
            doc d;
            base(&d);
            n = SR_LIMIT_ATTRIBUTES_MAX_ENTRIES + extra;
            for (size_t i = 0; i < n; i++) {
                int kl = snprintf(key, sizeof key, "k%zu", i);
                sr_value v = sr_value_bool(true);
                CHECK(add_to(&d, (map_id)map, key, (size_t)kl, &v) == SR_OK, "add entry");
            }
            (void)snprintf(what, sizeof what, "%s with %zu entries", map_paths[map], n);
            judge(&d, what, extra, SR_RULE_ATTRIBUTES_MAX_ENTRIES, map_paths[map], SR_RULE_COUNT);
        }
    }
}

static void point_arrays(void)
{
    static uint64_t buckets[SR_LIMIT_HISTOGRAM_BOUNDS_MAX + 2];
    static double bounds[SR_LIMIT_HISTOGRAM_BOUNDS_MAX + 1];
    for (size_t i = 0; i < sizeof buckets / sizeof buckets[0]; i++)
        buckets[i] = 1;
    for (size_t i = 0; i < sizeof bounds / sizeof bounds[0]; i++)
        bounds[i] = (double)i;
    char what[160];
    for (size_t extra = 0; extra <= 1; extra++) {
        /* explicit bounds (with one bucket more) and bucket counts (with one
         * bound fewer): the two limits go together, as in the vectors */
        for (int which = 0; which <= 1; which++) {
            size_t nb = which == 0 ? SR_LIMIT_HISTOGRAM_BOUNDS_MAX + extra : SR_LIMIT_HISTOGRAM_BOUNDS_MAX + 1 + extra;
            doc d;
            sr_arena_init(&d.arena, arena_mem, ARENA_BYTES);
            sr_otel_metric_init(&d.m, &d.arena);
            sr_otel_metric_set_resource_service_name(&d.m, "checkout");
            sr_otel_metric_set_name(&d.m, "latency");
            sr_otel_metric_set_kind(&d.m, SR_METRIC_KIND_HISTOGRAM);
            sr_otel_metric_set_temporality(&d.m, SR_AGGREGATION_TEMPORALITY_DELTA);
            sr_otel_metric_add_point(&d.m, &d.p);
            sr_point_set_time_unix_nano(d.p, 1);
            size_t n_bounds = which == 0 ? nb : nb - 1, n_buckets = n_bounds + 1;
            sr_point_set_count(d.p, n_buckets);
            sr_point_set_bucket_counts(d.p, buckets, n_buckets);
            sr_point_set_explicit_bounds(d.p, bounds, n_bounds);
            (void)snprintf(what, sizeof what, "%s of %zu", which == 0 ? "explicit_bounds" : "bucket_counts", nb);
            judge(&d, what, extra,
                  which == 0 ? SR_RULE_POINT_HISTOGRAM_BOUNDS_MAX_ITEMS : SR_RULE_POINT_HISTOGRAM_BUCKETS_MAX_ITEMS,
                  which == 0 ? "points[0].explicit_bounds" : "points[0].bucket_counts",
                  which == 0 ? SR_RULE_POINT_HISTOGRAM_BUCKETS_MAX_ITEMS : SR_RULE_POINT_HISTOGRAM_BOUNDS_MAX_ITEMS);
        }
        /* exemplars */
        doc d;
        base(&d);
        size_t n = SR_LIMIT_EXEMPLARS_MAX + extra;
        for (size_t i = 1; i < n; i++) {
            sr_exemplar *e;
            sr_point_add_exemplar(d.p, &e);
            sr_exemplar_set_time_unix_nano(e, 1);
            sr_exemplar_set_as_double(e, 0.5);
        }
        (void)snprintf(what, sizeof what, "exemplars of %zu", n);
        judge(&d, what, extra, SR_RULE_POINT_EXEMPLARS_MAX_ITEMS, "points[0].exemplars", SR_RULE_COUNT);
        /* points */
        base(&d);
        n = SR_LIMIT_POINTS_MAX + extra;
        for (size_t i = 1; i < n; i++) {
            sr_point *p;
            CHECK(sr_otel_metric_add_point(&d.m, &p) == SR_OK, "add point %zu", i);
            sr_point_set_time_unix_nano(p, 1 + i);
            sr_point_set_as_double(p, 0.5);
        }
        (void)snprintf(what, sizeof what, "points of %zu", n);
        judge(&d, what, extra, SR_RULE_METRIC_POINTS_MAX_ITEMS, "points", SR_RULE_COUNT);
    }
}

static void ids(void)
{
    static const char hex[] = "4bf92f3577b34da6a3ce929d0e0e47364bf9";
    char what[96];
    for (int span = 0; span <= 1; span++) {
        size_t want = span ? 16 : 32;
        for (size_t n = want - 1; n <= want + 1; n++) {
            doc d;
            base(&d);
            if (span)
                sr_exemplar_set_span_id_n(d.e, hex, n);
            else
                sr_exemplar_set_trace_id_n(d.e, hex, n);
            (void)snprintf(what, sizeof what, "%s of %zu hex digits", span ? "span_id" : "trace_id", n);
            judge(&d, what, n != want, span ? SR_RULE_EXEMPLAR_SPAN_ID_FORMAT : SR_RULE_EXEMPLAR_TRACE_ID_FORMAT,
                  span ? "points[0].exemplars[0].span_id" : "points[0].exemplars[0].trace_id", SR_RULE_COUNT);
        }
    }
}

/* ---------------------------------------------------------------- far past the limits */

static double seconds_since(const struct timespec *t0)
{
    struct timespec t1;
    (void)timespec_get(&t1, TIME_UTC);
    return (double)(t1.tv_sec - t0->tv_sec) + (double)(t1.tv_nsec - t0->tv_nsec) / 1e9;
}

/* A string far past its limit is still reported in time linear in its
 * length: 64 KiB units built to make the UCUM parser backtrack (letters then
 * digits made sr_ucum_valid try every split at O(n) each: 11 s at 64 KiB,
 * about 3 hours at 1 MiB, before runtime/src/sr_ucum.c was fixed; now about
 * 1 ms), and long strings in the other checked fields. The bound, 1 s, is
 * about a hundred times what linear work takes here under the sanitizers,
 * and a hundredth of what the quadratic parser took. */
static void far_past(void)
{
    static const struct {
        const char *what;
        const char *head, *tail; /* first half, second half, repeated */
        field f;
    } big[] = {
        {"unit: letters then digits", "m", "1", F_UNIT},
        {"unit: letters then a signed exponent", "m", "2", F_UNIT},
        {"unit: opening parentheses", "(", "m", F_UNIT},
        {"unit: brackets", "[", "]", F_UNIT},
        {"unit: annotations", "{", "}", F_UNIT},
        {"unit: prefixes", "da", "K", F_UNIT},
        {"name", "a", "1", F_NAME},
        {"description", "\xc3\xa9", " ", F_DESCRIPTION},
    };
    const size_t n = (size_t)64 << 10;
    char *s = malloc(n);
    if (s == NULL)
        return;
    for (size_t k = 0; k < sizeof big / sizeof big[0]; k++) {
        size_t hl = strlen(big[k].head), tl = strlen(big[k].tail);
        for (size_t i = 0; i < n / 2; i++)
            s[i] = big[k].head[i % hl];
        for (size_t i = n / 2; i < n; i++)
            s[i] = big[k].tail[i % tl];
        if (k == 1)
            s[n / 2] = '+';
        doc d;
        base(&d);
        CHECK(set_field(&d, big[k].f, s, n) == SR_OK, "set");
        struct timespec t0;
        (void)timespec_get(&t0, TIME_UTC);
        sr_report r;
        sr_report_init(&r, items, sizeof items / sizeof items[0]);
        sr_status st = sr_otel_metric_validate(&d.m, &r);
        double t = seconds_since(&t0);
        cases++;
        CHECK(st == SR_ERR_INVALID, "%s of 64 KiB: status %d", big[k].what, (int)st);
        CHECK(t < 1.0, "%s of 64 KiB: validation took %.2f s (not linear)", big[k].what, t);
    }
    free(s);
}

int main(void)
{
    arena_mem = malloc(ARENA_BYTES);
    text = malloc(8192);
    if (arena_mem == NULL || text == NULL)
        return 2;
    strings();
    map_keys_and_values();
    map_arrays_and_entries();
    point_arrays();
    ids();
    far_past();
    (void)printf("%d limit checks (every limit at its maximum and one past; 64 KiB strings far past), %d failed\n",
                 cases, failures);
    free(arena_mem);
    free(text);
    return failures ? 1 : 0;
}
