/*
 * sr_writer.c - the bounded writer's non-inline parts: finishing a pass,
 * integers, and JSON string escaping.
 */
#include "sr_runtime.h"

#include "sr_internal.h"

const char sr_digit_pairs[200] = "00010203040506070809"
                                 "10111213141516171819"
                                 "20212223242526272829"
                                 "30313233343536373839"
                                 "40414243444546474849"
                                 "50515253545556575859"
                                 "60616263646566676869"
                                 "70717273747576777879"
                                 "80818283848586878889"
                                 "90919293949596979899";

sr_status sr_writer_finish(sr_writer *w, size_t *out_len)
{
    if (w == NULL) return SR_ERR_ARG;
    sr_status st = SR_OK;
    size_t len = w->len;
    if (w->err != SR_OK) {
        st = w->err; /* a bigger buffer would not help, so this comes first */
        len = 0;
    } else if (w->len > w->cap) {
        st = SR_ERR_BUFFER; /* len is the exact size a retry needs */
    }
    if (st != SR_OK && w->cap > 0) w->buf[0] = '\0';
    if (out_len) *out_len = len;
    return st;
}

const uint64_t sr_pow10_u64[20] = {
    UINT64_C(1),
    UINT64_C(10),
    UINT64_C(100),
    UINT64_C(1000),
    UINT64_C(10000),
    UINT64_C(100000),
    UINT64_C(1000000),
    UINT64_C(10000000),
    UINT64_C(100000000),
    UINT64_C(1000000000),
    UINT64_C(10000000000),
    UINT64_C(100000000000),
    UINT64_C(1000000000000),
    UINT64_C(10000000000000),
    UINT64_C(100000000000000),
    UINT64_C(1000000000000000),
    UINT64_C(10000000000000000),
    UINT64_C(100000000000000000),
    UINT64_C(1000000000000000000),
    UINT64_C(10000000000000000000),
};

const uint64_t sr_pow5_u64[SR_POW5_COUNT] = {
    UINT64_C(1),
    UINT64_C(5),
    UINT64_C(25),
    UINT64_C(125),
    UINT64_C(625),
    UINT64_C(3125),
    UINT64_C(15625),
    UINT64_C(78125),
    UINT64_C(390625),
    UINT64_C(1953125),
    UINT64_C(9765625),
    UINT64_C(48828125),
    UINT64_C(244140625),
    UINT64_C(1220703125),
    UINT64_C(6103515625),
    UINT64_C(30517578125),
    UINT64_C(152587890625),
    UINT64_C(762939453125),
    UINT64_C(3814697265625),
    UINT64_C(19073486328125),
    UINT64_C(95367431640625),
    UINT64_C(476837158203125),
    UINT64_C(2384185791015625),
    UINT64_C(11920928955078125),
    UINT64_C(59604644775390625),
    UINT64_C(298023223876953125),
    UINT64_C(1490116119384765625),
};

void sr_w_bytes_shared(sr_writer *w, const char *s, size_t n) { sr_w_bytes_inline(w, s, n); }

#if defined(__OPTIMIZE_SIZE__) && !defined(SR_DIGITS_TABLE)
void sr_put_word_shared(char *p, uint64_t w, size_t k) { sr_put_word_inline(p, w, k); }
#endif

/* ---- integers ------------------------------------------------------------- */

size_t sr_format_u64(uint64_t v, char out[SR_INT_MAX_CHARS])
{
    const size_t n = sr_decimal_len(v);
    sr_put_u64(out, v, n);
    return n;
}

size_t sr_format_i64(int64_t v, char out[SR_INT_MAX_CHARS])
{
    if (v >= 0) return sr_format_u64((uint64_t)v, out);
    /* Negate in unsigned arithmetic: -INT64_MIN does not fit in int64_t. */
    const uint64_t u = 0 - (uint64_t)v;
    const size_t n = sr_decimal_len(u);
    out[0] = '-';
    sr_put_u64(out + 1, u, n);
    return n + 1;
}

/* Writes v with `sign` ('-') or `comma` (',') before it when set: straight
 * into the buffer when it fits, no scratch copy. */
static inline void w_u64(sr_writer *w, uint64_t v, size_t lead, char lead_char)
{
    const size_t n = sr_decimal_len(v);
    if (w->len <= w->cap && lead + n <= w->cap - w->len) {
        char *p = w->buf + w->len;
        if (lead) p[0] = lead_char;
        sr_put_u64(p + lead, v, n);
    }
    w->len += lead + n;
}

void sr_w_u64(sr_writer *w, uint64_t v) { w_u64(w, v, 0, 0); }

void sr_w_i64(sr_writer *w, int64_t v)
{
    if (v >= 0) w_u64(w, (uint64_t)v, 0, 0);
    else w_u64(w, 0 - (uint64_t)v, 1, '-');
}

/* ---- JSON strings ----------------------------------------------------------- */

/* Per byte: 0 copied as is, 1 escaped, 2 first byte of a multi-byte UTF-8
 * sequence (or an invalid byte), which is checked and then copied as is.
 * Size builds compare instead of keeping the 256-byte table (this is only
 * reached for strings with something to escape or beyond ASCII). */
#ifdef __OPTIMIZE_SIZE__
static inline unsigned char json_class_of(unsigned char b)
{
    return b >= 0x80 ? 2 : (b < 0x20 || b == '"' || b == '\\');
}
#else
#define json_class_of(b) json_class[b]
static const unsigned char json_class[256] = {
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, /* 0x00 controls */
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, /* 0x10 controls */
    0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, /* 0x20 '"' */
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, /* 0x30 */
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, /* 0x40 */
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, /* 0x50 '\' */
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, /* 0x60 */
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, /* 0x70 incl. DEL */
    2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, /* 0x80 */
    2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, /* 0x90 */
    2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, /* 0xA0 */
    2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, /* 0xB0 */
    2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, /* 0xC0 */
    2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, /* 0xD0 */
    2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, /* 0xE0 */
    2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, /* 0xF0 */
};
#endif

/* Non-zero when any of the 8 bytes in x is not plain ASCII text, i.e. is
 * below 0x20, '"', '\' or 0x80 and above. Each test is the classic
 * "some byte is zero / below n" bit trick: a borrow can only start at a byte
 * that really matches, so "any" is exact even where single lanes are not. */
static inline uint64_t json_word_special(uint64_t x)
{
    const uint64_t quote = x ^ (SR_BYTES_01 * '"');
    const uint64_t bslash = x ^ (SR_BYTES_01 * '\\');
    const uint64_t below_space = (x - SR_BYTES_01 * 0x20) & ~x;
    const uint64_t is_quote = (quote - SR_BYTES_01) & ~quote;
    const uint64_t is_bslash = (bslash - SR_BYTES_01) & ~bslash;
    return (below_space | is_quote | is_bslash | x) & SR_BYTES_80;
}

static void put_escape(sr_writer *w, unsigned char b)
{
    static const char hex[] = "0123456789abcdef"; /* lowercase, like json.dumps */
    char e[6] = {'\\', 'u', '0', '0', hex[b >> 4], hex[b & 15]};
    size_t n = 2;
    switch (b) {
    case '"': e[1] = '"'; break;
    case '\\': e[1] = '\\'; break;
    case '\b': e[1] = 'b'; break;
    case '\f': e[1] = 'f'; break;
    case '\n': e[1] = 'n'; break;
    case '\r': e[1] = 'r'; break;
    case '\t': e[1] = 't'; break;
    default: n = 6; break;
    }
    sr_w_bytes(w, e, n);
}

void sr_w_json_string(sr_writer *w, const char *s, size_t n)
{
    if (n <= 16 && w->len <= w->cap && w->cap - w->len >= n + 2) {
        /* A short plain string, quotes and all, in one go. */
        uint64_t a, b;
        sr_load_upto16((const unsigned char *)s, n, SR_BYTES_01 * 'a', &a, &b);
        if ((json_word_special(a) | json_word_special(b)) == 0) {
            char *p = w->buf + w->len;
            p[0] = '"';
            sr_store_upto16(p + 1, n, a, b); /* the bytes already loaded */
            p[n + 1] = '"';
            w->len += n + 2;
            return;
        }
    }
#ifndef __OPTIMIZE_SIZE__
    else if (n <= 32 && w->len <= w->cap && w->cap - w->len >= n + 2) {
        /* 17 to 32 bytes (keys such as "http.request.method", paths): four
         * words, the last two overlapping the first two, tested and stored
         * the same way. Speed builds only. */
        const uint64_t a = sr_load64(s), b = sr_load64(s + 8);
        const uint64_t c = sr_load64(s + n - 16), d = sr_load64(s + n - 8);
        if ((json_word_special(a) | json_word_special(b) | json_word_special(c) | json_word_special(d)) == 0) {
            char *p = w->buf + w->len;
            p[0] = '"';
            sr_store64(p + 1, a);
            sr_store64(p + 9, b);
            sr_store64(p + 1 + n - 16, c);
            sr_store64(p + 1 + n - 8, d);
            p[n + 1] = '"';
            w->len += n + 2;
            return;
        }
    }
#endif
    sr_w_char(w, '"');
    sr_w_json_string_body(w, s, n);
    sr_w_char(w, '"');
}

void sr_w_json_string_body(sr_writer *w, const char *s, size_t n)
{
    const unsigned char *p = (const unsigned char *)s;

#ifndef __OPTIMIZE_SIZE__
    /* Short plain strings (keys, names, most values): two overlapping word
     * tests and one copy, no loop. Size builds leave this to
     * sr_w_json_string's own test (the body alone is written only by the
     * check-result code). */
    if (n <= 16) {
        uint64_t a, b;
        sr_load_upto16(p, n, SR_BYTES_01 * 'a', &a, &b);
        if ((json_word_special(a) | json_word_special(b)) == 0) {
            if (w->len <= w->cap && n <= w->cap - w->len) sr_store_upto16(w->buf + w->len, n, a, b);
            w->len += n;
            return;
        }
    }
#endif

    size_t run = 0; /* start of the bytes not yet written, all to be copied as is */
    size_t i = 0;
    while (i < n) {
        /* Skip plain ASCII a word at a time; when a word holds something
         * else, look at its bytes one by one (a UTF-8 sequence may run past
         * the word, which is fine). Fewer than 8 bytes left: the string's
         * last 8 bytes, when plain, settle them all at once. */
        size_t end = n;
        if (n - i >= 8) {
            if (json_word_special(sr_load64(p + i)) == 0) {
                i += 8;
                continue;
            }
            end = i + 8;
        } else if (n >= 8 && json_word_special(sr_load64(p + n - 8)) == 0) {
            i = n;
            break;
        }
        while (i < end) {
            const unsigned char b = p[i];
            const unsigned char cls = json_class_of(b);
            if (cls == 0) {
                i++;
            } else if (cls == 2) {
                size_t len = sr_utf8_seq_len(p + i, n - i);
                if (SR_UNLIKELY(len == 0)) {
                    /* Keep counting (one byte) so the pass still ends. */
                    if (w->err == SR_OK) w->err = SR_ERR_UTF8;
                    len = 1;
                }
                i += len;
            } else {
                if (i > run) sr_w_bytes(w, s + run, i - run);
                put_escape(w, b);
                run = ++i;
            }
        }
    }
    if (i > run) sr_w_bytes(w, s + run, i - run);
}

/* ---- arrays ------------------------------------------------------------------ */

/* Items below 100 (bucket counts, mostly) take one 2-byte copy from the pair
 * table, no branch on their length: a one-digit item copies its digit and
 * the byte after it, which the ',' or ']' that always follows (one byte, so
 * it is written whenever this was) then replaces. */
#ifndef __OPTIMIZE_SIZE__
/* Items below 100 as they are written in an array: the digits and the ','
 * after them, then the number of those bytes (4 bytes each, copied whole). */
static const char small_items[100][4] = {
    {'0', ',', '\0', '\2'}, {'1', ',', '\0', '\2'}, {'2', ',', '\0', '\2'}, {'3', ',', '\0', '\2'}, {'4', ',', '\0', '\2'},
    {'5', ',', '\0', '\2'}, {'6', ',', '\0', '\2'}, {'7', ',', '\0', '\2'}, {'8', ',', '\0', '\2'}, {'9', ',', '\0', '\2'},
    {'1', '0', ',', '\3'}, {'1', '1', ',', '\3'}, {'1', '2', ',', '\3'}, {'1', '3', ',', '\3'}, {'1', '4', ',', '\3'},
    {'1', '5', ',', '\3'}, {'1', '6', ',', '\3'}, {'1', '7', ',', '\3'}, {'1', '8', ',', '\3'}, {'1', '9', ',', '\3'},
    {'2', '0', ',', '\3'}, {'2', '1', ',', '\3'}, {'2', '2', ',', '\3'}, {'2', '3', ',', '\3'}, {'2', '4', ',', '\3'},
    {'2', '5', ',', '\3'}, {'2', '6', ',', '\3'}, {'2', '7', ',', '\3'}, {'2', '8', ',', '\3'}, {'2', '9', ',', '\3'},
    {'3', '0', ',', '\3'}, {'3', '1', ',', '\3'}, {'3', '2', ',', '\3'}, {'3', '3', ',', '\3'}, {'3', '4', ',', '\3'},
    {'3', '5', ',', '\3'}, {'3', '6', ',', '\3'}, {'3', '7', ',', '\3'}, {'3', '8', ',', '\3'}, {'3', '9', ',', '\3'},
    {'4', '0', ',', '\3'}, {'4', '1', ',', '\3'}, {'4', '2', ',', '\3'}, {'4', '3', ',', '\3'}, {'4', '4', ',', '\3'},
    {'4', '5', ',', '\3'}, {'4', '6', ',', '\3'}, {'4', '7', ',', '\3'}, {'4', '8', ',', '\3'}, {'4', '9', ',', '\3'},
    {'5', '0', ',', '\3'}, {'5', '1', ',', '\3'}, {'5', '2', ',', '\3'}, {'5', '3', ',', '\3'}, {'5', '4', ',', '\3'},
    {'5', '5', ',', '\3'}, {'5', '6', ',', '\3'}, {'5', '7', ',', '\3'}, {'5', '8', ',', '\3'}, {'5', '9', ',', '\3'},
    {'6', '0', ',', '\3'}, {'6', '1', ',', '\3'}, {'6', '2', ',', '\3'}, {'6', '3', ',', '\3'}, {'6', '4', ',', '\3'},
    {'6', '5', ',', '\3'}, {'6', '6', ',', '\3'}, {'6', '7', ',', '\3'}, {'6', '8', ',', '\3'}, {'6', '9', ',', '\3'},
    {'7', '0', ',', '\3'}, {'7', '1', ',', '\3'}, {'7', '2', ',', '\3'}, {'7', '3', ',', '\3'}, {'7', '4', ',', '\3'},
    {'7', '5', ',', '\3'}, {'7', '6', ',', '\3'}, {'7', '7', ',', '\3'}, {'7', '8', ',', '\3'}, {'7', '9', ',', '\3'},
    {'8', '0', ',', '\3'}, {'8', '1', ',', '\3'}, {'8', '2', ',', '\3'}, {'8', '3', ',', '\3'}, {'8', '4', ',', '\3'},
    {'8', '5', ',', '\3'}, {'8', '6', ',', '\3'}, {'8', '7', ',', '\3'}, {'8', '8', ',', '\3'}, {'8', '9', ',', '\3'},
    {'9', '0', ',', '\3'}, {'9', '1', ',', '\3'}, {'9', '2', ',', '\3'}, {'9', '3', ',', '\3'}, {'9', '4', ',', '\3'},
    {'9', '5', ',', '\3'}, {'9', '6', ',', '\3'}, {'9', '7', ',', '\3'}, {'9', '8', ',', '\3'}, {'9', '9', ',', '\3'},
};
#endif

void sr_w_u64_array(sr_writer *w, const uint64_t *items, size_t count)
{
#ifndef __OPTIMIZE_SIZE__
    /* Speed builds: when the worst case (20 digits and a ',' per item, the
     * brackets) fits, one capacity check for the whole array, then plain
     * stores through a pointer. Items below 100 but the last are one 4-byte
     * copy from small_items (its bytes past the ',' are overwritten by the
     * next item); the last is written exactly, the one-digit case's second
     * byte then replaced by the ']'. Nothing lands past the ']'. */
    if (w->len <= w->cap && w->cap - w->len >= 2 && count <= (w->cap - w->len - 2) / 21) {
        char *const start = w->buf + w->len;
        char *p = start;
        *p++ = '[';
        for (size_t i = 0; i + 1 < count; i++) {
            const uint64_t v = items[i];
            if (v < 100) {
                memcpy(p, small_items[v], 4); /* the bytes after it are written next */
                p += (unsigned char)small_items[v][3];
            } else {
                const size_t n = sr_decimal_len(v);
                sr_put_u64(p, v, n);
                p += n;
                *p++ = ',';
            }
        }
        if (count != 0) { /* the last item: nothing written past the ']' */
            const uint64_t v = items[count - 1];
            if (v < 100) {
                memcpy(p, sr_digit_pairs + 2 * v + (v < 10), 2);
                p += 1 + (v >= 10);
            } else {
                const size_t n = sr_decimal_len(v);
                sr_put_u64(p, v, n);
                p += n;
            }
        }
        *p++ = ']';
        w->len += (size_t)(p - start);
        return;
    }
#endif
    sr_w_char(w, '[');
    for (size_t i = 0; i < count; i++) {
        const uint64_t v = items[i];
        if (i) sr_w_char(w, ',');
        if (v < 100 && w->len <= w->cap && w->cap - w->len >= 3) {
#ifdef __OPTIMIZE_SIZE__
            /* Tens and ones by a division (no pair table in size builds);
             * below 10 the second byte is junk the next ',' or ']' replaces. */
            char *o = w->buf + w->len;
            const unsigned u = (unsigned)v, t = u / 10;
            o[0] = (char)('0' + (t != 0 ? t : u));
            o[1] = (char)('0' + (u - t * 10));
            w->len += 1 + (t != 0);
#else
            memcpy(w->buf + w->len, sr_digit_pairs + 2 * v + (v < 10), 2);
            w->len += 1 + (v >= 10);
#endif
        } else {
            w_u64(w, v, 0, 0);
        }
    }
    sr_w_char(w, ']');
}
