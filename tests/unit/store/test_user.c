/*
 * test_user.c - accounts, sessions, API tokens (store/user.h) and the
 * audit log (store/audit.h): names unique, scope stored, sessions expire
 * and end with their user or when it is disabled, tokens only for
 * enabled users; the audit log refuses UPDATE and DELETE in the database
 * itself (both backends, through triggers).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "../testutil.h"
#include "store/audit.h"
#include "store/backend.h"
#include "store/user.h"

static struct sw_user_row mk(const char *name, const char *role)
{
	struct sw_user_row u;

	memset(&u, 0, sizeof u);
	snprintf(u.name, sizeof u.name, "%s", name);
	snprintf(u.role, sizeof u.role, "%s", role);
	snprintf(u.pw_hash, sizeof u.pw_hash, "$argon2id$v=19$m=19456,t=2,p=1$x$y");
	return u;
}

static int count_cb(void *arg, const struct sw_user_row *u)
{
	(void)u;
	++*(int *)arg;
	return 0;
}

static void test_users_and_sessions(void **state)
{
	struct sw_store *st = *state;
	struct sw_errbuf eb;
	struct sw_user_row u = mk("admin", "admin"), got;
	char csrf[65];
	int64_t id, id2, n, tid;
	int seen = 0;

	sw_errbuf_clear(&eb);
	assert_int_equal(sw_store_user_add(st, &u, &id, &eb), SW_OK);
	assert_true(id > 0);
	assert_int_equal(sw_store_user_add(st, &u, &id2, &eb), SW_EEXIST);
	u = mk("'; DROP TABLE users; --", "auditor");
	assert_int_equal(sw_store_user_add(st, &u, &id2, &eb), SW_OK);
	assert_int_equal(sw_store_user_by_name(st, "'; DROP TABLE users; --", &got, &eb), SW_OK);
	assert_int_equal(got.id, id2);
	assert_string_equal(got.role, "auditor");
	/* A role the table does not know is refused by the database too. */
	u = mk("bad", "root");
	assert_int_not_equal(sw_store_user_add(st, &u, &n, &eb), SW_OK);
	assert_int_equal(sw_store_user_count(st, &n, &eb), SW_OK);
	assert_int_equal(n, 2);
	assert_int_equal(sw_store_user_list(st, 1, 1, count_cb, &seen, &eb), SW_OK);
	assert_int_equal(seen, 1);

	/* Sessions: found until they expire. */
	assert_int_equal(sw_store_session_add(st, "h1", id, "c1", 1000, 2000, "127.0.0.1", &eb),
			 SW_OK);
	assert_int_equal(sw_store_session_add(st, "h2", id, "c2", 1000, 2000, "127.0.0.1", &eb),
			 SW_OK);
	assert_int_equal(sw_store_session_user(st, "h1", 1500, &got, csrf, &eb), SW_OK);
	assert_int_equal(got.id, id);
	assert_string_equal(csrf, "c1");
	assert_int_equal(sw_store_session_user(st, "h1", 2000, &got, csrf, &eb), SW_ENOTFOUND);
	assert_int_equal(sw_store_session_user(st, "nope", 1500, &got, csrf, &eb), SW_ENOTFOUND);
	/* Ending a user's other sessions keeps the one named. */
	assert_int_equal(sw_store_sessions_end_user(st, id, "h2", &eb), SW_OK);
	assert_int_equal(sw_store_session_user(st, "h1", 1500, &got, csrf, &eb), SW_ENOTFOUND);
	assert_int_equal(sw_store_session_user(st, "h2", 1500, &got, csrf, &eb), SW_OK);

	/* Tokens work for enabled users only; a disabled user's sessions stop too. */
	assert_int_equal(sw_store_token_add(st, id, "ci", "t1", 1000, &tid, &eb), SW_OK);
	assert_int_equal(sw_store_token_user(st, "t1", &got, &eb), SW_OK);
	assert_int_equal(sw_store_user_get(st, id, &u, &eb), SW_OK);
	u.disabled = 1;
	assert_int_equal(sw_store_user_update(st, &u, &eb), SW_OK);
	assert_int_equal(sw_store_token_user(st, "t1", &got, &eb), SW_ENOTFOUND);
	assert_int_equal(sw_store_session_user(st, "h2", 1500, &got, csrf, &eb), SW_ENOTFOUND);
	assert_int_equal(sw_store_sessions_prune(st, 5000, &eb), SW_OK);
	u.id = 9999;
	assert_int_equal(sw_store_user_update(st, &u, &eb), SW_ENOTFOUND);
}

struct rows {
	int n;
	int64_t first_id;
	char first_path[64];
};

static int audit_cb(void *arg, const struct sw_audit_row *r)
{
	struct rows *x = arg;

	if (!x->n++) {
		x->first_id = r->id;
		snprintf(x->first_path, sizeof x->first_path, "%s", r->path);
	}
	return 0;
}

static void test_audit_append_only(void **state)
{
	struct sw_store *st = *state;
	struct sw_errbuf eb;
	struct sw_audit_row a = {.at = 1000, .user_name = "admin", .remote = "127.0.0.1",
				 .method = "POST", .path = "/api/users", .target = "2",
				 .status = 201};
	struct rows x = {0};
	int64_t n;

	sw_errbuf_clear(&eb);
	assert_int_equal(sw_store_audit_add(st, &a, &eb), SW_OK);
	a.path = "/api/login";
	a.target = NULL;
	a.status = 401;
	assert_int_equal(sw_store_audit_add(st, &a, &eb), SW_OK);
	assert_int_equal(sw_store_audit_count(st, &n, &eb), SW_OK);
	assert_int_equal(n, 2);
	assert_int_equal(sw_store_audit_list(st, 10, 0, audit_cb, &x, &eb), SW_OK);
	assert_int_equal(x.n, 2);
	assert_string_equal(x.first_path, "/api/login"); /* newest first */
	/* The database itself refuses changes, whoever asks. */
	assert_int_not_equal(st->ops->exec(st->db, "UPDATE audit_log SET status = 200", NULL), SW_OK);
	assert_int_not_equal(st->ops->exec(st->db, "DELETE FROM audit_log", NULL), SW_OK);
	assert_int_equal(sw_store_audit_count(st, &n, &eb), SW_OK);
	assert_int_equal(n, 2);
	x.n = 0;
	assert_int_equal(sw_store_audit_list(st, 1, 1, audit_cb, &x, &eb), SW_OK);
	assert_int_equal(x.n, 1);
	assert_string_equal(x.first_path, "/api/users");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_users_and_sessions, sw_test_setup,
						sw_test_teardown),
		cmocka_unit_test_setup_teardown(test_audit_append_only, sw_test_setup,
						sw_test_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
