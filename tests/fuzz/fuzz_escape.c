/*
 * libFuzzer target "escape": arbitrary bytes through sr_w_json_string.
 *
 *   - sr_utf8_valid agrees with an independent validator (fz_utf8_valid_ref);
 *   - valid UTF-8: the writer succeeds, its output is byte for byte what
 *     Python's json.dumps(s, ensure_ascii=False) writes (fz_json_escape_ref),
 *     holds no raw control byte, and json-c parses it back to exactly the
 *     input bytes (embedded NULs included);
 *   - invalid UTF-8: the writer reports SR_ERR_UTF8, length 0, buf[0] NUL;
 *   - every buffer too small (0, 1, half, one short): SR_ERR_BUFFER (or
 *     SR_ERR_UTF8) with the exact size needed, buf[0] NUL, and not one byte
 *     written past the capacity (each buffer is malloc'ed at exactly its
 *     capacity, so AddressSanitizer sees any overrun);
 *   - a roomy buffer: nothing written past the reported length.
 */
#include "fuzz_util.h"
#include "sr_runtime.h"

static sr_status write_string(const uint8_t *data, size_t size, char *buf, size_t cap, size_t *len)
{
    sr_writer w;
    sr_writer_init(&w, buf, cap);
    sr_w_json_string(&w, (const char *)data, size);
    return sr_writer_finish(&w, len);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    /* The input in its own allocation of exactly `size` bytes, so a read
     * past its end (e.g. by the word-at-a-time scans) is caught. */
    uint8_t *in = malloc(size ? size : 1);
    if (in == NULL)
        return 0;
    if (size)
        memcpy(in, data, size);

    const bool valid = sr_utf8_valid((const char *)in, size);
    FZ_CHECK(valid == fz_utf8_valid_ref(in, size), "sr_utf8_valid says %d for %zu bytes", (int)valid, size);

    /* Size-only pass. */
    size_t need = 0;
    sr_status st = write_string(in, size, NULL, 0, &need);
    if (!valid) {
        FZ_CHECK(st == SR_ERR_UTF8 && need == 0, "size pass on invalid UTF-8: status %d, len %zu", (int)st, need);
        char *buf = malloc(6 * size + 2);
        size_t len = 1;
        if (buf) {
            st = write_string(in, size, buf, 6 * size + 2, &len);
            FZ_CHECK(st == SR_ERR_UTF8 && len == 0 && buf[0] == '\0', "invalid UTF-8 written: status %d", (int)st);
        }
        free(buf);
        free(in);
        return 0;
    }
    FZ_CHECK(st == SR_ERR_BUFFER, "size pass status %d", (int)st);
    FZ_CHECK(need >= size + 2 && need <= 6 * size + 2, "need %zu for %zu bytes", need, size);

    /* Exactly the size needed, with 8 guard bytes after it. */
    char *out = malloc(need + 8);
    char *ref = malloc(6 * size + 2);
    if (out == NULL || ref == NULL) {
        free(out);
        free(ref);
        free(in);
        return 0;
    }
    memset(out + need, 0x5A, 8);
    size_t len = 0;
    st = write_string(in, size, out, need + 8, &len);
    FZ_CHECK(st == SR_OK && len == need, "roomy pass: status %d len %zu need %zu", (int)st, len, need);
    for (size_t i = 0; i < 8; i++)
        FZ_CHECK(out[need + i] == 0x5A, "byte %zu past the output was written", i);
    size_t ref_len = fz_json_escape_ref(in, size, ref);
    FZ_CHECK(ref_len == len && memcmp(ref, out, len) == 0, "output differs from json.dumps (%zu vs %zu bytes)", len,
             ref_len);
    FZ_CHECK(fz_no_raw_controls(out, len), "raw control byte in the output");

    json_object *o = fz_parse_strict(out, len);
    FZ_CHECK(o != NULL, "json-c does not parse the output: %.*s", (int)(len > 200 ? 200 : len), out);
    FZ_CHECK(json_object_is_type(o, json_type_string), "output is not a JSON string");
    FZ_CHECK((size_t)json_object_get_string_len(o) == size && memcmp(json_object_get_string(o), in, size) == 0,
             "json-c reads back %d bytes, not the %zu written", json_object_get_string_len(o), size);
    json_object_put(o);

    /* Buffers too small: each exactly its capacity. */
    const size_t caps[] = {0, 1, need / 2, need - 1};
    for (size_t k = 0; k < sizeof caps / sizeof caps[0]; k++) {
        size_t cap = caps[k];
        char *small = malloc(cap ? cap : 1);
        if (small == NULL)
            continue;
        size_t got = 0;
        st = write_string(in, size, cap ? small : NULL, cap, &got);
        FZ_CHECK(st == SR_ERR_BUFFER && got == need, "cap %zu: status %d, size %zu, need %zu", cap, (int)st, got,
                 need);
        FZ_CHECK(cap == 0 || small[0] == '\0', "cap %zu: buf[0] is not NUL", cap);
        free(small);
    }

    /* The body writer without quotes agrees with the quoted one. */
    {
        sr_writer w;
        sr_writer_init(&w, ref, 6 * size + 2);
        sr_w_json_string_body(&w, (const char *)in, size);
        size_t body = 0;
        st = sr_writer_finish(&w, &body);
        FZ_CHECK(st == SR_OK && body + 2 == len && memcmp(ref, out + 1, body) == 0, "body differs");
    }

    free(ref);
    free(out);
    free(in);
    return 0;
}
