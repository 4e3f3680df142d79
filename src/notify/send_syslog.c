/*
 * send_syslog.c - RFC 5424 messages to a collector over UDP or TCP, the
 * channel for sites whose SOC reads everything through its SIEM.
 *
 * Facility local0; the severity maps critical->crit, high->err,
 * medium->warning, low->notice, info->info.  Structured data
 * [sitewarden@32473 id= event= site= severity=] carries the idempotency key
 * (32473 is the enterprise number RFC 5612 reserves for examples; operators
 * with their own can filter on the SD-ID).  TCP frames by octet counting
 * (RFC 6587); UDP sends one datagram, at most 2048 bytes, and cannot know
 * whether it arrived.
 */
#include <errno.h>
#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include "model/finding.h"
#include "notify/send.h"

#define SYSLOG_MAX 2048

/* Splits "udp://host:port" / "tcp://[v6]:port" into its parts. */
static enum sw_err parse_url(const char *url, int *tcp, char *host, size_t hcap, char *port,
			     size_t pcap, struct sw_errbuf *eb)
{
	const char *p, *colon;

	if (!strncmp(url, "udp://", 6))
		*tcp = 0;
	else if (!strncmp(url, "tcp://", 6))
		*tcp = 1;
	else
		return sw_errf_field(eb, SW_EINVAL, "url", "a syslog URL is udp://host:port or "
				     "tcp://host:port");
	p = url + 6;
	if (*p == '[') {
		const char *end = strchr(p, ']');

		if (!end || end[1] != ':')
			return sw_errf_field(eb, SW_EINVAL, "url", "bad IPv6 address in %s", url);
		snprintf(host, hcap, "%.*s", (int)(end - p - 1), p + 1);
		colon = end + 1;
	} else {
		if (!(colon = strrchr(p, ':')))
			return sw_errf_field(eb, SW_EINVAL, "url", "%s lacks a port", url);
		snprintf(host, hcap, "%.*s", (int)(colon - p), p);
	}
	snprintf(port, pcap, "%s", colon + 1);
	if (!host[0] || !port[0] || strspn(port, "0123456789") != strlen(port))
		return sw_errf_field(eb, SW_EINVAL, "url", "bad host or port in %s", url);
	return SW_OK;
}

/* Copies s into out escaping '"', '\\' and ']' as RFC 5424 asks of
 * parameter values. */
static void sd_escape(const char *s, char *out, size_t cap)
{
	size_t j = 0;

	for (; s && *s && j + 3 < cap; s++) {
		if (*s == '"' || *s == '\\' || *s == ']')
			out[j++] = '\\';
		out[j++] = *s;
	}
	out[j] = '\0';
}

/* Formats the message into buf; returns its length. */
static size_t format(const struct sw_notify_msg *m, int64_t now, char *buf, size_t cap)
{
	static const int code[] = {6, 5, 4, 3, 2}; /* by enum sw_sev */
	int sev = sw_sev_parse(m->severity);
	char ts[32], host[128] = "-", id[300], ev[80], sevs[32], msg[1024];
	time_t t = (time_t)now;
	struct tm tm;
	int w;

	gmtime_r(&t, &tm);
	strftime(ts, sizeof ts, "%Y-%m-%dT%H:%M:%SZ", &tm);
	if (gethostname(host, sizeof host) != 0 || !host[0])
		snprintf(host, sizeof host, "-");
	host[sizeof host - 1] = '\0';
	sd_escape(m->idem_key, id, sizeof id);
	sd_escape(m->event, ev, sizeof ev);
	sd_escape(m->severity, sevs, sizeof sevs);
	snprintf(msg, sizeof msg, "%s", m->subject ? m->subject : "");
	for (char *p = msg; *p; p++)
		if (*p == '\n' || *p == '\r')
			*p = ' ';
	w = snprintf(buf, cap, "<%d>1 %s %s sitewarden %ld %s [sitewarden@32473 id=\"%s\" "
		     "event=\"%s\" site=\"%lld\" severity=\"%s\"] \xEF\xBB\xBF%s",
		     16 * 8 + (sev >= 0 ? code[sev] : 5), ts, host, (long)getpid(),
		     m->event && *m->event ? m->event : "-", id, ev, (long long)m->site_id, sevs, msg);
	return w < 0 ? 0 : (size_t)w < cap ? (size_t)w : cap - 1;
}

/* Sends all of buf on fd. */
static int send_all(int fd, const char *buf, size_t n)
{
	while (n) {
		ssize_t w = send(fd, buf, n, MSG_NOSIGNAL);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return -1;
		buf += w;
		n -= (size_t)w;
	}
	return 0;
}

enum sw_err sw__notify_syslog(const struct sw_channel *c, const struct sw_notify_msg *m,
			      int64_t now, struct sw_errbuf *eb)
{
	struct addrinfo hints = {.ai_socktype = SOCK_DGRAM}, *ai = NULL;
	struct timeval tv = {5, 0};
	char host[256], port[16], line[SYSLOG_MAX], frame[SYSLOG_MAX + 16];
	size_t n;
	int tcp = 0, fd = -1, gai;
	enum sw_err rc;

	if ((rc = parse_url(c->url, &tcp, host, sizeof host, port, sizeof port, eb)))
		return rc;
	hints.ai_socktype = tcp ? SOCK_STREAM : SOCK_DGRAM;
	if ((gai = getaddrinfo(host, port, &hints, &ai)) != 0)
		return sw_errf(eb, SW_EIO, "%s: %s", host, gai_strerror(gai));
	n = format(m, now, line, sizeof line);
	fd = socket(ai->ai_family, ai->ai_socktype, 0);
	if (fd < 0) {
		rc = sw_errf(eb, SW_EIO, "socket: %s", strerror(errno));
		goto out;
	}
	setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
	if (connect(fd, ai->ai_addr, ai->ai_addrlen) != 0) {
		rc = sw_errf(eb, SW_EIO, "%s:%s: %s", host, port, strerror(errno));
		goto out;
	}
	if (tcp) {
		int w = snprintf(frame, sizeof frame, "%zu %.*s", n, (int)n, line);

		if (w < 0 || send_all(fd, frame, (size_t)w))
			rc = sw_errf(eb, SW_EIO, "%s:%s: %s", host, port, strerror(errno));
	} else if (send(fd, line, n, MSG_NOSIGNAL) != (ssize_t)n) {
		rc = sw_errf(eb, SW_EIO, "%s:%s: %s", host, port, strerror(errno));
	}
out:
	if (fd >= 0)
		close(fd);
	freeaddrinfo(ai);
	return rc;
}
