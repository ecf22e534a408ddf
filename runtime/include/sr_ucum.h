/*
 * sr_ucum.h - UCUM case-sensitive unit syntax check. The grammar is here; the
 * atoms and prefixes are data generated from the UCUM essence XML by codegen.
 */
#ifndef SR_UCUM_H
#define SR_UCUM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Codes of 1..max_len bytes grouped by length, each group a run of
 * fixed-width records (no separators) in the order of their search keys
 * (codegen/ucum.py c_key): records of length L have the indices
 * [start[L-1], start[L]) and begin at chars + offset[L-1]. */
typedef struct sr_ucum_set {
    const char *chars;
    const uint16_t *start;  /* max_len + 1 entries */
    const uint16_t *offset; /* max_len entries */
    size_t max_len;         /* at most 16 */
} sr_ucum_set;

/* The plain codes, then those written "[x]", stored as x: one index space
 * across both sets, in that order. */
typedef struct sr_ucum_table {
    sr_ucum_set plain, bracketed;
    const unsigned char *metric; /* bitset by index: atom i may take a prefix; NULL for prefixes */
} sr_ucum_table;

/* True when s[0..n) is a syntactically valid UCUM c/s unit expression over
 * the given atoms and prefixes. The empty string is not a unit. */
bool sr_ucum_valid(const char *s, size_t n, const sr_ucum_table *atoms, const sr_ucum_table *prefixes);

#endif /* SR_UCUM_H */
