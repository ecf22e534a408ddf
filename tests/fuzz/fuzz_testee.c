/*
 * libFuzzer target "testee": the conformance testee's request path on
 * arbitrary bytes read as JSON Lines (each line: integer range pre-scan ->
 * json-c parse -> build through the public builder API -> validate ->
 * serialize -> answer).
 *
 * tests/conformance/testee_main.c is compiled into this file unchanged, its
 * main() renamed to sr_testee_original_main (unused here). What main() does
 * per line is repeated in answer_line() below (it is a few lines of glue
 * around the file's own static functions has_out_of_range_integer() and
 * answer(), which do the work); main() itself is not called because it
 * mallocs a 256 MiB arena per call. The arena here is 32 MiB, set up once.
 *
 * Invariants, for every line:
 *   - the answer is an object with a boolean "ok";
 *   - ok: "output" is a string that json-c parses (strictly, all of it), is
 *     strictly valid UTF-8 with no raw control byte, an object whose first
 *     key is "schema_version" = 2; "warnings" is an array;
 *   - not ok: exactly one of a non-empty "errors" array or an "input_error"
 *     string; an integer literal out of the 64-bit range is always an
 *     input_error;
 *   - json-c can write the answer (as main() does) and parse it back;
 *   - nothing leaks (LeakSanitizer) and nothing crashes.
 */
#define main sr_testee_original_main
#include "testee_main.c"
#undef main

#include "fuzz_util.h"

#define FUZZ_ARENA_BYTES ((size_t)32 << 20)

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    arena_buf = malloc(FUZZ_ARENA_BYTES);
    violations = malloc(MAX_VIOLATIONS * sizeof *violations);
    if (!arena_buf || !violations)
        abort();
    sr_arena_init(&arena, arena_buf, FUZZ_ARENA_BYTES);
    return 0;
}

static void check_answer(json_object *resp, bool out_of_range)
{
    json_object *ok, *output, *warnings, *errors, *input_error;
    FZ_CHECK(resp != NULL && json_object_is_type(resp, json_type_object), "the answer is not an object");
    FZ_CHECK(json_object_object_get_ex(resp, "ok", &ok) && json_object_is_type(ok, json_type_boolean),
             "no boolean \"ok\"");
    bool has_errors = json_object_object_get_ex(resp, "errors", &errors);
    bool has_input_error = json_object_object_get_ex(resp, "input_error", &input_error);
    if (json_object_get_boolean(ok)) {
        FZ_CHECK(!out_of_range, "an out-of-range integer was accepted");
        FZ_CHECK(!has_errors && !has_input_error, "ok with errors");
        FZ_CHECK(json_object_object_get_ex(resp, "warnings", &warnings)
                     && json_object_is_type(warnings, json_type_array), "ok without warnings array");
        FZ_CHECK(json_object_object_get_ex(resp, "output", &output) && json_object_is_type(output, json_type_string),
                 "ok without output");
        const char *s = json_object_get_string(output);
        size_t n = (size_t)json_object_get_string_len(output);
        FZ_CHECK(fz_utf8_valid_ref(s, n), "output is not valid UTF-8");
        FZ_CHECK(fz_no_raw_controls(s, n), "raw control byte in the output");
        json_object *doc = fz_parse_strict(s, n);
        FZ_CHECK(doc != NULL && json_object_is_type(doc, json_type_object), "json-c does not parse the output: %.*s",
                 (int)(n > 300 ? 300 : n), s);
        FZ_CHECK(n > 19 && memcmp(s, "{\"schema_version\":2", 19) == 0, "output does not start with schema_version");
        json_object_put(doc);
    } else if (has_errors) {
        FZ_CHECK(!out_of_range, "an out-of-range integer reached the validator");
        FZ_CHECK(!has_input_error, "both errors and input_error");
        FZ_CHECK(json_object_is_type(errors, json_type_array) && json_object_array_length(errors) > 0,
                 "not ok with an empty error list");
    } else {
        FZ_CHECK(has_input_error && json_object_is_type(input_error, json_type_string),
                 "not ok without errors or input_error");
    }
}

/* One line, as main()'s loop body handles it. */
static void answer_line(char *line)
{
    json_object *resp;
    bool out_of_range = has_out_of_range_integer(line);
    if (out_of_range) {
        enum json_tokener_error err;
        json_object *req = json_tokener_parse_verbose(line, &err);
        json_object *id = NULL;
        resp = json_object_new_object();
        if (req && json_object_object_get_ex(req, "id", &id))
            json_object_object_add(resp, "id", json_object_get(id));
        json_object_object_add(resp, "ok", json_object_new_boolean(0));
        json_object_object_add(resp, "input_error", json_object_new_string("an integer is out of the 64-bit range"));
        json_object_put(req);
    } else {
        enum json_tokener_error err;
        json_object *req = json_tokener_parse_verbose(line, &err);
        resp = answer(req);
        json_object_put(req);
    }
    check_answer(resp, out_of_range);
    const char *text = json_object_to_json_string_ext(resp, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE);
    FZ_CHECK(text != NULL, "json-c cannot write the answer");
    json_object *back = json_tokener_parse(text);
    FZ_CHECK(back != NULL, "the answer line does not parse: %.300s", text);
    json_object_put(back);
    json_object_put(resp);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    size_t start = 0;
    while (start < size) {
        const uint8_t *nl = memchr(data + start, '\n', size - start);
        size_t end = nl ? (size_t)(nl - data) : size;
        if (end > start) { /* main() skips empty lines */
            /* A NUL-terminated copy of exactly the line with its newline,
             * as getline gives it to main(). */
            size_t n = end - start + (nl ? 1 : 0);
            char *line = malloc(n + 1);
            if (line == NULL)
                return 0;
            memcpy(line, data + start, n);
            line[n] = '\0';
            answer_line(line);
            free(line);
        }
        start = end + 1;
    }
    return 0;
}
