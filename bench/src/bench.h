/* bench.h - what the contenders provide to the harness (bench_main.c). */
#ifndef BENCH_H
#define BENCH_H

#include <stddef.h>
#include <stdint.h>

/* ---- our SDK (sdk_cases.c) ------------------------------------------------ */
/* Prepares everything for documents of n points (buffers, a prebuilt metric
 * and batch); returns 0 on success. */
int sdk_setup(size_t n);
/* One operation each; they return the bytes of JSON produced (0: failure). */
size_t sdk_full(size_t n);      /* build + validate + serialize: record_otel_metric + batch_to_json */
size_t sdk_emit(size_t n);      /* build + validate + serialize + emit (host call copies the bytes) */
size_t sdk_build(size_t n);     /* the builder calls alone */
size_t sdk_record(size_t n);    /* sr_telemetry_record_otel_metric alone (validate + size + serialize, prebuilt metric) */
size_t sdk_validate(size_t n);  /* sr_otel_metric_validate alone (prebuilt metric); returns 1 */
size_t sdk_serialize_metric(size_t n); /* sr_otel_metric_to_json alone (prebuilt metric) */
size_t sdk_json_size(size_t n); /* sr_otel_metric_json_size alone (the counting pass) */
size_t sdk_serialize(size_t n); /* the whole document from prebuilt structures: metric_to_json + batch_to_json */
size_t sdk_memcpy(size_t n);    /* the floor: memcpy of the document's bytes */
/* The document last written by sdk_full(n) (valid after a call). */
const char *sdk_output(size_t n, size_t *len);
/* Arena high-water marks for the reference document, measured on a fresh
 * arena: after building the metric, after recording it, after emitting. */
void sdk_arena_peaks(size_t n, size_t *after_build, size_t *after_record, size_t *after_emit);
/* Doubles of the document, formatted with sr_format_double; returns bytes. */
size_t sdk_format_doubles(const double *v, size_t count);

/* ---- the other JSON libraries (lib_*.c, native only) ---------------------- */
typedef struct bench_lib {
    const char *name;
    void *(*build)(size_t n);                    /* the DOM of the document */
    /* Compact JSON into buf (or the library's own buffer); returns the text
     * and its length in *len (0 on failure). */
    const char *(*print)(void *dom, char *buf, size_t cap, size_t *len);
    void (*destroy)(void *dom);
} bench_lib;

extern const bench_lib bench_cjson;         /* int64 and doubles as raw number text: exact */
extern const bench_lib bench_cjson_numbers; /* every number a cJSON number: inexact */
extern const bench_lib bench_jsonc;
extern const bench_lib bench_jansson;

/* Formats a uint64 as decimal text (what a cJSON user does for exact 64-bit
 * integers: snprintf), returns the length. */
size_t bench_fmt_u64(char *buf, size_t cap, uint64_t v);

#endif
