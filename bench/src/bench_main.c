/*
 * bench_main.c - the benchmark harness (native and wasm32-wasi).
 *
 *   sr_bench [--groups ref,scale,dtoa] [--rounds R] [--sample-ms M]
 *   sr_bench --dump NAME [--points N]   one document to stdout (sdk, cjson,
 *                                       cjson_numbers, jsonc, jansson)
 *   sr_bench --callgrind [--iters N]    each reference case N times between
 *                                       callgrind client requests (run under
 *                                       valgrind --tool=callgrind --collect-atstart=no)
 *
 * Output: tab-separated lines, read by bench/tools/report.py:
 *   info    KEY VALUE
 *   sample  CASE POINTS ROUND NS_PER_OP BYTES ITEMS
 *   allocs  CASE POINTS ALLOCS_PER_OP BYTES_PER_OP
 *   cg      CASE ITERS
 *
 * Method: the cases of a group are timed in interleaved rounds (each round
 * takes one sample of every case, starting at a rotating position), so drift
 * and noise of the shared machine hit every case alike and the ratio of two
 * cases can be taken round by round. A sample is a calibrated number of
 * back-to-back operations (about --sample-ms milliseconds).
 */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bench.h"
#include "doc.h"
#include "sr_runtime.h"

#ifdef BENCH_NATIVE
#include <valgrind/callgrind.h>

#include "alloc_count.h"
#define PLATFORM "native"
#else
#define PLATFORM "wasm"
#endif

#define REF_POINTS 100

typedef struct bcase bcase;
struct bcase {
    const char *name;
    const char *group;
    size_t n;     /* points in the document */
    size_t items; /* what "per item" divides by: points, or doubles */
    size_t (*fn)(bcase *);
    size_t (*sdkfn)(size_t n);
    const bench_lib *lib;
    void *dom;
    const double *dv;
    size_t dcount;
    size_t iters;
};

static char *lib_buf;
static size_t lib_cap;
static volatile size_t sink;

static size_t run_sdk(bcase *c) { return c->sdkfn(c->n); }

#ifdef BENCH_CJSON
static size_t run_lib_build_print(bcase *c)
{
    size_t len;
    void *dom = c->lib->build(c->n);
    c->lib->print(dom, lib_buf, lib_cap, &len);
    c->lib->destroy(dom);
    return len;
}
static size_t run_lib_print(bcase *c)
{
    size_t len;
    c->lib->print(c->dom, lib_buf, lib_cap, &len);
    return len;
}
#endif

static size_t run_dtoa(bcase *c) { return sdk_format_doubles(c->dv, c->dcount); }

static size_t run_snprintf(bcase *c)
{
    char tmp[32];
    size_t total = 0;
    for (size_t i = 0; i < c->dcount; i++)
        total += (size_t)snprintf(tmp, sizeof tmp, "%.17g", c->dv[i]);
    return total;
}

/* 1000 iterations of a loop whose body is one volatile add: what a loop
 * back-edge costs (wazero with close-on-done calls into Go on every one). */
static volatile unsigned loop_sink;
static size_t run_loop(bcase *c)
{
    for (unsigned i = 0; i < (unsigned)c->items; i++)
        loop_sink += i;
    return c->items;
}

/* Natively the thread's CPU time: on a shared machine a sample that loses
 * the CPU to another process is not stretched by the wait (cache effects
 * remain). wasm32-wasi has only wall clocks under wazero. */
#if defined(BENCH_NATIVE) && defined(CLOCK_THREAD_CPUTIME_ID)
#define BENCH_CLOCK CLOCK_THREAD_CPUTIME_ID
#define BENCH_CLOCK_NAME "CLOCK_THREAD_CPUTIME_ID"
#else
#define BENCH_CLOCK CLOCK_MONOTONIC
#define BENCH_CLOCK_NAME "CLOCK_MONOTONIC"
#endif
static double now_ns(void)
{
    struct timespec ts;
    clock_gettime(BENCH_CLOCK, &ts);
    return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

/* ---- the cases ----------------------------------------------------------- */

#define MAX_CASES 64
static bcase cases[MAX_CASES];
static int ncases;

static bcase *add(const char *name, const char *group, size_t n, size_t (*fn)(bcase *))
{
    bcase *c = &cases[ncases++];
    memset(c, 0, sizeof *c);
    c->name = name;
    c->group = group;
    c->n = n;
    c->items = n;
    c->fn = fn;
    return c;
}

static void add_sdk(const char *name, const char *group, size_t n, size_t (*f)(size_t))
{
    add(name, group, n, run_sdk)->sdkfn = f;
}

#ifdef BENCH_CJSON
static void add_lib(const bench_lib *lib, size_t n)
{
    char *bp = malloc(64), *p = malloc(64);
    snprintf(bp, 64, "%s.build_print", lib->name);
    snprintf(p, 64, "%s.print", lib->name);
    add(bp, "ref", n, run_lib_build_print)->lib = lib;
    bcase *c = add(p, "ref", n, run_lib_print);
    c->lib = lib;
    c->dom = lib->build(n);
}
#endif

static double random_doubles[4096];
static double doc_dv[REF_POINTS * (3 + DOC_BOUNDS)];
static double bounds_dv[REF_POINTS * DOC_BOUNDS];

static void make_cases(void)
{
    static const size_t scale[] = {1, 10, 100, 1000, 10000};
    add_sdk("sdk.full", "ref", REF_POINTS, sdk_full);
    add_sdk("sdk.emit", "ref", REF_POINTS, sdk_emit);
    add_sdk("sdk.build", "ref", REF_POINTS, sdk_build);
    add_sdk("sdk.record", "ref", REF_POINTS, sdk_record);
    add_sdk("sdk.validate", "ref", REF_POINTS, sdk_validate);
    add_sdk("sdk.json_size", "ref", REF_POINTS, sdk_json_size);
    add_sdk("sdk.serialize_metric", "ref", REF_POINTS, sdk_serialize_metric);
    add_sdk("sdk.serialize", "ref", REF_POINTS, sdk_serialize);
    add_sdk("floor.memcpy", "ref", REF_POINTS, sdk_memcpy);
    add("floor.loop", "ref", REF_POINTS, run_loop)->items = 1000;
#ifdef BENCH_CJSON
    add_lib(&bench_cjson, REF_POINTS);
    add_lib(&bench_cjson_numbers, REF_POINTS);
#endif
#ifdef BENCH_NATIVE
    add_lib(&bench_jsonc, REF_POINTS);
    add_lib(&bench_jansson, REF_POINTS);
#endif
    for (size_t i = 0; i < sizeof scale / sizeof scale[0]; i++) {
        add_sdk("scale.full", "scale", scale[i], sdk_full);
        add_sdk("scale.build", "scale", scale[i], sdk_build);
        add_sdk("scale.validate", "scale", scale[i], sdk_validate);
        add_sdk("scale.serialize_metric", "scale", scale[i], sdk_serialize_metric);
    }
    /* the double formatter alone */
    size_t nd = doc_doubles(REF_POINTS, doc_dv, sizeof doc_dv / sizeof doc_dv[0]);
    uint64_t x = UINT64_C(0x2545F4914F6CDD1D);
    for (size_t i = 0; i < 4096; i++) {
        double d;
        do { /* random bits: every exponent, sign and significand */
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            memcpy(&d, &x, sizeof d);
        } while (!sr_double_is_finite(d));
        random_doubles[i] = d;
    }
    bcase *c = add("dtoa.doc_doubles", "dtoa", REF_POINTS, run_dtoa);
    c->dv = doc_dv, c->dcount = nd, c->items = nd;
    for (size_t i = 0; i < REF_POINTS * DOC_BOUNDS; i++)
        bounds_dv[i] = doc_bounds[i % DOC_BOUNDS];
    c = add("dtoa.doc_bounds", "dtoa", REF_POINTS, run_dtoa);
    c->dv = bounds_dv, c->dcount = REF_POINTS * DOC_BOUNDS, c->items = c->dcount;
    c = add("dtoa.random_bits", "dtoa", REF_POINTS, run_dtoa); /* n: a label only */
    c->dv = random_doubles, c->dcount = 4096, c->items = 4096;
    c = add("snprintf17g.doc_doubles", "dtoa", REF_POINTS, run_snprintf);
    c->dv = doc_dv, c->dcount = nd, c->items = nd;
}

static int in_groups(const bcase *c, const char *groups)
{
    size_t len = strlen(c->group);
    for (const char *p = groups; (p = strstr(p, c->group)) != NULL; p += len)
        if ((p == groups || p[-1] == ',') && (p[len] == ',' || p[len] == '\0'))
            return 1;
    return 0;
}

static void calibrate(bcase *c, double sample_ns)
{
    /* warm-up, then an estimate of one operation */
    size_t k = 0;
    double t0 = now_ns(), t;
    do {
        sink += c->fn(c);
        k++;
        t = now_ns();
    } while (t - t0 < sample_ns / 2 && k < 1000000);
    double est = (t - t0) / (double)k;
    c->iters = (size_t)(sample_ns / est);
    if (c->iters < 1)
        c->iters = 1;
}

static void run_group(const char *group, int rounds, double sample_ns, const char *groups)
{
    bcase *g[MAX_CASES];
    int ng = 0;
    for (int i = 0; i < ncases; i++)
        if (strcmp(cases[i].group, group) == 0 && in_groups(&cases[i], groups))
            g[ng++] = &cases[i];
    if (ng == 0)
        return;
    for (int i = 0; i < ng; i++)
        calibrate(g[i], sample_ns);
#ifdef BENCH_NATIVE
    for (int i = 0; i < ng; i++) {
        unsigned long long a0 = bench_allocs, b0 = bench_alloc_bytes;
        sink += g[i]->fn(g[i]);
        printf("allocs\t%s\t%zu\t%llu\t%llu\n", g[i]->name, g[i]->n, bench_allocs - a0, bench_alloc_bytes - b0);
    }
#endif
    for (int r = 0; r < rounds; r++) {
        for (int j = 0; j < ng; j++) {
            bcase *c = g[(j + r) % ng];
            size_t bytes = 0;
            double t0 = now_ns();
            for (size_t k = 0; k < c->iters; k++)
                bytes = c->fn(c);
            double t1 = now_ns();
            sink += bytes;
            if (bytes == 0) {
                fprintf(stderr, "sr_bench: %s failed\n", c->name);
                exit(1);
            }
            printf("sample\t%s\t%zu\t%d\t%.3f\t%zu\t%zu\n", c->name, c->n, r, (t1 - t0) / (double)c->iters, bytes,
                   c->items);
        }
        fflush(stdout);
    }
}

static int setup_all(void)
{
    static const size_t sizes[] = {1, 10, 100, 1000, 10000};
    doc_init();
    for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++)
        if (sdk_setup(sizes[i]) != 0) {
            fprintf(stderr, "sr_bench: SDK setup failed for %zu points\n", sizes[i]);
            return -1;
        }
    lib_cap = 4096 + (size_t)DOC_MAX_POINTS * 1024;
    lib_buf = malloc(lib_cap);
    return lib_buf ? 0 : -1;
}

static int dump(const char *name, size_t n)
{
    const char *text = NULL;
    size_t len = 0;
    if (strcmp(name, "sdk") == 0) {
        text = sdk_output(n, &len);
    }
#if defined(BENCH_NATIVE) || defined(BENCH_CJSON)
    const bench_lib *libs[] = {
#ifdef BENCH_CJSON
        &bench_cjson, &bench_cjson_numbers,
#endif
#ifdef BENCH_NATIVE
        &bench_jsonc, &bench_jansson,
#endif
    };
    for (size_t i = 0; i < sizeof libs / sizeof libs[0]; i++)
        if (strcmp(name, libs[i]->name) == 0) {
            void *dom = libs[i]->build(n); /* kept: json-c's text lives in it */
            text = libs[i]->print(dom, lib_buf, lib_cap, &len);
        }
#endif
    if (!text || !len) {
        fprintf(stderr, "sr_bench: nothing to dump for %s\n", name);
        return 1;
    }
    fwrite(text, 1, len, stdout);
    return 0;
}

#ifdef BENCH_NATIVE
static __attribute__((noinline)) void cg_loop(bcase *c, size_t iters)
{
    for (size_t k = 0; k < iters; k++)
        sink += c->fn(c);
}
#endif

static int callgrind(size_t iters)
{
#ifdef BENCH_NATIVE
    for (int i = 0; i < ncases; i++) {
        bcase *c = &cases[i];
        if (strcmp(c->group, "scale") == 0)
            continue;
        sink += c->fn(c); /* warm (first-touch) */
        CALLGRIND_ZERO_STATS;
        CALLGRIND_TOGGLE_COLLECT;
        cg_loop(c, iters);
        CALLGRIND_TOGGLE_COLLECT;
        CALLGRIND_DUMP_STATS_AT(c->name);
        printf("cg\t%s\t%zu\t%zu\n", c->name, iters, c->items);
    }
    return 0;
#else
    (void)iters;
    fprintf(stderr, "sr_bench: --callgrind is native only\n");
    return 1;
#endif
}

int main(int argc, char **argv)
{
    const char *groups = "ref,scale,dtoa";
    const char *dump_name = NULL;
    int rounds = 31, cg = 0;
    double sample_ms = 4;
    size_t points = REF_POINTS, iters = 20;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--groups") == 0 && i + 1 < argc)
            groups = argv[++i];
        else if (strcmp(argv[i], "--rounds") == 0 && i + 1 < argc)
            rounds = atoi(argv[++i]);
        else if (strcmp(argv[i], "--sample-ms") == 0 && i + 1 < argc)
            sample_ms = atof(argv[++i]);
        else if (strcmp(argv[i], "--dump") == 0 && i + 1 < argc)
            dump_name = argv[++i];
        else if (strcmp(argv[i], "--points") == 0 && i + 1 < argc)
            points = (size_t)atol(argv[++i]);
        else if (strcmp(argv[i], "--iters") == 0 && i + 1 < argc)
            iters = (size_t)atol(argv[++i]);
        else if (strcmp(argv[i], "--callgrind") == 0)
            cg = 1;
        else {
            fprintf(stderr, "usage: sr_bench [--groups ref,scale,dtoa] [--rounds R] [--sample-ms M] | --dump NAME "
                            "[--points N] | --callgrind [--iters N]\n");
            return 2;
        }
    }
    if (setup_all() != 0)
        return 1;
    if (dump_name)
        return dump(dump_name, points);
    make_cases();
    if (cg)
        return callgrind(iters);

    size_t b, r, e, len;
    printf("info\tplatform\t%s\n", PLATFORM);
    printf("info\tcompiler\t%s\n", __VERSION__);
    printf("info\tclock\t%s\n", BENCH_CLOCK_NAME);
    sdk_output(REF_POINTS, &len);
    printf("info\tdoc_bytes\t%zu\n", len);
    sdk_arena_peaks(REF_POINTS, &b, &r, &e);
    printf("info\tarena_peak_build\t%zu\n", b);
    printf("info\tarena_peak_record\t%zu\n", r);
    printf("info\tarena_peak_emit\t%zu\n", e);
    printf("info\trounds\t%d\n", rounds);
    printf("info\tsample_ms\t%g\n", sample_ms);
    fflush(stdout);
    run_group("ref", rounds, sample_ms * 1e6, groups);
    run_group("dtoa", rounds, sample_ms * 1e6, groups);
    run_group("scale", rounds > 15 ? 15 : rounds, sample_ms * 1e6, groups);
    return sink == 42 ? 3 : 0;
}
