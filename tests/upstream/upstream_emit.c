/*
 * Our side of the upstream comparison (tests/upstream/compare.py): builds
 * every scenario of tests/upstream/scenarios.json through the public C SDK
 * (sr_telemetry.h, sr_metric_v1.h), emits it through sr_emit_telemetry into
 * the fake host (tests/c/fake_host.c) and prints, one line per scenario,
 *
 *   ID <TAB> NOW_BEFORE <TAB> NOW_AFTER <TAB> HEX OF THE emit_telemetry PAYLOAD
 *
 * NOW_BEFORE/NOW_AFTER bracket the scenario (sr_now_unix_nano), so the
 * comparison can recognise a time the SDK filled in itself. This program
 * says nothing about what the output should be; it fails (exit 1) only when
 * the SDK refuses an input, emits other than one call, or the emitted bytes
 * differ from sr_telemetry_batch_to_json.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "fake_host.h"
#include "sr_metric_v1.h"

#define MAX_ITEMS 16

static int failed;

static void fail(const char *scenario, const char *what, int st)
{
    fprintf(stderr, "upstream_emit: %s: %s (status %d)\n", scenario, what, st);
    failed = 1;
}

static json_object *get(json_object *o, const char *key)
{
    json_object *v = NULL;
    return o && json_object_object_get_ex(o, key, &v) ? v : NULL;
}

/* NULL when absent: the SDK's "not set". */
static const char *str(json_object *o, const char *key)
{
    json_object *v = get(o, key);
    return v ? json_object_get_string(v) : NULL;
}

static int64_t i64(json_object *o, const char *key)
{
    json_object *v = get(o, key);
    return v ? json_object_get_int64(v) : 0;
}

/* [[key, value], ...] into a fixed array of sr_v1_key_value. */
static size_t key_values(json_object *list, sr_v1_key_value *out)
{
    size_t n = list ? json_object_array_length(list) : 0;
    if (n > MAX_ITEMS) n = MAX_ITEMS;
    for (size_t i = 0; i < n; i++) {
        json_object *pair = json_object_array_get_idx(list, i);
        out[i].key = json_object_get_string(json_object_array_get_idx(pair, 0));
        out[i].value = json_object_get_string(json_object_array_get_idx(pair, 1));
    }
    return n;
}

/* Storage for one MetricBatch (the scenarios are small). */
static sr_v1_key_value kv_store[8][MAX_ITEMS];
static size_t kv_used;
static sr_v1_metric_point point_store[MAX_ITEMS][MAX_ITEMS];
static sr_v1_metric metric_store[MAX_ITEMS];

static const sr_v1_key_value *kvs(json_object *list, size_t *count)
{
    sr_v1_key_value *slot = kv_store[kv_used++ % 8];
    *count = key_values(list, slot);
    return *count ? slot : NULL;
}

static sr_status add_metrics_record(sr_telemetry_batch *b, json_object *mb, sr_telemetry_record **r)
{
    sr_v1_metric_resource resource = {0};
    sr_v1_metric_ingest_identity identity = {0};
    sr_v1_metric_batch batch = {0};
    json_object *res = get(mb, "resource");
    json_object *idn = get(mb, "ingest_identity");
    json_object *metrics = get(mb, "metrics");

    kv_used = 0;
    if (res) {
        resource.agent_id = str(res, "agent_id");
        resource.service_name = str(res, "service_name");
        resource.attributes = kvs(get(res, "attributes"), &resource.attributes_count);
        batch.resource = &resource;
    }
    if (idn) {
        identity.source = str(idn, "source");
        identity.payload_kind = str(idn, "payload_kind");
        batch.ingest_identity = &identity;
    }
    batch.schema_version = str(mb, "schema_version");
    batch.ingress_id = str(mb, "ingress_id");
    batch.ingress_timestamp_unix_nano = (uint64_t)i64(mb, "ingress_timestamp_unix_nano");
    batch.emitted_at_unix_nano = (uint64_t)i64(mb, "emitted_at_unix_nano");
    batch.metrics_count = metrics ? json_object_array_length(metrics) : 0;
    if (batch.metrics_count > MAX_ITEMS) batch.metrics_count = MAX_ITEMS;
    for (size_t i = 0; i < batch.metrics_count; i++) {
        json_object *m = json_object_array_get_idx(metrics, i);
        json_object *points = get(m, "points");
        sr_v1_metric *out = &metric_store[i];
        memset(out, 0, sizeof *out);
        out->name = str(m, "name");
        out->kind = (sr_v1_metric_kind_v1)i64(m, "kind");
        out->unit = str(m, "unit");
        out->points_count = points ? json_object_array_length(points) : 0;
        if (out->points_count > MAX_ITEMS) out->points_count = MAX_ITEMS;
        for (size_t j = 0; j < out->points_count; j++) {
            json_object *p = json_object_array_get_idx(points, j);
            sr_v1_metric_point *pt = &point_store[i][j];
            memset(pt, 0, sizeof *pt);
            pt->value = get(p, "value") ? json_object_get_double(get(p, "value")) : 0.0;
            pt->raw_value = str(p, "raw_value");
            pt->raw_value_type = (sr_v1_raw_value_type)i64(p, "raw_value_type");
            pt->observed_at_unix_nano = (uint64_t)i64(p, "observed_at_unix_nano");
            pt->if_index = (int32_t)i64(p, "if_index");
            pt->interface_uid = str(p, "interface_uid");
        }
        out->points = out->points_count ? point_store[i] : NULL;
    }
    batch.metrics = batch.metrics_count ? metric_store : NULL;
    return sr_telemetry_record_serviceradar_metrics(b, &batch, r);
}

static void add_record(const char *id, sr_telemetry_batch *b, json_object *rec)
{
    const char *kind = str(rec, "kind");
    sr_telemetry_record *r = NULL;
    sr_status st;

    if (strcmp(kind, "serviceradar_metrics") == 0) {
        st = add_metrics_record(b, get(rec, "metric_batch"), &r);
    } else {
        const char *text = str(rec, "payload_text");
        st = sr_telemetry_record_json(b, kind, text, strlen(text), &r);
    }
    if (st != SR_OK) {
        fail(id, "record refused", st);
        return;
    }
    if (get(rec, "event_id") && (st = sr_telemetry_record_set_event_id(r, str(rec, "event_id"))) != SR_OK)
        fail(id, "event_id", st);
    if (get(rec, "observed_time_unix_nano"))
        sr_telemetry_record_set_observed_time_unix_nano(r, i64(rec, "observed_time_unix_nano"));
    if (get(rec, "event_time_unix_nano"))
        sr_telemetry_record_set_event_time_unix_nano(r, i64(rec, "event_time_unix_nano"));
    json_object *schema = get(rec, "signal_schema");
    if (schema) {
        sr_signal_schema_ref ref = {
            .producer_id = str(schema, "producer_id"),
            .producer_version = str(schema, "producer_version"),
            .schema_id = str(schema, "schema_id"),
            .schema_version = str(schema, "schema_version"),
            .display_contract_id = str(schema, "display_contract_id"),
            .display_contract_version = str(schema, "display_contract_version"),
            .display_contract = str(schema, "display_contract"),
            .signal_type = str(schema, "signal_type"),
            .payload_kind = str(schema, "payload_kind"),
        };
        if ((st = sr_telemetry_record_set_signal_schema(r, &ref)) != SR_OK)
            fail(id, "signal schema", st);
    }
    json_object *meta = get(rec, "metadata");
    for (size_t i = 0; meta && i < json_object_array_length(meta); i++) {
        json_object *pair = json_object_array_get_idx(meta, i);
        st = sr_telemetry_record_add_metadata(r, json_object_get_string(json_object_array_get_idx(pair, 0)),
                                              json_object_get_string(json_object_array_get_idx(pair, 1)));
        if (st != SR_OK) fail(id, "record metadata", st);
    }
}

static unsigned char arena_mem[1 << 20];
static char json_buf[1 << 16];

static void run(json_object *sc)
{
    const char *id = str(sc, "id");
    json_object *source = get(sc, "source");
    json_object *records = get(sc, "records");
    sr_arena arena;
    sr_telemetry_batch b;
    sr_emit_report rep;
    size_t len = 0;

    fake_host_reset();
    sr_arena_init(&arena, arena_mem, sizeof arena_mem);
    int64_t before = sr_now_unix_nano();
    sr_telemetry_batch_init(&b, &arena);
    if (source) {
        if (get(source, "source_type")) sr_telemetry_batch_set_source_type(&b, str(source, "source_type"));
        if (get(source, "source_instance")) sr_telemetry_batch_set_source_instance(&b, str(source, "source_instance"));
        json_object *meta = get(source, "metadata");
        for (size_t i = 0; meta && i < json_object_array_length(meta); i++) {
            json_object *pair = json_object_array_get_idx(meta, i);
            sr_status st = sr_telemetry_batch_add_source_metadata(
                &b, json_object_get_string(json_object_array_get_idx(pair, 0)),
                json_object_get_string(json_object_array_get_idx(pair, 1)));
            if (st != SR_OK) fail(id, "source metadata", st);
        }
    }
    for (size_t i = 0; records && i < json_object_array_length(records); i++)
        add_record(id, &b, json_object_array_get_idx(records, i));
    sr_status st = sr_emit_telemetry(&b, &rep);
    int64_t after = sr_now_unix_nano();
    if (st != SR_OK || fake.count != 1) {
        fail(id, "sr_emit_telemetry did not make exactly one successful call", st);
        return;
    }
    st = sr_telemetry_batch_to_json(&b, json_buf, sizeof json_buf, &len);
    if (st != SR_OK || len != fake.calls[0].size || memcmp(json_buf, fake.calls[0].payload, len) != 0)
        fail(id, "sr_telemetry_batch_to_json differs from the emitted payload", st);
    printf("%s\t%lld\t%lld\t", id, (long long)before, (long long)after);
    for (size_t i = 0; i < fake.calls[0].size; i++)
        printf("%02x", (unsigned char)fake.calls[0].payload[i]);
    printf("\n");
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: %s tests/upstream/scenarios.json\n", argv[0]);
        return 2;
    }
    json_object *doc = json_object_from_file(argv[1]);
    json_object *scenarios = get(doc, "scenarios");
    if (!scenarios) {
        fprintf(stderr, "upstream_emit: cannot read scenarios from %s\n", argv[1]);
        return 2;
    }
    for (size_t i = 0; i < json_object_array_length(scenarios); i++)
        run(json_object_array_get_idx(scenarios, i));
    json_object_put(doc);
    fake_host_reset();
    return failed;
}
