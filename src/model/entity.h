/*
 * entity.h - the register's data model as tables of field descriptors.
 *
 * One row per field drives everything that handles register records: the
 * store's SQL columns, the CLI's --options, CSV/XLSX headers (Chinese and
 * English), JSON keys, validation and display.  Adding a field is one row
 * here plus one migration; no caller has to learn about it.
 *
 * A record (struct sw_rec) holds every field as nullable UTF-8 text in
 * canonical form: integers as decimal, dates as YYYY-MM-DD, enums as their
 * English key, references as the referenced row's id, booleans as "0"/"1".
 */
#ifndef SW_MODEL_ENTITY_H
#define SW_MODEL_ENTITY_H

#include <stddef.h>
#include <stdint.h>

#include "core/err.h"

enum sw_ent {
	SW_ENT_REGION,
	SW_ENT_DEPT,
	SW_ENT_UNIT,
	SW_ENT_GROUP,
	SW_ENT_SITE,
	SW_ENT_PERSON,
	SW_ENT__COUNT
};

enum sw_ftype {
	SW_FT_TEXT,  /* free text, or formatted text when `validate` is set */
	SW_FT_INT,   /* decimal integer within [imin, imax] */
	SW_FT_DATE,  /* calendar date */
	SW_FT_ENUM,  /* one of `enums` */
	SW_FT_BOOL,  /* 是/否, yes/no, 1/0, true/false */
	SW_FT_REF,   /* id of a row of entity `ref` (input: id, name or code) */
	SW_FT_LIST,  /* ';'-separated list, each item checked by `validate` */
};

#define SW_F_REQUIRED 0x1u /* must be present when a record is added */
#define SW_F_KEY      0x2u /* identifies the row for look-ups (name, code) */
#define SW_F_NOEDIT   0x4u /* fixed once created (a region's code) */
#define SW_F_DERIVED  0x8u /* computed by the register, never taken as input */

/* An enum value: stable key in the store, Chinese label, other accepted
 * spellings separated by '|'. */
struct sw_enum_val {
	const char *key;
	const char *zh;
	const char *aliases;
};

/* Checks one value and writes its canonical form (see validate.h). */
typedef enum sw_err (*sw_validator)(const char *in, char *out, size_t outsz,
				    struct sw_errbuf *eb);

struct sw_field {
	const char *key;     /* JSON key, CLI option, English CSV header */
	const char *col;     /* store column */
	const char *zh;      /* Chinese label and CSV header */
	const char *aliases; /* other accepted CSV headers, '|' separated, or NULL */
	enum sw_ftype type;
	unsigned flags;
	sw_validator validate;             /* TEXT/LIST format, or NULL */
	const struct sw_enum_val *enums;   /* ENUM: NULL-key terminated */
	int imin, imax;                    /* INT bounds */
	enum sw_ent ref;                   /* REF target */
	const char *dflt;                  /* value stored when none is given */
	const char *help;                  /* one line for usage text */
};

struct sw_entity {
	enum sw_ent id;
	const char *name;    /* "site": CLI command and JSON type */
	const char *table;   /* store table */
	const char *zh;      /* 网站 */
	const struct sw_field *fields;
	size_t nfields;
	int label_field;     /* field shown when another row refers to this one */
};

#define SW_REC_MAX_FIELDS 40

/* One register row.  Caller-owned struct; values are owned by it. */
struct sw_rec {
	const struct sw_entity *ent;
	int64_t id;                       /* 0 until stored */
	char *v[SW_REC_MAX_FIELDS];       /* NULL = no value */
	char *created_at, *updated_at;    /* set by the store on read */
};

/* Returns the descriptor of entity e; never NULL for a valid e. */
const struct sw_entity *sw_entity_get(enum sw_ent e);

/* Returns the entity called `name` ("site", "unit", ...) or NULL. */
const struct sw_entity *sw_entity_by_name(const char *name);

/* Returns the index of the field whose key, Chinese label or alias equals
 * `name` (ASCII case-insensitive for keys/aliases), or -1. */
int sw_entity_field(const struct sw_entity *ent, const char *name);

/* Index of the field with key `key` (exact), or -1.  For code that names a
 * field it knows exists; see SW_FIELD(). */
int sw_entity_field_key(const struct sw_entity *ent, const char *key);

/* Index of field `key` of entity `e`; aborts when missing (a programming
 * error caught by the first test that runs the code).  `key` must have
 * static storage (a literal or a constant table): answers are remembered by
 * its address. */
int sw_field_index(enum sw_ent e, const char *key);

/* Returns the enum value matching `in` by key, Chinese label or alias, or
 * NULL. */
const struct sw_enum_val *sw_enum_find(const struct sw_enum_val *vals, const char *in);

/* Returns the Chinese label of enum key `key`, or `key` itself. */
const char *sw_enum_zh(const struct sw_enum_val *vals, const char *key);

/* Prepares an empty record of entity ent. */
void sw_rec_init(struct sw_rec *r, const struct sw_entity *ent);

/* Frees the values of r and empties it (r stays usable). */
void sw_rec_cleanup(struct sw_rec *r);

/* Sets field i to a copy of s (NULL clears it).  SW_ENOMEM on failure. */
enum sw_err sw_rec_set(struct sw_rec *r, int i, const char *s);

/* Sets field i to the decimal text of n. */
enum sw_err sw_rec_set_int(struct sw_rec *r, int i, int64_t n);

/* Borrows the value of field i (NULL when unset). */
const char *sw_rec_get(const struct sw_rec *r, int i);

/* Value of field i as an integer, or `dflt` when unset or not a number. */
int64_t sw_rec_get_int(const struct sw_rec *r, int i, int64_t dflt);

/* Deep-copies src into dst (dst is initialised, not cleaned, first). */
enum sw_err sw_rec_copy(struct sw_rec *dst, const struct sw_rec *src);

/* Roles of responsible persons (shared by the person entity and the
 * site-person links). */
extern const struct sw_enum_val sw_person_roles[];

#endif
