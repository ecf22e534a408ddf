/*
 * Helpers the generated testee decoder (generated/c/testee/) calls: error and
 * path bookkeeping, and JSON-to-C conversions that refuse what the builder
 * API cannot express. Conformance test code, not part of the SDK.
 */
#ifndef SR_TESTEE_H
#define SR_TESTEE_H

#include <json-c/json.h>

#include "sr_otel_metric.h"

typedef struct sr_testee_ctx {
    char path[1024];
    size_t path_len;
    char error[1280]; /* set on the first failure */
} sr_testee_ctx;

typedef sr_status (*sr_testee_map_add)(void *o, const char *key, size_t key_len, const sr_value *value);

int sr_testee_fail(sr_testee_ctx *c, const char *message);
size_t sr_testee_push(sr_testee_ctx *c, const char *field);
size_t sr_testee_push_index(sr_testee_ctx *c, size_t index);
void sr_testee_pop(sr_testee_ctx *c, size_t saved);
/* A builder status other than SR_OK becomes an input error. */
int sr_testee_status(sr_testee_ctx *c, sr_status st);

/* A JSON string, or {"bytes_hex": "..."} for bytes that are not UTF-8. The
 * result lives until the next request. */
int sr_testee_string(sr_testee_ctx *c, json_object *j, const char **s, size_t *n);
int sr_testee_bool(sr_testee_ctx *c, json_object *j, bool *out);
int sr_testee_int64(sr_testee_ctx *c, json_object *j, int64_t *out);
int sr_testee_uint64(sr_testee_ctx *c, json_object *j, uint64_t *out);
int sr_testee_uint32(sr_testee_ctx *c, json_object *j, uint32_t *out);
/* A number, or "NaN" / "Infinity" / "-Infinity". */
int sr_testee_double(sr_testee_ctx *c, json_object *j, double *out);
/* A JSON array of n elements; *items is calloc'ed n * size (caller frees). */
int sr_testee_array(sr_testee_ctx *c, json_object *j, size_t *n, void **items, size_t size);
/* A list of {"key": ..., "value": {"string"|"bool"|"int"|"double"|"array": ...}}. */
int sr_testee_map(sr_testee_ctx *c, json_object *j, void *o, sr_testee_map_add add);

int sr_testee_build_otel_metric(sr_testee_ctx *c, json_object *input, sr_otel_metric *m);

#endif
