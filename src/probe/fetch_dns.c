/*
 * fetch_dns.c - resolving a fetch's host name ourselves, before libcurl
 * connects, and handing libcurl the answer as a CURLOPT_RESOLVE entry.
 *
 * Facts that shaped it:
 *  - The checks need every address a name resolves to (a hijack may add
 *    one) and NXDOMAIN told apart from a resolver that did not answer:
 *    libcurl 7.88 gives neither (one "primary" address, one error code).
 *  - The event loop must not block on DNS: getaddrinfo_a runs lookups in
 *    glibc's helper threads, and the loop polls the pending ones every few
 *    milliseconds while any are outstanding.
 *  - Resolve entries given by the caller (tests, the bench) decide without
 *    DNS, "*" included; the address "-" is our NXDOMAIN entry.
 *  - "localhost" and every name under ".localhost" are the loopback
 *    addresses without asking anyone (RFC 6761 6.3; libcurl does the same
 *    when it resolves): glibc would send them to the configured DNS
 *    server, and the demo's sites are NAME.demo.localhost.
 */
#include "probe/fetch_int.h"

#include <arpa/inet.h>
#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

/* One lookup in flight; owned by its job, or leaked to the resolver when
 * it cannot be cancelled (glibc writes into it until it ends). */
struct sw__dns {
	struct gaicb cb;
	struct addrinfo hints;
	char name[256];
	char port[8];
	int64_t start_us;
};

static int64_t mono_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

/* The port of j's first hop (explicit or the scheme's); 0 when unknown. */
static long hop_port(const struct sw__job *j)
{
	CURLU *u = curl_url();
	char *port = NULL;
	long v = 0;

	if (u && curl_url_set(u, CURLUPART_URL, j->r->hops[0].url, 0) == CURLUE_OK &&
	    curl_url_get(u, CURLUPART_PORT, &port, CURLU_DEFAULT_PORT) == CURLUE_OK)
		v = strtol(port, NULL, 10);
	curl_free(port);
	curl_url_cleanup(u);
	return v;
}

/* Adds the addresses of a resolve entry's list "a,b,[c]" to r. */
static void record_list(struct sw_fetch_result *r, const char *list)
{
	while (*list && r->n_addrs < sizeof r->addrs / sizeof r->addrs[0]) {
		size_t n = strcspn(list, ",");
		const char *a = list;
		size_t an = n;

		if (an >= 2 && a[0] == '[' && a[an - 1] == ']') {
			a++;
			an -= 2;
		}
		if (an > 0 && an < sizeof r->addrs[0])
			snprintf(r->addrs[r->n_addrs++], sizeof r->addrs[0], "%.*s", (int)an, a);
		list += n + (list[n] == ',');
	}
}

/* The caller's resolve entry for host:port, or NULL.  Entries look like
 * "[+]host:port:addrs"; removals ("-host:port") are skipped. */
static const char *find_entry(const struct sw_fetcher *f, const char *host, long port)
{
	for (char **e = f->ovr; e && *e; e++) {
		const char *s = *e, *c1, *c2;

		if (*s == '-')
			continue;
		if (*s == '+')
			s++;
		if (!(c1 = strchr(s, ':')) || !(c2 = strchr(c1 + 1, ':')))
			continue;
		if (strtol(c1 + 1, NULL, 10) != port)
			continue;
		if ((c1 - s == 1 && *s == '*') ||
		    ((size_t)(c1 - s) == strlen(host) && strncasecmp(s, host, (size_t)(c1 - s)) == 0))
			return c2 + 1;
	}
	return NULL;
}

/* Whether host is "localhost" or ends in ".localhost" (a final dot
 * allowed), in any case. */
static int is_localhost(const char *host)
{
	size_t n = strlen(host);

	if (n && host[n - 1] == '.')
		n--;
	if (n == 9)
		return strncasecmp(host, "localhost", 9) == 0;
	return n > 10 && strncasecmp(host + n - 10, ".localhost", 10) == 0;
}

enum sw__dns_state sw__dns_begin(struct sw_fetcher *f, struct sw__job *j)
{
	struct sw_fetch_result *r = j->r;
	const char *host = j->bare, *entry;
	unsigned char buf[16];
	struct gaicb *list[1];
	struct sw__dns *d;
	long port;
	int e;

	j->dns_done = 1;
	if (!host || inet_pton(AF_INET, host, buf) == 1 || inet_pton(AF_INET6, host, buf) == 1)
		return SW__DNS_SKIP;
	port = hop_port(j);
	if ((entry = find_entry(f, host, port)) != NULL) {
		if (strcmp(entry, "-") == 0) {
			sw__result_fail(r, SW_FETCH_ENXDOMAIN, "%s: no such host name (resolve entry)",
					host);
			return SW__DNS_FAIL;
		}
		record_list(r, entry);
		return SW__DNS_SKIP;
	}
	if (is_localhost(host)) {
		record_list(r, f->o.ip_version == 4 ? "127.0.0.1"
			       : f->o.ip_version == 6 ? "::1" : "127.0.0.1,::1");
		return SW__DNS_SKIP;
	}
	if (strlen(host) >= sizeof d->name || !(d = calloc(1, sizeof *d))) {
		sw__result_fail(r, SW_FETCH_EDNS, "cannot resolve %.200s (name too long or no memory)",
				host);
		return SW__DNS_FAIL;
	}
	snprintf(d->name, sizeof d->name, "%s", host);
	snprintf(d->port, sizeof d->port, "%ld", port);
	d->hints.ai_socktype = SOCK_STREAM;
	d->hints.ai_family = f->o.ip_version == 4 ? AF_INET : f->o.ip_version == 6 ? AF_INET6
										   : AF_UNSPEC;
	d->cb.ar_name = d->name;
	d->cb.ar_request = &d->hints;
	d->start_us = mono_us();
	list[0] = &d->cb;
	if ((e = getaddrinfo_a(GAI_NOWAIT, list, 1, NULL)) != 0) {
		sw__result_fail(r, SW_FETCH_EDNS, "cannot resolve %s: %s", host, gai_strerror(e));
		free(d);
		return SW__DNS_FAIL;
	}
	j->dns_done = 0;
	j->dns = d;
	return SW__DNS_WAIT;
}

/* Builds j's CURLOPT_RESOLVE: the caller's entries and "host:port:addrs". */
static int make_res_list(struct sw_fetcher *f, struct sw__job *j, const char *port)
{
	struct sw_fetch_result *r = j->r;
	char entry[16 * 50 + 300];
	size_t used;
	struct curl_slist *l;

	for (char **e = f->ovr; e && *e; e++) {
		const char *c = strrchr(*e, ':');

		if (c && strcmp(c + 1, "-") == 0)
			continue;
		if (!(l = curl_slist_append(j->res_list, *e)))
			return 0;
		j->res_list = l;
	}
	used = (size_t)snprintf(entry, sizeof entry, "%s:%s:", j->bare, port);
	for (size_t i = 0; i < r->n_addrs && used < sizeof entry; i++)
		used += (size_t)snprintf(entry + used, sizeof entry - used,
					 strchr(r->addrs[i], ':') ? "%s[%s]" : "%s%s", i ? "," : "",
					 r->addrs[i]);
	if (!(l = curl_slist_append(j->res_list, entry)))
		return 0;
	j->res_list = l;
	return 1;
}

int sw__dns_done(struct sw_fetcher *f, struct sw__job *j)
{
	struct sw__dns *d = j->dns;
	struct sw_fetch_result *r = j->r;
	int e = gai_error(&d->cb);

	if (e == EAI_INPROGRESS)
		return 0;
	r->resolve_us = mono_us() - d->start_us;
	if (e == 0) {
		for (struct addrinfo *a = d->cb.ar_result; a; a = a->ai_next) {
			char txt[48] = "";
			size_t k;

			if (a->ai_family == AF_INET)
				inet_ntop(AF_INET, &((struct sockaddr_in *)(void *)a->ai_addr)->sin_addr,
					  txt, sizeof txt);
			else if (a->ai_family == AF_INET6)
				inet_ntop(AF_INET6,
					  &((struct sockaddr_in6 *)(void *)a->ai_addr)->sin6_addr, txt,
					  sizeof txt);
			for (k = 0; k < r->n_addrs && strcmp(r->addrs[k], txt); k++)
				;
			if (txt[0] && k == r->n_addrs &&
			    r->n_addrs < sizeof r->addrs / sizeof r->addrs[0])
				memcpy(r->addrs[r->n_addrs++], txt, sizeof txt);
		}
		if (r->n_addrs == 0)
			sw__result_fail(r, SW_FETCH_EDNS, "%s: no address", d->name);
		else if (!make_res_list(f, j, d->port))
			sw__result_fail(r, SW_FETCH_EOTHER, "out of memory resolving %s", d->name);
	} else if (e == EAI_NONAME) {
		sw__result_fail(r, SW_FETCH_ENXDOMAIN, "%s: no such host name", d->name);
	} else {
		sw__result_fail(r, SW_FETCH_EDNS, "%s: %s", d->name, gai_strerror(e));
	}
	if (d->cb.ar_result)
		freeaddrinfo(d->cb.ar_result);
	free(d);
	j->dns = NULL;
	j->dns_done = 1;
	return 1;
}

void sw__dns_cancel(struct sw__job *j)
{
	struct sw__dns *d = j->dns;
	const struct gaicb *list[1];
	struct timespec ts = {1, 0};

	if (!d)
		return;
	j->dns = NULL;
	list[0] = &d->cb;
	/* A lookup glibc cannot cancel writes into d until it ends: wait a
	 * second for it, else leave d to it (a small, bounded leak on stop). */
	if (gai_cancel(&d->cb) != EAI_CANCELED && gai_error(&d->cb) == EAI_INPROGRESS)
		gai_suspend(list, 1, &ts);
	if (gai_error(&d->cb) == EAI_INPROGRESS)
		return;
	if (d->cb.ar_result)
		freeaddrinfo(d->cb.ar_result);
	free(d);
}
