/*
 * test_agent.c - enrolled agents (store/agent.h): credentials, events
 * once per (agent, seq), the acknowledged sequence over gaps and across
 * pages, heartbeats ending a silence, findings per site.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "../testutil.h"
#include "store/agent.h"

static int64_t add(struct sw_store *st, enum sw_ent e, ...)
{
	struct sw_rec r;
	const char *k;
	va_list ap;
	int64_t id;

	sw_rec_init(&r, sw_entity_get(e));
	va_start(ap, e);
	while ((k = va_arg(ap, const char *))) {
		const char *v = va_arg(ap, const char *);

		assert_int_equal(sw_rec_set(&r, sw_field_index(e, k), v), SW_OK);
	}
	va_end(ap);
	assert_int_equal(sw_store_insert(st, &r, NULL), SW_OK);
	id = r.id;
	sw_rec_cleanup(&r);
	return id;
}

static int64_t make_site(struct sw_store *st, int64_t *unit_id)
{
	char unit[24];

	*unit_id = add(st, SW_ENT_UNIT, "name", "单位", "type", "party_gov", "region", "110105",
		       NULL);
	snprintf(unit, sizeof unit, "%lld", (long long)*unit_id);
	return add(st, SW_ENT_SITE, "name", "政府网站", "url", "http://a.test/", "unit", unit,
		   "status", "online", "review_state", "pending", NULL);
}

static int put(struct sw_store *st, int64_t agent, int64_t seq)
{
	struct sw_errbuf eb;
	int added = -1;

	sw_errbuf_clear(&eb);
	assert_int_equal(sw_store_agent_event_put(st, agent, seq, "tamper", "2026-01-01T00:00:00Z",
						  1000, "{}", &added, &eb),
			 SW_OK);
	return added;
}

struct seen {
	int n;
	struct sw_agent_row last;
	char hb[64];
};

static int agent_cb(void *arg, const struct sw_agent_row *a)
{
	struct seen *s = arg;

	s->n++;
	s->last = *a;
	snprintf(s->hb, sizeof s->hb, "%s", a->heartbeat ? a->heartbeat : "");
	return 0;
}

static int finding_cb(void *arg, const struct sw_agent_finding_row *f)
{
	(void)f;
	++*(int *)arg;
	return 0;
}

static void test_agents(void **state)
{
	struct sw_store *st = *state;
	struct sw_errbuf eb;
	struct sw_agent_row a;
	struct seen s = {0};
	int64_t unit, site = make_site(st, &unit), id, id2, ack, n;
	int nf = 0;
	struct sw_agent_finding_row f = {.seq = 3, .created_at = 1000, .kind = "agent.tamper",
					 .severity = "high", .title = "file changed",
					 .evidence = "{\"seq\":3}"};

	sw_errbuf_clear(&eb);
	assert_int_equal(sw_store_agent_add(st, "web-01", site, "digest", NULL, &id, &eb), SW_OK);
	assert_int_equal(sw_store_agent_add(st, "web-01", site, "d2", NULL, &id2, &eb), SW_EEXIST);
	assert_int_equal(sw_store_agent_add(st, "web-02", site, NULL, "00ff", &id2, &eb), SW_OK);
	assert_int_equal(sw_store_agent_add(st, "web-03", site, NULL, NULL, &n, &eb), SW_EINVAL);
	assert_int_not_equal(sw_store_agent_add(st, "web-04", site + 99, "x", NULL, &n, &eb), SW_OK);
	assert_int_equal(sw_store_agent_by_name(st, "web-01", &a, &eb), SW_OK);
	assert_string_equal(a.token_hash, "digest");
	assert_string_equal(a.hmac_key, "");
	assert_int_equal(a.ack_seq, -1);
	assert_int_equal(sw_store_agent_by_name(st, "nobody", &a, &eb), SW_ENOTFOUND);

	/* Events count once; ack is the highest contiguous sequence. */
	assert_int_equal(put(st, id, 1), 1);
	assert_int_equal(put(st, id, 2), 1);
	assert_int_equal(put(st, id, 2), 0);
	assert_int_equal(put(st, id, 4), 1);
	assert_int_equal(sw_store_agent_ack(st, id, 1, &ack, &eb), SW_OK);
	assert_int_equal(ack, 2);
	assert_int_equal(put(st, id, 3), 1);
	assert_int_equal(sw_store_agent_ack(st, id, 1, &ack, &eb), SW_OK);
	assert_int_equal(ack, 4);
	/* More than a page of contiguous events. */
	for (int64_t q = 5; q <= 2600; q++)
		assert_int_equal(put(st, id, q), 1);
	assert_int_equal(sw_store_agent_ack(st, id, 1, &ack, &eb), SW_OK);
	assert_int_equal(ack, 2600);
	/* An agent enrolled with events spooled starts at its first batch. */
	assert_int_equal(put(st, id2, 41), 1);
	assert_int_equal(put(st, id2, 42), 1);
	assert_int_equal(sw_store_agent_ack(st, id2, 41, &ack, &eb), SW_OK);
	assert_int_equal(ack, 42);
	assert_int_equal(sw_store_agent_event_count(st, id, &n, &eb), SW_OK);
	assert_int_equal(n, 2600);
	assert_int_equal(sw_store_agent_event_count(st, 0, &n, &eb), SW_OK);
	assert_int_equal(n, 2602);

	/* Heartbeats: the gap is remembered, a silence ends. */
	assert_int_equal(sw_store_agent_set_silent(st, id, 500, &eb), SW_OK);
	assert_int_equal(sw_store_agent_heartbeat(st, id, 1000, "{\"a\":1}", &eb), SW_OK);
	assert_int_equal(sw_store_agent_heartbeat(st, id, 1030, "{\"a\":2}", &eb), SW_OK);
	assert_int_equal(sw_store_agent_list(st, site, NULL, agent_cb, &s, &eb), SW_OK);
	assert_int_equal(s.n, 2);
	/* Scoped lists: an agent is visible with its site. */
	{
		struct sw_access none = {0}, mine = {.unit_id = unit}, other = {.unit_id = unit + 1},
				 reg = {.region = "110000"}, far = {.region = "440000"};
		const struct {
			const struct sw_access *acc;
			int want;
		} cases[] = {{&none, 0}, {&mine, 2}, {&other, 0}, {&reg, 2}, {&far, 0}};
		for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
			s.n = 0;
			assert_int_equal(sw_store_agent_list(st, 0, cases[i].acc, agent_cb, &s, &eb),
					 SW_OK);
			assert_int_equal(s.n, cases[i].want);
		}
	}
	assert_int_equal(sw_store_agent_by_name(st, "web-01", &a, &eb), SW_OK);
	assert_int_equal(a.last_hb, 1030);
	assert_int_equal(a.hb_interval, 30);
	assert_int_equal(a.silent_since, 0);
	assert_string_equal(a.site_name, "政府网站");

	/* Findings per site. */
	f.agent_id = id;
	f.site_id = site;
	assert_int_equal(sw_store_agent_finding_add(st, &f, &eb), SW_OK);
	assert_int_equal(sw_store_agent_findings(st, site, 0, 0, finding_cb, &nf, &eb), SW_OK);
	assert_int_equal(nf, 1);
	nf = 0;
	assert_int_equal(sw_store_agent_findings(st, site + 1, 0, 0, finding_cb, &nf, &eb), SW_OK);
	assert_int_equal(nf, 0);
	assert_int_equal(sw_store_agent_findings(st, 0, id2, 0, finding_cb, &nf, &eb), SW_OK);
	assert_int_equal(nf, 0);
	assert_int_equal(sw_store_agent_findings(st, 0, id, 0, finding_cb, &nf, &eb), SW_OK);
	assert_int_equal(nf, 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_agents, sw_test_setup, sw_test_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
