/*
 * sr_arena.c - bump allocator over caller-owned memory.
 *
 * Alignment is taken from the actual address (base + used), not the offset,
 * so a buffer that is itself poorly aligned still yields aligned pointers.
 */
#include "sr_runtime.h"

#include "sr_internal.h"

void sr_arena_init(sr_arena *a, void *buf, size_t size)
{
    a->base = (unsigned char *)buf;
    a->size = buf ? size : 0;
    a->used = 0;
    a->peak = 0;
}

void *sr_arena_alloc(sr_arena *a, size_t size, size_t align)
{
    if (a == NULL || a->base == NULL) return NULL;
    if (align == 0 || (align & (align - 1)) != 0) return NULL; /* not a power of two */

    const size_t room = a->size - a->used;
    /* Padding that brings base + used up to a multiple of align. */
    const size_t pad = (size_t)(-(uintptr_t)(a->base + a->used)) & (align - 1);
    if (pad > room || size > room - pad) return NULL;
    if (size == 0) {
        /* Nothing to reserve; hand out the aligned position only when it is
         * still inside the buffer (not one past its end). */
        return pad < room ? a->base + a->used + pad : NULL;
    }

    unsigned char *p = a->base + a->used + pad;
    a->used += pad + size;
    if (a->used > a->peak) a->peak = a->used;
    return p;
}

char *sr_arena_strndup(sr_arena *a, const char *s, size_t n)
{
    if (n == SIZE_MAX || (s == NULL && n != 0)) return NULL;
    if (a == NULL || a->base == NULL || n >= a->size - a->used) return NULL;
    /* Alignment 1: no padding, so this is sr_arena_alloc(a, n + 1, 1). */
    char *p = (char *)a->base + a->used;
    a->used += n + 1;
    if (a->used > a->peak) a->peak = a->used;
#if defined(__OPTIMIZE_SIZE__) && defined(__wasm_bulk_memory__)
    if (n != 0) memcpy(p, s, n); /* one memory.copy (s may be NULL when n is 0) */
#else
    if (n <= 32) sr_copy_small(p, s, n); /* names and values: no call */
    else memcpy(p, s, n);
#endif
    p[n] = '\0';
    return p;
}

size_t sr_arena_mark(const sr_arena *a) { return a->used; }

void sr_arena_rollback(sr_arena *a, size_t mark)
{
    /* A mark from a later state than the current one cannot be honoured
     * without exposing memory that was given back; ignore it. */
    if (mark <= a->used) a->used = mark;
}

/* The peak survives resets: it is there to size the arena for a workload. */
void sr_arena_reset(sr_arena *a) { a->used = 0; }
