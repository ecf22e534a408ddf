/*
 * sr_base64.h - standard base64 (RFC 4648 section 4): alphabet A-Z a-z 0-9
 * + /, padded with '=' to a multiple of 4 characters, no line breaks. This is
 * what the upstream Go (base64.StdEncoding) and Rust (general_purpose::
 * STANDARD) SDKs put in a serviceradar_metrics payload.
 */
#ifndef SR_BASE64_H
#define SR_BASE64_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* The largest input whose encoding length fits a size_t. */
#define SR_BASE64_MAX_INPUT (SIZE_MAX / 4 * 3)

/* Characters in the encoding of n bytes: 4 * ceil(n / 3).
 * Precondition: n <= SR_BASE64_MAX_INPUT. */
static inline size_t sr_base64_len(size_t n)
{
    return n / 3 * 4 + (n % 3 ? 4 : 0);
}

/* Writes the encoding of in[0..n) to out, exactly sr_base64_len(n)
 * characters (no NUL), and returns that count. in may be NULL when n is 0.
 * in and out must not overlap. */
size_t sr_base64_encode(const void *in, size_t n, char *out);

#ifdef __cplusplus
}
#endif
#endif /* SR_BASE64_H */
