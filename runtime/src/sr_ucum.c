/*
 * UCUM c/s syntax (UCUM specification section 2), as a recursive-descent
 * parser that never allocates and never recurses:
 *   main-term   := "/" term | term
 *   term        := component (("." | "/") component)*
 *   component   := annotatable annotation? | annotation | factor | "(" term ")"
 *   annotatable := simple-unit exponent?      simple-unit := ATOM | PREFIX METRIC-ATOM
 * Square brackets belong to atom symbols, so nothing inside [...] splits a
 * component. codegen/ucum.py is the reference this must agree with.
 */
#include "sr_ucum.h"

#include "sr_internal.h"

#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ != __ORDER_LITTLE_ENDIAN__
#error "the UCUM tables are sorted by little-endian search keys (codegen/ucum.py c_key)"
#endif

typedef struct parser {
    const char *s;
    size_t n, i;
    const sr_ucum_table *atoms, *prefixes;
} parser;

/* s[0..n) (n <= 16) zero-padded to two words: the search key. */
static void load_key(const unsigned char *s, size_t n, uint64_t key[2])
{
    key[0] = key[1] = 0;
    memcpy(key, s, n);
}

/* Binary search of s[0..n) among the set's records of length n, comparing
 * keys (the generator sorted each group by them, codegen/ucum.py c_key): no
 * loop per character. Returns the index or -1. */
static long find_in(const sr_ucum_set *t, const char *s, size_t n)
{
    if (n == 0 || n > t->max_len)
        return -1;
    const unsigned char *group = (const unsigned char *)t->chars + t->offset[n - 1];
    size_t first = t->start[n - 1], lo = 0, hi = (size_t)(t->start[n] - first);
    uint64_t want[2];
    load_key((const unsigned char *)s, n, want);
    if (lo < hi) do {
        size_t mid = lo + (hi - lo) / 2;
        uint64_t key[2];
        load_key(group + mid * n, n, key);
        if (key[0] == want[0] && key[1] == want[1])
            return (long)(first + mid);
        if (key[0] < want[0] || (key[0] == want[0] && key[1] < want[1]))
            lo = mid + 1;
        else
            hi = mid;
    } while (lo < hi);
    return -1;
}

static long find(const sr_ucum_table *t, const char *s, size_t n)
{
    if (n > 2 && s[0] == '[' && s[n - 1] == ']')
        return find_in(&t->bracketed, s + 1, n - 2);
    return find_in(&t->plain, s, n);
}

static bool is_metric(const sr_ucum_table *t, long i)
{
    return t->metric && (t->metric[i >> 3] >> (i & 7) & 1);
}

static bool simple_unit(const parser *p, const char *u, size_t n)
{
    if (find(p->atoms, u, n) >= 0)
        return true;
    /* Only as many splits as the longest prefix: trying every split of a
     * long run made a unit of n characters cost O(n^2) lookups. */
    size_t k = 1;
    if (k < n && k <= p->prefixes->plain.max_len) do {
        if (find(p->prefixes, u, k) >= 0) {
            long a = find(p->atoms, u + k, n - k);
            if (a >= 0 && is_metric(p->atoms, a))
                return true;
        }
    } while (++k < n && k <= p->prefixes->plain.max_len);
    return false;
}

static bool is_digit(char c) { return c >= '0' && c <= '9'; }

/* run = simple-unit exponent?, trying every split point that leaves an
 * exponent (digits, optionally signed) or nothing after it. Those splits lie
 * within the run's trailing digits (plus a sign), found once: rescanning the
 * rest of the run at every split made long runs cost O(n^2). *digits is how
 * many trailing digits the run has (all of them: a factor). */
static bool unit_with_exponent(const parser *p, const char *run, size_t n, size_t *digits_out)
{
    size_t digits = 0; /* n > 0 */
    if (is_digit(run[n - 1])) do
        digits++;
    while (digits < n && is_digit(run[n - 1 - digits]));
    *digits_out = digits;
    size_t cut = n;
    do {
        size_t en = n - cut; /* what follows the simple unit */
        bool signed_exp = en == digits + 1 && digits > 0 && (run[cut] == '+' || run[cut] == '-');
        if (en > digits && !signed_exp)
            break; /* no exponent here, nor at any split further left */
        if (simple_unit(p, run, cut))
            return true;
    } while (--cut > 0);
    return false;
}

/* One component that is not a parenthesised term: an annotation, or a symbol
 * run (simple unit with optional exponent, or a factor) with an optional
 * annotation. */
static bool simple_component(parser *p)
{
    if (p->i >= p->n)
        return false;
    bool unit = true; /* an annotation alone stands where a unit would */
    if (p->s[p->i] != '{') {
        size_t start = p->i;
        int brackets = 0;
        do { /* p->i < p->n here */
            char ch = p->s[p->i];
            if (ch == '[') {
                brackets++;
            } else if (ch == ']') {
                if (--brackets < 0)
                    return false;
            } else if (brackets == 0 && (ch == '.' || ch == '/' || ch == '(' || ch == ')' || ch == '{' || ch == '}')) {
                break;
            }
            p->i++;
        } while (p->i < p->n);
        if (brackets != 0 || p->i == start)
            return false;
        size_t n = p->i - start, digits;
        unit = unit_with_exponent(p, p->s + start, n, &digits);
        if (!unit && digits != n)
            return false; /* neither a unit nor a factor */
    }
    if (p->i < p->n && p->s[p->i] == '{') {
        if (!unit)
            return false; /* a bare factor takes no annotation */
        /* printable ASCII up to the matching '}', no nested '{' */
        size_t k = p->i + 1;
        if (k < p->n) do {
            if (p->s[k] == '}') {
                p->i = k + 1;
                return true;
            }
            if (p->s[k] == '{')
                return false;
        } while (++k < p->n);
        return false;
    }
    return true;
}

bool sr_ucum_valid(const char *s, size_t n, const sr_ucum_table *atoms, const sr_ucum_table *prefixes)
{
    if (s == NULL || n == 0)
        return false;
    size_t i = 0; /* n > 0 */
    do
        if ((unsigned char)s[i] < 0x21 || (unsigned char)s[i] > 0x7e)
            return false;
    while (++i < n);
    parser p = {s, n, 0, atoms, prefixes};
    if (s[0] == '/')
        p.i = 1;
    /* Parentheses only group, so a depth counter replaces recursion: no
     * stack growth and no nesting limit. The loops of this file are
     * do-whiles behind a test: size builds do not rotate loops, and a wasm
     * host that can stop a module checks on each entry of a loop's head. */
    size_t depth = 0;
    for (;;) {
        if (p.i < n && s[p.i] == '(') do {
            depth++;
            p.i++;
        } while (p.i < n && s[p.i] == '(');
        if (!simple_component(&p))
            return false;
        if (p.i < n && s[p.i] == ')') do {
            if (depth == 0)
                return false;
            depth--;
            p.i++;
        } while (p.i < n && s[p.i] == ')');
        if (p.i == n)
            return depth == 0;
        if (s[p.i] != '.' && s[p.i] != '/')
            return false;
        p.i++;
    }
}
