/*
 * server.c - `sitewarden serve`'s HTTP server on libmicrohttpd: epoll with
 * a pool of worker threads, optional TLS, whole request bodies bounded by
 * SW_HTTP_BODY_MAX, and the one dispatch path every request takes:
 *
 *   route match -> JSON parse -> who is asking -> sign-in, role, CSRF and
 *   auditor checks -> handler -> audit row for writes -> security headers.
 *
 * Handlers never see a request that failed an earlier step.  Each worker
 * thread opens its own store connection on first use (SQLite in WAL mode
 * lets readers run beside the one writer; its busy timeout queues
 * writers), so handlers share no database handle.
 */
#include <arpa/inet.h>
#include <microhttpd.h>
#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "server/api_agent.h"
#include "server/auth.h"
#include "server/server_int.h"
#include "store/audit.h"

/* What libmicrohttpd keeps for one request between its callbacks. */
struct conn_ctx {
	char *body; /* owned; NUL-terminated */
	size_t len, cap;
	int too_big;
};

struct sw_store *sw__server_store(struct sw_server *srv, struct sw_errbuf *eb)
{
	struct sw_store *st = pthread_getspecific(srv->st_key);

	if (st)
		return st;
	if (sw_store_open(srv->db, &st, eb))
		return NULL;
	pthread_mutex_lock(&srv->mu);
	if (srv->n_stores == srv->cap_stores) {
		size_t cap = srv->cap_stores ? srv->cap_stores * 2 : 16;
		struct sw_store **v = realloc(srv->stores, cap * sizeof *v);
		if (!v) {
			pthread_mutex_unlock(&srv->mu);
			sw_store_close(st);
			sw_errf(eb, SW_ENOMEM, "out of memory");
			return NULL;
		}
		srv->stores = v;
		srv->cap_stores = cap;
	}
	srv->stores[srv->n_stores++] = st;
	pthread_mutex_unlock(&srv->mu);
	pthread_setspecific(srv->st_key, st);
	return st;
}

/* The peer's address as text into out. */
static void remote_of(struct MHD_Connection *c, char *out, size_t n)
{
	const union MHD_ConnectionInfo *ci =
		MHD_get_connection_info(c, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
	const struct sockaddr *sa = ci ? ci->client_addr : NULL;

	snprintf(out, n, "?");
	if (sa && sa->sa_family == AF_INET)
		inet_ntop(AF_INET, &((const struct sockaddr_in *)sa)->sin_addr, out, (socklen_t)n);
	else if (sa && sa->sa_family == AF_INET6)
		inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)sa)->sin6_addr, out,
			  (socklen_t)n);
}

/* 1 for paths the API answers in JSON (everything else is the dashboard). */
static int api_path(const char *path)
{
	return !strncmp(path, "/api/", 5) || !strcmp(path, "/api") || !strcmp(path, "/healthz") ||
	       !strcmp(path, "/metrics");
}

/* Parses a JSON body into rq->json; returns 0, or fills a 400 into rs. */
static int parse_json(struct sw_req *rq, struct sw_resp *rs, json_t **owned)
{
	json_error_t je;

	*owned = NULL;
	if (!rq->body_len || strncasecmp(rq->content_type, "application/json", 16))
		return 0;
	/* Bodies are bounded, and jansson bounds nesting depth itself. */
	*owned = json_loadb(rq->body, rq->body_len, JSON_REJECT_DUPLICATES, &je);
	if (!*owned) {
		sw_resp_error(rs, 400, NULL, "malformed JSON at line %d column %d: %s", je.line,
			      je.column, je.text);
		return -1;
	}
	rq->json = *owned;
	return 0;
}

/* The audit row of a write: who, from where, what, target, result. */
static void audit(struct sw_req *rq, const struct sw_resp *rs, const struct sw_user *u)
{
	struct sw_audit_row a = {0};
	struct sw_errbuf eb;
	char target[32] = "";
	json_t *id = rs->json ? json_object_get(rs->json, "id") : NULL;

	if (rq->params[0])
		snprintf(target, sizeof target, "%.31s", rq->params[0]);
	else if (json_is_integer(id))
		snprintf(target, sizeof target, "%lld", (long long)json_integer_value(id));
	a.at = (int64_t)time(NULL);
	a.user_id = u && u->role != SW_ROLE_AGENT ? u->id : 0;
	a.user_name = u ? u->name : rq->actor;
	a.remote = rq->remote;
	a.method = rq->method;
	a.path = rq->path;
	a.target = target[0] ? target : NULL;
	a.status = rs->status;
	sw_errbuf_clear(&eb);
	if (sw_store_audit_add(rq->st, &a, &eb))
		fprintf(stderr, "sitewarden serve: audit row not written: %s\n", eb.msg);
}

/*
 * Runs the checks of http.h's contract for route r and then its handler.
 * rs is filled either way.
 */
static void run_route(struct sw_server *srv, const struct sw_route *r, struct sw_req *rq,
		      struct sw_resp *rs)
{
	struct sw_auth who;
	const char *tok;
	json_t *body = NULL;

	sw__auth_identify(srv, rq, &who);
	rq->user = who.ok ? &who.user : NULL;
	rq->csrf = who.csrf;
	rq->session = who.session;
	if (parse_json(rq, rs, &body))
		goto out;
	if (!(r->flags & SW_R_PUBLIC)) {
		if (!rq->user) {
			sw_resp_error(rs, 401, NULL, "sign in first");
			goto out;
		}
		if (r->roles ? !(r->roles & rq->user->role) : rq->user->role == SW_ROLE_AGENT) {
			sw_resp_error(rs, 403, NULL, "your role may not do this");
			goto out;
		}
	}
	/* Public writes (sign-in) take no CSRF token: there is no session to
	 * ride yet, and a stale cookie must not stop a new sign-in. */
	if ((r->flags & SW_R_WRITE) && rq->user && !(r->flags & SW_R_PUBLIC)) {
		if (rq->user->role == SW_ROLE_AUDITOR && !(r->roles & SW_ROLE_AUDITOR)) {
			sw_resp_error(rs, 403, NULL, "auditors change nothing");
			goto out;
		}
		tok = sw_req_header(rq, "X-CSRF-Token");
		if (who.via_cookie && (!tok || !sw_secret_equal(tok, who.csrf))) {
			sw_resp_error(rs, 403, NULL, "missing or wrong X-CSRF-Token");
			goto out;
		}
	}
	if (r->fn(rq, rs) && !rs->status)
		sw_resp_error(rs, 500, NULL, "internal error");
	if (!rs->status)
		sw_resp_error(rs, 500, NULL, "internal error");
out:
	/* Anonymous refusals are not audited: anyone could fill the log. */
	if ((r->flags & SW_R_WRITE) && (rq->user || (r->flags & SW_R_PUBLIC)))
		audit(rq, rs, rq->user);
	rq->json = NULL;
	json_decref(body);
}

/* Answers one whole request. */
static enum MHD_Result dispatch(struct sw_server *srv, struct MHD_Connection *c,
				const char *url, const char *method, struct conn_ctx *ctx)
{
	struct sw_req rq;
	struct sw_resp rs;
	struct sw_errbuf eb;
	char remote[64], caps[SW_PATH_MAX + 8];
	const struct sw_route *r;
	int known = 0, api = api_path(url);
	const char *ct;

	memset(&rq, 0, sizeof rq);
	memset(&rs, 0, sizeof rs);
	sw_errbuf_clear(&eb);
	remote_of(c, remote, sizeof remote);
	ct = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Content-Type");
	rq.method = method;
	rq.path = url;
	rq.body = ctx->body ? ctx->body : "";
	rq.body_len = ctx->len;
	rq.content_type = ct ? ct : "";
	rq.remote = remote;
	rq.srv = srv;
	rq.conn = c;
	rq.csrf = rq.session = "";
	atomic_fetch_add(&srv->n_requests, 1);
	if (ctx->too_big) {
		sw_resp_error(&rs, 413, NULL, "request body over %u bytes", SW_HTTP_BODY_MAX);
		goto send;
	}
	if (!(rq.st = sw__server_store(srv, &eb))) {
		fprintf(stderr, "sitewarden serve: cannot open the store: %s\n", eb.msg);
		sw_resp_error(&rs, 503, NULL, "the database is unavailable");
		goto send;
	}
	r = sw__route_find(method, url, rq.params, caps, sizeof caps, &known);
	if (r) {
		run_route(srv, r, &rq, &rs);
	} else if (!api && (!strcmp(method, "GET") || !strcmp(method, "HEAD"))) {
		if (sw_static_serve(&rq, &rs) != 0 || !rs.status) {
			sw__resp_cleanup(&rs);
			sw_resp_error(&rs, 404, NULL, "no such page");
		}
	} else if (known) {
		sw_resp_error(&rs, 405, NULL, "method %s not allowed here", method);
	} else {
		sw_resp_error(&rs, 404, NULL, "no such endpoint");
	}
send:
	if (rs.status >= 500)
		atomic_fetch_add(&srv->n_errors, 1);
	return sw__resp_send(c, &rs, srv->https, api) == MHD_YES ? MHD_YES : MHD_NO;
}

/* Appends upload data to ctx, remembering (not keeping) an oversize body. */
static void take_body(struct conn_ctx *ctx, const char *data, size_t n)
{
	if (ctx->too_big)
		return;
	if (n > SW_HTTP_BODY_MAX - ctx->len) {
		ctx->too_big = 1;
		free(ctx->body);
		ctx->body = NULL;
		ctx->len = ctx->cap = 0;
		return;
	}
	if (ctx->len + n + 1 > ctx->cap) {
		size_t cap = ctx->cap ? ctx->cap : 4096;
		char *b;
		while (cap < ctx->len + n + 1)
			cap *= 2;
		if (!(b = realloc(ctx->body, cap))) {
			ctx->too_big = 1;
			return;
		}
		ctx->body = b;
		ctx->cap = cap;
	}
	memcpy(ctx->body + ctx->len, data, n);
	ctx->len += n;
	ctx->body[ctx->len] = '\0';
}

/* libmicrohttpd's request callback: called once with the headers, then
 * per body chunk, then once more with none left. */
static enum MHD_Result on_request(void *cls, struct MHD_Connection *c, const char *url,
				  const char *method, const char *version,
				  const char *upload_data, size_t *upload_size, void **con_cls)
{
	struct sw_server *srv = cls;
	struct conn_ctx *ctx = *con_cls;

	(void)version;
	if (!ctx) {
		const char *cl = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Content-Length");
		if (!(ctx = calloc(1, sizeof *ctx)))
			return MHD_NO;
		*con_cls = ctx;
		/* A declared oversize body is refused before a byte of it is read. */
		if (cl && strtoull(cl, NULL, 10) > SW_HTTP_BODY_MAX) {
			struct sw_resp rs;
			memset(&rs, 0, sizeof rs);
			ctx->too_big = 1;
			sw_resp_error(&rs, 413, NULL, "request body over %u bytes", SW_HTTP_BODY_MAX);
			return sw__resp_send(c, &rs, srv->https, 1) == MHD_YES ? MHD_YES : MHD_NO;
		}
		return MHD_YES;
	}
	if (*upload_size) {
		take_body(ctx, upload_data, *upload_size);
		*upload_size = 0;
		return MHD_YES;
	}
	return dispatch(srv, c, url, method, ctx);
}

/* Frees a request's context when libmicrohttpd is done with it. */
static void on_completed(void *cls, struct MHD_Connection *c, void **con_cls,
			 enum MHD_RequestTerminationCode toe)
{
	struct conn_ctx *ctx = *con_cls;

	(void)cls, (void)c, (void)toe;
	if (ctx) {
		free(ctx->body);
		free(ctx);
		*con_cls = NULL;
	}
}

/* Reads a whole PEM file into a new string (*out, the caller's). */
static enum sw_err read_pem(const char *path, char **out, struct sw_errbuf *eb)
{
	FILE *f = fopen(path, "r");
	char *b = NULL;
	size_t n = 0, cap = 0, r;

	*out = NULL;
	if (!f)
		return sw_errf(eb, SW_EIO, "cannot open %s", path);
	do {
		if (cap - n < 4096) {
			char *nb = cap >= (1u << 20) ? NULL : realloc(b, cap += 8192);
			if (!nb) {
				free(b);
				fclose(f);
				return sw_errf(eb, SW_ELIMIT, "%s is not a PEM file under 1 MiB", path);
			}
			b = nb;
		}
		r = fread(b + n, 1, cap - n - 1, f);
		n += r;
	} while (r > 0);
	fclose(f);
	b[n] = '\0';
	*out = b;
	return SW_OK;
}

/* Parses "ADDR:PORT" / "[ADDR]:PORT" into *ss. */
static enum sw_err parse_listen(const char *s, struct sockaddr_storage *ss, int *v6,
				struct sw_errbuf *eb)
{
	char host[128];
	const char *colon = strrchr(s, ':'), *port;
	struct addrinfo hints = {0}, *ai = NULL;
	size_t hl;

	if (!colon || colon == s)
		return sw_errf_field(eb, SW_EUSAGE, "listen", "--listen wants ADDR:PORT, not '%s'", s);
	port = colon + 1;
	hl = (size_t)(colon - s);
	if (s[0] == '[' && hl >= 2 && s[hl - 1] == ']') {
		s++;
		hl -= 2;
	}
	if (hl >= sizeof host || !*port || strspn(port, "0123456789") != strlen(port) ||
	    atoi(port) > 65535)
		return sw_errf_field(eb, SW_EUSAGE, "listen", "--listen wants ADDR:PORT");
	memcpy(host, s, hl);
	host[hl] = '\0';
	hints.ai_flags = AI_NUMERICHOST | AI_NUMERICSERV | AI_PASSIVE;
	hints.ai_socktype = SOCK_STREAM;
	if (getaddrinfo(host, port, &hints, &ai) || !ai)
		return sw_errf_field(eb, SW_EUSAGE, "listen", "'%s' is not a numeric address", host);
	memset(ss, 0, sizeof *ss);
	memcpy(ss, ai->ai_addr, ai->ai_addrlen);
	*v6 = ai->ai_family == AF_INET6;
	freeaddrinfo(ai);
	return SW_OK;
}

/* Housekeeping: expired sessions and silent agents, every few seconds. */
static void *hk_loop(void *arg)
{
	struct sw_server *srv = arg;
	struct sw_errbuf eb;

	pthread_mutex_lock(&srv->hk_mu);
	while (!srv->hk_stop) {
		struct timespec ts;
		struct sw_store *st;

		pthread_mutex_unlock(&srv->hk_mu);
		sw_errbuf_clear(&eb);
		if ((st = sw__server_store(srv, &eb))) {
			int64_t now = (int64_t)time(NULL);
			sw_store_sessions_prune(st, now, &eb);
			sw__agent_sweep(st, now, &eb);
		}
		if (!sw_errbuf_empty(&eb))
			fprintf(stderr, "sitewarden serve: housekeeping: %s\n", eb.msg);
		pthread_mutex_lock(&srv->hk_mu);
		clock_gettime(CLOCK_REALTIME, &ts);
		ts.tv_sec += 2;
		if (!srv->hk_stop)
			pthread_cond_timedwait(&srv->hk_cv, &srv->hk_mu, &ts);
	}
	pthread_mutex_unlock(&srv->hk_mu);
	return NULL;
}

/* Frees srv after its daemon and threads are gone. */
static void server_free(struct sw_server *srv)
{
	for (size_t i = 0; i < srv->n_stores; i++)
		sw_store_close(srv->stores[i]);
	free(srv->stores);
	pthread_key_delete(srv->st_key);
	pthread_mutex_destroy(&srv->mu);
	pthread_mutex_destroy(&srv->hk_mu);
	pthread_cond_destroy(&srv->hk_cv);
	sw_rl_cleanup(&srv->rl);
	free(srv->openapi);
	free(srv->db);
	free(srv->tls_cert);
	if (srv->tls_key)
		memset(srv->tls_key, 0, strlen(srv->tls_key));
	free(srv->tls_key);
	free(srv);
}

/* Builds the daemon's flags and starts it. */
static enum sw_err start_daemon(struct sw_server *srv, const struct sw_server_opts *o,
				const char *cert, const char *key, struct sw_errbuf *eb)
{
	struct sockaddr_storage ss;
	unsigned flags = MHD_USE_EPOLL_INTERNAL_THREAD | MHD_USE_ERROR_LOG | MHD_USE_ITC;
	enum sw_err rc;
	int v6 = 0, threads = o->threads > 0 ? o->threads : 4;
	const union MHD_DaemonInfo *di;

	if ((rc = parse_listen(o->listen ? o->listen : "127.0.0.1:8080", &ss, &v6, eb)))
		return rc;
	if (v6)
		flags |= MHD_USE_IPv6;
	if (cert) {
		if (MHD_is_feature_supported(MHD_FEATURE_TLS) != MHD_YES)
			return sw_errf(eb, SW_EINVAL, "this libmicrohttpd was built without TLS");
		flags |= MHD_USE_TLS;
	}
	if (threads > 256)
		threads = 256;
	srv->d = MHD_start_daemon(
		flags, 0, NULL, NULL, on_request, srv, MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&ss,
		MHD_OPTION_THREAD_POOL_SIZE, (unsigned)threads, MHD_OPTION_NOTIFY_COMPLETED,
		on_completed, srv, MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)60,
		MHD_OPTION_CONNECTION_LIMIT, (unsigned)1000, MHD_OPTION_PER_IP_CONNECTION_LIMIT,
		(unsigned)256, MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)(128 * 1024),
		cert ? MHD_OPTION_HTTPS_MEM_CERT : MHD_OPTION_END, cert,
		MHD_OPTION_HTTPS_MEM_KEY, key, MHD_OPTION_END);
	if (!srv->d)
		return sw_errf(eb, SW_EIO, "cannot listen on %s (in use, or a bad certificate/key)",
			       o->listen ? o->listen : "127.0.0.1:8080");
	di = MHD_get_daemon_info(srv->d, MHD_DAEMON_INFO_BIND_PORT);
	srv->port = di ? di->port : 0;
	return SW_OK;
}

enum sw_err sw_server_start(const struct sw_server_opts *o, struct sw_server **out,
			    struct sw_errbuf *eb)
{
	struct sw_server *srv;
	char *cert = NULL, *key = NULL;
	enum sw_err rc;
	json_t *doc;

	*out = NULL;
	if (!!o->cert_file != !!o->key_file)
		return sw_errf(eb, SW_EUSAGE, "--cert and --key go together");
	if (!(srv = calloc(1, sizeof *srv)) || !(srv->db = strdup(o->db)) || sw_rl_init(&srv->rl)) {
		if (srv)
			free(srv->db);
		free(srv);
		return sw_errf(eb, SW_ENOMEM, "out of memory");
	}
	pthread_key_create(&srv->st_key, NULL);
	pthread_mutex_init(&srv->mu, NULL);
	pthread_mutex_init(&srv->hk_mu, NULL);
	pthread_cond_init(&srv->hk_cv, NULL);
	srv->https = o->cert_file != NULL;
	srv->engine = o->engine;
	doc = sw__openapi_doc();
	srv->openapi = doc ? json_dumps(doc, JSON_COMPACT | JSON_PRESERVE_ORDER) : NULL;
	json_decref(doc);
	srv->openapi_len = srv->openapi ? strlen(srv->openapi) : 0;
	/* Opening a store applies pending migrations: do it once here, so the
	 * worker threads do not race to migrate. */
	if (!sw__server_store(srv, eb)) {
		server_free(srv);
		return SW_ESTORE;
	}
	if (o->cert_file && ((rc = read_pem(o->cert_file, &cert, eb)) ||
			     (rc = read_pem(o->key_file, &key, eb)))) {
		free(cert);
		server_free(srv);
		return rc;
	}
	/* Kept until the daemon stops: libmicrohttpd reads them at start and
	 * is not documented to copy them. */
	srv->tls_cert = cert;
	srv->tls_key = key;
	rc = start_daemon(srv, o, cert, key, eb);
	if (rc) {
		server_free(srv);
		return rc;
	}
	srv->hk_started = pthread_create(&srv->hk, NULL, hk_loop, srv) == 0;
	*out = srv;
	return SW_OK;
}

int sw_server_port(const struct sw_server *srv)
{
	return srv->port;
}

int sw_server_https(const struct sw_server *srv)
{
	return srv->https;
}

void sw_server_stop(struct sw_server *srv)
{
	if (!srv)
		return;
	if (srv->hk_started) {
		pthread_mutex_lock(&srv->hk_mu);
		srv->hk_stop = 1;
		pthread_cond_signal(&srv->hk_cv);
		pthread_mutex_unlock(&srv->hk_mu);
		pthread_join(srv->hk, NULL);
	}
	MHD_stop_daemon(srv->d);
	server_free(srv);
}
