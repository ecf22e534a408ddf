/*
 * Helpers shared by the libFuzzer targets in tests/fuzz/: a failing check
 * that aborts (libFuzzer then saves the input), a byte reader over the fuzz
 * input, a strict json-c parse, and two small references written here on
 * purpose independently of the runtime (a UTF-8 validator that decodes code
 * points, and a per-byte JSON string escaper with Python's json.dumps rules).
 *
 * json-c is the independent parser, but its JSON_TOKENER_VALIDATE_UTF8 is
 * lax (it accepts surrogates, overlongs and code points above U+10FFFF), so
 * every check of "is this valid JSON text" also runs fz_utf8_valid_ref.
 */
#ifndef FUZZ_UTIL_H
#define FUZZ_UTIL_H

#include <json-c/json.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A violated invariant: say which, then abort so libFuzzer keeps the input. */
#define FZ_CHECK(cond, ...)                                                         \
    do {                                                                            \
        if (!(cond)) {                                                              \
            (void)fprintf(stderr, "%s:%d: invariant failed: %s\n  ", __FILE__, __LINE__, #cond); \
            (void)fprintf(stderr, __VA_ARGS__);                                     \
            (void)fputc('\n', stderr);                                              \
            abort();                                                                \
        }                                                                           \
    } while (0)

/* ---- reading the fuzz input; past its end every read is 0 ---------------- */
typedef struct fz_reader {
    const uint8_t *p;
    size_t n;
} fz_reader;

static inline uint8_t fz_u8(fz_reader *r)
{
    if (r->n == 0)
        return 0;
    r->n--;
    return *r->p++;
}

static inline uint16_t fz_u16(fz_reader *r)
{
    uint16_t hi = fz_u8(r);
    return (uint16_t)(hi << 8 | fz_u8(r));
}

static inline uint64_t fz_u64_raw(fz_reader *r)
{
    uint64_t v = 0;
    for (int i = 0; i < 8; i++)
        v = v << 8 | fz_u8(r);
    return v;
}

/* ---- strict parse ---------------------------------------------------------- */

/* The whole of s[0..n) as exactly one JSON value (json-c, strict mode, its
 * UTF-8 check on), or NULL. Caller puts the result. */
static inline json_object *fz_parse_strict(const char *s, size_t n)
{
    if (n > (size_t)INT32_MAX)
        return NULL;
    json_tokener *tok = json_tokener_new();
    if (tok == NULL)
        return NULL;
    json_tokener_set_flags(tok, JSON_TOKENER_STRICT | JSON_TOKENER_VALIDATE_UTF8);
    json_object *o = json_tokener_parse_ex(tok, s, (int)n);
    if (o != NULL && (json_tokener_get_error(tok) != json_tokener_success || json_tokener_get_parse_end(tok) != n)) {
        json_object_put(o);
        o = NULL;
    }
    json_tokener_free(tok);
    return o;
}

/* ---- independent references ------------------------------------------------ */

/* Well-formed UTF-8, by decoding each code point and then checking it
 * (the runtime's sr_utf8_valid checks byte ranges instead). */
static inline bool fz_utf8_valid_ref(const void *data, size_t n)
{
    const unsigned char *s = data;
    size_t i = 0;
    while (i < n) {
        unsigned c = s[i];
        size_t len;
        uint32_t cp, min;
        if (c < 0x80) {
            i++;
            continue;
        } else if ((c & 0xE0) == 0xC0) {
            len = 2, cp = c & 0x1F, min = 0x80;
        } else if ((c & 0xF0) == 0xE0) {
            len = 3, cp = c & 0x0F, min = 0x800;
        } else if ((c & 0xF8) == 0xF0) {
            len = 4, cp = c & 0x07, min = 0x10000;
        } else {
            return false;
        }
        if (n - i < len)
            return false;
        for (size_t k = 1; k < len; k++) {
            if ((s[i + k] & 0xC0) != 0x80)
                return false;
            cp = cp << 6 | (s[i + k] & 0x3Fu);
        }
        if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
            return false;
        i += len;
    }
    return true;
}

/* Python's json.dumps(s, ensure_ascii=False) for valid UTF-8 s, quotes
 * included, into out (room for 6 * n + 2 bytes); returns the length. */
static inline size_t fz_json_escape_ref(const unsigned char *s, size_t n, char *out)
{
    static const char hex[] = "0123456789abcdef";
    size_t k = 0;
    out[k++] = '"';
    for (size_t i = 0; i < n; i++) {
        unsigned char b = s[i];
        switch (b) {
        case '"': out[k++] = '\\', out[k++] = '"'; break;
        case '\\': out[k++] = '\\', out[k++] = '\\'; break;
        case '\b': out[k++] = '\\', out[k++] = 'b'; break;
        case '\f': out[k++] = '\\', out[k++] = 'f'; break;
        case '\n': out[k++] = '\\', out[k++] = 'n'; break;
        case '\r': out[k++] = '\\', out[k++] = 'r'; break;
        case '\t': out[k++] = '\\', out[k++] = 't'; break;
        default:
            if (b < 0x20) {
                out[k++] = '\\', out[k++] = 'u', out[k++] = '0', out[k++] = '0';
                out[k++] = hex[b >> 4], out[k++] = hex[b & 15];
            } else {
                out[k++] = (char)b;
            }
        }
    }
    out[k++] = '"';
    return k;
}

/* Canonical output never holds a raw control byte (json-c's strict mode
 * would let a raw TAB inside a string through). */
static inline bool fz_no_raw_controls(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if ((unsigned char)s[i] < 0x20)
            return false;
    return true;
}

#endif /* FUZZ_UTIL_H */
