/*
 * bench/wasm/minimal_metric_plugin.c - the smallest useful metric plugin,
 * as README.md's "Writing a plugin in C": one gauge point with one
 * attribute, validated, emitted, and a check result submitted. It shows
 * what the SDK's metric path costs in a module, without the extras of
 * examples/http_metrics (histogram, exemplar, sum, config parsing, logs).
 */
#include "sr_plugin.h"
#include "sr_result.h"

static unsigned char arena_buf[16 * 1024];

static void check(void)
{
    sr_arena arena;
    sr_arena_init(&arena, arena_buf, sizeof arena_buf);

    sr_otel_metric m;
    sr_otel_metric_init(&m, &arena);
    sr_otel_metric_set_resource_service_name(&m, "checkout");
    sr_otel_metric_set_name(&m, "http.client.duration");
    sr_otel_metric_set_unit(&m, "ms");
    sr_otel_metric_set_kind(&m, SR_METRIC_KIND_GAUGE);
    sr_point *p;
    sr_otel_metric_add_point(&m, &p);
    sr_point_set_time_unix_nano(p, (uint64_t)sr_now_unix_nano());
    sr_point_set_as_double(p, 12.5);
    sr_point_add_attribute_string(p, "http.method", "GET");

    sr_telemetry_batch batch;
    sr_telemetry_batch_init(&batch, &arena);
    sr_violation v[8];
    sr_report report;
    sr_report_init(&report, v, 8);
    if (sr_telemetry_record_otel_metric(&batch, &m, &report, NULL) == SR_OK)
        sr_emit_telemetry(&batch, NULL);

    sr_result r;
    sr_result_init(&r, &arena);
    sr_result_set_status(&r, SR_STATUS_OK);
    sr_result_set_summary(&r, "fine");
    sr_submit_result(&r, NULL);
}

SR_PLUGIN_ENTRY(check);
