/*
 * sr_runtime.h - the small hand-written C core that the generated SDK code
 * stands on: caller-owned arena, bounded output writer, JSON string escaping,
 * UTF-8 checking, and exact number formatting.
 *
 * Nothing here knows a field name or a limit of the contract; those live in
 * contract/ and reach C through generated/c/. Nothing here calls malloc.
 */
#ifndef SR_RUNTIME_H
#define SR_RUNTIME_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Bumped whenever the generated code's expectations of this header change;
 * generated headers refuse to compile against another value. */
#define SR_RUNTIME_VERSION 2

/* Status of every fallible SDK call. */
typedef enum sr_status {
    SR_OK = 0,
    SR_ERR_ARG = 1,         /* NULL or otherwise unusable argument */
    SR_ERR_ARENA = 2,       /* the caller's arena is exhausted; nothing changed */
    SR_ERR_BUFFER = 3,      /* output buffer too small; nothing usable written */
    SR_ERR_INVALID = 4,     /* validation found at least one error */
    SR_ERR_NOT_FINITE = 5,  /* a NaN or infinity reached the serializer */
    SR_ERR_UTF8 = 6,        /* invalid UTF-8 reached the serializer */
    SR_ERR_LIMIT = 7,       /* a size or count is past a limit (e.g. a record larger than one host call) */
    SR_ERR_HOST = 8         /* a host call returned an error code */
} sr_status;

/* Short English name of a status, e.g. "arena exhausted". Never NULL. */
const char *sr_status_str(sr_status s);

/* ---- Arena: the only memory the SDK uses, owned by the caller. ---- */
typedef struct sr_arena {
    unsigned char *base;
    size_t size;
    size_t used;
    size_t peak; /* high-water mark of `used`, for sizing */
} sr_arena;

void sr_arena_init(sr_arena *a, void *buf, size_t size);
/* Returns NULL (and leaves the arena unchanged) when `size` bytes aligned to
 * `align` (a power of two) do not fit. size 0 returns a valid unique-enough
 * non-NULL pointer into the arena or NULL if the arena has no room at all.
 * Alignment is of the address itself. align 0 or not a power of two: NULL. */
void *sr_arena_alloc(sr_arena *a, size_t size, size_t align);
/* Copies n bytes into the arena and appends a NUL; NULL when it does not fit. */
char *sr_arena_strndup(sr_arena *a, const char *s, size_t n);
/* Mark/rollback: lets a multi-step builder call undo partial allocations.
 * A mark above the current `used` is ignored. Neither rollback nor reset
 * lowers `peak`. */
size_t sr_arena_mark(const sr_arena *a);
void sr_arena_rollback(sr_arena *a, size_t mark);
void sr_arena_reset(sr_arena *a);
/* The arena's free space: where an allocation of alignment 1 would start,
 * and in *room how many bytes are left (NULL and 0 for an arena without
 * memory). Writing there claims nothing; a following sr_arena_alloc(a, n, 1)
 * with n <= *room returns this same pointer with those bytes untouched. This
 * lets a serializer write straight into the arena in one pass and keep only
 * what it wrote. */
static inline char *sr_arena_free_space(const sr_arena *a, size_t *room)
{
    if (a->base == NULL) {
        *room = 0;
        return NULL;
    }
    *room = a->size - a->used;
    return (char *)a->base + a->used;
}

/* ---- Writer: bounded output that keeps counting after it overflows, so the
 * exact size needed is known after one pass. ---- */
typedef struct sr_writer {
    char *buf;     /* may be NULL when cap == 0 (size-only pass) */
    size_t cap;
    size_t len;    /* bytes that would have been written so far */
    sr_status err; /* first non-overflow error (NOT_FINITE, UTF8), else SR_OK */
    /* The last array written by sr_w_double_array: its values and where its
     * text is (buf[memo_pos .. memo_pos + memo_len)). Histogram points
     * usually share their bucket bounds; the text is then copied, not
     * formatted again. memo_items NULL: nothing remembered. */
    const double *memo_items;
    size_t memo_count, memo_pos, memo_len;
} sr_writer;

static inline void sr_writer_init(sr_writer *w, char *buf, size_t cap)
{
    w->buf = buf;
    w->cap = buf ? cap : 0;
    w->len = 0;
    w->err = SR_OK;
    w->memo_items = NULL;
    w->memo_count = w->memo_pos = w->memo_len = 0;
}

static inline bool sr_writer_overflowed(const sr_writer *w) { return w->len > w->cap; }

/* Appends n bytes (copied only when all of them fit; once a pass has
 * overflowed nothing more is copied, but len keeps counting). The n != 0 test
 * keeps memcpy away from a NULL buf or s on empty writes; it folds away
 * whenever n is a constant. */
static inline void sr_w_bytes_inline(sr_writer *w, const char *s, size_t n)
{
    if (n != 0 && w->len <= w->cap && n <= w->cap - w->len) memcpy(w->buf + w->len, s, n);
    w->len += n;
}
/* The same, out of line (always defined, in sr_writer.c). Size builds
 * (__OPTIMIZE_SIZE__) call it for sr_w_bytes, so that a module holds one
 * copy rather than one per file that writes JSON. */
void sr_w_bytes_shared(sr_writer *w, const char *s, size_t n);
#ifdef __OPTIMIZE_SIZE__
#define sr_w_bytes sr_w_bytes_shared
#else
#define sr_w_bytes sr_w_bytes_inline
#endif

static inline void sr_w_char(sr_writer *w, char c)
{
    if (w->len < w->cap) w->buf[w->len] = c;
    w->len++;
}

/* Finishes a pass: on success returns SR_OK and the length in *out_len; on
 * overflow returns SR_ERR_BUFFER with the exact size needed in *out_len and,
 * when cap > 0, buf[0] set to NUL so no prefix can pass for output.
 * If w->err was set (NOT_FINITE, UTF8) that status is returned instead, since
 * a bigger buffer would not help: *out_len is 0 and buf[0] is NUL as above.
 * No NUL is appended on success. out_len may be NULL; w NULL gives SR_ERR_ARG. */
sr_status sr_writer_finish(sr_writer *w, size_t *out_len);

/* Decimal integers. */
void sr_w_u64(sr_writer *w, uint64_t v);
void sr_w_i64(sr_writer *w, int64_t v);
/* A finite double as the shortest digits that round-trip, laid out exactly as
 * Python's repr(float). Non-finite: writes nothing, sets w->err. */
void sr_w_double(sr_writer *w, double v);
/* JSON arrays: "[" items separated by "," "]". items may be NULL if count
 * is 0. sr_w_double_array writes exactly what sr_w_double per item would;
 * when the values (compared bit for bit) are those of the previous array it
 * wrote through this writer, it copies that text instead of formatting. */
void sr_w_u64_array(sr_writer *w, const uint64_t *items, size_t count);
void sr_w_double_array(sr_writer *w, const double *items, size_t count);
/* A JSON string with quotes: `"` `\` escaped, \b \f \n \r \t, other controls
 * below 0x20 as \u00XX with lowercase hex (byte for byte what Python's
 * json.dumps(s, ensure_ascii=False) writes), '/' and DEL and valid UTF-8
 * passed through. Invalid UTF-8 (as sr_utf8_valid): sets w->err to
 * SR_ERR_UTF8 (bytes still counted, output unusable). s may be NULL if n is 0. */
void sr_w_json_string(sr_writer *w, const char *s, size_t n);
/* The same escaping without the quotes, for a string written in pieces. */
void sr_w_json_string_body(sr_writer *w, const char *s, size_t n);

/* ---- Formatting into small fixed buffers (no NUL added). ---- */
#define SR_DOUBLE_MAX_CHARS 32
#define SR_INT_MAX_CHARS 20
size_t sr_format_u64(uint64_t v, char out[SR_INT_MAX_CHARS]);
size_t sr_format_i64(int64_t v, char out[SR_INT_MAX_CHARS]);
/* Shortest round-trip digits, Python repr layout: "0.1", "1.0", "1e+300",
 * "5e-324", "-0.0", "1e+16", "1234567890123456.0", "0.0001", "1e-05".
 * Precondition: v is finite (otherwise "nan", "inf" or "-inf", as repr).
 * Returns the length (at most 24 in practice). */
size_t sr_format_double(double v, char out[SR_DOUBLE_MAX_CHARS]);

/* ---- Text checks used by generated validators. ---- */
/* Well-formed UTF-8 per the Unicode standard: no overlongs, no surrogates
 * (U+D800..DFFF), nothing above U+10FFFF, no stray or missing continuation
 * bytes. NUL bytes are valid. */
bool sr_utf8_valid(const char *s, size_t n);
/* n lowercase hex digits [0-9a-f] with at least one non-zero digit. */
bool sr_hex_id_valid(const char *s, size_t n, size_t want_len);
/* Neither infinite nor NaN (all-ones exponent field); no libm needed.
 * Inline: validators call it for every double. */
static inline bool sr_double_is_finite(double v)
{
    uint64_t bits;
    memcpy(&bits, &v, sizeof bits);
    return (bits & UINT64_C(0x7FF0000000000000)) != UINT64_C(0x7FF0000000000000);
}

#ifdef __cplusplus
}
#endif
#endif /* SR_RUNTIME_H */
