/*
 * sr_internal.h - helpers shared by the runtime's .c files; not installed and
 * not part of the API.
 */
#ifndef SR_INTERNAL_H
#define SR_INTERNAL_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "sr_runtime.h"

#if defined(__GNUC__) || defined(__clang__)
#define SR_LIKELY(x) __builtin_expect(!!(x), 1)
#define SR_UNLIKELY(x) __builtin_expect(!!(x), 0)
#else
#define SR_LIKELY(x) (x)
#define SR_UNLIKELY(x) (x)
#endif

/* "00" "01" ... "99": two digits at a time (exponents, small integers). */
extern const char sr_digit_pairs[200];

/* ---- small fixed-size copies ------------------------------------------------
 * memcpy with a constant size compiles to plain loads and stores (no call, no
 * loop, also in wasm). sr_copy_small copies exactly n <= 32 bytes with at most
 * four of them, the two of each size overlapping in the middle: nothing
 * before dst or at dst + n and beyond is written, and there is no loop (a
 * loop back-edge costs a call into the host under wazero's close-on-done
 * checks, see bench/README.md). */
#if defined(__OPTIMIZE_SIZE__) && defined(__wasm_bulk_memory__)
/* wasm with bulk memory: memcpy of any length is one memory.copy (no call,
 * no loop in the module), shorter than the four cases below. */
static inline void sr_copy_small(char *dst, const char *src, size_t n) { memcpy(dst, src, n); }
#else
static inline void sr_copy_small(char *dst, const char *src, size_t n)
{
    if (n >= 16) {
        memcpy(dst, src, 16);
        memcpy(dst + (n - 16), src + (n - 16), 16);
    } else if (n >= 8) {
        memcpy(dst, src, 8);
        memcpy(dst + (n - 8), src + (n - 8), 8);
    } else if (n >= 4) {
        memcpy(dst, src, 4);
        memcpy(dst + (n - 4), src + (n - 4), 4);
    } else if (n != 0) {
        dst[0] = src[0];
        dst[n >> 1] = src[n >> 1];
        dst[n - 1] = src[n - 1];
    }
}
#endif

/* Unaligned loads and stores; byte order matters only where said. */
static inline uint64_t sr_load64(const void *p)
{
    uint64_t v;
    memcpy(&v, p, sizeof v);
    return v;
}

static inline uint32_t sr_load32(const void *p)
{
    uint32_t v;
    memcpy(&v, p, sizeof v);
    return v;
}

static inline void sr_store64(void *p, uint64_t v) { memcpy(p, &v, sizeof v); }

#define SR_BYTES_01 UINT64_C(0x0101010101010101)
#define SR_BYTES_80 UINT64_C(0x8080808080808080)

/* The n bytes at p (n <= 16) as words whose bytes can be tested all at once
 * ("is any byte ..."): *a and *b cover every byte, overlapping when n < 16;
 * bytes that are not from p (n < 4) are `fill`. */
#if defined(__OPTIMIZE_SIZE__) && defined(__wasm_bulk_memory__)
/* wasm size builds: below 8 bytes the n bytes in order over `fill` (one
 * memory.copy), stored back the same way. */
static inline void sr_load_upto16(const unsigned char *p, size_t n, uint64_t fill, uint64_t *a, uint64_t *b)
{
    if (n >= 8) {
        *a = sr_load64(p);
        *b = sr_load64(p + n - 8);
    } else {
        uint64_t x = fill;
        memcpy(&x, p, n);
        *a = *b = x;
    }
}

static inline void sr_store_upto16(char *p, size_t n, uint64_t a, uint64_t b)
{
    if (n >= 8) {
        sr_store64(p, a);
        sr_store64(p + n - 8, b);
    } else {
        memcpy(p, &a, n);
    }
}
#else
static inline void sr_load_upto16(const unsigned char *p, size_t n, uint64_t fill, uint64_t *a, uint64_t *b)
{
    if (n >= 8) {
        *a = sr_load64(p);
        *b = sr_load64(p + n - 8);
    } else if (n >= 4) {
        *a = sr_load32(p) | (uint64_t)sr_load32(p + n - 4) << 32;
        *b = *a;
    } else {
        uint64_t x = fill;
        if (n != 0) {
            x = (fill & ~UINT64_C(0xFFFFFF)) | p[0] | (uint64_t)p[n >> 1] << 8 | (uint64_t)p[n - 1] << 16;
        }
        *a = *b = x;
    }
}

/* Stores back the n bytes (n <= 16) that sr_load_upto16 loaded into a and b,
 * at p: from the registers, without reading the source again; nothing
 * before p or at p + n and beyond is written. */
static inline void sr_store_upto16(char *p, size_t n, uint64_t a, uint64_t b)
{
    if (n >= 8) {
        sr_store64(p, a);
        sr_store64(p + n - 8, b);
    } else if (n >= 4) {
        const uint32_t lo = (uint32_t)a, hi = (uint32_t)(a >> 32);
        memcpy(p, &lo, 4);
        memcpy(p + n - 4, &hi, 4);
    } else if (n != 0) {
        p[0] = (char)a;
        p[n >> 1] = (char)(a >> 8);
        p[n - 1] = (char)(a >> 16);
    }
}
#endif

/* ---- decimal digits ------------------------------------------------------------ */

#if defined(__GNUC__) || defined(__clang__)
#define SR_CLZ64(x) __builtin_clzll(x)
#else
static inline int sr_clz64_portable(uint64_t x)
{
    int n = 0;
    if (x <= UINT64_C(0x00000000FFFFFFFF)) n += 32, x <<= 32;
    if (x <= UINT64_C(0x0000FFFFFFFFFFFF)) n += 16, x <<= 16;
    if (x <= UINT64_C(0x00FFFFFFFFFFFFFF)) n += 8, x <<= 8;
    if (x <= UINT64_C(0x0FFFFFFFFFFFFFFF)) n += 4, x <<= 4;
    if (x <= UINT64_C(0x3FFFFFFFFFFFFFFF)) n += 2, x <<= 2;
    if (x <= UINT64_C(0x7FFFFFFFFFFFFFFF)) n += 1;
    return n;
}
#define SR_CLZ64(x) sr_clz64_portable(x)
#endif

extern const uint64_t sr_pow10_u64[20];
/* 5^0 .. 5^26: the double formatter's compressed tables (sr_pow10_table.h)
 * and, in size builds, the digit count (10^t = 5^t << t), one table for
 * both. */
#define SR_POW5_COUNT 27
extern const uint64_t sr_pow5_u64[SR_POW5_COUNT];

/* Number of decimal digits of v (1 for 0): no loop. floor(bits * log10(2))
 * from the bit length (1233 / 4096 ~ log10 2, exact for bit lengths 1..64)
 * is the digit count or one less; one comparison settles it. v | 1 has the
 * digit count of v (powers of ten from 10 up are even) and is never 0. */
static inline size_t sr_decimal_len(uint64_t v)
{
    const uint64_t x = v | 1;
    const unsigned bits = 64u - (unsigned)SR_CLZ64(x);
    const unsigned t = (bits * 1233u) >> 12; /* <= 19 */
#ifdef __OPTIMIZE_SIZE__
    return t + (x >= sr_pow5_u64[t] << t); /* 10^19 < 2^64 */
#else
    return t + (x >= sr_pow10_u64[t]);
#endif
}

/* Digit output, 8 at a time in one 64-bit word ("SWAR"): x < 10^8 is split
 * into two 4-digit halves in the word's two 32-bit lanes, each half into two
 * 2-digit parts in 16-bit lanes, each part into two digits in bytes, by
 * multiplications that divide exactly in the ranges used (x / 100 as
 * x * 5243 >> 19 for x < 10^4, x / 10 as x * 103 >> 10 for x < 100; the lanes
 * never carry into each other; tests/runtime checks all 10^4 and 100 cases).
 * The result is 8 ASCII digits, leading zeros included, in memory order on a
 * little-endian machine (the first digit in the lowest byte). Big-endian
 * targets (SR_DIGITS_TABLE) use plain loops instead. */
#if !defined(SR_DIGITS_TABLE) && defined(__BYTE_ORDER__) && defined(__ORDER_BIG_ENDIAN__) && \
    __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
#define SR_DIGITS_TABLE 1 /* may also be defined to test this path anywhere */
#endif

#ifndef SR_DIGITS_TABLE
static inline uint64_t sr_digits8(uint32_t x)
{
    const uint32_t hi = x / 10000, lo = x - hi * 10000;
    uint64_t y = hi | (uint64_t)lo << 32;                                  /* 4 + 4 */
    uint64_t h = ((y * 5243) >> 19) & UINT64_C(0x0000007F0000007F);
    y = h | (y - h * 100) << 16;                                           /* 2 + 2 per lane */
    uint64_t t = ((y * 103) >> 10) & UINT64_C(0x000F000F000F000F);
    y = t | (y - t * 10) << 8;                                             /* 1 + 1 per lane */
    return y + SR_BYTES_01 * '0';
}

/* The same 8 digits in speed builds, as four 2-digit parts loaded from
 * sr_digit_pairs; the parts come from x / 10^6, x / 10^4 and x / 10^2, three
 * independent divisions by constants (multiplications), so the chain of
 * dependent steps is much shorter than sr_digits8's. Faster natively for
 * the integer writers (19-digit timestamps) and for the double formatter's
 * numbers of 9 to 17 digits; not for its numbers of up to 8 digits, which
 * keep sr_digits8 (each measured both ways). Size builds use sr_digits8
 * everywhere (fewer bytes). */
#ifndef __OPTIMIZE_SIZE__
static inline uint64_t sr_digits8_pairs(uint32_t x)
{
    const uint32_t q6 = x / 1000000, q4 = x / 10000, q2 = x / 100;
    const uint32_t a = q6, b = q4 - q6 * 100, c = q2 - q4 * 100, d = x - q2 * 100;
    uint16_t pa, pb, pc, pd;
    memcpy(&pa, sr_digit_pairs + 2 * a, 2);
    memcpy(&pb, sr_digit_pairs + 2 * b, 2);
    memcpy(&pc, sr_digit_pairs + 2 * c, 2);
    memcpy(&pd, sr_digit_pairs + 2 * d, 2);
    return (uint64_t)pa | (uint64_t)pb << 16 | (uint64_t)pc << 32 | (uint64_t)pd << 48;
}
#define SR_DIGITS8_INT sr_digits8_pairs
#else
#define SR_DIGITS8_INT sr_digits8
#endif

/* Stores exactly the first k (0..8) bytes, in memory order, of the word w
 * (little-endian) at p: two overlapping stores at most, no loop.
 * Size builds call one shared copy (sr_put_word_shared, sr_writer.c) rather
 * than compile a static one into each file that uses it: with LTO the
 * per-file copies stayed apart in the module (about 90 bytes each). */
#ifdef __OPTIMIZE_SIZE__
void sr_put_word_shared(char *p, uint64_t w, size_t k);
#define sr_put_word sr_put_word_shared
#else
#define sr_put_word sr_put_word_inline
#endif
static inline void sr_put_word_inline(char *p, uint64_t w, size_t k)
{
    if (k >= 4) {
        const uint32_t a = (uint32_t)w, b = (uint32_t)(w >> (8 * (k - 4)));
        memcpy(p, &a, 4);
        memcpy(p + k - 4, &b, 4);
    } else if (k >= 2) {
        const uint16_t a = (uint16_t)w, b = (uint16_t)(w >> (8 * (k - 2)));
        memcpy(p, &a, 2);
        memcpy(p + k - 2, &b, 2);
    } else if (k != 0) {
        p[0] = (char)w;
    }
}

#endif

/* Writes the n = sr_decimal_len(v) decimal digits of v at p[0 .. n), and
 * nothing else. */
static inline void sr_put_u64(char *p, uint64_t v, size_t n)
{
#if !defined(SR_DIGITS_TABLE) && defined(__OPTIMIZE_SIZE__)
    /* Size builds: 8-digit groups from the end while more than 8 digits are
     * left (two steps at most, no loop), then the 1..8 in front; no pair
     * table. */
    if (n > 16) {
        const uint64_t hi = v / 100000000;
        sr_store64(p + n - 8, sr_digits8((uint32_t)(v - hi * 100000000)));
        v = hi;
        n -= 8;
    }
    if (n > 8) {
        const uint64_t hi = v / 100000000;
        sr_store64(p + n - 8, sr_digits8((uint32_t)(v - hi * 100000000)));
        v = hi;
        n -= 8;
    }
    sr_put_word(p, sr_digits8((uint32_t)v) >> (8 * (8 - n)), n);
#elif !defined(SR_DIGITS_TABLE)
    if (n <= 2) {
        if (n == 2) memcpy(p, sr_digit_pairs + 2 * v, 2);
        else p[0] = (char)('0' + v);
    } else if (n <= 8) {
        sr_put_word(p, SR_DIGITS8_INT((uint32_t)v) >> (8 * (8 - n)), n);
    } else if (n <= 16) {
        const uint64_t hi = v / 100000000;
        sr_put_word(p, SR_DIGITS8_INT((uint32_t)hi) >> (8 * (16 - n)), n - 8);
        sr_store64(p + n - 8, SR_DIGITS8_INT((uint32_t)(v - hi * 100000000)));
    } else {
        /* The low 8 digits first: they do not wait for the second division. */
        const uint64_t hi = v / 100000000;
        const uint64_t top = hi / 100000000; /* <= 1844 */
        sr_put_word(p, SR_DIGITS8_INT((uint32_t)top) >> (8 * (24 - n)), n - 16);
        sr_store64(p + n - 16, SR_DIGITS8_INT((uint32_t)(hi - top * 100000000)));
        sr_store64(p + n - 8, SR_DIGITS8_INT((uint32_t)(v - hi * 100000000)));
    }
#else
    char *q = p + n; /* one digit per step: the portable path */
    do {
        const uint64_t d = v / 10;
        *--q = (char)('0' + (v - d * 10));
        v = d;
    } while (v != 0);
#endif
}

/*
 * Length of the well-formed UTF-8 sequence starting at p (whose first byte is
 * >= 0x80), or 0 if it is ill-formed. `avail` is the number of bytes left.
 * This is the table of well-formed byte sequences of the Unicode standard
 * (ch. 3, "UTF-8"): it rejects stray continuation bytes, overlong forms (C0,
 * C1, E0 80..9F, F0 80..8F), UTF-16 surrogates (ED A0..BF), code points above
 * U+10FFFF (F4 90.., F5..FF) and sequences cut short by the end of input.
 */
#ifdef __OPTIMIZE_SIZE__
/* Size builds: one shared copy (sr_text.c) instead of one inlined into each
 * user (the JSON string writer and the UTF-8 check). */
size_t sr_utf8_seq_len_shared(const unsigned char *p, size_t avail);
#define sr_utf8_seq_len sr_utf8_seq_len_shared
#else
#define sr_utf8_seq_len sr_utf8_seq_len_inline
#endif
static inline size_t sr_utf8_seq_len_inline(const unsigned char *p, size_t avail)
{
    unsigned char b0 = p[0];
    unsigned char lo = 0x80, hi = 0xBF; /* allowed range of the second byte */
    size_t len;

    if (b0 < 0xC2) {
        return 0; /* continuation byte or overlong 2-byte lead */
    } else if (b0 < 0xE0) {
        len = 2;
    } else if (b0 < 0xF0) {
        len = 3;
        if (b0 == 0xE0) lo = 0xA0;      /* overlong below U+0800 */
        else if (b0 == 0xED) hi = 0x9F; /* surrogates D800..DFFF */
    } else if (b0 < 0xF5) {
        len = 4;
        if (b0 == 0xF0) lo = 0x90;      /* overlong below U+10000 */
        else if (b0 == 0xF4) hi = 0x8F; /* above U+10FFFF */
    } else {
        return 0;
    }
    if (avail < len) return 0;
    if (p[1] < lo || p[1] > hi) return 0;
    for (size_t i = 2; i < len; i++) {
        if ((p[i] & 0xC0) != 0x80) return 0;
    }
    return len;
}

#endif /* SR_INTERNAL_H */
