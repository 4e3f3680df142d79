/*
 * notify.h - the store's side of notifications (migration 0006): channels
 * and the outbox queue.  Times are unix seconds.
 *
 * The queue is an outbox: rows are written in the transaction that changed
 * an alert or incident, so a message exists exactly when its cause does,
 * and a sender that stops leaves them queued for the next one.
 */
#ifndef SW_STORE_NOTIFY_H
#define SW_STORE_NOTIFY_H

#include <stdint.h>

#include "store/store.h"

/* One channel, copied out of the store (fixed buffers: channels are few
 * and small, and a sender keeps one while it talks to the network). */
struct sw_channel {
	int64_t id;
	char name[64];
	char kind[16];        /* webhook, dingtalk, wecom, smtp, syslog */
	char url[512];        /* endpoint: http(s) URL, smtp(s)://, udp:// or tcp:// */
	char secret[256];     /* signing secret, or SMTP "user:password"; "" none */
	char recipients[512]; /* SMTP: comma-separated addresses */
	char sender[256];     /* SMTP From address */
	char scope[16];       /* all, dept, group, site, responsible */
	int64_t scope_id;
	char min_severity[16];
	int64_t digest_after; /* more due than this in a window: one digest */
	int enabled;
	int64_t created_at;
};

/* Adds c (c->id ignored); *id gets its id.  SW_EEXIST when the name is
 * taken. */
enum sw_err sw_store_channel_add(struct sw_store *st, const struct sw_channel *c, int64_t *id,
				 struct sw_errbuf *eb);

/* Removes channel id and its queued messages.  SW_ENOTFOUND when none. */
enum sw_err sw_store_channel_remove(struct sw_store *st, int64_t id, struct sw_errbuf *eb);

/* Reads the channel named or numbered `ref` into out.  SW_ENOTFOUND. */
enum sw_err sw_store_channel_find(struct sw_store *st, const char *ref, struct sw_channel *out,
				  struct sw_errbuf *eb);

/* Walks every channel in id order. */
enum sw_err sw_store_channel_list(struct sw_store *st,
				  int (*cb)(void *arg, const struct sw_channel *c), void *arg,
				  struct sw_errbuf *eb);

/* A site's routing facts: its unit's department, its group, its group's
 * department (0 when none). */
struct sw_route_facts {
	int64_t site_id, dept_id, group_id, group_dept_id;
	char site_name[256], url[512];
};

/* Reads the routing facts of site_id.  SW_ENOTFOUND when no such site. */
enum sw_err sw_store_route_facts(struct sw_store *st, int64_t site_id,
				 struct sw_route_facts *out, struct sw_errbuf *eb);

/* Walks the e-mail addresses of site_id's responsible persons. */
enum sw_err sw_store_site_emails(struct sw_store *st, int64_t site_id,
				 int (*cb)(void *arg, const char *email), void *arg,
				 struct sw_errbuf *eb);

/* One queued message.  Strings borrowed (NULL: none). */
struct sw_notify_msg {
	int64_t id, channel_id;
	const char *idem_key, *event;
	int64_t alert_id, incident_id, site_id;  /* 0: none */
	const char *severity, *subject, *body, *recipients, *state;
	int64_t attempts, next_at, created_at, sent_at;
	const char *last_error;
	int64_t digest_id;
};

/*
 * Queues m (state queued, attempts 0; id, state, attempts, sent_at ignored).
 * A message whose idem_key is already queued or sent is not queued again:
 * *id gets 0 then.  Enqueueing the same cause twice is harmless.
 */
enum sw_err sw_store_notify_enqueue(struct sw_store *st, const struct sw_notify_msg *m,
				    int64_t *id, struct sw_errbuf *eb);

/* Walks up to limit queued messages of channel_id due at now, oldest
 * first (channel_id 0: of every channel).  now 0: all queued, due or not. */
enum sw_err sw_store_notify_due(struct sw_store *st, int64_t channel_id, int64_t now,
				int64_t limit, int (*cb)(void *arg, const struct sw_notify_msg *m),
				void *arg, struct sw_errbuf *eb);

/* Counts channel_id's queued messages due at now, and its messages sent
 * at or after `since`. */
enum sw_err sw_store_notify_counts(struct sw_store *st, int64_t channel_id, int64_t now,
				   int64_t since, int64_t *due, int64_t *sent,
				   struct sw_errbuf *eb);

/*
 * Claims message id for a send: moves its next_at to lease_until if it is
 * still queued and due at now.  *got is 1 when this caller owns the send,
 * 0 when another sender took it or it is gone.
 */
enum sw_err sw_store_notify_claim(struct sw_store *st, int64_t id, int64_t now,
				  int64_t lease_until, int *got, struct sw_errbuf *eb);

/* Marks message id sent at now (only a queued one: exactly once). */
enum sw_err sw_store_notify_sent(struct sw_store *st, int64_t id, int64_t now,
				 struct sw_errbuf *eb);

/* Records a failed attempt: attempts + 1, next_at, the error text. */
enum sw_err sw_store_notify_retry(struct sw_store *st, int64_t id, int64_t next_at,
				  const char *error, struct sw_errbuf *eb);

/* Marks channel_id's queued messages with ids from..to (inclusive) as
 * digested into message digest_id; *n gets how many. */
enum sw_err sw_store_notify_digested(struct sw_store *st, int64_t channel_id, int64_t from,
				     int64_t to, int64_t digest_id, int64_t *n,
				     struct sw_errbuf *eb);

/* Walks the newest messages (state NULL: any state), at most limit. */
enum sw_err sw_store_notify_list(struct sw_store *st, const char *state, int64_t limit,
				 int (*cb)(void *arg, const struct sw_notify_msg *m), void *arg,
				 struct sw_errbuf *eb);

#endif
