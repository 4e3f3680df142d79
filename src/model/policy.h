/*
 * policy.h - monitoring and protection policy, inherited global -> group ->
 * site with per-field override.
 *
 * The store keeps only the fields a scope overrides (key/value rows), so a
 * new policy field is one row in the table of policy.c and every existing
 * register inherits its default.
 */
#ifndef SW_MODEL_POLICY_H
#define SW_MODEL_POLICY_H

#include <stddef.h>

#include "core/err.h"
#include "store/store.h"

enum sw_policy_type { SW_PT_INT, SW_PT_ENUM, SW_PT_LIST, SW_PT_WORDS };

struct sw_policy_field {
	const char *key;
	const char *zh;
	enum sw_policy_type type;
	long imin, imax;                /* INT bounds */
	const char *const *choices;     /* ENUM/LIST: NULL-terminated */
	const char *dflt;               /* built-in default (canonical) */
	const char *help;
};

#define SW_POLICY_VALUE_MAX 512

/* The fields, in display order; *n gets how many. */
const struct sw_policy_field *sw_policy_fields(size_t *n);

/* Index of the field `key` (exact, '-' and '_' equivalent), or -1. */
int sw_policy_field(const char *key);

/*
 * Checks a value for field i and writes its canonical form into out:
 * integers in decimal, lists comma-separated in table order without
 * duplicates ("all" expands to every choice), words lower-cased.
 */
enum sw_err sw_policy_check(int i, const char *in, char *out, size_t outsz,
			    struct sw_errbuf *eb);

#define SW_POLICY_MAX_FIELDS 24

/* An effective policy: every field's value and the scope it came from. */
struct sw_policy {
	char v[SW_POLICY_MAX_FIELDS][SW_POLICY_VALUE_MAX];
	int from[SW_POLICY_MAX_FIELDS]; /* -1 built-in default, else enum sw_scope */
};

/* Fills p with the built-in defaults. */
void sw_policy_defaults(struct sw_policy *p);

/* Overrides field `key` of p with `value` from `scope`.  Unknown keys and
 * values that no longer validate (written by another version) are ignored:
 * returns SW_EINVAL so the caller may warn, p unchanged. */
enum sw_err sw_policy_overlay(struct sw_policy *p, enum sw_scope scope, const char *key,
			      const char *value);

/* Integer value of field key in p (for the scheduler and prober). */
long sw_policy_int(const struct sw_policy *p, const char *key);

/* True when list field key of p contains `item`. */
int sw_policy_has(const struct sw_policy *p, const char *key, const char *item);

#endif
