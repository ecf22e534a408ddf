/* Implements the sr_host_* imports natively (see fake_host.h). The agent's
 * rules that matter to the SDK are kept: payloads over the contract's limit
 * are refused with too_large. */
#include "fake_host.h"

#include <stdlib.h>
#include <string.h>

#include "sr_contract.h"
#include "sr_host.h"

fake_host fake;

void fake_host_reset(void)
{
    for (size_t i = 0; i < fake.count; i++)
        free(fake.calls[i].payload);
    memset(&fake, 0, sizeof fake);
}

size_t fake_host_calls_of(const char *function)
{
    size_t n = 0;
    for (size_t i = 0; i < fake.count; i++)
        n += strcmp(fake.calls[i].function, function) == 0;
    return n;
}

static int32_t record(const char *function, const void *ptr, uint32_t size)
{
    size_t nth = fake_host_calls_of(function) + 1;
    int32_t code = SR_HOST_OK;
    if (size > SR_LIMIT_HOST_PAYLOAD_MAX_BYTES)
        code = SR_HOST_TOO_LARGE;
    if (fake.fail_function && strcmp(fake.fail_function, function) == 0
        && (fake.fail_call == 0 || fake.fail_call == nth))
        code = fake.fail_code;
    if (fake.count < FAKE_HOST_MAX_CALLS) {
        fake_call *c = &fake.calls[fake.count++];
        strncpy(c->function, function, sizeof c->function - 1);
        c->payload = malloc(size + 1);
        if (c->payload) {
            memcpy(c->payload, ptr, size);
            c->payload[size] = '\0';
        }
        c->size = size;
        c->code = code;
    }
    return code;
}

int32_t sr_host_emit_telemetry(const void *ptr, uint32_t size) { return record("emit_telemetry", ptr, size); }
int32_t sr_host_submit_result(const void *ptr, uint32_t size) { return record("submit_result", ptr, size); }

void sr_host_log(uint32_t level, const void *ptr, uint32_t size)
{
    (void)level;
    record("log", ptr, size);
}

int32_t sr_host_get_config(void *ptr, uint32_t size)
{
    size_t n = fake.config ? strlen(fake.config) : 0;
    if (n > size)
        return SR_HOST_TOO_LARGE;
    if (n)
        memcpy(ptr, fake.config, n);
    return (int32_t)n;
}
