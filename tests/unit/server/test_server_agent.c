/*
 * test_server_agent.c - which agent events become findings
 * (sw_agent_event_findings): tamper, webshell and store_corrupt do, with
 * the event as evidence; a tamper the agent could not undo is critical;
 * ordinary events (heartbeat-like kinds, publish, reconcile) make none.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "server/api_agent.h"

static void one(const char *json, const char *want_key, int want_sev)
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
		assert_string_equal(fs.v[0].kind->family, "agent");
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
}

int main(void)
{
	const struct CMUnitTest tests[] = {cmocka_unit_test(test_findings)};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
