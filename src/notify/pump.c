/*
 * pump.c - the sender: empties the outbox channel by channel.
 *
 * Per channel: when more messages are due than the channel's digest_after
 * allows in SW_NOTIFY_WINDOW (counting what it was sent lately), the due
 * ones become one digest row, written in one transaction with their
 * marking, so the digest itself is queued, retried and marked like any
 * message and a restart cannot send its members again.  Then each due
 * message is claimed (a lease, for several senders on one database), sent
 * outside any transaction, and marked sent or given its next retry.
 */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/finding.h"
#include "notify/notify.h"
#include "notify/send.h"

#define CHANNELS_MAX 1024

int64_t sw_notify_backoff(int64_t attempts)
{
	int64_t d = SW_NOTIFY_BACKOFF_BASE;

	for (int64_t i = 1; i < attempts && d < SW_NOTIFY_BACKOFF_MAX; i++)
		d *= 2;
	return d < SW_NOTIFY_BACKOFF_MAX ? d : SW_NOTIFY_BACKOFF_MAX;
}

enum sw_err sw_notify_send(const struct sw_channel *c, const struct sw_notify_msg *m,
			   int64_t now, struct sw_errbuf *eb)
{
	if (!strcmp(c->kind, "webhook"))
		return sw__notify_webhook(c, m, now, eb);
	if (!strcmp(c->kind, "dingtalk") || !strcmp(c->kind, "wecom"))
		return sw__notify_robot(c, m, now, eb);
	if (!strcmp(c->kind, "smtp"))
		return sw__notify_smtp(c, m, now, eb);
	if (!strcmp(c->kind, "syslog"))
		return sw__notify_syslog(c, m, now, eb);
	return sw_errf(eb, SW_EINVAL, "unknown channel kind '%s'", c->kind);
}

enum sw_err sw_notify_send_attach(const struct sw_channel *c, const struct sw_notify_msg *m,
				  const struct sw_notify_attach *a, int64_t now,
				  struct sw_errbuf *eb)
{
	if (!strcmp(c->kind, "smtp"))
		return sw__notify_smtp_attach(c, m, a, now, eb);
	return sw_errf(eb, SW_EINVAL, "a %s channel cannot carry a file", c->kind);
}

/* The channels, copied (sending must not happen inside a walk). */
struct chans {
	struct sw_channel *v;
	size_t n;
};

static int take_chan(void *arg, const struct sw_channel *c)
{
	struct chans *cs = arg;

	if (cs->n < CHANNELS_MAX && c->enabled)
		cs->v[cs->n++] = *c;
	return cs->n >= CHANNELS_MAX;
}

/* Owned copies of the due messages of one channel. */
struct msgs {
	struct sw_notify_msg *v;
	size_t n, cap;
	int oom;
};

static char *dup0(const char *s)
{
	return s ? strdup(s) : NULL;
}

static int take_msg(void *arg, const struct sw_notify_msg *m)
{
	struct msgs *ms = arg;
	struct sw_notify_msg *x;

	if (ms->n == ms->cap) {
		size_t cap = ms->cap ? 2 * ms->cap : 16;
		struct sw_notify_msg *v = realloc(ms->v, cap * sizeof *v);

		if (!v) {
			ms->oom = 1;
			return 1;
		}
		ms->v = v;
		ms->cap = cap;
	}
	x = &ms->v[ms->n++];
	*x = *m;
	x->idem_key = dup0(m->idem_key);
	x->event = dup0(m->event);
	x->severity = dup0(m->severity);
	x->subject = dup0(m->subject);
	x->body = dup0(m->body);
	x->recipients = dup0(m->recipients);
	x->state = x->last_error = NULL;
	if (!x->idem_key || !x->event || !x->severity || !x->subject || !x->body)
		ms->oom = 1;
	return ms->oom;
}

static void msgs_free(struct msgs *ms)
{
	for (size_t i = 0; i < ms->n; i++) {
		free((char *)ms->v[i].idem_key);
		free((char *)ms->v[i].event);
		free((char *)ms->v[i].severity);
		free((char *)ms->v[i].subject);
		free((char *)ms->v[i].body);
		free((char *)ms->v[i].recipients);
	}
	free(ms->v);
	memset(ms, 0, sizeof *ms);
}

/* Builds the digest of ms: body, subject, worst severity. */
static enum sw_err digest_row(const struct sw_channel *c, const struct msgs *ms, int64_t now,
			      struct sw_store *st, struct sw_errbuf *eb)
{
	json_t *items = json_array(), *body;
	char key[128], subject[256], *text;
	int worst = 0;
	struct sw_notify_msg d;
	int64_t id, n = 0, from = ms->v[0].id, to = ms->v[ms->n - 1].id;
	enum sw_err rc;

	for (size_t i = 0; i < ms->n; i++) {
		int s = sw_sev_parse(ms->v[i].severity);

		worst = s > worst ? s : worst;
		if (i < SW_NOTIFY_DIGEST_ITEMS)
			json_array_append_new(items, json_pack("{s:s, s:s, s:s, s:s}", "id",
							       ms->v[i].idem_key, "event",
							       ms->v[i].event, "severity",
							       ms->v[i].severity, "subject",
							       ms->v[i].subject));
	}
	snprintf(key, sizeof key, "sw-digest-ch%lld-%lld-%lld", (long long)c->id, (long long)from,
		 (long long)to);
	snprintf(subject, sizeof subject, "[sitewarden] %zu 条通知合并发送 (digest of %zu)", ms->n,
		 ms->n);
	body = json_pack("{s:s, s:s, s:I, s:o}", "id", key, "event", "digest", "count",
			 (json_int_t)ms->n, "items", items);
	text = body ? json_dumps(body, JSON_COMPACT | JSON_SORT_KEYS) : NULL;
	json_decref(body);
	if (!text)
		return sw_errf(eb, SW_ENOMEM, "out of memory");
	d = (struct sw_notify_msg){.channel_id = c->id, .idem_key = key, .event = "digest",
				   .severity = sw_sev_name((enum sw_sev)worst), .subject = subject,
				   .body = text, .next_at = now, .created_at = now};
	if (!(rc = sw_store_begin(st, eb))) {
		rc = sw_store_notify_enqueue(st, &d, &id, eb);
		if (!rc && id)
			rc = sw_store_notify_digested(st, c->id, from, to, id, &n, eb);
		if (rc)
			sw_store_rollback(st);
		else
			rc = sw_store_commit(st, eb);
	}
	free(text);
	return rc;
}

/* Sends the due messages of channel c; digests first when too many. */
static enum sw_err pump_channel(struct sw_store *st, const struct sw_channel *c, int64_t now,
				int all, size_t *budget, struct sw_notify_stats *stats,
				struct sw_errbuf *eb)
{
	int64_t due = 0, sent = 0, at = all ? INT64_MAX : now;
	struct msgs ms = {0};
	enum sw_err rc;

	if ((rc = sw_store_notify_counts(st, c->id, at, now - SW_NOTIFY_WINDOW, &due, &sent, eb)) ||
	    !due)
		return rc;
	if (due > 1 && due + sent > c->digest_after) {
		rc = sw_store_notify_due(st, c->id, all ? 0 : now, 0, take_msg, &ms, eb);
		if (!rc && ms.oom)
			rc = sw_errf(eb, SW_ENOMEM, "out of memory");
		if (!rc && ms.n > 1 && !(rc = digest_row(c, &ms, now, st, eb))) {
			stats->digests++;
			stats->digested += ms.n;
		}
		msgs_free(&ms);
		if (rc)
			return rc;
	}
	rc = sw_store_notify_due(st, c->id, all ? 0 : now, (int64_t)*budget, take_msg, &ms, eb);
	if (!rc && ms.oom)
		rc = sw_errf(eb, SW_ENOMEM, "out of memory");
	for (size_t i = 0; !rc && i < ms.n && *budget; i++) {
		struct sw_notify_msg *m = &ms.v[i];
		struct sw_errbuf sendeb;
		int got = 0;

		if ((rc = sw_store_notify_claim(st, m->id, at, now + SW_NOTIFY_LEASE, &got, eb)) ||
		    !got)
			continue;
		(*budget)--;
		sw_errbuf_clear(&sendeb);
		if (sw_notify_send(c, m, now, &sendeb) == SW_OK) {
			rc = sw_store_notify_sent(st, m->id, now, eb);
			stats->sent++;
		} else {
			rc = sw_store_notify_retry(st, m->id, now + sw_notify_backoff(m->attempts + 1),
						   sendeb.msg, eb);
			stats->failed++;
		}
	}
	msgs_free(&ms);
	return rc;
}

enum sw_err sw_notify_pump_all(struct sw_store *st, int64_t now, int all,
			       struct sw_notify_stats *stats, struct sw_errbuf *eb)
{
	struct sw_notify_stats local;
	struct chans cs = {calloc(CHANNELS_MAX, sizeof(struct sw_channel)), 0};
	size_t budget = SW_NOTIFY_PUMP_MAX;
	enum sw_err rc;

	if (!stats)
		stats = &local;
	memset(stats, 0, sizeof *stats);
	if (!cs.v)
		return sw_errf(eb, SW_ENOMEM, "out of memory");
	rc = sw_store_channel_list(st, take_chan, &cs, eb);
	for (size_t i = 0; !rc && i < cs.n && budget; i++)
		rc = pump_channel(st, &cs.v[i], now, all, &budget, stats, eb);
	free(cs.v);
	return rc;
}

enum sw_err sw_notify_pump(struct sw_store *st, int64_t now, struct sw_errbuf *eb)
{
	return sw_notify_pump_all(st, now, 0, NULL, eb);
}
