/*
 * sr_wtable.h - the table-driven JSON writer of size builds.
 *
 * The generator describes each serialized type of the contract as constant
 * code (per field: its name, the value's kind, where the value is in the
 * struct, how its presence is tested, the nested type or enum), and
 * sr_wtable_object() writes an object from it. Size builds
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

/* Value kinds (low 5 bits of a field's kind byte). */
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
    SR_WK_ENUM = 9,     /* an enum (int-sized); its names in sr_wschema.enums */
    SR_WK_U64S = 10,    /* {const uint64_t *items; size_t count} */
    SR_WK_DOUBLES = 11, /* {const double *items; size_t count} */
    SR_WK_MAP = 12,     /* {head, tail, count} of entries {next, key, value}; arg: sr_wschema.maps */
    SR_WK_OBJECT = 13,  /* an embedded object; arg: its type; left out when it has no field to write */
    SR_WK_LIST = 14,    /* {head, tail, count} of objects whose first member is `next`; arg: their type */
    SR_WK_CONST = 15,   /* nothing to read: the value's text follows the name */
    SR_WK_HOOK = 16,    /* arg: sr_wschema.hooks; left out when the hook returns false */
    SR_WK_VALUE = 17    /* a map value of the contract's value type (sr_wschema.value) */
};

/* Presence tests (high 3 bits of a field's kind byte); see below for
 * where each reads. */
enum {
    SR_WP_ALWAYS = 0, /* always written (objects and hooks may still leave themselves out) */
    SR_WP_BIT = 1,    /* a bit of the type's `present` word */
    SR_WP_PTR = 2,    /* a pointer that is not NULL */
    SR_WP_SIZE = 3,   /* a size_t that is not 0 */
    SR_WP_I64 = 4     /* an int64_t that is not 0 */
};

#define SR_WKIND(kind, presence) ((unsigned char)((kind) | (presence) << 5))

/* Offsets of values in objects, as stored in a type's code: one byte where
 * pointers are 32-bit (wasm32: every offset of the contract's structs is
 * below 256; a larger one does not compile), two bytes (low, high) else. */
#if UINTPTR_MAX > 0xFFFFFFFFu
#define SR_WAT_SIZE 2
#define SR_WAT(x) (unsigned char)((x) & 0xFF), (unsigned char)((x) >> 8)
#else
#define SR_WAT_SIZE 1
#define SR_WAT(x) (unsigned char)((x) + 0 * sizeof(char[(x) < 256 ? 1 : -1]))
#endif

/*
 * A schema's code is a byte string. A type is a header
 *     count, SR_WAT(offset of its `present` bits, 0 if none)
 * and then `count` fields, each
 *     SR_WKIND(kind, presence), arg, SR_WAT(offset of the value), name
 * written as ,"name": (SR_WK_CONST: followed by m, value text[m], written as
 * is). name: below 0x80 the index of the field's name in the schema's
 * name table (sr_wnames), else 0x80 | n followed by the n bytes of the
 * name. arg: the nested type (SR_WK_OBJECT, SR_WK_LIST),
 * the map (SR_WK_MAP), the hook (SR_WK_HOOK); for SR_WP_BIT fields the bit
 * in its low 5 bits, and for an SR_WK_ENUM among them the enum in its high
 * 3. Where presence is read is implied: SR_WP_PTR and SR_WP_I64 read the
 * value's first word, SR_WP_SIZE the size_t after the value's first pointer
 * (the length of an sr_str, the count of an array) or after its first two
 * (the count of a list or map); the generated tables check these layouts at
 * compile time.
 */

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

/* A name table (the generated SDK shares one with the validator's paths):
 * name i is spans[i] & 31 bytes at chars + (spans[i] >> 5). */
typedef struct sr_wnames {
    const char *chars;
    const uint16_t *spans;
    const unsigned char *enums; /* enums[e]: where enum e's bytes are in enums: n, then the names of values
                                   0 .. n-1 (0xFF: none); NULL when there are no enums */
} sr_wnames;

typedef struct sr_wschema {
    const unsigned char *code;
    const uint16_t *types;   /* where each type's header is in code */
    const sr_wnames *names;  /* NULL when every name is inline and there are no enums */
    const sr_wmap *maps;
    const sr_wvalue *value; /* NULL when no map holds SR_WK_VALUE */
    const sr_whook *hooks;  /* NULL when there are no hooks */
} sr_wschema;

/* Writes the object `obj` of type `type` as {"key":value,...} with the
 * fields that are present, in table order. `ctx` is passed to hooks.
 * Returns whether any field was written ("{}" is written either way). */
bool sr_wtable_object(sr_writer *w, const sr_wschema *s, unsigned type, const void *obj, const void *ctx);

#ifdef __cplusplus
}
#endif
#endif /* SR_WTABLE_H */
