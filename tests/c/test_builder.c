/*
 * cmocka tests of the generated builder and serializer: the promises the
 * header makes about memory, errors and output buffers.
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "sr_otel_metric.h"

/* The builder calls of a reference metric, in order; returns the first
 * failing status. `*steps_done` counts the calls that succeeded. */
static sr_status build(sr_otel_metric *m, int max_steps, int *steps_done)
{
    static const uint64_t buckets[] = {1, 2, 3};
    static const double bounds[] = {0.5, 1.5};
    static const int64_t ints[] = {7, -7};
    sr_point *p = NULL;
    sr_exemplar *e = NULL;
    sr_value arr = sr_value_int_array(ints, 2);
    sr_status st = SR_OK;
    int n = 0;
#define STEP(call)                                            \
    do {                                                      \
        if (n >= max_steps)                                   \
            goto done;                                        \
        if ((st = (call)) != SR_OK)                           \
            goto done;                                        \
        n++;                                                  \
    } while (0)
    STEP(sr_otel_metric_set_resource_service_name(m, "checkout"));
    STEP(sr_otel_metric_add_resource_attribute_string(m, "host.name", "web-1"));
    STEP(sr_otel_metric_add_resource_attribute(m, "ints", 4, &arr));
    STEP(sr_otel_metric_set_name(m, "http.server.request.duration"));
    STEP(sr_otel_metric_set_unit(m, "s"));
    STEP(sr_otel_metric_set_kind(m, SR_METRIC_KIND_HISTOGRAM));
    STEP(sr_otel_metric_set_temporality(m, SR_AGGREGATION_TEMPORALITY_DELTA));
    STEP(sr_otel_metric_add_point(m, &p));
    STEP(sr_point_set_time_unix_nano(p, 20));
    STEP(sr_point_add_attribute_string(p, "route", "/cart"));
    STEP(sr_point_set_count(p, 6));
    STEP(sr_point_set_bucket_counts(p, buckets, 3));
    STEP(sr_point_set_explicit_bounds(p, bounds, 2));
    STEP(sr_point_add_exemplar(p, &e));
    STEP(sr_exemplar_set_time_unix_nano(e, 19));
    STEP(sr_exemplar_set_as_double(e, 1.0));
    STEP(sr_exemplar_set_trace_id(e, "4bf92f3577b34da6a3ce929d0e0e4736"));
#undef STEP
done:
    *steps_done = n;
    return st;
}

static size_t to_json(const sr_otel_metric *m, char *buf, size_t cap)
{
    size_t len = 0;
    assert_int_equal(sr_otel_metric_to_json(m, buf, cap, &len), SR_OK);
    return len;
}

/* Running out of arena at any allocation: the failing call returns
 * SR_ERR_ARENA and the metric serializes exactly as it did before it. */
static void test_arena_exhaustion_at_every_point(void **state)
{
    (void)state;
    static unsigned char big[8192], small[8192];
    static char full[4096], before[4096], after[4096];
    sr_arena arena;
    sr_otel_metric m;
    int total, done;

    sr_arena_init(&arena, big, sizeof big);
    sr_otel_metric_init(&m, &arena);
    assert_int_equal(build(&m, 1000, &total), SR_OK);
    size_t need = arena.used, full_len = to_json(&m, full, sizeof full);
    assert_true(need > 0);

    int failures = 0;
    for (size_t size = 0; size < need; size++) {
        sr_arena_init(&arena, small, size);
        sr_otel_metric_init(&m, &arena);
        sr_status st = build(&m, 1000, &done);
        assert_int_equal(st, SR_ERR_ARENA);
        failures++;
        /* Replay the successful calls into a fresh arena to get the JSON
         * as it was just before the failing call. */
        sr_arena ref_arena;
        sr_otel_metric ref;
        int ref_done;
        sr_arena_init(&ref_arena, big, sizeof big);
        sr_otel_metric_init(&ref, &ref_arena);
        assert_int_equal(build(&ref, done, &ref_done), SR_OK);
        size_t a = to_json(&m, after, sizeof after), b = to_json(&ref, before, sizeof before);
        assert_int_equal(a, b);
        assert_memory_equal(after, before, a);
        assert_true(arena.used <= size);
    }
    assert_int_equal(failures, (int)need);
    /* With exactly enough arena everything fits. */
    sr_arena_init(&arena, small, need);
    sr_otel_metric_init(&m, &arena);
    assert_int_equal(build(&m, 1000, &done), SR_OK);
    assert_int_equal(to_json(&m, after, sizeof after), full_len);
    assert_memory_equal(after, full, full_len);
}

/* A buffer one byte short: SR_ERR_BUFFER, the exact size, buf[0] == NUL;
 * json_size agrees; exactly the right size works. */
static void test_buffer_too_small(void **state)
{
    (void)state;
    static unsigned char mem[8192];
    static char buf[4096];
    sr_arena arena;
    sr_otel_metric m;
    int done;
    size_t len = 0, size = 0;
    sr_arena_init(&arena, mem, sizeof mem);
    sr_otel_metric_init(&m, &arena);
    assert_int_equal(build(&m, 1000, &done), SR_OK);
    assert_int_equal(sr_otel_metric_json_size(&m, &size), SR_OK);
    memset(buf, 'x', sizeof buf);
    assert_int_equal(sr_otel_metric_to_json(&m, buf, size - 1, &len), SR_ERR_BUFFER);
    assert_int_equal(len, size);
    assert_int_equal(buf[0], '\0');
    assert_int_equal(sr_otel_metric_to_json(&m, buf, size, &len), SR_OK);
    assert_int_equal(len, size);
    assert_int_equal(buf[0], '{');
    assert_int_equal(buf[size - 1], '}');
}

/* Bad arguments are refused, never dereferenced. */
static void test_bad_arguments(void **state)
{
    (void)state;
    static unsigned char mem[1024];
    sr_arena arena;
    sr_otel_metric m;
    sr_point *p;
    size_t len;
    sr_arena_init(&arena, mem, sizeof mem);
    assert_int_equal(sr_otel_metric_init(NULL, &arena), SR_ERR_ARG);
    assert_int_equal(sr_otel_metric_init(&m, NULL), SR_ERR_ARG);
    assert_int_equal(sr_otel_metric_init(&m, &arena), SR_OK);
    assert_int_equal(sr_otel_metric_set_name(NULL, "x"), SR_ERR_ARG);
    assert_int_equal(sr_otel_metric_set_name(&m, NULL), SR_ERR_ARG);
    assert_int_equal(sr_otel_metric_set_kind(&m, (sr_metric_kind)99), SR_ERR_ARG);
    assert_int_equal(sr_otel_metric_add_point(&m, NULL), SR_ERR_ARG);
    assert_int_equal(sr_otel_metric_add_point(&m, &p), SR_OK);
    assert_int_equal(sr_point_set_bucket_counts(p, NULL, 3), SR_ERR_ARG);
    assert_int_equal(sr_point_add_attribute_string(p, NULL, "v"), SR_ERR_ARG);
    assert_int_equal(sr_point_add_attribute_string(p, "k", NULL), SR_ERR_ARG);
    sr_value bad = sr_value_int(1);
    bad.type = (sr_value_type)77;
    assert_int_equal(sr_point_add_attribute(p, "k", 1, &bad), SR_ERR_ARG);
    assert_int_equal(p->attributes.count, 0);
    assert_int_equal(sr_otel_metric_validate(NULL, NULL), SR_ERR_ARG);
    assert_int_equal(sr_otel_metric_to_json(NULL, NULL, 0, &len), SR_ERR_ARG);
    assert_int_equal(sr_otel_metric_to_json(&m, NULL, 5, &len), SR_ERR_ARG);
}

/* The serializer never writes NaN or invalid UTF-8, even unvalidated. */
static void test_serializer_refuses_what_json_cannot_carry(void **state)
{
    (void)state;
    static unsigned char mem[2048];
    static char buf[1024];
    sr_arena arena;
    sr_otel_metric m;
    sr_point *p;
    size_t len = 0;
    sr_arena_init(&arena, mem, sizeof mem);
    sr_otel_metric_init(&m, &arena);
    sr_otel_metric_add_point(&m, &p);
    sr_point_set_as_double(p, NAN);
    assert_int_equal(sr_otel_metric_to_json(&m, buf, sizeof buf, &len), SR_ERR_NOT_FINITE);
    assert_int_equal(buf[0], '\0');
    sr_point_set_as_double(p, 1.0);
    sr_otel_metric_set_name_n(&m, "\xc3\x28", 2);
    assert_int_equal(sr_otel_metric_to_json(&m, buf, sizeof buf, &len), SR_ERR_UTF8);
    assert_int_equal(buf[0], '\0');
}

/* The report keeps counting past its storage. */
static void test_report_counts_past_capacity(void **state)
{
    (void)state;
    static unsigned char mem[4096];
    sr_arena arena;
    sr_otel_metric m;
    sr_point *p;
    sr_violation v[2];
    sr_report r;
    sr_arena_init(&arena, mem, sizeof mem);
    sr_otel_metric_init(&m, &arena);
    for (int i = 0; i < 5; i++)
        sr_otel_metric_add_point(&m, &p); /* each lacks a time and a value */
    sr_report_init(&r, v, 2);
    assert_int_equal(sr_otel_metric_validate(&m, &r), SR_ERR_INVALID);
    assert_int_equal(r.stored, 2);
    /* name, kind, service.name, and each point's missing time (without a
     * kind, the value rules do not apply) */
    assert_int_equal(r.errors, 3 + 5);
    assert_int_equal(r.warnings, 0);
    assert_string_equal(sr_rule_id(v[0].rule), "metric.name.required");
    assert_string_equal(v[0].path, "name");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_arena_exhaustion_at_every_point),
        cmocka_unit_test(test_buffer_too_small),
        cmocka_unit_test(test_bad_arguments),
        cmocka_unit_test(test_serializer_refuses_what_json_cannot_carry),
        cmocka_unit_test(test_report_counts_past_capacity),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
