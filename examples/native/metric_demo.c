/*
 * A native walk through the SDK: build an otel_metric histogram, validate it,
 * print its canonical JSON; then a broken metric and what the validator says.
 * (scripts/demo.sh runs this.)
 */
#include <stdio.h>

#include "sr_otel_metric.h"

static unsigned char arena_buf[16 * 1024];
static char json[8 * 1024];

static int print_report(const sr_report *r)
{
    for (size_t i = 0; i < r->stored; i++)
        printf("  %-7s %-40s at %s\n", r->items[i].severity == SR_SEVERITY_ERROR ? "error" : "warning",
               sr_rule_id(r->items[i].rule), r->items[i].path[0] ? r->items[i].path : "(metric)");
    return 0;
}

int main(void)
{
    sr_arena arena;
    sr_otel_metric m;
    sr_point *p;
    sr_exemplar *ex;
    sr_violation storage[32];
    sr_report report;
    size_t len;
    static const uint64_t buckets[] = {4, 9, 2};
    static const double bounds[] = {0.05, 0.25};

    sr_arena_init(&arena, arena_buf, sizeof arena_buf);
    sr_otel_metric_init(&m, &arena);
    sr_otel_metric_set_resource_service_name(&m, "checkout");
    sr_otel_metric_add_resource_attribute_string(&m, "host.name", "web-1");
    sr_otel_metric_set_name(&m, "http.server.request.duration");
    sr_otel_metric_set_unit(&m, "s");
    sr_otel_metric_set_kind(&m, SR_METRIC_KIND_HISTOGRAM);
    sr_otel_metric_set_temporality(&m, SR_AGGREGATION_TEMPORALITY_CUMULATIVE);
    sr_otel_metric_add_point(&m, &p);
    sr_point_set_start_time_unix_nano(p, 1700000000000000000u);
    sr_point_set_time_unix_nano(p, 1700000060000000000u);
    sr_point_add_attribute_string(p, "http.route", "/cart");
    sr_point_set_count(p, 15);
    sr_point_set_sum(p, 1.875);
    sr_point_set_bucket_counts(p, buckets, 3);
    sr_point_set_explicit_bounds(p, bounds, 2);
    sr_point_set_min(p, 0.012);
    sr_point_set_max(p, 0.61);
    sr_point_add_exemplar(p, &ex);
    sr_exemplar_set_time_unix_nano(ex, 1700000042000000000u);
    sr_exemplar_set_as_double(ex, 0.61);
    sr_exemplar_set_trace_id(ex, "4bf92f3577b34da6a3ce929d0e0e4736");
    sr_exemplar_set_span_id(ex, "00f067aa0ba902b7");

    sr_report_init(&report, storage, 32);
    if (sr_otel_metric_validate(&m, &report) != SR_OK || sr_otel_metric_to_json(&m, json, sizeof json, &len) != SR_OK) {
        print_report(&report);
        return 1;
    }
    printf("A valid histogram (%zu bytes of JSON, %zu bytes of arena):\n%.*s\n\n", len, arena.peak, (int)len, json);

    /* The same mistakes a device-facing plugin makes: a sum without
     * temporality, buckets that do not add up, a bad unit. */
    sr_arena_reset(&arena);
    sr_otel_metric_init(&m, &arena);
    sr_otel_metric_set_name(&m, "9 errors");
    sr_otel_metric_set_unit(&m, "rpm");
    sr_otel_metric_set_kind(&m, SR_METRIC_KIND_SUM);
    sr_otel_metric_add_point(&m, &p);
    sr_point_set_time_unix_nano(p, 0);
    sr_point_set_bucket_counts(p, buckets, 3);
    sr_report_init(&report, storage, 32);
    sr_status st = sr_otel_metric_validate(&m, &report);
    printf("A broken sum: validate says \"%s\", %zu errors, %zu warnings:\n", sr_status_str(st), report.errors,
           report.warnings);
    print_report(&report);
    return st == SR_ERR_INVALID ? 0 : 1;
}
