/*
 * test_server_routes.c - route matching (literal segments, one-segment
 * captures, no partial matches, hostile lengths), the session cookie
 * parser, and the OpenAPI document against every route table the server
 * lists: each route documented with its method, each documented path and
 * method served by a route.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "server/openapi.h"
#include "server/server_int.h"

static void test_match(void **state)
{
	const char *caps[4];
	char buf[256];
	char *long_path;

	(void)state;
	assert_true(sw__route_match("/api/me", "/api/me", caps, buf, sizeof buf));
	assert_null(caps[0]);
	assert_false(sw__route_match("/api/me", "/api/me/", caps, buf, sizeof buf));
	assert_false(sw__route_match("/api/me", "/api/mex", caps, buf, sizeof buf));
	assert_false(sw__route_match("/api/me", "/api/m", caps, buf, sizeof buf));
	assert_true(sw__route_match("/api/users/{id}/password", "/api/users/42/password", caps, buf,
				    sizeof buf));
	assert_string_equal(caps[0], "42");
	assert_null(caps[1]);
	/* A capture is one whole, non-empty segment. */
	assert_false(sw__route_match("/api/users/{id}", "/api/users/", caps, buf, sizeof buf));
	assert_false(sw__route_match("/api/users/{id}", "/api/users/1/2", caps, buf, sizeof buf));
	assert_true(sw__route_match("/a/{x}/b/{y}", "/a/1/b/%27;--", caps, buf, sizeof buf));
	assert_string_equal(caps[0], "1");
	assert_string_equal(caps[1], "%27;--");
	/* Captures that do not fit the buffer, and overlong paths, never match. */
	assert_false(sw__route_match("/a/{x}", "/a/0123456789", caps, buf, 8));
	long_path = malloc(SW_PATH_MAX + 16);
	assert_non_null(long_path);
	memset(long_path, 'a', SW_PATH_MAX + 15);
	long_path[0] = '/';
	long_path[SW_PATH_MAX + 15] = '\0';
	assert_false(sw__route_match("/{x}", long_path, caps, buf, sizeof buf));
	free(long_path);
	assert_false(sw__route_match("/api/me", "api/me", caps, buf, sizeof buf));
	assert_false(sw__route_match("/api/me", "", caps, buf, sizeof buf));
}

static void test_find(void **state)
{
	const char *caps[4];
	char buf[256];
	const struct sw_route *r;
	int known;

	(void)state;
	r = sw__route_find("PATCH", "/api/users/7", caps, buf, sizeof buf, &known);
	assert_non_null(r);
	assert_string_equal(caps[0], "7");
	assert_true(r->flags & SW_R_WRITE);
	/* HEAD is served by the GET route. */
	assert_non_null(sw__route_find("HEAD", "/healthz", caps, buf, sizeof buf, &known));
	/* The path exists with another method: 405, not 404. */
	assert_null(sw__route_find("DELETE", "/api/users/7", caps, buf, sizeof buf, &known));
	assert_true(known);
	assert_null(sw__route_find("GET", "/api/nothing", caps, buf, sizeof buf, &known));
	assert_false(known);
}

static void test_cookie(void **state)
{
	char v[80];

	(void)state;
	assert_true(sw__cookie_get("sw_session=abc", "sw_session", v, sizeof v));
	assert_string_equal(v, "abc");
	assert_true(sw__cookie_get("lang=zh; sw_session=abc ;x=1", "sw_session", v, sizeof v));
	assert_string_equal(v, "abc");
	assert_true(sw__cookie_get("x_sw_session=bad; sw_session=good", "sw_session", v, sizeof v));
	assert_string_equal(v, "good");
	assert_false(sw__cookie_get("sw_sessionx=bad", "sw_session", v, sizeof v));
	assert_false(sw__cookie_get("", "sw_session", v, sizeof v));
	assert_false(sw__cookie_get(NULL, "sw_session", v, sizeof v));
	assert_false(sw__cookie_get(";;;", "sw_session", v, sizeof v));
	/* A value longer than the buffer is refused, not cut. */
	assert_false(sw__cookie_get("sw_session=0123456789", "sw_session", v, 8));
}

static void test_roles(void **state)
{
	(void)state;
	assert_int_equal(sw__role_parse("admin"), SW_ROLE_ADMIN);
	assert_int_equal(sw__role_parse("auditor"), SW_ROLE_AUDITOR);
	assert_int_equal(sw__role_parse("agent"), 0); /* not a user role */
	assert_int_equal(sw__role_parse("Admin"), 0);
	assert_int_equal(sw__role_parse(NULL), 0);
	assert_string_equal(sw__role_name(SW_ROLE_SUPERVISOR), "supervisor");
	assert_string_equal(sw__role_name((enum sw_role)3), "");
}

/* The method of a route as OpenAPI spells it ("get"). */
static void lower(const char *m, char *out, size_t n)
{
	size_t i;

	for (i = 0; m[i] && i + 1 < n; i++)
		out[i] = (char)tolower((unsigned char)m[i]);
	out[i] = '\0';
}

static void test_openapi(void **state)
{
	json_t *doc = sw__openapi_doc(), *paths, *item, *op;
	const char *path, *method;
	char m[16];
	size_t n_routes = 0, n_ops = 0;

	(void)state;
	/* Every fragment parses. */
	for (size_t i = 0; i < sw_openapi_frags_count; i++) {
		json_error_t je;
		json_t *f = json_loads(sw_openapi_frags[i].text, 0, &je);
		if (!f)
			fail_msg("%s: %s at line %d", sw_openapi_frags[i].name, je.text, je.line);
		assert_true(json_is_object(json_object_get(f, "paths")));
		json_decref(f);
	}
	assert_non_null(doc);
	assert_string_equal(json_string_value(json_object_get(doc, "openapi")), "3.0.3");
	paths = json_object_get(doc, "paths");
	/* Every route is documented with its method and a summary. */
	for (size_t t = 0; sw_server_tables[t]; t++) {
		for (const struct sw_route *r = sw_server_tables[t]; r->method; r++) {
			lower(r->method, m, sizeof m);
			op = json_object_get(json_object_get(paths, r->pattern), m);
			if (!json_is_object(op))
				fail_msg("route %s %s is not in the OpenAPI document", r->method,
					 r->pattern);
			assert_non_null(json_object_get(op, "responses"));
			assert_non_null(r->summary);
			n_routes++;
		}
	}
	/* Every documented path and method has a route. */
	json_object_foreach(paths, path, item) {
		json_object_foreach(item, method, op) {
			const struct sw_route *found = NULL;
			if (!strcmp(method, "parameters") || !strcmp(method, "summary") ||
			    !strcmp(method, "description"))
				continue;
			for (size_t t = 0; !found && sw_server_tables[t]; t++)
				for (const struct sw_route *r = sw_server_tables[t]; r->method; r++) {
					lower(r->method, m, sizeof m);
					if (!strcmp(r->pattern, path) && !strcmp(m, method))
						found = r;
				}
			if (!found)
				fail_msg("documented %s %s has no route", method, path);
			n_ops++;
		}
	}
	assert_int_equal(n_ops, n_routes);
	assert_true(n_routes >= 15);
	json_decref(doc);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_match),  cmocka_unit_test(test_find),
		cmocka_unit_test(test_cookie), cmocka_unit_test(test_roles),
		cmocka_unit_test(test_openapi),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
