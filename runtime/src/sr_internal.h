/*
 * sr_internal.h - helpers shared by the runtime's .c files; not installed and
 * not part of the API.
 */
#ifndef SR_INTERNAL_H
#define SR_INTERNAL_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#if defined(__GNUC__) || defined(__clang__)
#define SR_LIKELY(x) __builtin_expect(!!(x), 1)
#define SR_UNLIKELY(x) __builtin_expect(!!(x), 0)
#else
#define SR_LIKELY(x) (x)
#define SR_UNLIKELY(x) (x)
#endif

/* "00" "01" ... "99": lets integer printing emit two digits per division. */
extern const char sr_digit_pairs[200];

/* Writes the decimal digits of v into out[0 .. len), len being exactly the
 * digit count of v (see sr_decimal_len). Works back to front, two digits per
 * step from a table, and peels 8 digits at a time off large values so the
 * inner steps are 32-bit divisions (which 32-bit targets such as wasm32, and
 * the 64-bit ones too, do faster than 64-bit ones). */
static inline void sr_put_digits(char *out, size_t len, uint64_t v)
{
    char *p = out + len;
    while (v >= 100000000) {
        uint64_t q = v / 100000000;
        uint32_t r = (uint32_t)(v - q * 100000000); /* exactly 8 digits */
        for (int i = 0; i < 4; i++) {
            uint32_t r2 = r / 100;
            memcpy(p -= 2, sr_digit_pairs + 2 * (r - r2 * 100), 2);
            r = r2;
        }
        v = q;
    }
    uint32_t u = (uint32_t)v;
    while (u >= 100) {
        uint32_t q = u / 100;
        memcpy(p -= 2, sr_digit_pairs + 2 * (u - q * 100), 2);
        u = q;
    }
    if (u >= 10) {
        memcpy(p - 2, sr_digit_pairs + 2 * u, 2);
    } else {
        p[-1] = (char)('0' + u);
    }
}

/* Number of decimal digits of v (1 for 0). */
static inline size_t sr_decimal_len(uint64_t v)
{
    /* Twenty comparisons at most, and values below 10^4 (the common case for
     * counts and ids) are settled in the first few. */
    size_t n = 1;
    for (;;) {
        if (v < 10) return n;
        if (v < 100) return n + 1;
        if (v < 1000) return n + 2;
        if (v < 10000) return n + 3;
        v /= 10000;
        n += 4;
    }
}

/*
 * Length of the well-formed UTF-8 sequence starting at p (whose first byte is
 * >= 0x80), or 0 if it is ill-formed. `avail` is the number of bytes left.
 * This is the table of well-formed byte sequences of the Unicode standard
 * (ch. 3, "UTF-8"): it rejects stray continuation bytes, overlong forms (C0,
 * C1, E0 80..9F, F0 80..8F), UTF-16 surrogates (ED A0..BF), code points above
 * U+10FFFF (F4 90.., F5..FF) and sequences cut short by the end of input.
 */
static inline size_t sr_utf8_seq_len(const unsigned char *p, size_t avail)
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

/* Unaligned little-or-big-endian load; only used where byte order does not
 * matter (tests of "is any byte of these 8 special"). */
static inline uint64_t sr_load64(const void *p)
{
    uint64_t v;
    memcpy(&v, p, sizeof v);
    return v;
}

#define SR_BYTES_01 UINT64_C(0x0101010101010101)
#define SR_BYTES_80 UINT64_C(0x8080808080808080)

#endif /* SR_INTERNAL_H */
