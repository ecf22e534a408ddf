// The generated headers are usable from C++ (a plugin may be written in it):
// no C++ keyword as a member name, extern "C" linkage.
#include "sr_otel_metric.h"

int main()
{
    sr_service s = {};
    s.namespace_.len = 0;
    return sr_rule_id(SR_RULE_METRIC_NAME_REQUIRED) != nullptr && s.namespace_.ptr == nullptr ? 0 : 1;
}
