/*
 * json_lite: the small JSON parser and writer behind json-c/json.h in the
 * wasm32-wasi build of the conformance testee (see json-c/json.h for the API
 * and the json-c 0.16 semantics it keeps). Conformance test code only.
 *
 * Goal: for every line the conformance runner sends (Python's json.dumps,
 * ensure_ascii=False), the testee linked with json_lite answers byte for byte
 * what the native testee linked with json-c 0.16 answers. It need not be
 * fast; it must never crash on any input line.
 *
 * Grammar accepted by json_tokener_parse_verbose: RFC 8259 JSON, strictly,
 * plus the three tokens Python's json module reads and writes by default:
 *   value   = object | array | string | number | true | false | null
 *           | NaN | Infinity | -Infinity            (exact spelling)
 *   number  = -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?
 *   ws      = space, tab, LF, CR; allowed around every token, and before
 *             and after the value; nothing else may follow it
 *   strings: the escapes \" \\ \/ \b \f \n \r \t \uXXXX (hex in either
 *             case); raw bytes 0x20..0xFF are taken as they are (no UTF-8
 *             check, as json-c without JSON_TOKENER_VALIDATE_UTF8: the SDK's
 *             validator is what the vectors test); bytes below 0x20 must be
 *             escaped.
 *   nesting: at most 31 arrays/objects deep (json-c: default depth 32).
 * What json-c 0.16 does for those inputs, json_lite does too:
 *   - \uXXXX becomes UTF-8; a high surrogate immediately followed by a \u
 *     low surrogate is one code point (4 bytes); any other surrogate (lone
 *     high, lone low, high followed by anything but a low) becomes U+FFFD
 *     (EF BF BD), and what follows is read normally. \u0000 is a NUL byte
 *     inside the string (a key ends at it, see json.h).
 *   - A number without fraction and exponent is an integer: negative ones
 *     by strtoll (below INT64_MIN: clamped), others by strtoull (above
 *     UINT64_MAX: clamped), held as int64 when <= INT64_MAX, else as uint64;
 *     "-0" is the integer 0. (The testee refuses integers outside
 *     [-2^63, 2^64) before parsing, so the clamps never decide an answer.)
 *   - Any other number is a double by strtod (correctly rounded in glibc
 *     and in wasi-libc; overflow gives +-inf, underflow 0 or a subnormal,
 *     both accepted as by json-c); NaN / Infinity / -Infinity are doubles.
 *     A double is written back as the text it was parsed from (json-c's
 *     json_object_new_double_s).
 *   - Duplicate object keys: the key keeps its first position, the value is
 *     the last one.
 * json-c 0.16 (non-strict by default) also accepts what json_lite refuses:
 * comments, single-quoted strings, true/false/null/nan/infinity in any case,
 * trailing commas, leading zeros, "1." and "1e", raw control characters in
 * strings, other whitespace (\v, \f), and anything after the first value.
 * Python's json.dumps writes none of these, so the two testees can only
 * differ on hand-made lines; json_lite then answers "request is not {id,
 * type, input}" where json-c would have read the request.
 *
 * Writer: see json_object_to_json_string_ext in json.h; it escapes exactly
 * the bytes json-c's json_escape_str escapes, in the same way.
 *
 * Memory: every allocation is checked; running out makes the parser return
 * NULL (json_tokener_error_size), a constructor return NULL, an add return
 * -1. Accessors accept NULL and objects of any type without crashing.
 */
#include <json-c/json.h>

#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---------------------------------------------------------------- objects */

/* One object member. Keys are owned C strings. */
typedef struct jl_member {
    char *key;
    struct json_object *val;
} jl_member;

struct json_object {
    enum json_type type; /* never json_type_null: null is the NULL pointer */
    unsigned refs;
    char *text; /* the last json_object_to_json_string_ext result */
    union {
        json_bool boolean;
        struct {
            double value;
            char *source; /* the number as written in the input */
        } dbl;
        struct {
            int is_unsigned; /* 1: u holds a value above INT64_MAX */
            int64_t i;
            uint64_t u;
        } num;
        struct {
            char *bytes; /* len bytes, then a NUL */
            size_t len;
        } str;
        struct {
            struct json_object **items;
            size_t len, cap;
        } arr;
        struct {
            jl_member *members; /* in insertion order */
            size_t len, cap;
            /* Open-addressing index over members (slot = member index + 1,
             * 0 = empty), built once an object has more than a few members
             * so that a line with many keys stays linear. */
            uint32_t *slots;
            size_t nslots; /* 0 or a power of two, more than 2 * len */
        } obj;
    } u;
};

static struct json_object *new_object_of(enum json_type type)
{
    struct json_object *o = calloc(1, sizeof *o);
    if (o) {
        o->type = type;
        o->refs = 1;
    }
    return o;
}

struct json_object *json_object_get(struct json_object *obj)
{
    if (obj)
        obj->refs++;
    return obj;
}

int json_object_put(struct json_object *obj)
{
    if (obj == NULL || --obj->refs > 0)
        return 0;
    switch (obj->type) {
    case json_type_double:
        free(obj->u.dbl.source);
        break;
    case json_type_string:
        free(obj->u.str.bytes);
        break;
    case json_type_array:
        for (size_t i = 0; i < obj->u.arr.len; i++)
            json_object_put(obj->u.arr.items[i]);
        free(obj->u.arr.items);
        break;
    case json_type_object:
        for (size_t i = 0; i < obj->u.obj.len; i++) {
            free(obj->u.obj.members[i].key);
            json_object_put(obj->u.obj.members[i].val);
        }
        free(obj->u.obj.members);
        free(obj->u.obj.slots);
        break;
    default:
        break;
    }
    free(obj->text);
    free(obj);
    return 1;
}

int json_object_is_type(const struct json_object *obj, enum json_type type)
{
    return obj ? obj->type == type : type == json_type_null;
}

struct json_object *json_object_new_object(void) { return new_object_of(json_type_object); }

struct json_object *json_object_new_array(void) { return new_object_of(json_type_array); }

struct json_object *json_object_new_boolean(json_bool b)
{
    struct json_object *o = new_object_of(json_type_boolean);
    if (o)
        o->u.boolean = b != 0;
    return o;
}

/* A string object holding a copy of s[0..len). */
static struct json_object *new_string(const char *s, size_t len)
{
    struct json_object *o = new_object_of(json_type_string);
    char *bytes = malloc(len + 1);
    if (o == NULL || bytes == NULL) {
        free(o);
        free(bytes);
        return NULL;
    }
    if (len)
        memcpy(bytes, s, len);
    bytes[len] = '\0';
    o->u.str.bytes = bytes;
    o->u.str.len = len;
    return o;
}

struct json_object *json_object_new_string(const char *s) { return s ? new_string(s, strlen(s)) : NULL; }

struct json_object *json_object_new_string_len(const char *s, const int len)
{
    if (len < 0 || (s == NULL && len > 0))
        return NULL;
    return new_string(s, (size_t)len);
}

/* --------------------------------------------------------------- accessors */

json_bool json_object_get_boolean(const struct json_object *obj)
{
    if (obj == NULL)
        return 0;
    switch (obj->type) {
    case json_type_boolean: return obj->u.boolean;
    case json_type_int: return obj->u.num.is_unsigned ? obj->u.num.u != 0 : obj->u.num.i != 0;
    case json_type_double: return obj->u.dbl.value != 0;
    case json_type_string: return obj->u.str.len != 0;
    default: return 0;
    }
}

/* json-c 0.16's conversions for int, double and boolean; strings, objects
 * and arrays give 0 (json-c would parse a string; the testee never asks).
 * A NaN double gives 0 (in json-c an undefined cast). */
int64_t json_object_get_int64(const struct json_object *obj)
{
    if (obj == NULL)
        return 0;
    switch (obj->type) {
    case json_type_int:
        if (obj->u.num.is_unsigned)
            return obj->u.num.u >= (uint64_t)INT64_MAX ? INT64_MAX : (int64_t)obj->u.num.u;
        return obj->u.num.i;
    case json_type_double: {
        double d = obj->u.dbl.value;
        if (isnan(d))
            return 0;
        if (d >= (double)INT64_MAX)
            return INT64_MAX;
        if (d <= (double)INT64_MIN)
            return INT64_MIN;
        return (int64_t)d;
    }
    case json_type_boolean: return obj->u.boolean;
    default: return 0;
    }
}

uint64_t json_object_get_uint64(const struct json_object *obj)
{
    if (obj == NULL)
        return 0;
    switch (obj->type) {
    case json_type_int:
        if (obj->u.num.is_unsigned)
            return obj->u.num.u;
        return obj->u.num.i < 0 ? 0 : (uint64_t)obj->u.num.i;
    case json_type_double: {
        double d = obj->u.dbl.value;
        if (isnan(d) || d < 0)
            return 0;
        if (d >= (double)UINT64_MAX)
            return UINT64_MAX;
        return (uint64_t)d;
    }
    case json_type_boolean: return (uint64_t)obj->u.boolean;
    default: return 0;
    }
}

double json_object_get_double(const struct json_object *obj)
{
    if (obj == NULL)
        return 0.0;
    switch (obj->type) {
    case json_type_double: return obj->u.dbl.value;
    case json_type_int: return obj->u.num.is_unsigned ? (double)obj->u.num.u : (double)obj->u.num.i;
    case json_type_boolean: return obj->u.boolean;
    default: return 0.0;
    }
}

const char *json_object_get_string(struct json_object *obj)
{
    if (obj == NULL)
        return NULL;
    if (obj->type == json_type_string)
        return obj->u.str.bytes;
    return json_object_to_json_string_ext(obj, JSON_C_TO_STRING_PLAIN);
}

int json_object_get_string_len(const struct json_object *obj)
{
    if (obj == NULL || obj->type != json_type_string)
        return 0;
    return obj->u.str.len > (size_t)INT32_MAX ? INT32_MAX : (int)obj->u.str.len;
}

/* ----------------------------------------------------------------- objects */

static uint32_t hash_key(const char *key)
{
    uint32_t h = 2166136261u; /* FNV-1a */
    for (const unsigned char *p = (const unsigned char *)key; *p; p++)
        h = (h ^ *p) * 16777619u;
    return h;
}

/* Index of key's member, or -1. */
static ptrdiff_t find_member(const struct json_object *obj, const char *key)
{
    if (obj->u.obj.nslots == 0) {
        for (size_t i = 0; i < obj->u.obj.len; i++)
            if (strcmp(obj->u.obj.members[i].key, key) == 0)
                return (ptrdiff_t)i;
        return -1;
    }
    size_t mask = obj->u.obj.nslots - 1;
    for (size_t s = hash_key(key) & mask;; s = (s + 1) & mask) {
        uint32_t slot = obj->u.obj.slots[s];
        if (slot == 0)
            return -1;
        if (strcmp(obj->u.obj.members[slot - 1].key, key) == 0)
            return (ptrdiff_t)(slot - 1);
    }
}

/* Rebuild the index with nslots slots (a power of two > 2 * len). */
static int reindex(struct json_object *obj, size_t nslots)
{
    uint32_t *slots = calloc(nslots, sizeof *slots);
    if (slots == NULL)
        return -1;
    for (size_t i = 0; i < obj->u.obj.len; i++) {
        size_t s = hash_key(obj->u.obj.members[i].key) & (nslots - 1);
        while (slots[s])
            s = (s + 1) & (nslots - 1);
        slots[s] = (uint32_t)(i + 1);
    }
    free(obj->u.obj.slots);
    obj->u.obj.slots = slots;
    obj->u.obj.nslots = nslots;
    return 0;
}

int json_object_object_length(const struct json_object *obj)
{
    if (obj == NULL || obj->type != json_type_object)
        return 0;
    return obj->u.obj.len > (size_t)INT32_MAX ? INT32_MAX : (int)obj->u.obj.len;
}

json_bool json_object_object_get_ex(const struct json_object *obj, const char *key, struct json_object **value)
{
    if (value)
        *value = NULL;
    if (obj == NULL || key == NULL || obj->type != json_type_object)
        return 0;
    ptrdiff_t i = find_member(obj, key);
    if (i < 0)
        return 0;
    if (value)
        *value = obj->u.obj.members[i].val;
    return 1;
}

int json_object_object_add(struct json_object *obj, const char *key, struct json_object *val)
{
    if (obj == NULL || key == NULL || obj->type != json_type_object || obj == val)
        return -1;
    ptrdiff_t at = find_member(obj, key);
    if (at >= 0) { /* json-c: replace the value, keep the key's position */
        struct json_object *old = obj->u.obj.members[at].val;
        obj->u.obj.members[at].val = val;
        json_object_put(old);
        return 0;
    }
    if (obj->u.obj.len >= UINT32_MAX - 1)
        return -1;
    if (obj->u.obj.len == obj->u.obj.cap) {
        size_t cap = obj->u.obj.cap ? 2 * obj->u.obj.cap : 4;
        jl_member *m = realloc(obj->u.obj.members, cap * sizeof *m);
        if (m == NULL)
            return -1;
        obj->u.obj.members = m;
        obj->u.obj.cap = cap;
    }
    char *k = malloc(strlen(key) + 1);
    if (k == NULL)
        return -1;
    strcpy(k, key);
    size_t i = obj->u.obj.len;
    obj->u.obj.members[i].key = k;
    obj->u.obj.members[i].val = val;
    obj->u.obj.len++;
    /* Index the member: objects past 8 members get (or grow) the index. */
    size_t len = obj->u.obj.len;
    if (obj->u.obj.nslots == 0 && len <= 8)
        return 0;
    if (2 * len >= obj->u.obj.nslots) {
        size_t n = 32;
        while (n <= 2 * len)
            n *= 2;
        if (reindex(obj, n) == 0)
            return 0;
        /* No memory for a bigger index: fall back to linear lookups. */
        free(obj->u.obj.slots);
        obj->u.obj.slots = NULL;
        obj->u.obj.nslots = 0;
        return 0;
    }
    size_t mask = obj->u.obj.nslots - 1, s = hash_key(k) & mask;
    while (obj->u.obj.slots[s])
        s = (s + 1) & mask;
    obj->u.obj.slots[s] = (uint32_t)len;
    return 0;
}

json_bool json_lite_object_member(const struct json_object *obj, size_t i, char **key, struct json_object **val)
{
    if (obj == NULL || obj->type != json_type_object || i >= obj->u.obj.len)
        return 0;
    *key = obj->u.obj.members[i].key;
    *val = obj->u.obj.members[i].val;
    return 1;
}

/* ------------------------------------------------------------------ arrays */

size_t json_object_array_length(const struct json_object *obj)
{
    return obj && obj->type == json_type_array ? obj->u.arr.len : 0;
}

int json_object_array_add(struct json_object *obj, struct json_object *val)
{
    if (obj == NULL || obj->type != json_type_array || obj == val)
        return -1;
    if (obj->u.arr.len == obj->u.arr.cap) {
        size_t cap = obj->u.arr.cap ? 2 * obj->u.arr.cap : 8;
        if (cap > SIZE_MAX / sizeof *obj->u.arr.items)
            return -1;
        struct json_object **items = realloc(obj->u.arr.items, cap * sizeof *items);
        if (items == NULL)
            return -1;
        obj->u.arr.items = items;
        obj->u.arr.cap = cap;
    }
    obj->u.arr.items[obj->u.arr.len++] = val;
    return 0;
}

struct json_object *json_object_array_get_idx(const struct json_object *obj, size_t idx)
{
    if (obj == NULL || obj->type != json_type_array || idx >= obj->u.arr.len)
        return NULL;
    return obj->u.arr.items[idx];
}

/* ------------------------------------------------------- a growable buffer */

typedef struct jl_buf {
    char *p;
    size_t len, cap;
    int failed; /* an allocation failed; the contents are incomplete */
} jl_buf;

static void buf_add(jl_buf *b, const char *s, size_t n)
{
    if (b->failed || n == 0)
        return;
    if (n > SIZE_MAX - 1 - b->len) {
        b->failed = 1;
        return;
    }
    if (b->len + n + 1 > b->cap) {
        size_t cap = b->cap ? b->cap : 64;
        while (cap < b->len + n + 1)
            cap = cap > SIZE_MAX / 2 ? SIZE_MAX : 2 * cap;
        char *p = realloc(b->p, cap);
        if (p == NULL) {
            b->failed = 1;
            return;
        }
        b->p = p;
        b->cap = cap;
    }
    memcpy(b->p + b->len, s, n);
    b->len += n;
    b->p[b->len] = '\0';
}

static void buf_char(jl_buf *b, char c) { buf_add(b, &c, 1); }

/* Empty the buffer, keeping (or making) an allocation: p is "" after it. */
static int buf_reset(jl_buf *b)
{
    b->len = 0;
    if (b->p == NULL) {
        buf_char(b, '\0');
        b->len = 0;
    }
    if (b->p)
        b->p[0] = '\0';
    return b->p ? 0 : -1;
}

/* ------------------------------------------------------------------ parser */

#define JL_MAX_NESTING 31 /* json-c's default depth 32 allows 31 containers */

typedef struct jl_parser {
    const char *p; /* next unread byte; the text ends at a NUL */
    int depth;     /* arrays/objects open */
    enum json_tokener_error err;
    jl_buf scratch; /* string contents being decoded */
} jl_parser;

static int fail(jl_parser *ps, enum json_tokener_error err)
{
    if (ps->err == json_tokener_success)
        ps->err = err;
    return -1;
}

static void skip_ws(jl_parser *ps)
{
    while (*ps->p == ' ' || *ps->p == '\t' || *ps->p == '\n' || *ps->p == '\r')
        ps->p++;
}

static int hex4(const char *s)
{
    int v = 0;
    for (int i = 0; i < 4; i++) {
        char c = s[i];
        int d = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
        if (d < 0)
            return -1; /* also stops at the terminating NUL */
        v = v << 4 | d;
    }
    return v;
}

static void put_utf8(jl_buf *b, unsigned long cp)
{
    char u[4];
    if (cp < 0x80) {
        u[0] = (char)cp;
        buf_add(b, u, 1);
    } else if (cp < 0x800) {
        u[0] = (char)(0xC0 | cp >> 6);
        u[1] = (char)(0x80 | (cp & 0x3F));
        buf_add(b, u, 2);
    } else if (cp < 0x10000) {
        u[0] = (char)(0xE0 | cp >> 12);
        u[1] = (char)(0x80 | (cp >> 6 & 0x3F));
        u[2] = (char)(0x80 | (cp & 0x3F));
        buf_add(b, u, 3);
    } else {
        u[0] = (char)(0xF0 | cp >> 18);
        u[1] = (char)(0x80 | (cp >> 12 & 0x3F));
        u[2] = (char)(0x80 | (cp >> 6 & 0x3F));
        u[3] = (char)(0x80 | (cp & 0x3F));
        buf_add(b, u, 4);
    }
}

/* A string; ps->p is at the opening quote. The decoded bytes are left in
 * ps->scratch (NUL-terminated after scratch.len bytes). */
static int parse_string(jl_parser *ps)
{
    jl_buf *b = &ps->scratch;
    if (buf_reset(b))
        return fail(ps, json_tokener_error_size);
    ps->p++;
    for (;;) {
        /* A run of bytes taken as they are. */
        const char *run = ps->p;
        while ((unsigned char)*ps->p >= 0x20 && *ps->p != '"' && *ps->p != '\\')
            ps->p++;
        buf_add(b, run, (size_t)(ps->p - run));
        unsigned char c = (unsigned char)*ps->p;
        if (c == '"') {
            ps->p++;
            break;
        }
        if (c == '\0')
            return fail(ps, json_tokener_error_parse_eof);
        if (c != '\\') /* a raw control character */
            return fail(ps, json_tokener_error_parse_string);
        char e = ps->p[1];
        ps->p += 2;
        switch (e) {
        case '"': buf_char(b, '"'); break;
        case '\\': buf_char(b, '\\'); break;
        case '/': buf_char(b, '/'); break;
        case 'b': buf_char(b, '\b'); break;
        case 'f': buf_char(b, '\f'); break;
        case 'n': buf_char(b, '\n'); break;
        case 'r': buf_char(b, '\r'); break;
        case 't': buf_char(b, '\t'); break;
        case 'u': {
            int cp = hex4(ps->p);
            if (cp < 0)
                return fail(ps, json_tokener_error_parse_string);
            ps->p += 4;
            if (cp >= 0xD800 && cp <= 0xDBFF) {
                /* A pair only when a \u low surrogate follows at once. */
                int lo = ps->p[0] == '\\' && ps->p[1] == 'u' ? hex4(ps->p + 2) : -1;
                if (lo >= 0xDC00 && lo <= 0xDFFF) {
                    ps->p += 6;
                    put_utf8(b, 0x10000 + ((unsigned long)(cp - 0xD800) << 10) + (unsigned long)(lo - 0xDC00));
                } else {
                    put_utf8(b, 0xFFFD); /* what follows is read normally */
                }
            } else if (cp >= 0xDC00 && cp <= 0xDFFF) {
                put_utf8(b, 0xFFFD); /* a low surrogate on its own */
            } else {
                put_utf8(b, (unsigned long)cp);
            }
            break;
        }
        case '\0':
            ps->p--; /* do not step past the end */
            return fail(ps, json_tokener_error_parse_eof);
        default:
            return fail(ps, json_tokener_error_parse_string);
        }
    }
    if (b->failed)
        return fail(ps, json_tokener_error_size);
    return 0;
}

static int is_digit(char c) { return c >= '0' && c <= '9'; }

/* A number (ps->p at '-' or a digit); see the grammar above. */
static int parse_number(jl_parser *ps, struct json_object **out)
{
    const char *start = ps->p, *p = ps->p;
    int is_double = 0;
    if (*p == '-')
        p++;
    if (*p == '0')
        p++;
    else if (*p >= '1' && *p <= '9')
        while (is_digit(*p))
            p++;
    else
        return fail(ps, json_tokener_error_parse_number);
    if (*p == '.') {
        p++;
        if (!is_digit(*p))
            return fail(ps, json_tokener_error_parse_number);
        while (is_digit(*p))
            p++;
        is_double = 1;
    }
    if (*p == 'e' || *p == 'E') {
        p++;
        if (*p == '+' || *p == '-')
            p++;
        if (!is_digit(*p))
            return fail(ps, json_tokener_error_parse_number);
        while (is_digit(*p))
            p++;
        is_double = 1;
    }
    ps->p = p;
    /* The token on its own, NUL-terminated, for the strto* functions. */
    size_t n = (size_t)(p - start);
    char *text = malloc(n + 1);
    if (text == NULL)
        return fail(ps, json_tokener_error_size);
    memcpy(text, start, n);
    text[n] = '\0';
    struct json_object *o = new_object_of(is_double ? json_type_double : json_type_int);
    if (o == NULL) {
        free(text);
        return fail(ps, json_tokener_error_size);
    }
    if (is_double) {
        o->u.dbl.value = strtod(text, NULL); /* +-inf / 0 on ERANGE, kept */
        o->u.dbl.source = text;
    } else {
        errno = 0;
        if (text[0] == '-') {
            o->u.num.i = (int64_t)strtoll(text, NULL, 10); /* clamps at INT64_MIN */
        } else {
            unsigned long long u = strtoull(text, NULL, 10); /* clamps at UINT64_MAX */
            if (u <= (unsigned long long)INT64_MAX) {
                o->u.num.i = (int64_t)u;
            } else {
                o->u.num.is_unsigned = 1;
                o->u.num.u = (uint64_t)u;
            }
        }
        free(text);
    }
    *out = o;
    return 0;
}

/* A double from one of Python's NaN / Infinity / -Infinity tokens. */
static int special_double(jl_parser *ps, const char *token, double value, struct json_object **out)
{
    size_t n = strlen(token);
    if (strncmp(ps->p, token, n) != 0)
        return fail(ps, json_tokener_error_parse_unexpected);
    struct json_object *o = new_object_of(json_type_double);
    char *source = malloc(n + 1);
    if (o == NULL || source == NULL) {
        free(o);
        free(source);
        return fail(ps, json_tokener_error_size);
    }
    memcpy(source, token, n + 1);
    o->u.dbl.value = value;
    o->u.dbl.source = source;
    ps->p += n;
    *out = o;
    return 0;
}

static int literal(jl_parser *ps, const char *word, enum json_tokener_error err)
{
    size_t n = strlen(word);
    if (strncmp(ps->p, word, n) != 0)
        return fail(ps, err);
    ps->p += n;
    return 0;
}

static int parse_value(jl_parser *ps, struct json_object **out);

static int parse_array(jl_parser *ps, struct json_object **out)
{
    struct json_object *arr = json_object_new_array();
    if (arr == NULL)
        return fail(ps, json_tokener_error_size);
    ps->p++; /* '[' */
    skip_ws(ps);
    if (*ps->p == ']') {
        ps->p++;
        *out = arr;
        return 0;
    }
    for (;;) {
        struct json_object *v = NULL;
        if (parse_value(ps, &v)) {
            json_object_put(arr);
            return -1;
        }
        if (json_object_array_add(arr, v)) {
            json_object_put(v);
            json_object_put(arr);
            return fail(ps, json_tokener_error_size);
        }
        skip_ws(ps);
        if (*ps->p == ',') {
            ps->p++;
            skip_ws(ps);
            continue;
        }
        if (*ps->p == ']') {
            ps->p++;
            *out = arr;
            return 0;
        }
        json_object_put(arr);
        return fail(ps, *ps->p ? json_tokener_error_parse_array : json_tokener_error_parse_eof);
    }
}

static int parse_object(jl_parser *ps, struct json_object **out)
{
    struct json_object *obj = json_object_new_object();
    if (obj == NULL)
        return fail(ps, json_tokener_error_size);
    ps->p++; /* '{' */
    skip_ws(ps);
    if (*ps->p == '}') {
        ps->p++;
        *out = obj;
        return 0;
    }
    for (;;) {
        if (*ps->p != '"') {
            json_object_put(obj);
            return fail(ps, *ps->p ? json_tokener_error_parse_object_key_name : json_tokener_error_parse_eof);
        }
        if (parse_string(ps)) {
            json_object_put(obj);
            return -1;
        }
        /* The key as a C string (it ends at a decoded NUL, as in json-c). */
        char *key = malloc(strlen(ps->scratch.p) + 1);
        if (key == NULL) {
            json_object_put(obj);
            return fail(ps, json_tokener_error_size);
        }
        strcpy(key, ps->scratch.p);
        skip_ws(ps);
        if (*ps->p != ':') {
            free(key);
            json_object_put(obj);
            return fail(ps, *ps->p ? json_tokener_error_parse_object_key_sep : json_tokener_error_parse_eof);
        }
        ps->p++;
        struct json_object *v = NULL;
        if (parse_value(ps, &v)) {
            free(key);
            json_object_put(obj);
            return -1;
        }
        int rc = json_object_object_add(obj, key, v);
        free(key);
        if (rc) {
            json_object_put(v);
            json_object_put(obj);
            return fail(ps, json_tokener_error_size);
        }
        skip_ws(ps);
        if (*ps->p == ',') {
            ps->p++;
            skip_ws(ps);
            continue;
        }
        if (*ps->p == '}') {
            ps->p++;
            *out = obj;
            return 0;
        }
        json_object_put(obj);
        return fail(ps, *ps->p ? json_tokener_error_parse_object_value_sep : json_tokener_error_parse_eof);
    }
}

/* One value, leading whitespace allowed; *out is NULL for null. Recursion
 * is bounded by JL_MAX_NESTING. */
static int parse_value(jl_parser *ps, struct json_object **out)
{
    *out = NULL;
    skip_ws(ps);
    switch (*ps->p) {
    case '{':
    case '[': {
        if (ps->depth >= JL_MAX_NESTING)
            return fail(ps, json_tokener_error_depth);
        ps->depth++;
        int rc = *ps->p == '{' ? parse_object(ps, out) : parse_array(ps, out);
        ps->depth--;
        return rc;
    }
    case '"': {
        if (parse_string(ps))
            return -1;
        *out = new_string(ps->scratch.p, ps->scratch.len);
        return *out ? 0 : fail(ps, json_tokener_error_size);
    }
    case 't': return literal(ps, "true", json_tokener_error_parse_boolean) ? -1 : (*out = json_object_new_boolean(1)) ? 0 : fail(ps, json_tokener_error_size);
    case 'f': return literal(ps, "false", json_tokener_error_parse_boolean) ? -1 : (*out = json_object_new_boolean(0)) ? 0 : fail(ps, json_tokener_error_size);
    case 'n': return literal(ps, "null", json_tokener_error_parse_null);
    case 'N': return special_double(ps, "NaN", NAN, out);
    case 'I': return special_double(ps, "Infinity", INFINITY, out);
    case '-':
        if (ps->p[1] == 'I')
            return special_double(ps, "-Infinity", -INFINITY, out);
        return parse_number(ps, out);
    case '\0': return fail(ps, json_tokener_error_parse_eof);
    default:
        if (is_digit(*ps->p))
            return parse_number(ps, out);
        return fail(ps, json_tokener_error_parse_unexpected);
    }
}

struct json_object *json_tokener_parse_verbose(const char *str, enum json_tokener_error *error)
{
    jl_parser ps;
    memset(&ps, 0, sizeof ps);
    ps.p = str ? str : "";
    ps.err = json_tokener_success;
    struct json_object *obj = NULL;
    if (parse_value(&ps, &obj) == 0) {
        skip_ws(&ps);
        if (*ps.p != '\0') { /* something after the value */
            json_object_put(obj);
            obj = NULL;
            fail(&ps, json_tokener_error_parse_unexpected);
        }
    }
    free(ps.scratch.p);
    if (error)
        *error = ps.err;
    return obj;
}

/* ------------------------------------------------------------------ writer */

/* json-c's json_escape_str: the same bytes escaped, the same way. */
static void write_string(jl_buf *b, const char *s, size_t n, int flags)
{
    static const char hex[] = "0123456789abcdef";
    buf_char(b, '"');
    size_t start = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        const char *esc = NULL;
        char u[7];
        switch (c) {
        case '\b': esc = "\\b"; break;
        case '\n': esc = "\\n"; break;
        case '\r': esc = "\\r"; break;
        case '\t': esc = "\\t"; break;
        case '\f': esc = "\\f"; break;
        case '"': esc = "\\\""; break;
        case '\\': esc = "\\\\"; break;
        case '/':
            if (!(flags & JSON_C_TO_STRING_NOSLASHESCAPE))
                esc = "\\/";
            break;
        default:
            if (c < 0x20) {
                u[0] = '\\', u[1] = 'u', u[2] = '0', u[3] = '0', u[4] = hex[c >> 4], u[5] = hex[c & 15], u[6] = '\0';
                esc = u;
            }
            break;
        }
        if (esc) {
            buf_add(b, s + start, i - start);
            buf_add(b, esc, strlen(esc));
            start = i + 1;
        }
    }
    buf_add(b, s + start, n - start);
    buf_char(b, '"');
}

/* Recursion is bounded: parsed values nest at most JL_MAX_NESTING deep and
 * the testee builds its answers two levels deep. */
static void write_value(jl_buf *b, const struct json_object *o, int flags)
{
    char num[32];
    if (o == NULL) {
        buf_add(b, "null", 4);
        return;
    }
    switch (o->type) {
    case json_type_boolean: buf_add(b, o->u.boolean ? "true" : "false", o->u.boolean ? 4 : 5); break;
    case json_type_double:
        if (o->u.dbl.source) {
            buf_add(b, o->u.dbl.source, strlen(o->u.dbl.source));
        } else {
            snprintf(num, sizeof num, "%.17g", o->u.dbl.value);
            buf_add(b, num, strlen(num));
        }
        break;
    case json_type_int:
        if (o->u.num.is_unsigned)
            snprintf(num, sizeof num, "%" PRIu64, o->u.num.u);
        else
            snprintf(num, sizeof num, "%" PRId64, o->u.num.i);
        buf_add(b, num, strlen(num));
        break;
    case json_type_string: write_string(b, o->u.str.bytes, o->u.str.len, flags); break;
    case json_type_array:
        buf_char(b, '[');
        for (size_t i = 0; i < o->u.arr.len; i++) {
            if (i)
                buf_char(b, ',');
            write_value(b, o->u.arr.items[i], flags);
        }
        buf_char(b, ']');
        break;
    case json_type_object:
        buf_char(b, '{');
        for (size_t i = 0; i < o->u.obj.len; i++) {
            if (i)
                buf_char(b, ',');
            write_string(b, o->u.obj.members[i].key, strlen(o->u.obj.members[i].key), flags);
            buf_char(b, ':');
            write_value(b, o->u.obj.members[i].val, flags);
        }
        buf_char(b, '}');
        break;
    default: buf_add(b, "null", 4); break;
    }
}

const char *json_object_to_json_string_ext(struct json_object *obj, int flags)
{
    if (obj == NULL)
        return "null";
    jl_buf b = {0};
    write_value(&b, obj, flags);
    if (b.failed || b.p == NULL) {
        free(b.p);
        return NULL;
    }
    free(obj->text);
    obj->text = b.p;
    return obj->text;
}
