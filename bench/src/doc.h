/*
 * doc.h - the reference document every contender builds: one otel_metric
 * histogram record (N points, each with 2 string attributes, count, sum, 11
 * bucket counts, 10 explicit bounds, min and max) inside a telemetry batch
 * with a source. The values are generated once, deterministically; each
 * contender turns the same values into JSON.
 */
#ifndef BENCH_DOC_H
#define BENCH_DOC_H

#include <stddef.h>
#include <stdint.h>

#define DOC_BUCKETS 11
#define DOC_BOUNDS 10
#define DOC_MAX_POINTS 10000

typedef struct doc_point {
    uint64_t start_time_unix_nano;
    uint64_t time_unix_nano;
    const char *route;  /* attribute http.route */
    const char *method; /* attribute http.request.method */
    uint64_t count;
    double sum;
    uint64_t bucket_counts[DOC_BUCKETS];
    double min;
    double max;
} doc_point;

/* The fixed parts, as strings/values every contender writes. */
#define DOC_SOURCE_TYPE "wasm_plugin"
#define DOC_SOURCE_INSTANCE "bench-1"
#define DOC_SERVICE_NAME "checkout"
#define DOC_SCOPE_NAME "serviceradar.bench"
#define DOC_METRIC_NAME "http.server.request.duration"
#define DOC_METRIC_DESCRIPTION "Duration of HTTP server requests."
#define DOC_METRIC_UNIT "s"
/* The record's observed time: the SDK takes "now"; every contender then
 * writes this fixed value so the documents can be compared. */
#define DOC_OBSERVED_TIME INT64_C(1700000123987654321)

extern const double doc_bounds[DOC_BOUNDS];
extern doc_point doc_points[DOC_MAX_POINTS];

/* Fills doc_points (idempotent). */
void doc_init(void);
/* The largest time_unix_nano of the first n points (the record's event time). */
uint64_t doc_event_time(size_t n);

/* Every double in the reference document (n points), for the formatter
 * benchmark; returns how many were stored (at most cap). */
size_t doc_doubles(size_t n, double *out, size_t cap);

#endif
