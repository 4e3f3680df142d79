/*
 * http.h - what a route handler of `sitewarden serve` sees: one request,
 * already authenticated, bounded and parsed, and one response to fill.
 *
 * The server (server.c, on libmicrohttpd) reads the whole request body
 * (bounded by SW_HTTP_BODY_MAX; larger bodies get 413 before any handler
 * runs), parses a JSON body, finds the signed-in user (session cookie or
 * API token), refuses state changes without a valid CSRF token for cookie
 * sessions, matches the route table and calls the handler on one of its
 * threads.  Each thread has its own store connection (rq->st), so
 * handlers never share one.  Handlers do not print: they fill *rs.
 *
 * Errors have one shape everywhere: {"error": "message", "field": "name"}
 * ("field" only when one input field is at fault), with a 4xx status for
 * bad input and a 5xx status only for the server's own failures.
 */
#ifndef SW_SERVER_HTTP_H
#define SW_SERVER_HTTP_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "store/store.h"

/* Largest request body accepted (an import upload is the biggest). */
#define SW_HTTP_BODY_MAX (16u << 20)

/* Roles (issue 9): what a user may see and change. */
enum sw_role {
	SW_ROLE_ADMIN = 1,      /* everything, users included */
	SW_ROLE_SUPERVISOR = 2, /* its region subtree or its department's units */
	SW_ROLE_OPERATOR = 4,   /* only its own unit's sites (谁主管谁负责) */
	SW_ROLE_AUDITOR = 8,    /* reads everything, changes nothing; reads the audit log */
	SW_ROLE_AGENT = 16,     /* an agent's token: posts events of its site only */
};

/* Who is asking.  Scope fields restrict what the store returns. */
struct sw_user {
	int64_t id;
	char name[64];
	enum sw_role role;
	char region[16];  /* supervisor: region code whose subtree it sees; "" none */
	int64_t dept_id;  /* supervisor: department whose units it sees; 0 none */
	int64_t unit_id;  /* operator: its unit */
	int64_t site_id;  /* agent token: its site */
};

struct sw_server; /* the running server (server.c) */

struct sw_req {
	const char *method;      /* "GET", "POST", "PUT", "PATCH", "DELETE" */
	const char *path;        /* decoded path, no query */
	const char *params[4];   /* captures of "{...}" segments of the route, in order */
	const char *body;        /* raw body, NUL-terminated; "" when none */
	size_t body_len;
	const char *content_type;/* of the body; "" when none */
	json_t *json;            /* parsed body when it is JSON, else NULL (borrowed) */
	const struct sw_user *user; /* NULL only on public routes */
	const char *remote;      /* peer address, for the audit log and rate limits */
	struct sw_store *st;     /* this thread's store connection */
	struct sw_server *srv;
	void *conn;              /* the server's own (query arguments, headers) */
	/* Added by the server core: */
	const char *csrf;        /* the cookie session's CSRF token; "" for tokens/agents */
	const char *session;     /* digest of the session cookie's id; "" none */
	char actor[64];          /* a public write (login) names who tried, for the audit log */
};

/* Query argument `name` of the request (percent-decoded), or NULL. */
const char *sw_req_arg(const struct sw_req *rq, const char *name);

/* Request header `name` (case-insensitive), or NULL. */
const char *sw_req_header(const struct sw_req *rq, const char *name);

struct sw_resp {
	int status;              /* 0 until a handler sets it */
	char etag[24];           /* ETag header, quoted; "" none (static files; 304 too) */
	const char *cache_control; /* Cache-Control header, static string; NULL none */
	json_t *json;            /* owned: sent as application/json */
	char *body;              /* owned (malloc): sent as is when json is NULL */
	size_t body_len;
	const char *content_type;/* for body; static string */
	const char *filename;    /* Content-Disposition attachment name; static or owned by
				  * the handler until the response is sent (copied) */
	char set_cookie[512];    /* one Set-Cookie header; "" none */
	int retry_after;         /* seconds for a Retry-After header (429); 0 none */
};

/* Sets a JSON response (takes ownership of json); returns 0. */
int sw_resp_json(struct sw_resp *rs, int status, json_t *json);

/* Sets the error response {"error": <message>, "field": field}; field may
 * be NULL.  Returns 0. */
int sw_resp_error(struct sw_resp *rs, int status, const char *field, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

/* Sets an error response from a module error: SW_EINVAL and friends give
 * 400 (with the field named when the errbuf names one), SW_ENOTFOUND 404,
 * SW_EEXIST and SW_EINUSE 409, the rest 500.  Returns 0. */
int sw_resp_from_err(struct sw_resp *rs, enum sw_err rc, const struct sw_errbuf *eb);

/* Sets an owned byte body (takes ownership of body, a malloc'd buffer). */
int sw_resp_bytes(struct sw_resp *rs, int status, const char *content_type, char *body,
		  size_t len);

/* Route flags. */
enum {
	SW_R_PUBLIC = 1 << 0,  /* no sign-in needed (login, healthz, static files) */
	SW_R_WRITE = 1 << 1,   /* changes state: CSRF checked, audited, refused to auditors */
};

struct sw_route {
	const char *method;
	/* "/api/sites/{id}": literal segments and "{name}" captures (one
	 * segment each), matched exactly; no wildcards. */
	const char *pattern;
	int (*fn)(struct sw_req *rq, struct sw_resp *rs);
	unsigned flags;
	/* enum sw_role bits allowed; 0 means every signed-in person (agents
	 * only reach routes that name SW_ROLE_AGENT).  A SW_R_WRITE route is
	 * refused to auditors unless roles names SW_ROLE_AUDITOR. */
	unsigned roles;
	const char *summary;   /* one line, for /api/openapi.json checks and logs */
};

/* Route tables of the API modules, each ending with a zeroed entry.  The
 * server walks every table listed in server_routes.c (a table is listed
 * there once its module exists). */
extern const struct sw_route sw_api_routes_auth[];       /* login, logout, me, users, tokens, audit */
extern const struct sw_route sw_api_routes_agent[];      /* agent events and heartbeats */
extern const struct sw_route sw_api_routes_register[];   /* sites, units, depts, groups, persons, regions, import */
extern const struct sw_route sw_api_routes_monitor[];    /* checks, findings, overview, diff */
extern const struct sw_route sw_api_routes_alert[];      /* alerts, incidents, plans, drills */
extern const struct sw_route sw_api_routes_evidence[];   /* evidence export and verify */
extern const struct sw_route sw_api_routes_compliance[]; /* reviews, MLPS, rectification, stats, reports */

/*
 * The dashboard's files (static.c, from web/ embedded at build time):
 * answers a GET or HEAD for a path outside /api/ ("/" is index.html).
 * Returns 0 when it filled rs, 1 when there is no such file (the server
 * then answers 404).
 */
int sw_static_serve(const struct sw_req *rq, struct sw_resp *rs);

#endif
