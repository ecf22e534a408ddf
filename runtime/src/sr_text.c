/*
 * sr_text.c - status names and the text checks used by generated validators.
 */
#include "sr_runtime.h"

#include "sr_internal.h"

const char *sr_status_str(sr_status s)
{
    switch (s) {
    case SR_OK: return "ok";
    case SR_ERR_ARG: return "invalid argument";
    case SR_ERR_ARENA: return "arena exhausted";
    case SR_ERR_BUFFER: return "output buffer too small";
    case SR_ERR_INVALID: return "validation failed";
    case SR_ERR_NOT_FINITE: return "number not finite";
    case SR_ERR_UTF8: return "invalid UTF-8";
    case SR_ERR_LIMIT: return "limit exceeded";
    case SR_ERR_HOST: return "host call failed";
    }
    /* Not a value of the enum (e.g. cast from a host's integer). */
    return "unknown status";
}

#ifdef __OPTIMIZE_SIZE__
size_t sr_utf8_seq_len_shared(const unsigned char *p, size_t avail) { return sr_utf8_seq_len_inline(p, avail); }
#endif

/* Strings longer than 32 bytes: 32 bytes a round while more than 32 are
 * left, *i advanced past the rounds that were ASCII; false at the first
 * round that is not. A do-while behind a test: a string of up to 32 bytes
 * enters no loop (a wasm host that can stop a module checks each round). */
static inline bool ascii_runs32(const unsigned char *p, size_t n, size_t *i)
{
    if (n > 32) {
        do {
            if (((sr_load64(p + *i) | sr_load64(p + *i + 8) | sr_load64(p + *i + 16) | sr_load64(p + *i + 24))
                 & SR_BYTES_80) != 0)
                return false;
            *i += 32;
        } while (n - *i > 32);
    }
    return true;
}

bool sr_utf8_valid(const char *s, size_t n)
{
    if (s == NULL) return n == 0;
    const unsigned char *p = (const unsigned char *)s;
    size_t i = 0;
#ifdef __OPTIMIZE_SIZE__
    /* Size builds: the 32-byte rounds, then the 0..32 bytes left as up to
     * four overlapping loads ORed together (only the top bits count, so no
     * byte needs to stay in its place). */
    if (!ascii_runs32(p, n, &i))
        goto slow;
    {
        const unsigned char *q = p + i;
        const size_t r = n - i;
        uint64_t t = 0;
        if (r >= 8) {
            t = sr_load64(q) | sr_load64(q + r - 8);
            if (r > 16) t |= sr_load64(q + 8) | sr_load64(q + r - 16);
        } else if (r >= 4) {
            t = sr_load32(q) | sr_load32(q + r - 4);
        } else if (r != 0) {
            t = q[0] | q[r >> 1] | q[r - 1];
        }
        if ((t & SR_BYTES_80) == 0) return true;
    }
#else
    if (n <= 16) {
        /* Short ASCII strings, the common case: two overlapping words. */
        uint64_t a, b;
        sr_load_upto16(p, n, 0, &a, &b);
        if (((a | b) & SR_BYTES_80) == 0) return true;
    } else {
        /* Longer ones: the 32-byte rounds, then the last 17..32 bytes (or
         * all that is left) as four words, overlapping. */
        if (!ascii_runs32(p, n, &i))
            goto slow;
        uint64_t t = sr_load64(p + n - 16) | sr_load64(p + n - 8);
        if (n - i > 16) t |= sr_load64(p + i) | sr_load64(p + i + 8);
        if ((t & SR_BYTES_80) == 0) return true;
    }
#endif
slow:
    /* From i on (everything before it is ASCII): sequence by sequence. */
    while (i < n) {
#ifndef __OPTIMIZE_SIZE__
        /* ASCII eight bytes at a time: no byte has its top bit set (speed
         * builds; size builds take it byte by byte). */
        while (n - i >= 8 && (sr_load64(p + i) & SR_BYTES_80) == 0) i += 8;
        if (i >= n) break;
#endif
        if (p[i] < 0x80) {
            i++;
            continue;
        }
        size_t len = sr_utf8_seq_len(p + i, n - i);
        if (len == 0) return false;
        i += len;
    }
    return true;
}

bool sr_hex_id_valid(const char *s, size_t n, size_t want_len)
{
    if (s == NULL || n != want_len) return false;
    bool nonzero = false;
    for (size_t i = 0; i < n; i++) {
        char ch = s[i];
        if (ch >= '1' && ch <= '9') {
            nonzero = true;
        } else if (ch >= 'a' && ch <= 'f') {
            nonzero = true;
        } else if (ch != '0') {
            return false;
        }
    }
    return nonzero;
}
