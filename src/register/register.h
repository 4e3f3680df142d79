/*
 * register.h - the site register's rules on top of the store: turning user
 * input into canonical field values, resolving references by id, name or
 * code, defaults and derived fields, uniqueness across the register, and
 * effective policies.  Used alike by the CLI, the importer and the API.
 */
#ifndef SW_REGISTER_REGISTER_H
#define SW_REGISTER_REGISTER_H

#include <stddef.h>
#include <stdint.h>

#include "core/err.h"
#include "model/entity.h"
#include "model/policy.h"
#include "store/store.h"

/* Longest free-text value accepted (bytes). */
#define SW_REG_TEXT_MAX 2000

/*
 * Validates `input` for field i of rec's entity and stores the canonical
 * value in rec; empty (after trimming spaces) clears the field.  References
 * are resolved through the store (st may be NULL only when the entity has
 * no reference fields).  Setting mlps_grade or mlps_assess_date clears
 * mlps_next_due so it is derived again, unless a later call sets it: callers
 * apply fields in table order.  On failure returns SW_EINVAL (or
 * SW_ENOTFOUND for a reference to nothing) with the field key in eb->field
 * and rec unchanged.
 */
enum sw_err sw_reg_apply(struct sw_store *st, struct sw_rec *rec, int i, const char *input,
			 struct sw_errbuf *eb);

/*
 * Finds the row of ent that `ref` names: its id, or a key field (a region's
 * code or name, a unit's credit code or name, a site's URL, host name or
 * name, others by name).  SW_ENOTFOUND, or SW_EINVAL when a name matches
 * several rows (the message says how to be precise).
 */
enum sw_err sw_reg_resolve(struct sw_store *st, const struct sw_entity *ent, const char *ref,
			   int64_t *id, struct sw_errbuf *eb);

/* Adds rec after filling defaults and derived fields and checking required
 * fields and uniqueness; sets rec->id.  All or nothing. */
enum sw_err sw_reg_add(struct sw_store *st, struct sw_rec *rec, struct sw_errbuf *eb);

/* Writes an edited rec (loaded with sw_store_get, then sw_reg_apply'd) with
 * the same checks as sw_reg_add.  All or nothing. */
enum sw_err sw_reg_update(struct sw_store *st, struct sw_rec *rec, struct sw_errbuf *eb);

/* Removes row id of ent; refuses while other rows refer to it. */
enum sw_err sw_reg_remove(struct sw_store *st, const struct sw_entity *ent, int64_t id,
			  struct sw_errbuf *eb);

/* Writes the label of row id of ent (its name, a region's name) into buf;
 * "#id" when the row is gone.  Never fails. */
void sw_reg_label(struct sw_store *st, enum sw_ent ent, int64_t id, char *buf, size_t n);

/* Computes the effective policy of a site (group_id and site_id set), a
 * group (site_id 0) or the global policy (both 0). */
enum sw_err sw_reg_policy(struct sw_store *st, int64_t group_id, int64_t site_id,
			  struct sw_policy *out, struct sw_errbuf *eb);

/* Sets (value non-NULL, validated) or clears (NULL) one policy field in a
 * scope; scope_id names the group or site (0 for global). */
enum sw_err sw_reg_policy_set(struct sw_store *st, enum sw_scope scope, int64_t scope_id,
			      const char *key, const char *value, struct sw_errbuf *eb);

/* Trims ASCII white space and U+3000 from both ends of s in place and
 * returns s. */
char *sw_reg_trim(char *s);

#endif
