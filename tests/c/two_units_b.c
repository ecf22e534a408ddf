/* The second translation unit: builds and validates a tiny metric. */
#include "sr_otel_metric.h"

int sr_two_units_b(void)
{
    static unsigned char buf[4096];
    sr_arena arena;
    sr_otel_metric m;
    sr_point *p;
    sr_arena_init(&arena, buf, sizeof buf);
    if (sr_otel_metric_init(&m, &arena) != SR_OK || sr_otel_metric_set_resource_service_name(&m, "s") != SR_OK
        || sr_otel_metric_set_name(&m, "up") != SR_OK || sr_otel_metric_set_kind(&m, SR_METRIC_KIND_GAUGE) != SR_OK
        || sr_otel_metric_add_point(&m, &p) != SR_OK || sr_point_set_time_unix_nano(p, 1) != SR_OK
        || sr_point_set_as_int(p, 1) != SR_OK)
        return 1;
    return sr_otel_metric_validate(&m, NULL) == SR_OK ? 0 : 1;
}
