/* doc.c - deterministic values of the reference document (see doc.h). */
#include "doc.h"

const double doc_bounds[DOC_BOUNDS] = {0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1.0};
doc_point doc_points[DOC_MAX_POINTS];

static const char *const routes[8] = {
    "/api/cart", "/api/cart/items", "/api/checkout", "/api/orders",
    "/api/orders/{id}", "/api/payment", "/health", "/api/users/{id}/profile",
};
static const char *const methods[4] = {"GET", "POST", "PUT", "DELETE"};

static uint64_t rng_state = UINT64_C(0x9e3779b97f4a7c15);
static uint64_t rng(void) /* xorshift64* */
{
    rng_state ^= rng_state >> 12;
    rng_state ^= rng_state << 25;
    rng_state ^= rng_state >> 27;
    return rng_state * UINT64_C(2685821657736338717);
}
/* A double in [lo, hi) with all 53 bits of noise: the general (non-integer)
 * path of a shortest round-trip formatter. */
static double uniform(double lo, double hi)
{
    return lo + (hi - lo) * ((double)(rng() >> 11) * (1.0 / 9007199254740992.0));
}

void doc_init(void)
{
    static int done;
    if (done)
        return;
    done = 1;
    /* Timestamps above 2^53 and not multiples of a large power of two, so a
     * double cannot hold them exactly (1700000000123456789 is not a double). */
    const uint64_t base = UINT64_C(1700000000123456789);
    for (size_t i = 0; i < DOC_MAX_POINTS; i++) {
        doc_point *p = &doc_points[i];
        p->start_time_unix_nano = base + i * UINT64_C(1000003);
        p->time_unix_nano = p->start_time_unix_nano + UINT64_C(60000000000) + (rng() % 1000000u);
        p->route = routes[i % 8];
        p->method = methods[(i / 8) % 4];
        /* Observations spread over buckets 1..9 (none below the first bound
         * or above the last), so min and max lie in the first and last
         * buckets that have any (no validator warnings). */
        uint64_t count = 0;
        int first = -1, last = -1;
        for (int b = 0; b < DOC_BUCKETS; b++) {
            uint64_t c = (b == 0 || b == DOC_BUCKETS - 1) ? 0 : rng() % 50u;
            p->bucket_counts[b] = c;
            count += c;
            if (c) {
                if (first < 0)
                    first = b;
                last = b;
            }
        }
        if (count == 0) { /* keep every point non-empty */
            p->bucket_counts[5] = 1;
            count = 1;
            first = last = 5;
        }
        p->count = count;
        p->min = uniform(doc_bounds[first - 1], doc_bounds[first]) + 1e-9;
        p->max = uniform(doc_bounds[last - 1], doc_bounds[last]);
        if (p->max <= doc_bounds[last - 1])
            p->max = doc_bounds[last];
        if (p->min > doc_bounds[first])
            p->min = doc_bounds[first];
        if (p->min > p->max)
            p->min = p->max;
        /* min and max are single measurements: nanoseconds / 1e9 (short
         * shortest forms such as 0.00500324); the sum accumulates doubles and
         * needs all 17 digits, like a real histogram's. */
        p->min = (double)(uint64_t)(p->min * 1e9 + 0.5) / 1e9;
        p->max = (double)(uint64_t)(p->max * 1e9) / 1e9;
        if (p->min <= doc_bounds[first - 1])
            p->min = doc_bounds[first - 1] + 1e-9;
        if (p->max <= doc_bounds[last - 1])
            p->max = doc_bounds[last];
        p->sum = uniform(p->min, p->max) * (double)count;
    }
}

uint64_t doc_event_time(size_t n)
{
    uint64_t latest = 0;
    for (size_t i = 0; i < n; i++)
        if (doc_points[i].time_unix_nano > latest)
            latest = doc_points[i].time_unix_nano;
    return latest;
}

size_t doc_doubles(size_t n, double *out, size_t cap)
{
    size_t k = 0;
    for (size_t i = 0; i < n && k + 3 + DOC_BOUNDS <= cap; i++) {
        out[k++] = doc_points[i].sum;
        for (int b = 0; b < DOC_BOUNDS; b++)
            out[k++] = doc_bounds[b];
        out[k++] = doc_points[i].min;
        out[k++] = doc_points[i].max;
    }
    return k;
}
