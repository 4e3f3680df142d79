/*
 * test_api_handlers.c - the register and monitoring handlers called with a
 * struct sw_req on a real store (no server, no query string): bodies
 * validated like the CLI, scope refusals (404 reads, 403 writes and moves
 * out of scope), conflicts, person links, the CSV import all or nothing,
 * and the diff's 404s.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <jansson.h>

#include "../testutil.h"
#include "server/http.h"

/* Finds route METHOD PATTERN in table t. */
static const struct sw_route *route(const struct sw_route *t, const char *method,
				    const char *pattern)
{
	for (; t->method; t++)
		if (!strcmp(t->method, method) && !strcmp(t->pattern, pattern))
			return t;
	fail_msg("no route %s %s", method, pattern);
	return NULL;
}

struct call {
	struct sw_store *st;
	struct sw_user user;
	struct sw_resp rs;
};

/* Calls the handler of METHOD PATTERN as c->user with body (JSON text or
 * NULL) and capture id (or NULL); returns the status. */
static int call(struct call *c, const struct sw_route *t, const char *method, const char *pattern,
		const char *id, const char *body, const char *ctype)
{
	const struct sw_route *r = route(t, method, pattern);
	struct sw_req rq = {.method = method, .path = pattern, .body = body ? body : "",
			    .body_len = body ? strlen(body) : 0, .content_type = ctype ? ctype : "",
			    .user = &c->user, .remote = "127.0.0.1", .st = c->st};

	rq.params[0] = id;
	if (body && (!ctype || !strcmp(ctype, "application/json")))
		rq.json = json_loads(body, 0, NULL);
	json_decref(c->rs.json);
	free(c->rs.body);
	memset(&c->rs, 0, sizeof c->rs);
	if (r->roles && !(r->roles & c->user.role))
		c->rs.status = 403; /* the server's own check, for completeness */
	else
		r->fn(&rq, &c->rs);
	json_decref(rq.json);
	return c->rs.status;
}

static json_int_t jint(const struct call *c, const char *key)
{
	return json_integer_value(json_object_get(c->rs.json, key));
}

static const char *jstr(const struct call *c, const char *key)
{
	const char *s = json_string_value(json_object_get(c->rs.json, key));

	return s ? s : "";
}

#define REG sw_api_routes_register
#define MON sw_api_routes_monitor

/* Sets up two units in two regions (ids in u[]) as the administrator. */
static void world(struct call *c, int64_t u[2])
{
	memset(c, 0, sizeof *c);
	c->st = sw_test_store();
	c->user.role = SW_ROLE_ADMIN;
	assert_int_equal(call(c, REG, "POST", "/api/units", NULL,
			      "{\"name\": \"东城区政府\", \"type\": \"党政机关\", \"region\": \"110101\"}", NULL),
			 201);
	u[0] = jint(c, "id");
	assert_int_equal(call(c, REG, "POST", "/api/units", NULL,
			      "{\"name\": \"和平区医院\", \"type\": \"institution\", \"region\": \"120101\"}",
			      NULL),
			 201);
	u[1] = jint(c, "id");
}

static void done(struct call *c)
{
	json_decref(c->rs.json);
	free(c->rs.body);
	sw_store_close(c->st);
}

/* Bodies are validated as the CLI validates; bad ones change nothing. */
static void test_validation(void **state)
{
	struct call c;
	int64_t u[2];
	char body[512], id[24];

	(void)state;
	world(&c, u);
	snprintf(body, sizeof body,
		 "{\"name\": \"门户\", \"url\": \"https://www.dc.example.gov.cn\", \"unit\": %lld, "
		 "\"domains\": [\"m.dc.example.gov.cn\"], \"badge\": true, \"mlps_grade\": 3, "
		 "\"mlps_assess_date\": \"2025-03-01\"}",
		 (long long)u[0]);
	assert_int_equal(call(&c, REG, "POST", "/api/sites", NULL, body, NULL), 201);
	snprintf(id, sizeof id, "%lld", (long long)jint(&c, "id"));
	assert_string_equal(jstr(&c, "url"), "https://www.dc.example.gov.cn/");
	assert_string_equal(jstr(&c, "mlps_next_due"), "2026-03-01"); /* derived as the CLI does */
	assert_true(json_is_null(json_object_get(json_object_get(c.rs.json, "state"), "up")));
	assert_int_equal(call(&c, REG, "POST", "/api/sites", NULL, body, NULL), 409);
	assert_string_equal(jstr(&c, "field"), "url");
	assert_int_equal(call(&c, REG, "PUT", "/api/sites/{id}", id, "{\"name\": 7}", NULL), 400);
	assert_string_equal(jstr(&c, "field"), "name");
	assert_int_equal(call(&c, REG, "PUT", "/api/sites/{id}", id, "{\"nmae\": \"x\"}", NULL), 400);
	assert_string_equal(jstr(&c, "field"), "nmae");
	assert_int_equal(call(&c, REG, "PUT", "/api/sites/{id}", id, "{\"mlps_grade\": 6}", NULL), 400);
	assert_int_equal(call(&c, REG, "PUT", "/api/sites/{id}", id, "{\"status\": \"gone\"}", NULL), 400);
	assert_int_equal(call(&c, REG, "PUT", "/api/sites/{id}", id, "{\"name\": null}", NULL), 400);
	assert_int_equal(call(&c, REG, "PUT", "/api/sites/{id}", id,
			      "{\"note\": \"<script>alert(1)</script>\"}", NULL),
			 400);
	assert_int_equal(call(&c, REG, "PUT", "/api/sites/{id}", id, "[1]", NULL), 400);
	assert_int_equal(call(&c, REG, "PUT", "/api/sites/{id}", id, "{\"domains\": [\"a;b\"]}", NULL),
			 400);
	assert_int_equal(call(&c, REG, "GET", "/api/sites/{id}", id, NULL, NULL), 200);
	assert_string_equal(jstr(&c, "name"), "门户");
	assert_true(json_is_null(json_object_get(c.rs.json, "note")));
	assert_int_equal(call(&c, REG, "PUT", "/api/sites/{id}", id, "{\"note\": \"a < b\", "
			      "\"status\": \"暂停\"}", NULL),
			 200);
	assert_string_equal(jstr(&c, "status"), "suspended");
	done(&c);
}

/* Scoped users: reads out of scope 404, writes 403, moves out of scope
 * 403 with nothing changed. */
static void test_scope(void **state)
{
	struct call c;
	int64_t u[2];
	char body[256], s0[24], s1[24], u1[24];

	(void)state;
	world(&c, u);
	snprintf(body, sizeof body, "{\"name\": \"a\", \"url\": \"https://a.example.gov.cn/\", \"unit\": %lld}",
		 (long long)u[0]);
	assert_int_equal(call(&c, REG, "POST", "/api/sites", NULL, body, NULL), 201);
	snprintf(s0, sizeof s0, "%lld", (long long)jint(&c, "id"));
	snprintf(body, sizeof body, "{\"name\": \"b\", \"url\": \"https://b.example.gov.cn/\", \"unit\": %lld}",
		 (long long)u[1]);
	assert_int_equal(call(&c, REG, "POST", "/api/sites", NULL, body, NULL), 201);
	snprintf(s1, sizeof s1, "%lld", (long long)jint(&c, "id"));
	snprintf(u1, sizeof u1, "%lld", (long long)u[1]);

	c.user.role = SW_ROLE_SUPERVISOR;
	snprintf(c.user.region, sizeof c.user.region, "110000");
	assert_int_equal(call(&c, REG, "GET", "/api/sites", NULL, NULL, NULL), 200);
	assert_int_equal(jint(&c, "total"), 1);
	assert_int_equal(call(&c, REG, "GET", "/api/sites/{id}", s1, NULL, NULL), 404);
	assert_int_equal(call(&c, MON, "GET", "/api/sites/{id}/checks", s1, NULL, NULL), 404);
	assert_int_equal(call(&c, MON, "GET", "/api/sites/{id}/diff", s1, NULL, NULL), 404);
	assert_int_equal(call(&c, REG, "PUT", "/api/sites/{id}", s1, "{\"note\": \"x\"}", NULL), 403);
	assert_int_equal(call(&c, REG, "DELETE", "/api/sites/{id}", s1, NULL, NULL), 403);
	assert_int_equal(call(&c, REG, "PUT", "/api/sites/{id}", "999999", "{\"note\": \"x\"}", NULL), 403);
	snprintf(body, sizeof body, "{\"unit\": %lld}", (long long)u[1]);
	assert_int_equal(call(&c, REG, "PUT", "/api/sites/{id}", s0, body, NULL), 403);
	assert_int_equal(call(&c, REG, "PUT", "/api/units/{id}", u1, "{\"note\": \"x\"}", NULL), 403);
	assert_int_equal(call(&c, REG, "GET", "/api/sites/{id}", s0, NULL, NULL), 200);
	assert_int_equal(json_integer_value(json_object_get(c.rs.json, "unit")), u[0]);
	/* A person linked to a site out of scope is refused. */
	snprintf(body, sizeof body, "{\"name\": \"张三\", \"role\": \"chief\", \"unit\": %lld, \"sites\": [%s]}",
		 (long long)u[0], s1);
	assert_int_equal(call(&c, REG, "POST", "/api/persons", NULL, body, NULL), 400);
	snprintf(body, sizeof body, "{\"name\": \"张三\", \"role\": \"chief\", \"unit\": %lld, \"sites\": [%s]}",
		 (long long)u[0], s0);
	assert_int_equal(call(&c, REG, "POST", "/api/persons", NULL, body, NULL), 201);
	assert_int_equal(call(&c, REG, "GET", "/api/sites/{id}", s0, NULL, NULL), 200);
	assert_int_equal(json_array_size(json_object_get(c.rs.json, "persons")), 1);

	/* An operator: its unit only; sites are not its to add. */
	memset(&c.user, 0, sizeof c.user);
	c.user.role = SW_ROLE_OPERATOR;
	c.user.unit_id = u[1];
	assert_int_equal(call(&c, REG, "GET", "/api/units", NULL, NULL, NULL), 200);
	assert_int_equal(jint(&c, "total"), 1);
	assert_int_equal(call(&c, REG, "PUT", "/api/sites/{id}", s1, "{\"note\": \"mine\"}", NULL), 200);
	assert_int_equal(call(&c, REG, "POST", "/api/sites", NULL, "{}", NULL), 403);
	assert_int_equal(call(&c, MON, "GET", "/api/overview", NULL, NULL, NULL), 200);
	assert_int_equal(json_integer_value(json_object_get(json_object_get(c.rs.json, "sites"), "total")),
			 1);
	done(&c);
}

/* Deleting a referenced row is a conflict; an absent one 404. */
static void test_delete(void **state)
{
	struct call c;
	int64_t u[2];
	char body[256], id[24];

	(void)state;
	world(&c, u);
	snprintf(body, sizeof body, "{\"name\": \"a\", \"url\": \"https://a.example.gov.cn/\", \"unit\": %lld}",
		 (long long)u[0]);
	assert_int_equal(call(&c, REG, "POST", "/api/sites", NULL, body, NULL), 201);
	snprintf(id, sizeof id, "%lld", (long long)u[0]);
	assert_int_equal(call(&c, REG, "DELETE", "/api/units/{id}", id, NULL, NULL), 409);
	assert_int_equal(call(&c, REG, "DELETE", "/api/units/{id}", "424242", NULL, NULL), 404);
	assert_int_equal(call(&c, REG, "DELETE", "/api/units/{id}", "x1", NULL, NULL), 404);
	done(&c);
}

/* The import: problems with row and column and nothing written, then
 * the same file fixed goes in whole. */
static void test_import(void **state)
{
	static const char bad[] = "网站名称,首页地址,主办单位,单位类型,行政区划代码\r\n"
				  "甲站,https://jia.example.gov.cn/,甲单位,党政机关,110101\r\n"
				  "乙站,not a url,乙单位,党政机关,110101\r\n";
	static const char good[] = "网站名称,首页地址,主办单位,单位类型,行政区划代码\r\n"
				   "甲站,https://jia.example.gov.cn/,甲单位,党政机关,110101\r\n"
				   "乙站,https://yi.example.gov.cn/,乙单位,党政机关,110101\r\n";
	struct call c;
	int64_t u[2];
	json_t *p;

	(void)state;
	world(&c, u);
	assert_int_equal(call(&c, REG, "POST", "/api/import", NULL, bad, "text/csv"), 400);
	p = json_array_get(json_object_get(c.rs.json, "problems"), 0);
	assert_int_equal(json_integer_value(json_object_get(p, "row")), 2);
	assert_non_null(strstr(json_string_value(json_object_get(p, "column")), "首页"));
	assert_int_equal(call(&c, REG, "GET", "/api/sites", NULL, NULL, NULL), 200);
	assert_int_equal(jint(&c, "total"), 0);
	assert_int_equal(call(&c, REG, "POST", "/api/import", NULL, good, "text/csv; charset=utf-8"), 200);
	assert_int_equal(json_integer_value(json_object_get(json_object_get(c.rs.json, "imported"), "sites")),
			 2);
	assert_int_equal(call(&c, REG, "POST", "/api/import", NULL, good, "application/zip"), 415);
	assert_int_equal(call(&c, REG, "POST", "/api/import", NULL, "", "text/csv"), 400);
	done(&c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_validation),
		cmocka_unit_test(test_scope),
		cmocka_unit_test(test_delete),
		cmocka_unit_test(test_import),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
