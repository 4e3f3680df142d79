/*
 * server_auth.c - identifying the asker (auth.h).
 *
 * Session ids and tokens are 256-bit random values; the store holds only
 * their SHA-256, so a copy of the database signs nobody in.  An agent's
 * HMAC signature covers the timestamp and the exact body bytes and must
 * be at most SW_AGENT_SKEW seconds from the server's clock (docs/agent.md,
 * "Event protocol"); a replay inside that window is harmless because
 * events are idempotent by (agent, seq).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "server/auth.h"
#include "store/agent.h"

#define SW_AGENT_SKEW 300

/* The value of "Authorization: Bearer X", or NULL. */
static const char *bearer(const struct sw_req *rq)
{
	const char *h = sw_req_header(rq, "Authorization");

	if (!h || strncasecmp(h, "Bearer ", 7))
		return NULL;
	h += 7;
	while (*h == ' ')
		h++;
	return *h && strlen(h) < 512 ? h : NULL;
}

/* An agent's request: its token or its HMAC signature over the body. */
static void agent_identify(struct sw_req *rq, const char *name, struct sw_auth *who)
{
	struct sw_agent_row a;
	struct sw_errbuf eb;
	const char *tok = bearer(rq), *ts, *sig;
	char digest[65];

	sw_errbuf_clear(&eb);
	if (strlen(name) >= sizeof a.name || sw_store_agent_by_name(rq->st, name, &a, &eb))
		return;
	if (tok) {
		if (!a.token_hash[0])
			return;
		sw_secret_sha256_hex(tok, strlen(tok), digest);
		if (!sw_secret_equal(digest, a.token_hash))
			return;
	} else if (a.hmac_key[0]) {
		unsigned char key[64];
		int klen = sw_secret_unhex(a.hmac_key, key, sizeof key);
		long long t;
		char *end, msg[24];
		size_t ml;

		ts = sw_req_header(rq, "X-Sitewarden-Timestamp");
		sig = sw_req_header(rq, "X-Sitewarden-Signature");
		if (klen <= 0 || !ts || !sig || strlen(ts) > 20)
			return;
		t = strtoll(ts, &end, 10);
		if (*end || end == ts || llabs(t - (long long)time(NULL)) > SW_AGENT_SKEW)
			return;
		ml = (size_t)snprintf(msg, sizeof msg, "%s\n", ts);
		sw_secret_hmac_hex(key, (size_t)klen, msg, ml, rq->body, rq->body_len, digest);
		memset(key, 0, sizeof key);
		if (!sw_secret_equal(digest, sig))
			return;
	} else {
		return;
	}
	who->ok = 1;
	who->user.id = a.id;
	who->user.role = SW_ROLE_AGENT;
	who->user.site_id = a.site_id;
	snprintf(who->user.name, sizeof who->user.name, "%.63s", a.name);
}

void sw__auth_identify(struct sw_server *srv, struct sw_req *rq, struct sw_auth *who)
{
	const char *agent = sw_req_header(rq, "X-Sitewarden-Agent"), *tok, *cookies;
	struct sw_user_row u;
	struct sw_errbuf eb;
	char id[128], digest[65];

	(void)srv;
	memset(who, 0, sizeof *who);
	sw_errbuf_clear(&eb);
	if (agent) {
		agent_identify(rq, agent, who);
		return;
	}
	if ((tok = bearer(rq))) {
		sw_secret_sha256_hex(tok, strlen(tok), digest);
		if (!sw_store_token_user(rq->st, digest, &u, &eb)) {
			who->ok = 1;
			sw__user_from_row(&who->user, &u);
		}
		return;
	}
	cookies = sw_req_header(rq, "Cookie");
	if (!sw__cookie_get(cookies, "sw_session", id, sizeof id) || strlen(id) != 64)
		return;
	sw_secret_sha256_hex(id, strlen(id), digest);
	if (sw_store_session_user(rq->st, digest, (int64_t)time(NULL), &u, who->csrf, &eb))
		return;
	who->ok = 1;
	who->via_cookie = 1;
	memcpy(who->session, digest, sizeof who->session);
	sw__user_from_row(&who->user, &u);
}

int sw__auth_session_new(struct sw_req *rq, struct sw_resp *rs, int64_t user_id,
			 char csrf[65])
{
	struct sw_errbuf eb;
	char id[65], digest[65];
	int64_t now = (int64_t)time(NULL);

	sw_errbuf_clear(&eb);
	if (sw_secret_random_hex(32, id, &eb) || sw_secret_random_hex(32, csrf, &eb))
		return sw_resp_error(rs, 500, NULL, "no randomness");
	sw_secret_sha256_hex(id, strlen(id), digest);
	if (sw_store_session_add(rq->st, digest, user_id, csrf, now, now + SW_SESSION_TTL,
				 rq->remote, &eb))
		return sw_resp_error(rs, 500, NULL, "cannot store the session");
	snprintf(rs->set_cookie, sizeof rs->set_cookie,
		 "sw_session=%s; Path=/; Max-Age=%d; HttpOnly; SameSite=Strict%s", id,
		 SW_SESSION_TTL, sw_server_https(rq->srv) ? "; Secure" : "");
	return 0;
}

void sw__auth_cookie_clear(struct sw_req *rq, struct sw_resp *rs)
{
	snprintf(rs->set_cookie, sizeof rs->set_cookie,
		 "sw_session=; Path=/; Max-Age=0; HttpOnly; SameSite=Strict%s",
		 sw_server_https(rq->srv) ? "; Secure" : "");
}
