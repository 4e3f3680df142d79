/*
 * notify.h - notifications: routing alert and incident events to channels
 * through the store's outbox, and the sender that empties it.
 *
 * Routing (per site, from its policy's alert_routing): channels of scope
 * 'site' for the site always; 'responsible' (mail to the site's responsible
 * persons) when routing names responsible; 'dept' channels of the unit's
 * and the group's supervising department for department; 'group' channels
 * of the site's group for group; 'all' channels for supervisor.  A channel
 * takes an event when its severity reaches both the channel's minimum and
 * the site's alert_min_severity (incident deadlines always pass).
 *
 * Delivery is at least once with an idempotency key per message (header
 * Idempotency-Key, and "id" in JSON bodies) so a receiver drops the rare
 * repeat after a crash between sending and marking; marking is exactly
 * once.  Failed sends back off exponentially (SW_NOTIFY_BACKOFF_BASE
 * doubling to SW_NOTIFY_BACKOFF_MAX) and stay queued forever: nothing is
 * dropped.  When more than a channel's digest_after messages would go to
 * it within SW_NOTIFY_WINDOW seconds, what is due goes as one digest.
 */
#ifndef SW_NOTIFY_NOTIFY_H
#define SW_NOTIFY_NOTIFY_H

#include <stddef.h>
#include <stdint.h>

#include "alert/alert.h"
#include "store/notify.h"
#include "store/store.h"

#define SW_NOTIFY_BACKOFF_BASE 30   /* seconds before the first retry */
#define SW_NOTIFY_BACKOFF_MAX 3600  /* retries at least hourly */
#define SW_NOTIFY_WINDOW 600        /* the digest window, seconds */
#define SW_NOTIFY_LEASE 120         /* a claimed message is due again after this */
#define SW_NOTIFY_PUMP_MAX 500      /* messages sent per pump call at most */
#define SW_NOTIFY_DIGEST_ITEMS 50   /* events listed in a digest (all are counted) */

/*
 * Checks and completes a channel before it is stored: kind known, URL of
 * the kind's scheme, scope valid (scope_id for dept/group/site), SMTP
 * sender and recipients, min_severity known (default "medium"),
 * digest_after (default 20).  Errors name the field.
 */
enum sw_err sw_notify_channel_check(struct sw_channel *c, struct sw_errbuf *eb);

/* One alert change inside an event. */
struct sw_notify_item {
	const char *change;    /* "new", "reopened", "resolved" */
	int64_t alert_id;
	const char *kind, *severity, *title;
};

/* One event to route for a site. */
struct sw_notify_event {
	int64_t site_id;
	const char *event;     /* "alert.new", "alert.reopened", "alert.resolved",
				* "alert.changed" (a mix), "incident.opened",
				* "incident.overdue", "test" */
	const char *severity;  /* the worst of the items, when there are items */
	const char *kind;      /* finding kind or incident step; may be NULL */
	const char *title;
	const char *key;       /* what makes it unique among events (e.g.
				* "s3-c345": site 3, check 345); the idempotency
				* key adds the channel */
	int64_t alert_id, incident_id; /* 0: none */
	const char *incident_title;    /* with incident_id */
	int force;             /* ignore the severity minimums (deadlines) */
	const struct sw_notify_item *items; /* the alert changes; may be none */
	size_t n_items;
};

/* Routes ev to its channels and queues one message per channel at now: a
 * channel gets the items that reach its minimum severity, and nothing
 * when none does.  *queued (may be NULL) is increased by how many were
 * queued. */
enum sw_err sw_notify_enqueue(struct sw_store *st, const struct sw_notify_event *ev,
			      int64_t now, size_t *queued, struct sw_errbuf *eb);

/*
 * Queues one message per channel for everything one check changed at a
 * site (new, reopened and resolved alerts; the incident it opened, when
 * incident_id is not 0): a defaced page with three findings is one
 * message, not three.  check_id makes the keys unique (0 for an event:
 * the first alert and now do).
 */
enum sw_err sw_notify_enqueue_changes(struct sw_store *st, const struct sw_alert_changes *ch,
				      int64_t check_id, int64_t incident_id, int64_t now,
				      size_t *queued, struct sw_errbuf *eb);

/* What a pump did. */
struct sw_notify_stats {
	size_t sent, failed, digests, digested;
};

/*
 * Sends the queued messages due at now (all queued ones when `all`, back-off
 * ignored: an operator's "send now"), at most SW_NOTIFY_PUMP_MAX.  A failed
 * send is a retry, not an error: only store failures return non-zero.
 * stats may be NULL.
 */
enum sw_err sw_notify_pump_all(struct sw_store *st, int64_t now, int all,
			       struct sw_notify_stats *stats, struct sw_errbuf *eb);

/* sw_notify_pump_all(st, now, 0, NULL, eb): what the engine's tick calls. */
enum sw_err sw_notify_pump(struct sw_store *st, int64_t now, struct sw_errbuf *eb);

/* Seconds to wait after the attempts-th failed attempt (1, 2, ...). */
int64_t sw_notify_backoff(int64_t attempts);

/*
 * Delivers one message m over channel c now (no queue, no retry):
 * SW_OK when the receiver accepted it, SW_EIO with the reason in eb
 * otherwise.  Used by the pump and by `channel test`.
 */
enum sw_err sw_notify_send(const struct sw_channel *c, const struct sw_notify_msg *m,
			   int64_t now, struct sw_errbuf *eb);

/* A file to attach (borrowed): name (ASCII, no quotes), MIME type, bytes. */
struct sw_notify_attach {
	const char *name, *type;
	const unsigned char *data;
	size_t len;
};

/*
 * sw_notify_send with file a attached, for channels that can carry a file
 * (smtp: a multipart/mixed mail of the text and the file, both base64).
 * Other kinds answer SW_EINVAL: their callers send a link instead.
 * Scheduled reports (src/compliance/schedule.c) use it.
 */
enum sw_err sw_notify_send_attach(const struct sw_channel *c, const struct sw_notify_msg *m,
				  const struct sw_notify_attach *a, int64_t now,
				  struct sw_errbuf *eb);

/* ---- formatting (format.c), shared by the senders and the tests ---- */

/* Lower-case hex HMAC-SHA256 of the timestamp's text followed by body,
 * keyed by secret: the webhook's X-Sitewarden-Signature (after "sha256="). */
void sw_notify_webhook_sig(const char *secret, const char *timestamp, const char *body,
			   size_t body_len, char hex[65]);

/* DingTalk's sign: base64 of HMAC-SHA256 keyed by secret over
 * "<timestamp_ms>\n<secret>", percent-encoded for the URL. */
void sw_notify_dingtalk_sign(const char *secret, long long timestamp_ms, char *out, size_t cap);

/* Plain text of a message for people (chat robots, mail, syslog): a new
 * malloc'd string, NULL when out of memory. */
char *sw_notify_text(const struct sw_notify_msg *m);

#endif
