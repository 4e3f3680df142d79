/*
 * fixture.h - a small register for the alert, notification and incident
 * tests: a department, a unit under it, a group and two sites, on a fresh
 * real store (SQLite, or PostgreSQL under tests/integration/pg_store.sh),
 * and checks recorded the way the probe records them.
 */
#ifndef SW_TEST_ALERT_FIXTURE_H
#define SW_TEST_ALERT_FIXTURE_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include "../testutil.h"
#include "alert/alert.h"
#include "model/entity.h"

struct fx {
	struct sw_store *st;
	int64_t dept, unit, group, site, site2;
};

/* Inserts a record of entity e from key/value pairs ending with NULL. */
static inline int64_t fx_add(struct sw_store *st, enum sw_ent e, ...)
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
	{
		struct sw_errbuf eb;

		sw_errbuf_clear(&eb);
		if (sw_store_insert(st, &r, &eb))
			fail_msg("insert %s: %s", sw_entity_get(e)->name, eb.msg);
	}
	id = r.id;
	sw_rec_cleanup(&r);
	return id;
}

static inline void fx_init(struct fx *x)
{
	char dept[24], unit[24], group[24];

	x->st = sw_test_store();
	x->dept = fx_add(x->st, SW_ENT_DEPT, "name", "某市网信办", "kind", "cyberspace",
			 "region", "110000", NULL);
	snprintf(dept, sizeof dept, "%lld", (long long)x->dept);
	x->unit = fx_add(x->st, SW_ENT_UNIT, "name", "某县人民政府办公室", "type", "party_gov",
			 "region", "110000", "department", dept, NULL);
	snprintf(unit, sizeof unit, "%lld", (long long)x->unit);
	x->group = fx_add(x->st, SW_ENT_GROUP, "name", "县政府网站群", NULL);
	snprintf(group, sizeof group, "%lld", (long long)x->group);
	x->site = fx_add(x->st, SW_ENT_SITE, "name", "某县人民政府", "url", "http://a.test/",
			 "unit", unit, "group", group, "review_state", "pending", "status", "online", NULL);
	x->site2 = fx_add(x->st, SW_ENT_SITE, "name", "某县教育局", "url", "http://b.test/",
			  "unit", unit, "review_state", "pending", "status", "online", NULL);
}

/* Records a check of site at t with findings f[0..n) and returns its id. */
static inline int64_t fx_check(struct fx *x, int64_t site, int64_t t,
			       const struct sw_check_finding *f, size_t n)
{
	struct sw_check_row c = {.site_id = site, .checked_at = t, .status = 200,
				 .http_version = 11, .body_size = 10};
	struct sw_site_state s = {.up = 1, .since = t, .checked_at = t, .last_status = 200,
				  .open_findings = (int64_t)n};
	struct sw_errbuf eb;

	sw_errbuf_clear(&eb);
	if (sw_store_check_record(x->st, &c, f, n, &s, t + 300, 0, NULL, &eb))
		fail_msg("record: %s", eb.msg);
	return c.id;
}

/* Records a check and ingests it with coverage `covered`; changes are
 * appended to out. */
static inline int64_t fx_ingest(struct fx *x, int64_t site, int64_t group, int64_t t,
				const struct sw_check_finding *f, size_t n, unsigned covered,
				struct sw_alert_changes *out)
{
	struct sw_alert_check c = {.site_id = site, .group_id = group, .checked_at = t,
				   .covered = covered};
	struct sw_errbuf eb;

	c.check_id = fx_check(x, site, t, f, n);
	sw_errbuf_clear(&eb);
	if (sw_alert_ingest(x->st, &c, f, n, out, &eb))
		fail_msg("ingest: %s", eb.msg);
	return c.check_id;
}

/* A TCP port on 127.0.0.1 that nothing listens on (bound, then closed). */
static inline int fx_dead_port(void)
{
	struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
	socklen_t len = sizeof a;
	int fd = socket(AF_INET, SOCK_STREAM, 0), port;

	assert_true(fd >= 0);
	assert_int_equal(bind(fd, (struct sockaddr *)&a, sizeof a), 0);
	assert_int_equal(getsockname(fd, (struct sockaddr *)&a, &len), 0);
	port = ntohs(a.sin_port);
	close(fd);
	return port;
}

#define FX_ALL (SW_ALERT_COVER_REACHED | SW_ALERT_COVER_CONTENT)

#endif
