/*
 * The C conformance testee. Reads JSON Lines on stdin, one request per line:
 *   {"id": ..., "type": "otel_metric", "input": {...}}
 * builds the input through the public builder API, validates, serializes,
 * and answers one line per request:
 *   {"id", "ok": true, "output": "<canonical JSON>", "warnings": [...]}
 *   {"id", "ok": false, "errors": [{"rule", "path", "severity"}], "warnings": [...]}
 *   {"id", "ok": false, "input_error": "..."}
 * It never crashes on what it is fed: a line that is not JSON, a request of
 * the wrong shape or an input the API cannot express is an input_error.
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sr_testee.h"

#define ARENA_BYTES ((size_t)256 << 20)
#define MAX_VIOLATIONS 65536

static unsigned char *arena_buf;
static sr_arena arena;           /* reset for every request */
static sr_violation *violations; /* report storage */

/* ------------------------------------------------------------ helpers */

int sr_testee_fail(sr_testee_ctx *c, const char *message)
{
    if (c->error[0] == '\0')
        snprintf(c->error, sizeof c->error, "%s: %s", c->path_len ? c->path : "the metric", message);
    return -1;
}

size_t sr_testee_push(sr_testee_ctx *c, const char *field)
{
    size_t saved = c->path_len;
    int n = snprintf(c->path + c->path_len, sizeof c->path - c->path_len, "%s%s", c->path_len ? "." : "", field);
    if (n > 0 && (size_t)n < sizeof c->path - c->path_len)
        c->path_len += (size_t)n;
    return saved;
}

size_t sr_testee_push_index(sr_testee_ctx *c, size_t index)
{
    size_t saved = c->path_len;
    int n = snprintf(c->path + c->path_len, sizeof c->path - c->path_len, "[%zu]", index);
    if (n > 0 && (size_t)n < sizeof c->path - c->path_len)
        c->path_len += (size_t)n;
    return saved;
}

void sr_testee_pop(sr_testee_ctx *c, size_t saved)
{
    c->path_len = saved;
    c->path[saved] = '\0';
}

int sr_testee_status(sr_testee_ctx *c, sr_status st)
{
    if (st == SR_OK)
        return 0;
    char msg[96];
    snprintf(msg, sizeof msg, "the builder refused it (%s)", sr_status_str(st));
    return sr_testee_fail(c, msg);
}

static int hex_digit(char ch)
{
    if (ch >= '0' && ch <= '9')
        return ch - '0';
    if (ch >= 'a' && ch <= 'f')
        return ch - 'a' + 10;
    if (ch >= 'A' && ch <= 'F')
        return ch - 'A' + 10;
    return -1;
}

int sr_testee_string(sr_testee_ctx *c, json_object *j, const char **s, size_t *n)
{
    if (json_object_is_type(j, json_type_string)) {
        *s = json_object_get_string(j);
        *n = (size_t)json_object_get_string_len(j);
        return 0;
    }
    json_object *hex;
    if (json_object_is_type(j, json_type_object) && json_object_object_length(j) == 1
        && json_object_object_get_ex(j, "bytes_hex", &hex) && json_object_is_type(hex, json_type_string)) {
        const char *h = json_object_get_string(hex);
        size_t hn = (size_t)json_object_get_string_len(hex);
        if (hn % 2)
            return sr_testee_fail(c, "bytes_hex is not hex");
        /* The decoded bytes live in the request's arena, like everything else. */
        char *out = sr_arena_alloc(&arena, hn / 2 + 1, 1);
        if (out == NULL)
            return sr_testee_fail(c, "testee arena exhausted");
        for (size_t i = 0; i < hn / 2; i++) {
            int hi = hex_digit(h[2 * i]), lo = hex_digit(h[2 * i + 1]);
            if (hi < 0 || lo < 0)
                return sr_testee_fail(c, "bytes_hex is not hex");
            out[i] = (char)(hi << 4 | lo);
        }
        *s = out;
        *n = hn / 2;
        return 0;
    }
    return sr_testee_fail(c, "expected a string");
}

int sr_testee_bool(sr_testee_ctx *c, json_object *j, bool *out)
{
    if (!json_object_is_type(j, json_type_boolean))
        return sr_testee_fail(c, "expected a boolean");
    *out = json_object_get_boolean(j);
    return 0;
}

/* json-c keeps int64 and uint64 exact but clamps beyond them; main() refuses
 * any integer literal outside [-2^63, 2^64) before parsing, so here a value
 * is exact and only its sign and range for the field remain to check. */
static int is_unsigned_big(json_object *j) { return json_object_get_int64(j) == INT64_MAX && json_object_get_uint64(j) > (uint64_t)INT64_MAX; }

int sr_testee_int64(sr_testee_ctx *c, json_object *j, int64_t *out)
{
    if (!json_object_is_type(j, json_type_int))
        return sr_testee_fail(c, "expected an integer");
    if (is_unsigned_big(j))
        return sr_testee_fail(c, "out of range for int64");
    *out = json_object_get_int64(j);
    return 0;
}

int sr_testee_uint64(sr_testee_ctx *c, json_object *j, uint64_t *out)
{
    if (!json_object_is_type(j, json_type_int))
        return sr_testee_fail(c, "expected an integer");
    if (!is_unsigned_big(j) && json_object_get_int64(j) < 0)
        return sr_testee_fail(c, "out of range for uint64");
    *out = json_object_get_uint64(j);
    return 0;
}

int sr_testee_uint32(sr_testee_ctx *c, json_object *j, uint32_t *out)
{
    uint64_t v;
    if (sr_testee_uint64(c, j, &v))
        return -1;
    if (v > UINT32_MAX)
        return sr_testee_fail(c, "out of range for uint32");
    *out = (uint32_t)v;
    return 0;
}

int sr_testee_double(sr_testee_ctx *c, json_object *j, double *out)
{
    if (json_object_is_type(j, json_type_double)) {
        *out = json_object_get_double(j);
        return 0;
    }
    if (json_object_is_type(j, json_type_int)) {
        *out = is_unsigned_big(j) ? (double)json_object_get_uint64(j) : (double)json_object_get_int64(j);
        return 0;
    }
    if (json_object_is_type(j, json_type_string)) {
        const char *s = json_object_get_string(j);
        if (strcmp(s, "NaN") == 0) {
            *out = NAN;
            return 0;
        }
        if (strcmp(s, "Infinity") == 0 || strcmp(s, "-Infinity") == 0) {
            *out = s[0] == '-' ? -INFINITY : INFINITY;
            return 0;
        }
    }
    return sr_testee_fail(c, "expected a number");
}

int sr_testee_array(sr_testee_ctx *c, json_object *j, size_t *n, void **items, size_t size)
{
    if (!json_object_is_type(j, json_type_array))
        return sr_testee_fail(c, "expected an array");
    *n = json_object_array_length(j);
    *items = calloc(*n ? *n : 1, size);
    if (*items == NULL)
        return sr_testee_fail(c, "out of memory");
    return 0;
}

/* One typed value; arrays hold one element type and do not nest. */
static int decode_value(sr_testee_ctx *c, json_object *j, sr_value *v, bool top)
{
    if (!json_object_is_type(j, json_type_object) || json_object_object_length(j) != 1)
        return sr_testee_fail(c, "expected a typed value {string|bool|int|double|array: ...}");
    json_object_object_foreach(j, tag, x) {
        if (strcmp(tag, "string") == 0) {
            const char *s;
            size_t n;
            if (sr_testee_string(c, x, &s, &n))
                return -1;
            *v = sr_value_string(s, n);
        } else if (strcmp(tag, "bool") == 0) {
            bool b;
            if (sr_testee_bool(c, x, &b))
                return -1;
            *v = sr_value_bool(b);
        } else if (strcmp(tag, "int") == 0) {
            int64_t i;
            if (sr_testee_int64(c, x, &i))
                return -1;
            *v = sr_value_int(i);
        } else if (strcmp(tag, "double") == 0) {
            double d;
            if (sr_testee_double(c, x, &d))
                return -1;
            *v = sr_value_double(d);
        } else if (strcmp(tag, "array") == 0 && top) {
            if (!json_object_is_type(x, json_type_array))
                return sr_testee_fail(c, "expected an array");
            size_t n = json_object_array_length(x);
            sr_value *elems = sr_arena_alloc(&arena, (n ? n : 1) * sizeof *elems, _Alignof(sr_value));
            if (elems == NULL)
                return sr_testee_fail(c, "testee arena exhausted");
            for (size_t i = 0; i < n; i++) {
                if (decode_value(c, json_object_array_get_idx(x, i), &elems[i], false))
                    return -1;
                if (elems[i].type != elems[0].type)
                    return sr_testee_fail(c, "array elements must all have one type");
            }
            /* Gather the elements into the typed array the API takes. */
            sr_value_type t = n ? elems[0].type : SR_VALUE_STRING;
            void *items = sr_arena_alloc(&arena, (n ? n : 1) * sizeof(double) * 2, _Alignof(double));
            if (items == NULL)
                return sr_testee_fail(c, "testee arena exhausted");
            for (size_t i = 0; i < n; i++) {
                switch (t) {
                case SR_VALUE_STRING: ((sr_str *)items)[i] = elems[i].as.string_; break;
                case SR_VALUE_BOOL: ((bool *)items)[i] = elems[i].as.bool_; break;
                case SR_VALUE_INT: ((int64_t *)items)[i] = elems[i].as.int_; break;
                case SR_VALUE_DOUBLE: ((double *)items)[i] = elems[i].as.double_; break;
                default: return sr_testee_fail(c, "arrays cannot nest");
                }
            }
            switch (t) {
            case SR_VALUE_STRING: *v = sr_value_string_array(items, n); break;
            case SR_VALUE_BOOL: *v = sr_value_bool_array(items, n); break;
            case SR_VALUE_INT: *v = sr_value_int_array(items, n); break;
            default: *v = sr_value_double_array(items, n); break;
            }
        } else {
            return sr_testee_fail(c, top ? "expected a typed value {string|bool|int|double|array: ...}"
                                         : "arrays cannot nest");
        }
    }
    return 0;
}

int sr_testee_map(sr_testee_ctx *c, json_object *j, void *o, sr_testee_map_add add)
{
    if (!json_object_is_type(j, json_type_array))
        return sr_testee_fail(c, "expected a list of {key, value}");
    for (size_t i = 0; i < json_object_array_length(j); i++) {
        json_object *e = json_object_array_get_idx(j, i), *key, *value;
        size_t at = sr_testee_push_index(c, i);
        if (!json_object_is_type(e, json_type_object) || json_object_object_length(e) != 2
            || !json_object_object_get_ex(e, "key", &key) || !json_object_object_get_ex(e, "value", &value))
            return sr_testee_fail(c, "expected {key, value}");
        const char *k;
        size_t kn;
        sr_value v;
        if (sr_testee_string(c, key, &k, &kn) || decode_value(c, value, &v, true))
            return -1;
        if (sr_testee_status(c, add(o, k, kn, &v)))
            return -1;
        sr_testee_pop(c, at);
    }
    return 0;
}

/* ------------------------------------------------- integer range pre-scan */

/* True when the line holds an integer literal (outside strings) below -2^63
 * or at or above 2^64, which json-c would silently clamp. */
static bool has_out_of_range_integer(const char *s)
{
    static const char max_u[] = "18446744073709551615", min_i[] = "9223372036854775808";
    bool in_string = false;
    for (size_t i = 0; s[i]; i++) {
        char ch = s[i];
        if (in_string) {
            if (ch == '\\' && s[i + 1])
                i++;
            else if (ch == '"')
                in_string = false;
            continue;
        }
        if (ch == '"') {
            in_string = true;
            continue;
        }
        if (ch == '-' || (ch >= '0' && ch <= '9')) {
            bool neg = ch == '-';
            size_t start = i + (neg ? 1 : 0), end = start;
            while (s[end] >= '0' && s[end] <= '9')
                end++;
            bool fraction = s[end] == '.' || s[end] == 'e' || s[end] == 'E';
            size_t len = end - start;
            const char *limit = neg ? min_i : max_u;
            size_t limit_len = strlen(limit);
            if (!fraction && (len > limit_len || (len == limit_len && memcmp(s + start, limit, len) > 0)))
                return true;
            /* Skip the rest of the token (fraction, exponent). */
            while (s[end] && strchr("0123456789.eE+-", s[end]))
                end++;
            i = end - 1;
        }
    }
    return false;
}

/* ---------------------------------------------------------------- main */

static void add_violations(json_object *list, const sr_report *r, sr_severity sev)
{
    for (size_t i = 0; i < r->stored; i++) {
        if (r->items[i].severity != sev)
            continue;
        json_object *v = json_object_new_object();
        json_object_object_add(v, "rule", json_object_new_string(sr_rule_id(r->items[i].rule)));
        json_object_object_add(v, "path", json_object_new_string(r->items[i].path));
        json_object_object_add(v, "severity", json_object_new_string(sev == SR_SEVERITY_ERROR ? "error" : "warning"));
        json_object_array_add(list, v);
    }
}

static json_object *answer(json_object *req)
{
    json_object *resp = json_object_new_object(), *id = NULL, *type = NULL, *input = NULL;
    sr_testee_ctx c;
    c.path[0] = c.error[0] = '\0';
    c.path_len = 0;
    if (req && json_object_object_get_ex(req, "id", &id))
        json_object_object_add(resp, "id", json_object_get(id));
    if (!req || !json_object_is_type(req, json_type_object) || !json_object_object_get_ex(req, "type", &type)
        || !json_object_object_get_ex(req, "input", &input)) {
        json_object_object_add(resp, "ok", json_object_new_boolean(0));
        json_object_object_add(resp, "input_error", json_object_new_string("request is not {id, type, input}"));
        return resp;
    }
    sr_arena_reset(&arena);
    sr_otel_metric m;
    int rc;
    if (!json_object_is_type(type, json_type_string) || strcmp(json_object_get_string(type), "otel_metric") != 0)
        rc = sr_testee_fail(&c, "unknown type");
    else
        rc = sr_otel_metric_init(&m, &arena) == SR_OK ? sr_testee_build_otel_metric(&c, input, &m) : -1;
    if (rc) {
        json_object_object_add(resp, "ok", json_object_new_boolean(0));
        json_object_object_add(resp, "input_error", json_object_new_string(c.error));
        return resp;
    }
    sr_report report;
    sr_report_init(&report, violations, MAX_VIOLATIONS);
    sr_status st = sr_otel_metric_validate(&m, &report);
    json_object *warnings = json_object_new_array();
    add_violations(warnings, &report, SR_SEVERITY_WARNING);
    if (st != SR_OK) {
        json_object *errors = json_object_new_array();
        add_violations(errors, &report, SR_SEVERITY_ERROR);
        json_object_object_add(resp, "ok", json_object_new_boolean(0));
        json_object_object_add(resp, "errors", errors);
        json_object_object_add(resp, "warnings", warnings);
        return resp;
    }
    size_t need = 0, len = 0;
    st = sr_otel_metric_json_size(&m, &need);
    char *out = st == SR_OK ? malloc(need ? need : 1) : NULL;
    if (out)
        st = sr_otel_metric_to_json(&m, out, need, &len);
    if (!out || st != SR_OK) {
        json_object_object_add(resp, "ok", json_object_new_boolean(0));
        json_object_object_add(resp, "input_error", json_object_new_string(out ? sr_status_str(st) : "out of memory"));
        json_object_put(warnings);
        free(out);
        return resp;
    }
    json_object_object_add(resp, "ok", json_object_new_boolean(1));
    json_object_object_add(resp, "output", json_object_new_string_len(out, (int)len));
    json_object_object_add(resp, "warnings", warnings);
    free(out);
    return resp;
}

int main(void)
{
    arena_buf = malloc(ARENA_BYTES);
    violations = malloc(MAX_VIOLATIONS * sizeof *violations);
    if (!arena_buf || !violations)
        return 2;
    sr_arena_init(&arena, arena_buf, ARENA_BYTES);
    char *line = NULL;
    size_t cap = 0;
    ssize_t n;
    while ((n = getline(&line, &cap, stdin)) != -1) {
        if (n <= 1 && (n == 0 || line[0] == '\n'))
            continue;
        json_object *resp;
        if (has_out_of_range_integer(line)) {
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
        fputs(json_object_to_json_string_ext(resp, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE), stdout);
        fputc('\n', stdout);
        fflush(stdout);
        json_object_put(resp);
    }
    free(line);
    free(arena_buf);
    free(violations);
    return 0;
}
