/*
 * cmd_serve.c - `sitewarden serve`: the HTTP API and dashboard, and the
 * monitoring engine (src/engine) in a thread of its own with its own
 * store connection, in one process.
 *
 * SIGTERM and SIGINT are blocked before any thread starts, so every
 * thread inherits the mask and the main thread alone takes them with
 * sigwait: no handler runs inside libmicrohttpd's threads, and shutdown
 * is ordinary code (stop accepting, finish requests, close stores).
 */
#include <getopt.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "engine/engine.h"
#include "server/server.h"

/* The engine's thread: its store, options, stop flag and outcome. */
struct engine_thread {
	pthread_t t;
	struct sw_store *st;
	struct sw_engine_opts o;
	volatile sig_atomic_t stop;
	enum sw_err rc;
	struct sw_errbuf eb;
};

static void engine_note(void *arg, const char *msg)
{
	(void)arg;
	fprintf(stderr, "sitewarden serve: engine: %s\n", msg);
}

static void *engine_main(void *arg)
{
	struct engine_thread *e = arg;

	e->rc = sw_engine_run(e->st, &e->o, &e->stop, &e->eb);
	if (e->rc)
		fprintf(stderr, "sitewarden serve: the monitoring engine stopped: %s\n",
			e->eb.msg[0] ? e->eb.msg : sw_strerror(e->rc));
	return NULL;
}

/* Starts the engine thread on its own connection to db; 0 or -1 (printed). */
static int engine_start(struct engine_thread *e, const char *db,
			struct sw_engine_counters *counters)
{
	sw_errbuf_clear(&e->eb);
	if ((e->rc = sw_store_open(db, &e->st, &e->eb)))
		return sw_cli_fail_eb(e->rc, &e->eb), -1;
	sw_engine_opts_init(&e->o);
	e->o.counters = counters;
	e->o.on_note = engine_note;
	/* Alerts, notifications and incidents (src/cli/cmd_alert.c). */
	e->o.on_check = sw__cli_alert_on_check;
	e->o.on_tick = sw__cli_alert_on_tick;
	e->o.hook_arg = &e->o;
	if (pthread_create(&e->t, NULL, engine_main, e)) {
		sw_store_close(e->st);
		return sw_cli_fail("cannot start the engine thread"), -1;
	}
	return 0;
}

static int serve_help(FILE *f)
{
	fprintf(f, "usage: sitewarden serve [--listen ADDR:PORT] [--cert PEM --key PEM] [--threads N]\n"
		   "                        [--no-probe]\n"
		   "\nServes the HTTP API (/api/...), the dashboard, /healthz and /metrics, and\n"
		   "runs the monitoring engine (as `sitewarden probe` does) in the same process.\n"
		   "  --listen ADDR:PORT  address to listen on (default 127.0.0.1:8080; port 0\n"
		   "                      picks a free port, printed at start)\n"
		   "  --cert, --key       PEM certificate and private key: serve HTTPS\n"
		   "  --threads N         worker threads, each with its own database connection\n"
		   "                      (default 4)\n"
		   "  --no-probe          do not run the monitoring engine in this process\n"
		   "Stops cleanly on SIGTERM or SIGINT.  Create the first administrator with\n"
		   "`sitewarden user add --name admin --role admin`.\n");
	return SW_EXIT_OK;
}

int sw_cmd_serve(struct sw_cli *cli, int argc, char **argv)
{
	static const struct option lo[] = {
		{"listen", required_argument, NULL, 'l'}, {"cert", required_argument, NULL, 'c'},
		{"key", required_argument, NULL, 'k'},    {"threads", required_argument, NULL, 't'},
		{"no-probe", no_argument, NULL, 'n'},     {"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	struct sw_server_opts o = {.listen = "127.0.0.1:8080", .threads = 4};
	struct engine_thread eng = {0};
	struct sw_server *srv;
	struct sw_errbuf eb;
	sigset_t set;
	char *end;
	int c, sig = 0, no_probe = 0;
	enum sw_err rc;

	while ((c = getopt_long(argc, argv, "", lo, NULL)) != -1) {
		switch (c) {
		case 'l': o.listen = optarg; break;
		case 'c': o.cert_file = optarg; break;
		case 'k': o.key_file = optarg; break;
		case 't':
			o.threads = (int)strtol(optarg, &end, 10);
			if (*end || o.threads < 1 || o.threads > 256)
				return sw_cli_usage("serve", "--threads wants 1..256");
			break;
		case 'n': no_probe = 1; break;
		case 'h': return serve_help(stdout);
		default: return sw_cli_bad_option("serve", argv);
		}
	}
	if (optind != argc)
		return sw_cli_usage("serve", "unexpected argument '%s'", argv[optind]);
	if (!!o.cert_file != !!o.key_file)
		return sw_cli_usage("serve", "--cert and --key go together");
	o.db = cli->db;
	sw__cli_evidence_env(cli->db); /* before any thread: evidence reads it */
	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	pthread_sigmask(SIG_BLOCK, &set, NULL);
	signal(SIGPIPE, SIG_IGN);
	sw_errbuf_clear(&eb);
	if (!no_probe && !(o.engine = sw_engine_counters_new()))
		return sw_cli_fail("out of memory");
	if ((rc = sw_server_start(&o, &srv, &eb))) {
		sw_engine_counters_free(o.engine);
		return sw_cli_fail_eb(rc, &eb);
	}
	/* The server opened the store first (and migrated it), so the engine
	 * finds the schema ready. */
	if (!no_probe) {
		sw_cli_heap_for_fetching();
		if (engine_start(&eng, cli->db, o.engine)) {
			sw_server_stop(srv);
			sw_engine_counters_free(o.engine);
			return SW_EXIT_FAIL;
		}
	}
	printf("sitewarden serve: listening on %s://%.*s:%d\n", sw_server_https(srv) ? "https" : "http",
	       (int)(strrchr(o.listen, ':') - o.listen), o.listen, sw_server_port(srv));
	fflush(stdout);
	sigwait(&set, &sig);
	fprintf(stderr, "sitewarden serve: %s, stopping\n", sig == SIGINT ? "SIGINT" : "SIGTERM");
	/* Stop taking requests first, then let the engine abandon its fetches
	 * (it checks the flag every 200 ms); abandoned sites stay due. */
	sw_server_stop(srv);
	if (!no_probe) {
		eng.stop = 1;
		pthread_join(eng.t, NULL);
		sw_store_close(eng.st);
		sw_engine_counters_free(o.engine);
	}
	return no_probe || !eng.rc ? SW_EXIT_OK : SW_EXIT_FAIL;
}
