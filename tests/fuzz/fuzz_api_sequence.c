/*
 * libFuzzer target "api_sequence": arbitrary bytes decoded into a sequence
 * of builder calls on one sr_otel_metric in a small arena, then validate,
 * serialize into a buffer of fuzzed size, record into a telemetry batch and
 * emit through the fake host (tests/c/fake_host.c).
 *
 * Input layout (tests/fuzz/make_seeds.py writes seeds in it):
 *   byte 0-1  arena size, big-endian, 0..65535 bytes (malloc'ed at exactly
 *             that size, so AddressSanitizer sees any write past its end)
 *   byte 2    low 3 bits: arena start misaligned by that many bytes;
 *             the rest: report capacity 0..30, 31 = no report (NULL)
 *   byte 3    output buffer: 0 none (NULL, 0), 1 zero-sized, 2 one byte
 *             short, 3 exact, 4 roomy, else a size below what is needed
 *   then      operations until the input ends (see the OP_ enum; each reads
 *             its own arguments; reads past the end give 0).
 *
 * Invariants (any failure aborts, so libFuzzer keeps the input):
 *   - every call returns SR_OK, SR_ERR_ARG or SR_ERR_ARENA (where the result
 *     is knowable, exactly the right one); a failed call changes neither
 *     the object it was called on nor the arena's use;
 *   - the report counts every violation, stores min(capacity, count), each
 *     with a rule id, its severity and a NUL-terminated path; it agrees
 *     with a report of large capacity and with no report at all;
 *   - validate SR_OK => json_size SR_OK and to_json with exactly that size
 *     succeeds; json_size (serializer) refuses a metric exactly when the
 *     validator found string.utf8 or double.finite;
 *   - to_json: SR_OK output fits, is strictly valid UTF-8 with no raw
 *     control byte, json-c parses it and reads back every field the builder
 *     set (strings byte for byte, integers exactly, doubles bit for bit,
 *     attribute keys in insertion order); SR_ERR_BUFFER gives the exact
 *     size needed and buf[0] = NUL; never a byte past the capacity;
 *   - a valid metric becomes one telemetry record holding exactly that JSON
 *     (or SR_ERR_ARENA and no record, arena as before); with the envelope
 *     strings the input asked for (OP_BATCH_STR) set on the batch and the
 *     record, emitting sends exactly one host call holding exactly
 *     sr_telemetry_batch_to_json's bytes, or none: SR_ERR_ARENA, or
 *     SR_ERR_UTF8 exactly when an envelope string is not UTF-8.
 */
#include <float.h>
#include <math.h>

#include "fake_host.h"
#include "fuzz_util.h"
#include "sr_telemetry.h"

#define MAX_OPS 600
#define MAX_TRACK 64
#define MAX_SCRATCH 4096
#define BIG_REPORT 65536

/* ------------------------------------------------------------ per input state */

static sr_arena arena;
static sr_otel_metric m;
static sr_point *pts[MAX_TRACK];
static size_t npts;
static sr_exemplar *exs[MAX_TRACK];
static size_t nexs;

/* Test-side allocations (strings and arrays handed to the builder), each of
 * exactly its size, freed after the input. */
static void *scratch[MAX_SCRATCH];
static size_t nscratch;

static void *xmalloc(size_t n)
{
    if (nscratch == MAX_SCRATCH)
        return NULL;
    void *p = malloc(n);
    if (p != NULL)
        scratch[nscratch++] = p;
    return p;
}

static void free_scratch(void)
{
    for (size_t i = 0; i < nscratch; i++)
        free(scratch[i]);
    nscratch = 0;
}

/* ------------------------------------------------------------ argument decoding */

typedef struct fz_str {
    char *p; /* NULL only when scratch ran out */
    size_t len;
} fz_str;

typedef struct snippet {
    const char *s;
    size_t n;
} snippet;
#define SN(lit) {(lit), sizeof(lit) - 1}
/* Valid multi-byte characters, every class of invalid UTF-8, and the bytes
 * JSON must escape (NUL included). */
static const snippet snippets[] = {
    SN("\xc3\xa9"), SN("\xe2\x82\xac"), SN("\xf0\x9d\x84\x9e"), SN("\xef\xbf\xbf"), SN("\xf4\x8f\xbf\xbf"),
    SN("\xc3\x28"),                  /* lead byte, then no continuation */
    SN("\x80"), SN("\xbf"),          /* stray continuation */
    SN("\xc0\xaf"), SN("\xc1\xbf"),  /* overlong 2-byte */
    SN("\xe0\x80\xaf"), SN("\xe0\x9f\xbf"), SN("\xf0\x8f\xbf\xbf"), /* overlong 3/4-byte */
    SN("\xed\xa0\x80"), SN("\xed\xbf\xbf"),                         /* surrogates */
    SN("\xf4\x90\x80\x80"), SN("\xf5\x80\x80\x80"), SN("\xff"), SN("\xfe"), /* above U+10FFFF / never valid */
    SN("\xe2\x82"), SN("\xf0\x9d\x84"), /* cut short */
    SN("\""), SN("\\"), SN("\n"), SN("\t"), SN("\x01"), SN("\x1f"), SN("\x7f"), SN("/"), SN("\0"),
};
#define NSNIPPETS (sizeof snippets / sizeof snippets[0])

static const size_t edge_lengths[] = {1, 8, 15, 16, 17, 31, 32, 33, 63, 64, 128, 255, 256, 1000, 4096, 4097};
static const size_t hex_lengths[] = {16, 32, 15, 17, 31, 33};
static const char ident_chars[] = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-/";

static fz_str get_str(fz_reader *r)
{
    fz_str s = {NULL, 0};
    uint8_t mode = fz_u8(r);
    switch (mode & 7) {
    case 0: /* empty */
        break;
    case 1:
    case 2:
    case 7: { /* raw bytes from the input */
        size_t len = (mode & 7) == 7 ? fz_u8(r) : fz_u8(r) % 64u;
        if (len > r->n)
            len = r->n;
        s.len = len;
        if ((s.p = xmalloc(len)) != NULL && len)
            memcpy(s.p, r->p, len);
        r->p += len;
        r->n -= len;
        return s;
    }
    case 3: { /* one byte repeated to a length at a limit's edge */
        s.len = edge_lengths[fz_u8(r) % (sizeof edge_lengths / sizeof edge_lengths[0])];
        uint8_t c = fz_u8(r);
        if ((s.p = xmalloc(s.len)) != NULL)
            memset(s.p, c, s.len);
        return s;
    }
    case 4: { /* lowercase hex (trace and span ids), of the right length or one off */
        s.len = hex_lengths[fz_u8(r) % (sizeof hex_lengths / sizeof hex_lengths[0])];
        if ((s.p = xmalloc(s.len)) == NULL)
            return s;
        uint8_t b = 0;
        for (size_t i = 0; i < s.len; i++) {
            if ((i & 1) == 0)
                b = fz_u8(r);
            s.p[i] = "0123456789abcdef"[(i & 1) ? (b & 15) : (b >> 4)];
        }
        return s;
    }
    case 5: { /* instrument-name characters */
        s.len = fz_u8(r) % 40u;
        if ((s.p = xmalloc(s.len)) == NULL)
            return s;
        for (size_t i = 0; i < s.len; i++)
            s.p[i] = ident_chars[fz_u8(r) % (sizeof ident_chars - 1)];
        return s;
    }
    case 6: { /* one to four snippets */
        size_t count = fz_u8(r) % 4u + 1, picks[4], len = 0;
        for (size_t i = 0; i < count; i++) {
            picks[i] = fz_u8(r) % NSNIPPETS;
            len += snippets[picks[i]].n;
        }
        if ((s.p = xmalloc(len)) == NULL)
            return s;
        for (size_t i = 0; i < count; i++) {
            memcpy(s.p + s.len, snippets[picks[i]].s, snippets[picks[i]].n);
            s.len += snippets[picks[i]].n;
        }
        return s;
    }
    }
    s.p = xmalloc(0);
    return s;
}

/* A NUL-terminated copy (cut at the first NUL), for the C-string API. */
static char *cstr(fz_str s)
{
    if (s.p == NULL)
        return NULL;
    char *c = xmalloc(s.len + 1);
    if (c == NULL)
        return NULL;
    if (s.len)
        memcpy(c, s.p, s.len);
    c[s.len] = '\0';
    return c;
}

static uint64_t get_u64(fz_reader *r)
{
    switch (fz_u8(r) & 7) {
    case 0: return 0;
    case 1: return 1;
    case 2: return UINT64_MAX;
    case 3: return (uint64_t)INT64_MAX;
    case 4: return (uint64_t)INT64_MAX + 1;
    case 5: return fz_u8(r);
    case 6: return fz_u64_raw(r);
    default: return UINT64_C(1700000000000000000) + fz_u16(r);
    }
}

static int64_t get_i64(fz_reader *r)
{
    switch (fz_u8(r) & 7) {
    case 0: return 0;
    case 1: return -1;
    case 2: return INT64_MIN;
    case 3: return INT64_MAX;
    case 4: return (int8_t)fz_u8(r);
    case 5: {
        uint64_t u = fz_u64_raw(r);
        int64_t v;
        memcpy(&v, &u, sizeof v);
        return v;
    }
    case 6: return fz_u16(r);
    default: return -(int64_t)fz_u16(r);
    }
}

static double get_double(fz_reader *r)
{
    static const double specials[] = {DBL_MAX, -DBL_MAX, DBL_MIN, 4.9406564584124654e-324, 1e16, 1e-5, 0.1, 1e300};
    switch (fz_u8(r) % 10) {
    case 0: return 0.0;
    case 1: return -0.0;
    case 2: return NAN;
    case 3: return INFINITY;
    case 4: return -INFINITY;
    case 5: return (int8_t)fz_u8(r);
    case 6:
    case 9: { /* any bits, NaN payloads included */
        uint64_t u = fz_u64_raw(r);
        double d;
        memcpy(&d, &u, sizeof d);
        return d;
    }
    case 7: return fz_u16(r) / 64.0 - 512.0;
    default: return specials[fz_u8(r) % (sizeof specials / sizeof specials[0])];
    }
}

/* Element counts, often right at an array limit's edge. */
static size_t get_count(fz_reader *r)
{
    static const size_t edges[] = {0, 1, 127, 128, 129, 255, 256, 257, 258, 300, 16, 17, 15, 2, 3, 11};
    uint8_t c = fz_u8(r);
    return c < 240 ? c % 24u : edges[c - 240];
}

/* A value of any type the API takes, or one it must refuse. `expect_arg` is
 * set when the builder must answer SR_ERR_ARG. False: scratch ran out. */
static bool get_value(fz_reader *r, sr_value *v, bool *expect_arg)
{
    *expect_arg = false;
    uint8_t t = fz_u8(r) % 11;
    switch (t) {
    case 0: {
        fz_str s = get_str(r);
        *v = sr_value_string(s.p, s.len);
        return s.p != NULL;
    }
    case 1: *v = sr_value_bool(fz_u8(r) & 1); return true;
    case 2: *v = sr_value_int(get_i64(r)); return true;
    case 3: *v = sr_value_double(get_double(r)); return true;
    case 4:
    case 5:
    case 6:
    case 7: {
        size_t n = get_count(r);
        bool each = fz_u8(r) & 1; /* each element from the input, or one repeated */
        if (t == 4) {
            sr_str *items = xmalloc(n * sizeof *items);
            fz_str one = each ? (fz_str){NULL, 0} : get_str(r);
            if (items == NULL || (!each && one.p == NULL))
                return false;
            for (size_t i = 0; i < n; i++) {
                fz_str s = each ? get_str(r) : one;
                if (s.p == NULL)
                    return false;
                items[i].ptr = s.p;
                items[i].len = s.len;
            }
            *v = sr_value_string_array(items, n);
        } else if (t == 5) {
            bool *items = xmalloc(n * sizeof *items);
            if (items == NULL)
                return false;
            uint8_t b = fz_u8(r);
            for (size_t i = 0; i < n; i++)
                items[i] = ((each ? fz_u8(r) : b) & 1) != 0;
            *v = sr_value_bool_array(items, n);
        } else if (t == 6) {
            int64_t *items = xmalloc(n * sizeof *items);
            if (items == NULL)
                return false;
            int64_t base = get_i64(r);
            for (size_t i = 0; i < n; i++)
                items[i] = each ? get_i64(r) : base;
            *v = sr_value_int_array(items, n);
        } else {
            double *items = xmalloc(n * sizeof *items);
            if (items == NULL)
                return false;
            double base = get_double(r);
            for (size_t i = 0; i < n; i++)
                items[i] = each ? get_double(r) : base + (double)i;
            *v = sr_value_double_array(items, n);
        }
        return true;
    }
    case 8: { /* not a value type of the contract */
        static const int bad[] = {0, 5, 16, 21, 99, 255, -1};
        *v = sr_value_int(1);
        v->type = (sr_value_type)bad[fz_u8(r) % (sizeof bad / sizeof bad[0])];
        *expect_arg = true;
        return true;
    }
    case 9: { /* an array with NULL items */
        static const sr_value_type arrays[] = {SR_VALUE_STRING_ARRAY, SR_VALUE_BOOL_ARRAY, SR_VALUE_INT_ARRAY,
                                               SR_VALUE_DOUBLE_ARRAY};
        v->type = arrays[fz_u8(r) % 4];
        v->count = 1 + fz_u8(r) % 3u;
        v->as.strings = NULL;
        *expect_arg = true;
        return true;
    }
    default: { /* an empty array with NULL items: allowed */
        static const sr_value_type arrays[] = {SR_VALUE_STRING_ARRAY, SR_VALUE_BOOL_ARRAY, SR_VALUE_INT_ARRAY,
                                               SR_VALUE_DOUBLE_ARRAY};
        v->type = arrays[fz_u8(r) % 4];
        v->count = 0;
        v->as.strings = NULL;
        return true;
    }
    }
}

static sr_point *pick_point(fz_reader *r)
{
    uint8_t b = fz_u8(r);
    return npts ? pts[b % npts] : NULL;
}

static sr_exemplar *pick_exemplar(fz_reader *r)
{
    uint8_t b = fz_u8(r);
    return nexs ? exs[b % nexs] : NULL;
}

/* ------------------------------------------------------------ call checking */

static sr_status last_call_st; /* of the last CALL */

static void check_status(sr_status st, const char *what)
{
    FZ_CHECK(st == SR_OK || st == SR_ERR_ARG || st == SR_ERR_ARENA, "%s returned %d", what, (int)st);
}

/* want >= 0: exactly that status; ANY: whatever check_status allows;
 * ARG_OR_ARENA: an invalid argument that the builder may only notice after
 * its first allocation, so with the arena exhausted it reports SR_ERR_ARENA
 * (e.g. an attribute value of no contract type: the entry and the key are
 * copied before the value's type is looked at). */
#define ANY (-1)
#define ARG_OR_ARENA (-2)
static bool status_wanted(sr_status st, int want)
{
    if (want == ANY)
        return true;
    if (want == ARG_OR_ARENA)
        return st == SR_ERR_ARG || st == SR_ERR_ARENA;
    return st == (sr_status)want;
}

/* The object's bytes, padding included, are what they were: a failed call
 * wrote nothing into it (so comparing the object representation, which
 * members-wise comparison would not cover, is the point here). */
static bool same_bytes(const void *before, const void *now, size_t n)
{
    return memcmp(before, now, n) == 0;
}

/* Runs a builder call on *obj; a failure must leave *obj and the arena's
 * use as they were. `want` >= 0: the status it must return. */
#define CALL(obj, want, expr)                                                                                  \
    do {                                                                                                       \
        unsigned char snap_[sizeof *(obj)];                                                                    \
        memcpy(snap_, (obj), sizeof snap_);                                                                    \
        size_t used_ = arena.used;                                                                             \
        int want_ = (int)(want); /* before the call: it may look at the arena */                              \
        sr_status st_ = (expr);                                                                                \
        last_call_st = st_;                                                                                    \
        check_status(st_, #expr);                                                                              \
        FZ_CHECK(status_wanted(st_, want_), "%s returned %d, not %d", #expr, (int)st_, want_);                 \
        if (st_ != SR_OK) {                                                                                    \
            FZ_CHECK(arena.used == used_, "%s failed (%d) yet keeps %zu arena bytes", #expr, (int)st_,         \
                     arena.used - used_);                                                                      \
            FZ_CHECK(same_bytes(snap_, (obj), sizeof snap_), "%s failed (%d) yet changed its object", #expr,     \
                     (int)st_);                                                                                \
        }                                                                                                      \
    } while (0)

/* The status copying a string of len bytes must have: the arena copy needs
 * len + 1 bytes, byte-aligned. */
static int str_want(const fz_str *s)
{
    if (s->p == NULL)
        return SR_ERR_ARG;
    return arena.size - arena.used < s->len + 1 ? SR_ERR_ARENA : SR_OK;
}

enum {
    OP_SET_STR,      /* field, string */
    OP_SET_CSTR,     /* field, string (NUL-terminated API) */
    OP_SET_KIND,     /* raw enum value 0..4 */
    OP_SET_TEMP,     /* raw enum value 0..3 */
    OP_SET_MONO,     /* bool */
    OP_ADD_ATTR,     /* map, [point|exemplar], key, value */
    OP_ADD_ATTR_C,   /* map, [point|exemplar], type, NUL-terminated key, value */
    OP_ADD_POINT,    /* - */
    OP_POINT_U64,    /* point, field, u64 */
    OP_POINT_DBL,    /* point, field, double */
    OP_POINT_INT,    /* point, i64 */
    OP_POINT_ARR,    /* point, which, count, mode, elements */
    OP_ADD_EX,       /* point */
    OP_EX_SET,       /* exemplar, field, value */
    OP_EX_ID,        /* exemplar, which, string */
    OP_BAD_ARGS,     /* which */
    OP_BATCH_STR,    /* which, string(s): applied to the telemetry batch at the end */
    OP_COUNT
};

/* Envelope strings for the telemetry batch and record, kept until the
 * batch exists (after validation). */
typedef struct pending {
    uint8_t which; /* 0 source_type, 1 source_instance, 2 source metadata,
                      3 record event_id, 4 record metadata */
    char *a, *b;
} pending;
#define MAX_PENDING 16
static pending pend[MAX_PENDING];
static size_t npend;

static void op_set_str(fz_reader *r, bool c_api)
{
    uint8_t field = fz_u8(r) % 9;
    fz_str s = get_str(r);
    if (s.p == NULL)
        return;
    int want = str_want(&s);
    if (c_api) {
        char *c = cstr(s);
        if (c == NULL)
            return;
        s.len = strlen(c);
        want = str_want(&s);
        switch (field) {
        case 0: CALL(&m, want, sr_otel_metric_set_name(&m, c)); break;
        case 1: CALL(&m, want, sr_otel_metric_set_description(&m, c)); break;
        case 2: CALL(&m, want, sr_otel_metric_set_unit(&m, c)); break;
        case 3: CALL(&m, want, sr_otel_metric_set_resource_service_name(&m, c)); break;
        case 4: CALL(&m, want, sr_otel_metric_set_resource_service_namespace(&m, c)); break;
        case 5: CALL(&m, want, sr_otel_metric_set_resource_service_version(&m, c)); break;
        case 6: CALL(&m, want, sr_otel_metric_set_resource_service_instance_id(&m, c)); break;
        case 7: CALL(&m, want, sr_otel_metric_set_scope_name(&m, c)); break;
        default: CALL(&m, want, sr_otel_metric_set_scope_version(&m, c)); break;
        }
        return;
    }
    switch (field) {
    case 0: CALL(&m, want, sr_otel_metric_set_name_n(&m, s.p, s.len)); break;
    case 1: CALL(&m, want, sr_otel_metric_set_description_n(&m, s.p, s.len)); break;
    case 2: CALL(&m, want, sr_otel_metric_set_unit_n(&m, s.p, s.len)); break;
    case 3: CALL(&m, want, sr_otel_metric_set_resource_service_name_n(&m, s.p, s.len)); break;
    case 4: CALL(&m, want, sr_otel_metric_set_resource_service_namespace_n(&m, s.p, s.len)); break;
    case 5: CALL(&m, want, sr_otel_metric_set_resource_service_version_n(&m, s.p, s.len)); break;
    case 6: CALL(&m, want, sr_otel_metric_set_resource_service_instance_id_n(&m, s.p, s.len)); break;
    case 7: CALL(&m, want, sr_otel_metric_set_scope_name_n(&m, s.p, s.len)); break;
    default: CALL(&m, want, sr_otel_metric_set_scope_version_n(&m, s.p, s.len)); break;
    }
}

static void op_add_attr(fz_reader *r)
{
    uint8_t map = fz_u8(r) % 4;
    sr_point *p = map == 2 ? pick_point(r) : NULL;
    sr_exemplar *e = map == 3 ? pick_exemplar(r) : NULL;
    fz_str key = get_str(r);
    sr_value v;
    bool expect_arg;
    if (key.p == NULL || !get_value(r, &v, &expect_arg))
        return;
    int want = expect_arg ? ARG_OR_ARENA : ANY;
    switch (map) {
    case 0: CALL(&m, want, sr_otel_metric_add_metadata(&m, key.p, key.len, &v)); break;
    case 1: CALL(&m, want, sr_otel_metric_add_resource_attribute(&m, key.p, key.len, &v)); break;
    case 2:
        if (p)
            CALL(p, want, sr_point_add_attribute(p, key.p, key.len, &v));
        break;
    default:
        if (e)
            CALL(e, want, sr_exemplar_add_filtered_attribute(e, key.p, key.len, &v));
        break;
    }
}

/* The typed convenience adders (NUL-terminated key and string value). */
static void op_add_attr_c(fz_reader *r)
{
    uint8_t map = fz_u8(r) % 4, type = fz_u8(r) % 4;
    sr_point *p = map == 2 ? pick_point(r) : NULL;
    sr_exemplar *e = map == 3 ? pick_exemplar(r) : NULL;
    char *key = cstr(get_str(r));
    if (key == NULL)
        return;
    char *sv = NULL;
    bool bv = false;
    int64_t iv = 0;
    double dv = 0;
    switch (type) {
    case 0:
        if ((sv = cstr(get_str(r))) == NULL)
            return;
        break;
    case 1: bv = fz_u8(r) & 1; break;
    case 2: iv = get_i64(r); break;
    default: dv = get_double(r); break;
    }
#define ADD_TYPED(obj, prefix, target)                                             \
    switch (type) {                                                                \
    case 0: CALL(obj, ANY, prefix##_string(target, key, sv)); break;                \
    case 1: CALL(obj, ANY, prefix##_bool(target, key, bv)); break;                  \
    case 2: CALL(obj, ANY, prefix##_int(target, key, iv)); break;                   \
    default: CALL(obj, ANY, prefix##_double(target, key, dv)); break;               \
    }
    switch (map) {
    case 0: ADD_TYPED(&m, sr_otel_metric_add_metadata, &m); break;
    case 1: ADD_TYPED(&m, sr_otel_metric_add_resource_attribute, &m); break;
    case 2:
        if (p) {
            ADD_TYPED(p, sr_point_add_attribute, p);
        }
        break;
    default:
        if (e) {
            ADD_TYPED(e, sr_exemplar_add_filtered_attribute, e);
        }
        break;
    }
#undef ADD_TYPED
}

static void op_point_arr(fz_reader *r)
{
    sr_point *p = pick_point(r);
    bool bounds = fz_u8(r) & 1;
    size_t n = get_count(r);
    uint8_t mode = fz_u8(r) % 3; /* 0 generated, 1 from the input, 2 NULL items */
    if (p == NULL)
        return;
    if (mode == 2) {
        int want = n ? SR_ERR_ARG : ANY;
        if (bounds)
            CALL(p, want, sr_point_set_explicit_bounds(p, NULL, n));
        else
            CALL(p, want, sr_point_set_bucket_counts(p, NULL, n));
        return;
    }
    if (bounds) {
        double *items = xmalloc(n * sizeof *items);
        if (items == NULL)
            return;
        double start = mode ? 0 : get_double(r);
        for (size_t i = 0; i < n; i++)
            items[i] = mode ? get_double(r) : start + (double)i;
        CALL(p, ANY, sr_point_set_explicit_bounds(p, items, n));
    } else {
        uint64_t *items = xmalloc(n * sizeof *items);
        if (items == NULL)
            return;
        uint64_t each = mode ? 0 : get_u64(r);
        for (size_t i = 0; i < n; i++)
            items[i] = mode ? get_u64(r) : each;
        CALL(p, ANY, sr_point_set_bucket_counts(p, items, n));
    }
}

/* Calls that must be refused with SR_ERR_ARG and change nothing. */
static void op_bad_args(fz_reader *r)
{
    uint8_t which = fz_u8(r) % 14;
    sr_point *p = npts ? pts[0] : NULL;
    sr_exemplar *e = nexs ? exs[0] : NULL;
    sr_value v = sr_value_int(1);
    size_t len = 0;
    char one[1];
    switch (which) {
    case 0: CALL(&m, SR_ERR_ARG, sr_otel_metric_set_name(NULL, "x")); break;
    case 1: CALL(&m, SR_ERR_ARG, sr_otel_metric_set_name_n(&m, NULL, 3)); break;
    case 2: CALL(&m, SR_ERR_ARG, sr_otel_metric_add_point(&m, NULL)); break;
    case 3: CALL(&m, SR_ERR_ARG, sr_otel_metric_add_metadata(&m, NULL, 1, &v)); break;
    case 4: CALL(&m, SR_ERR_ARG, sr_otel_metric_add_metadata(&m, "k", 1, NULL)); break;
    case 5: CALL(&m, SR_ERR_ARG, sr_otel_metric_add_resource_attribute_string(&m, "k", NULL)); break;
    case 6: CALL(&m, SR_ERR_ARG, sr_otel_metric_set_temporality(&m, (sr_aggregation_temporality)0)); break;
    case 7: CALL(&m, SR_ERR_ARG, sr_otel_metric_validate(NULL, NULL)); break;
    case 8: CALL(&m, SR_ERR_ARG, sr_otel_metric_to_json(&m, NULL, 5, &len)); break;
    case 9: CALL(&m, SR_ERR_ARG, sr_otel_metric_to_json(&m, one, 1, NULL)); break;
    case 10: CALL(&m, SR_ERR_ARG, sr_otel_metric_init(&m, NULL)); break;
    case 11:
        if (p)
            CALL(p, SR_ERR_ARG, sr_point_add_exemplar(p, NULL));
        break;
    case 12:
        if (p)
            CALL(p, SR_ERR_ARG, sr_point_add_attribute_string(p, NULL, "v"));
        break;
    default:
        if (e)
            CALL(e, SR_ERR_ARG, sr_exemplar_set_trace_id(e, NULL));
        break;
    }
}

static void run_op(fz_reader *r)
{
    uint8_t op = fz_u8(r) % OP_COUNT;
    switch (op) {
    case OP_SET_STR: op_set_str(r, false); break;
    case OP_SET_CSTR: op_set_str(r, true); break;
    case OP_SET_KIND: {
        int k = fz_u8(r) % 5;
        CALL(&m, k >= 1 && k <= 3 ? SR_OK : SR_ERR_ARG, sr_otel_metric_set_kind(&m, (sr_metric_kind)k));
        break;
    }
    case OP_SET_TEMP: {
        int t = fz_u8(r) % 4;
        CALL(&m, t >= 1 && t <= 2 ? SR_OK : SR_ERR_ARG,
             sr_otel_metric_set_temporality(&m, (sr_aggregation_temporality)t));
        break;
    }
    case OP_SET_MONO: {
        bool b = fz_u8(r) & 1;
        CALL(&m, SR_OK, sr_otel_metric_set_is_monotonic(&m, b));
        break;
    }
    case OP_ADD_ATTR: op_add_attr(r); break;
    case OP_ADD_ATTR_C: op_add_attr_c(r); break;
    case OP_ADD_POINT: {
        sr_point *p = NULL;
        CALL(&m, ANY, sr_otel_metric_add_point(&m, &p));
        if (p != NULL && npts < MAX_TRACK)
            pts[npts++] = p;
        break;
    }
    case OP_POINT_U64: {
        sr_point *p = pick_point(r);
        uint8_t field = fz_u8(r) % 4;
        uint64_t v = get_u64(r);
        if (p == NULL)
            break;
        switch (field) {
        case 0: CALL(p, SR_OK, sr_point_set_time_unix_nano(p, v)); break;
        case 1: CALL(p, SR_OK, sr_point_set_start_time_unix_nano(p, v)); break;
        case 2: CALL(p, SR_OK, sr_point_set_count(p, v)); break;
        default: CALL(p, SR_OK, sr_point_set_flags(p, (uint32_t)v)); break;
        }
        break;
    }
    case OP_POINT_DBL: {
        sr_point *p = pick_point(r);
        uint8_t field = fz_u8(r) % 4;
        double v = get_double(r);
        if (p == NULL)
            break;
        switch (field) {
        case 0: CALL(p, SR_OK, sr_point_set_as_double(p, v)); break;
        case 1: CALL(p, SR_OK, sr_point_set_sum(p, v)); break;
        case 2: CALL(p, SR_OK, sr_point_set_min(p, v)); break;
        default: CALL(p, SR_OK, sr_point_set_max(p, v)); break;
        }
        break;
    }
    case OP_POINT_INT: {
        sr_point *p = pick_point(r);
        int64_t v = get_i64(r);
        if (p)
            CALL(p, SR_OK, sr_point_set_as_int(p, v));
        break;
    }
    case OP_POINT_ARR: op_point_arr(r); break;
    case OP_ADD_EX: {
        sr_point *p = pick_point(r);
        sr_exemplar *e = NULL;
        if (p == NULL)
            break;
        CALL(p, ANY, sr_point_add_exemplar(p, &e));
        if (e != NULL && nexs < MAX_TRACK)
            exs[nexs++] = e;
        break;
    }
    case OP_EX_SET: {
        sr_exemplar *e = pick_exemplar(r);
        uint8_t field = fz_u8(r) % 3;
        if (field == 0) {
            uint64_t v = get_u64(r);
            if (e)
                CALL(e, SR_OK, sr_exemplar_set_time_unix_nano(e, v));
        } else if (field == 1) {
            double v = get_double(r);
            if (e)
                CALL(e, SR_OK, sr_exemplar_set_as_double(e, v));
        } else {
            int64_t v = get_i64(r);
            if (e)
                CALL(e, SR_OK, sr_exemplar_set_as_int(e, v));
        }
        break;
    }
    case OP_EX_ID: {
        sr_exemplar *e = pick_exemplar(r);
        uint8_t which = fz_u8(r);
        fz_str s = get_str(r);
        if (e == NULL || s.p == NULL)
            break;
        if (which & 2) { /* the NUL-terminated API */
            char *c = cstr(s);
            if (c == NULL)
                break;
            s.len = strlen(c);
            if (which & 1)
                CALL(e, str_want(&s), sr_exemplar_set_span_id(e, c));
            else
                CALL(e, str_want(&s), sr_exemplar_set_trace_id(e, c));
        } else if (which & 1) {
            CALL(e, str_want(&s), sr_exemplar_set_span_id_n(e, s.p, s.len));
        } else {
            CALL(e, str_want(&s), sr_exemplar_set_trace_id_n(e, s.p, s.len));
        }
        break;
    }
    case OP_BATCH_STR: {
        uint8_t which = fz_u8(r) % 5;
        char *a = cstr(get_str(r));
        char *b = which == 2 || which == 4 ? cstr(get_str(r)) : NULL;
        if (a != NULL && (b != NULL || (which != 2 && which != 4)) && npend < MAX_PENDING)
            pend[npend++] = (pending){which, a, b};
        break;
    }
    default: op_bad_args(r); break;
    }
}

/* ------------------------------------------------------------ reading the JSON back */

static bool get_key(json_object *obj, const char *key, json_object **out)
{
    return json_object_object_get_ex(obj, key, out);
}

static void cmp_str(json_object *obj, const char *key, sr_str s, int *keys)
{
    json_object *j;
    bool has = get_key(obj, key, &j);
    FZ_CHECK(has == (s.ptr != NULL), "\"%s\" present: %d", key, (int)has);
    if (!has)
        return;
    (*keys)++;
    FZ_CHECK(json_object_is_type(j, json_type_string) && (size_t)json_object_get_string_len(j) == s.len
                 && memcmp(json_object_get_string(j), s.ptr, s.len) == 0,
             "\"%s\" reads back differently", key);
}

static bool is_unsigned_big(json_object *j)
{
    return json_object_get_int64(j) == INT64_MAX && json_object_get_uint64(j) > (uint64_t)INT64_MAX;
}

static void cmp_u64_j(json_object *j, uint64_t v, const char *what)
{
    FZ_CHECK(json_object_is_type(j, json_type_int) && json_object_get_uint64(j) == v
                 && (v > (uint64_t)INT64_MAX || json_object_get_int64(j) >= 0),
             "%s: %llu reads back differently", what, (unsigned long long)v);
}

static void cmp_i64_j(json_object *j, int64_t v, const char *what)
{
    FZ_CHECK(json_object_is_type(j, json_type_int) && !is_unsigned_big(j) && json_object_get_int64(j) == v,
             "%s: %lld reads back differently", what, (long long)v);
}

static uint64_t bits_of(double v)
{
    uint64_t b;
    memcpy(&b, &v, sizeof b);
    return b;
}

/* Bit for bit: -0.0 must come back as -0.0. */
static void cmp_dbl_j(json_object *j, double v, const char *what)
{
    double got = json_object_is_type(j, json_type_double) ? json_object_get_double(j) : NAN;
    FZ_CHECK(json_object_is_type(j, json_type_double) && bits_of(got) == bits_of(v), "%s: %a reads back as %a",
             what, v, got);
}

static void cmp_string_j(json_object *j, sr_str s, const char *what)
{
    FZ_CHECK(json_object_is_type(j, json_type_string) && (size_t)json_object_get_string_len(j) == s.len
                 && memcmp(json_object_get_string(j), s.ptr, s.len) == 0,
             "%s reads back differently", what);
}

static void cmp_bool_j(json_object *j, bool b, const char *what)
{
    FZ_CHECK(json_object_is_type(j, json_type_boolean) && json_object_get_boolean(j) == b,
             "%s reads back differently", what);
}

static void cmp_u64(json_object *obj, const char *key, bool present, uint64_t v, int *keys)
{
    json_object *j;
    bool has = get_key(obj, key, &j);
    FZ_CHECK(has == present, "\"%s\" present: %d", key, (int)has);
    if (has) {
        (*keys)++;
        cmp_u64_j(j, v, key);
    }
}

static void cmp_i64(json_object *obj, const char *key, bool present, int64_t v, int *keys)
{
    json_object *j;
    bool has = get_key(obj, key, &j);
    FZ_CHECK(has == present, "\"%s\" present: %d", key, (int)has);
    if (has) {
        (*keys)++;
        cmp_i64_j(j, v, key);
    }
}

static void cmp_dbl(json_object *obj, const char *key, bool present, double v, int *keys)
{
    json_object *j;
    bool has = get_key(obj, key, &j);
    FZ_CHECK(has == present, "\"%s\" present: %d", key, (int)has);
    if (has) {
        (*keys)++;
        cmp_dbl_j(j, v, key);
    }
}

static void cmp_value(json_object *j, const sr_value *v)
{
    switch (v->type) {
    case SR_VALUE_STRING: cmp_string_j(j, v->as.string_, "string value"); return;
    case SR_VALUE_BOOL: cmp_bool_j(j, v->as.bool_, "bool value"); return;
    case SR_VALUE_INT: cmp_i64_j(j, v->as.int_, "int value"); return;
    case SR_VALUE_DOUBLE: cmp_dbl_j(j, v->as.double_, "double value"); return;
    default: break;
    }
    FZ_CHECK(json_object_is_type(j, json_type_array) && json_object_array_length(j) == v->count,
             "array value of %zu reads back differently", v->count);
    for (size_t i = 0; i < v->count; i++) {
        json_object *x = json_object_array_get_idx(j, i);
        switch (v->type) {
        case SR_VALUE_STRING_ARRAY: cmp_string_j(x, v->as.strings[i], "string array element"); break;
        case SR_VALUE_BOOL_ARRAY: cmp_bool_j(x, v->as.bools[i], "bool array element"); break;
        case SR_VALUE_INT_ARRAY: cmp_i64_j(x, v->as.ints[i], "int array element"); break;
        default: cmp_dbl_j(x, v->as.doubles[i], "double array element"); break;
        }
    }
}

/* A map: keys in insertion order with their values. Maps json-c cannot
 * mirror (a repeated key, a key holding NUL) are only checked for size. */
static void cmp_attrs(json_object *obj, const char *key, const sr_attributes *map, int *keys)
{
    json_object *j;
    bool has = get_key(obj, key, &j);
    FZ_CHECK(has == (map->count != 0), "\"%s\" present: %d", key, (int)has);
    if (!has)
        return;
    (*keys)++;
    FZ_CHECK(json_object_is_type(j, json_type_object), "\"%s\" is not an object", key);
    bool simple = true;
    for (const sr_attribute *e = map->head; e && simple; e = e->next) {
        if (memchr(e->key.ptr, 0, e->key.len) != NULL)
            simple = false;
        for (const sr_attribute *prev = map->head; prev != e && simple; prev = prev->next)
            if (prev->key.len == e->key.len && memcmp(prev->key.ptr, e->key.ptr, e->key.len) == 0)
                simple = false;
    }
    size_t n = (size_t)json_object_object_length(j);
    if (!simple) {
        FZ_CHECK(n <= map->count, "\"%s\": %zu keys for %zu entries", key, n, map->count);
        return;
    }
    FZ_CHECK(n == map->count, "\"%s\": %zu keys for %zu entries", key, n, map->count);
    const sr_attribute *e = map->head;
    json_object_object_foreach(j, k, val) {
        /* the arena copy of a key is NUL-terminated */
        FZ_CHECK(e != NULL && strcmp(k, e->key.ptr) == 0, "\"%s\": keys out of insertion order", key);
        cmp_value(val, &e->value);
        e = e->next;
    }
}

static void cmp_exemplar(json_object *j, const sr_exemplar *e)
{
    int keys = 0;
    FZ_CHECK(json_object_is_type(j, json_type_object), "exemplar is not an object");
    cmp_u64(j, "time_unix_nano", e->present & SR_EXEMPLAR_HAS_TIME_UNIX_NANO, e->time_unix_nano, &keys);
    cmp_dbl(j, "as_double", e->present & SR_EXEMPLAR_HAS_AS_DOUBLE, e->as_double, &keys);
    cmp_i64(j, "as_int", e->present & SR_EXEMPLAR_HAS_AS_INT, e->as_int, &keys);
    cmp_attrs(j, "filtered_attributes", &e->filtered_attributes, &keys);
    cmp_str(j, "trace_id", e->trace_id, &keys);
    cmp_str(j, "span_id", e->span_id, &keys);
    FZ_CHECK(json_object_object_length(j) == keys, "exemplar has %d keys, not %d", json_object_object_length(j), keys);
}

static void cmp_point(json_object *j, const sr_point *p)
{
    int keys = 0;
    json_object *a;
    FZ_CHECK(json_object_is_type(j, json_type_object), "point is not an object");
    cmp_u64(j, "time_unix_nano", p->present & SR_POINT_HAS_TIME_UNIX_NANO, p->time_unix_nano, &keys);
    cmp_u64(j, "start_time_unix_nano", p->present & SR_POINT_HAS_START_TIME_UNIX_NANO, p->start_time_unix_nano,
            &keys);
    cmp_attrs(j, "attributes", &p->attributes, &keys);
    cmp_u64(j, "flags", p->present & SR_POINT_HAS_FLAGS, p->flags, &keys);
    cmp_dbl(j, "as_double", p->present & SR_POINT_HAS_AS_DOUBLE, p->as_double, &keys);
    cmp_i64(j, "as_int", p->present & SR_POINT_HAS_AS_INT, p->as_int, &keys);
    cmp_u64(j, "count", p->present & SR_POINT_HAS_COUNT, p->count, &keys);
    cmp_dbl(j, "sum", p->present & SR_POINT_HAS_SUM, p->sum, &keys);
    cmp_dbl(j, "min", p->present & SR_POINT_HAS_MIN, p->min, &keys);
    cmp_dbl(j, "max", p->present & SR_POINT_HAS_MAX, p->max, &keys);
    bool has = get_key(j, "bucket_counts", &a);
    FZ_CHECK(has == (p->bucket_counts.count != 0), "bucket_counts present: %d", (int)has);
    if (has) {
        keys++;
        FZ_CHECK(json_object_is_type(a, json_type_array) && json_object_array_length(a) == p->bucket_counts.count,
                 "bucket_counts length");
        for (size_t i = 0; i < p->bucket_counts.count; i++)
            cmp_u64_j(json_object_array_get_idx(a, i), p->bucket_counts.items[i], "bucket count");
    }
    has = get_key(j, "explicit_bounds", &a);
    FZ_CHECK(has == (p->explicit_bounds.count != 0), "explicit_bounds present: %d", (int)has);
    if (has) {
        keys++;
        FZ_CHECK(json_object_is_type(a, json_type_array) && json_object_array_length(a) == p->explicit_bounds.count,
                 "explicit_bounds length");
        for (size_t i = 0; i < p->explicit_bounds.count; i++)
            cmp_dbl_j(json_object_array_get_idx(a, i), p->explicit_bounds.items[i], "explicit bound");
    }
    has = get_key(j, "exemplars", &a);
    FZ_CHECK(has == (p->exemplars.count != 0), "exemplars present: %d", (int)has);
    if (has) {
        keys++;
        FZ_CHECK(json_object_is_type(a, json_type_array) && json_object_array_length(a) == p->exemplars.count,
                 "exemplars length");
        size_t i = 0;
        for (const sr_exemplar *e = p->exemplars.head; e; e = e->next, i++)
            cmp_exemplar(json_object_array_get_idx(a, i), e);
    }
    FZ_CHECK(json_object_object_length(j) == keys, "point has %d keys, not %d", json_object_object_length(j), keys);
}

/* The whole document against the metric the builder holds. */
static void cmp_metric(json_object *doc)
{
    int keys = 0;
    json_object *j, *o;
    FZ_CHECK(json_object_is_type(doc, json_type_object), "output is not an object");
    FZ_CHECK(get_key(doc, "schema_version", &j) && json_object_is_type(j, json_type_int)
                 && json_object_get_int64(j) == SR_PAYLOAD_KIND_OTEL_METRIC_SCHEMA_VERSION,
             "schema_version");
    keys++;
    bool has = get_key(doc, "resource", &o);
    FZ_CHECK(has == sr_resource_is_present(&m.resource), "resource present: %d", (int)has);
    if (has) {
        int rkeys = 0;
        keys++;
        has = get_key(o, "service", &j);
        FZ_CHECK(has == sr_service_is_present(&m.resource.service), "service present: %d", (int)has);
        if (has) {
            int skeys = 0;
            rkeys++;
            cmp_str(j, "name", m.resource.service.name, &skeys);
            cmp_str(j, "namespace", m.resource.service.namespace_, &skeys);
            cmp_str(j, "version", m.resource.service.version, &skeys);
            cmp_str(j, "instance_id", m.resource.service.instance_id, &skeys);
            FZ_CHECK(json_object_object_length(j) == skeys, "service keys");
        }
        cmp_attrs(o, "attributes", &m.resource.attributes, &rkeys);
        FZ_CHECK(json_object_object_length(o) == rkeys, "resource keys");
    }
    has = get_key(doc, "scope", &o);
    FZ_CHECK(has == sr_scope_is_present(&m.scope), "scope present: %d", (int)has);
    if (has) {
        int skeys = 0;
        keys++;
        cmp_str(o, "name", m.scope.name, &skeys);
        cmp_str(o, "version", m.scope.version, &skeys);
        FZ_CHECK(json_object_object_length(o) == skeys, "scope keys");
    }
    cmp_str(doc, "name", m.name, &keys);
    cmp_str(doc, "description", m.description, &keys);
    cmp_str(doc, "unit", m.unit, &keys);
    has = get_key(doc, "kind", &j);
    FZ_CHECK(has == ((m.present & SR_OTEL_METRIC_HAS_KIND) != 0), "kind present: %d", (int)has);
    if (has) {
        keys++;
        FZ_CHECK(json_object_is_type(j, json_type_string) && strcmp(json_object_get_string(j), sr_metric_kind_name(m.kind)) == 0,
                 "kind");
    }
    has = get_key(doc, "temporality", &j);
    FZ_CHECK(has == ((m.present & SR_OTEL_METRIC_HAS_TEMPORALITY) != 0), "temporality present: %d", (int)has);
    if (has) {
        keys++;
        FZ_CHECK(json_object_is_type(j, json_type_string)
                     && strcmp(json_object_get_string(j), sr_aggregation_temporality_name(m.temporality)) == 0,
                 "temporality");
    }
    has = get_key(doc, "is_monotonic", &j);
    FZ_CHECK(has == ((m.present & SR_OTEL_METRIC_HAS_IS_MONOTONIC) != 0), "is_monotonic present: %d", (int)has);
    if (has) {
        keys++;
        FZ_CHECK(json_object_is_type(j, json_type_boolean) && json_object_get_boolean(j) == m.is_monotonic,
                 "is_monotonic");
    }
    cmp_attrs(doc, "metadata", &m.metadata, &keys);
    has = get_key(doc, "points", &j);
    FZ_CHECK(has == (m.points.count != 0), "points present: %d", (int)has);
    if (has) {
        keys++;
        FZ_CHECK(json_object_is_type(j, json_type_array) && json_object_array_length(j) == m.points.count,
                 "points length");
        size_t i = 0;
        for (const sr_point *p = m.points.head; p; p = p->next, i++)
            cmp_point(json_object_array_get_idx(j, i), p);
    }
    FZ_CHECK(json_object_object_length(doc) == keys, "metric has %d keys, not %d", json_object_object_length(doc),
             keys);
}

/* ------------------------------------------------------------ the checks after building */

static sr_violation big_storage[BIG_REPORT];
static bool verbose;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    verbose = getenv("FZ_VERBOSE") != NULL;
    return 0;
}

static void check_report(const sr_report *rep, size_t capacity, const sr_report *big)
{
    FZ_CHECK(rep->errors == big->errors && rep->warnings == big->warnings, "counts depend on the capacity");
    size_t total = rep->errors + rep->warnings;
    FZ_CHECK(rep->stored == (total < capacity ? total : capacity), "stored %zu of %zu with capacity %zu",
             rep->stored, total, capacity);
    for (size_t i = 0; i < rep->stored; i++) {
        const sr_violation *v = &rep->items[i];
        FZ_CHECK((unsigned)v->rule < SR_RULE_COUNT && sr_rule_id(v->rule) != NULL, "rule %d", (int)v->rule);
        FZ_CHECK(v->severity == sr_rule_severity(v->rule), "severity of %s", sr_rule_id(v->rule));
        FZ_CHECK(memchr(v->path, 0, SR_PATH_MAX) != NULL, "path of %s is not terminated", sr_rule_id(v->rule));
        FZ_CHECK(i >= big->stored || (v->rule == big->items[i].rule && strcmp(v->path, big->items[i].path) == 0),
                 "violation %zu differs from the large report's", i);
    }
}

static bool big_report_has(const sr_report *big, sr_rule rule)
{
    for (size_t i = 0; i < big->stored; i++)
        if (big->items[i].rule == rule)
            return true;
    return false;
}

/* Whether a settable envelope string is valid UTF-8 now: the new value's
 * validity if the setter succeeded, else what it was. */
static bool st_ok(bool before, bool value_ok)
{
    return last_call_st == SR_OK ? value_ok : before;
}

static void check_telemetry(const char *json, size_t json_len)
{
    sr_telemetry_batch b;
    sr_telemetry_record *rec = NULL;
    FZ_CHECK(sr_telemetry_batch_init(&b, &arena) == SR_OK, "batch init");
    size_t used = arena.used;
    sr_status st = sr_telemetry_record_otel_metric(&b, &m, NULL, &rec);
    FZ_CHECK(st == SR_OK || st == SR_ERR_ARENA, "record_otel_metric returned %d for a valid metric", (int)st);
    if (st != SR_OK) {
        FZ_CHECK(rec == NULL && b.records.count == 0 && b.records.head == NULL && arena.used == used,
                 "a refused record left something behind");
        return;
    }
    FZ_CHECK(rec != NULL && b.records.count == 1, "one record");
    FZ_CHECK(rec->payload.len == json_len && memcmp(rec->payload.ptr, json, json_len) == 0,
             "the record's payload is not the metric's JSON");
    /* The envelope's strings: never validated by the builder, so invalid
     * UTF-8 in any of them must stop the emit before the first host call.
     * A metadata map holds one value per key (a key set again replaces its
     * value: contract envelope.string_map), so what counts is each key's
     * last value that went in. */
    bool type_ok = true, instance_ok = true, event_ok = true;
    struct {
        uint8_t which;
        const char *key;
        bool ok;
    } held[MAX_PENDING];
    size_t nheld = 0;
    for (size_t i = 0; i < npend; i++) {
        const pending *q = &pend[i];
        bool ok = sr_utf8_valid(q->a, strlen(q->a)) && (q->b == NULL || sr_utf8_valid(q->b, strlen(q->b)));
        switch (q->which) {
        case 0: CALL(&b, ANY, sr_telemetry_batch_set_source_type(&b, q->a)); type_ok = st_ok(type_ok, ok); break;
        case 1:
            CALL(&b, ANY, sr_telemetry_batch_set_source_instance(&b, q->a));
            instance_ok = st_ok(instance_ok, ok);
            break;
        case 2: CALL(&b, ANY, sr_telemetry_batch_add_source_metadata(&b, q->a, q->b)); break;
        case 3: CALL(rec, ANY, sr_telemetry_record_set_event_id(rec, q->a)); event_ok = st_ok(event_ok, ok); break;
        default: CALL(rec, ANY, sr_telemetry_record_add_metadata(rec, q->a, q->b)); break;
        }
        if ((q->which == 2 || q->which > 3) && last_call_st == SR_OK) {
            const uint8_t map = q->which == 2 ? 2 : 4;
            size_t k = 0;
            while (k < nheld && !(held[k].which == map && strcmp(held[k].key, q->a) == 0))
                k++;
            if (k == nheld) {
                held[nheld].which = map;
                held[nheld++].key = q->a;
            }
            held[k].ok = ok;
        }
    }
    bool meta_ok = true;
    for (size_t k = 0; k < nheld; k++)
        meta_ok = meta_ok && held[k].ok;
    const bool envelope_ok = type_ok && instance_ok && event_ok && meta_ok;
    sr_telemetry_record_set_observed_time_unix_nano(rec, 1); /* so the batch JSON is fixed */

    size_t used_after_record = arena.used;
    fake_host_reset();
    sr_emit_report sent;
    st = sr_emit_telemetry(&b, &sent);
    if (verbose)
        (void)fprintf(stderr, "emit: status %d, %zu host calls (envelope UTF-8 %s)\n", (int)st, fake.count,
                      envelope_ok ? "valid" : "invalid");
    FZ_CHECK(st == SR_OK || st == SR_ERR_ARENA || st == SR_ERR_UTF8, "emit returned %d", (int)st);
    FZ_CHECK((st == SR_ERR_UTF8) == !envelope_ok, "emit returned %d with envelope UTF-8 %s", (int)st,
             envelope_ok ? "valid" : "invalid");
    FZ_CHECK(arena.used == used_after_record, "emit kept arena bytes");
    if (st != SR_OK) {
        FZ_CHECK(fake.count == 0 && sent.calls == 0 && sent.records_sent == 0, "a failed emit called the host");
        return;
    }
    FZ_CHECK(fake.count == 1 && sent.calls == 1 && sent.records_sent == 1, "one host call for one record");
    const fake_call *c = &fake.calls[0];
    /* One chunk: exactly what sr_telemetry_batch_to_json writes. */
    size_t blen = 0;
    char *whole = xmalloc(c->size);
    FZ_CHECK(whole != NULL && sr_telemetry_batch_to_json(&b, whole, c->size, &blen) == SR_OK && blen == c->size
                 && memcmp(whole, c->payload, blen) == 0,
             "the emitted chunk is not the batch's JSON");
    FZ_CHECK(c->payload != NULL && fz_utf8_valid_ref(c->payload, c->size), "emitted payload is not UTF-8");
    json_object *doc = fz_parse_strict(c->payload, c->size);
    FZ_CHECK(doc != NULL, "json-c does not parse the emitted batch");
    json_object_put(doc);
    /* the metric's canonical JSON is in the batch as is */
    bool found = false;
    for (size_t i = 0; i + json_len <= c->size && !found; i++)
        found = memcmp(c->payload + i, json, json_len) == 0;
    FZ_CHECK(found, "the emitted batch does not hold the metric's JSON");
    fake_host_reset();
}

static void check_metric(uint8_t report_mode, uint8_t buf_mode, fz_reader *r)
{
    /* A report big enough for every violation, the fuzzed one, and none. */
    sr_report big;
    sr_report_init(&big, big_storage, BIG_REPORT);
    sr_status v_big = sr_otel_metric_validate(&m, &big);
    FZ_CHECK(v_big == (big.errors ? SR_ERR_INVALID : SR_OK), "status %d with %zu errors", (int)v_big, big.errors);
    FZ_CHECK(big.stored == big.errors + big.warnings || big.stored == BIG_REPORT, "large report stored %zu",
             big.stored);
    FZ_CHECK(sr_otel_metric_validate(&m, NULL) == v_big, "validate without a report differs");
    size_t capacity = report_mode >> 3;
    if (capacity != 31) { /* 31: no report at all, checked above */
        sr_violation *items = capacity ? xmalloc(capacity * sizeof *items) : NULL;
        sr_report rep;
        sr_report_init(&rep, items, items ? capacity : 0);
        if (!items)
            capacity = 0;
        FZ_CHECK(sr_otel_metric_validate(&m, &rep) == v_big, "validate status depends on the capacity");
        check_report(&rep, capacity, &big);
        /* A report reused for a second validation keeps counting. */
        FZ_CHECK(sr_otel_metric_validate(&m, &rep) == v_big, "second validation");
        FZ_CHECK(rep.errors == 2 * big.errors && rep.warnings == 2 * big.warnings, "a reused report restarts");
    }

    /* Size pass. */
    size_t need = 0;
    sr_status s_size = sr_otel_metric_json_size(&m, &need);
    bool complete = big.stored == big.errors + big.warnings;
    if (s_size != SR_OK) {
        FZ_CHECK(s_size == SR_ERR_NOT_FINITE || s_size == SR_ERR_UTF8, "json_size returned %d", (int)s_size);
        FZ_CHECK(need == 0, "json_size gave %zu with status %d", need, (int)s_size);
        FZ_CHECK(v_big != SR_OK, "validate accepted a metric the serializer refuses (%d)", (int)s_size);
        FZ_CHECK(!complete || big_report_has(&big, s_size == SR_ERR_UTF8 ? SR_RULE_STRING_UTF8 : SR_RULE_DOUBLE_FINITE),
                 "serializer refuses (%d) what the validator did not flag", (int)s_size);
    } else {
        FZ_CHECK(need >= 20, "need %zu", need);
        FZ_CHECK(!complete || (!big_report_has(&big, SR_RULE_STRING_UTF8) && !big_report_has(&big, SR_RULE_DOUBLE_FINITE)),
                 "validator flags UTF-8 or a non-finite double the serializer writes");
    }

    /* Exactly the size needed. */
    size_t len = 0;
    char *exact = xmalloc(need ? need : 1);
    if (exact == NULL)
        return;
    sr_status s_exact = sr_otel_metric_to_json(&m, exact, need, &len);
    if (verbose) { /* FZ_VERBOSE=1: what an input builds (for writing seeds) */
        (void)fprintf(stderr, "arena %zu/%zu, %zu points, validate %d (%zu errors, %zu warnings), json %d:\n%.*s\n",
                arena.used, arena.size, m.points.count, (int)v_big, big.errors, big.warnings, (int)s_exact,
                s_exact == SR_OK ? (int)len : 0, exact);
        for (size_t i = 0; i < big.stored && i < 20; i++)
            (void)fprintf(stderr, "  %s at %s\n", sr_rule_id(big.items[i].rule), big.items[i].path);
    }
    FZ_CHECK(s_exact == s_size, "to_json(exact) %d vs json_size %d", (int)s_exact, (int)s_size);
    if (v_big == SR_OK)
        FZ_CHECK(s_exact == SR_OK, "a valid metric does not serialize (%d)", (int)s_exact);
    if (s_exact == SR_OK) {
        FZ_CHECK(len == need, "wrote %zu, said %zu", len, need);
        FZ_CHECK(fz_utf8_valid_ref(exact, len), "output is not valid UTF-8");
        FZ_CHECK(fz_no_raw_controls(exact, len), "raw control byte in the output");
        json_object *doc = fz_parse_strict(exact, len);
        FZ_CHECK(doc != NULL, "json-c does not parse the output: %.*s", (int)(len > 300 ? 300 : len), exact);
        cmp_metric(doc);
        json_object_put(doc);
    } else if (need) {
        FZ_CHECK(exact[0] == '\0', "buf[0] is not NUL after status %d", (int)s_exact);
    }

    /* A buffer of fuzzed size, exactly that size. */
    size_t cap;
    bool null_buf = false;
    switch (buf_mode) {
    case 0: cap = 0, null_buf = true; break;
    case 1: cap = 0; break;
    case 2: cap = need ? need - 1 : 0; break;
    case 3: cap = need; break;
    case 4: cap = need + 1 + fz_u8(r); break;
    default: cap = need ? fz_u16(r) % need : 0; break;
    }
    char *buf = null_buf ? NULL : xmalloc(cap);
    if (!null_buf && buf == NULL)
        return;
    if (cap)
        memset(buf, 'x', cap);
    size_t got = 12345;
    sr_status s_buf = sr_otel_metric_to_json(&m, buf, cap, &got);
    if (s_size != SR_OK) {
        FZ_CHECK(s_buf == s_size && got == 0, "cap %zu: status %d len %zu", cap, (int)s_buf, got);
        FZ_CHECK(cap == 0 || buf[0] == '\0', "cap %zu: buf[0] not NUL", cap);
    } else if (cap >= need) {
        FZ_CHECK(s_buf == SR_OK && got == need && memcmp(buf, exact, need) == 0, "cap %zu: status %d len %zu", cap,
                 (int)s_buf, got);
        for (size_t i = need; i < cap; i++)
            FZ_CHECK(buf[i] == 'x', "byte %zu past the output was written", i);
    } else {
        FZ_CHECK(s_buf == SR_ERR_BUFFER && got == need, "cap %zu < %zu: status %d len %zu", cap, need, (int)s_buf,
                 got);
        FZ_CHECK(cap == 0 || buf[0] == '\0', "cap %zu: buf[0] not NUL", cap);
    }

    if (v_big == SR_OK && s_exact == SR_OK)
        check_telemetry(exact, len);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fz_reader r = {data, size};
    size_t arena_size = fz_u16(&r);
    uint8_t report_mode = fz_u8(&r);
    uint8_t buf_mode = fz_u8(&r);
    size_t misalign = report_mode & 7;

    /* The arena ends exactly where the allocation does. */
    unsigned char *mem = malloc(misalign + arena_size);
    if (mem == NULL)
        return 0;
    sr_arena_init(&arena, mem + misalign, arena_size);
    FZ_CHECK(sr_otel_metric_init(&m, &arena) == SR_OK, "init");
    npts = nexs = npend = 0;

    for (int i = 0; i < MAX_OPS && r.n > 0; i++)
        run_op(&r);

    check_metric(report_mode, buf_mode % 8, &r);

    free_scratch();
    free(mem);
    fake_host_reset();
    return 0;
}
