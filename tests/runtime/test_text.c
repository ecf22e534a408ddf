/* Unit tests for the text checks and status names. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>
#include <math.h>

#include "sr_runtime.h"

#define VALID(lit) sr_utf8_valid(lit, sizeof(lit) - 1)

static void test_utf8_valid(void **state)
{
    (void)state;
    assert_true(sr_utf8_valid(NULL, 0));
    assert_false(sr_utf8_valid(NULL, 1));
    assert_true(VALID(""));
    assert_true(VALID("plain ASCII, long enough for the word-at-a-time path"));
    assert_true(VALID("\x00\x7f"));
    assert_true(VALID("\xc2\x80\xdf\xbf"));
    assert_true(VALID("\xe0\xa0\x80\xed\x9f\xbf\xee\x80\x80\xef\xbf\xbf"));
    assert_true(VALID("\xf0\x90\x80\x80\xf4\x8f\xbf\xbf"));

    assert_false(VALID("\x80"));
    assert_false(VALID("\xc0\x80"));
    assert_false(VALID("\xc1\xbf"));
    assert_false(VALID("\xe0\x9f\xbf"));
    assert_false(VALID("\xed\xa0\x80"));
    assert_false(VALID("\xed\xbf\xbf"));
    assert_false(VALID("\xf0\x8f\xbf\xbf"));
    assert_false(VALID("\xf4\x90\x80\x80"));
    assert_false(VALID("\xf5\x80\x80\x80"));
    assert_false(VALID("\xff"));
    assert_false(VALID("\xe2\x82"));
    assert_false(VALID("\xe2\x28\xa1"));
}

static void test_utf8_bad_byte_at_every_offset(void **state)
{
    (void)state;
    /* One bad byte at each position of a 40-byte ASCII string, so it shows
     * up in every lane of the 8-byte fast path and in the tail. */
    char s[40];
    for (size_t pos = 0; pos < sizeof s; pos++) {
        memset(s, 'a', sizeof s);
        assert_true(sr_utf8_valid(s, sizeof s));
        s[pos] = (char)0x80;
        assert_false(sr_utf8_valid(s, sizeof s));
        /* A sequence cut by the end of the input only when it starts late. */
        memset(s, 'a', sizeof s);
        s[pos] = (char)0xe2;
        if (pos + 2 < sizeof s) {
            s[pos + 1] = (char)0x82;
            s[pos + 2] = (char)0xac;
            assert_true(sr_utf8_valid(s, sizeof s));
        } else {
            assert_false(sr_utf8_valid(s, sizeof s));
        }
    }
}

/* Every length from 0 to 80, a bad byte at every position: the short path
 * (<= 16 bytes, two overlapping words), the 32-byte rounds with their
 * overlapping last words, and the byte loop alike. */
static void test_utf8_every_length(void **state)
{
    (void)state;
    char s[80];
    for (size_t n = 0; n <= sizeof s; n++) {
        memset(s, 'a', sizeof s);
        assert_true(sr_utf8_valid(s, n));
        for (size_t pos = 0; pos < n; pos++) {
            memset(s, 'a', sizeof s);
            s[pos] = (char)0xff;
            assert_false(sr_utf8_valid(s, n));
            s[pos] = (char)0xc3; /* a lead byte whose continuation is 'a' or missing */
            assert_false(sr_utf8_valid(s, n));
            if (pos + 1 < n) {
                s[pos + 1] = (char)0xa9;
                assert_true(sr_utf8_valid(s, n));
            }
            s[pos] = '\0';
            s[pos + 1 < n ? pos + 1 : pos] = '\0';
            assert_true(sr_utf8_valid(s, n)); /* NUL is valid */
        }
    }
}

static void test_hex_id_valid(void **state)
{
    (void)state;
    assert_true(sr_hex_id_valid("0123456789abcdef", 16, 16));
    assert_true(sr_hex_id_valid("00000000000000000000000000000001", 32, 32));
    assert_true(sr_hex_id_valid("a", 1, 1));
    assert_false(sr_hex_id_valid("0000000000000000", 16, 16)); /* all zero */
    assert_false(sr_hex_id_valid("0123456789ABCDEF", 16, 16)); /* uppercase */
    assert_false(sr_hex_id_valid("0123456789abcdeg", 16, 16));
    assert_false(sr_hex_id_valid("0123456789abcde", 15, 16));  /* length */
    assert_false(sr_hex_id_valid("0123456789abcdef0", 17, 16));
    assert_false(sr_hex_id_valid("01234567 9abcdef", 16, 16));
    assert_false(sr_hex_id_valid("0123456789abcde\0", 16, 16));
    assert_false(sr_hex_id_valid("", 0, 0));
    assert_false(sr_hex_id_valid(NULL, 0, 0));
}

static void test_double_is_finite(void **state)
{
    (void)state;
    assert_true(sr_double_is_finite(0.0));
    assert_true(sr_double_is_finite(-0.0));
    assert_true(sr_double_is_finite(5e-324));
    assert_true(sr_double_is_finite(1.7976931348623157e308));
    assert_true(sr_double_is_finite(-1.7976931348623157e308));
    assert_false(sr_double_is_finite(HUGE_VAL));
    assert_false(sr_double_is_finite(-HUGE_VAL));
    assert_false(sr_double_is_finite(NAN));
    assert_false(sr_double_is_finite(-NAN));
}

static void test_status_str(void **state)
{
    (void)state;
    assert_string_equal(sr_status_str(SR_OK), "ok");
    assert_string_equal(sr_status_str(SR_ERR_ARENA), "arena exhausted");
    for (int s = SR_OK; s <= SR_ERR_HOST; s++) {
        const char *name = sr_status_str((sr_status)s);
        assert_non_null(name);
        assert_string_not_equal(name, "unknown status");
        for (int t = SR_OK; t < s; t++) assert_string_not_equal(name, sr_status_str((sr_status)t));
    }
    assert_string_equal(sr_status_str((sr_status)99), "unknown status");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_utf8_valid),
        cmocka_unit_test(test_utf8_bad_byte_at_every_offset),
        cmocka_unit_test(test_utf8_every_length),
        cmocka_unit_test(test_hex_id_valid),
        cmocka_unit_test(test_double_is_finite),
        cmocka_unit_test(test_status_str),
    };
    return cmocka_run_group_tests_name("text", tests, NULL, NULL);
}
