/* Unit tests for the arena (sr_arena_*). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "sr_runtime.h"

/* Backing store aligned generously, so tests can offset it on purpose. */
static union {
    max_align_t align;
    unsigned char bytes[256];
} store;

static void assert_aligned(const void *p, size_t align)
{
    assert_non_null(p);
    assert_int_equal((uintptr_t)p % align, 0);
}

static void test_init_and_basic_alloc(void **state)
{
    (void)state;
    sr_arena a;
    sr_arena_init(&a, store.bytes, 64);
    assert_ptr_equal(a.base, store.bytes);
    assert_int_equal(a.size, 64);
    assert_int_equal(a.used, 0);
    assert_int_equal(a.peak, 0);

    unsigned char *p = sr_arena_alloc(&a, 10, 1);
    assert_ptr_equal(p, store.bytes);
    unsigned char *q = sr_arena_alloc(&a, 6, 1);
    assert_ptr_equal(q, store.bytes + 10);
    assert_int_equal(a.used, 16);
    assert_int_equal(a.peak, 16);
}

static void test_alignment_from_misaligned_base(void **state)
{
    (void)state;
    sr_arena a;
    /* base + 1 is odd: every aligned request needs padding. */
    sr_arena_init(&a, store.bytes + 1, 200);
    static const size_t aligns[] = {1, 2, 4, 8, 16, 32, 64};
    for (size_t i = 0; i < sizeof aligns / sizeof aligns[0]; i++) {
        void *p = sr_arena_alloc(&a, 3, aligns[i]);
        assert_aligned(p, aligns[i]);
        assert_true((unsigned char *)p >= store.bytes + 1);
        assert_true((unsigned char *)p + 3 <= store.bytes + 1 + 200);
    }
    /* used counts the padding too, and equals the end of the last block. */
    void *last = sr_arena_alloc(&a, 1, 1);
    assert_ptr_equal((unsigned char *)last + 1, a.base + a.used);
}

static void test_bad_alignment_rejected(void **state)
{
    (void)state;
    sr_arena a;
    sr_arena_init(&a, store.bytes, 64);
    assert_null(sr_arena_alloc(&a, 4, 0));
    assert_null(sr_arena_alloc(&a, 4, 3));
    assert_null(sr_arena_alloc(&a, 4, 24));
    assert_int_equal(a.used, 0);
    assert_int_equal(a.peak, 0);
}

static void test_exhaustion_leaves_state_unchanged(void **state)
{
    (void)state;
    sr_arena a;
    sr_arena_init(&a, store.bytes, 32);
    assert_non_null(sr_arena_alloc(&a, 20, 1));
    const sr_arena before = a;

    assert_null(sr_arena_alloc(&a, 13, 1));        /* one byte too many */
    assert_null(sr_arena_alloc(&a, SIZE_MAX, 1));  /* no wrap-around */
    assert_null(sr_arena_alloc(&a, SIZE_MAX - 5, 16));
    /* Fits unaligned, but not after padding to 16 (20 -> 32 leaves 0). */
    assert_null(sr_arena_alloc(&a, 4, 16));
    assert_memory_equal(&a, &before, sizeof a);

    /* What does fit still works afterwards, up to the last byte. */
    assert_ptr_equal(sr_arena_alloc(&a, 12, 1), store.bytes + 20);
    assert_int_equal(a.used, 32);
    assert_null(sr_arena_alloc(&a, 1, 1));
    assert_int_equal(a.used, 32);
}

static void test_zero_size(void **state)
{
    (void)state;
    sr_arena a;
    sr_arena_init(&a, store.bytes, 8);
    void *p = sr_arena_alloc(&a, 0, 1);
    assert_ptr_equal(p, store.bytes);
    assert_int_equal(a.used, 0);
    assert_non_null(sr_arena_alloc(&a, 8, 1));
    assert_null(sr_arena_alloc(&a, 0, 1)); /* no room at all */

    sr_arena empty;
    sr_arena_init(&empty, NULL, 100);
    assert_int_equal(empty.size, 0);
    assert_null(sr_arena_alloc(&empty, 0, 1));
    assert_null(sr_arena_alloc(&empty, 1, 1));
    assert_null(sr_arena_alloc(NULL, 1, 1));
}

static void test_mark_rollback_peak(void **state)
{
    (void)state;
    sr_arena a;
    sr_arena_init(&a, store.bytes, 128);
    assert_non_null(sr_arena_alloc(&a, 10, 1));
    size_t m = sr_arena_mark(&a);
    assert_int_equal(m, 10);

    unsigned char *p = sr_arena_alloc(&a, 50, 1);
    assert_non_null(p);
    assert_int_equal(a.peak, 60);
    sr_arena_rollback(&a, m);
    assert_int_equal(a.used, 10);
    assert_int_equal(a.peak, 60); /* the high-water mark stays */

    /* The rolled-back space is handed out again. */
    assert_ptr_equal(sr_arena_alloc(&a, 5, 1), p);
    assert_int_equal(a.peak, 60);

    /* A mark from beyond the current position is ignored. */
    sr_arena_rollback(&a, 100);
    assert_int_equal(a.used, 15);

    sr_arena_reset(&a);
    assert_int_equal(a.used, 0);
    assert_int_equal(a.peak, 60);
    assert_non_null(sr_arena_alloc(&a, 100, 1));
    assert_int_equal(a.peak, 100);
}

static void test_strndup(void **state)
{
    (void)state;
    sr_arena a;
    sr_arena_init(&a, store.bytes, 16);
    char *s = sr_arena_strndup(&a, "hello, world", 5);
    assert_non_null(s);
    assert_string_equal(s, "hello");
    assert_int_equal(a.used, 6);

    char *e = sr_arena_strndup(&a, NULL, 0);
    assert_non_null(e);
    assert_string_equal(e, "");
    assert_int_equal(a.used, 7);

    /* 9 bytes left: 9 characters plus the NUL do not fit. */
    const sr_arena before = a;
    assert_null(sr_arena_strndup(&a, "123456789", 9));
    assert_memory_equal(&a, &before, sizeof a);
    assert_non_null(sr_arena_strndup(&a, "12345678", 8));
    assert_int_equal(a.used, 16);

    assert_null(sr_arena_strndup(&a, NULL, 3));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_init_and_basic_alloc),
        cmocka_unit_test(test_alignment_from_misaligned_base),
        cmocka_unit_test(test_bad_alignment_rejected),
        cmocka_unit_test(test_exhaustion_leaves_state_unchanged),
        cmocka_unit_test(test_zero_size),
        cmocka_unit_test(test_mark_rollback_peak),
        cmocka_unit_test(test_strndup),
    };
    return cmocka_run_group_tests_name("arena", tests, NULL, NULL);
}
