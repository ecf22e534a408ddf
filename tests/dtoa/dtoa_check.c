/*
 * dtoa_check - filter for check_dtoa.py: reads one double per line as 16 hex
 * digits of its IEEE-754 bit pattern, writes sr_format_double's text for it,
 * one per line. Lines that are not 16 hex digits are answered with "?".
 *
 * It reads and writes in large blocks so a million values take well under a
 * second; the comparison itself happens in Python against repr().
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sr_runtime.h"

static int hex_value(int ch)
{
    if (ch >= '0' && ch <= '9') return ch - '0';
    if (ch >= 'a' && ch <= 'f') return ch - 'a' + 10;
    if (ch >= 'A' && ch <= 'F') return ch - 'A' + 10;
    return -1;
}

/* Parses "[0-9a-fA-F]{16}" (an optional trailing '\r' is ignored). */
static int parse_bits(const char *line, size_t len, uint64_t *bits)
{
    if (len > 0 && line[len - 1] == '\r') len--;
    if (len != 16) return 0;
    uint64_t v = 0;
    for (size_t i = 0; i < 16; i++) {
        int d = hex_value((unsigned char)line[i]);
        if (d < 0) return 0;
        v = (v << 4) | (uint64_t)d;
    }
    *bits = v;
    return 1;
}

static char out[1 << 16];
static size_t out_len;

/* Answers one input line. */
static int emit(const char *line, size_t len)
{
    if (out_len > sizeof out - (SR_DOUBLE_MAX_CHARS + 2)) {
        if (fwrite(out, 1, out_len, stdout) != out_len) return 0;
        out_len = 0;
    }
    uint64_t bits;
    if (parse_bits(line, len, &bits)) {
        double v;
        memcpy(&v, &bits, sizeof v);
        out_len += sr_format_double(v, out + out_len);
    } else {
        out[out_len++] = '?';
    }
    out[out_len++] = '\n';
    return 1;
}

int main(void)
{
    static char in[1 << 16];
    char line[32];
    size_t line_len = 0, got;
    int too_long = 0;

    while ((got = fread(in, 1, sizeof in, stdin)) > 0) {
        for (size_t i = 0; i < got; i++) {
            char ch = in[i];
            if (ch != '\n') {
                if (line_len < sizeof line) line[line_len++] = ch;
                else too_long = 1;
                continue;
            }
            if (!emit(line, too_long ? 0 : line_len)) return 1;
            line_len = 0;
            too_long = 0;
        }
    }
    if (line_len > 0 || too_long) { /* last line without a newline */
        if (!emit(line, too_long ? 0 : line_len)) return 1;
    }
    if (fwrite(out, 1, out_len, stdout) != out_len || fflush(stdout) != 0) return 1;
    return ferror(stdin) ? 1 : 0;
}
