/*
 * sr_ucum.h - UCUM case-sensitive unit syntax check. The grammar is here; the
 * atoms and prefixes are data generated from the UCUM essence XML by codegen.
 */
#ifndef SR_UCUM_H
#define SR_UCUM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* A sorted set of codes, concatenated, with count + 1 offsets. */
typedef struct sr_ucum_table {
    const char *chars;
    const uint16_t *offsets;
    const unsigned char *metric; /* bitset: atom i may take a prefix; NULL for prefixes */
    size_t count;
} sr_ucum_table;

/* True when s[0..n) is a syntactically valid UCUM c/s unit expression over
 * the given atoms and prefixes. The empty string is not a unit. */
bool sr_ucum_valid(const char *s, size_t n, const sr_ucum_table *atoms, const sr_ucum_table *prefixes);

#endif /* SR_UCUM_H */
