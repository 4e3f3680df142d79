/*
 * sw_agent_sink.c - the server side of the agent event protocol
 * (docs/agent.md), for the agent's tests and benchmark: an HTTP/1.1 server
 * on 127.0.0.1 that checks each request's credentials, records every
 * event once per (agent, seq) in a JSON-lines file, acknowledges the
 * highest contiguous sequence, records heartbeats, and refuses with 503
 * while a "refuse file" exists (a server outage the test switches on and
 * off).  Its state is the events file itself, so a sink stopped and
 * started again keeps counting each event once.
 *
 *   sw_agent_sink --port-file F --events F [--heartbeats F] [--token T |
 *                 --hmac-key-file F] [--refuse-file F] [--port N]
 *   GET /api/agent/stats -> {"events":N,"duplicates":N,"refused":N,
 *                            "unauthorized":N,"heartbeats":N,"ack":{AGENT:SEQ}}
 */
#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <jansson.h>
#include <netinet/in.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define MAX_BODY (8u << 20)
#define MAX_AGENTS 64

struct agent {
	char id[128];
	uint8_t *seen; /* bitmap by seq */
	uint64_t cap;  /* bits */
	uint64_t high; /* highest contiguous seq */
	int started;
};

static struct {
	const char *events_path, *hb_path, *refuse, *token;
	uint8_t key[256];
	size_t klen;
	FILE *events, *hb;
	struct agent agents[MAX_AGENTS];
	int n_agents;
	uint64_t n_events, dups, refused, unauth, heartbeats;
	volatile sig_atomic_t stop;
} S;

/* The per-agent record, created on first sight. */
static struct agent *agent_of(const char *id)
{
	for (int i = 0; i < S.n_agents; i++)
		if (!strcmp(S.agents[i].id, id))
			return &S.agents[i];
	if (S.n_agents == MAX_AGENTS || strlen(id) >= sizeof S.agents[0].id)
		return NULL;
	snprintf(S.agents[S.n_agents].id, sizeof S.agents[0].id, "%s", id);
	return &S.agents[S.n_agents++];
}

/* Marks seq seen; returns 0 when it was new, 1 for a duplicate, -1 bad. */
static int mark(struct agent *a, uint64_t seq)
{
	if (seq == 0 || seq > (UINT64_C(1) << 34))
		return -1;
	if (seq >= a->cap) {
		uint64_t cap = a->cap ? a->cap : 1 << 16;
		while (cap <= seq)
			cap *= 2;
		uint8_t *n = realloc(a->seen, cap / 8);
		if (!n)
			return -1;
		memset(n + a->cap / 8, 0, (cap - a->cap) / 8);
		a->seen = n;
		a->cap = cap;
	}
	if (a->seen[seq / 8] & (1u << (seq % 8)))
		return 1;
	a->seen[seq / 8] |= (uint8_t)(1u << (seq % 8));
	if (!a->started) {
		a->high = seq - 1;
		a->started = 1;
	}
	while (a->high + 1 < a->cap && (a->seen[(a->high + 1) / 8] & (1u << ((a->high + 1) % 8))))
		a->high++;
	return 0;
}

/* Rebuilds the seen sets from the events file of an earlier run. */
static void load_events(void)
{
	FILE *f = fopen(S.events_path, "r");
	char *line = NULL;
	size_t cap = 0;

	if (!f)
		return;
	while (getline(&line, &cap, f) > 0) {
		json_t *ev = json_loads(line, 0, NULL);
		struct agent *a;
		if (!ev)
			continue;
		a = agent_of(json_string_value(json_object_get(ev, "agent")) ?: "");
		if (a && mark(a, (uint64_t)json_integer_value(json_object_get(ev, "seq"))) == 0)
			S.n_events++;
		json_decref(ev);
	}
	free(line);
	fclose(f);
}

/* Writes a whole response. */
static void respond(int fd, int code, const char *reason, const char *body)
{
	char head[256];
	int n = snprintf(head, sizeof head,
			 "HTTP/1.1 %d %s\r\nContent-Type: application/json\r\n"
			 "Content-Length: %zu\r\n\r\n",
			 code, reason, strlen(body));

	if (write(fd, head, (size_t)n) < 0 || write(fd, body, strlen(body)) < 0)
		return;
}

/* Case-insensitive header lookup in the raw header block; copies the value. */
static int header(const char *hdrs, const char *name, char *out, size_t n)
{
	size_t nl = strlen(name);

	for (const char *p = hdrs; p && *p; p = strstr(p, "\r\n") ? strstr(p, "\r\n") + 2 : NULL) {
		if (!strncasecmp(p, name, nl) && p[nl] == ':') {
			const char *v = p + nl + 1, *e = strstr(v, "\r\n");
			while (*v == ' ')
				v++;
			size_t len = e ? (size_t)(e - v) : strlen(v);
			if (len >= n)
				return -1;
			memcpy(out, v, len);
			out[len] = '\0';
			return 0;
		}
	}
	return -1;
}

/* Checks the credentials of a request; 1 when good. */
static int authorised(const char *hdrs, const char *body, size_t blen)
{
	char v[512], ts[64];

	if (S.token) {
		char want[512];
		snprintf(want, sizeof want, "Bearer %s", S.token);
		return header(hdrs, "Authorization", v, sizeof v) == 0 && !strcmp(v, want);
	}
	if (S.klen) {
		unsigned char mac[32];
		unsigned mlen = 32;
		char hex[65];
		long long t;
		if (header(hdrs, "X-Sitewarden-Timestamp", ts, sizeof ts) ||
		    header(hdrs, "X-Sitewarden-Signature", v, sizeof v))
			return 0;
		t = atoll(ts);
		if (llabs(t - (long long)time(NULL)) > 300)
			return 0;
		size_t tl = strlen(ts);
		char *msg = malloc(tl + 1 + blen);
		if (!msg)
			return 0;
		memcpy(msg, ts, tl);
		msg[tl] = '\n';
		memcpy(msg + tl + 1, body, blen);
		HMAC(EVP_sha256(), S.key, (int)S.klen, (unsigned char *)msg, tl + 1 + blen, mac, &mlen);
		free(msg);
		for (int i = 0; i < 32; i++)
			snprintf(hex + 2 * i, 3, "%02x", mac[i]);
		return strlen(v) == 64 && CRYPTO_memcmp(hex, v, 64) == 0;
	}
	return 1;
}

/* POST /api/agent/events */
static void on_events(int fd, const char *body, size_t blen)
{
	json_t *root = json_loadb(body, blen, 0, NULL), *evs;
	const char *id;
	struct agent *a;
	size_t i;
	json_t *ev;
	long acc = 0, dup = 0;
	char out[256];

	if (!root || !(id = json_string_value(json_object_get(root, "agent"))) ||
	    !json_is_array(evs = json_object_get(root, "events")) || !(a = agent_of(id))) {
		json_decref(root);
		respond(fd, 400, "Bad Request", "{\"error\":\"bad batch\"}");
		return;
	}
	json_array_foreach(evs, i, ev) {
		json_int_t seq = json_integer_value(json_object_get(ev, "seq"));
		const char *eid = json_string_value(json_object_get(ev, "agent"));
		int r;
		if (!eid || strcmp(eid, id) || (r = mark(a, (uint64_t)seq)) < 0) {
			json_decref(root);
			respond(fd, 400, "Bad Request", "{\"error\":\"bad event\"}");
			return;
		}
		if (r == 1) {
			dup++;
			continue;
		}
		char *line = json_dumps(ev, JSON_COMPACT | JSON_PRESERVE_ORDER);
		if (line) {
			fprintf(S.events, "%s\n", line);
			free(line);
		}
		acc++;
	}
	fflush(S.events);
	S.n_events += (uint64_t)acc;
	S.dups += (uint64_t)dup;
	json_decref(root);
	snprintf(out, sizeof out, "{\"ack\":%llu,\"accepted\":%ld,\"duplicates\":%ld}",
		 (unsigned long long)a->high, acc, dup);
	respond(fd, 200, "OK", out);
}

/* GET /api/agent/stats */
static void on_stats(int fd)
{
	char out[8192];
	int n = snprintf(out, sizeof out,
			 "{\"events\":%llu,\"duplicates\":%llu,\"refused\":%llu,"
			 "\"unauthorized\":%llu,\"heartbeats\":%llu,\"ack\":{",
			 (unsigned long long)S.n_events, (unsigned long long)S.dups,
			 (unsigned long long)S.refused, (unsigned long long)S.unauth,
			 (unsigned long long)S.heartbeats);
	for (int i = 0; i < S.n_agents && n < (int)sizeof out - 200; i++)
		n += snprintf(out + n, sizeof out - (size_t)n, "%s\"%s\":%llu", i ? "," : "",
			      S.agents[i].id, (unsigned long long)S.agents[i].high);
	snprintf(out + n, sizeof out - (size_t)n, "}}");
	respond(fd, 200, "OK", out);
}

/* Reads until "\r\n\r\n" plus Content-Length body; 0 when a request is in
 * buf, -1 on close, timeout or an oversized request. */
static int read_request(int fd, char **buf, size_t *len, size_t *hlen, size_t *blen)
{
	size_t cap = 65536, got = 0;
	char *b = malloc(cap), *end;
	struct pollfd p = {fd, POLLIN, 0};

	for (;;) {
		ssize_t r;
		if (!b || poll(&p, 1, 5000) <= 0)
			break;
		if (got + 1 >= cap) {
			char *nb = cap >= MAX_BODY + 65536 ? NULL : realloc(b, cap *= 2);
			if (!nb)
				break;
			b = nb;
		}
		r = read(fd, b + got, cap - got - 1);
		if (r <= 0)
			break;
		got += (size_t)r;
		b[got] = '\0';
		if ((end = strstr(b, "\r\n\r\n"))) {
			char cl[32];
			size_t h = (size_t)(end - b) + 4, want = 0;
			b[h - 2] = '\0';
			if (header(strchr(b, '\n') ? strchr(b, '\n') + 1 : b, "Content-Length", cl,
				   sizeof cl) == 0)
				want = strtoull(cl, NULL, 10);
			b[h - 2] = '\r';
			if (want > MAX_BODY)
				break;
			if (got >= h + want) {
				*buf = b;
				*len = got;
				*hlen = h;
				*blen = want;
				return 0;
			}
		}
	}
	free(b);
	return -1;
}

static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;

/* Serves one connection (keep-alive) until the client closes; requests
 * are read in parallel and handled one at a time under mu. */
static void *serve(void *arg)
{
	int fd = (int)(intptr_t)arg;
	char *buf;
	size_t len, hlen, blen;

	while (!S.stop && read_request(fd, &buf, &len, &hlen, &blen) == 0) {
		char method[16] = "", path[256] = "";
		const char *hdrs = strstr(buf, "\r\n") ? strstr(buf, "\r\n") + 2 : buf;
		char *body = buf + hlen;
		sscanf(buf, "%15s %255s", method, path);
		buf[hlen - 2] = '\0';
		pthread_mutex_lock(&mu);
		if (!strcmp(path, "/api/agent/stats")) {
			on_stats(fd);
		} else if (S.refuse && access(S.refuse, F_OK) == 0) {
			S.refused++;
			respond(fd, 503, "Service Unavailable", "{\"error\":\"down\"}");
		} else if (!authorised(hdrs, body, blen)) {
			S.unauth++;
			respond(fd, 401, "Unauthorized", "{\"error\":\"credentials\"}");
		} else if (!strcmp(method, "POST") && !strcmp(path, "/api/agent/events")) {
			on_events(fd, body, blen);
		} else if (!strcmp(method, "POST") && !strcmp(path, "/api/agent/heartbeat")) {
			S.heartbeats++;
			if (S.hb) {
				fprintf(S.hb, "%.*s\n", (int)blen, body);
				fflush(S.hb);
			}
			respond(fd, 200, "OK", "{}");
		} else {
			respond(fd, 404, "Not Found", "{\"error\":\"no such endpoint\"}");
		}
		pthread_mutex_unlock(&mu);
		free(buf);
	}
	close(fd);
	return NULL;
}

static void on_term(int sig)
{
	(void)sig;
	S.stop = 1;
}

/* Reads a hex key file into S.key. */
static int load_key(const char *path)
{
	FILE *f = fopen(path, "r");
	char hex[600];
	size_t n;

	if (!f)
		return -1;
	n = fread(hex, 1, sizeof hex - 1, f);
	fclose(f);
	hex[n] = '\0';
	while (n && isspace((unsigned char)hex[n - 1]))
		hex[--n] = '\0';
	for (size_t i = 0; i + 1 < n && S.klen < sizeof S.key; i += 2) {
		unsigned v;
		if (sscanf(hex + i, "%2x", &v) != 1)
			return -1;
		S.key[S.klen++] = (uint8_t)v;
	}
	return S.klen ? 0 : -1;
}

int main(int argc, char **argv)
{
	const char *port_file = NULL;
	int port = 0, lfd, one = 1;
	struct sockaddr_in a = {0};
	socklen_t al = sizeof a;
	struct sigaction sa = {0};

	for (int i = 1; i + 1 < argc; i += 2) {
		if (!strcmp(argv[i], "--port-file"))
			port_file = argv[i + 1];
		else if (!strcmp(argv[i], "--events"))
			S.events_path = argv[i + 1];
		else if (!strcmp(argv[i], "--heartbeats"))
			S.hb_path = argv[i + 1];
		else if (!strcmp(argv[i], "--token"))
			S.token = argv[i + 1];
		else if (!strcmp(argv[i], "--hmac-key-file")) {
			if (load_key(argv[i + 1]))
				return fprintf(stderr, "sw_agent_sink: bad key file\n"), 2;
		} else if (!strcmp(argv[i], "--refuse-file"))
			S.refuse = argv[i + 1];
		else if (!strcmp(argv[i], "--port"))
			port = atoi(argv[i + 1]);
		else
			return fprintf(stderr, "sw_agent_sink: unknown option %s\n", argv[i]), 2;
	}
	if (!S.events_path || !port_file)
		return fprintf(stderr, "usage: sw_agent_sink --port-file F --events F [...]\n"), 2;
	load_events();
	S.events = fopen(S.events_path, "a");
	S.hb = S.hb_path ? fopen(S.hb_path, "a") : NULL;
	if (!S.events)
		return perror("events file"), 1;
	sa.sa_handler = on_term;
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
	lfd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	setsockopt(lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
	a.sin_family = AF_INET;
	a.sin_port = htons((uint16_t)port);
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (bind(lfd, (struct sockaddr *)&a, sizeof a) || listen(lfd, 16) ||
	    getsockname(lfd, (struct sockaddr *)&a, &al))
		return perror("sw_agent_sink: listen"), 1;
	{
		char tmp[4096];
		FILE *f;
		snprintf(tmp, sizeof tmp, "%s.tmp", port_file);
		if (!(f = fopen(tmp, "w")))
			return perror("port file"), 1;
		fprintf(f, "%d\n", ntohs(a.sin_port));
		fclose(f);
		rename(tmp, port_file);
	}
	while (!S.stop) {
		struct pollfd p = {lfd, POLLIN, 0};
		if (poll(&p, 1, 200) <= 0)
			continue;
		int c = accept4(lfd, NULL, NULL, SOCK_CLOEXEC);
		pthread_t t;
		if (c < 0)
			continue;
		if (pthread_create(&t, NULL, serve, (void *)(intptr_t)c)) {
			close(c);
			continue;
		}
		pthread_detach(t);
	}
	pthread_mutex_lock(&mu);
	fclose(S.events);
	if (S.hb)
		fclose(S.hb);
	close(lfd);
	return 0;
}
