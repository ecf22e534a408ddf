/*
 * examples/hello - the smallest ServiceRadar plugin: one log line and one
 * serviceradar.plugin_result.v1 document. Built by sr_add_plugin() in the
 * WASI build (examples/hello/CMakeLists.txt); manifest: plugin.yaml.
 */
#include "sr_plugin.h"

static void hello_check(void)
{
    static const char line[] = "hello from the ServiceRadar C SDK";
    static const char result[] = "{\"status\":\"OK\",\"summary\":\"hello\"}";
    static const char failed[] = "hello: submit_result was refused";

    sr_host_log(SR_LOG_INFO, line, (uint32_t)(sizeof line - 1));
    if (sr_host_submit_result(result, (uint32_t)(sizeof result - 1)) != SR_HOST_OK)
        sr_host_log(SR_LOG_ERROR, failed, (uint32_t)(sizeof failed - 1));
}

SR_PLUGIN_ENTRY(hello_check);
