/* Reads one unit per line on stdin, prints 1 when the generated UCUM tables
 * and the runtime parser accept it, 0 otherwise (tests/codegen compares this
 * with the Python reference, codegen/ucum.py). */
#include <stdio.h>
#include <string.h>

#include "sr_contract_internal.h"

int main(void)
{
    char line[4096];
    while (fgets(line, sizeof line, stdin)) {
        size_t n = strlen(line);
        if (n && line[n - 1] == '\n')
            line[--n] = '\0';
        putchar(sr_ucum_valid(line, n, &sr__ucum_atoms, &sr__ucum_prefixes) ? '1' : '0');
        putchar('\n');
    }
    return 0;
}
