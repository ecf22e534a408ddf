/* Prints every rule id (sr_rule_id of 0 .. SR_RULE_COUNT-1), one a line,
 * twice (the size builds spell an id on first use: the second pass reads it
 * back), then "null" for each out-of-range rule that must give NULL.
 * tests/c/rule_ids.py compares this with the contract. Built twice: as the
 * SDK is, and with sr_contract.c at -Os and SR_SPELL_RULE_IDS (the variant
 * the wasm size builds compile). */
#include <stdio.h>

#include "sr_contract.h"

int main(void)
{
    for (int pass = 0; pass < 2; pass++)
        for (int i = 0; i < SR_RULE_COUNT; i++) {
            const char *id = sr_rule_id((sr_rule)i);
            puts(id ? id : "(NULL)");
        }
    puts(sr_rule_id((sr_rule)SR_RULE_COUNT) == NULL ? "null" : "not null");
    puts(sr_rule_id((sr_rule)-1) == NULL ? "null" : "not null");
    return 0;
}
