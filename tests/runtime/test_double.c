/* Unit tests for sr_format_double / sr_w_double. Every expected string is
 * Python's repr() of the same literal (checked with python3). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>
#include <math.h>

#include "sr_runtime.h"

struct double_case {
    double v;
    const char *repr;
};

static const struct double_case cases[] = {
    {0.0, "0.0"},
    {-0.0, "-0.0"},
    {1.0, "1.0"},
    {-1.0, "-1.0"},
    {0.5, "0.5"},
    {1.5, "1.5"},
    {-2.5, "-2.5"},
    {100.0, "100.0"},
    {123.456, "123.456"},
    {0.1, "0.1"},
    {0.2, "0.2"},
    {0.3, "0.3"},
    {1.0 / 3.0, "0.3333333333333333"},
    {2.0 / 3.0, "0.6666666666666666"},
    {3.141592653589793, "3.141592653589793"},
    {4.35, "4.35"},
    {299792458.0, "299792458.0"},
    {6.02214076e23, "6.02214076e+23"},
    {1.602176634e-19, "1.602176634e-19"},
    /* Where repr switches between positional and scientific. */
    {0.0001, "0.0001"},
    {0.00012345, "0.00012345"},
    {9.999999999999999e-05, "9.999999999999999e-05"},
    {0.00001, "1e-05"},
    {1.2345e-5, "1.2345e-05"},
    {1e-7, "1e-07"},
    {1e-308, "1e-308"},
    {1e15, "1000000000000000.0"},
    {9999999999999998.0, "9999999999999998.0"},
    {1234567890123456.0, "1234567890123456.0"},
    {1e16, "1e+16"},
    {-1e16, "-1e+16"},
    {12345678901234567.0, "1.2345678901234568e+16"},
    {1e21, "1e+21"},
    {1e22, "1e+22"},
    {1e23, "1e+23"},
    {1e100, "1e+100"},
    {1e308, "1e+308"},
    /* Subnormals and the normal range's edges. */
    {5e-324, "5e-324"},
    {-5e-324, "-5e-324"},
    {1e-323, "1e-323"},
    {1.5e-323, "1.5e-323"},
    {0x1p-1074, "5e-324"},
    {0x0.fffffffffffffp-1022, "2.225073858507201e-308"}, /* largest subnormal */
    {0x1p-1022, "2.2250738585072014e-308"},              /* smallest normal */
    {0x1p-1021, "4.450147717014403e-308"},               /* lower neighbour closer */
    {0x1p+1023, "8.98846567431158e+307"},
    {0x1.fffffffffffffp+1023, "1.7976931348623157e+308"}, /* largest */
    {-1.7976931348623157e308, "-1.7976931348623157e+308"},
    /* Around 2^53, where integers stop being exact. */
    {9007199254740991.0, "9007199254740991.0"},  /* 2^53 - 1 */
    {9007199254740992.0, "9007199254740992.0"},  /* 2^53 */
    {9007199254740993.0, "9007199254740992.0"},  /* 2^53 + 1 rounds to even */
    {9007199254740994.0, "9007199254740994.0"},
    {18014398509481984.0, "1.8014398509481984e+16"},
    {0x1p+60, "1.152921504606847e+18"},
    {0x1p-4, "0.0625"},
    /* Two shortest candidates equally close: the even one wins. */
    {1125899906842624.25, "1125899906842624.2"},
    {1125899906842624.75, "1125899906842624.8"},
};

static void test_repr_table(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char out[SR_DOUBLE_MAX_CHARS + 1];
        size_t n = sr_format_double(cases[i].v, out);
        assert_true(n <= SR_DOUBLE_MAX_CHARS);
        out[n] = '\0';
        assert_string_equal(out, cases[i].repr);
    }
}

static void test_powers_of_ten(void **state)
{
    (void)state;
    /* Powers of ten across the whole range and on both sides of the switch
     * between positional and scientific layout. (All 632 of them, with their
     * neighbours, are also in tests/dtoa.) */
    static const struct double_case p[] = {
        {1e-5, "1e-05"}, {1e-4, "0.0001"}, {1e-3, "0.001"}, {1e-2, "0.01"}, {1e-1, "0.1"},
        {1e0, "1.0"}, {1e1, "10.0"}, {1e2, "100.0"}, {1e14, "100000000000000.0"},
        {1e15, "1000000000000000.0"}, {1e16, "1e+16"}, {1e17, "1e+17"}, {1e-10, "1e-10"},
        {1e-99, "1e-99"}, {1e-100, "1e-100"}, {1e-300, "1e-300"}, {1e-322, "1e-322"},
        {1e-323, "1e-323"}, {1e200, "1e+200"}, {1e300, "1e+300"}, {1e308, "1e+308"},
    };
    for (size_t i = 0; i < sizeof p / sizeof p[0]; i++) {
        char out[SR_DOUBLE_MAX_CHARS + 1];
        out[sr_format_double(p[i].v, out)] = '\0';
        assert_string_equal(out, p[i].repr);
    }
}

static void test_writer_double(void **state)
{
    (void)state;
    char buf[64];
    sr_writer w;
    sr_writer_init(&w, buf, sizeof buf);
    sr_w_double(&w, -1.5e-300);
    sr_w_char(&w, ',');
    sr_w_double(&w, 42.0);
    size_t len;
    assert_int_equal(sr_writer_finish(&w, &len), SR_OK);
    assert_int_equal(len, strlen("-1.5e-300,42.0"));
    assert_memory_equal(buf, "-1.5e-300,42.0", len);

    /* Near the end of the buffer (scratch path), exactly fitting. */
    char small[5];
    sr_writer_init(&w, small, sizeof small);
    sr_w_char(&w, '[');
    sr_w_double(&w, 0.25);
    assert_int_equal(sr_writer_finish(&w, &len), SR_OK);
    assert_memory_equal(small, "[0.25", 5);
}

static void test_non_finite(void **state)
{
    (void)state;
    const double bad[] = {HUGE_VAL, -HUGE_VAL, NAN};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        char buf[16];
        sr_writer w;
        sr_writer_init(&w, buf, sizeof buf);
        sr_w_double(&w, bad[i]);
        assert_int_equal(w.len, 0);
        assert_int_equal(w.err, SR_ERR_NOT_FINITE);
        assert_false(sr_double_is_finite(bad[i]));
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_repr_table),
        cmocka_unit_test(test_powers_of_ten),
        cmocka_unit_test(test_writer_double),
        cmocka_unit_test(test_non_finite),
    };
    return cmocka_run_group_tests_name("double", tests, NULL, NULL);
}
