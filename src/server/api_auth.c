/*
 * api_auth.c - sign-in, sessions, users, API tokens and the audit log
 * (API_CONTRACT.md, routes marked [server]).
 *
 * Sign-in answers the same "wrong name or password" whether the name
 * exists or not, and spends an argon2 computation either way, so neither
 * the words nor the time tell which names exist.  Failed attempts count
 * per name and per address (ratelimit.h); past the limit the answer is
 * 429 with Retry-After, checked before the password so guesses stop
 * costing the server argon2 time as well.
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "server/api_json.h"
#include "server/auth.h"
#include "server/password.h"
#include "server/user_rules.h"
#include "store/audit.h"
#include "store/user.h"

#define ALL_PEOPLE (SW_ROLE_ADMIN | SW_ROLE_SUPERVISOR | SW_ROLE_OPERATOR | SW_ROLE_AUDITOR)

/* USER of the contract. */
static json_t *user_json(const struct sw_user_row *u)
{
	json_t *j = json_object();

	json_object_set_new(j, "id", json_integer(u->id));
	json_object_set_new(j, "name", json_string(u->name));
	json_object_set_new(j, "role", json_string(u->role));
	json_object_set_new(j, "region", u->region[0] ? json_string(u->region) : json_null());
	json_object_set_new(j, "dept_id", u->dept_id ? json_integer(u->dept_id) : json_null());
	json_object_set_new(j, "unit_id", u->unit_id ? json_integer(u->unit_id) : json_null());
	json_object_set_new(j, "disabled", json_boolean(u->disabled));
	return j;
}

/* Fills a 429 for key when it must wait; returns 1 then. */
static int limited(struct sw_req *rq, struct sw_resp *rs, const char *key)
{
	int wait = sw_rl_wait(&rq->srv->rl, key, (int64_t)time(NULL));

	if (!wait)
		return 0;
	sw_resp_error(rs, 429, NULL, "too many failed sign-ins; try again in %d seconds", wait);
	rs->retry_after = wait;
	return 1;
}

static int login(struct sw_req *rq, struct sw_resp *rs)
{
	static const char *const keys[] = {"name", "password", NULL};
	const char *name, *pw;
	char kn[96], ka[96], csrf[65];
	struct sw_user_row u;
	struct sw_errbuf eb;
	int64_t now = (int64_t)time(NULL);
	int ok;
	json_t *j;

	if (sw__json_object(rq, rs, keys) || sw__json_str(rq, rs, "name", 1, 63, &name) ||
	    sw__json_str(rq, rs, "password", 1, SW_PW_MAX, &pw))
		return 0;
	snprintf(rq->actor, sizeof rq->actor, "%s", name);
	snprintf(kn, sizeof kn, "n:%s", name);
	snprintf(ka, sizeof ka, "a:%s", rq->remote);
	if (limited(rq, rs, kn) || limited(rq, rs, ka))
		return 0;
	sw_errbuf_clear(&eb);
	if (sw_store_user_by_name(rq->st, name, &u, &eb)) {
		sw_password_burn(pw);
		ok = 0;
	} else {
		ok = sw_password_verify(u.pw_hash, pw) && !u.disabled;
	}
	if (!ok) {
		sw_rl_fail(&rq->srv->rl, kn, now);
		sw_rl_fail(&rq->srv->rl, ka, now);
		return sw_resp_error(rs, 401, NULL, "wrong name or password");
	}
	sw_rl_clear(&rq->srv->rl, kn);
	if (sw__auth_session_new(rq, rs, u.id, csrf))
		return 0;
	j = json_pack("{s:o, s:s}", "user", user_json(&u), "csrf", csrf);
	json_object_set_new(j, "id", json_integer(u.id));
	return sw_resp_json(rs, 200, j);
}

static int logout(struct sw_req *rq, struct sw_resp *rs)
{
	struct sw_errbuf eb;

	sw_errbuf_clear(&eb);
	if (rq->session[0] && sw_store_session_del(rq->st, rq->session, &eb))
		return sw_resp_from_err(rs, SW_ESTORE, &eb);
	sw__auth_cookie_clear(rq, rs);
	return sw_resp_json(rs, 200, json_pack("{s:b}", "ok", 1));
}

static int me(struct sw_req *rq, struct sw_resp *rs)
{
	struct sw_user_row u;
	struct sw_errbuf eb;
	json_t *j;

	sw_errbuf_clear(&eb);
	if (sw_store_user_get(rq->st, rq->user->id, &u, &eb))
		return sw_resp_from_err(rs, SW_ENOTFOUND, &eb);
	j = user_json(&u);
	json_object_set_new(j, "csrf", json_string(rq->csrf));
	return sw_resp_json(rs, 200, j);
}

static int add_user_json(void *arg, const struct sw_user_row *u)
{
	json_array_append_new(arg, user_json(u));
	return 0;
}

static int users_list(struct sw_req *rq, struct sw_resp *rs)
{
	struct sw_errbuf eb;
	int64_t limit, offset, total;
	json_t *items;

	if (sw__page_args(rq, rs, &limit, &offset))
		return 0;
	sw_errbuf_clear(&eb);
	items = json_array();
	if (sw_store_user_count(rq->st, &total, &eb) ||
	    sw_store_user_list(rq->st, limit, offset, add_user_json, items, &eb)) {
		json_decref(items);
		return sw_resp_from_err(rs, SW_ESTORE, &eb);
	}
	return sw_resp_json(rs, 200, sw__page_json(items, total, limit, offset));
}

/* Parses a decimal id from a path capture; 0 when malformed. */
static int64_t path_id(const char *s)
{
	int64_t v = 0;

	if (!s || !*s || strlen(s) > 18)
		return 0;
	for (; *s; s++) {
		if (*s < '0' || *s > '9')
			return 0;
		v = v * 10 + (*s - '0');
	}
	return v;
}

/* Checks u against the account rules (user_rules.h); 0 or a 400. */
static int check_scope(struct sw_req *rq, struct sw_resp *rs, const struct sw_user_row *u)
{
	struct sw_errbuf eb;
	enum sw_err rc;

	sw_errbuf_clear(&eb);
	if ((rc = sw_user_check(rq->st, u, &eb)))
		return sw_resp_from_err(rs, rc, &eb), -1;
	return 0;
}

/* Reads the scope members present in the body into u. */
static int read_scope(struct sw_req *rq, struct sw_resp *rs, struct sw_user_row *u)
{
	const char *role, *region;
	json_t *jr = json_object_get(rq->json, "region");
	int64_t v;
	int present;

	if (sw__json_str(rq, rs, "role", 0, 15, &role) ||
	    sw__json_str(rq, rs, "region", 0, 12, &region))
		return -1;
	if (role)
		snprintf(u->role, sizeof u->role, "%s", role);
	if (region || json_is_null(jr))
		snprintf(u->region, sizeof u->region, "%s", region ? region : "");
	if (sw__json_id(rq, rs, "dept_id", &v, &present))
		return -1;
	if (present)
		u->dept_id = v;
	if (sw__json_id(rq, rs, "unit_id", &v, &present))
		return -1;
	if (present)
		u->unit_id = v;
	return 0;
}

/* Checks a token name: 1-63 bytes without outer spaces. */
static int check_name(struct sw_resp *rs, const char *name)
{
	size_t n = strlen(name);

	if (!n || name[0] == ' ' || name[n - 1] == ' ')
		return sw_resp_error(rs, 400, "name", "a name is 1-63 bytes without outer spaces"),
		       -1;
	return 0;
}

static int users_add(struct sw_req *rq, struct sw_resp *rs)
{
	static const char *const keys[] = {"name",    "password", "role", "region",
					   "dept_id", "unit_id",  NULL};
	struct sw_user_row u;
	struct sw_errbuf eb;
	const char *name, *pw;
	enum sw_err rc;
	int64_t id;

	memset(&u, 0, sizeof u);
	if (sw__json_object(rq, rs, keys) || sw__json_str(rq, rs, "name", 1, 63, &name) ||
	    sw__json_str(rq, rs, "password", 1, SW_PW_MAX, &pw))
		return 0;
	if (!json_object_get(rq->json, "role"))
		return sw_resp_error(rs, 400, "role", "role is required");
	snprintf(u.name, sizeof u.name, "%s", name);
	if (read_scope(rq, rs, &u) || check_scope(rq, rs, &u))
		return 0;
	sw_errbuf_clear(&eb);
	if ((rc = sw_password_check(pw, &eb)) || (rc = sw_password_hash(pw, u.pw_hash,
									 sizeof u.pw_hash, &eb)))
		return sw_resp_from_err(rs, rc, &eb);
	if ((rc = sw_store_user_add(rq->st, &u, &id, &eb)))
		return sw_resp_from_err(rs, rc, &eb);
	u.id = id;
	return sw_resp_json(rs, 201, user_json(&u));
}

static int users_patch(struct sw_req *rq, struct sw_resp *rs)
{
	static const char *const keys[] = {"role", "region", "dept_id", "unit_id", "disabled", NULL};
	struct sw_user_row u;
	struct sw_errbuf eb;
	json_t *dis = json_object_get(rq->json, "disabled");
	int64_t id = path_id(rq->params[0]);
	enum sw_err rc;

	if (sw__json_object(rq, rs, keys))
		return 0;
	if (dis && !json_is_boolean(dis))
		return sw_resp_error(rs, 400, "disabled", "disabled must be true or false");
	sw_errbuf_clear(&eb);
	if (!id || sw_store_user_get(rq->st, id, &u, &eb))
		return sw_resp_error(rs, 404, NULL, "no such user");
	if (read_scope(rq, rs, &u))
		return 0;
	if (dis)
		u.disabled = json_is_true(dis);
	/* A role change drops scope the new role cannot have. */
	if (json_object_get(rq->json, "role")) {
		enum sw_role r = sw__role_parse(u.role);
		if (r != SW_ROLE_SUPERVISOR && !json_object_get(rq->json, "region"))
			u.region[0] = '\0';
		if (r != SW_ROLE_SUPERVISOR && !json_object_get(rq->json, "dept_id"))
			u.dept_id = 0;
		if (r != SW_ROLE_OPERATOR && !json_object_get(rq->json, "unit_id"))
			u.unit_id = 0;
	}
	if (id == rq->user->id && (u.disabled || strcmp(u.role, "admin")))
		return sw_resp_error(rs, 409, NULL, "administrators cannot disable or demote "
						    "themselves");
	if (check_scope(rq, rs, &u))
		return 0;
	if ((rc = sw_store_user_update(rq->st, &u, &eb)))
		return sw_resp_from_err(rs, rc, &eb);
	/* Sessions of a disabled user end now (lookups already refuse them). */
	if (u.disabled && (rc = sw_store_sessions_end_user(rq->st, id, NULL, &eb)))
		return sw_resp_from_err(rs, rc, &eb);
	return sw_resp_json(rs, 200, user_json(&u));
}

static int users_password(struct sw_req *rq, struct sw_resp *rs)
{
	static const char *const keys[] = {"password", NULL};
	struct sw_user_row u;
	struct sw_errbuf eb;
	int64_t id = path_id(rq->params[0]);
	const char *pw;
	enum sw_err rc;

	if (rq->user->role != SW_ROLE_ADMIN && id != rq->user->id)
		return sw_resp_error(rs, 403, NULL, "only administrators set others' passwords");
	if (sw__json_object(rq, rs, keys) || sw__json_str(rq, rs, "password", 1, SW_PW_MAX, &pw))
		return 0;
	sw_errbuf_clear(&eb);
	if (!id || sw_store_user_get(rq->st, id, &u, &eb))
		return sw_resp_error(rs, 404, NULL, "no such user");
	if ((rc = sw_password_check(pw, &eb)) ||
	    (rc = sw_password_hash(pw, u.pw_hash, sizeof u.pw_hash, &eb)) ||
	    (rc = sw_store_user_update(rq->st, &u, &eb)) ||
	    /* Other sessions of that user end; the asker's own one stays. */
	    (rc = sw_store_sessions_end_user(rq->st, id, rq->session, &eb)))
		return sw_resp_from_err(rs, rc, &eb);
	return sw_resp_json(rs, 200, json_pack("{s:I, s:b}", "id", (json_int_t)id, "ok", 1));
}

static int tokens_add(struct sw_req *rq, struct sw_resp *rs)
{
	static const char *const keys[] = {"name", NULL};
	struct sw_errbuf eb;
	const char *name;
	char tok[70], secret[65], digest[65];
	int64_t id;
	enum sw_err rc;

	if (sw__json_object(rq, rs, keys) || sw__json_str(rq, rs, "name", 1, 63, &name) ||
	    check_name(rs, name))
		return 0;
	sw_errbuf_clear(&eb);
	if ((rc = sw_secret_random_hex(32, secret, &eb)))
		return sw_resp_from_err(rs, rc, &eb);
	snprintf(tok, sizeof tok, "swt_%s", secret);
	sw_secret_sha256_hex(tok, strlen(tok), digest);
	if ((rc = sw_store_token_add(rq->st, rq->user->id, name, digest, (int64_t)time(NULL), &id,
				     &eb)))
		return sw_resp_from_err(rs, rc, &eb);
	return sw_resp_json(rs, 201, json_pack("{s:I, s:s, s:s}", "id", (json_int_t)id, "name",
					       name, "token", tok));
}

static int add_audit_json(void *arg, const struct sw_audit_row *r)
{
	char at[32];
	time_t t = (time_t)r->at;
	struct tm tm;

	gmtime_r(&t, &tm);
	strftime(at, sizeof at, "%Y-%m-%dT%H:%M:%SZ", &tm);
	json_array_append_new(
		arg, json_pack("{s:I, s:s, s:o, s:s, s:s, s:s, s:s, s:o, s:i}", "id",
			       (json_int_t)r->id, "at", at, "user_id",
			       r->user_id ? json_integer(r->user_id) : json_null(), "user",
			       r->user_name ? r->user_name : "", "remote", r->remote ? r->remote : "",
			       "method", r->method ? r->method : "", "path", r->path ? r->path : "",
			       "target", r->target ? json_string(r->target) : json_null(), "status",
			       r->status));
	return 0;
}

static int audit_list(struct sw_req *rq, struct sw_resp *rs)
{
	struct sw_errbuf eb;
	int64_t limit, offset, total;
	json_t *items;

	if (sw__page_args(rq, rs, &limit, &offset))
		return 0;
	sw_errbuf_clear(&eb);
	items = json_array();
	if (sw_store_audit_count(rq->st, &total, &eb) ||
	    sw_store_audit_list(rq->st, limit, offset, add_audit_json, items, &eb)) {
		json_decref(items);
		return sw_resp_from_err(rs, SW_ESTORE, &eb);
	}
	return sw_resp_json(rs, 200, sw__page_json(items, total, limit, offset));
}

const struct sw_route sw_api_routes_auth[] = {
	{"POST", "/api/login", login, SW_R_PUBLIC | SW_R_WRITE, 0,
	 "sign in: sets the session cookie, answers the user and its CSRF token"},
	{"POST", "/api/logout", logout, SW_R_WRITE, ALL_PEOPLE, "sign out: ends the session"},
	{"GET", "/api/me", me, 0, 0, "the signed-in user and its CSRF token"},
	{"GET", "/api/users", users_list, 0, SW_ROLE_ADMIN | SW_ROLE_AUDITOR, "list users"},
	{"POST", "/api/users", users_add, SW_R_WRITE, SW_ROLE_ADMIN, "create a user"},
	{"PATCH", "/api/users/{id}", users_patch, SW_R_WRITE, SW_ROLE_ADMIN,
	 "change a user's role, scope or disabled flag"},
	{"POST", "/api/users/{id}/password", users_password, SW_R_WRITE, ALL_PEOPLE,
	 "set a password (administrators: anyone's; others: their own)"},
	{"POST", "/api/tokens", tokens_add, SW_R_WRITE, ALL_PEOPLE,
	 "make an API token for the signed-in user (shown once)"},
	{"GET", "/api/audit", audit_list, 0, SW_ROLE_ADMIN | SW_ROLE_AUDITOR,
	 "the audit log, newest first"},
	{0},
};
