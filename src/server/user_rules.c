/*
 * user_rules.c - see user_rules.h.
 */
#include "server/user_rules.h"

#include <string.h>

#include "server/server_int.h"

/* Checks that row `id` of entity e exists. */
static int exists(struct sw_store *st, enum sw_ent e, int64_t id)
{
	struct sw_errbuf eb;
	struct sw_rec rec;

	sw_errbuf_clear(&eb);
	if (sw_store_get(st, sw_entity_get(e), id, &rec, &eb))
		return 0;
	sw_rec_cleanup(&rec);
	return 1;
}

enum sw_err sw_user_check(struct sw_store *st, const struct sw_user_row *u,
			  struct sw_errbuf *eb)
{
	enum sw_role role = sw__role_parse(u->role);
	const struct sw_entity *reg = sw_entity_get(SW_ENT_REGION);
	size_t n = strlen(u->name);
	struct sw_errbuf e2;
	int64_t id;

	if (!n || u->name[0] == ' ' || u->name[n - 1] == ' ')
		return sw_errf_field(eb, SW_EINVAL, "name", "a name is 1-63 bytes without outer spaces");
	for (const unsigned char *p = (const unsigned char *)u->name; *p; p++)
		if (*p < 0x20 || *p == 0x7f)
			return sw_errf_field(eb, SW_EINVAL, "name", "a name has no control characters");
	if (!role)
		return sw_errf_field(eb, SW_EINVAL, "role",
				     "role must be admin, supervisor, operator or auditor");
	if (role == SW_ROLE_SUPERVISOR && !u->region[0] && !u->dept_id)
		return sw_errf_field(eb, SW_EINVAL, "region", "a supervisor needs a region or dept_id");
	if (role == SW_ROLE_OPERATOR && !u->unit_id)
		return sw_errf_field(eb, SW_EINVAL, "unit_id", "an operator needs unit_id");
	if (role != SW_ROLE_SUPERVISOR && (u->region[0] || u->dept_id))
		return sw_errf_field(eb, SW_EINVAL, u->region[0] ? "region" : "dept_id",
				     "only supervisors have a region or department");
	if (role != SW_ROLE_OPERATOR && u->unit_id)
		return sw_errf_field(eb, SW_EINVAL, "unit_id", "only operators have a unit");
	sw_errbuf_clear(&e2);
	if (u->region[0] && sw_store_find(st, reg, sw_entity_field_key(reg, "code"), u->region, &id,
					  NULL, &e2))
		return sw_errf_field(eb, SW_EINVAL, "region", "no region with code %s", u->region);
	if (u->dept_id && !exists(st, SW_ENT_DEPT, u->dept_id))
		return sw_errf_field(eb, SW_EINVAL, "dept_id", "no department %lld",
				     (long long)u->dept_id);
	if (u->unit_id && !exists(st, SW_ENT_UNIT, u->unit_id))
		return sw_errf_field(eb, SW_EINVAL, "unit_id", "no unit %lld", (long long)u->unit_id);
	return SW_OK;
}
