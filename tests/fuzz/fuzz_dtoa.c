/*
 * libFuzzer target "dtoa": 8 bytes -> a double (NaN and infinities skipped)
 * -> sr_format_double -> strtod, and the text's layout.
 *
 *   - strtod gives back the same 64 bits (-0.0 included);
 *   - the text is Python repr's layout: "-"? then either fixed
 *     "I.F" (scientific exponent x in -4 <= x < 16) or "D[.F]e[+-]XX[X]";
 *     no leading zeros (the integer part is "0" only below 1), no trailing
 *     zeros in the fraction except the single "0" of "I.0", an exponent of
 *     two digits at least, with a sign, and no leading zero beyond two;
 *   - shortest: no decimal with one significant digit fewer (the correctly
 *     rounded one or its two neighbours) reads back as the same double;
 *   - closest: when the correctly rounded decimal with as many digits
 *     (glibc's printf) reads back as the same double, it is these digits;
 *   - sr_w_double writes the same text, and nothing through a full writer.
 * Input bytes beyond the first 8 are ignored; fewer than 8 are zero-padded.
 */
#include <math.h>

#include "fuzz_util.h"
#include "sr_runtime.h"

static uint64_t bits_of(double v)
{
    uint64_t b;
    memcpy(&b, &v, sizeof b);
    return b;
}

static bool reads_back(const char *text, double v)
{
    return bits_of(strtod(text, NULL)) == bits_of(v);
}

static bool is_digit(char c) { return c >= '0' && c <= '9'; }

/* Does some decimal with `digits` significant digits near v read back as v?
 * Tries printf's correctly rounded one and its two neighbours. */
static bool some_decimal_reads_back(double v, int digits)
{
    char buf[64], mant[40];
    (void)snprintf(buf, sizeof buf, "%.*e", digits - 1, v);
    /* buf: -?D[.DDD]e[+-]XX */
    const char *p = buf;
    bool neg = *p == '-';
    if (neg)
        p++;
    size_t m = 0;
    for (; *p && *p != 'e'; p++)
        if (is_digit(*p))
            mant[m++] = *p;
    mant[m] = '\0';
    int exp10 = (int)strtol(p + 1, NULL, 10);
    unsigned long long d = strtoull(mant, NULL, 10);
    for (int delta = -1; delta <= 1; delta++) {
        if (delta < 0 && d == 0)
            continue;
        unsigned long long c = d + (unsigned long long)(long long)delta;
        char cand[80];
        (void)snprintf(cand, sizeof cand, "%s%llue%d", neg ? "-" : "", c, exp10 - (int)(m - 1));
        if (reads_back(cand, v))
            return true;
    }
    return false;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    uint8_t raw[8] = {0};
    memcpy(raw, data, size < 8 ? size : 8);
    double v;
    memcpy(&v, raw, sizeof v);
    if (!isfinite(v))
        return 0;

    char out[SR_DOUBLE_MAX_CHARS + 1];
    memset(out, 0x5A, sizeof out);
    size_t n = sr_format_double(v, out);
    FZ_CHECK(n > 0 && n <= 24, "length %zu", n);
    FZ_CHECK((unsigned char)out[n] == 0x5A, "wrote past the returned length");
    out[n] = '\0';

    /* Round trip. */
    FZ_CHECK(reads_back(out, v), "\"%s\" does not read back as %a", out, v);

    /* Layout. */
    const char *p = out;
    bool neg = *p == '-';
    if (neg)
        p++;
    FZ_CHECK(neg == (signbit(v) != 0), "sign of \"%s\" for %a", out, v);
    const char *e = strchr(p, 'e');
    char digits[32]; /* significant digits, leading zeros dropped */
    size_t nd = 0;
    int x; /* scientific exponent: v = d.ddd * 10^x */
    if (e == NULL) {
        const char *dot = strchr(p, '.');
        FZ_CHECK(dot != NULL && dot > p && dot[1] != '\0', "fixed \"%s\" is not I.F", out);
        for (const char *q = p; *q; q++)
            FZ_CHECK(q == dot || is_digit(*q), "stray character in \"%s\"", out);
        size_t int_len = (size_t)(dot - p), frac_len = strlen(dot + 1);
        FZ_CHECK(int_len == 1 || p[0] != '0', "leading zero in \"%s\"", out);
        FZ_CHECK(frac_len == 1 || dot[frac_len] != '0', "trailing zero in \"%s\"", out);
        if (v == 0) {
            FZ_CHECK(strcmp(p, "0.0") == 0, "zero as \"%s\"", out);
            return 0;
        }
        if (p[0] != '0') {
            x = (int)int_len - 1;
            for (const char *q = p; *q; q++)
                if (is_digit(*q))
                    digits[nd++] = *q;
        } else {
            const char *q = dot + 1;
            x = -1;
            while (*q == '0')
                q++, x--;
            for (; *q; q++)
                digits[nd++] = *q;
        }
        while (nd > 1 && digits[nd - 1] == '0') /* "100.0": the zeros of I.0 are not significant */
            nd--;
        FZ_CHECK(x >= -4 && x < 16, "\"%s\" should be scientific (exponent %d)", out, x);
    } else {
        FZ_CHECK(v != 0, "zero in scientific form");
        FZ_CHECK(is_digit(p[0]) && p[0] != '0', "mantissa of \"%s\"", out);
        digits[nd++] = p[0];
        const char *q = p + 1;
        if (*q == '.') {
            q++;
            FZ_CHECK(q < e, "empty fraction in \"%s\"", out);
            for (; q < e; q++) {
                FZ_CHECK(is_digit(*q), "stray character in \"%s\"", out);
                digits[nd++] = *q;
            }
            FZ_CHECK(digits[nd - 1] != '0', "trailing zero in \"%s\"", out);
        }
        FZ_CHECK(q == e, "stray character in \"%s\"", out);
        FZ_CHECK(e[1] == '+' || e[1] == '-', "exponent sign in \"%s\"", out);
        size_t xl = strlen(e + 2);
        FZ_CHECK(xl >= 2 && xl <= 3, "exponent digits in \"%s\"", out);
        for (size_t i = 0; i < xl; i++)
            FZ_CHECK(is_digit(e[2 + i]), "exponent of \"%s\"", out);
        FZ_CHECK(xl == 2 || e[2] != '0', "exponent leading zero in \"%s\"", out);
        x = (int)strtol(e + 1, NULL, 10);
        FZ_CHECK(x < -4 || x >= 16, "\"%s\" should be fixed (exponent %d)", out, x);
    }
    digits[nd] = '\0';
    FZ_CHECK(nd >= 1 && nd <= 17 && digits[0] != '0', "digits \"%s\" of \"%s\"", digits, out);

    /* Shortest. */
    if (nd > 1)
        FZ_CHECK(!some_decimal_reads_back(v, (int)nd - 1), "\"%s\": %zu digits are not the fewest", out, nd);
    /* Closest: printf's correctly rounded nd-digit decimal, if it reads back. */
    {
        char buf[64];
        (void)snprintf(buf, sizeof buf, "%.*e", (int)nd - 1, v);
        if (reads_back(buf, v)) {
            char pd[32];
            size_t k = 0;
            for (const char *q = buf; *q && *q != 'e'; q++)
                if (is_digit(*q))
                    pd[k++] = *q;
            pd[k] = '\0';
            FZ_CHECK(strcmp(pd, digits) == 0, "\"%s\": printf's closest %s has digits %s", out, buf, pd);
        }
    }

    /* The writer writes the same text; a full writer writes nothing. */
    char wbuf[SR_DOUBLE_MAX_CHARS];
    sr_writer w;
    sr_writer_init(&w, wbuf, sizeof wbuf);
    sr_w_double(&w, v);
    size_t len = 0;
    FZ_CHECK(sr_writer_finish(&w, &len) == SR_OK && len == n && memcmp(wbuf, out, n) == 0, "sr_w_double differs");
    char one[1] = {'q'};
    sr_writer_init(&w, one, 1);
    sr_w_char(&w, 'a');
    sr_w_double(&w, v);
    FZ_CHECK(sr_writer_finish(&w, &len) == SR_ERR_BUFFER && len == n + 1 && one[0] == '\0', "full writer");
    return 0;
}
