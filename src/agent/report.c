/*
 * report.c - durable, ordered delivery of events and heartbeats (report.h).
 *
 * The thread sleeps on the spool's condition variable: an appended event
 * wakes it, it fdatasyncs the segment (one sync for everything appended
 * meanwhile), then posts what the server has not acknowledged, in batches
 * of at most 500 events or 1 MiB.  Failures only delay: the spool keeps
 * the events, the backoff grows to a minute, and the next attempt starts
 * from the last acknowledged sequence again.
 */
#include "agent/report.h"
#include "agent/fsutil.h"
#include "agent/hash.h"

#include <curl/curl.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define BATCH_N 500
#define BATCH_BYTES (1u << 20)
#define BACKOFF_MIN 1000
#define BACKOFF_MAX 60000
#define SYNC_GAP_MS 25

struct resp {
	char buf[4096];
	size_t len;
};

/* Keeps the start of the response body (for "ack"). */
static size_t on_body(char *p, size_t sz, size_t n, void *arg)
{
	struct resp *r = arg;
	size_t k = sz * n, room = sizeof r->buf - 1 - r->len;

	memcpy(r->buf + r->len, p, k < room ? k : room);
	r->len += k < room ? k : room;
	r->buf[r->len] = '\0';
	return sz * n;
}

/* POSTs body to server + path; returns the HTTP status (0: no answer) and
 * the body in r. */
static long post(struct ag_reporter *rp, CURL *c, const char *path, const char *body,
		 size_t len, struct resp *r)
{
	const struct ag_config *cfg = rp->cfg;
	struct curl_slist *h = NULL;
	char url[4096], hdr[512], ts[32], hex[65];
	long code = 0;
	CURLcode cc;

	snprintf(url, sizeof url, "%s%s%s", cfg->server,
		 cfg->server[strlen(cfg->server) - 1] == '/' ? path + 1 : path, "");
	h = curl_slist_append(h, "Content-Type: application/json");
	snprintf(hdr, sizeof hdr, "X-Sitewarden-Agent: %s", cfg->id);
	h = curl_slist_append(h, hdr);
	if (cfg->hmac_key) {
		uint8_t mac[32];
		struct ag_json m;
		snprintf(ts, sizeof ts, "%lld", (long long)time(NULL));
		ag_json_init(&m);
		ag_json_append(&m, ts, strlen(ts));
		ag_json_append(&m, "\n", 1);
		ag_json_append(&m, body, len);
		ag_hmac_sha256(cfg->hmac_key, cfg->hmac_len, m.s, m.len, mac);
		ag_json_free(&m);
		ag_hex(mac, 32, hex);
		snprintf(hdr, sizeof hdr, "X-Sitewarden-Timestamp: %s", ts);
		h = curl_slist_append(h, hdr);
		snprintf(hdr, sizeof hdr, "X-Sitewarden-Signature: %s", hex);
		h = curl_slist_append(h, hdr);
	}
	if (cfg->token) {
		snprintf(hdr, sizeof hdr, "Authorization: Bearer %s", cfg->token);
		h = curl_slist_append(h, hdr);
	}
	r->len = 0;
	r->buf[0] = '\0';
	curl_easy_setopt(c, CURLOPT_URL, url);
	curl_easy_setopt(c, CURLOPT_HTTPHEADER, h);
	curl_easy_setopt(c, CURLOPT_POSTFIELDS, body);
	curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)len);
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, r);
	cc = curl_easy_perform(c);
	if (cc == CURLE_OK)
		curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &code);
	else
		snprintf(rp->last_error, sizeof rp->last_error, "%s: %s", path,
			 curl_easy_strerror(cc));
	if (cc == CURLE_OK && (code < 200 || code > 299))
		snprintf(rp->last_error, sizeof rp->last_error, "%s: HTTP %ld", path, code);
	curl_easy_setopt(c, CURLOPT_HTTPHEADER, NULL);
	curl_slist_free_all(h);
	return code;
}

/* Sends one batch from the first unacknowledged event; 1 sent, 0 nothing
 * to send, -1 failed. */
static int send_batch(struct ag_reporter *rp, CURL *c)
{
	struct ag_json body, ev;
	struct resp r;
	uint64_t last = 0, from = rp->spool->acked + 1;
	size_t n;
	long code;
	const char *ack;
	int rc = -1;

	ag_json_init(&ev);
	n = ag_spool_read(rp->spool, from, BATCH_N, BATCH_BYTES, &ev, &last);
	if (n == 0) {
		ag_json_free(&ev);
		return 0;
	}
	ag_json_init(&body);
	ag_json_append(&body, "{", 1);
	ag_json_quote(&body, "agent", 5);
	ag_json_append(&body, ":", 1);
	ag_json_quote(&body, rp->cfg->id, strlen(rp->cfg->id));
	ag_json_append(&body, ",\"events\":[", 11);
	ag_json_append(&body, ev.s, ev.len);
	ag_json_append(&body, "]}", 2);
	code = body.oom ? 0 : post(rp, c, "/api/agent/events", body.s, body.len, &r);
	if (code >= 200 && code <= 299) {
		/* The server may acknowledge less (it lost a gap); never more. */
		if ((ack = strstr(r.buf, "\"ack\":"))) {
			uint64_t a = strtoull(ack + 6, NULL, 10);
			if (a < last)
				last = a;
		}
		if (last >= from)
			ag_spool_ack(rp->spool, last);
		rp->sent_batches++;
		rp->last_ok_ns = ag_wall_ns();
		rc = 1;
	}
	ag_json_free(&ev);
	ag_json_free(&body);
	return rc;
}

/* Sends a heartbeat; 0 on success. */
static int heartbeat(struct ag_reporter *rp, CURL *c)
{
	struct ag_json j, w;
	struct resp r;
	char t[32];
	long code;

	ag_json_init(&j);
	ag_json_str(&j, "agent", rp->cfg->id);
	ag_fmt_time(ag_wall_ns(), t);
	ag_json_str(&j, "time", t);
	ag_json_str(&j, "version", AG_VERSION);
	ag_json_int(&j, "spool_depth", (int64_t)ag_spool_depth(rp->spool));
	ag_json_int(&j, "last_seq", (int64_t)rp->spool->written);
	ag_json_int(&j, "acked_seq", (int64_t)rp->spool->acked);
	if (rp->status)
		rp->status(&j, rp->status_arg);
	ag_json_init(&w);
	ag_json_append(&w, "{", 1);
	ag_json_append(&w, j.s, j.len);
	ag_json_append(&w, "}", 1);
	code = w.oom ? 0 : post(rp, c, "/api/agent/heartbeat", w.s, w.len, &r);
	ag_json_free(&j);
	ag_json_free(&w);
	if (code >= 200 && code <= 299) {
		rp->heartbeats++;
		return 0;
	}
	return -1;
}

/* Waits on the spool's condition until something was appended, stop, or
 * ms passed. */
static void wait_ms(struct ag_reporter *rp, int64_t ms)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	ts.tv_sec += ms / 1000;
	ts.tv_nsec += (ms % 1000) * 1000000;
	if (ts.tv_nsec >= 1000000000) {
		ts.tv_sec++;
		ts.tv_nsec -= 1000000000;
	}
	pthread_mutex_lock(&rp->spool->mu);
	if (!rp->stop && rp->spool->written == rp->spool->synced)
		pthread_cond_timedwait(&rp->spool->cv, &rp->spool->mu, &ts);
	pthread_mutex_unlock(&rp->spool->mu);
}

static CURL *new_handle(const struct ag_config *cfg)
{
	CURL *c = curl_easy_init();

	if (!c)
		return NULL;
	curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, 5000L);
	curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, 20000L);
	curl_easy_setopt(c, CURLOPT_USERAGENT, "sitewarden-agent/" AG_VERSION);
	curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
	if (cfg->ca_file)
		curl_easy_setopt(c, CURLOPT_CAINFO, cfg->ca_file);
	return c;
}

static void *reporter_main(void *arg)
{
	struct ag_reporter *rp = arg;
	CURL *c = rp->cfg->server ? new_handle(rp->cfg) : NULL;
	int64_t next_try = 0, next_hb = 0, last_sync = 0;

	rp->backoff_ms = BACKOFF_MIN;
	for (;;) {
		int64_t now = ag_mono_ns() / 1000000, wait = 1000;
		int stop = __atomic_load_n(&rp->stop, __ATOMIC_ACQUIRE);
		/* Group commit: at most one sync every SYNC_GAP_MS, so a burst of
		 * events costs a few syncs, not one each (each sync is a journal
		 * commit that also stalls the guard's own file creations). */
		if (!stop && now - last_sync < SYNC_GAP_MS) {
			struct timespec ts = {0, (long)(SYNC_GAP_MS - (now - last_sync)) * 1000000};
			nanosleep(&ts, NULL);
			now = ag_mono_ns() / 1000000;
		}
		ag_spool_sync(rp->spool);
		last_sync = now;
		if (c && now >= next_try) {
			int r;
			while ((r = send_batch(rp, c)) == 1 &&
			       !__atomic_load_n(&rp->stop, __ATOMIC_ACQUIRE))
				;
			if (r < 0) {
				rp->failed_posts++;
				rp->last_fail_ns = ag_wall_ns();
				next_try = now + rp->backoff_ms;
				rp->backoff_ms = rp->backoff_ms * 2 > BACKOFF_MAX ? BACKOFF_MAX
										  : rp->backoff_ms * 2;
			} else {
				rp->backoff_ms = BACKOFF_MIN;
			}
		}
		if (c && now >= next_hb && !stop) {
			/* A heartbeat that gets through ends a backoff early: the
			 * server is back, the spool can drain now. */
			if (heartbeat(rp, c) == 0 && next_try > now) {
				next_try = now;
				rp->backoff_ms = BACKOFF_MIN;
				wait = 0;
			}
			next_hb = now + (int64_t)rp->cfg->heartbeat_s * 1000;
		}
		if (wait == 0)
			continue;
		if (stop)
			break;
		if (c && next_try > now && next_try - now < wait)
			wait = next_try - now;
		if (c && next_hb - now < wait)
			wait = next_hb - now > 0 ? next_hb - now : 1;
		wait_ms(rp, wait);
	}
	if (c)
		curl_easy_cleanup(c);
	return NULL;
}

enum sw_err ag_reporter_start(struct ag_reporter *rp, struct sw_errbuf *eb)
{
	static int inited;

	if (!inited) {
		curl_global_init(CURL_GLOBAL_DEFAULT);
		inited = 1;
	}
	rp->stop = 0;
	if (pthread_create(&rp->thread, NULL, reporter_main, rp))
		return sw_errf(eb, SW_ENOMEM, "cannot start the reporter thread");
	rp->running = 1;
	return SW_OK;
}

void ag_reporter_stop(struct ag_reporter *rp)
{
	if (!rp->running)
		return;
	__atomic_store_n(&rp->stop, 1, __ATOMIC_RELEASE);
	pthread_mutex_lock(&rp->spool->mu);
	pthread_cond_broadcast(&rp->spool->cv);
	pthread_mutex_unlock(&rp->spool->mu);
	pthread_join(rp->thread, NULL);
	rp->running = 0;
	ag_spool_sync(rp->spool);
}
