/*
 * cmocka tests of the check result, the perfdata shim and the host helpers
 * (sr_submit_result, sr_get_config, sr_log) against the fake host.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "fake_host.h"
#include "sr_result.h"

static unsigned char mem[1 << 20];
static char json[1 << 16];

static void to_json(const sr_result *r)
{
    size_t len;
    assert_int_equal(sr_result_to_json(r, json, sizeof json - 1, &len), SR_OK);
    json[len] = '\0';
}

/* Strip the observed_at value (now) so the rest can be compared exactly. */
static const char *without_time(const char *s, char *out, size_t cap)
{
    const char *at = strstr(s, "\"observed_at\":\"");
    if (!at) {
        snprintf(out, cap, "%s", s);
        return out;
    }
    const char *end = strchr(at + 15, '"');
    snprintf(out, cap, "%.*s\"observed_at\":\"T\"%s", (int)(at - s), s, end + 1);
    return out;
}

/* An empty result has the contract's defaults: UNKNOWN, the status word as
 * summary, observed_at now (RFC 3339 UTC), schema version 1. */
static void test_defaults(void **state)
{
    (void)state;
    sr_arena a;
    sr_result r;
    static char cmp[1 << 16];
    sr_arena_init(&a, mem, sizeof mem);
    sr_result_init(&r, &a);
    time_t before = time(NULL);
    to_json(&r);
    assert_string_equal(without_time(json, cmp, sizeof cmp),
                        "{\"status\":\"UNKNOWN\",\"summary\":\"UNKNOWN\",\"observed_at\":\"T\",\"schema_version\":1}");
    /* observed_at agrees with the C library's own clock and calendar */
    char want[32], want2[32];
    struct tm tm0 = *gmtime(&before);
    strftime(want, sizeof want, "%Y-%m-%dT%H:%M:%SZ", &tm0);
    time_t after = before + 1;
    struct tm tm1 = *gmtime(&after);
    strftime(want2, sizeof want2, "%Y-%m-%dT%H:%M:%SZ", &tm1);
    const char *got = strstr(json, "\"observed_at\":\"") + 15;
    assert_true(strncmp(got, want, 20) == 0 || strncmp(got, want2, 20) == 0);
}

/* Every field in contract order; empty ones left out. */
static void test_full_result(void **state)
{
    (void)state;
    sr_arena a;
    sr_result r;
    sr_arena_init(&a, mem, sizeof mem);
    sr_result_init(&r, &a);
    sr_result_set_status(&r, SR_STATUS_WARNING);
    sr_result_set_summary(&r, "disk 91% full");
    sr_result_set_details(&r, "line1\nline2");
    sr_result_add_label(&r, "mount", "/var");
    sr_result_set_observed_at(&r, "2026-11-24T12:00:00Z");
    sr_result_set_schema_version(&r, 2);
    sr_widget w = {"stat_card", "Used", "91%", "warning", NULL, NULL};
    assert_int_equal(sr_result_add_widget(&r, &w), SR_OK);
    sr_widget bad = {"pie_chart", NULL, NULL, NULL, NULL, NULL};
    assert_int_equal(sr_result_add_widget(&r, &bad), SR_ERR_ARG);
    sr_result_set_device_uid(&r, "dev-1");
    to_json(&r);
    assert_string_equal(json, "{\"status\":\"WARNING\",\"summary\":\"disk 91% full\",\"details\":\"line1\\nline2\","
                              "\"labels\":{\"mount\":\"/var\"},\"observed_at\":\"2026-11-24T12:00:00Z\","
                              "\"schema_version\":2,\"display\":[{\"widget\":\"stat_card\",\"label\":\"Used\","
                              "\"value\":\"91%\",\"tone\":\"warning\"}],\"device_uid\":\"dev-1\"}");
    assert_int_equal(sr_result_set_status(&r, (sr_result_status)42), SR_ERR_ARG);
}

/* The shim writes Nagios perfdata (units as given, thresholds in order,
 * trailing empty fields cut, quotes doubled) ... */
static void test_perfdata_text(void **state)
{
    (void)state;
    sr_arena a;
    sr_result r;
    static char cmp[1 << 16];
    sr_arena_init(&a, mem, sizeof mem);
    sr_result_init(&r, &a);
    sr_result_set_perfdata(&r, "'old'=1");
    sr_thresholds t = {0};
    t.has_warn = true;
    t.warn = 80;
    t.has_crit = true;
    t.crit = 90;
    assert_int_equal(sr_result_add_metric(&r, "disk used", 91.5, "%", &t), SR_OK);
    sr_thresholds only_max = {0};
    only_max.has_max = true;
    only_max.max = 1024;
    assert_int_equal(sr_result_add_metric(&r, "it's", 3, "KB", &only_max), SR_OK);
    assert_int_equal(sr_result_add_metric(&r, "load", 0.25, NULL, NULL), SR_OK);
    to_json(&r);
    assert_string_equal(without_time(json, cmp, sizeof cmp),
                        "{\"status\":\"UNKNOWN\",\"summary\":\"UNKNOWN\",\"perfdata\":\"'old'=1 'disk used'=91.5%;80.0;90.0 "
                        "'it''s'=3.0KB;;;;1024.0 'load'=0.25\",\"observed_at\":\"T\",\"schema_version\":1}");
}

/* ... and on submit, emits one otel_metric gauge per metric before the
 * result: name made valid, unit mapped to UCUM, thresholds in metadata. */
static void test_submit_lowers_metrics(void **state)
{
    (void)state;
    sr_arena a;
    sr_result r;
    sr_submit_report rep;
    fake_host_reset();
    sr_arena_init(&a, mem, sizeof mem);
    sr_result_init(&r, &a);
    sr_result_set_status(&r, SR_STATUS_OK);
    sr_thresholds t = {0};
    t.has_warn = true;
    t.warn = 500;
    t.has_min = true;
    t.min = 0;
    assert_int_equal(sr_result_add_metric(&r, "1st heap", 2048, "KB", &t), SR_OK);
    size_t used = a.used;
    assert_int_equal(sr_submit_result(&r, &rep), SR_OK);
    assert_int_equal(a.used, used); /* scratch given back */
    assert_int_equal(rep.telemetry, SR_OK);
    assert_int_equal(rep.emitted.records_sent, 1);
    assert_int_equal(fake.count, 2);
    assert_string_equal(fake.calls[0].function, "emit_telemetry");
    assert_string_equal(fake.calls[1].function, "submit_result");
    const char *batch = fake.calls[0].payload;
    assert_non_null(strstr(batch, "\"payload_kind\":\"otel_metric\""));
    assert_non_null(strstr(batch, "\"resource\":{\"service\":{\"name\":\"serviceradar-wasm-plugin\"}}"));
    assert_non_null(strstr(batch, "\"name\":\"perfdata.1st_heap\",\"unit\":\"kBy\",\"kind\":\"gauge\""));
    assert_non_null(strstr(batch, "\"metadata\":{\"nagios.uom\":\"KB\",\"nagios.warn\":500.0,\"nagios.min\":0.0}"));
    assert_non_null(strstr(batch, "\"as_double\":2048.0"));
    assert_non_null(strstr(fake.calls[1].payload, "\"perfdata\":\"'1st heap'=2048.0KB;500.0;;0.0\""));
}

/* A failing emit still submits the result; a failing submit is reported
 * with the host's code. */
static void test_host_errors(void **state)
{
    (void)state;
    sr_arena a;
    sr_result r;
    sr_submit_report rep;
    fake_host_reset();
    fake.fail_function = "emit_telemetry";
    fake.fail_code = SR_HOST_DENIED;
    sr_arena_init(&a, mem, sizeof mem);
    sr_result_init(&r, &a);
    sr_result_add_metric(&r, "x", 1, "", NULL);
    assert_int_equal(sr_submit_result(&r, &rep), SR_OK);
    assert_int_equal(rep.telemetry, SR_ERR_HOST);
    assert_int_equal(rep.emitted.host_code, SR_HOST_DENIED);
    assert_int_equal(fake_host_calls_of("submit_result"), 1);

#define CODE(name, value) value,
    static const int32_t codes[] = {SR_HOST_CODES(CODE)};
#undef CODE
    for (size_t k = 0; k < sizeof codes / sizeof codes[0]; k++) {
        if (codes[k] == SR_HOST_OK)
            continue;
        fake_host_reset();
        fake.fail_function = "submit_result";
        fake.fail_code = codes[k];
        sr_result_init(&r, &a);
        assert_int_equal(sr_submit_result(&r, &rep), SR_ERR_HOST);
        assert_int_equal(rep.host_code, codes[k]);
    }
}

static void test_config_and_log(void **state)
{
    (void)state;
    char buf[16];
    size_t len = 99;
    fake_host_reset();
    int32_t code = 99;
    assert_int_equal(sr_get_config(buf, sizeof buf, &len, &code), SR_OK);
    assert_int_equal(len, 0);
    assert_int_equal(code, SR_HOST_OK);
    fake.config = "{\"target\":\"x\"}";
    assert_int_equal(sr_get_config(buf, sizeof buf, &len, NULL), SR_OK);
    assert_int_equal(len, strlen(fake.config));
    assert_memory_equal(buf, fake.config, len);
    assert_int_equal(sr_get_config(buf, 4, &len, &code), SR_ERR_BUFFER);
    assert_int_equal(code, SR_HOST_TOO_LARGE);
    sr_log(SR_LOG_INFO, "hello");
    assert_int_equal(fake_host_calls_of("log"), 1);
    assert_string_equal(fake.calls[0].payload, "hello");
    assert_string_equal(sr_perfdata_unit_to_ucum("c"), "{count}");
    assert_string_equal(sr_perfdata_unit_to_ucum("furlongs"), "furlongs");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_defaults),
        cmocka_unit_test(test_full_result),
        cmocka_unit_test(test_perfdata_text),
        cmocka_unit_test(test_submit_lowers_metrics),
        cmocka_unit_test(test_host_errors),
        cmocka_unit_test(test_config_and_log),
    };
    int rc = cmocka_run_group_tests(tests, NULL, NULL);
    fake_host_reset();
    return rc;
}
