/*
 * sr_wtable.c - the table-driven JSON writer (see sr_wtable.h).
 *
 * One small interpreter instead of one writer per type: the size builds'
 * serializer. Every value goes through the same sr_w_* calls the generated
 * straight-line writers make, so both write the same bytes.
 */
#include "sr_wtable.h"

#include "sr_internal.h"

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

/* The length-prefixed text at `at`. */
static void w_text(sr_writer *w, const sr_wschema *s, unsigned at)
{
    const unsigned char *t = (const unsigned char *)s->text + at;
    sr_w_bytes(w, (const char *)t + 1, t[0]);
}

/* One scalar of kind k at p. */
static void w_scalar(sr_writer *w, const sr_wschema *s, unsigned k, unsigned arg, const char *p)
{
    switch (k) {
    case SR_WK_STR:
    case SR_WK_RAW: {
        sr_wstr x;
        memcpy(&x, p, sizeof x);
        if (k == SR_WK_STR)
            sr_w_json_string(w, x.ptr, x.len);
        else
            sr_w_bytes(w, x.ptr, x.len);
        return;
    }
    case SR_WK_CSTR:
    case SR_WK_CRAW: {
        const char *x = load_ptr(p);
        if (k == SR_WK_CSTR)
            sr_w_json_string(w, x, strlen(x));
        else
            sr_w_bytes(w, x, strlen(x));
        return;
    }
    case SR_WK_BOOL:
        if (*(const unsigned char *)p)
            sr_w_bytes(w, "true", 4);
        else
            sr_w_bytes(w, "false", 5);
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
        const uint16_t *e = s->enums + arg;
        if (v >= 0 && (unsigned)v < e[0] && e[1 + v] != 0xFFFF)
            w_text(w, s, e[1 + v]);
        return;
    }
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
    sr_w_char(w, '[');
    for (size_t i = 0; i < count; i++) {
        if (i)
            sr_w_char(w, ',');
        w_scalar(w, s, k, 0, items + i * stride);
    }
    sr_w_char(w, ']');
}

static bool present(const sr_wfield *f, const char *o)
{
    const unsigned t = f->test;
    switch (f->kind >> 5) {
    case SR_WP_BIT: {
        uint32_t bits;
        memcpy(&bits, o + (t >> 5), sizeof bits);
        return (bits >> (t & 31)) & 1;
    }
    case SR_WP_PTR:
        return load_ptr(o + t) != NULL;
    case SR_WP_SIZE:
        return load_size(o + t) != 0;
    case SR_WP_I64:
        return sr_load64(o + t) != 0;
    default:
        return true;
    }
}

/* Field f of object o, whose text starts at `start` (an opening brace is
 * still to be written while w->len == start). */
static void w_field(sr_writer *w, const sr_wschema *s, const sr_wfield *f, const char *o, const void *ctx,
                    size_t start)
{
    if (!present(f, o))
        return;
    const size_t mark = w->len;
    sr_w_char(w, mark == start ? '{' : ',');
    w_text(w, s, f->key);
    const char *p = o + f->at;
    const unsigned k = f->kind & 31;
    bool wrote = true;
    switch (k) {
    case SR_WK_CONST:
        break;
    case SR_WK_U64S:
        sr_w_u64_array(w, load_ptr(p), load_size(p + sizeof(void *)));
        break;
    case SR_WK_DOUBLES:
        sr_w_double_array(w, load_ptr(p), load_size(p + sizeof(void *)));
        break;
    case SR_WK_OBJECT:
        wrote = sr_wtable_object(w, s, f->arg, p, ctx);
        break;
    case SR_WK_HOOK:
        wrote = s->hooks[f->arg](w, o, ctx);
        break;
    case SR_WK_LIST: {
        const char *head = load_ptr(p);
        sr_w_char(w, '[');
        for (const char *e = head; e; e = load_ptr(e)) {
            if (e != head)
                sr_w_char(w, ',');
            sr_wtable_object(w, s, f->arg, e, ctx);
        }
        sr_w_char(w, ']');
        break;
    }
    case SR_WK_MAP: {
        const sr_wmap *m = &s->maps[f->arg];
        const char *head = load_ptr(p);
        sr_w_char(w, '{');
        for (const char *e = head; e; e = load_ptr(e)) {
            if (e != head)
                sr_w_char(w, ',');
            w_scalar(w, s, SR_WK_STR, 0, e + m->key);
            sr_w_char(w, ':');
            if (m->value_kind == SR_WK_VALUE)
                w_value(w, s, e + m->value);
            else
                w_scalar(w, s, m->value_kind, 0, e + m->value);
        }
        sr_w_char(w, '}');
        break;
    }
    default:
        w_scalar(w, s, k, f->arg, p);
        break;
    }
    if (!wrote)
        w->len = mark; /* nothing after the key: the field is left out */
}

bool sr_wtable_object(sr_writer *w, const sr_wschema *s, unsigned type, const void *obj, const void *ctx)
{
    const sr_wtype *t = &s->types[type];
    const sr_wfield *f = s->fields + t->first, *end = f + t->count;
    const char *o = obj;
    const size_t start = w->len;
    /* Two fields a round: half the loop back-edges, which a wasm host that
     * can stop a module checks on each. */
    for (; end - f >= 2; f += 2) {
        w_field(w, s, f, o, ctx, start);
        w_field(w, s, f + 1, o, ctx, start);
    }
    if (f != end)
        w_field(w, s, f, o, ctx, start);
    const bool any = w->len != start;
    if (!any)
        sr_w_char(w, '{');
    sr_w_char(w, '}');
    return any;
}
