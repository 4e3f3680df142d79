/*
 * test_alert_notify.c - routing into the outbox, back-off and digests on a
 * real store (src/notify/, src/store/notify.c).  Receivers here are down on
 * purpose (a closed port on 127.0.0.1): what is tested is what the queue
 * does about it.  Successful delivery is tested end to end by
 * tests/integration/alert_notify.sh against a real receiver.
 */
#include "../alert/fixture.h"

#include <poll.h>
#include <pthread.h>
#include <string.h>

#include "notify/notify.h"
#include "register/register.h"

/* Adds a channel; returns its id. */
static int64_t channel(struct fx *x, const char *name, const char *kind, const char *url,
		       const char *scope, int64_t scope_id, const char *min, int64_t digest)
{
	struct sw_channel c = {.scope_id = scope_id, .digest_after = digest, .enabled = 1};
	struct sw_errbuf eb;
	int64_t id = 0;

	snprintf(c.name, sizeof c.name, "%s", name);
	snprintf(c.kind, sizeof c.kind, "%s", kind);
	snprintf(c.url, sizeof c.url, "%s", url);
	snprintf(c.scope, sizeof c.scope, "%s", scope);
	snprintf(c.min_severity, sizeof c.min_severity, "%s", min);
	snprintf(c.secret, sizeof c.secret, "s3cret");
	if (!strcmp(kind, "smtp"))
		snprintf(c.sender, sizeof c.sender, "sitewarden@example.test");
	sw_errbuf_clear(&eb);
	if (sw_notify_channel_check(&c, &eb) || sw_store_channel_add(x->st, &c, &id, &eb))
		fail_msg("channel %s: %s", name, eb.msg);
	return id;
}

/* The queue, copied. */
struct q {
	int n, queued, digested, sent;
	int64_t attempts[64], next_at[64], digest_id[64], id[64];
	char recipients[256], subject[512], body[2048];
};

static int take(void *arg, const struct sw_notify_msg *m)
{
	struct q *q = arg;

	if (q->n < 64) {
		q->id[q->n] = m->id;
		q->attempts[q->n] = m->attempts;
		q->next_at[q->n] = m->next_at;
		q->digest_id[q->n] = m->digest_id;
	}
	q->n++;
	q->queued += !strcmp(m->state, "queued");
	q->digested += !strcmp(m->state, "digested");
	q->sent += !strcmp(m->state, "sent");
	if (q->n > 1)
		return 0; /* the newest message's text only */
	snprintf(q->recipients, sizeof q->recipients, "%s", m->recipients ? m->recipients : "");
	snprintf(q->subject, sizeof q->subject, "%s", m->subject);
	snprintf(q->body, sizeof q->body, "%s", m->body);
	return 0;
}

static struct q queue(struct sw_store *st)
{
	struct q q;

	memset(&q, 0, sizeof q);
	assert_int_equal(sw_store_notify_list(st, NULL, 0, take, &q, NULL), SW_OK);
	return q;
}

/* One change of alert id on site at severity sev. */
static void changes(struct sw_alert_changes *ch, int64_t site, int64_t id, const char *sev,
		    const char *kind)
{
	struct sw_alert_change c = {.alert_id = id, .site_id = site, .change = SW_ALERT_CH_NEW};

	snprintf(c.kind, sizeof c.kind, "%s", kind);
	snprintf(c.severity, sizeof c.severity, "%s", sev);
	snprintf(c.title, sizeof c.title, "title of %lld", (long long)id);
	ch->v = realloc(ch->v, (ch->n + 1) * sizeof c);
	ch->v[ch->n++] = c;
}

static void test_backoff(void **state)
{
	(void)state;
	assert_int_equal(sw_notify_backoff(1), 30);
	assert_int_equal(sw_notify_backoff(2), 60);
	assert_int_equal(sw_notify_backoff(3), 120);
	assert_int_equal(sw_notify_backoff(7), 1920);
	assert_int_equal(sw_notify_backoff(8), 3600);
	assert_int_equal(sw_notify_backoff(1000000), 3600);
}

/* Routing: the site's own channel and its department's; the group
 * channel only when the policy routes to groups; severity minimums of the
 * channel and of the site; one message per check and channel; enqueueing
 * the same check again adds nothing. */
static void test_route(void **state)
{
	struct sw_alert_changes ch;
	struct fx x;
	struct q q;
	size_t n = 0;

	(void)state;
	fx_init(&x);
	sw_alert_changes_init(&ch);
	channel(&x, "site-hook", "webhook", "http://127.0.0.1:9/", "site", x.site, "high", 20);
	channel(&x, "dept-ding", "dingtalk", "http://127.0.0.1:9/robot", "dept", x.dept, "medium",
		20);
	channel(&x, "group-wecom", "wecom", "http://127.0.0.1:9/w", "group", x.group, "info", 20);
	channel(&x, "other-site", "webhook", "http://127.0.0.1:9/", "site", x.site2, "info", 20);
	changes(&ch, x.site, 1, "medium", "defacement.image");
	assert_int_equal(sw_notify_enqueue_changes(x.st, &ch, 100, 0, 1000, &n, NULL), SW_OK);
	assert_int_equal(n, 1); /* dept only: site-hook wants high, groups not routed */
	changes(&ch, x.site, 2, "critical", "defacement.replaced");
	assert_int_equal(sw_notify_enqueue_changes(x.st, &ch, 101, 0, 1000, &n, NULL), SW_OK);
	assert_int_equal(n, 3);
	q = queue(x.st);
	assert_int_equal(q.n, 3);
	assert_non_null(strstr(q.body, "\"change\":\"new\""));
	/* Again for the same check: nothing new. */
	assert_int_equal(sw_notify_enqueue_changes(x.st, &ch, 101, 0, 1000, &n, NULL), SW_OK);
	assert_int_equal(n, 3);
	/* The site's floor: critical only, then groups routed too. */
	assert_int_equal(sw_reg_policy_set(x.st, SW_SCOPE_SITE, x.site, "alert_min_severity",
					   "critical", NULL), SW_OK);
	assert_int_equal(sw_reg_policy_set(x.st, SW_SCOPE_GROUP, x.group, "alert_routing",
					   "responsible,department,group", NULL), SW_OK);
	assert_int_equal(sw_notify_enqueue_changes(x.st, &ch, 102, 0, 1000, &n, NULL), SW_OK);
	assert_int_equal(n, 6); /* site, dept, group: the critical one */
	q = queue(x.st);
	assert_null(strstr(q.body, "defacement.image"));
	sw_alert_changes_cleanup(&ch);
	sw_store_close(x.st);
}

/* The responsible persons' mail addresses become the recipients. */
static void test_responsible(void **state)
{
	struct sw_alert_changes ch;
	char unit[24];
	int64_t p;
	struct fx x;
	size_t n = 0;

	(void)state;
	fx_init(&x);
	sw_alert_changes_init(&ch);
	snprintf(unit, sizeof unit, "%lld", (long long)x.unit);
	p = fx_add(x.st, SW_ENT_PERSON, "name", "李四", "role", "security", "email",
		   "lisi@example.test", "unit", unit, NULL);
	assert_int_equal(sw_store_site_person_link(x.st, x.site, p, "security", NULL), SW_OK);
	channel(&x, "mail", "smtp", "smtp://127.0.0.1:9", "responsible", 0, "info", 20);
	changes(&ch, x.site, 7, "high", "trojan.miner");
	assert_int_equal(sw_notify_enqueue_changes(x.st, &ch, 5, 0, 1000, &n, NULL), SW_OK);
	assert_int_equal(n, 1);
	assert_string_equal(queue(x.st).recipients, "lisi@example.test");
	sw_alert_changes_cleanup(&ch);
	sw_store_close(x.st);
}

/* A receiver that is down: each pump tries what is due, the attempt backs
 * off exponentially, nothing is dropped, and a pump before the retry time
 * tries nothing. */
static void test_retry(void **state)
{
	struct sw_alert_changes ch;
	struct sw_notify_stats s;
	char url[64];
	struct fx x;
	struct q q;

	(void)state;
	fx_init(&x);
	sw_alert_changes_init(&ch);
	snprintf(url, sizeof url, "http://127.0.0.1:%d/hook", fx_dead_port());
	channel(&x, "hook", "webhook", url, "site", x.site, "info", 20);
	changes(&ch, x.site, 1, "high", "darklink.hidden_link");
	assert_int_equal(sw_notify_enqueue_changes(x.st, &ch, 1, 0, 1000, NULL, NULL), SW_OK);
	assert_int_equal(sw_notify_pump_all(x.st, 1000, 0, &s, NULL), SW_OK);
	assert_int_equal(s.failed, 1);
	assert_int_equal(s.sent, 0);
	q = queue(x.st);
	assert_int_equal(q.queued, 1);
	assert_int_equal(q.attempts[0], 1);
	assert_int_equal(q.next_at[0], 1030);
	assert_int_equal(sw_notify_pump_all(x.st, 1029, 0, &s, NULL), SW_OK);
	assert_int_equal(s.failed, 0);
	assert_int_equal(sw_notify_pump_all(x.st, 1030, 0, &s, NULL), SW_OK);
	assert_int_equal(s.failed, 1);
	q = queue(x.st);
	assert_int_equal(q.attempts[0], 2);
	assert_int_equal(q.next_at[0], 1090);
	/* "Send now" ignores the back-off. */
	assert_int_equal(sw_notify_pump_all(x.st, 1031, 1, &s, NULL), SW_OK);
	assert_int_equal(s.failed, 1);
	assert_int_equal(queue(x.st).attempts[0], 3);
	sw_alert_changes_cleanup(&ch);
	sw_store_close(x.st);
}

/* More due than the channel's digest_after: one digest row replaces them
 * (they are marked digested in the same transaction), and only the digest
 * is tried and retried. */
static void test_digest(void **state)
{
	struct sw_alert_changes ch;
	struct sw_notify_stats s;
	char url[64];
	struct fx x;
	struct q q;
	int64_t digest = 0;

	(void)state;
	fx_init(&x);
	sw_alert_changes_init(&ch);
	snprintf(url, sizeof url, "http://127.0.0.1:%d/hook", fx_dead_port());
	channel(&x, "hook", "webhook", url, "dept", x.dept, "info", 5);
	for (int i = 0; i < 12; i++) {
		ch.n = 0;
		changes(&ch, i % 2 ? x.site : x.site2, 100 + i, "high", "availability.down");
		assert_int_equal(sw_notify_enqueue_changes(x.st, &ch, 500 + i, 0, 1000, NULL, NULL),
				 SW_OK);
	}
	assert_int_equal(queue(x.st).queued, 12);
	assert_int_equal(sw_notify_pump_all(x.st, 1000, 0, &s, NULL), SW_OK);
	assert_int_equal(s.digests, 1);
	assert_int_equal(s.digested, 12);
	assert_int_equal(s.failed, 1);
	q = queue(x.st);
	assert_int_equal(q.n, 13);
	assert_int_equal(q.queued, 1);
	assert_int_equal(q.digested, 12);
	digest = q.id[0]; /* newest first */
	for (int i = 1; i < 13; i++)
		assert_int_equal(q.digest_id[i], digest);
	assert_int_equal(q.attempts[0], 1);
	/* Below the limit a message goes on its own. */
	ch.n = 0;
	changes(&ch, x.site, 999, "high", "availability.down");
	assert_int_equal(sw_notify_enqueue_changes(x.st, &ch, 999, 0, 1100, NULL, NULL), SW_OK);
	assert_int_equal(sw_notify_pump_all(x.st, 1100, 0, &s, NULL), SW_OK);
	assert_int_equal(s.digests, 0);
	assert_int_equal(s.failed, 2); /* the digest's retry and the new one */
	sw_alert_changes_cleanup(&ch);
	sw_store_close(x.st);
}

/* Channels: validation names the field at fault; names are unique. */
static void test_channels(void **state)
{
	struct sw_channel c = {0}, got;
	struct sw_errbuf eb;
	struct fx x;
	int64_t id;

	(void)state;
	fx_init(&x);
	snprintf(c.name, sizeof c.name, "x");
	snprintf(c.kind, sizeof c.kind, "fax");
	sw_errbuf_clear(&eb);
	assert_int_equal(sw_notify_channel_check(&c, &eb), SW_EINVAL);
	assert_string_equal(eb.field, "kind");
	snprintf(c.kind, sizeof c.kind, "syslog");
	snprintf(c.url, sizeof c.url, "http://x/");
	sw_errbuf_clear(&eb);
	assert_int_equal(sw_notify_channel_check(&c, &eb), SW_EINVAL);
	assert_string_equal(eb.field, "url");
	snprintf(c.url, sizeof c.url, "udp://127.0.0.1:514");
	snprintf(c.scope, sizeof c.scope, "group");
	sw_errbuf_clear(&eb);
	assert_int_equal(sw_notify_channel_check(&c, &eb), SW_EINVAL);
	assert_string_equal(eb.field, "scope");
	snprintf(c.scope, sizeof c.scope, "responsible");
	assert_int_equal(sw_notify_channel_check(&c, NULL), SW_EINVAL); /* mail only */
	snprintf(c.scope, sizeof c.scope, "all");
	assert_int_equal(sw_notify_channel_check(&c, NULL), SW_OK);
	assert_string_equal(c.min_severity, "medium");
	assert_int_equal(c.digest_after, 20);
	assert_int_equal(sw_store_channel_add(x.st, &c, &id, NULL), SW_OK);
	{
		int64_t again;

		assert_int_equal(sw_store_channel_add(x.st, &c, &again, NULL), SW_EEXIST);
	}
	assert_int_equal(sw_store_channel_find(x.st, "x", &got, NULL), SW_OK);
	assert_int_equal(got.id, id);
	assert_string_equal(got.url, "udp://127.0.0.1:514");
	assert_int_equal(sw_store_channel_remove(x.st, id, NULL), SW_OK);
	assert_int_equal(sw_store_channel_find(x.st, "x", &got, NULL), SW_ENOTFOUND);
	sw_store_close(x.st);
}

/* Signatures as receivers compute them (known answers computed with
 * `openssl dgst -sha256 -hmac`). */
static void test_signatures(void **state)
{
	char hex[65], sign[160];

	(void)state;
	sw_notify_webhook_sig("s3cret", "1700000000", "{}", 2, hex);
	assert_string_equal(hex, "89aaf8c8f07953855505517289327c988ce893d7e08c4d31cbf9347c85021c25");
	sw_notify_dingtalk_sign("SECxyz", 1700000000000LL, sign, sizeof sign);
	assert_string_equal(sign, "0PUR1j8g85Xg3vlFV%2FUrEcxXfF5HpCAGzcjrNfyJoyg%3D");
}

/* Listens on 127.0.0.1 (UDP or TCP); returns the socket, port in *port. */
static int listener(int type, int *port)
{
	struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
	socklen_t len = sizeof a;
	int fd = socket(AF_INET, type, 0);

	assert_true(fd >= 0);
	assert_int_equal(bind(fd, (struct sockaddr *)&a, sizeof a), 0);
	assert_int_equal(getsockname(fd, (struct sockaddr *)&a, &len), 0);
	if (type == SOCK_STREAM)
		assert_int_equal(listen(fd, 4), 0);
	*port = ntohs(a.sin_port);
	return fd;
}

/* Reads what arrives on fd within 5 s into buf. */
static size_t receive(int fd, char *buf, size_t cap)
{
	struct pollfd p = {.fd = fd, .events = POLLIN};
	ssize_t n;

	assert_int_equal(poll(&p, 1, 5000), 1);
	n = recv(fd, buf, cap - 1, 0);
	assert_true(n > 0);
	buf[n] = '\0';
	return (size_t)n;
}

/* RFC 5424 over UDP (one datagram) and TCP (octet counting), to
 * collectors on 127.0.0.1. */
static void test_syslog(void **state)
{
	struct sw_channel c = {.enabled = 1};
	struct sw_notify_msg m = {.idem_key = "sw-s1-c2-ch3", .event = "alert.new", .site_id = 1,
				  .severity = "high", .subject = "[sitewarden] 新告警\n暗链",
				  .body = "{}"};
	char buf[4096], want[64];
	int port, fd, conn;

	(void)state;
	snprintf(c.kind, sizeof c.kind, "syslog");
	fd = listener(SOCK_DGRAM, &port);
	snprintf(c.url, sizeof c.url, "udp://127.0.0.1:%d", port);
	assert_int_equal(sw_notify_send(&c, &m, 1700000000, NULL), SW_OK);
	receive(fd, buf, sizeof buf);
	close(fd);
	assert_memory_equal(buf, "<131>1 2023-11-14T22:13:20Z ", 28);
	assert_non_null(strstr(buf, " sitewarden "));
	assert_non_null(strstr(buf, "[sitewarden@32473 id=\"sw-s1-c2-ch3\" event=\"alert.new\" "
				    "site=\"1\" severity=\"high\"] \xEF\xBB\xBF[sitewarden] 新告警 暗链"));
	fd = listener(SOCK_STREAM, &port);
	snprintf(c.url, sizeof c.url, "tcp://127.0.0.1:%d", port);
	assert_int_equal(sw_notify_send(&c, &m, 1700000000, NULL), SW_OK);
	conn = accept(fd, NULL, NULL);
	assert_true(conn >= 0);
	receive(conn, buf, sizeof buf);
	close(conn);
	close(fd);
	snprintf(want, sizeof want, "%zu <131>1 ", strlen(strchr(buf, ' ') + 1));
	assert_memory_equal(buf, want, strlen(want));
	snprintf(c.url, sizeof c.url, "udp://127.0.0.1");
	assert_int_equal(sw_notify_send(&c, &m, 1700000000, NULL), SW_EINVAL);
}

/* A one-connection SMTP server on fd (a listening socket): answers the
 * dialog of one plain mail and keeps the envelope and data. */
struct smtp {
	int fd;
	char log[8192];
	size_t n;
};

static void *smtp_serve(void *arg)
{
	struct smtp *sm = arg;
	struct pollfd p = {.events = POLLIN};
	int c = accept(sm->fd, NULL, NULL), data = 0;
	char line[2048];
	size_t used = 0;

	if (c < 0)
		return NULL;
	p.fd = c;
	send(c, "220 test ESMTP\r\n", 17, MSG_NOSIGNAL);
	for (int rounds = 0; rounds < 2000 && poll(&p, 1, 5000) == 1; rounds++) {
		ssize_t k = recv(c, line + used, sizeof line - 1 - used, 0);
		char *nl;

		if (k <= 0)
			break;
		used += (size_t)k;
		line[used] = '\0';
		while ((nl = strstr(line, "\r\n"))) {
			const char *ans = NULL;
			size_t len = (size_t)(nl - line) + 2;

			if (sm->n + len < sizeof sm->log) {
				memcpy(sm->log + sm->n, line, len);
				sm->n += len;
			}
			if (data && !strncmp(line, ".\r\n", 3)) {
				data = 0;
				ans = "250 queued\r\n";
			} else if (data) {
				ans = NULL;
			} else if (!strncmp(line, "EHLO", 4)) {
				ans = "250-test\r\n250 SIZE 1000000\r\n";
			} else if (!strncmp(line, "DATA", 4)) {
				data = 1;
				ans = "354 go on\r\n";
			} else if (!strncmp(line, "QUIT", 4)) {
				send(c, "221 bye\r\n", 9, MSG_NOSIGNAL);
				close(c);
				return NULL;
			} else {
				ans = "250 ok\r\n";
			}
			if (ans)
				send(c, ans, strlen(ans), MSG_NOSIGNAL);
			memmove(line, line + len, used - len + 1);
			used -= len;
		}
	}
	close(c);
	return NULL;
}

/* Mail over plain SMTP: envelope, headers with the idempotency key, the
 * UTF-8 subject encoded, the text in base64. */
static void test_smtp(void **state)
{
	struct sw_channel c = {.enabled = 1};
	struct sw_notify_msg m = {.idem_key = "sw-s1-c2-ch3", .event = "alert.new", .site_id = 1,
				  .severity = "high", .subject = "[sitewarden] 新告警",
				  .body = "{\"event\":\"alert.new\"}",
				  .recipients = "a@example.test,b@example.test"};
	struct smtp sm = {0};
	struct sw_errbuf eb;
	pthread_t t;
	int port;

	(void)state;
	snprintf(c.kind, sizeof c.kind, "smtp");
	snprintf(c.sender, sizeof c.sender, "sitewarden@example.test");
	sm.fd = listener(SOCK_STREAM, &port);
	snprintf(c.url, sizeof c.url, "smtp://127.0.0.1:%d", port);
	assert_int_equal(pthread_create(&t, NULL, smtp_serve, &sm), 0);
	sw_errbuf_clear(&eb);
	if (sw_notify_send(&c, &m, 1700000000, &eb))
		fail_msg("smtp: %s", eb.msg);
	pthread_join(t, NULL);
	close(sm.fd);
	sm.log[sm.n] = '\0';
	assert_non_null(strstr(sm.log, "MAIL FROM:<sitewarden@example.test>"));
	assert_non_null(strstr(sm.log, "RCPT TO:<a@example.test>"));
	assert_non_null(strstr(sm.log, "RCPT TO:<b@example.test>"));
	assert_non_null(strstr(sm.log, "Idempotency-Key: sw-s1-c2-ch3\r\n"));
	assert_non_null(strstr(sm.log, "Subject: =?UTF-8?B?W3NpdGV3YXJkZW5dIOaWsOWRiuitpg==?="));
	assert_non_null(strstr(sm.log, "Content-Transfer-Encoding: base64"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_backoff),	  cmocka_unit_test(test_route),
		cmocka_unit_test(test_responsible), cmocka_unit_test(test_retry),
		cmocka_unit_test(test_digest),	  cmocka_unit_test(test_channels),
		cmocka_unit_test(test_signatures), cmocka_unit_test(test_syslog),
		cmocka_unit_test(test_smtp),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
