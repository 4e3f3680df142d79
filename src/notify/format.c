/*
 * format.c - what a message looks like on each channel, and the
 * signatures receivers check.
 *
 * The queue keeps one canonical JSON event per message (the generic
 * webhook sends it as it is); chat robots, mail and syslog get a short
 * plain text made from it here, at send time, so a message queued by an
 * older version still renders.
 */
#include <jansson.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/finding.h"
#include "notify/notify.h"

void sw_notify_webhook_sig(const char *secret, const char *timestamp, const char *body,
			   size_t body_len, char hex[65])
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int len = 0;
	size_t tl = strlen(timestamp);
	char *buf = malloc(tl + body_len + 1);

	hex[0] = '\0';
	if (!buf)
		return;
	memcpy(buf, timestamp, tl);
	memcpy(buf + tl, body, body_len);
	HMAC(EVP_sha256(), secret, (int)strlen(secret), (unsigned char *)buf, tl + body_len, md,
	     &len);
	free(buf);
	for (unsigned i = 0; i < len && i < 32; i++)
		snprintf(hex + 2 * i, 3, "%02x", md[i]);
}

/* Percent-encodes s into out (RFC 3986 unreserved bytes kept). */
static void pct(const char *s, char *out, size_t cap)
{
	size_t j = 0;

	for (; *s && j + 4 < cap; s++) {
		unsigned char c = (unsigned char)*s;

		if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
		    c == '-' || c == '.' || c == '_' || c == '~')
			out[j++] = (char)c;
		else
			j += (size_t)snprintf(out + j, cap - j, "%%%02X", c);
	}
	out[j] = '\0';
}

void sw_notify_dingtalk_sign(const char *secret, long long timestamp_ms, char *out, size_t cap)
{
	unsigned char md[EVP_MAX_MD_SIZE], b64[96];
	unsigned int len = 0;
	char msg[600];
	int n = snprintf(msg, sizeof msg, "%lld\n%s", timestamp_ms, secret);

	out[0] = '\0';
	if (n < 0 || (size_t)n >= sizeof msg)
		return;
	HMAC(EVP_sha256(), secret, (int)strlen(secret), (unsigned char *)msg, (size_t)n, md, &len);
	EVP_EncodeBlock(b64, md, (int)len);
	pct((const char *)b64, out, cap);
}

/* Appends formatted text to the growing string *s (length *n); on memory
 * failure *s becomes NULL and stays so. */
static void cat(char **s, size_t *n, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void cat(char **s, size_t *n, const char *fmt, ...)
{
	va_list ap;
	int w;
	char *p;

	if (!*s)
		return;
	va_start(ap, fmt);
	w = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (w < 0 || !(p = realloc(*s, *n + (size_t)w + 1))) {
		free(*s);
		*s = NULL;
		return;
	}
	*s = p;
	va_start(ap, fmt);
	vsnprintf(*s + *n, (size_t)w + 1, fmt, ap);
	va_end(ap);
	*n += (size_t)w;
}

/* String member k of o, or "". */
static const char *str(const json_t *o, const char *k)
{
	const char *v = json_string_value(json_object_get(o, k));

	return v ? v : "";
}

/* The lines of one event object (not a digest). */
static void event_lines(char **s, size_t *n, const json_t *ev)
{
	const json_t *site = json_object_get(ev, "site");
	const json_t *alerts = json_object_get(ev, "alerts");
	const json_t *inc = json_object_get(ev, "incident");
	int sev = sw_sev_parse(str(ev, "severity"));
	size_t i;
	json_t *a;

	cat(s, n, "事件 event: %s\n", str(ev, "event"));
	cat(s, n, "级别 severity: %s %s\n", sev >= 0 ? sw_sev_zh((enum sw_sev)sev) : "",
	    str(ev, "severity"));
	if (site)
		cat(s, n, "网站 site: %s %s\n", str(site, "name"), str(site, "url"));
	json_array_foreach(alerts, i, a)
		cat(s, n, "告警 alert #%lld [%s] %s %s (%s): %s\n",
		    (long long)json_integer_value(json_object_get(a, "id")), str(a, "change"),
		    str(a, "severity"), str(a, "label"), str(a, "kind"), str(a, "title"));
	if (inc)
		cat(s, n, "事件单 incident: #%lld %s\n",
		    (long long)json_integer_value(json_object_get(inc, "id")), str(inc, "title"));
	else if (*str(ev, "title"))
		cat(s, n, "%s\n", str(ev, "title"));
	cat(s, n, "时间 time: %s\n", str(ev, "time"));
}

char *sw_notify_text(const struct sw_notify_msg *m)
{
	json_t *ev = json_loads(m->body ? m->body : "{}", 0, NULL);
	char *s = strdup("");
	size_t n = 0;

	cat(&s, &n, "%s\n", m->subject ? m->subject : "");
	if (ev && !strcmp(str(ev, "event"), "digest")) {
		const json_t *items = json_object_get(ev, "items");
		size_t i;
		json_t *it;

		cat(&s, &n, "%lld 条通知合并发送 notifications in one digest\n",
		    (long long)json_integer_value(json_object_get(ev, "count")));
		json_array_foreach(items, i, it)
			cat(&s, &n, "- %s\n", str(it, "subject"));
	} else if (ev) {
		event_lines(&s, &n, ev);
	}
	cat(&s, &n, "id: %s\n", m->idem_key ? m->idem_key : "");
	json_decref(ev);
	return s;
}
