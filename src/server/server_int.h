/*
 * server_int.h - what the server's own files share (not for handlers).
 */
#ifndef SW_SERVER_SERVER_INT_H
#define SW_SERVER_SERVER_INT_H

#include <pthread.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>

#include "server/http.h"
#include "server/ratelimit.h"
#include "server/server.h"
#include "store/user.h"

/* Every route table the server walks, NULL-terminated (server_routes.c). */
extern const struct sw_route *const sw_server_tables[];

/* The server's own routes: /healthz, /metrics, /api/openapi.json. */
extern const struct sw_route sw_api_routes_meta[];

struct sw_server {
	struct MHD_Daemon *d;
	char *db;
	int https, port;
	pthread_key_t st_key;     /* this thread's store connection */
	pthread_mutex_t mu;       /* guards stores[] */
	struct sw_store **stores; /* every connection opened, closed at stop */
	size_t n_stores, cap_stores;
	struct sw_ratelimit rl;   /* failed logins per name and per address */
	char *tls_cert, *tls_key; /* PEM text, owned */
	struct sw_engine_counters *engine; /* borrowed; NULL: no engine here */
	char *openapi;            /* the assembled document (owned) */
	size_t openapi_len;
	atomic_uint_fast64_t n_requests, n_errors;
	/* Housekeeping thread: expired sessions, silent agents. */
	pthread_t hk;
	int hk_started;
	pthread_mutex_t hk_mu;
	pthread_cond_t hk_cv;
	int hk_stop;
};

/* Longest path and number of "{...}" captures a route match keeps. */
#define SW_PATH_MAX 2048

/*
 * Matches path against a route pattern; on success the captures are
 * copied into buf (NUL-separated) and caps[] points at them.  Returns 1
 * on a match, 0 otherwise.  Exposed for the unit tests.
 */
int sw__route_match(const char *pattern, const char *path, const char *caps[4], char *buf,
		    size_t n);

/*
 * Finds the route for method and path among sw_server_tables.  Returns it,
 * or NULL with *path_known set when another method matches the path
 * (405 rather than 404).  Captures as for sw__route_match.
 */
const struct sw_route *sw__route_find(const char *method, const char *path, const char *caps[4],
				      char *buf, size_t n, int *path_known);

/* Copies the value of cookie `name` from a Cookie header into out (n
 * bytes).  Returns 1 when found (and it fit), 0 otherwise. */
int sw__cookie_get(const char *header, const char *name, char *out, size_t n);

/* The role's text key ("admin" ...) and back (0 when unknown). */
const char *sw__role_name(enum sw_role r);
enum sw_role sw__role_parse(const char *s);

/* Converts a stored row to the handler's view. */
void sw__user_from_row(struct sw_user *u, const struct sw_user_row *r);

/* This thread's store connection, opened on first use; NULL (eb set) when
 * it cannot be opened. */
struct sw_store *sw__server_store(struct sw_server *srv, struct sw_errbuf *eb);

/* The assembled OpenAPI document (openapi.c): a new JSON object. */
json_t *sw__openapi_doc(void);

/* Sends rs as the answer to the MHD connection (resp.c); consumes rs. */
int sw__resp_send(void *conn, struct sw_resp *rs, int https, int api);

/* Frees what rs owns. */
void sw__resp_cleanup(struct sw_resp *rs);

#endif
