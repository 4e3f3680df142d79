/*
 * agent.h - enrolled host agents and what they sent (migration 0005): the
 * agent record with its credentials, every event once per (agent, seq),
 * heartbeats, and the findings of family "agent" for the agent's site.
 */
#ifndef SW_STORE_AGENT_H
#define SW_STORE_AGENT_H

#include <stdint.h>

#include "core/err.h"
#include "store/store.h"

struct sw_agent_row {
	int64_t id;
	char name[128];
	int64_t site_id;
	char site_name[128];  /* filled by list and get */
	char token_hash[65];  /* hex SHA-256 of the token; "" when it signs with HMAC */
	char hmac_key[132];   /* hex; "" when the agent uses a token */
	int64_t created_at;
	int64_t ack_seq;      /* -1: no event yet */
	int64_t last_hb;      /* 0: never */
	int64_t hb_interval;  /* 0: unknown */
	int64_t silent_since; /* 0: not silent (or not yet noticed) */
	const char *heartbeat;/* last heartbeat JSON (list only; valid during the call) */
};

/* Enrols an agent for site_id with a token digest or an HMAC key (one of
 * them non-NULL).  SW_EEXIST when the name is taken, SW_EINUSE when the
 * site does not exist. */
enum sw_err sw_store_agent_add(struct sw_store *st, const char *name, int64_t site_id,
			       const char *token_hash, const char *hmac_key, int64_t *id,
			       struct sw_errbuf *eb);

/* Reads the agent called name.  SW_ENOTFOUND when none. */
enum sw_err sw_store_agent_by_name(struct sw_store *st, const char *name,
				   struct sw_agent_row *out, struct sw_errbuf *eb);

/* Walks agents in id order, of site_id (0: any) among the sites acc
 * admits (NULL: all; see struct sw_access); a non-zero return stops. */
enum sw_err sw_store_agent_list(struct sw_store *st, int64_t site_id,
				const struct sw_access *acc,
				int (*cb)(void *arg, const struct sw_agent_row *a), void *arg,
				struct sw_errbuf *eb);

/* Stores one event unless (agent_id, seq) is held; *added 1 when it was
 * new.  body is the event's JSON text. */
enum sw_err sw_store_agent_event_put(struct sw_store *st, int64_t agent_id, int64_t seq,
				     const char *kind, const char *time, int64_t now,
				     const char *body, int *added, struct sw_errbuf *eb);

/*
 * Moves the agent's acknowledged sequence up over every event held
 * contiguously after it and returns it in *ack.  An agent with no
 * acknowledged sequence yet starts at first_seq - 1 (its first batch's
 * lowest sequence: an agent enrolled with events already spooled).
 */
enum sw_err sw_store_agent_ack(struct sw_store *st, int64_t agent_id, int64_t first_seq,
			       int64_t *ack, struct sw_errbuf *eb);

/* Counts the events held for agent_id (0: every agent). */
enum sw_err sw_store_agent_event_count(struct sw_store *st, int64_t agent_id, int64_t *n,
				       struct sw_errbuf *eb);

/* Records a heartbeat at now: remembers the gap since the last one and
 * the body, and ends a silence. */
enum sw_err sw_store_agent_heartbeat(struct sw_store *st, int64_t agent_id, int64_t now,
				     const char *body, struct sw_errbuf *eb);

/* Marks the agent silent since `since`. */
enum sw_err sw_store_agent_set_silent(struct sw_store *st, int64_t agent_id, int64_t since,
				      struct sw_errbuf *eb);

struct sw_agent_finding_row {
	int64_t id, agent_id, site_id, seq, created_at;
	const char *kind, *severity, *title, *evidence;
};

enum sw_err sw_store_agent_finding_add(struct sw_store *st, const struct sw_agent_finding_row *f,
				       struct sw_errbuf *eb);

/* Walks the agent findings of site_id and of agent_id (0: any), newest
 * first, at most limit (<= 0: all). */
enum sw_err sw_store_agent_findings(struct sw_store *st, int64_t site_id, int64_t agent_id,
				    int64_t limit,
				    int (*cb)(void *arg, const struct sw_agent_finding_row *f),
				    void *arg, struct sw_errbuf *eb);

#endif
