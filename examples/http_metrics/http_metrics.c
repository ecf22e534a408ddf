/*
 * An example plugin that emits first-class metrics: a histogram of request
 * durations with an exemplar, a monotonic byte counter, and a gauge with
 * attributes, in one telemetry batch; then it submits its check result.
 * (A real plugin would measure; this one uses fixed numbers so its output can
 * be checked.)
 */
#include <string.h>

#include "sr_plugin.h"
#include "sr_result.h"

#define SECOND 1000000000LL

static unsigned char arena_buf[64 * 1024];

/* The config's "instance" string, or a default. (A real plugin would use a
 * JSON parser; this finds "instance" : "value" and nothing more, with a
 * plain loop and memcmp: strstr and strchr would add 1.9 KB of wasi-libc to
 * the module.) */
static const char *instance_from_config(char *buf, size_t cap)
{
    static const char key[] = "\"instance\"";
    size_t len = 0;
    if (sr_get_config(buf, cap - 1, &len, NULL) != SR_OK)
        return "example";
    for (size_t i = 0; i + sizeof key - 1 <= len; i++) {
        if (memcmp(buf + i, key, sizeof key - 1) != 0)
            continue;
        i += sizeof key - 1;
        while (i < len && (buf[i] == ' ' || buf[i] == ':'))
            i++;
        if (i == len || buf[i] != '"')
            return "example";
        for (size_t end = i + 1; end < len; end++)
            if (buf[end] == '"') {
                buf[end] = '\0';
                return buf + i + 1;
            }
        return "example";
    }
    return "example";
}

static sr_status add_latency_histogram(sr_telemetry_batch *batch, sr_arena *arena, int64_t now, sr_report *report)
{
    static const uint64_t buckets[] = {12, 30, 5, 1};
    static const double bounds[] = {0.05, 0.25, 1.0};
    sr_otel_metric m;
    sr_point *p;
    sr_exemplar *ex;
    sr_otel_metric_init(&m, arena);
    sr_otel_metric_set_resource_service_name(&m, "checkout");
    sr_otel_metric_set_scope_name(&m, "serviceradar.examples.http_metrics");
    sr_otel_metric_set_name(&m, "http.server.request.duration");
    sr_otel_metric_set_description(&m, "Duration of HTTP server requests.");
    sr_otel_metric_set_unit(&m, "s");
    sr_otel_metric_set_kind(&m, SR_METRIC_KIND_HISTOGRAM);
    sr_otel_metric_set_temporality(&m, SR_AGGREGATION_TEMPORALITY_CUMULATIVE);
    sr_otel_metric_add_point(&m, &p);
    sr_point_set_start_time_unix_nano(p, (uint64_t)(now - 60 * SECOND));
    sr_point_set_time_unix_nano(p, (uint64_t)now);
    sr_point_add_attribute_string(p, "http.route", "/cart");
    sr_point_add_attribute_int(p, "http.response.status_code", 200);
    sr_point_set_count(p, 48);
    sr_point_set_sum(p, 7.25);
    sr_point_set_bucket_counts(p, buckets, 4);
    sr_point_set_explicit_bounds(p, bounds, 3);
    sr_point_set_min(p, 0.011);
    sr_point_set_max(p, 1.5);
    sr_point_add_exemplar(p, &ex);
    sr_exemplar_set_time_unix_nano(ex, (uint64_t)(now - 2 * SECOND));
    sr_exemplar_set_as_double(ex, 1.5);
    sr_exemplar_add_filtered_attribute_string(ex, "user.id", "u-42");
    sr_exemplar_set_trace_id(ex, "4bf92f3577b34da6a3ce929d0e0e4736");
    sr_exemplar_set_span_id(ex, "00f067aa0ba902b7");
    return sr_telemetry_record_otel_metric(batch, &m, report, NULL);
}

static sr_status add_bytes_counter(sr_telemetry_batch *batch, sr_arena *arena, int64_t now, sr_report *report)
{
    sr_otel_metric m;
    sr_point *p;
    sr_otel_metric_init(&m, arena);
    sr_otel_metric_set_resource_service_name(&m, "checkout");
    sr_otel_metric_set_name(&m, "http.server.response.body.size");
    sr_otel_metric_set_unit(&m, "By");
    sr_otel_metric_set_kind(&m, SR_METRIC_KIND_SUM);
    sr_otel_metric_set_temporality(&m, SR_AGGREGATION_TEMPORALITY_CUMULATIVE);
    sr_otel_metric_set_is_monotonic(&m, true);
    sr_otel_metric_add_point(&m, &p);
    sr_point_set_start_time_unix_nano(p, (uint64_t)(now - 60 * SECOND));
    sr_point_set_time_unix_nano(p, (uint64_t)now);
    sr_point_set_as_int(p, 9182736455LL);
    return sr_telemetry_record_otel_metric(batch, &m, report, NULL);
}

static sr_status add_utilization_gauge(sr_telemetry_batch *batch, sr_arena *arena, int64_t now, sr_report *report)
{
    sr_otel_metric m;
    sr_point *p;
    sr_otel_metric_init(&m, arena);
    sr_otel_metric_set_resource_service_name(&m, "checkout");
    sr_otel_metric_add_resource_attribute_string(&m, "host.name", "web-1");
    sr_otel_metric_set_name(&m, "system.cpu.utilization");
    sr_otel_metric_set_unit(&m, "1");
    sr_otel_metric_set_kind(&m, SR_METRIC_KIND_GAUGE);
    static const char *const cpus[] = {"0", "1"};
    static const double values[] = {0.42, 0.17};
    for (int i = 0; i < 2; i++) {
        sr_otel_metric_add_point(&m, &p);
        sr_point_set_time_unix_nano(p, (uint64_t)now);
        sr_point_add_attribute_string(p, "cpu.logical_number", cpus[i]);
        sr_point_add_attribute_string(p, "cpu.mode", "user");
        sr_point_set_as_double(p, values[i]);
    }
    return sr_telemetry_record_otel_metric(batch, &m, report, NULL);
}

static void check(void)
{
    char config[256];
    sr_arena arena;
    sr_telemetry_batch batch;
    sr_violation violations[8];
    sr_report report;
    sr_emit_report sent;
    sr_result result;

    sr_arena_init(&arena, arena_buf, sizeof arena_buf);
    sr_telemetry_batch_init(&batch, &arena);
    sr_telemetry_batch_set_source_type(&batch, "wasm_plugin");
    sr_telemetry_batch_set_source_instance(&batch, instance_from_config(config, sizeof config));
    sr_report_init(&report, violations, 8);

    int64_t now = sr_now_unix_nano();
    sr_status st = add_latency_histogram(&batch, &arena, now, &report);
    if (st == SR_OK)
        st = add_bytes_counter(&batch, &arena, now, &report);
    if (st == SR_OK)
        st = add_utilization_gauge(&batch, &arena, now, &report);
    if (st == SR_OK)
        st = sr_emit_telemetry(&batch, &sent);

    sr_result_init(&result, &arena);
    if (st == SR_OK) {
        sr_result_set_status(&result, SR_STATUS_OK);
        sr_result_set_summary(&result, "3 metrics emitted");
        sr_log(SR_LOG_INFO, "emitted 3 otel_metric records");
    } else {
        sr_result_set_status(&result, SR_STATUS_UNKNOWN);
        sr_result_set_summary(&result, "metrics not emitted");
        /* Say why: the first rule broken, or the host's code. */
        char why[64] = "emit_telemetry returned ";
        size_t n = strlen(why);
        n += sr_format_i64(sent.host_code, why + n);
        why[n] = '\0';
        sr_result_set_details(&result, st == SR_ERR_INVALID && report.stored ? sr_rule_id(report.items[0].rule)
                                       : st == SR_ERR_HOST ? why : sr_status_str(st));
    }
    sr_result_add_label(&result, "example", "http_metrics");
    sr_submit_result(&result, NULL);
}

SR_PLUGIN_ENTRY(check);
