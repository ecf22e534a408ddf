/*
 * Proof that leak detection is on in a sanitized build: this program leaks
 * on purpose, and the test registered for it (tests/faults/CMakeLists.txt)
 * passes only when LeakSanitizer reports the leak. If LeakSanitizer were
 * off (ASAN_OPTIONS=detect_leaks=0, or a platform without it), a leak in
 * any other test would go unnoticed; this test would fail instead.
 */
#include <stdio.h>
#include <stdlib.h>

static void *volatile kept; /* volatile: the allocation is not optimised away */

int main(void)
{
    kept = malloc(4242);
    kept = NULL; /* the only pointer is gone: a definite leak */
    (void)puts("leaked 4242 bytes on purpose");
    return 0;
}
