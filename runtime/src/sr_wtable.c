/*
 * sr_wtable.c - the table-driven JSON writer (see sr_wtable.h).
 *
 * One small interpreter instead of one writer per type: the size builds'
 * serializer. Every value goes through the same sr_w_* calls the generated
 * straight-line writers make, so both write the same bytes.
 */
#include "sr_wtable.h"

#include "sr_internal.h"

#if defined(__GNUC__) || defined(__clang__)
#define SR_WT_NOINLINE __attribute__((noinline))
#else
#define SR_WT_NOINLINE
#endif

static const void *load_ptr(const char *p)
{
    const void *v;
    memcpy(&v, p, sizeof v);
    return v;
}

static size_t load_size(const char *p)
{
    size_t v;
    memcpy(&v, p, sizeof v);
    return v;
}

/* One call each instead of the inline writer code at every use. */
static SR_WT_NOINLINE void put_char(sr_writer *w, char c) { sr_w_char(w, c); }
static SR_WT_NOINLINE void put_bytes(sr_writer *w, const char *p, size_t n) { sr_w_bytes(w, p, n); }

/* The length-prefixed text at t. */
static void w_text(sr_writer *w, const unsigned char *t)
{
    put_bytes(w, (const char *)t + 1, t[0]);
}

/* sep (',' or '{'), then the n bytes at t as "name": with one bounds check
 * and one copy. */
static void w_key(sr_writer *w, char sep, const char *t, size_t n)
{
    if (w->len <= w->cap && n + 4 <= w->cap - w->len) {
        char *p = w->buf + w->len;
        p[0] = sep;
        p[1] = '"';
        memcpy(p + 2, t, n);
        p[n + 2] = '"';
        p[n + 3] = ':';
    }
    w->len += n + 4;
}

/* One value of kind k (not an object, list or map) at p. */
static void w_scalar(sr_writer *w, const sr_wschema *s, unsigned k, unsigned arg, const char *p)
{
    switch (k) {
    case SR_WK_STR:
    case SR_WK_RAW:
    case SR_WK_CSTR:
    case SR_WK_CRAW: {
        sr_wstr x;
        if (k >= SR_WK_CSTR) {
            x.ptr = load_ptr(p);
            x.len = strlen(x.ptr);
        } else {
            memcpy(&x, p, sizeof x);
        }
        if (k == SR_WK_STR || k == SR_WK_CSTR)
            sr_w_json_string(w, x.ptr, x.len);
        else
            put_bytes(w, x.ptr, x.len);
        return;
    }
    case SR_WK_BOOL:
        if (*(const unsigned char *)p)
            put_bytes(w, "true", 4);
        else
            put_bytes(w, "false", 5);
        return;
    case SR_WK_U32: {
        uint32_t x;
        memcpy(&x, p, sizeof x);
        sr_w_u64(w, x);
        return;
    }
    case SR_WK_U64:
        sr_w_u64(w, sr_load64(p));
        return;
    case SR_WK_I64:
        sr_w_i64(w, (int64_t)sr_load64(p));
        return;
    case SR_WK_DOUBLE: {
        double x;
        memcpy(&x, p, sizeof x);
        sr_w_double(w, x);
        return;
    }
    case SR_WK_ENUM: {
        int v;
        memcpy(&v, p, sizeof v);
        const sr_wnames *nt = s->names;
        const unsigned char *e = nt->enums + nt->enums[arg >> 5];
        if (v >= 0 && (unsigned)v < e[0] && e[1 + v] != 0xFF) {
            const unsigned span = nt->spans[e[1 + v]];
            sr_w_json_string(w, nt->chars + (span >> 5), span & 31);
        }
        return;
    }
    case SR_WK_U64S:
        sr_w_u64_array(w, load_ptr(p), load_size(p + sizeof(void *)));
        return;
    case SR_WK_DOUBLES:
        sr_w_double_array(w, load_ptr(p), load_size(p + sizeof(void *)));
        return;
    }
}

/* A map value of the contract's value type. */
static void w_value(sr_writer *w, const sr_wschema *s, const char *v)
{
    const sr_wvalue *d = s->value;
    int type;
    memcpy(&type, v + d->type, sizeof type);
    const unsigned code = (unsigned)type & ~(unsigned)d->array;
    if (type < 0 || code >= d->ntypes || d->kinds[code] == 0xFF)
        return;
    const unsigned k = d->kinds[code];
    const char *as = v + d->as;
    if (!((unsigned)type & d->array)) {
        w_scalar(w, s, k, 0, as);
        return;
    }
    const char *items = load_ptr(as);
    const size_t count = load_size(v + d->count);
    if (k == SR_WK_DOUBLE) {
        sr_w_double_array(w, (const double *)(const void *)items, count);
        return;
    }
    const size_t stride = k == SR_WK_STR ? sizeof(sr_wstr) : k == SR_WK_BOOL ? sizeof(bool) : sizeof(uint64_t);
    put_char(w, '[');
    for (size_t i = 0; i < count; i++) {
        if (i)
            put_char(w, ',');
        w_scalar(w, s, k, 0, items + i * stride);
    }
    put_char(w, ']');
}

/* The field at f of object o (of a type whose present bits are at
 * present_at), whose text starts at `start` (an opening brace is still to
 * be written while w->len == start). Returns the next field. */
static const unsigned char *w_field(sr_writer *w, const sr_wschema *s, const unsigned char *f, const char *o,
                                    const void *ctx, size_t start, unsigned present_at)
{
    const unsigned k = f[0] & 31, arg = f[1];
    unsigned at = f[2];
    if (SR_WAT_SIZE == 2)
        at |= (unsigned)f[3] << 8;
    /* the name: an index into the schema's names, or inline (sr_wtable.h) */
    const unsigned char *name = f + 2 + SR_WAT_SIZE;
    const char *key = (const char *)name + 1;
    size_t key_len = name[0] & 0x7F;
    const unsigned char *next = name + 1;
    if (name[0] < 0x80) {
        const unsigned span = s->names->spans[name[0]];
        key = s->names->chars + (span >> 5);
        key_len = span & 31;
    } else {
        next += key_len;
    }
    const unsigned char *text = next; /* SR_WK_CONST: its value */
    if (k == SR_WK_CONST)
        next += 1 + next[0];
    const char *p = o + at;
    bool on;
    switch (f[0] >> 5) {
    case SR_WP_BIT: {
        uint32_t bits;
        memcpy(&bits, o + present_at, sizeof bits);
        on = (bits >> (arg & 31)) & 1;
        break;
    }
    case SR_WP_PTR:
        on = load_ptr(p) != NULL;
        break;
    case SR_WP_SIZE:
        on = load_size(p + sizeof(void *) * (k == SR_WK_LIST || k == SR_WK_MAP ? 2 : 1)) != 0;
        break;
    case SR_WP_I64:
        on = sr_load64(p) != 0;
        break;
    default:
        on = true;
        break;
    }
    if (!on)
        return next;
    const size_t mark = w->len;
    w_key(w, mark == start ? '{' : ',', key, key_len);
    bool wrote = true;
    if (k == SR_WK_OBJECT) {
        wrote = sr_wtable_object(w, s, arg, p, ctx);
    } else if (k == SR_WK_HOOK) {
        wrote = s->hooks[arg](w, o, ctx);
    } else if (k == SR_WK_LIST || k == SR_WK_MAP) {
        /* a linked list: each item's first member is `next` */
        const char *head = load_ptr(p);
        put_char(w, k == SR_WK_LIST ? '[' : '{');
        for (const char *e = head; e; e = load_ptr(e)) {
            if (e != head)
                put_char(w, ',');
            if (k == SR_WK_LIST) {
                sr_wtable_object(w, s, arg, e, ctx);
            } else {
                const sr_wmap *m = &s->maps[arg];
                w_scalar(w, s, SR_WK_STR, 0, e + m->key);
                put_char(w, ':');
                /* w_value is called here, not through w_scalar: with it
                 * there the compiler made w_scalar -> w_value -> w_scalar
                 * a loop, and every scalar paid for it (serialization 26%
                 * slower under wazero). */
                if (m->value_kind == SR_WK_VALUE)
                    w_value(w, s, e + m->value);
                else
                    w_scalar(w, s, m->value_kind, 0, e + m->value);
            }
        }
        put_char(w, k == SR_WK_LIST ? ']' : '}');
    } else if (k == SR_WK_CONST) {
        w_text(w, text);
    } else {
        w_scalar(w, s, k, arg, p);
    }
    if (!wrote)
        w->len = mark; /* nothing after the key: the field is left out */
    return next;
}

bool sr_wtable_object(sr_writer *w, const sr_wschema *s, unsigned type, const void *obj, const void *ctx)
{
    const unsigned char *f = s->code + s->types[type];
    unsigned n = f[0], present_at = f[1];
    if (SR_WAT_SIZE == 2)
        present_at |= (unsigned)f[2] << 8;
    f += 1 + SR_WAT_SIZE;
    const char *o = obj;
    const size_t start = w->len;
    /* Two fields a round: half the loop back-edges, which a wasm host that
     * can stop a module checks on each. */
    for (; n >= 2; n -= 2) {
        f = w_field(w, s, f, o, ctx, start, present_at);
        f = w_field(w, s, f, o, ctx, start, present_at);
    }
    if (n)
        w_field(w, s, f, o, ctx, start, present_at);
    const bool any = w->len != start;
    if (!any)
        put_char(w, '{');
    put_char(w, '}');
    return any;
}
