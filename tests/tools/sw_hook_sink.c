/*
 * sw_hook_sink.c - a notification receiver for the alert tests: an HTTP
 * server on 127.0.0.1 (libmicrohttpd) that records every request it gets
 * as one JSON line, checks the generic webhook's HMAC signature or the
 * DingTalk robot's signed URL, and answers as a robot does
 * ({"errcode":0,"errmsg":"ok"}).  It can be stopped (SIGTERM) and started
 * again on the same port: the log is appended to, so a test sees
 * everything every incarnation received.
 *
 *   sw_hook_sink --log FILE [--port N] [--port-file FILE]
 *                [--secret S] [--dingtalk-secret S]
 *
 * Each line: {"method","path","query","idempotency_key","event",
 * "timestamp","signature","verified" (true/false, null when no secret was
 * given), "body" (parsed JSON, or the text when not JSON)}.  A request
 * whose signature is wrong is answered 401 and still recorded.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <jansson.h>
#include <microhttpd.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define BODY_MAX (1u << 20)

static struct {
	const char *secret, *ding;
	FILE *log;
	volatile sig_atomic_t stop;
} S;

/* A request's body as it arrives. */
struct req {
	char *buf;
	size_t n;
	int too_big;
};

static void on_stop(int sig)
{
	(void)sig;
	S.stop = 1;
}

/* Hex of HMAC-SHA256(key, a || b). */
static void hmac_hex(const char *key, const char *a, const char *b, size_t blen, char out[65])
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int len = 0;
	size_t alen = strlen(a);
	char *m = malloc(alen + blen + 1);

	out[0] = '\0';
	if (!m)
		return;
	memcpy(m, a, alen);
	memcpy(m + alen, b, blen);
	HMAC(EVP_sha256(), key, (int)strlen(key), (unsigned char *)m, alen + blen, md, &len);
	free(m);
	for (unsigned i = 0; i < len; i++)
		snprintf(out + 2 * i, 3, "%02x", md[i]);
}

/* Checks the webhook headers against the body: 1 good, 0 bad. */
static int verify_webhook(const char *ts, const char *sig, const char *body, size_t n)
{
	char want[65], full[72];

	if (!ts || !sig)
		return 0;
	hmac_hex(S.secret, ts, body, n, want);
	snprintf(full, sizeof full, "sha256=%s", want);
	return strlen(sig) == strlen(full) && CRYPTO_memcmp(sig, full, strlen(full)) == 0;
}

/* Checks DingTalk's timestamp and sign query arguments (sign arrives
 * URL-decoded from libmicrohttpd), within an hour of now: 1 good, 0 bad. */
static int verify_ding(const char *ts, const char *sign)
{
	unsigned char md[EVP_MAX_MD_SIZE], b64[96];
	unsigned int len = 0;
	char msg[512];
	long long ms;
	int n;

	if (!ts || !sign)
		return 0;
	ms = strtoll(ts, NULL, 10);
	if (llabs(ms / 1000 - (long long)time(NULL)) > 3600)
		return 0;
	n = snprintf(msg, sizeof msg, "%s\n%s", ts, S.ding);
	HMAC(EVP_sha256(), S.ding, (int)strlen(S.ding), (unsigned char *)msg, (size_t)n, md, &len);
	EVP_EncodeBlock(b64, md, (int)len);
	return strlen(sign) == strlen((char *)b64) &&
	       CRYPTO_memcmp(sign, b64, strlen((char *)b64)) == 0;
}

/* Appends the query arguments to a JSON object. */
static enum MHD_Result add_arg(void *cls, enum MHD_ValueKind kind, const char *key,
			       const char *value)
{
	(void)kind;
	json_object_set_new(cls, key, value ? json_string(value) : json_null());
	return MHD_YES;
}

/* Records one complete request and answers it. */
static enum MHD_Result finish(struct MHD_Connection *c, const char *url, const char *method,
			      struct req *r)
{
	const char *ts = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "X-Sitewarden-Timestamp");
	const char *sig = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "X-Sitewarden-Signature");
	const char *key = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Idempotency-Key");
	const char *ev = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "X-Sitewarden-Event");
	const char *qts = MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, "timestamp");
	const char *qsign = MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, "sign");
	json_t *query = json_object(), *body, *line;
	int verified = -1, status;
	const char *answer;
	struct MHD_Response *rs;
	enum MHD_Result ret;

	MHD_get_connection_values(c, MHD_GET_ARGUMENT_KIND, add_arg, query);
	if (S.secret)
		verified = verify_webhook(ts, sig, r->buf ? r->buf : "", r->n);
	else if (S.ding)
		verified = verify_ding(qts, qsign);
	body = r->buf ? json_loadb(r->buf, r->n, 0, NULL) : NULL;
	if (!body)
		body = json_stringn(r->buf ? r->buf : "", r->n);
	line = json_pack("{s:s, s:s, s:o, s:s?, s:s?, s:s?, s:s?, s:o, s:o}", "method", method,
			 "path", url, "query", query, "idempotency_key", key, "event", ev,
			 "timestamp", ts, "signature", sig, "verified",
			 verified < 0 ? json_null() : json_boolean(verified), "body",
			 body ? body : json_null());
	if (line) {
		json_dumpf(line, S.log, JSON_COMPACT);
		fputc('\n', S.log);
		fflush(S.log);
		json_decref(line);
	}
	status = r->too_big ? 413 : verified == 0 ? 401 : 200;
	answer = status == 200 ? "{\"errcode\":0,\"errmsg\":\"ok\"}"
			       : "{\"errcode\":310000,\"errmsg\":\"sign not match\"}";
	rs = MHD_create_response_from_buffer(strlen(answer), (void *)answer,
					     MHD_RESPMEM_PERSISTENT);
	MHD_add_response_header(rs, "Content-Type", "application/json");
	ret = MHD_queue_response(c, (unsigned)status, rs);
	MHD_destroy_response(rs);
	return ret;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *c, const char *url,
				  const char *method, const char *version, const char *data,
				  size_t *size, void **ctx)
{
	struct req *r = *ctx;

	(void)cls;
	(void)version;
	if (!r) {
		if (!(r = calloc(1, sizeof *r)))
			return MHD_NO;
		*ctx = r;
		return MHD_YES;
	}
	if (*size) {
		if (r->n + *size > BODY_MAX) {
			r->too_big = 1;
		} else {
			char *b = realloc(r->buf, r->n + *size + 1);

			if (!b)
				return MHD_NO;
			memcpy(b + r->n, data, *size);
			r->buf = b;
			r->n += *size;
			r->buf[r->n] = '\0';
		}
		*size = 0;
		return MHD_YES;
	}
	return finish(c, url, method, r);
}

static void on_done(void *cls, struct MHD_Connection *c, void **ctx,
		    enum MHD_RequestTerminationCode toe)
{
	struct req *r = *ctx;

	(void)cls;
	(void)c;
	(void)toe;
	if (r) {
		free(r->buf);
		free(r);
	}
	*ctx = NULL;
}

int main(int argc, char **argv)
{
	const char *log = NULL, *port_file = NULL;
	struct sockaddr_in a = {.sin_family = AF_INET};
	const union MHD_DaemonInfo *info;
	struct MHD_Daemon *d;
	struct sigaction sa = {.sa_handler = on_stop};
	int port = 0;

	for (int i = 1; i + 1 < argc; i += 2) {
		if (!strcmp(argv[i], "--log"))
			log = argv[i + 1];
		else if (!strcmp(argv[i], "--port"))
			port = atoi(argv[i + 1]);
		else if (!strcmp(argv[i], "--port-file"))
			port_file = argv[i + 1];
		else if (!strcmp(argv[i], "--secret"))
			S.secret = argv[i + 1];
		else if (!strcmp(argv[i], "--dingtalk-secret"))
			S.ding = argv[i + 1];
		else
			return fprintf(stderr, "sw_hook_sink: unknown option %s\n", argv[i]), 2;
	}
	if (!log || (argc - 1) % 2)
		return fprintf(stderr, "usage: sw_hook_sink --log FILE [--port N] [--port-file F] "
				       "[--secret S] [--dingtalk-secret S]\n"), 2;
	if (!(S.log = fopen(log, "a")))
		return fprintf(stderr, "sw_hook_sink: %s: %s\n", log, strerror(errno)), 1;
	a.sin_port = htons((uint16_t)port);
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	d = MHD_start_daemon(MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_ERROR_LOG, 0, NULL, NULL,
			     on_request, NULL, MHD_OPTION_SOCK_ADDR, &a,
			     MHD_OPTION_NOTIFY_COMPLETED, on_done, NULL, MHD_OPTION_LISTENING_ADDRESS_REUSE,
			     1u, MHD_OPTION_END);
	if (!d)
		return fprintf(stderr, "sw_hook_sink: cannot listen on 127.0.0.1:%d\n", port), 1;
	info = MHD_get_daemon_info(d, MHD_DAEMON_INFO_BIND_PORT);
	if (port_file) {
		FILE *f = fopen(port_file, "w");

		if (!f)
			return fprintf(stderr, "sw_hook_sink: %s: %s\n", port_file, strerror(errno)), 1;
		fprintf(f, "%u\n", (unsigned)info->port);
		fclose(f);
	}
	sigemptyset(&sa.sa_mask);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	while (!S.stop)
		usleep(50 * 1000);
	MHD_stop_daemon(d);
	fclose(S.log);
	return 0;
}
