/* Includes the generated headers in one translation unit of two, so a
 * definition that does not belong in a header fails to link. */
#include "sr_otel_metric.h"

int sr_two_units_b(void);

int main(void)
{
    return sr_rule_id(SR_RULE_METRIC_NAME_REQUIRED) != NULL && sr_two_units_b() == 0 ? 0 : 1;
}
