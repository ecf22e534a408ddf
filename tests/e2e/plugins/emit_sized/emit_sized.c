/*
 * A test plugin for the emit path under the real host: its config says how
 * many otel_log records to emit and how large each payload is, as
 * {"records": N, "payload_bytes": M, "retry": R} (whole numbers; R defaults
 * to 0). Each record's event_id is its index. It emits them with
 * sr_emit_telemetry and, when the host refuses a call, retries the rest up
 * to R times with sr_emit_telemetry_from. Its result reports what the SDK
 * said: the status, the first host code, the calls made, the records
 * accepted in all and get_config's code; a refused submit_result is logged
 * with its code.
 */
#include <string.h>

#include "sr_plugin.h"
#include "sr_result.h"

static unsigned char arena_buf[12u << 20]; /* payloads + one 2 MiB scratch */
static char payload[(2u << 20) + 64];

/* The whole number after "key": in the config, or 0. */
static size_t config_number(const char *config, const char *key)
{
    const char *p = strstr(config, key);
    size_t v = 0;
    if (p == NULL)
        return 0;
    p += strlen(key);
    while (*p == '"' || *p == ':' || *p == ' ')
        p++;
    while (*p >= '0' && *p <= '9')
        v = v * 10 + (size_t)(*p++ - '0');
    return v;
}

static void put_number(sr_result *r, const char *key, int64_t v)
{
    char text[SR_INT_MAX_CHARS + 1];
    text[sr_format_i64(v, text)] = '\0';
    sr_result_add_label(r, key, text);
}

static void check(void)
{
    static char config[256];
    size_t len = 0;
    sr_arena arena;
    sr_telemetry_batch batch;
    sr_emit_report rep = {0, 0, 0, 0};
    sr_result result;

    int32_t config_code = 0;
    sr_get_config(config, sizeof config - 1, &len, &config_code);
    config[len] = '\0';
    size_t records = config_number(config, "\"records\"");
    size_t bytes = config_number(config, "\"payload_bytes\"");
    size_t retries = config_number(config, "\"retry\"");

    sr_arena_init(&arena, arena_buf, sizeof arena_buf);
    sr_telemetry_batch_init(&batch, &arena);
    sr_status st = bytes >= 2 && bytes <= sizeof payload ? SR_OK : SR_ERR_ARG;
    if (st == SR_OK) {
        payload[0] = '"'; /* a JSON string of exactly `bytes` bytes */
        memset(payload + 1, 'x', bytes - 2);
        payload[bytes - 1] = '"';
    }
    for (size_t i = 0; i < records && st == SR_OK; i++) {
        sr_telemetry_record *r;
        st = sr_telemetry_record_json(&batch, SR_PAYLOAD_KIND_OTEL_LOG, payload, bytes, &r);
        if (st == SR_OK)
            st = sr_telemetry_record_set_observed_time_unix_nano(r, 0); /* sizes independent of the clock */
        if (st == SR_OK) {
            char id[SR_INT_MAX_CHARS + 1];
            id[sr_format_u64(i, id)] = '\0';
            st = sr_telemetry_record_set_event_id(r, id);
        }
    }
    if (st == SR_OK)
        st = sr_emit_telemetry(&batch, &rep);
    /* Retry what the host did not accept, from the first record not sent. */
    size_t sent = rep.records_sent, calls = rep.calls;
    for (size_t attempt = 0; st == SR_ERR_HOST && attempt < retries; attempt++) {
        sr_emit_report again;
        st = sr_emit_telemetry_from(&batch, sent, &again);
        sent += again.records_sent;
        calls += again.calls;
    }
    rep.records_sent = sent;
    rep.calls = calls;

    sr_result_init(&result, &arena);
    sr_result_set_status(&result, st == SR_OK ? SR_STATUS_OK : SR_STATUS_CRITICAL);
    sr_result_set_summary(&result, sr_status_str(st));
    put_number(&result, "host_code", rep.host_code);
    put_number(&result, "calls", (int64_t)rep.calls);
    put_number(&result, "records_sent", (int64_t)rep.records_sent);
    put_number(&result, "record", (int64_t)rep.record);
    put_number(&result, "get_config_code", config_code);
    /* A refused result cannot report itself: say so in a log line. */
    sr_submit_report submitted;
    if (sr_submit_result(&result, &submitted) == SR_ERR_HOST) {
        char line[64] = "submit_result returned ";
        size_t n = strlen(line);
        line[n + sr_format_i64(submitted.host_code, line + n)] = '\0';
        sr_log(SR_LOG_ERROR, line);
    }
}

SR_PLUGIN_ENTRY(check);
