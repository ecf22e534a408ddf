/*
 * json-c/json.h for the wasm32-wasi build of the conformance testee.
 *
 * There is no json-c for wasm32 on the build machine, so the WASI build puts
 * tests/conformance/wasm/ on the include path and `#include <json-c/json.h>`
 * lands here. This header declares EXACTLY the part of json-c 0.16's API that
 * tests/conformance/testee_main.c, tests/conformance/sr_testee.h and the
 * generated generated/c/testee/sr_testee_decode.c use, with json-c's names,
 * types and signatures; json_lite.c (next to this folder) implements it. It
 * is conformance test code, never part of the SDK or of a plugin.
 *
 * Semantics kept from json-c 0.16 (the testee relies on them):
 *   - JSON null is the NULL pointer: json_object_is_type(NULL, json_type_null)
 *     is true, json_object_get(NULL) is NULL, an object member whose value is
 *     null exists (json_object_object_get_ex returns 1, *value = NULL) and
 *     is written as `null`.
 *   - Integers are int64 or, above INT64_MAX, uint64, exactly;
 *     json_object_get_int64 clamps a uint64 above INT64_MAX to INT64_MAX and
 *     json_object_get_uint64 returns 0 for a negative int64.
 *   - Objects keep their keys in insertion order (json_object_object_foreach
 *     walks them in that order); adding a key that is already there replaces
 *     the value in place (so a duplicate key in the input keeps its first
 *     position and its last value). Keys are C strings: a key holding
 *     "\u0000" ends there, as in json-c.
 *   - Strings carry a length, so values may hold NUL bytes; the buffer is
 *     NUL-terminated after that length.
 *   - Reference counting: json_object_get / json_object_put; containers own
 *     what is added to them.
 * The parser's grammar and its differences from json-c are described in
 * json_lite.c.
 */
#ifndef SR_JSON_LITE_JSON_H
#define SR_JSON_LITE_JSON_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef int json_bool;
typedef struct json_object json_object;

/* The same enumerators, in the same order, as json-c 0.16. */
enum json_type {
    json_type_null,
    json_type_boolean,
    json_type_double,
    json_type_int,
    json_type_object,
    json_type_array,
    json_type_string
};

/* The same enumerators, in the same order, as json-c 0.16 (which has no
 * separate code for running out of memory; json_lite reports that as
 * json_tokener_error_size). */
enum json_tokener_error {
    json_tokener_success,
    json_tokener_continue,
    json_tokener_error_depth,
    json_tokener_error_parse_eof,
    json_tokener_error_parse_unexpected,
    json_tokener_error_parse_null,
    json_tokener_error_parse_boolean,
    json_tokener_error_parse_number,
    json_tokener_error_parse_array,
    json_tokener_error_parse_object_key_name,
    json_tokener_error_parse_object_key_sep,
    json_tokener_error_parse_object_value_sep,
    json_tokener_error_parse_string,
    json_tokener_error_parse_comment,
    json_tokener_error_parse_utf8_string,
    json_tokener_error_size
};

/* Flags of json_object_to_json_string_ext (json-c's values). Output is
 * always "plain" (no whitespace); '/' is written as "\/" unless
 * JSON_C_TO_STRING_NOSLASHESCAPE is given. */
#define JSON_C_TO_STRING_PLAIN 0
#define JSON_C_TO_STRING_NOSLASHESCAPE (1 << 4)

/* Parse one JSON text (the whole NUL-terminated string, surrounding JSON
 * whitespace allowed). Returns a new reference, or NULL with *error set when
 * the text is not accepted (NULL with json_tokener_success for `null`).
 * Nesting deeper than 31 arrays/objects is json_tokener_error_depth, as with
 * json-c's default depth of 32. Never crashes on any input. */
struct json_object *json_tokener_parse_verbose(const char *str, enum json_tokener_error *error);

/* Reference counting. json_object_put returns 1 when it freed the object. */
struct json_object *json_object_get(struct json_object *obj);
int json_object_put(struct json_object *obj);

int json_object_is_type(const struct json_object *obj, enum json_type type);

/* Constructors: a new reference, or NULL when out of memory. */
struct json_object *json_object_new_object(void);
struct json_object *json_object_new_array(void);
struct json_object *json_object_new_boolean(json_bool b);
struct json_object *json_object_new_string(const char *s);
struct json_object *json_object_new_string_len(const char *s, const int len);

/* Accessors (json-c's conversions for int, double and boolean; see
 * json_lite.c for the rest). */
json_bool json_object_get_boolean(const struct json_object *obj);
int64_t json_object_get_int64(const struct json_object *obj);
uint64_t json_object_get_uint64(const struct json_object *obj);
double json_object_get_double(const struct json_object *obj);
/* A string's bytes (NUL-terminated after get_string_len bytes); NULL for
 * NULL; for other types their JSON text (json-c would add spaces). */
const char *json_object_get_string(struct json_object *obj);
int json_object_get_string_len(const struct json_object *obj);

/* Objects. json_object_object_add takes over the caller's reference to val
 * (also when it replaces an existing key's value, whose reference it drops);
 * it returns 0, or -1 (val not taken) when obj is not an object or memory
 * ran out. */
int json_object_object_length(const struct json_object *obj);
json_bool json_object_object_get_ex(const struct json_object *obj, const char *key, struct json_object **value);
int json_object_object_add(struct json_object *obj, const char *key, struct json_object *val);

/* The i-th member in insertion order: 1 and *key / *val set, or 0 past the
 * end or when obj is not an object. Only for json_object_object_foreach. */
json_bool json_lite_object_member(const struct json_object *obj, size_t i, char **key, struct json_object **val);

/* Like json-c's: declares `char *key` and `struct json_object *val` in the
 * enclosing block and loops over the members in insertion order. (json-c
 * dereferences a non-object here; this version just does not loop.) */
#define json_object_object_foreach(obj, key, val)                                    \
    char *key = NULL;                                                                \
    struct json_object *val = NULL;                                                  \
    for (size_t key##_json_lite_i = 0; json_lite_object_member((obj), key##_json_lite_i, &key, &val); \
         key##_json_lite_i++)

/* Arrays. json_object_array_add takes over the reference to val (which may
 * be NULL, a JSON null); 0, or -1 (not taken). get_idx returns a borrowed
 * reference, NULL past the end. */
size_t json_object_array_length(const struct json_object *obj);
int json_object_array_add(struct json_object *obj, struct json_object *val);
struct json_object *json_object_array_get_idx(const struct json_object *obj, size_t idx);

/* The JSON text of obj ("null" for NULL), as json-c writes it: no
 * whitespace, members in insertion order, doubles as they were written in
 * the parsed input, integers in decimal, strings with \" \\ \b \f \n \r \t,
 * other bytes below 0x20 as \u00xx, '/' as "\/" unless
 * JSON_C_TO_STRING_NOSLASHESCAPE, every other byte as it is. The text belongs
 * to obj (valid until the next call on obj or until obj is freed); NULL when
 * memory ran out. */
const char *json_object_to_json_string_ext(struct json_object *obj, int flags);

#ifdef __cplusplus
}
#endif

#endif
