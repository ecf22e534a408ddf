/* Unit tests for the bounded writer: bytes, integers, JSON strings. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>
#include <math.h>

#include "sr_runtime.h"

/* Runs a finished, successful pass and checks its text. */
static void assert_output(sr_writer *w, const char *want)
{
    size_t len = 12345;
    assert_int_equal(sr_writer_finish(w, &len), SR_OK);
    assert_int_equal(len, strlen(want));
    assert_memory_equal(w->buf, want, len);
}

/* ---- the writer itself ---------------------------------------------------- */

static void test_bytes_and_chars(void **state)
{
    (void)state;
    char buf[16];
    sr_writer w;
    sr_writer_init(&w, buf, sizeof buf);
    sr_w_bytes(&w, "abc", 3);
    sr_w_char(&w, '-');
    sr_w_bytes(&w, NULL, 0);
    sr_w_bytes(&w, "", 0);
    assert_false(sr_writer_overflowed(&w));
    assert_output(&w, "abc-");
}

static void test_overflow_keeps_counting(void **state)
{
    (void)state;
    char buf[8];
    memset(buf, 'x', sizeof buf);
    sr_writer w;
    sr_writer_init(&w, buf, sizeof buf);
    sr_w_bytes(&w, "12345", 5);
    sr_w_bytes(&w, "6789", 4); /* does not fit: not copied in part */
    assert_memory_equal(buf, "12345xxx", 8);
    sr_w_char(&w, 'z');        /* fits, but the pass is already lost */
    sr_w_u64(&w, 1234567890);
    sr_w_i64(&w, -5);
    sr_w_double(&w, 0.5);
    sr_w_json_string(&w, "a\nb", 3);
    assert_true(sr_writer_overflowed(&w));
    const size_t want = 5 + 4 + 1 + 10 + 2 + 3 + 6;
    assert_int_equal(w.len, want);

    size_t len = 0;
    assert_int_equal(sr_writer_finish(&w, &len), SR_ERR_BUFFER);
    assert_int_equal(len, want);
    assert_int_equal(buf[0], '\0');
}

static void test_exact_fit_is_not_overflow(void **state)
{
    (void)state;
    char buf[6];
    sr_writer w;
    sr_writer_init(&w, buf, sizeof buf);
    sr_w_bytes(&w, "abc", 3);
    sr_w_u64(&w, 123); /* through the scratch path: < 20 bytes of room */
    assert_false(sr_writer_overflowed(&w));
    assert_output(&w, "abc123");

    sr_writer_init(&w, buf, sizeof buf);
    sr_w_bytes(&w, "abc", 3);
    sr_w_u64(&w, 1234);
    size_t len;
    assert_int_equal(sr_writer_finish(&w, &len), SR_ERR_BUFFER);
    assert_int_equal(len, 7);
}

static void write_sample(sr_writer *w)
{
    sr_w_char(w, '{');
    sr_w_json_string(w, "name", 4);
    sr_w_char(w, ':');
    sr_w_json_string(w, "caf\xc3\xa9 \"x\"", 9);
    sr_w_bytes(w, ",\"n\":", 5);
    sr_w_i64(w, INT64_MIN);
    sr_w_bytes(w, ",\"x\":", 5);
    sr_w_double(w, 1e-7);
    sr_w_char(w, '}');
}

static void test_size_only_pass_then_exact_buffer(void **state)
{
    (void)state;
    sr_writer w;
    sr_writer_init(&w, NULL, 1000); /* cap is forced to 0 */
    assert_int_equal(w.cap, 0);
    write_sample(&w);
    size_t need = 0;
    assert_int_equal(sr_writer_finish(&w, &need), SR_ERR_BUFFER);

    const char *want = "{\"name\":\"caf\xc3\xa9 \\\"x\\\"\",\"n\":-9223372036854775808,\"x\":1e-07}";
    assert_int_equal(need, strlen(want));

    char buf[128];
    sr_writer_init(&w, buf, need);
    write_sample(&w);
    assert_output(&w, want);

    /* One byte short fails and reports the same size. */
    sr_writer_init(&w, buf, need - 1);
    write_sample(&w);
    size_t len = 0;
    assert_int_equal(sr_writer_finish(&w, &len), SR_ERR_BUFFER);
    assert_int_equal(len, need);
    assert_int_equal(buf[0], '\0');

    /* Empty output with no buffer is a success. */
    sr_writer_init(&w, NULL, 0);
    assert_int_equal(sr_writer_finish(&w, &len), SR_OK);
    assert_int_equal(len, 0);
}

static void test_finish_reports_first_error(void **state)
{
    (void)state;
    char buf[64];
    sr_writer w;
    sr_writer_init(&w, buf, sizeof buf);
    sr_w_bytes(&w, "ok", 2);
    sr_w_double(&w, HUGE_VAL);
    assert_int_equal(w.len, 2); /* nothing written for it */
    sr_w_json_string(&w, "\xff", 1);
    assert_int_equal(w.err, SR_ERR_NOT_FINITE); /* the first one stays */
    size_t len = 99;
    assert_int_equal(sr_writer_finish(&w, &len), SR_ERR_NOT_FINITE);
    assert_int_equal(len, 0);
    assert_int_equal(buf[0], '\0');

    /* An error outranks overflow: more room would not help. */
    char small[2];
    sr_writer_init(&w, small, sizeof small);
    sr_w_json_string(&w, "abc\xc0\xaf", 5);
    assert_int_equal(sr_writer_finish(&w, &len), SR_ERR_UTF8);
    assert_int_equal(small[0], '\0');

    assert_int_equal(sr_writer_finish(NULL, &len), SR_ERR_ARG);
    sr_writer_init(&w, buf, sizeof buf);
    assert_int_equal(sr_writer_finish(&w, NULL), SR_OK);
}

/* ---- integers --------------------------------------------------------------- */

static void check_u64(uint64_t v, const char *want)
{
    char out[SR_INT_MAX_CHARS];
    size_t n = sr_format_u64(v, out);
    assert_int_equal(n, strlen(want));
    assert_memory_equal(out, want, n);

    char buf[64];
    sr_writer w;
    sr_writer_init(&w, buf, sizeof buf);
    sr_w_u64(&w, v);
    assert_output(&w, want);
}

static void check_i64(int64_t v, const char *want)
{
    char out[SR_INT_MAX_CHARS];
    size_t n = sr_format_i64(v, out);
    assert_int_equal(n, strlen(want));
    assert_memory_equal(out, want, n);

    char buf[64];
    sr_writer w;
    sr_writer_init(&w, buf, sizeof buf);
    sr_w_i64(&w, v);
    assert_output(&w, want);
}

static void test_integers(void **state)
{
    (void)state;
    check_u64(0, "0");
    check_u64(7, "7");
    check_u64(42, "42");
    check_u64(4294967295u, "4294967295");
    check_u64(4294967296u, "4294967296");
    check_u64(UINT64_MAX, "18446744073709551615");
    check_i64(0, "0");
    check_i64(-1, "-1");
    check_i64(-10, "-10");
    check_i64(INT64_MAX, "9223372036854775807");
    check_i64(INT64_MIN, "-9223372036854775808");
    check_i64(INT64_MIN + 1, "-9223372036854775807");

    /* Every power of ten, and one less, and their negatives. */
    char want[32];
    uint64_t p = 1;
    for (int digits = 1; digits <= 20; digits++) {
        want[0] = '1';
        memset(want + 1, '0', (size_t)digits - 1);
        want[digits] = '\0';
        check_u64(p, want);
        if (p <= (uint64_t)INT64_MAX) {
            check_i64((int64_t)p, want);
            char neg[34] = "-";
            strcat(neg, want);
            check_i64(-(int64_t)p, neg);
        }
        if (digits > 1) {
            memset(want, '9', (size_t)digits - 1);
            want[digits - 1] = '\0';
            check_u64(p - 1, want);
        }
        if (digits < 20) p *= 10;
    }
}

/* The digit output works on 4-digit halves, 2-digit quarters and single
 * digits in parallel lanes (sr_digits8): every half value in both halves
 * (k * 10001 puts k in both), every digit count from 1 to 20 at both ends of
 * its range, and a fixed-seed sample of every magnitude, against printf. */
static uint64_t int_rng = 88172645463325252u;
static uint64_t next_u64(void)
{
    int_rng ^= int_rng << 13;
    int_rng ^= int_rng >> 7;
    int_rng ^= int_rng << 17;
    return int_rng;
}

static void check_u64_printf(uint64_t v)
{
    char want[32];
    snprintf(want, sizeof want, "%llu", (unsigned long long)v);
    check_u64(v, want);
    if (v <= (uint64_t)INT64_MAX) {
        snprintf(want, sizeof want, "%lld", -(long long)v);
        check_i64(-(int64_t)v, want);
    }
}

static void test_integers_every_lane_value(void **state)
{
    (void)state;
    for (uint64_t k = 0; k < 10000; k++) {
        check_u64_printf(k);
        check_u64_printf(k * 10001);                                /* 8 digits: k in both halves */
        check_u64_printf(k * 10001 * 100000000 + k * 10001);        /* 16 digits */
        check_u64_printf(UINT64_C(10000000000000000) * (k % 1845) + k * 10001); /* 17-20 digits */
    }
    for (int i = 0; i < 200000; i++) {
        const uint64_t v = next_u64();
        check_u64_printf(v >> (i % 64)); /* every bit length */
    }
}

/* ---- JSON strings ----------------------------------------------------------- */

static void check_json(const char *s, size_t n, const char *want)
{
    char buf[512];
    sr_writer w;
    sr_writer_init(&w, buf, sizeof buf);
    sr_w_json_string(&w, s, n);
    assert_int_equal(w.err, SR_OK);
    assert_output(&w, want);
}

#define CHECK_JSON(lit, want) check_json(lit, sizeof(lit) - 1, want)

static void test_json_escapes(void **state)
{
    (void)state;
    CHECK_JSON("", "\"\"");
    check_json(NULL, 0, "\"\"");
    CHECK_JSON("plain text", "\"plain text\"");
    CHECK_JSON("\"", "\"\\\"\"");
    CHECK_JSON("\\", "\"\\\\\"");
    CHECK_JSON("a\"b\\c", "\"a\\\"b\\\\c\"");
    CHECK_JSON("\b\f\n\r\t", "\"\\b\\f\\n\\r\\t\"");
    /* Not escaped: solidus, DEL, and everything printable. */
    CHECK_JSON("/", "\"/\"");
    CHECK_JSON("\x7f", "\"\x7f\"");
    CHECK_JSON("</script>", "\"</script>\"");
    CHECK_JSON(" ~", "\" ~\"");
}

static void test_json_every_control_char(void **state)
{
    (void)state;
    /* json.dumps(chr(b)) for b in 0x00..0x1f (lowercase hex). */
    static const char *const want[32] = {
        "\"\\u0000\"", "\"\\u0001\"", "\"\\u0002\"", "\"\\u0003\"", "\"\\u0004\"", "\"\\u0005\"", "\"\\u0006\"", "\"\\u0007\"",
        "\"\\b\"", "\"\\t\"", "\"\\n\"", "\"\\u000b\"", "\"\\f\"", "\"\\r\"", "\"\\u000e\"", "\"\\u000f\"",
        "\"\\u0010\"", "\"\\u0011\"", "\"\\u0012\"", "\"\\u0013\"", "\"\\u0014\"", "\"\\u0015\"", "\"\\u0016\"", "\"\\u0017\"",
        "\"\\u0018\"", "\"\\u0019\"", "\"\\u001a\"", "\"\\u001b\"", "\"\\u001c\"", "\"\\u001d\"", "\"\\u001e\"", "\"\\u001f\"",
    };
    for (int b = 0; b < 0x20; b++) {
        char c = (char)b;
        check_json(&c, 1, want[b]);
    }
}

static void test_json_utf8_passthrough(void **state)
{
    (void)state;
    /* 2-, 3- and 4-byte sequences, including the edges of each range. */
    CHECK_JSON("caf\xc3\xa9", "\"caf\xc3\xa9\"");                /* U+00E9 */
    CHECK_JSON("\xc2\x80", "\"\xc2\x80\"");                      /* U+0080 */
    CHECK_JSON("\xdf\xbf", "\"\xdf\xbf\"");                      /* U+07FF */
    CHECK_JSON("\xe0\xa0\x80", "\"\xe0\xa0\x80\"");              /* U+0800 */
    CHECK_JSON("\xe2\x82\xac", "\"\xe2\x82\xac\"");              /* U+20AC */
    CHECK_JSON("\xed\x9f\xbf", "\"\xed\x9f\xbf\"");              /* U+D7FF */
    CHECK_JSON("\xee\x80\x80", "\"\xee\x80\x80\"");              /* U+E000 */
    CHECK_JSON("\xef\xbf\xbd", "\"\xef\xbf\xbd\"");              /* U+FFFD */
    CHECK_JSON("\xef\xbf\xbf", "\"\xef\xbf\xbf\"");              /* U+FFFF */
    CHECK_JSON("\xf0\x90\x80\x80", "\"\xf0\x90\x80\x80\"");      /* U+10000 */
    CHECK_JSON("\xf0\x9f\x98\x80", "\"\xf0\x9f\x98\x80\"");      /* U+1F600 */
    CHECK_JSON("\xf4\x8f\xbf\xbf", "\"\xf4\x8f\xbf\xbf\"");      /* U+10FFFF */
    /* Mixed with escapes, long enough to use the 8-byte path. */
    CHECK_JSON("\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e\ttext \"quoted\" \xf0\x9f\x98\x80/end",
               "\"\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e\\ttext \\\"quoted\\\" \xf0\x9f\x98\x80/end\"");
}

static void check_json_invalid(const char *s, size_t n)
{
    char buf[64];
    sr_writer w;
    sr_writer_init(&w, buf, sizeof buf);
    sr_w_json_string(&w, s, n);
    assert_int_equal(w.err, SR_ERR_UTF8);
    assert_int_equal(w.len, n + 2); /* still counted, byte for byte */
    assert_false(sr_utf8_valid(s, n));
}

#define CHECK_INVALID(lit) check_json_invalid(lit, sizeof(lit) - 1)

static void test_json_invalid_utf8(void **state)
{
    (void)state;
    CHECK_INVALID("\x80");                 /* stray continuation bytes */
    CHECK_INVALID("ab\xbf");
    CHECK_INVALID("\xc0\x80");             /* overlong: C0, C1 leads */
    CHECK_INVALID("\xc1\xbf");
    CHECK_INVALID("\xe0\x80\x80");         /* overlong 3-byte */
    CHECK_INVALID("\xe0\x9f\xbf");
    CHECK_INVALID("\xf0\x80\x80\x80");     /* overlong 4-byte */
    CHECK_INVALID("\xf0\x8f\xbf\xbf");
    CHECK_INVALID("\xed\xa0\x80");         /* surrogates D800, DFFF */
    CHECK_INVALID("\xed\xbf\xbf");
    CHECK_INVALID("\xf4\x90\x80\x80");     /* above U+10FFFF */
    CHECK_INVALID("\xf5\x80\x80\x80");
    CHECK_INVALID("\xf8\x88\x80\x80\x80");
    CHECK_INVALID("\xfe");
    CHECK_INVALID("\xff");
    CHECK_INVALID("\xc3");                 /* cut short by the end */
    CHECK_INVALID("\xe2\x82");
    CHECK_INVALID("\xf0\x9f\x98");
    CHECK_INVALID("\xc3\x28");             /* bad continuation */
    CHECK_INVALID("\xe2\x28\xa1");
    CHECK_INVALID("\xe2\x82\x28");
    CHECK_INVALID("\xf0\x9f\x28\x80");
    CHECK_INVALID("valid prefix long enough \xe2\x82 then more");
}

/* A byte-at-a-time escaper to compare the fast path against (valid UTF-8
 * input only, so it need not decode). */
static size_t reference_escape(const unsigned char *s, size_t n, char *out)
{
    static const char hex[] = "0123456789abcdef";
    size_t o = 0;
    out[o++] = '"';
    for (size_t i = 0; i < n; i++) {
        unsigned char b = s[i];
        const char *e = NULL;
        switch (b) {
        case '"': e = "\\\""; break;
        case '\\': e = "\\\\"; break;
        case '\b': e = "\\b"; break;
        case '\f': e = "\\f"; break;
        case '\n': e = "\\n"; break;
        case '\r': e = "\\r"; break;
        case '\t': e = "\\t"; break;
        default: break;
        }
        if (e) {
            out[o++] = e[0];
            out[o++] = e[1];
        } else if (b < 0x20) {
            memcpy(out + o, "\\u00", 4);
            out[o + 4] = hex[b >> 4];
            out[o + 5] = hex[b & 15];
            o += 6;
        } else {
            out[o++] = (char)b;
        }
    }
    out[o++] = '"';
    return o;
}

/* Fixed-seed 64-bit LCG (Knuth's MMIX constants): reproducible, no libc. */
static uint64_t rng_state = 12345;
static uint32_t next_rand(void)
{
    rng_state = rng_state * UINT64_C(6364136223846793005) + UINT64_C(1442695040888963407);
    return (uint32_t)(rng_state >> 33);
}

static void test_json_matches_reference(void **state)
{
    (void)state;
    /* Pieces of every kind, glued at random so specials land at every
     * offset within and across the 8-byte words. */
    static const char *const pieces[] = {
        "a", "bc", "defghij", "0123456789abcdef", "\"", "\\", "\n", "\x01", "\x1f", "/", "\x7f",
        "\xc3\xa9", "\xe2\x82\xac", "\xf0\x9f\x98\x80", " ", "\t\t", "\xf4\x8f\xbf\xbf",
    };
    const size_t npieces = sizeof pieces / sizeof pieces[0];
    unsigned char in[300];
    char want[2000], buf[2000];
    for (int round = 0; round < 5000; round++) {
        size_t n = 0;
        size_t target = next_rand() % 120;
        while (n < target) {
            const char *p = pieces[next_rand() % npieces];
            size_t len = strlen(p);
            memcpy(in + n, p, len);
            n += len;
        }
        size_t want_len = reference_escape(in, n, want);
        sr_writer w;
        sr_writer_init(&w, buf, sizeof buf);
        sr_w_json_string(&w, (const char *)in, n);
        assert_int_equal(w.err, SR_OK);
        assert_int_equal(w.len, want_len);
        assert_memory_equal(buf, want, want_len);
        assert_true(sr_utf8_valid((const char *)in, n));
    }
}

/* Every length from 0 to 40 with one special byte (or sequence) at every
 * position: the short-string path (<= 16 bytes, two overlapping words), the
 * word loop and the tail all see it in every lane. */
static void test_json_special_at_every_offset(void **state)
{
    (void)state;
    static const char *const specials[] = {"\"", "\\", "\n", "\x01", "\x1f", "\x7f", "\xc3\xa9", "\xe2\x82\xac",
                                           "\xf0\x9f\x98\x80", "~", " "};
    unsigned char in[48];
    char want[400], buf[400];
    for (size_t k = 0; k < sizeof specials / sizeof specials[0]; k++) {
        const size_t sl = strlen(specials[k]);
        for (size_t n = 0; n <= 40; n++) {
            for (size_t pos = 0; pos + sl <= n || (n == 0 && pos == 0); pos++) {
                memset(in, 'a', sizeof in);
                if (pos + sl <= n) memcpy(in + pos, specials[k], sl);
                const size_t want_len = reference_escape(in, n, want);
                sr_writer w;
                sr_writer_init(&w, buf, sizeof buf);
                sr_w_json_string(&w, (const char *)in, n);
                assert_int_equal(w.err, SR_OK);
                assert_int_equal(w.len, want_len);
                assert_memory_equal(buf, want, want_len);
                /* A cut sequence or stray byte there instead: invalid. */
                if (n > 0 && pos < n) {
                    in[pos] = 0x80;
                    sr_writer_init(&w, buf, sizeof buf);
                    sr_w_json_string(&w, (const char *)in, n);
                    assert_int_equal(w.err, SR_ERR_UTF8);
                }
                if (n == 0) break;
            }
        }
    }
}

/* ---- arrays, and the memo of the last double array -------------------------- */

/* The arrays written as sr_w_double / sr_w_u64 per item would write them,
 * at every buffer size from 0 up (overflow at every byte): the same text or
 * SR_ERR_BUFFER with the exact size, whether or not the memo was used. */
static void test_arrays_and_memo(void **state)
{
    (void)state;
    static const double bounds[] = {0.005, 0.01, -0.0, 1e+16, 5e-324};
    double same[5];
    memcpy(same, bounds, sizeof same);
    static const double other[] = {0.005, 0.01, 0.0, 1e+16, 5e-324}; /* 0.0, not -0.0 */
    static const uint64_t counts[] = {0, 18446744073709551615u, 7};
    const char *want = "[0.005,0.01,-0.0,1e+16,5e-324]|[0.005,0.01,-0.0,1e+16,5e-324]|"
                       "[0.005,0.01,0.0,1e+16,5e-324]|[0,18446744073709551615,7]|[]|"
                       "[0.005,0.01,0.0,1e+16,5e-324]";
    const size_t want_len = strlen(want);
    char buf[256];
    for (size_t cap = 0; cap <= want_len + 1; cap++) {
        sr_writer w;
        sr_writer_init(&w, cap ? buf : NULL, cap);
        sr_w_double_array(&w, bounds, 5);
        sr_w_char(&w, '|');
        sr_w_double_array(&w, same, 5); /* equal values elsewhere: copied */
        sr_w_char(&w, '|');
        sr_w_double_array(&w, other, 5); /* differs only in the sign of zero */
        sr_w_char(&w, '|');
        sr_w_u64_array(&w, counts, 3);
        sr_w_char(&w, '|');
        sr_w_double_array(&w, NULL, 0);
        sr_w_char(&w, '|');
        sr_w_double_array(&w, other, 5); /* the memo survives the u64 array */
        size_t len = 0;
        sr_status st = sr_writer_finish(&w, &len);
        assert_int_equal(len, want_len);
        if (cap >= want_len) {
            assert_int_equal(st, SR_OK);
            assert_memory_equal(buf, want, want_len);
        } else {
            assert_int_equal(st, SR_ERR_BUFFER);
        }
    }
    /* A NaN in an array: the error, and the memo not taken from it. */
    const double bad[] = {1.0, NAN};
    sr_writer w;
    sr_writer_init(&w, buf, sizeof buf);
    sr_w_double_array(&w, bad, 2);
    sr_w_double_array(&w, bad, 2);
    assert_int_equal(w.err, SR_ERR_NOT_FINITE);
    assert_null(w.memo_items);
}

/* u64 arrays of every digit count, small items before and after large ones
 * and at the end: the text printf gives, at every buffer size from 0 up to
 * well past the array's worst case (so the whole-array capacity check of
 * speed builds is taken and not), and nothing written past the text. */
static void test_u64_arrays(void **state)
{
    (void)state;
    static uint64_t big[44];
    size_t nbig = 0;
    uint64_t p10 = 1;
    for (int k = 0; k < 20; k++, p10 *= 10) {
        big[nbig++] = p10;          /* 1, 10, ..., 10^19 */
        big[nbig++] = p10 * 10 - 1; /* 9, 99, ..., 10^19 - 1; wraps for k = 19: */
    }
    big[nbig - 1] = UINT64_MAX; /* replaced by the largest */
    big[nbig++] = 0;
    big[nbig++] = 42;
    big[nbig++] = 7;
    static const uint64_t small_end[] = {3, 10, 99, 0, 100, 1, 5};
    static const uint64_t large_end[] = {1, 2, 12345, 9, 1700000000123456789u};
    static const uint64_t one[] = {8};
    struct {
        const uint64_t *items;
        size_t count;
    } arrays[] = {{big, nbig}, {small_end, 7}, {large_end, 5}, {one, 1}, {NULL, 0}};
    for (size_t t = 0; t < sizeof arrays / sizeof arrays[0]; t++) {
        char want[1024];
        size_t want_len = 0;
        want[want_len++] = '[';
        for (size_t i = 0; i < arrays[t].count; i++) {
            if (i) want[want_len++] = ',';
            want_len += (size_t)snprintf(want + want_len, sizeof want - want_len, "%llu",
                                         (unsigned long long)arrays[t].items[i]);
        }
        want[want_len++] = ']';
        char buf[2048];
        for (size_t cap = 0; cap <= want_len + 21 * arrays[t].count + 8; cap++) {
            memset(buf, 0x55, sizeof buf);
            sr_writer w;
            sr_writer_init(&w, cap ? buf : NULL, cap);
            sr_w_u64_array(&w, arrays[t].items, arrays[t].count);
            size_t len = 0;
            sr_status st = sr_writer_finish(&w, &len);
            assert_int_equal(len, want_len);
            if (cap >= want_len) {
                assert_int_equal(st, SR_OK);
                assert_memory_equal(buf, want, want_len);
                for (size_t i = want_len; i < sizeof buf; i++) assert_int_equal((unsigned char)buf[i], 0x55);
            } else {
                assert_int_equal(st, SR_ERR_BUFFER);
            }
        }
    }
}

/* The arena's free space: written there, then claimed unchanged. */
static void test_arena_free_space(void **state)
{
    (void)state;
    unsigned char mem[16];
    sr_arena a;
    size_t room = 99;
    sr_arena_init(&a, NULL, 0);
    assert_null(sr_arena_free_space(&a, &room));
    assert_int_equal(room, 0);
    sr_arena_init(&a, mem, sizeof mem);
    assert_non_null(sr_arena_alloc(&a, 3, 1));
    char *p = sr_arena_free_space(&a, &room);
    assert_ptr_equal(p, mem + 3);
    assert_int_equal(room, 13);
    memcpy(p, "hello", 5);
    assert_ptr_equal(sr_arena_alloc(&a, 5, 1), p);
    assert_memory_equal(p, "hello", 5);
    p = sr_arena_free_space(&a, &room);
    assert_int_equal(room, 8);
    assert_ptr_equal(p, mem + 8);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_bytes_and_chars),
        cmocka_unit_test(test_overflow_keeps_counting),
        cmocka_unit_test(test_exact_fit_is_not_overflow),
        cmocka_unit_test(test_size_only_pass_then_exact_buffer),
        cmocka_unit_test(test_finish_reports_first_error),
        cmocka_unit_test(test_integers),
        cmocka_unit_test(test_integers_every_lane_value),
        cmocka_unit_test(test_json_escapes),
        cmocka_unit_test(test_json_every_control_char),
        cmocka_unit_test(test_json_utf8_passthrough),
        cmocka_unit_test(test_json_invalid_utf8),
        cmocka_unit_test(test_json_matches_reference),
        cmocka_unit_test(test_json_special_at_every_offset),
        cmocka_unit_test(test_arrays_and_memo),
        cmocka_unit_test(test_u64_arrays),
        cmocka_unit_test(test_arena_free_space),
    };
    return cmocka_run_group_tests_name("writer", tests, NULL, NULL);
}
