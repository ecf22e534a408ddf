/* alloc_count.h - the counters of alloc_count.c (native only). */
#ifndef BENCH_ALLOC_COUNT_H
#define BENCH_ALLOC_COUNT_H
extern volatile unsigned long long bench_allocs, bench_alloc_bytes, bench_frees;
#endif
