/*
 * The serviceradar.metric.v1 encoder (generated/c/src/sr_metric_v1.c), driven
 * by tests/c/protobuf_decode.py, which judges everything this prints:
 *
 *   case NAME HEX        the encoding of one representative batch
 *   check NAME ok        a promise checked here (buffer contract, errors,
 *   check NAME FAIL why  rollback), judged by this program itself
 *   records NAME...      the cases, in order, of the records emitted below
 *   emit JSON            one env.emit_telemetry document (fake host)
 *
 * The Python side decodes each case with its own wire-format decoder and
 * compares it with the values it states itself; this file never says what an
 * encoding should be.
 */
#include <float.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fake_host.h"
#include "sr_metric_v1.h"

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

/* ------------------------------------------------------------------ cases */

/* "full": every field of every message, several of each repeated one. */
static const sr_v1_key_value full_resource_attributes[] = {
    {.key = "rack", .value = "r7"},
    {.key = "zone", .value = "eu-west-1a"},
};
static const sr_v1_metric_resource full_resource = {
    .agent_id = "agent-1",
    .gateway_id = "gw-2",
    .partition = "default",
    .service_name = "snmp-poller",
    .service_type = "wasm-plugin",
    .host_id = "host-9",
    .host_ip = "10.0.0.9",
    .target_device_ip = "192.0.2.1",
    .device_id = "default:192.0.2.1",
    .kv_store_id = "kv-1",
    .attributes = full_resource_attributes,
    .attributes_count = COUNT(full_resource_attributes),
};
static const sr_v1_key_value full_identity_attributes[] = {{.key = "tenant", .value = "acme"}};
static const sr_v1_metric_ingest_identity full_identity = {
    .source = "plugin-metrics",
    .payload_kind = "custom.kind",
    .producer_id = "p-1",
    .producer_kind = "wasm-plugin",
    .attested_by = "agent-1",
    .attributes = full_identity_attributes,
    .attributes_count = COUNT(full_identity_attributes),
};
static const sr_v1_key_value if_attributes[] = {{.key = "ifName", .value = "eth0"}, {.key = "ifAlias", .value = "uplink"}};
static const sr_v1_key_value point_metadata[] = {{.key = "poll", .value = "fast"}};
static const sr_v1_metric_point octets_points[] = {
    {
        .value = 1234.5,
        .raw_value = "1234.5",
        .raw_value_type = SR_V1_RAW_VALUE_TYPE_DOUBLE,
        .observed_at_unix_nano = UINT64_C(1790510400000000000),
        .start_time_unix_nano = UINT64_C(1790510000000000000),
        .reset_anchor = "boot-42",
        .if_index = 3,
        .interface_uid = "eth0",
        .series_identity_hint = "if=3",
        .attributes = if_attributes,
        .attributes_count = COUNT(if_attributes),
        .metadata = point_metadata,
        .metadata_count = COUNT(point_metadata),
    },
    /* Multi-byte UTF-8 (2, 3 and 4 bytes), -0.0, a negative if_index. */
    {.value = -0.0, .raw_value = "\xc3\xa9 \xe6\x97\xa5\xe6\x9c\xac \xf0\x9f\x9a\x80",
     .raw_value_type = SR_V1_RAW_VALUE_TYPE_STRING, .if_index = -1},
    {.value = 1e300, .if_index = INT32_MIN, .raw_value_type = SR_V1_RAW_VALUE_TYPE_UINT64},
};
static const sr_v1_key_value octets_tags[] = {{.key = "device", .value = "core-1"}, {.key = "dir", .value = "in"}};
static const sr_v1_key_value octets_metadata[] = {{.key = "oid", .value = "1.3.6.1.2.1.31.1.1.1.6"}};
static const sr_v1_key_value octets_thresholds[] = {{.key = "warn", .value = "80"}, {.key = "crit", .value = "95"}};
static const sr_v1_metric_point temperature_points[] = {{.value = -273.15, .if_index = INT32_MAX}};
static const sr_v1_metric full_metrics[] = {
    {
        .name = "ifHCInOctets",
        .metric_type = "snmp",
        .kind = SR_V1_METRIC_KIND_V1_SUM,
        .temporality = SR_V1_TEMPORALITY_V1_CUMULATIVE,
        .is_monotonic = true,
        .unit = "By",
        .scale = 0.001,
        .counter_width = 64,
        .points = octets_points,
        .points_count = COUNT(octets_points),
        .tags = octets_tags,
        .tags_count = COUNT(octets_tags),
        .metadata = octets_metadata,
        .metadata_count = COUNT(octets_metadata),
        .thresholds = octets_thresholds,
        .thresholds_count = COUNT(octets_thresholds),
    },
    {
        .name = "temperature",
        .kind = SR_V1_METRIC_KIND_V1_GAUGE,
        .temporality = SR_V1_TEMPORALITY_V1_DELTA,
        .unit = "Cel",
        .counter_width = UINT32_MAX,
        .points = temperature_points,
        .points_count = COUNT(temperature_points),
    },
};
static const sr_v1_metric_batch full = {
    .schema_version = "serviceradar.metric.v1",
    .resource = &full_resource,
    .ingest_identity = &full_identity,
    .ingress_id = "ingress-1",
    .ingress_timestamp_unix_nano = UINT64_MAX,
    .emitted_at_unix_nano = 1,
    .metrics = full_metrics,
    .metrics_count = COUNT(full_metrics),
};

/* "defaults": schema_version and ingest_identity left NULL. */
static const sr_v1_metric_point up_point = {.value = 1.0};
static const sr_v1_metric up_metric = {.name = "up", .kind = SR_V1_METRIC_KIND_V1_GAUGE, .points = &up_point,
                                       .points_count = 1};
static const sr_v1_metric_batch defaults = {.metrics = &up_metric, .metrics_count = 1};

/* "identity_default": an identity whose payload_kind is NULL; "" turns the
 * schema_version default off. */
static const sr_v1_metric_ingest_identity identity_source_only = {.source = "plugin-metrics"};
static const sr_v1_metric_batch identity_default = {.schema_version = "", .ingest_identity = &identity_source_only};

/* "empty_strings": every default turned off with "", empty messages given. */
static const sr_v1_metric_ingest_identity identity_no_kind = {.payload_kind = ""};
static const sr_v1_metric_resource resource_empty = {.agent_id = "", .host_ip = ""};
static const sr_v1_metric_batch empty_strings = {.schema_version = "", .resource = &resource_empty,
                                                 .ingest_identity = &identity_no_kind, .ingress_id = ""};

/* "empty": nothing set at all. */
static const sr_v1_metric_batch empty = {0};

/* "zeros": zero values everywhere; empty repeated elements still count. */
static const sr_v1_metric_point zero_points[] = {{.value = 0.0, .if_index = 0}, {.raw_value = ""}};
static const sr_v1_key_value zero_tags[] = {{.key = "", .value = NULL}};
static const sr_v1_metric zero_metrics[] = {
    {.name = "z", .is_monotonic = false, .scale = 0.0, .points = zero_points, .points_count = COUNT(zero_points),
     .tags = zero_tags, .tags_count = COUNT(zero_tags)},
    {0},
};
static const sr_v1_metric_batch zeros = {.schema_version = "v", .metrics = zero_metrics,
                                         .metrics_count = COUNT(zero_metrics)};

/* "ints": varint boundaries for every integer type. */
static const sr_v1_metric_point int_points[] = {
    {.if_index = 1, .observed_at_unix_nano = 127, .start_time_unix_nano = 128},
    {.if_index = -2, .observed_at_unix_nano = 16383, .start_time_unix_nano = 16384},
    {.if_index = INT32_MIN, .observed_at_unix_nano = UINT64_C(1) << 63},
    {.if_index = INT32_MAX, .observed_at_unix_nano = UINT64_MAX},
    {.raw_value_type = SR_V1_RAW_VALUE_TYPE_BOOL},
    {.raw_value_type = (sr_v1_raw_value_type)9}, /* not in the enum: passed on */
};
static const sr_v1_metric int_metrics[] = {
    {.name = "a", .counter_width = 1, .kind = SR_V1_METRIC_KIND_V1_HISTOGRAM, .points = int_points,
     .points_count = COUNT(int_points)},
    {.name = "b", .counter_width = UINT32_MAX, .temporality = SR_V1_TEMPORALITY_V1_CUMULATIVE,
     .is_monotonic = true},
};
static const sr_v1_metric_batch ints = {.metrics = int_metrics, .metrics_count = COUNT(int_metrics),
                                        .ingress_timestamp_unix_nano = 300, .emitted_at_unix_nano = 2};

/* "upstream": the batch of the Go/Rust SDKs' telemetry_metric conformance
 * transcript; the Python side holds their base64 payload. */
static const sr_v1_metric_resource upstream_resource = {.agent_id = "agent-1", .service_name = "conformance",
                                                        .service_type = "wasm-plugin"};
static const sr_v1_metric_ingest_identity upstream_identity = {.source = "plugin-metrics", .producer_id = "conformance",
                                                               .producer_kind = "wasm-plugin"};
static const sr_v1_metric_point upstream_point = {.value = 4.5, .raw_value = "4.5",
                                                  .raw_value_type = SR_V1_RAW_VALUE_TYPE_DOUBLE,
                                                  .observed_at_unix_nano = UINT64_C(1790510400000000000)};
static const sr_v1_metric upstream_metric = {.name = "conformance.latency_ms", .metric_type = "plugin",
                                             .kind = SR_V1_METRIC_KIND_V1_GAUGE, .unit = "ms",
                                             .points = &upstream_point, .points_count = 1};
static const sr_v1_metric_batch upstream = {.resource = &upstream_resource, .ingest_identity = &upstream_identity,
                                            .metrics = &upstream_metric, .metrics_count = 1};

/* "doubles" and "large" are built at run time (a NaN with a payload, many
 * elements). */
static sr_v1_metric_point double_points[9];
static sr_v1_metric double_metric;
static sr_v1_metric_batch doubles;

#define LARGE_POINTS 300
#define LARGE_TAGS 20
static sr_v1_metric_point large_points[LARGE_POINTS];
static sr_v1_key_value large_tags[LARGE_TAGS];
static char large_tag_text[LARGE_TAGS][2][8];
static char long_name[201];
static sr_v1_metric large_metric;
static sr_v1_metric_batch large;

static void build_runtime_cases(void)
{
    const uint64_t nan_bits = UINT64_C(0x7ff8000000000001);
    double nan_payload;
    memcpy(&nan_payload, &nan_bits, sizeof nan_payload);
    const double values[COUNT(double_points)] = {-0.0, 1e300, 5e-324, -1.5, DBL_MAX, INFINITY, -INFINITY,
                                                 nan_payload, 0.1};
    for (size_t i = 0; i < COUNT(double_points); i++)
        double_points[i] = (sr_v1_metric_point){.value = values[i]};
    double_metric = (sr_v1_metric){.name = "d", .scale = -0.0, .points = double_points,
                                   .points_count = COUNT(double_points)};
    doubles = (sr_v1_metric_batch){.metrics = &double_metric, .metrics_count = 1};

    for (size_t i = 0; i < LARGE_POINTS; i++)
        large_points[i] = (sr_v1_metric_point){.value = (double)i + 0.5, .observed_at_unix_nano = 1000 + i};
    for (size_t i = 0; i < LARGE_TAGS; i++) {
        snprintf(large_tag_text[i][0], sizeof large_tag_text[i][0], "k%zu", i);
        snprintf(large_tag_text[i][1], sizeof large_tag_text[i][1], "v%zu", i);
        large_tags[i] = (sr_v1_key_value){.key = large_tag_text[i][0], .value = large_tag_text[i][1]};
    }
    memset(long_name, 'x', sizeof long_name - 1);
    large_metric = (sr_v1_metric){.name = long_name, .points = large_points, .points_count = LARGE_POINTS,
                                  .tags = large_tags, .tags_count = LARGE_TAGS};
    large = (sr_v1_metric_batch){.metrics = &large_metric, .metrics_count = 1};
}

typedef struct named_case {
    const char *name;
    const sr_v1_metric_batch *batch;
} named_case;

static const named_case cases[] = {
    {"full", &full},
    {"defaults", &defaults},
    {"identity_default", &identity_default},
    {"empty_strings", &empty_strings},
    {"empty", &empty},
    {"zeros", &zeros},
    {"ints", &ints},
    {"doubles", &doubles},
    {"large", &large},
    {"upstream", &upstream},
};

/* ----------------------------------------------------------------- checks */

static int failures;

static void check(const char *name, int ok, const char *why)
{
    printf("check %s %s%s%s\n", name, ok ? "ok" : "FAIL", ok ? "" : " ", ok ? "" : why);
    failures += !ok;
}

static void print_case(const char *name, const unsigned char *bytes, size_t len)
{
    printf("case %s ", name);
    for (size_t i = 0; i < len; i++)
        printf("%02x", bytes[i]);
    printf("\n");
}

/* The buffer contract on one batch: size query, one byte short, exact size,
 * larger buffer (nothing written past the encoding). Prints the encoding. */
static void encode_case(const named_case *c)
{
    char name[64];
    size_t need = 12345, len = 12345;
    snprintf(name, sizeof name, "%s.size_query", c->name);
    sr_status st = sr_v1_metric_batch_encode(c->batch, NULL, 0, &need);
    check(name, st == SR_ERR_BUFFER && need > 0 && need != 12345, "NULL/0 must give SR_ERR_BUFFER and the size");

    unsigned char *buf = malloc(need + 16);
    unsigned char *exact = malloc(need);
    if (buf == NULL || exact == NULL) {
        check(name, 0, "out of memory");
        exit(1);
    }
    memset(buf, 0xAB, need + 16);
    snprintf(name, sizeof name, "%s.one_short", c->name);
    st = sr_v1_metric_batch_encode(c->batch, buf, need - 1, &len);
    check(name, st == SR_ERR_BUFFER && len == need && buf[0] == 0,
          "cap need-1: SR_ERR_BUFFER, exact size, buf[0] = 0");

    snprintf(name, sizeof name, "%s.exact", c->name);
    st = sr_v1_metric_batch_encode(c->batch, exact, need, &len);
    check(name, st == SR_OK && len == need, "cap == need must succeed");

    memset(buf, 0xAB, need + 16);
    snprintf(name, sizeof name, "%s.roomy", c->name);
    st = sr_v1_metric_batch_encode(c->batch, buf, need + 16, &len);
    int untouched = 1;
    for (size_t i = need; i < need + 16; i++)
        untouched &= buf[i] == 0xAB;
    check(name, st == SR_OK && len == need && memcmp(buf, exact, need) == 0 && untouched,
          "a larger buffer: same bytes, nothing written past them");

    print_case(c->name, exact, need);
    free(buf);
    free(exact);
}

static void check_arguments(void)
{
    unsigned char buf[64];
    size_t len = 99;
    check("arg.null_batch", sr_v1_metric_batch_encode(NULL, buf, sizeof buf, &len) == SR_ERR_ARG, "NULL batch");
    check("arg.null_out_len", sr_v1_metric_batch_encode(&empty, buf, sizeof buf, NULL) == SR_ERR_ARG, "NULL out_len");
    check("arg.null_buf_with_cap", sr_v1_metric_batch_encode(&empty, NULL, 8, &len) == SR_ERR_ARG, "NULL buf, cap 8");

    /* An array that is NULL but has a count, deep inside. */
    static const sr_v1_metric_point bad_point = {.value = 1, .attributes = NULL, .attributes_count = 2};
    static const sr_v1_metric bad_metric = {.name = "m", .points = &bad_point, .points_count = 1};
    static const sr_v1_metric_batch bad = {.metrics = &bad_metric, .metrics_count = 1};
    static const sr_v1_metric_batch bad_top = {.metrics = NULL, .metrics_count = 1};
    buf[0] = 'x';
    len = 99;
    sr_status st = sr_v1_metric_batch_encode(&bad, buf, sizeof buf, &len);
    check("arg.null_array_deep", st == SR_ERR_ARG && len == 0 && buf[0] == 0, "SR_ERR_ARG, *out_len 0, buf[0] 0");
    check("arg.null_array_top", sr_v1_metric_batch_encode(&bad_top, NULL, 0, &len) == SR_ERR_ARG, "SR_ERR_ARG");
}

/* Invalid UTF-8 at several depths: SR_ERR_UTF8 from the encoder (even on a
 * size query) and from the record constructor, which adds nothing. */
static void check_utf8(void)
{
    static const char *const bad_strings[] = {
        "\xc0\xaf",         /* overlong '/' */
        "a\xed\xa0\x80z",   /* surrogate U+D800 */
        "\xe6\x97",         /* truncated */
        "\xf4\x90\x80\x80", /* above U+10FFFF */
        "\x80",             /* stray continuation byte */
    };
    static unsigned char arena_buf[4096];
    for (size_t i = 0; i < COUNT(bad_strings); i++) {
        const char *s = bad_strings[i];
        const sr_v1_key_value kv = {.key = "k", .value = s};
        const sr_v1_metric_point point = {.value = 1, .metadata = &kv, .metadata_count = 1};
        const sr_v1_metric metric = {.name = "m", .points = &point, .points_count = 1};
        const sr_v1_metric_resource resource = {.host_id = s};
        const sr_v1_metric_ingest_identity identity = {.payload_kind = s};
        const sr_v1_metric_batch where[] = {
            {.schema_version = s},
            {.resource = &resource},
            {.ingest_identity = &identity},
            {.metrics = &metric, .metrics_count = 1},
        };
        for (size_t j = 0; j < COUNT(where); j++) {
            char name[64];
            unsigned char buf[256];
            size_t len = 99;
            buf[0] = 'x';
            snprintf(name, sizeof name, "utf8.%zu.%zu.encode", i, j);
            sr_status st = sr_v1_metric_batch_encode(&where[j], buf, sizeof buf, &len);
            check(name, st == SR_ERR_UTF8 && len == 0 && buf[0] == 0, "SR_ERR_UTF8, *out_len 0, buf[0] 0");
            snprintf(name, sizeof name, "utf8.%zu.%zu.size_query", i, j);
            check(name, sr_v1_metric_batch_encode(&where[j], NULL, 0, &len) == SR_ERR_UTF8,
                  "a size query reports SR_ERR_UTF8 too");

            sr_arena arena;
            sr_telemetry_batch tb;
            sr_telemetry_record *r = NULL;
            sr_arena_init(&arena, arena_buf, sizeof arena_buf);
            sr_telemetry_batch_init(&tb, &arena);
            sr_status ok = sr_telemetry_record_serviceradar_metrics(&tb, &defaults, &r);
            size_t used = arena.used;
            snprintf(name, sizeof name, "utf8.%zu.%zu.record", i, j);
            st = sr_telemetry_record_serviceradar_metrics(&tb, &where[j], &r);
            check(name, ok == SR_OK && st == SR_ERR_UTF8 && tb.records.count == 1 && arena.used == used
                            && tb.records.tail == tb.records.head && tb.records.head->next == NULL,
                  "SR_ERR_UTF8, no record added, arena as before");
        }
    }
}

/* The record constructor under every arena size from nothing to enough:
 * each either adds one complete record or fails with SR_ERR_ARENA leaving
 * batch and arena exactly as they were. */
static void check_arena_rollback(void)
{
    static unsigned char mem[8192];
    static const sr_v1_metric_batch *const batch = &full;
    sr_arena arena;
    sr_telemetry_batch tb;
    sr_telemetry_record *first = NULL, *r = NULL;

    /* How much the first record (a JSON one) takes: the base of every run. */
    sr_arena_init(&arena, mem, sizeof mem);
    sr_telemetry_batch_init(&tb, &arena);
    sr_telemetry_record_json(&tb, SR_PAYLOAD_KIND_OTEL_LOG, "{}", 2, &first);
    const size_t base = arena.used;

    int refused = 0, all_ok = 1, added = 0;
    for (size_t extra = 0; extra < sizeof mem - base && !added; extra++) {
        sr_arena_init(&arena, mem, base + extra);
        sr_telemetry_batch_init(&tb, &arena);
        sr_status st = sr_telemetry_record_json(&tb, SR_PAYLOAD_KIND_OTEL_LOG, "{}", 2, &first);
        if (st != SR_OK) {
            all_ok = 0;
            break;
        }
        r = NULL;
        st = sr_telemetry_record_serviceradar_metrics(&tb, batch, &r);
        if (st == SR_ERR_ARENA) {
            refused++;
            all_ok &= arena.used == base && tb.records.count == 1 && tb.records.tail == first && first->next == NULL
                      && r == NULL;
        } else if (st == SR_OK) {
            added = 1;
            all_ok &= tb.records.count == 2 && tb.records.tail == r && first->next == r && r->next == NULL
                      && r->payload.len >= 2 && r->payload.ptr[0] == '"' && r->payload.ptr[r->payload.len - 1] == '"';
        } else {
            all_ok = 0;
        }
    }
    check("arena.rollback", all_ok && added && refused > 0, "SR_ERR_ARENA leaves batch and arena as before");

    sr_arena_init(&arena, mem, sizeof mem);
    sr_telemetry_batch_init(&tb, &arena);
    check("arena.null_args", sr_telemetry_record_serviceradar_metrics(NULL, &full, &r) == SR_ERR_ARG
                                 && sr_telemetry_record_serviceradar_metrics(&tb, NULL, &r) == SR_ERR_ARG
                                 && tb.records.count == 0 && arena.used == 0,
          "NULL arguments give SR_ERR_ARG");
    check("arena.out_may_be_null", sr_telemetry_record_serviceradar_metrics(&tb, &full, NULL) == SR_OK
                                       && tb.records.count == 1, "out NULL is allowed");
}

/* One record per case, emitted through the fake host: the Python side
 * base64-decodes each payload and compares it with the case's encoding. */
static void emit_records(void)
{
    static unsigned char mem[1 << 16];
    sr_arena arena;
    sr_telemetry_batch tb;
    sr_arena_init(&arena, mem, sizeof mem);
    sr_telemetry_batch_init(&tb, &arena);
    printf("records");
    int ok = 1;
    for (size_t i = 0; i < COUNT(cases); i++) {
        sr_telemetry_record *r = NULL;
        ok &= sr_telemetry_record_serviceradar_metrics(&tb, cases[i].batch, &r) == SR_OK && r == tb.records.tail;
        printf(" %s", cases[i].name);
    }
    printf("\n");
    check("record.all_added", ok && tb.records.count == COUNT(cases), "one record per case");

    fake_host_reset();
    sr_emit_report report;
    sr_status st = sr_emit_telemetry(&tb, &report);
    check("record.emitted", st == SR_OK && report.records_sent == COUNT(cases), "sr_emit_telemetry succeeds");
    for (size_t i = 0; i < fake.count; i++)
        printf("emit %s\n", fake.calls[i].payload);
    fake_host_reset();
}

int main(void)
{
    build_runtime_cases();
    for (size_t i = 0; i < COUNT(cases); i++)
        encode_case(&cases[i]);
    check_arguments();
    check_utf8();
    check_arena_rollback();
    emit_records();
    return failures == 0 ? 0 : 1;
}
