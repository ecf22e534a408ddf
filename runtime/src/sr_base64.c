/*
 * sr_base64.c - standard base64 with padding (see sr_base64.h).
 */
#include "sr_base64.h"

static const char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

size_t sr_base64_encode(const void *in, size_t n, char *out)
{
    const unsigned char *p = in;
    char *o = out;
    /* Whole groups: 3 bytes, 24 bits, 4 characters of 6 bits each. */
    for (; n >= 3; n -= 3, p += 3) {
        uint32_t v = ((uint32_t)p[0] << 16) | ((uint32_t)p[1] << 8) | p[2];
        *o++ = alphabet[v >> 18];
        *o++ = alphabet[(v >> 12) & 63];
        *o++ = alphabet[(v >> 6) & 63];
        *o++ = alphabet[v & 63];
    }
    /* The last 1 or 2 bytes, padded to 4 characters. */
    if (n > 0) {
        uint32_t v = ((uint32_t)p[0] << 16) | (n == 2 ? (uint32_t)p[1] << 8 : 0);
        *o++ = alphabet[v >> 18];
        *o++ = alphabet[(v >> 12) & 63];
        *o++ = n == 2 ? alphabet[(v >> 6) & 63] : '=';
        *o++ = '=';
    }
    return (size_t)(o - out);
}
