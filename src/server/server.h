/*
 * server.h - `sitewarden serve`'s HTTP server: start it, ask where it
 * listens, stop it.  The CLI (cmd_serve.c) owns the process: signals,
 * the monitoring engine, printing.
 */
#ifndef SW_SERVER_SERVER_H
#define SW_SERVER_SERVER_H

#include "core/err.h"

struct sw_server;
struct sw_engine_counters;

struct sw_server_opts {
	const char *listen;    /* "ADDR:PORT" ("[v6]:PORT"); port 0 picks a free one */
	const char *db;        /* store address, opened once per server thread */
	const char *cert_file; /* PEM certificate and key: HTTPS when both given */
	const char *key_file;
	int threads;           /* worker threads (each with its own store connection) */
	struct sw_engine_counters *engine; /* the engine's counters for /metrics, borrowed;
					    * NULL when no engine runs here */
};

/* Starts serving; on success *out owns the running server. */
enum sw_err sw_server_start(const struct sw_server_opts *o, struct sw_server **out,
			    struct sw_errbuf *eb);

/* The TCP port the server listens on. */
int sw_server_port(const struct sw_server *srv);

/* 1 when serving HTTPS. */
int sw_server_https(const struct sw_server *srv);

/* Stops accepting, finishes the requests in progress, closes every store
 * connection and frees srv.  NULL is ignored. */
void sw_server_stop(struct sw_server *srv);

#endif
