/*
 * test_server_agent.c - which agent events become findings
 * (sw_agent_event_findings): tamper, webshell and store_corrupt do, with
 * the event as evidence; a tamper the agent could not undo is critical;
 * attacks take their own kind and severity, blocks are informational
 * unless they failed; ordinary events (start, publish, reconcile,
 * unblock) and unknown attack kinds make none.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "server/api_agent.h"

static void one_in(const char *json, const char *want_key, int want_sev, const char *family);

static void one(const char *json, const char *want_key, int want_sev)
{
	one_in(json, want_key, want_sev, "agent");
}

static void one_in(const char *json, const char *want_key, int want_sev, const char *family)
{
	json_t *ev = json_loads(json, 0, NULL);
	struct sw_findings fs;

	assert_non_null(ev);
	sw_findings_init(&fs);
	assert_int_equal(sw_agent_event_findings(ev, &fs), SW_OK);
	if (!want_key) {
		assert_int_equal(fs.n, 0);
	} else {
		assert_int_equal(fs.n, 1);
		assert_string_equal(fs.v[0].kind->key, want_key);
		assert_string_equal(fs.v[0].kind->family, family);
		assert_int_equal(fs.v[0].sev, want_sev);
		assert_non_null(fs.v[0].evidence);
		assert_non_null(strstr(fs.v[0].evidence, "\"seq\""));
	}
	sw_findings_cleanup(&fs);
	json_decref(ev);
}

static void test_findings(void **state)
{
	(void)state;
	one("{\"seq\":1,\"kind\":\"tamper\",\"root\":\"/www\",\"path\":\"index.html\","
	    "\"change\":\"modified\",\"action\":\"restored\"}",
	    "agent.tamper", SW_SEV_HIGH);
	one("{\"seq\":2,\"kind\":\"tamper\",\"root\":\"/www\",\"path\":\"a.html\","
	    "\"change\":\"modified\",\"action\":\"failed\"}",
	    "agent.tamper", SW_SEV_CRITICAL);
	one("{\"seq\":3,\"kind\":\"webshell\",\"root\":\"/www\",\"path\":\"up/x.php\"}",
	    "agent.webshell", SW_SEV_CRITICAL);
	one("{\"seq\":4,\"kind\":\"store_corrupt\"}", "agent.store_corrupt", SW_SEV_HIGH);
	one("{\"seq\":5,\"kind\":\"publish\",\"files\":3}", NULL, 0);
	one("{\"seq\":6,\"kind\":\"agent_start\"}", NULL, 0);
	one("{\"seq\":7}", NULL, 0);
	/* Hostile strings end up inside valid UTF-8 titles, not as errors. */
	one("{\"seq\":8,\"kind\":\"tamper\",\"path\":\"<script>alert(1)</script>\",\"action\":7}",
	    "agent.tamper", SW_SEV_CRITICAL);
	/* Anti-attack events (docs/agent.md). */
	one_in("{\"seq\":9,\"kind\":\"attack\",\"attack\":\"sqli\",\"severity\":\"high\","
	       "\"source\":\"203.0.113.9\",\"count\":12,\"succeeded\":2}",
	       "attack.sqli", SW_SEV_HIGH, "attack");
	one_in("{\"seq\":10,\"kind\":\"attack\",\"attack\":\"scanning\",\"source\":\"x\"}",
	       "attack.scanning", SW_SEV_LOW, "attack");
	one("{\"seq\":11,\"kind\":\"attack\",\"attack\":\"no_such_kind\"}", NULL, 0);
	one("{\"seq\":12,\"kind\":\"attack\",\"attack\":\"block\"}", NULL, 0);
	one_in("{\"seq\":13,\"kind\":\"block\",\"source\":\"203.0.113.9\",\"reason\":\"sqli\","
	       "\"action\":\"blocked\"}",
	       "attack.block", SW_SEV_INFO, "attack");
	one_in("{\"seq\":14,\"kind\":\"block\",\"source\":\"203.0.113.9\",\"action\":\"failed\"}",
	       "attack.block", SW_SEV_MEDIUM, "attack");
	one("{\"seq\":15,\"kind\":\"unblock\",\"source\":\"203.0.113.9\"}", NULL, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {cmocka_unit_test(test_findings)};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
