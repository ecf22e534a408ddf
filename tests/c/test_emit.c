/*
 * cmocka tests of the telemetry envelope and sr_emit_telemetry against the
 * fake host: splitting at exactly the host limit, a record too large alone,
 * every host error code, and retry without loss or duplication.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "fake_host.h"
#include "sr_telemetry.h"

#define LIMIT ((size_t)SR_LIMIT_HOST_PAYLOAD_MAX_BYTES)

static unsigned char *arena_mem;
static const size_t arena_size = 32u << 20;
static char *big; /* payload text */

static int setup(void **state)
{
    (void)state;
    arena_mem = malloc(arena_size);
    big = malloc(LIMIT + 16);
    fake_host_reset();
    return arena_mem && big ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    free(arena_mem);
    free(big);
    fake_host_reset();
    return 0;
}

/* A JSON string payload of exactly n bytes: "xxx...". */
static const char *payload(size_t n)
{
    big[0] = '"';
    memset(big + 1, 'x', n - 2);
    big[n - 1] = '"';
    return big;
}

/* The size of a batch holding one record with an n-byte payload. */
static size_t one_record_batch_size(size_t n)
{
    static unsigned char mem[1 << 16];
    sr_arena a;
    sr_telemetry_batch b;
    size_t len = 0;
    sr_arena_init(&a, mem, sizeof mem);
    sr_telemetry_batch_init(&b, &a);
    assert_int_equal(sr_telemetry_record_json(&b, SR_PAYLOAD_KIND_OTEL_LOG, payload(n), n, NULL), SR_OK);
    b.records.head->observed_time_unix_nano = 0; /* keep the size independent of the clock */
    assert_int_equal(sr_telemetry_batch_to_json(&b, NULL, 0, &len), SR_ERR_BUFFER);
    return len;
}

static void add_record(sr_telemetry_batch *b, size_t n)
{
    sr_telemetry_record *r;
    assert_int_equal(sr_telemetry_record_json(b, SR_PAYLOAD_KIND_OTEL_LOG, payload(n), n, &r), SR_OK);
    r->observed_time_unix_nano = 0;
}

/* A batch of exactly the limit goes in one call of exactly the limit; one
 * byte more is a record too large alone: nothing is sent. */
static void test_exact_limit_and_one_over(void **state)
{
    (void)state;
    size_t overhead = one_record_batch_size(2) - 2;
    sr_arena a;
    sr_telemetry_batch b;
    sr_emit_report rep;

    fake_host_reset();
    sr_arena_init(&a, arena_mem, arena_size);
    sr_telemetry_batch_init(&b, &a);
    add_record(&b, LIMIT - overhead);
    assert_int_equal(sr_emit_telemetry(&b, &rep), SR_OK);
    assert_int_equal(fake.count, 1);
    assert_int_equal(fake.calls[0].size, LIMIT);
    assert_int_equal(rep.records_sent, 1);
    assert_int_equal(rep.calls, 1);

    fake_host_reset();
    sr_arena_init(&a, arena_mem, arena_size);
    sr_telemetry_batch_init(&b, &a);
    add_record(&b, 10);
    add_record(&b, LIMIT - overhead + 1);
    assert_int_equal(sr_emit_telemetry(&b, &rep), SR_ERR_LIMIT);
    assert_int_equal(rep.record, 1);
    assert_int_equal(fake.count, 0); /* checked before the first host call */
}

/* Two records that fit together exactly go in one call; one byte more and
 * they are split in two calls, in order, each a complete batch. */
static void test_split_at_the_limit(void **state)
{
    (void)state;
    size_t overhead = one_record_batch_size(2) - 2;
    size_t record_overhead = overhead - strlen("{\"records\":[]}");
    /* batch = empty + r1 + ',' + r2 */
    size_t both = LIMIT - strlen("{\"records\":[]}") - 1 - 2 * record_overhead;
    for (int extra = 0; extra <= 1; extra++) {
        sr_arena a;
        sr_telemetry_batch b;
        sr_emit_report rep;
        fake_host_reset();
        sr_arena_init(&a, arena_mem, arena_size);
        sr_telemetry_batch_init(&b, &a);
        sr_telemetry_batch_set_source_type(&b, "");
        add_record(&b, both / 2);
        add_record(&b, both - both / 2 + (size_t)extra);
        assert_int_equal(sr_emit_telemetry(&b, &rep), SR_OK);
        assert_int_equal(rep.records_sent, 2);
        if (extra == 0) {
            assert_int_equal(fake.count, 1);
            assert_int_equal(fake.calls[0].size, LIMIT);
        } else {
            assert_int_equal(fake.count, 2);
            assert_true(fake.calls[0].size < LIMIT && fake.calls[1].size < LIMIT);
            assert_memory_equal(fake.calls[0].payload, "{\"records\":[{", 13);
            assert_memory_equal(fake.calls[1].payload, "{\"records\":[{", 13);
        }
    }
}

/* Each host code on the second call comes back as that code, with the
 * records of the first call counted as sent; retrying the rest sends every
 * record exactly once. */
static void test_every_host_code_and_retry(void **state)
{
    (void)state;
#define CODE(name, value) value,
    static const int32_t codes[] = {SR_HOST_CODES(CODE)};
#undef CODE
    size_t quarter = LIMIT / 4;
    for (size_t k = 0; k < sizeof codes / sizeof codes[0]; k++) {
        if (codes[k] == SR_HOST_OK)
            continue;
        sr_arena a;
        sr_telemetry_batch b;
        sr_emit_report rep;
        fake_host_reset();
        fake.fail_function = "emit_telemetry";
        fake.fail_call = 2;
        fake.fail_code = codes[k];
        sr_arena_init(&a, arena_mem, arena_size);
        sr_telemetry_batch_init(&b, &a);
        for (int i = 0; i < 6; i++) /* 3 per call */
            add_record(&b, quarter);
        assert_int_equal(sr_emit_telemetry(&b, &rep), SR_ERR_HOST);
        assert_int_equal(rep.host_code, codes[k]);
        assert_int_equal(rep.records_sent, 3);
        assert_int_equal(rep.calls, 2);
        fake.fail_function = NULL;
        sr_emit_report again;
        assert_int_equal(sr_emit_telemetry_from(&b, rep.records_sent, &again), SR_OK);
        assert_int_equal(again.records_sent, 3);
        /* accepted calls: the 1st and the retry; 3 + 3 records, none twice */
        size_t accepted = 0;
        for (size_t i = 0; i < fake.count; i++)
            accepted += fake.calls[i].code == SR_HOST_OK;
        assert_int_equal(accepted, 2);
    }
}

/* An otel_metric record: payload is the metric's canonical JSON, the schema
 * is flattened into metadata, the event time is the latest point. */
static void test_otel_metric_record(void **state)
{
    (void)state;
    static unsigned char mem[1 << 16];
    static char json[4096], expect[4096];
    sr_arena a;
    sr_otel_metric m;
    sr_point *p;
    sr_telemetry_batch b;
    sr_telemetry_record *r;
    size_t len, elen;
    sr_arena_init(&a, mem, sizeof mem);
    sr_otel_metric_init(&m, &a);
    sr_otel_metric_set_resource_service_name(&m, "svc");
    sr_otel_metric_set_name(&m, "up");
    sr_otel_metric_set_kind(&m, SR_METRIC_KIND_GAUGE);
    sr_otel_metric_add_point(&m, &p);
    sr_point_set_time_unix_nano(p, 5000);
    sr_point_set_as_int(p, 1);
    sr_otel_metric_add_point(&m, &p);
    sr_point_set_time_unix_nano(p, 7000);
    sr_point_set_as_int(p, 0);
    assert_int_equal(sr_otel_metric_to_json(&m, expect, sizeof expect, &elen), SR_OK);
    sr_telemetry_batch_init(&b, &a);
    assert_int_equal(sr_telemetry_record_otel_metric(&b, &m, NULL, &r), SR_OK);
    assert_int_equal(r->event_time_unix_nano, 7000);
    assert_true(r->observed_time_unix_nano > 1600000000000000000LL);
    assert_int_equal(r->payload.len, elen);
    assert_memory_equal(r->payload.ptr, expect, elen);
    r->observed_time_unix_nano = 1;
    assert_int_equal(sr_telemetry_batch_to_json(&b, json, sizeof json, &len), SR_OK);
    json[len] = '\0';
    char want[4600];
    snprintf(want, sizeof want,
             "{\"records\":[{\"observed_time_unix_nano\":1,\"event_time_unix_nano\":7000,\"payload_kind\":\"otel_metric\","
             "\"payload\":%.*s,\"metadata\":{\"serviceradar.signal_schema.payload_kind\":\"otel_metric\","
             "\"serviceradar.signal_schema.schema_version\":\"2\",\"serviceradar.signal_schema.signal_type\":\"metric\"}}]}",
             (int)elen, expect);
    assert_string_equal(json, want);
}

/* The schema metadata of otel_metric records, untouched and changed after
 * the record was made (keys added before, between and after it, values set
 * again, to the same text or another): the map is written as it stands, by
 * sr_telemetry_batch_to_json and by sr_emit_telemetry alike. */
static void test_otel_metric_record_metadata_changed(void **state)
{
    (void)state;
    static unsigned char mem[1 << 16];
    static char json[8192], want[16384];
    sr_arena a;
    sr_otel_metric m;
    sr_point *p;
    sr_telemetry_batch b;
    sr_telemetry_record *r[7];
    size_t len;
    sr_arena_init(&a, mem, sizeof mem);
    sr_otel_metric_init(&m, &a);
    sr_otel_metric_set_resource_service_name(&m, "svc");
    sr_otel_metric_set_name(&m, "up");
    sr_otel_metric_set_kind(&m, SR_METRIC_KIND_GAUGE);
    sr_otel_metric_add_point(&m, &p);
    sr_point_set_time_unix_nano(p, 5000);
    sr_point_set_as_int(p, 1);
    sr_telemetry_batch_init(&b, &a);
    for (int i = 0; i < 7; i++) {
        assert_int_equal(sr_telemetry_record_otel_metric(&b, &m, NULL, &r[i]), SR_OK);
        r[i]->observed_time_unix_nano = i + 1;
    }
    assert_int_equal(sr_telemetry_record_add_metadata(r[1], "zz", "1"), SR_OK);
    assert_int_equal(sr_telemetry_record_add_metadata(r[5], "a.k", "v"), SR_OK);
    assert_int_equal(sr_telemetry_record_add_metadata(r[2], "serviceradar.signal_schema.schema_version", "2"), SR_OK);
    assert_int_equal(sr_telemetry_record_add_metadata(r[2], "serviceradar.signal_schema.signal_type", "x"), SR_OK);
    assert_int_equal(sr_telemetry_record_add_metadata(r[3], "serviceradar.signal_schema.q", "\"q\""), SR_OK);
    r[4]->metadata.count = 0; /* no map at all */
    r[6]->payload_kind.ptr = "x"; /* set by hand: written as it stands */
    r[6]->payload_kind.len = 1;
    assert_int_equal(sr_telemetry_batch_to_json(&b, json, sizeof json, &len), SR_OK);
    json[len] = '\0';
#define HEAD(n) "{\"observed_time_unix_nano\":" #n ",\"event_time_unix_nano\":5000,\"payload_kind\":\"otel_metric\",\"payload\":%s"
#define PK "\"serviceradar.signal_schema.payload_kind\":\"otel_metric\""
#define SV "\"serviceradar.signal_schema.schema_version\":\"2\""
#define ST "\"serviceradar.signal_schema.signal_type\":\"metric\""
    char payload[1024];
    size_t plen;
    assert_int_equal(sr_otel_metric_to_json(&m, payload, sizeof payload - 1, &plen), SR_OK);
    payload[plen] = '\0';
    snprintf(want, sizeof want,
             "{\"records\":[" HEAD(1) ",\"metadata\":{" PK "," SV "," ST "}},"
             HEAD(2) ",\"metadata\":{" PK "," SV "," ST ",\"zz\":\"1\"}},"
             HEAD(3) ",\"metadata\":{" PK "," SV ",\"serviceradar.signal_schema.signal_type\":\"x\"}},"
             HEAD(4) ",\"metadata\":{" PK ",\"serviceradar.signal_schema.q\":\"\\\"q\\\"\"," SV "," ST "}},"
             HEAD(5) "},"
             HEAD(6) ",\"metadata\":{\"a.k\":\"v\"," PK "," SV "," ST "}},"
             "{\"observed_time_unix_nano\":7,\"event_time_unix_nano\":5000,\"payload_kind\":\"x\",\"payload\":%s"
             ",\"metadata\":{" PK "," SV "," ST "}}]}",
             payload, payload, payload, payload, payload, payload, payload);
#undef HEAD
#undef PK
#undef SV
#undef ST
    assert_string_equal(json, want);
    /* the emit path sizes and writes the records with the same writer */
    sr_emit_report rep;
    fake_host_reset();
    assert_int_equal(sr_emit_telemetry(&b, &rep), SR_OK);
    assert_int_equal(rep.calls, 1);
    assert_int_equal(fake.count, 1);
    assert_int_equal(fake.calls[0].size, len);
    assert_memory_equal(fake.calls[0].payload, json, len);
}

/* An invalid metric is refused and no record is added. */
static void test_invalid_metric_refused(void **state)
{
    (void)state;
    static unsigned char mem[1 << 14];
    sr_arena a;
    sr_otel_metric m;
    sr_telemetry_batch b;
    sr_telemetry_record *r = NULL;
    sr_arena_init(&a, mem, sizeof mem);
    sr_otel_metric_init(&m, &a);
    sr_telemetry_batch_init(&b, &a);
    size_t used = a.used;
    assert_int_equal(sr_telemetry_record_otel_metric(&b, &m, NULL, &r), SR_ERR_INVALID);
    assert_null(r);
    assert_int_equal(b.records.count, 0);
    assert_int_equal(a.used, used);
    assert_int_equal(sr_telemetry_record_json(&b, SR_PAYLOAD_KIND_OTEL_METRIC, "{}", 2, &r), SR_ERR_ARG);
    assert_int_equal(sr_telemetry_record_json(&b, "nope", "{}", 2, &r), SR_ERR_ARG);
}

/* The source is left out until something in it is set (the contract's
 * canonical choice between the Go and Rust SDKs). */
/* String maps keep their keys in byte order (prefixes first, bytes compared
 * unsigned), a key set again replaces its value, and a failed add (arena
 * full) changes nothing. */
static void test_string_map_sorted_last_wins(void **state)
{
    (void)state;
    static unsigned char mem[1 << 12];
    static char json[512];
    sr_arena a;
    sr_telemetry_batch b;
    size_t len;
    sr_arena_init(&a, mem, sizeof mem);
    sr_telemetry_batch_init(&b, &a);
    const char *keys[] = {"b", "ab", "a", "\xc3\xa9", "B", "b", "", "a"};
    const char *values[] = {"1", "2", "3", "4", "5", "6", "7", "8"};
    for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++)
        assert_int_equal(sr_telemetry_batch_add_source_metadata(&b, keys[i], values[i]), SR_OK);
    assert_int_equal(b.source.metadata.count, 6);
    assert_int_equal(sr_telemetry_batch_to_json(&b, json, sizeof json, &len), SR_OK);
    json[len] = '\0';
    assert_string_equal(json, "{\"source\":{\"metadata\":{\"\":\"7\",\"B\":\"5\",\"a\":\"8\",\"ab\":\"2\","
                              "\"b\":\"6\",\"\xc3\xa9\":\"4\"}},\"records\":[]}");
    /* A full arena: neither a new key nor a new value for an old key lands. */
    sr_arena_init(&a, mem, sizeof mem);
    sr_telemetry_batch_init(&b, &a);
    assert_int_equal(sr_telemetry_batch_add_source_metadata(&b, "k", "v"), SR_OK);
    size_t used = sr_arena_mark(&a);
    a.size = used;
    assert_int_equal(sr_telemetry_batch_add_source_metadata(&b, "k", "w"), SR_ERR_ARENA);
    assert_int_equal(sr_telemetry_batch_add_source_metadata(&b, "j", "v"), SR_ERR_ARENA);
    assert_int_equal(sr_arena_mark(&a), used);
    assert_int_equal(b.source.metadata.count, 1);
    assert_int_equal(sr_telemetry_batch_to_json(&b, json, sizeof json, &len), SR_OK);
    json[len] = '\0';
    assert_string_equal(json, "{\"source\":{\"metadata\":{\"k\":\"v\"}},\"records\":[]}");
}

static void test_source_omitted_when_unset(void **state)
{
    (void)state;
    static unsigned char mem[1 << 14];
    static char json[1024];
    sr_arena a;
    sr_telemetry_batch b;
    size_t len;
    sr_arena_init(&a, mem, sizeof mem);
    sr_telemetry_batch_init(&b, &a);
    assert_int_equal(sr_telemetry_batch_to_json(&b, json, sizeof json, &len), SR_OK);
    assert_int_equal(len, strlen("{\"records\":[]}"));
    assert_memory_equal(json, "{\"records\":[]}", len);
    sr_telemetry_batch_set_source_type(&b, "wasm_plugin");
    sr_telemetry_batch_add_source_metadata(&b, "k", "v");
    assert_int_equal(sr_telemetry_batch_to_json(&b, json, sizeof json, &len), SR_OK);
    json[len] = '\0';
    assert_string_equal(json, "{\"source\":{\"source_type\":\"wasm_plugin\",\"metadata\":{\"k\":\"v\"}},\"records\":[]}");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_exact_limit_and_one_over),
        cmocka_unit_test(test_split_at_the_limit),
        cmocka_unit_test(test_every_host_code_and_retry),
        cmocka_unit_test(test_otel_metric_record),
        cmocka_unit_test(test_otel_metric_record_metadata_changed),
        cmocka_unit_test(test_invalid_metric_refused),
        cmocka_unit_test(test_source_omitted_when_unset),
        cmocka_unit_test(test_string_map_sorted_last_wins),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
