/*
 * auth.h - who is asking (server_auth.c): an agent (X-Sitewarden-Agent
 * with its token or HMAC signature), a script (Authorization: Bearer API
 * token) or a browser (the sw_session cookie); and making a session at
 * sign-in.
 */
#ifndef SW_SERVER_AUTH_H
#define SW_SERVER_AUTH_H

#include "server/secret.h"
#include "server/server_int.h"

/* Session lifetime: a working day; signing in again makes a new one. */
#define SW_SESSION_TTL (12 * 3600)

struct sw_auth {
	int ok;             /* a valid credential was presented */
	int via_cookie;     /* ... and it was the session cookie: CSRF applies */
	struct sw_user user;
	char csrf[65];      /* the session's CSRF token; "" otherwise */
	char session[65];   /* digest of the session id; "" otherwise */
};

/* Fills *who from rq's headers (and body, for HMAC-signed agent
 * requests).  Never fails: a bad credential leaves who->ok 0. */
void sw__auth_identify(struct sw_server *srv, struct sw_req *rq, struct sw_auth *who);

/*
 * Makes a session for user_id: writes the cookie for rs (Secure under
 * HTTPS) and the new CSRF token into csrf.  Returns 0, or fills a 500.
 */
int sw__auth_session_new(struct sw_req *rq, struct sw_resp *rs, int64_t user_id,
			 char csrf[65]);

/* Fills rs's Set-Cookie with an expired sw_session cookie. */
void sw__auth_cookie_clear(struct sw_req *rq, struct sw_resp *rs);

#endif
