/*
 * Every vector of generated/vectors/otel_metric.json through the emit path:
 * the input is built with the conformance testee's decoder (the generated
 * sr_testee_build_otel_metric and tests/conformance/testee_main.c's helpers,
 * compiled in with its main() renamed), then recorded into a telemetry batch
 * and emitted through the fake host (tests/c/fake_host.c).
 *
 *   - a vector the builder API cannot express ("input_error") builds nothing;
 *   - an invalid vector: sr_telemetry_record_otel_metric returns
 *     SR_ERR_INVALID, the batch holds no record, the arena is as before, and
 *     sr_emit_telemetry makes no host call: nothing is emitted;
 *   - a valid vector (warnings or not): exactly one host call, whose payload
 *     holds the vector's expected canonical JSON byte for byte.
 *
 * Usage: sr_fault_emit_vectors generated/vectors/otel_metric.json
 */
#define main sr_testee_original_main
#include "testee_main.c"
#undef main

#include "fake_host.h"
#include "sr_telemetry.h"

#define EMIT_ARENA_BYTES ((size_t)64 << 20)

static bool contains(const char *hay, size_t n, const char *needle, size_t k)
{
    for (size_t i = 0; i + k <= n; i++)
        if (memcmp(hay + i, needle, k) == 0)
            return true;
    return false;
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        (void)fprintf(stderr, "usage: %s otel_metric.json\n", argv[0]);
        return 2;
    }
    json_object *doc = json_object_from_file(argv[1]);
    json_object *cases;
    if (doc == NULL || !json_object_object_get_ex(doc, "cases", &cases)) {
        (void)fprintf(stderr, "%s: cannot read the vectors\n", argv[1]);
        return 2;
    }
    arena_buf = malloc(EMIT_ARENA_BYTES);
    if (arena_buf == NULL)
        return 2;
    sr_arena_init(&arena, arena_buf, EMIT_ARENA_BYTES);

    size_t n = json_object_array_length(cases), refused = 0, emitted = 0, input_errors = 0, failed = 0;
    for (size_t i = 0; i < n; i++) {
        json_object *c = json_object_array_get_idx(cases, i), *id, *input, *valid, *expected, *input_error;
        json_object_object_get_ex(c, "id", &id);
        json_object_object_get_ex(c, "input", &input);
        const char *name = json_object_get_string(id);
        bool is_input_error = json_object_object_get_ex(c, "input_error", &input_error);
        bool is_valid = json_object_object_get_ex(c, "valid", &valid) && json_object_get_boolean(valid);

        sr_arena_reset(&arena);
        fake_host_reset();
        sr_testee_ctx ctx;
        ctx.path[0] = ctx.error[0] = '\0';
        ctx.path_len = 0;
        sr_otel_metric m;
        sr_otel_metric_init(&m, &arena);
        int rc = sr_testee_build_otel_metric(&ctx, input, &m);
        if (is_input_error) {
            input_errors++;
            if (rc == 0) {
                (void)fprintf(stderr, "%s: an input error vector was built\n", name);
                failed++;
            }
            continue;
        }
        if (rc != 0) {
            (void)fprintf(stderr, "%s: cannot build: %s\n", name, ctx.error);
            failed++;
            continue;
        }

        sr_telemetry_batch b;
        sr_telemetry_batch_init(&b, &arena);
        size_t used = arena.used;
        sr_telemetry_record *r = NULL;
        sr_status st = sr_telemetry_record_otel_metric(&b, &m, NULL, &r);
        sr_emit_report sent;
        sr_status est = sr_emit_telemetry(&b, &sent);
        if (!is_valid) {
            if (st != SR_ERR_INVALID || r != NULL || b.records.count != 0 || arena.used != used || est != SR_OK
                || fake.count != 0) {
                (void)fprintf(stderr, "%s: invalid, yet record %d, %zu records, emit %d, %zu host calls\n", name,
                              (int)st, b.records.count, (int)est, fake.count);
                failed++;
            } else {
                refused++;
            }
            continue;
        }
        json_object_object_get_ex(c, "expected", &expected);
        const char *want = json_object_get_string(expected);
        size_t want_len = (size_t)json_object_get_string_len(expected);
        if (st != SR_OK || est != SR_OK || fake.count != 1 || sent.records_sent != 1
            || !contains(fake.calls[0].payload, fake.calls[0].size, want, want_len)) {
            (void)fprintf(stderr, "%s: valid, yet record %d, emit %d, %zu host calls, payload %s\n", name, (int)st,
                          (int)est, fake.count,
                          fake.count ? "without the expected JSON" : "none");
            failed++;
        } else {
            emitted++;
        }
    }
    (void)printf("%zu vectors: %zu invalid ones refused with nothing emitted, %zu valid ones emitted as expected, "
                 "%zu input errors built nothing, %zu failed\n",
                 n, refused, emitted, input_errors, failed);
    fake_host_reset();
    json_object_put(doc);
    free(arena_buf);
    return failed || refused + emitted + input_errors != n ? 1 : 0;
}
