/*
 * send_http.c - delivery over libcurl: the generic webhook, the DingTalk
 * and WeCom robots (HTTP POST of JSON) and mail (SMTP, plain or TLS).
 *
 * One easy handle per message: the pump sends a handful of messages per
 * tick, so connection reuse would save little and a fresh handle keeps
 * channels from leaking state into each other.  Every transfer has a
 * deadline, and answers are read up to a small bound (receivers are not
 * trusted to be brief).
 */
#include <curl/curl.h>
#include <limits.h>
#include <jansson.h>
#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "notify/notify.h"
#include "notify/send.h"

#define REPLY_MAX 8192

/* The receiver's answer, bounded. */
struct reply {
	char buf[REPLY_MAX];
	size_t n;
};

static size_t on_body(char *p, size_t sz, size_t nm, void *arg)
{
	struct reply *r = arg;
	size_t len = sz * nm, take = len < sizeof r->buf - 1 - r->n ? len : sizeof r->buf - 1 - r->n;

	memcpy(r->buf + r->n, p, take);
	r->n += take;
	r->buf[r->n] = '\0';
	return len;
}

/* Sets what every transfer shares: deadlines, no signals, no redirects
 * (a robot URL that redirects is misconfigured, not to be followed). */
static void common(CURL *h)
{
	curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT, 5L);
	curl_easy_setopt(h, CURLOPT_TIMEOUT, 15L);
	curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, 0L);
	curl_easy_setopt(h, CURLOPT_USERAGENT, "sitewarden-notify/1");
}

/*
 * POSTs body (JSON) to url with the extra headers; a 2xx answer is
 * success, and for the robots (robot set) an answer whose errcode is not 0
 * is a refusal.
 */
static enum sw_err post(const char *url, const char *body, struct curl_slist *hdr, int robot,
			struct sw_errbuf *eb)
{
	struct reply r = {.n = 0};
	CURL *h = curl_easy_init();
	CURLcode cc;
	long code = 0;
	enum sw_err rc = SW_OK;

	r.buf[0] = '\0';
	if (!h)
		return sw_errf(eb, SW_ENOMEM, "cannot start a transfer");
	hdr = curl_slist_append(hdr, "Content-Type: application/json; charset=utf-8");
	common(h);
	curl_easy_setopt(h, CURLOPT_URL, url);
	curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(h, CURLOPT_POSTFIELDS, body);
	curl_easy_setopt(h, CURLOPT_HTTPHEADER, hdr);
	curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(h, CURLOPT_WRITEDATA, &r);
	cc = curl_easy_perform(h);
	curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &code);
	if (cc != CURLE_OK)
		rc = sw_errf(eb, SW_EIO, "%s", curl_easy_strerror(cc));
	else if (code < 200 || code > 299)
		rc = sw_errf(eb, SW_EIO, "the receiver answered HTTP %ld", code);
	else if (robot) {
		json_t *j = json_loads(r.buf, 0, NULL);
		json_t *ec = json_object_get(j, "errcode");

		if (ec && json_integer_value(ec) != 0)
			rc = sw_errf(eb, SW_EIO, "the robot refused: errcode %lld %.200s",
				     (long long)json_integer_value(ec),
				     json_string_value(json_object_get(j, "errmsg")) ?
					     json_string_value(json_object_get(j, "errmsg")) : "");
		json_decref(j);
	}
	curl_slist_free_all(hdr);
	curl_easy_cleanup(h);
	return rc;
}

/* Adds the idempotency and event headers every HTTP channel sends. */
static struct curl_slist *base_headers(const struct sw_notify_msg *m)
{
	char h[320];
	struct curl_slist *l;

	snprintf(h, sizeof h, "Idempotency-Key: %s", m->idem_key);
	l = curl_slist_append(NULL, h);
	snprintf(h, sizeof h, "X-Sitewarden-Event: %s", m->event);
	return curl_slist_append(l, h);
}

enum sw_err sw__notify_webhook(const struct sw_channel *c, const struct sw_notify_msg *m,
			       int64_t now, struct sw_errbuf *eb)
{
	struct curl_slist *hdr = base_headers(m);
	char ts[32], sig[65], h[128];

	snprintf(ts, sizeof ts, "%lld", (long long)now);
	snprintf(h, sizeof h, "X-Sitewarden-Timestamp: %s", ts);
	hdr = curl_slist_append(hdr, h);
	if (c->secret[0]) {
		sw_notify_webhook_sig(c->secret, ts, m->body, strlen(m->body), sig);
		snprintf(h, sizeof h, "X-Sitewarden-Signature: sha256=%s", sig);
		hdr = curl_slist_append(hdr, h);
	}
	return post(c->url, m->body, hdr, 0, eb);
}

/* The robots' markdown/text body: {"msgtype": ..., ...}; NULL on ENOMEM. */
static char *robot_body(const struct sw_channel *c, const struct sw_notify_msg *m)
{
	char *text = sw_notify_text(m), *out;
	json_t *o;

	if (!text)
		return NULL;
	if (!strcmp(c->kind, "dingtalk"))
		o = json_pack("{s:s, s:{s:s, s:s}}", "msgtype", "markdown", "markdown", "title",
			      m->subject, "text", text);
	else
		o = json_pack("{s:s, s:{s:s}}", "msgtype", "text", "text", "content", text);
	free(text);
	out = o ? json_dumps(o, JSON_COMPACT) : NULL;
	json_decref(o);
	return out;
}

enum sw_err sw__notify_robot(const struct sw_channel *c, const struct sw_notify_msg *m,
			     int64_t now, struct sw_errbuf *eb)
{
	char *body = robot_body(c, m), url[1024], sign[160];
	enum sw_err rc;

	if (!body)
		return sw_errf(eb, SW_ENOMEM, "out of memory");
	snprintf(url, sizeof url, "%s", c->url);
	if (!strcmp(c->kind, "dingtalk") && c->secret[0]) {
		/* DingTalk's signed robots take the time in milliseconds and the
		 * signature as query arguments; the time must be within an hour
		 * of theirs. */
		long long ms = (long long)now * 1000;

		sw_notify_dingtalk_sign(c->secret, ms, sign, sizeof sign);
		snprintf(url, sizeof url, "%s%stimestamp=%lld&sign=%s", c->url,
			 strchr(c->url, '?') ? "&" : "?", ms, sign);
	}
	rc = post(url, body, base_headers(m), 1, eb);
	free(body);
	return rc;
}

/* The mail being uploaded. */
struct upload {
	const char *p;
	size_t left;
};

static size_t on_read(char *buf, size_t sz, size_t nm, void *arg)
{
	struct upload *u = arg;
	size_t n = sz * nm < u->left ? sz * nm : u->left;

	memcpy(buf, u->p, n);
	u->p += n;
	u->left -= n;
	return n;
}

/* Base64 of n bytes at p (for the MIME-encoded subject, body and
 * attachment). */
static char *b64n(const unsigned char *p, size_t n)
{
	char *out = n <= (size_t)INT_MAX / 4 * 3 - 3 ? malloc(4 * ((n + 2) / 3) + 1) : NULL;

	if (out)
		EVP_EncodeBlock((unsigned char *)out, p, (int)n);
	return out;
}

static char *b64(const char *s)
{
	return b64n((const unsigned char *)s, strlen(s));
}

/* Appends base64 text b in lines of 76 to out (capacity n, length *w). */
static void b64_lines(char *out, size_t n, size_t *w, const char *b)
{
	size_t len = strlen(b);

	for (size_t i = 0; i < len && *w + 80 < n; i += 76)
		*w += (size_t)snprintf(out + *w, n - *w, "%.76s\r\n", b + i);
}

/* The MIME boundary: "=_" never occurs in base64 text, and every part is
 * base64. */
#define BOUNDARY "=_sitewarden_part_="

/* Builds the mail: headers, then the text in base64 lines of 76; with an
 * attachment (a, may be NULL), a multipart/mixed of the text and the file. */
static char *mail_text(const struct sw_channel *c, const struct sw_notify_msg *m,
		       const char *to, int64_t now, const struct sw_notify_attach *a)
{
	char *text = sw_notify_text(m), *bt = text ? b64(text) : NULL, *bs = b64(m->subject);
	char *ba = a ? b64n(a->data, a->len) : NULL;
	char date[64], *out = NULL;
	time_t t = (time_t)now;
	struct tm tm;
	size_t n, len, alen = ba ? strlen(ba) : 0;

	gmtime_r(&t, &tm);
	strftime(date, sizeof date, "%a, %d %b %Y %H:%M:%S +0000", &tm);
	if (bt && bs && (!a || ba)) {
		len = strlen(bt);
		n = 2048 + strlen(bs) + strlen(to) + strlen(c->sender) + len + len / 76 * 2 + alen +
		    alen / 76 * 2 + (a ? strlen(a->name) + strlen(a->type) : 0);
		if ((out = malloc(n))) {
			size_t w = (size_t)snprintf(out, n,
				"Date: %s\r\nFrom: <%s>\r\nTo: %s\r\nSubject: =?UTF-8?B?%s?=\r\n"
				"Message-ID: <%s@sitewarden>\r\nIdempotency-Key: %s\r\n"
				"MIME-Version: 1.0\r\n",
				date, c->sender, to, bs, m->idem_key, m->idem_key);

			if (a)
				w += (size_t)snprintf(out + w, n - w,
					"Content-Type: multipart/mixed; boundary=\"" BOUNDARY "\"\r\n"
					"\r\n--" BOUNDARY "\r\n");
			w += (size_t)snprintf(out + w, n - w,
				"Content-Type: text/plain; charset=UTF-8\r\n"
				"Content-Transfer-Encoding: base64\r\n\r\n");
			b64_lines(out, n, &w, bt);
			if (a) {
				w += (size_t)snprintf(out + w, n - w,
					"\r\n--" BOUNDARY "\r\nContent-Type: %s; name=\"%s\"\r\n"
					"Content-Disposition: attachment; filename=\"%s\"\r\n"
					"Content-Transfer-Encoding: base64\r\n\r\n",
					a->type, a->name, a->name);
				b64_lines(out, n, &w, ba);
				w += (size_t)snprintf(out + w, n - w, "\r\n--" BOUNDARY "--\r\n");
			}
		}
	}
	free(text);
	free(bt);
	free(bs);
	free(ba);
	return out;
}

enum sw_err sw__notify_smtp(const struct sw_channel *c, const struct sw_notify_msg *m,
			    int64_t now, struct sw_errbuf *eb)
{
	return sw__notify_smtp_attach(c, m, NULL, now, eb);
}

enum sw_err sw__notify_smtp_attach(const struct sw_channel *c, const struct sw_notify_msg *m,
				   const struct sw_notify_attach *att, int64_t now,
				   struct sw_errbuf *eb)
{
	const char *to = m->recipients && *m->recipients ? m->recipients : c->recipients;
	struct curl_slist *rcpt = NULL;
	char *mail, addrs[1024], *save = NULL;
	struct upload u;
	CURLcode cc;
	CURL *h;

	snprintf(addrs, sizeof addrs, "%s", to);
	for (char *a = strtok_r(addrs, ", ;", &save); a; a = strtok_r(NULL, ", ;", &save))
		rcpt = curl_slist_append(rcpt, a);
	if (!rcpt)
		return sw_errf(eb, SW_EIO, "no recipients");
	if (att && (!att->name[0] || strcspn(att->name, "\"\\\r\n") != strlen(att->name) ||
		    strcspn(att->type, "\"\r\n") != strlen(att->type))) {
		curl_slist_free_all(rcpt);
		return sw_errf(eb, SW_EINVAL, "bad attachment name or type");
	}
	if (!(mail = mail_text(c, m, to, now, att)) || !(h = curl_easy_init())) {
		free(mail);
		curl_slist_free_all(rcpt);
		return sw_errf(eb, SW_ENOMEM, "out of memory");
	}
	u = (struct upload){mail, strlen(mail)};
	common(h);
	curl_easy_setopt(h, CURLOPT_URL, c->url);
	curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "smtp,smtps");
	/* smtp:// upgrades with STARTTLS when the server offers it; smtps://
	 * is TLS from the first byte. */
	curl_easy_setopt(h, CURLOPT_USE_SSL, (long)CURLUSESSL_TRY);
	if (c->secret[0])
		curl_easy_setopt(h, CURLOPT_USERPWD, c->secret);
	curl_easy_setopt(h, CURLOPT_MAIL_FROM, c->sender);
	curl_easy_setopt(h, CURLOPT_MAIL_RCPT, rcpt);
	curl_easy_setopt(h, CURLOPT_READFUNCTION, on_read);
	curl_easy_setopt(h, CURLOPT_READDATA, &u);
	curl_easy_setopt(h, CURLOPT_UPLOAD, 1L);
	cc = curl_easy_perform(h);
	curl_easy_cleanup(h);
	curl_slist_free_all(rcpt);
	free(mail);
	if (cc != CURLE_OK)
		return sw_errf(eb, SW_EIO, "%s", curl_easy_strerror(cc));
	return SW_OK;
}
