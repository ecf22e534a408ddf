/*
 * An example plugin written in the old style: it only reports Nagios-style
 * perfdata with sr_result_add_metric (the C twin of Go's Result.AddMetric).
 * It does not know about telemetry, yet each metric also reaches ServiceRadar
 * as a first-class otel_metric gauge, emitted when the result is submitted.
 */
#include "sr_plugin.h"
#include "sr_result.h"

static unsigned char arena_buf[32 * 1024];

static void check(void)
{
    sr_arena arena;
    sr_result result;
    sr_thresholds disk = {0};

    sr_arena_init(&arena, arena_buf, sizeof arena_buf);
    sr_result_init(&result, &arena);
    sr_result_set_status(&result, SR_STATUS_WARNING);
    sr_result_set_summary(&result, "disk / at 91%");

    disk.has_warn = true;
    disk.warn = 80;
    disk.has_crit = true;
    disk.crit = 90;
    disk.has_min = true;
    disk.min = 0;
    disk.has_max = true;
    disk.max = 100;
    sr_result_add_metric(&result, "disk_used", 91, "%", &disk);
    sr_result_add_metric(&result, "inodes_used", 120034, "c", NULL);
    sr_result_add_metric(&result, "io wait", 0.003, "s", NULL);

    sr_submit_result(&result, NULL);
}

SR_PLUGIN_ENTRY(check);
