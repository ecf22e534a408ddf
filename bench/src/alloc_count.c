/*
 * alloc_count.c - counts heap allocations (native build only).
 *
 * malloc, calloc, realloc and free are defined here, in the executable, so
 * the dynamic linker binds every caller to them: our code, glibc itself, and
 * the shared libraries (cJSON, json-c, jansson). No LD_PRELOAD. They count
 * and forward to glibc's own entry points (__libc_malloc and friends).
 * posix_memalign/aligned_alloc are not used by anything measured here.
 */
#include <stddef.h>

#include "alloc_count.h"

extern void *__libc_malloc(size_t);
extern void *__libc_calloc(size_t, size_t);
extern void *__libc_realloc(void *, size_t);
extern void __libc_free(void *);

volatile unsigned long long bench_allocs, bench_alloc_bytes, bench_frees;

void *malloc(size_t n)
{
    bench_allocs++;
    bench_alloc_bytes += n;
    return __libc_malloc(n);
}

void *calloc(size_t n, size_t size)
{
    bench_allocs++;
    bench_alloc_bytes += n * size;
    return __libc_calloc(n, size);
}

void *realloc(void *p, size_t n)
{
    bench_allocs++;
    bench_alloc_bytes += n;
    return __libc_realloc(p, n);
}

void free(void *p)
{
    if (p)
        bench_frees++;
    __libc_free(p);
}
