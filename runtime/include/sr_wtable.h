/*
 * sr_wtable.h - the table-driven JSON writer of size builds.
 *
 * The generator describes each serialized type of the contract as a constant
 * table (per field: the key text, already escaped; the value's kind; where
 * the value is in the struct; how its presence is tested; the nested type or
 * enum), and sr_wtable_object() writes an object from its table. Size builds
 * (__OPTIMIZE_SIZE__: every wasm build) use it in place of the straight-line
 * writers the generator emits for speed builds; both write the same bytes
 * (the conformance vectors run through both, see scripts/test.sh). Defining
 * SR_WTABLE=1 selects it in any build, SR_WTABLE=0 never.
 *
 * Nothing here knows a field of the contract, and nothing allocates: the
 * output goes through the bounded sr_writer like everything else.
 */
#ifndef SR_WTABLE_H
#define SR_WTABLE_H

#include "sr_runtime.h"

#ifdef __cplusplus
extern "C" {
#endif

#ifndef SR_WTABLE
#if defined(__OPTIMIZE_SIZE__)
#define SR_WTABLE 1
#else
#define SR_WTABLE 0
#endif
#endif

/* The layout of the generated sr_str (checked where the tables are made). */
typedef struct sr_wstr {
    const char *ptr;
    size_t len;
} sr_wstr;

/* Value kinds (low 5 bits of sr_wfield.kind). */
enum {
    SR_WK_STR = 0,      /* sr_str, written as a JSON string */
    SR_WK_RAW = 1,      /* sr_str holding JSON text, written as is */
    SR_WK_CSTR = 2,     /* const char * (NUL-terminated), as a JSON string */
    SR_WK_CRAW = 3,     /* const char * JSON text, as is */
    SR_WK_BOOL = 4,     /* bool */
    SR_WK_U32 = 5,      /* uint32_t */
    SR_WK_U64 = 6,      /* uint64_t */
    SR_WK_I64 = 7,      /* int64_t */
    SR_WK_DOUBLE = 8,   /* double (finite; otherwise the writer's error) */
    SR_WK_ENUM = 9,     /* an enum (int-sized); arg: its names in sr_wschema.enums */
    SR_WK_U64S = 10,    /* {const uint64_t *items; size_t count} */
    SR_WK_DOUBLES = 11, /* {const double *items; size_t count} */
    SR_WK_MAP = 12,     /* {head, tail, count} of entries {next, key, value}; arg: sr_wschema.maps */
    SR_WK_OBJECT = 13,  /* an embedded object; arg: its type; left out when it has no field to write */
    SR_WK_LIST = 14,    /* {head, tail, count} of objects whose first member is `next`; arg: their type */
    SR_WK_CONST = 15,   /* nothing to read: the key text carries the value */
    SR_WK_HOOK = 16,    /* arg: sr_wschema.hooks; left out when the hook returns false */
    SR_WK_VALUE = 17    /* a map value of the contract's value type (sr_wschema.value) */
};

/* Presence tests (high 3 bits of sr_wfield.kind). */
enum {
    SR_WP_ALWAYS = 0, /* always written (objects and hooks may still leave themselves out) */
    SR_WP_BIT = 1,    /* bit (test & 31) of the uint32_t at offset test >> 5 */
    SR_WP_PTR = 2,    /* the pointer at offset `test` is not NULL */
    SR_WP_SIZE = 3,   /* the size_t at offset `test` is not 0 */
    SR_WP_I64 = 4     /* the int64_t at offset `test` is not 0 */
};

#define SR_WKIND(kind, presence) ((uint8_t)((kind) | (presence) << 5))

typedef struct sr_wfield {
    uint16_t key;  /* offset in sr_wschema.text: a length byte, then the key, e.g. "name": */
    uint16_t at;   /* offset of the value in the object */
    uint16_t test; /* what the presence test reads (see SR_WP_*) */
    uint8_t kind;  /* SR_WKIND(SR_WK_*, SR_WP_*) */
    uint8_t arg;   /* nested type, enum, map or hook index */
} sr_wfield;

/* A type: its fields are sr_wschema.fields[first .. first + count). */
typedef struct sr_wtype {
    uint16_t first;
    uint16_t count;
} sr_wtype;

/* A map's entries: where the key (an sr_str) and the value are, and the
 * value's kind (SR_WK_STR or SR_WK_VALUE). */
typedef struct sr_wmap {
    uint8_t key;
    uint8_t value;
    uint8_t value_kind;
} sr_wmap;

/* The contract's dynamically typed map value: offsets of its type code, its
 * item count (arrays) and its payload; type codes with `array` set are
 * arrays of the scalar kind kinds[code & ~array]; kinds has `ntypes` entries
 * (0xFF: not a value type, nothing is written). */
typedef struct sr_wvalue {
    uint8_t type;
    uint8_t count;
    uint8_t as;
    uint8_t array;
    uint8_t ntypes;
    const uint8_t *kinds;
} sr_wvalue;

/* Writes what is left of a field after its key; false: nothing to write
 * (the field is then left out, key and all). */
typedef bool (*sr_whook)(sr_writer *w, const void *obj, const void *ctx);

typedef struct sr_wschema {
    const sr_wfield *fields;
    const sr_wtype *types;
    const char *text;       /* length-prefixed texts: keys and enum names */
    const uint16_t *enums;  /* at an enum's index: n, then the text offsets of values 0 .. n-1 (0xFFFF: none) */
    const sr_wmap *maps;
    const sr_wvalue *value; /* may be NULL when no map holds SR_WK_VALUE */
    const sr_whook *hooks;  /* may be NULL */
} sr_wschema;

/* Writes the object `obj` of type `type` as {"key":value,...} with the
 * fields that are present, in table order. `ctx` is passed to hooks.
 * Returns whether any field was written ("{}" is written either way). */
bool sr_wtable_object(sr_writer *w, const sr_wschema *s, unsigned type, const void *obj, const void *ctx);

#ifdef __cplusplus
}
#endif
#endif /* SR_WTABLE_H */
