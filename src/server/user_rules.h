/*
 * user_rules.h - what makes an account valid, shared by the API
 * (api_auth.c) and the CLI (`sitewarden user`): a known role, and the
 * scope that role needs naming rows that exist.
 */
#ifndef SW_SERVER_USER_RULES_H
#define SW_SERVER_USER_RULES_H

#include "store/user.h"

/*
 * Checks u: role one of admin, supervisor, operator, auditor; a
 * supervisor has a region and/or dept_id, an operator a unit_id, the
 * others none; the region, department and unit exist; the name is 1-63
 * bytes without outer spaces or control characters.  SW_EINVAL with the
 * field named.
 */
enum sw_err sw_user_check(struct sw_store *st, const struct sw_user_row *u,
			  struct sw_errbuf *eb);

#endif
