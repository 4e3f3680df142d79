/*
 * logs_parse.c - log formats and lines (logs_parse.h).
 */
#include "agent/logs_parse.h"

#include <ctype.h>
#include <iconv.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

enum {
	V_LIT = 0, V_ADDR, V_USER, V_TIME, V_TIME_ISO, V_REQUEST, V_STATUS, V_BYTES, V_REFERER,
	V_UA, V_HOST, V_METHOD, V_URI, V_ARGS, V_PROTO, V_SKIP
};

static const struct {
	const char *name;
	int var;
} nginx_vars[] = {
	{"remote_addr", V_ADDR}, {"binary_remote_addr", V_SKIP}, {"remote_user", V_USER},
	{"time_local", V_TIME}, {"time_iso8601", V_TIME_ISO}, {"request", V_REQUEST},
	{"status", V_STATUS}, {"body_bytes_sent", V_BYTES}, {"bytes_sent", V_BYTES},
	{"http_referer", V_REFERER}, {"http_user_agent", V_UA}, {"host", V_HOST},
	{"http_host", V_HOST}, {"server_name", V_HOST}, {"request_method", V_METHOD},
	{"request_uri", V_URI}, {"uri", V_URI}, {"args", V_ARGS}, {"query_string", V_ARGS},
	{"server_protocol", V_PROTO},
};

/* Apache % directives: letter (after an optional '>' or '<') or {Header}i. */
static int apache_var(const char *d, size_t n)
{
	if (n == 1)
		switch (d[0]) {
		case 'h': case 'a': return V_ADDR;
		case 'u': return V_USER;
		case 'r': return V_REQUEST;
		case 's': return V_STATUS;
		case 'b': case 'B': case 'O': return V_BYTES;
		case 'v': case 'V': return V_HOST;
		case 'm': return V_METHOD;
		case 'U': return V_URI;
		case 'q': return V_ARGS;
		case 'H': return V_PROTO;
		default: return V_SKIP;
		}
	if (n > 3 && d[0] == '{' && d[n - 1] == 'i') {
		if (!strncasecmp(d, "{Referer}", 9))
			return V_REFERER;
		if (!strncasecmp(d, "{User-Agent}", 12))
			return V_UA;
		if (!strncasecmp(d, "{Host}", 6))
			return V_HOST;
	}
	return V_SKIP;
}

static int add_lit(struct ag_logfmt *f, const char *s, size_t n)
{
	while (n) {
		size_t k;
		if (f->n && f->tok[f->n - 1].var == V_LIT &&
		    f->tok[f->n - 1].litlen < sizeof f->tok[0].lit) {
			k = sizeof f->tok[0].lit - f->tok[f->n - 1].litlen;
		} else {
			if (f->n >= AG_LOGFMT_MAX)
				return -1;
			f->tok[f->n].var = V_LIT;
			f->tok[f->n].litlen = 0;
			f->n++;
			k = sizeof f->tok[0].lit;
		}
		k = k < n ? k : n;
		memcpy(f->tok[f->n - 1].lit + f->tok[f->n - 1].litlen, s, k);
		f->tok[f->n - 1].litlen = (uint8_t)(f->tok[f->n - 1].litlen + k);
		s += k;
		n -= k;
	}
	return 0;
}

static int add_var(struct ag_logfmt *f, int v)
{
	if (f->n >= AG_LOGFMT_MAX)
		return -1;
	/* Two variables in a row cannot be told apart. */
	if (f->n && f->tok[f->n - 1].var != V_LIT)
		return -1;
	f->tok[f->n].var = v;
	f->tok[f->n].litlen = 0;
	f->n++;
	return 0;
}

enum sw_err ag_logfmt_compile(const char *spec, struct ag_logfmt *f, struct sw_errbuf *eb)
{
	const char *s = spec;

	memset(f, 0, sizeof *f);
	if (!spec || !strcmp(spec, "combined"))
		s = "$remote_addr - $remote_user [$time_local] \"$request\" $status "
		    "$body_bytes_sent \"$http_referer\" \"$http_user_agent\"";
	else if (!strcmp(spec, "common"))
		s = "$remote_addr - $remote_user [$time_local] \"$request\" $status $body_bytes_sent";
	else if (!strcmp(spec, "main"))
		s = "$remote_addr - $remote_user [$time_local] \"$request\" $status "
		    "$body_bytes_sent \"$http_referer\" \"$http_user_agent\" \"$http_x_forwarded_for\"";
	else if (!strcmp(spec, "vhost_combined"))
		s = "%v:%p %h %l %u %t \"%r\" %>s %O \"%{Referer}i\" \"%{User-Agent}i\"";
	else if (!strcmp(spec, "error")) {
		f->error_log = 1;
		return SW_OK;
	}
	while (*s) {
		if (*s == '$' && (isalpha((unsigned char)s[1]) || s[1] == '_')) {
			size_t n = 1;
			int v = V_SKIP;
			while (isalnum((unsigned char)s[n]) || s[n] == '_')
				n++;
			for (size_t i = 0; i < sizeof nginx_vars / sizeof nginx_vars[0]; i++)
				if (strlen(nginx_vars[i].name) == n - 1 &&
				    !strncmp(nginx_vars[i].name, s + 1, n - 1))
					v = nginx_vars[i].var;
			if (add_var(f, v))
				goto bad;
			s += n;
		} else if (*s == '%' && s[1] == '%') {
			if (add_lit(f, "%", 1))
				goto bad;
			s += 2;
		} else if (*s == '%' && s[1]) {
			const char *d = s + 1;
			size_t n;
			while (*d == '>' || *d == '<')
				d++;
			if (*d == '{') {
				const char *e = strchr(d, '}');
				if (!e || !e[1])
					goto bad;
				n = (size_t)(e - d) + 2;
			} else {
				n = 1;
			}
			if (*d == 't' && n == 1) {
				if (add_lit(f, "[", 1) || add_var(f, V_TIME) || add_lit(f, "]", 1))
					goto bad;
			} else if (add_var(f, apache_var(d, n))) {
				goto bad;
			}
			s = d + n;
		} else if (*s == '\\' && s[1] == '"') {
			if (add_lit(f, "\"", 1))
				goto bad;
			s += 2;
		} else {
			if (add_lit(f, s, 1))
				goto bad;
			s++;
		}
	}
	for (int i = 0; i < f->n; i++)
		if (f->tok[i].var == V_ADDR)
			return SW_OK;
	return sw_errf(eb, SW_EINVAL, "log format has no client address ($remote_addr or %%h)");
bad:
	return sw_errf(eb, SW_EINVAL,
		       "log format too long or with two variables in a row: '%.200s'", spec);
}

/* Copies v[0..n) into dst (cap bytes), undoing nginx's \xHH and Apache's
 * \" \\ escapes; sets *trunc when cut. */
static void copy_field(char *dst, size_t cap, const char *v, size_t n, int *trunc)
{
	size_t o = 0;

	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)v[i];
		if (c == '\\' && i + 3 < n && v[i + 1] == 'x' && isxdigit((unsigned char)v[i + 2]) &&
		    isxdigit((unsigned char)v[i + 3])) {
			char h[3] = {v[i + 2], v[i + 3], 0};
			c = (unsigned char)strtoul(h, NULL, 16);
			i += 3;
		} else if (c == '\\' && i + 1 < n && (v[i + 1] == '"' || v[i + 1] == '\\')) {
			c = (unsigned char)v[++i];
		}
		if (o + 1 >= cap) {
			*trunc = 1;
			break;
		}
		dst[o++] = (char)c;
	}
	dst[o] = '\0';
	if (o == 1 && dst[0] == '-')
		dst[0] = '\0';
}

int64_t ag_log_time(const char *s, size_t n)
{
	static const char mon[] = "JanFebMarAprMayJunJulAugSepOctNovDec";
	char buf[64];
	struct tm tm = {0};
	int d, y, H, M, S, oh = 0, om = 0, sign = 1;
	char m[4], tz[8] = "";

	if (n >= sizeof buf)
		return 0;
	memcpy(buf, s, n);
	buf[n] = '\0';
	if (sscanf(buf, "%d/%3s/%d:%d:%d:%d %7s", &d, m, &y, &H, &M, &S, tz) >= 6) {
		const char *p = strstr(mon, m);
		if (!p || strlen(m) != 3 || (p - mon) % 3)
			return 0;
		tm.tm_mon = (int)(p - mon) / 3;
	} else if (sscanf(buf, "%d-%d-%dT%d:%d:%d%7s", &y, &tm.tm_mon, &d, &H, &M, &S, tz) >= 6) {
		tm.tm_mon--;
	} else {
		return 0;
	}
	tm.tm_year = y - 1900;
	tm.tm_mday = d;
	tm.tm_hour = H;
	tm.tm_min = M;
	tm.tm_sec = S;
	if ((tz[0] == '+' || tz[0] == '-') && isdigit((unsigned char)tz[1])) {
		sign = tz[0] == '-' ? -1 : 1;
		oh = (tz[1] - '0') * 10 + (tz[2] - '0');
		om = tz[3] == ':' ? (tz[4] - '0') * 10 + (tz[5] - '0') : (tz[3] - '0') * 10 + (tz[4] - '0');
		if (oh < 0 || oh > 23 || om < 0 || om > 59)
			oh = om = 0;
	}
	return (int64_t)timegm(&tm) - sign * (oh * 3600 + om * 60);
}

/* Splits "GET /x HTTP/1.1" into method, target and protocol. */
static void split_request(struct ag_logrec *r, const char *v, size_t n)
{
	const char *sp1 = memchr(v, ' ', n), *sp2 = NULL;

	if (!sp1)
		return;
	for (const char *p = v + n; p > sp1 + 1; p--)
		if (p[-1] == ' ') {
			sp2 = p - 1;
			break;
		}
	if (!sp2 || sp2 - v - n == 0 || strncmp(sp2 + 1, "HTTP/", 5))
		sp2 = v + n; /* HTTP/0.9 style or cut: no protocol */
	copy_field(r->method, sizeof r->method, v, (size_t)(sp1 - v), &r->truncated);
	copy_field(r->uri, sizeof r->uri, sp1 + 1, (size_t)(sp2 - sp1 - 1), &r->truncated);
	if (sp2 < v + n)
		copy_field(r->proto, sizeof r->proto, sp2 + 1, (size_t)(v + n - sp2 - 1),
			   &r->truncated);
	r->has_request = r->method[0] && r->uri[0];
}

static int set_var(struct ag_logrec *r, int var, const char *v, size_t n)
{
	char tmp[32];

	switch (var) {
	case V_ADDR: copy_field(r->addr, sizeof r->addr, v, n, &r->truncated); break;
	case V_USER: copy_field(r->user, sizeof r->user, v, n, &r->truncated); break;
	case V_TIME: case V_TIME_ISO: r->time = ag_log_time(v, n); break;
	case V_REQUEST: split_request(r, v, n); break;
	case V_STATUS:
		if (n != 3 || !isdigit((unsigned char)v[0]) || !isdigit((unsigned char)v[1]) ||
		    !isdigit((unsigned char)v[2]))
			return -1;
		r->status = (v[0] - '0') * 100 + (v[1] - '0') * 10 + (v[2] - '0');
		break;
	case V_BYTES:
		if (n && n < sizeof tmp && strspn(v, "0123456789") >= n) {
			memcpy(tmp, v, n);
			tmp[n] = '\0';
			r->bytes = strtoll(tmp, NULL, 10);
		}
		break;
	case V_REFERER: copy_field(r->referer, sizeof r->referer, v, n, &r->truncated); break;
	case V_UA: copy_field(r->ua, sizeof r->ua, v, n, &r->truncated); break;
	case V_HOST: copy_field(r->host, sizeof r->host, v, n, &r->truncated); break;
	case V_METHOD: copy_field(r->method, sizeof r->method, v, n, &r->truncated); break;
	case V_URI: {
		size_t l = strlen(r->uri);
		copy_field(r->uri, sizeof r->uri, v, n, &r->truncated);
		(void)l;
		break;
	}
	case V_ARGS:
		if (n && !(n == 1 && v[0] == '-')) {
			size_t l = strlen(r->uri);
			if (l + 2 < sizeof r->uri) {
				r->uri[l] = '?';
				copy_field(r->uri + l + 1, sizeof r->uri - l - 1, v, n, &r->truncated);
			}
		}
		break;
	case V_PROTO: copy_field(r->proto, sizeof r->proto, v, n, &r->truncated); break;
	default: break;
	}
	return 0;
}

/* Error logs: nginx's "client: A, server: S, request: "R", host: "H"" and
 * Apache's "[client A:port]". */
static int parse_error(const char *line, size_t n, struct ag_logrec *r)
{
	const char *c, *q, *e = line + n;
	char buf[8192 + 64];

	if (n >= sizeof buf)
		n = sizeof buf - 1;
	memcpy(buf, line, n);
	buf[n] = '\0';
	if ((c = strstr(buf, ", client: "))) {
		c += 10;
		q = strchr(c, ',');
		copy_field(r->addr, sizeof r->addr, c, q ? (size_t)(q - c) : strlen(c), &r->truncated);
		if ((q = strstr(c, ", request: \""))) {
			const char *s = q + 12, *t = s;
			while (*t && *t != '"')
				t++;
			split_request(r, s, (size_t)(t - s));
		}
		if ((q = strstr(c, ", host: \""))) {
			const char *s = q + 9, *t = strchr(s, '"');
			if (t)
				copy_field(r->host, sizeof r->host, s, (size_t)(t - s), &r->truncated);
		}
		if (n >= 19)
			r->time = 0;
	} else if ((c = strstr(buf, "[client "))) {
		c += 8;
		q = strchr(c, ']');
		if (!q)
			return -1;
		/* drop the ":port" of IPv4 (IPv6 comes as a.b::c:port too: keep the
		 * part the address parser accepts) */
		for (const char *p = q; p > c; p--)
			if (*p == ':') {
				q = p;
				break;
			}
		copy_field(r->addr, sizeof r->addr, c, (size_t)(q - c), &r->truncated);
	} else {
		return -1;
	}
	(void)e;
	return 0;
}

int ag_log_parse(const struct ag_logfmt *f, const char *line, size_t n, struct ag_logrec *r)
{
	size_t pos = 0;

	memset(r, 0, offsetof(struct ag_logrec, uri));
	r->uri[0] = r->proto[0] = r->referer[0] = r->ua[0] = r->host[0] = '\0';
	r->status = 0;
	r->bytes = -1;
	r->time = 0;
	r->truncated = 0;
	r->has_request = 0;
	if (n && line[n - 1] == '\r')
		n--;
	if (f->error_log)
		return parse_error(line, n, r);
	for (int i = 0; i < f->n; i++) {
		if (f->tok[i].var == V_LIT) {
			size_t k = f->tok[i].litlen;
			if (n - pos < k || memcmp(line + pos, f->tok[i].lit, k))
				return -1;
			pos += k;
			continue;
		}
		size_t end = n;
		if (i + 1 < f->n) {
			char stop = f->tok[i + 1].lit[0];
			int quoted = i > 0 && f->tok[i - 1].var == V_LIT &&
				     f->tok[i - 1].lit[f->tok[i - 1].litlen - 1] == '"' && stop == '"';
			const char *p = line + pos;
			for (;;) {
				p = memchr(p, stop, (size_t)(line + n - p));
				if (!p)
					return -1;
				if (quoted && p > line + pos && p[-1] == '\\') {
					/* an escaped quote, unless the backslash is itself escaped */
					size_t bs = 0;
					for (const char *b = p - 1; b >= line + pos && *b == '\\'; b--)
						bs++;
					if (bs % 2) {
						p++;
						continue;
					}
				}
				/* the literal after the variable must follow entirely */
				if ((size_t)(line + n - p) >= f->tok[i + 1].litlen &&
				    !memcmp(p, f->tok[i + 1].lit, f->tok[i + 1].litlen))
					break;
				p++;
			}
			end = (size_t)(p - line);
		}
		if (set_var(r, f->tok[i].var, line + pos, end - pos))
			return -1;
		pos = end;
	}
	r->has_request = r->method[0] && r->uri[0]; /* $request, or $request_method and $uri */
	return r->addr[0] ? 0 : -1;
}

int ag_utf8_valid(const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s, *e = p + n;

	while (p < e) {
		unsigned c = *p, k;
		if (c < 0x80) {
			p++;
			continue;
		}
		if (c >= 0xc2 && c <= 0xdf)
			k = 1;
		else if (c >= 0xe0 && c <= 0xef)
			k = 2;
		else if (c >= 0xf0 && c <= 0xf4)
			k = 3;
		else
			return 0;
		if ((size_t)(e - p) <= k)
			return 0;
		for (unsigned i = 1; i <= k; i++)
			if ((p[i] & 0xc0) != 0x80)
				return 0;
		if ((c == 0xe0 && p[1] < 0xa0) || (c == 0xed && p[1] > 0x9f) ||
		    (c == 0xf0 && p[1] < 0x90) || (c == 0xf4 && p[1] > 0x8f))
			return 0;
		p += k + 1;
	}
	return 1;
}

static int hexv(int c)
{
	return isdigit(c) ? c - '0' : isxdigit(c) ? (tolower(c) - 'a' + 10) : -1;
}

/* One round of percent decoding; returns the length, *more when a '%'
 * that could start another encoding is left. */
static size_t pct_round(const char *in, size_t n, char *out, size_t cap, int *more)
{
	size_t o = 0;
	int query = 0;

	*more = 0;
	for (size_t i = 0; i < n && o + 4 < cap; i++) {
		unsigned char c = (unsigned char)in[i];
		int a, b;
		if (c == '?')
			query = 1;
		if (c == '%' && i + 2 < n && (a = hexv((unsigned char)in[i + 1])) >= 0 &&
		    (b = hexv((unsigned char)in[i + 2])) >= 0) {
			c = (unsigned char)(a * 16 + b);
			i += 2;
		} else if (c == '%' && i + 5 < n && (in[i + 1] == 'u' || in[i + 1] == 'U') &&
			   hexv((unsigned char)in[i + 2]) >= 0 && hexv((unsigned char)in[i + 3]) >= 0 &&
			   hexv((unsigned char)in[i + 4]) >= 0 && hexv((unsigned char)in[i + 5]) >= 0) {
			unsigned u = 0;
			for (int k = 2; k <= 5; k++)
				u = u * 16 + (unsigned)hexv((unsigned char)in[i + k]);
			i += 5;
			if (u < 0x80) {
				out[o++] = (char)u;
			} else if (u < 0x800) {
				out[o++] = (char)(0xc0 | u >> 6);
				out[o++] = (char)(0x80 | (u & 0x3f));
			} else {
				out[o++] = (char)(0xe0 | u >> 12);
				out[o++] = (char)(0x80 | ((u >> 6) & 0x3f));
				out[o++] = (char)(0x80 | (u & 0x3f));
			}
			continue;
		} else if (c == '+' && query) {
			c = ' ';
		}
		if (c == '%')
			*more = 1;
		out[o++] = (char)c;
	}
	out[o] = '\0';
	return o;
}

size_t ag_log_decode(const char *in, size_t n, char *out, size_t cap, int *not_utf8,
		     int *leftover)
{
	char a[8192], b[8192];
	size_t len;
	int more = 0;

	if (cap == 0)
		return 0;
	if (n >= sizeof a)
		n = sizeof a - 1;
	/* nginx writes bytes outside printable ASCII as \xHH */
	len = 0;
	for (size_t i = 0; i < n; i++) {
		if (in[i] == '\\' && i + 3 < n && in[i + 1] == 'x' && hexv((unsigned char)in[i + 2]) >= 0 &&
		    hexv((unsigned char)in[i + 3]) >= 0) {
			a[len++] = (char)(hexv((unsigned char)in[i + 2]) * 16 + hexv((unsigned char)in[i + 3]));
			i += 3;
		} else {
			a[len++] = in[i];
		}
	}
	a[len] = '\0';
	for (int round = 0; round < 3; round++) {
		len = pct_round(a, len, b, sizeof b, &more);
		memcpy(a, b, len + 1);
		if (!more)
			break;
	}
	if (leftover) {
		*leftover = 0;
		for (size_t i = 0; more && i + 2 < len; i++)
			if (a[i] == '%' && hexv((unsigned char)a[i + 1]) >= 0 &&
			    hexv((unsigned char)a[i + 2]) >= 0)
				*leftover = 1;
	}
	if (not_utf8)
		*not_utf8 = 0;
	if (!ag_utf8_valid(a, len)) {
		if (not_utf8)
			*not_utf8 = 1;
		/* one converter per thread, opened on first need */
		static __thread iconv_t cd = (iconv_t)-1;
		if (cd == (iconv_t)-1)
			cd = iconv_open("UTF-8", "GB18030");
		if (cd != (iconv_t)-1) {
			iconv(cd, NULL, NULL, NULL, NULL);
			char *ip = a, *op = b;
			size_t il = len, ol = sizeof b - 1;
			if (iconv(cd, &ip, &il, &op, &ol) != (size_t)-1 && il == 0) {
				len = (size_t)(op - b);
				memcpy(a, b, len);
				a[len] = '\0';
			}
		}
	}
	if (len >= cap)
		len = cap - 1;
	memcpy(out, a, len);
	out[len] = '\0';
	return len;
}
