/* A native stand-in for the agent's env functions, for unit tests: records
 * every call and can be told to fail the Nth call of a function. */
#ifndef FAKE_HOST_H
#define FAKE_HOST_H

#include <stddef.h>
#include <stdint.h>

#define FAKE_HOST_MAX_CALLS 64

typedef struct fake_call {
    char function[24];
    char *payload; /* malloc'ed copy (test code may allocate) */
    size_t size;
    int32_t code;
} fake_call;

typedef struct fake_host {
    fake_call calls[FAKE_HOST_MAX_CALLS];
    size_t count;
    const char *fail_function; /* NULL: never fail */
    size_t fail_call;          /* 1-based index among that function's calls; 0 = every call */
    int32_t fail_code;
    const char *config;        /* returned by get_config */
} fake_host;

extern fake_host fake;

void fake_host_reset(void);
size_t fake_host_calls_of(const char *function);

#endif
