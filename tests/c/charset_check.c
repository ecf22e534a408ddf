/* Reads lines "NAME HEX" on stdin (a charset of the contract and a string
 * as hex bytes), prints 1 when sr__charset_ok accepts the string for that
 * charset (empty not allowed), 0 otherwise; tests/c/charset_differential.py
 * compares this with the contract's charset specs. */
#include <stdio.h>
#include <string.h>

#include "sr_contract_internal.h"

static const struct {
    const char *name;
    const sr__charset *cs;
} charsets[] = {
    {"instrument_name", &sr_charset_instrument_name},
    {"printable_ascii", &sr_charset_printable_ascii},
};

int main(void)
{
    char line[8192];
    static char bytes[4096];
    while (fgets(line, sizeof line, stdin)) {
        char *sp = strchr(line, ' ');
        if (sp == NULL)
            return 2;
        *sp = '\0';
        const sr__charset *cs = NULL;
        for (size_t k = 0; k < sizeof charsets / sizeof charsets[0]; k++)
            if (strcmp(charsets[k].name, line) == 0)
                cs = charsets[k].cs;
        if (cs == NULL)
            return 2;
        size_t n = 0;
        unsigned v;
        for (const char *h = sp + 1; sscanf(h, "%2x", &v) == 1 && n < sizeof bytes; h += 2)
            bytes[n++] = (char)v;
        /* a copy at the end of a buffer, so no read past it goes unnoticed
         * under AddressSanitizer */
        char *copy = bytes + sizeof bytes - n;
        memmove(copy, bytes, n);
        sr_str s = {copy, n};
        putchar(sr__charset_ok(s, cs, false) ? '1' : '0');
        putchar('\n');
    }
    return 0;
}
