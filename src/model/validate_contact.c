/*
 * validate_contact.c - checks and canonical forms for the register's
 * addresses and contact data: domain names, home-page URLs, IP addresses,
 * e-mail addresses and phone numbers (rules in validate.h).
 *
 * Domain names go through libidn2 (UTS #46, non-transitional) whenever they
 * are not plain ASCII, and are re-checked against the DNS rules after it,
 * because libidn2 without STD3 rules lets spaces and punctuation through.
 * URLs are parsed only as far as a website register needs (scheme, host,
 * port, path); the host is the part that matters, and the one attackers
 * disguise with user names, backslashes and look-alike characters.
 */
#include "model/validate_int.h"

#include <arpa/inet.h>
#include <idn2.h>
#include <stdio.h>
#include <string.h>

/* Longest domain text handed to libidn2; a valid one needs far less. */
#define DOMAIN_IN_MAX 1024
/* RFC 5321 limits: local part, and the whole address as it can be used. */
#define LOCAL_MAX 64
#define EMAIL_MAX 254

/* ---- IP addresses and domain names ------------------------------------- */

/* Parses s as IPv6 when it has a colon, else IPv4, and writes inet_ntop's
 * text to txt (SW_IP_MAX bytes).  Returns the family, or 0 for neither. */
static int ip_canon(const char *s, char *txt)
{
	unsigned char addr[16];
	int af = strchr(s, ':') ? AF_INET6 : AF_INET;

	if (inet_pton(af, s, addr) != 1 || inet_ntop(af, addr, txt, SW_IP_MAX) == NULL)
		return 0;
	return af;
}

/* True when s (n bytes) is an IP address, bracketed or not, so that the
 * domain check can say so instead of complaining about digits or colons. */
static int looks_like_ip(const char *s, size_t n)
{
	char tmp[64], txt[SW_IP_MAX];

	if (n > 0 && s[0] == '[')
		return 1;
	if (n >= sizeof tmp)
		return 0;
	memcpy(tmp, s, n);
	tmp[n] = '\0';
	return ip_canon(tmp, txt) != 0;
}

/* True for the bytes a DNS label may hold once lower-cased. */
static int is_ldh(char c)
{
	return (c >= 'a' && c <= 'z') || is_digit(c) || c == '-';
}

/*
 * Checks the labels of the ASCII domain s (n bytes, no trailing dot): the
 * LDH rule and lengths of RFC 1035, at least two labels (a bare host name
 * is never a public website) and a top-level label that is not all digits,
 * which catches mistyped IP addresses.
 */
static enum sw_err check_labels(const char *s, size_t n, struct sw_errbuf *eb)
{
	size_t start = 0, i, len, labels = 0, tld = 0;
	char what[48];

	if (n == 0)
		return sw_errf(eb, SW_EINVAL, "has no labels");
	if (n > SW_DOMAIN_MAX - 1)
		return sw_errf(eb, SW_EINVAL, "is longer than %d bytes", SW_DOMAIN_MAX - 1);
	for (i = 0; i <= n; i++) {
		if (i < n && s[i] != '.') {
			if (is_ldh(s[i]))
				continue;
			sw__describe_char(s + i, n - i, what, sizeof what);
			return sw_errf(eb, SW_EINVAL, "character %s is not allowed in a domain name", what);
		}
		len = i - start;
		if (len == 0)
			return sw_errf(eb, SW_EINVAL, "has an empty label");
		if (len > 63)
			return sw_errf(eb, SW_EINVAL, "has a label longer than 63 bytes");
		if (s[start] == '-' || s[i - 1] == '-')
			return sw_errf(eb, SW_EINVAL, "label '%.*s' starts or ends with '-'", (int)len,
				       s + start);
		labels++;
		tld = start;
		start = i + 1;
	}
	if (labels < 2)
		return sw_errf(eb, SW_EINVAL, "must have at least two labels, like example.cn");
	if (tld + sw__digits_at(s, tld) == n)
		return sw_errf(eb, SW_EINVAL, "top-level label '%.*s' is all digits", (int)(n - tld),
			       s + tld);
	return SW_OK;
}

/* Drops one trailing dot of the ASCII name a and checks it; on success it
 * is copied to dst (SW_DOMAIN_MAX bytes) and its length to *len. */
static enum sw_err domain_finish(const char *a, char *dst, size_t *len, struct sw_errbuf *eb)
{
	size_t n = strlen(a);
	enum sw_err rc;

	if (n > 0 && a[n - 1] == '.')
		n--;
	if (looks_like_ip(a, n))
		return sw_errf(eb, SW_EINVAL, "is an IP address, not a domain");
	if ((rc = check_labels(a, n, eb)))
		return rc;
	memcpy(dst, a, n);
	dst[n] = '\0';
	*len = n;
	return SW_OK;
}

/* Runs s through libidn2 (UTS #46, non-transitional).  *conv (may be NULL
 * for a check only) gets the punycode form, to be freed with idn2_free. */
static enum sw_err idn_ascii(const char *s, char **conv, struct sw_errbuf *eb)
{
	char *res = NULL;
	int r = idn2_to_ascii_8z(s, &res, IDN2_NONTRANSITIONAL);

	if (r != IDN2_OK)
		return sw_errf(eb, SW_EINVAL, "is not a valid domain name (%s)", idn2_strerror(r));
	if (conv)
		*conv = res;
	else
		idn2_free(res);
	return SW_OK;
}

/* True when some label of the ASCII name has "--" at positions 3-4 (an
 * "xn--" A-label or a reserved form). */
static int needs_idna_check(const char *name)
{
	for (const char *l = name; *l;) {
		size_t n = strcspn(l, ".");

		if (n >= 4 && l[2] == '-' && l[3] == '-')
			return 1;
		l += n + (l[n] == '.');
	}
	return 0;
}

/*
 * Converts the domain s (n bytes, trimmed) to canonical ASCII in dst
 * (SW_DOMAIN_MAX bytes).  Non-ASCII goes through libidn2 first, which also
 * maps full-width letters and 。 to ASCII.  Pure ASCII is checked here
 * first so the messages are ours, then by libidn2 as well, which rejects
 * broken xn-- labels and the reserved "ab--" form.
 */
static enum sw_err domain_canon(const char *s, size_t n, char *dst, size_t *len,
				struct sw_errbuf *eb)
{
	char low[DOMAIN_IN_MAX + 1], *conv = NULL, what[48];
	int ascii = 1;
	size_t i;
	enum sw_err rc;

	if (n > DOMAIN_IN_MAX)
		return sw_errf(eb, SW_EINVAL, "is too long (%zu bytes)", n);
	for (i = 0; i < n; i++) {
		low[i] = to_lower(s[i]);
		ascii &= (unsigned char)s[i] < 0x80;
	}
	low[n] = '\0';
	if (ascii) {
		if ((rc = domain_finish(low, dst, len, eb)))
			return rc;
		/* Plain LDH labels are valid IDNA as they are; only "xn--" labels
		 * and the reserved "ab--" form need libidn2's verdict.  Skipping it
		 * otherwise makes a 100,000-site import several times faster. */
		return needs_idna_check(dst) ? idn_ascii(dst, NULL, eb) : SW_OK;
	}
	/* libidn2 lets ASCII punctuation through or fails with a vague
	 * message; name the character the way the ASCII path does. */
	for (i = 0; i < n; i++) {
		if ((unsigned char)low[i] < 0x80 && !is_ldh(low[i]) && low[i] != '.') {
			sw__describe_char(low + i, n - i, what, sizeof what);
			return sw_errf(eb, SW_EINVAL, "character %s is not allowed in a domain name", what);
		}
	}
	if ((rc = idn_ascii(low, &conv, eb)))
		return rc;
	rc = domain_finish(conv, dst, len, eb);
	idn2_free(conv);
	return rc;
}

enum sw_err sw_valid_domain(const char *in, char *out, size_t outsz, struct sw_errbuf *eb)
{
	char dom[SW_DOMAIN_MAX];
	struct sw__text t;
	size_t n;
	enum sw_err rc;

	sw__clear_out(out, outsz);
	if ((rc = sw__trim(in, &t, eb)) || (rc = domain_canon(t.p, t.n, dom, &n, eb)))
		return rc;
	return sw__emit(out, outsz, dom, n, eb);
}

enum sw_err sw_valid_ip(const char *in, char *out, size_t outsz, struct sw_errbuf *eb)
{
	char buf[SW__SHORT_MAX], txt[SW_IP_MAX];
	size_t n;
	enum sw_err rc;

	sw__clear_out(out, outsz);
	if ((rc = sw__prepare(in, buf, sizeof buf, &n, eb)))
		return rc;
	if (ip_canon(buf, txt) == 0)
		return sw_errf(eb, SW_EINVAL, "is not an IPv4 or IPv6 address");
	return sw__emit(out, outsz, txt, strlen(txt), eb);
}

/* ---- home-page URLs ----------------------------------------------------- */

/* The parts of a URL as sw_valid_url takes it apart. */
struct url {
	int https;
	struct sw__text auth;     /* between "//" and the path: host and port */
	struct sw__text path;     /* from '/' or '?' up to '#', may be empty */
	char host[SW_DOMAIN_MAX]; /* canonical host, IPv6 without brackets */
	int is_ip, is_v6;
	unsigned port;            /* 0 when absent or the scheme's default */
};

/*
 * Reads the scheme at the start of s (n bytes) into u->https; *skip gets
 * the bytes before the authority.  No scheme means http, as people type
 * "www.gov.cn".  "www.gov.cn:8080" is not taken for a scheme because a
 * scheme has no dot, and "localhost:8080" because a digit follows the colon.
 */
static enum sw_err url_scheme(const char *s, size_t n, struct url *u, size_t *skip,
			      struct sw_errbuf *eb)
{
	size_t i = 0;

	*skip = 0;
	while (i < n && (is_alpha(s[i]) || is_digit(s[i]) || s[i] == '+' || s[i] == '-'))
		i++;
	if (i == 0 || !is_alpha(s[0]) || i + 1 >= n || s[i] != ':' || is_digit(s[i + 1])) {
		if (n >= 2 && s[0] == '/' && s[1] == '/')
			*skip = 2;
		return SW_OK;
	}
	if (i == 5 && sw__starts_nocase(s, "https"))
		u->https = 1;
	else if (i != 4 || !sw__starts_nocase(s, "http"))
		return sw_errf(eb, SW_EINVAL, "scheme '%.*s' is not allowed (only http and https)",
			       (int)(i > 20 ? 20 : i), s);
	if (i + 3 > n || s[i + 1] != '/' || s[i + 2] != '/')
		return sw_errf(eb, SW_EINVAL, "must have '//' after '%.*s:'", (int)i, s);
	*skip = i + 3;
	return SW_OK;
}

/* Splits s (n bytes) after the scheme into authority and path, dropping
 * the fragment, which never reaches the server. */
static enum sw_err url_split(const char *s, size_t n, size_t skip, struct url *u,
			     struct sw_errbuf *eb)
{
	size_t e = skip, p;

	while (e < n && s[e] != '/' && s[e] != '?' && s[e] != '#')
		e++;
	for (p = e; p < n && s[p] != '#'; p++)
		;
	u->auth = (struct sw__text){s + skip, e - skip};
	u->path = (struct sw__text){s + e, p - e};
	/* "http://good.cn@evil.cn/" shows one host and visits the other. */
	if (memchr(u->auth.p, '@', u->auth.n))
		return sw_errf(eb, SW_EINVAL,
			       "must not contain a user name or password ('@' before the host)");
	return SW_OK;
}

/* Reads the port digits s (n bytes) after ':'.  An empty port means none,
 * as browsers read "host:/"; the scheme's default port is dropped. */
static enum sw_err url_port(const char *s, size_t n, struct url *u, struct sw_errbuf *eb)
{
	unsigned long v = 0;
	size_t i;

	for (i = 0; i < n; i++) {
		if (!is_digit(s[i]))
			return sw_errf(eb, SW_EINVAL, "port must be digits");
		if (v <= 65535)
			v = v * 10 + (unsigned long)(s[i] - '0');
	}
	if (n > 0 && (v == 0 || v > 65535))
		return sw_errf(eb, SW_EINVAL, "port %.*s is outside 1-65535", (int)(n > 12 ? 12 : n), s);
	u->port = (u->https && v == 443) || (!u->https && v == 80) ? 0 : (unsigned)v;
	return SW_OK;
}

/* Canonicalises the bracketed IPv6 host h (n bytes) into u->host. */
static enum sw_err url_host_v6(const char *h, size_t n, struct url *u, struct sw_errbuf *eb)
{
	char tmp[64];

	if (n == 0 || n >= sizeof tmp || memchr(h, ':', n) == NULL)
		return sw_errf(eb, SW_EINVAL, "host in brackets is not an IPv6 address");
	memcpy(tmp, h, n);
	tmp[n] = '\0';
	if (ip_canon(tmp, u->host) != AF_INET6)
		return sw_errf(eb, SW_EINVAL, "host in brackets is not an IPv6 address");
	u->is_ip = u->is_v6 = 1;
	return SW_OK;
}

/* Canonicalises the host h (n bytes): an IPv4 literal or a domain name,
 * whose message is prefixed with "host" for the caller's context. */
static enum sw_err url_host_name(const char *h, size_t n, struct url *u, struct sw_errbuf *eb)
{
	struct sw_errbuf sub;
	char tmp[16];
	size_t len;

	if (n == 0)
		return sw_errf(eb, SW_EINVAL, "has no host");
	if (n < sizeof tmp) {
		memcpy(tmp, h, n);
		tmp[n] = '\0';
		u->is_ip = strchr(tmp, ':') == NULL && ip_canon(tmp, u->host) == AF_INET;
		if (u->is_ip)
			return SW_OK;
	}
	sw_errbuf_clear(&sub);
	if (domain_canon(h, n, u->host, &len, &sub))
		return sw_errf(eb, SW_EINVAL, "host %s", sub.msg);
	return SW_OK;
}

/* Splits the authority into host and port and canonicalises both. */
static enum sw_err url_authority(struct url *u, struct sw_errbuf *eb)
{
	const char *a = u->auth.p, *end = a + u->auth.n, *close, *colon;
	enum sw_err rc;

	if (u->auth.n > 0 && a[0] == '[') {
		close = memchr(a, ']', u->auth.n);
		if (close == NULL)
			return sw_errf(eb, SW_EINVAL, "has '[' without ']'");
		colon = close + 1 < end ? close + 1 : NULL;
		if (colon && *colon != ':')
			return sw_errf(eb, SW_EINVAL, "has text after ']' that is not a port");
		rc = url_host_v6(a + 1, (size_t)(close - a - 1), u, eb);
	} else {
		colon = memchr(a, ':', u->auth.n);
		if (colon && memchr(colon + 1, ':', (size_t)(end - colon - 1)))
			return sw_errf(eb, SW_EINVAL, "has an IPv6 address that is not in brackets");
		rc = url_host_name(a, colon ? (size_t)(colon - a) : u->auth.n, u, eb);
	}
	if (rc || colon == NULL)
		return rc;
	return url_port(colon + 1, (size_t)(end - colon - 1), u, eb);
}

/* Builds the canonical URL into dst (SW_URL_MAX bytes).  The path is kept
 * byte for byte but may not hold spaces or controls, which no server
 * receives unescaped and which hide text in reports. */
static enum sw_err url_build(const struct url *u, char *dst, size_t *len, struct sw_errbuf *eb)
{
	size_t i, hn, slash = u->path.n == 0 || u->path.p[0] == '?';
	char head[SW_DOMAIN_MAX + 32];

	for (i = 0; i < u->path.n; i++) {
		unsigned char c = (unsigned char)u->path.p[i];
		if (c <= 0x20 || c == 0x7F)
			return sw_errf(eb, SW_EINVAL, "path has a space or control character at byte %zu",
				       i + 1);
	}
	hn = (size_t)snprintf(head, sizeof head, "%s://%s%s%s", u->https ? "https" : "http",
			      u->is_v6 ? "[" : "", u->host, u->is_v6 ? "]" : "");
	if (u->port)
		hn += (size_t)snprintf(head + hn, sizeof head - hn, ":%u", u->port);
	if (hn + slash + u->path.n > SW_URL_MAX - 1)
		return sw_errf(eb, SW_EINVAL, "is longer than %d bytes", SW_URL_MAX - 1);
	memcpy(dst, head, hn);
	memcpy(dst + hn, "/", slash);
	memcpy(dst + hn + slash, u->path.p, u->path.n);
	*len = hn + slash + u->path.n;
	dst[*len] = '\0';
	return SW_OK;
}

enum sw_err sw_valid_url(const char *in, char *out, size_t outsz, char *host, size_t hostsz,
			 int *host_is_ip, struct sw_errbuf *eb)
{
	char canon[SW_URL_MAX];
	struct url u;
	struct sw__text t;
	size_t skip = 0, len = 0, hlen;
	enum sw_err rc;

	sw__clear_out(out, outsz);
	sw__clear_out(host, hostsz);
	if (host_is_ip)
		*host_is_ip = 0;
	memset(&u, 0, sizeof u);
	rc = sw__trim(in, &t, eb);
	if (rc == SW_OK)
		rc = url_scheme(t.p, t.n, &u, &skip, eb);
	if (rc == SW_OK)
		rc = url_split(t.p, t.n, skip, &u, eb);
	if (rc == SW_OK)
		rc = url_authority(&u, eb);
	if (rc == SW_OK)
		rc = url_build(&u, canon, &len, eb);
	if (rc)
		return rc;
	hlen = strlen(u.host);
	if (host && hostsz <= hlen)
		return sw_errf(eb, SW_ELIMIT, "host needs %zu bytes, the buffer has %zu", hlen + 1,
			       hostsz);
	if ((rc = sw__emit(out, outsz, canon, len, eb)))
		return rc;
	if (host)
		memcpy(host, u.host, hlen + 1);
	if (host_is_ip)
		*host_is_ip = u.is_ip;
	return SW_OK;
}

/* ---- phone numbers ------------------------------------------------------ */

/* Copies the digits of s into dig (digsz bytes) when s holds only digits,
 * spaces and hyphens, the way mobile and 400 numbers are grouped.  Returns
 * the digit count, or 0 when s has anything else. */
static size_t phone_digits(const char *s, char *dig, size_t digsz)
{
	size_t i, k = 0;

	for (i = 0; s[i]; i++) {
		if (is_digit(s[i]) && k + 1 < digsz)
			dig[k++] = s[i];
		else if (s[i] != ' ' && s[i] != '-')
			return 0;
	}
	dig[k] = '\0';
	return k;
}

/*
 * Parses a landline into canon (csz bytes) as "area-number[-ext]".  The
 * area code is 0 plus 2-3 digits; written without a separator, 010 and
 * 02x are the only three-digit codes, which decides the split.  After +86
 * the trunk 0 is often left out ("+86 10 12345678") and is put back.
 */
static enum sw_err phone_landline(const char *s, int intl, char *canon, size_t csz,
				  struct sw_errbuf *eb)
{
	char w[SW__SHORT_MAX + 1];
	const char *num, *ext = NULL;
	size_t r, alen, nlen, elen = 0, i;

	snprintf(w, sizeof w, "%s%s", intl && s[0] != '0' ? "0" : "", s);
	if (w[0] != '0')
		return sw_errf(eb, SW_EINVAL, "is not a mobile (1[3-9] and 9 digits), landline "
					      "(0 and area code) or 400/800 number");
	r = sw__digits_at(w, 0);
	if (w[r] == '-' || w[r] == ' ')
		alen = r, num = w + r + 1;
	else
		alen = w[1] == '1' || w[1] == '2' ? 3 : 4, num = w + (r < alen ? r : alen);
	nlen = sw__digits_at(num, 0);
	if (alen < 3 || alen > 4 || r < alen)
		return sw_errf(eb, SW_EINVAL, "area code must be 0 and 2-3 digits");
	if (nlen < 7 || nlen > 8)
		return sw_errf(eb, SW_EINVAL,
			       "number after the area code must be 7 or 8 digits, got %zu", nlen);
	i = (size_t)(num - w) + nlen;
	if (w[i] == '-' || w[i] == ' ')
		ext = w + i + 1;
	else if (sw__starts(w + i, "转"))
		ext = w + i + strlen("转");
	else if (w[i] != '\0')
		return sw_errf(eb, SW_EINVAL, "has unexpected text after the number");
	if (ext && ((elen = sw__digits_at(ext, 0)) == 0 || elen > 6 || ext[elen] != '\0'))
		return sw_errf(eb, SW_EINVAL, "extension must be 1-6 digits");
	snprintf(canon, csz, "%.*s-%.*s%s%.*s", (int)alen, w, (int)nlen, num, ext ? "-" : "",
		 (int)elen, ext ? ext : "");
	return SW_OK;
}

enum sw_err sw_valid_phone(const char *in, char *out, size_t outsz, struct sw_errbuf *eb)
{
	char buf[SW__SHORT_MAX], dig[24], canon[64];
	const char *s = buf;
	size_t n, k;
	int intl = 0;
	enum sw_err rc;

	sw__clear_out(out, outsz);
	if ((rc = sw__prepare(in, buf, sizeof buf, &n, eb)))
		return rc;
	if (sw__starts(s, "+86") || sw__starts(s, "86-"))
		s += 3, intl = 1;
	while (*s == ' ' || *s == '-')
		s++;
	if (*s == '\0')
		return sw_errf(eb, SW_EINVAL, "has no number after the country code");
	k = phone_digits(s, dig, sizeof dig);
	if ((k == 11 && dig[0] == '1' && dig[1] >= '3' && dig[1] <= '9') ||
	    (k == 10 && (sw__starts(dig, "400") || sw__starts(dig, "800"))))
		return sw__emit(out, outsz, dig, k, eb);
	if (k > 0 && !intl && dig[0] == '1')
		return sw_errf(eb, SW_EINVAL,
			       "mobile number must be 11 digits beginning 13 to 19, got %zu digits", k);
	if ((rc = phone_landline(s, intl, canon, sizeof canon, eb)))
		return rc;
	return sw__emit(out, outsz, canon, strlen(canon), eb);
}

/* ---- e-mail addresses --------------------------------------------------- */

/* True for the atext bytes of RFC 5322 that may stand in a local part. */
static int is_atext(char c)
{
	return is_alpha(c) || is_digit(c) || (c != '\0' && strchr("!#$%&'*+/=?^_`{|}~-", c));
}

/* Checks the dot-atom local part s (n bytes).  Quoted local parts and
 * non-ASCII mailboxes are refused: mail systems of the register's
 * organisations do not deliver to them. */
static enum sw_err email_local(const char *s, size_t n, struct sw_errbuf *eb)
{
	char what[48];
	size_t i;

	if (n == 0)
		return sw_errf(eb, SW_EINVAL, "has nothing before '@'");
	if (n > LOCAL_MAX)
		return sw_errf(eb, SW_EINVAL, "has more than %d bytes before '@'", LOCAL_MAX);
	if (s[0] == '.' || s[n - 1] == '.')
		return sw_errf(eb, SW_EINVAL, "part before '@' starts or ends with '.'");
	for (i = 0; i < n; i++) {
		if (s[i] == '.' && s[i + 1] == '.')
			return sw_errf(eb, SW_EINVAL, "has '..' before '@'");
		if (s[i] != '.' && !is_atext(s[i])) {
			sw__describe_char(s + i, n - i, what, sizeof what);
			return sw_errf(eb, SW_EINVAL, "has character %s before '@', which is not allowed",
				       what);
		}
	}
	return SW_OK;
}

/* Finds the one '@' (or full-width '＠') in s (n bytes); *at gets its
 * offset and *atlen its byte length. */
static enum sw_err email_at(const char *s, size_t n, size_t *at, size_t *atlen,
			    struct sw_errbuf *eb)
{
	size_t i, found = 0;

	for (i = 0; i < n; i++) {
		size_t len = s[i] == '@' ? 1 : (n - i >= 3 && sw__starts(s + i, "＠")) ? 3 : 0;
		if (len == 0)
			continue;
		if (found++)
			return sw_errf(eb, SW_EINVAL, "has more than one '@'");
		*at = i, *atlen = len;
	}
	return found ? SW_OK : sw_errf(eb, SW_EINVAL, "has no '@'");
}

enum sw_err sw_valid_email(const char *in, char *out, size_t outsz, struct sw_errbuf *eb)
{
	char dom[SW_DOMAIN_MAX], canon[LOCAL_MAX + SW_DOMAIN_MAX + 2];
	struct sw_errbuf sub;
	struct sw__text t;
	size_t at = 0, atlen = 0, dn, len;
	enum sw_err rc;

	sw__clear_out(out, outsz);
	if ((rc = sw__trim(in, &t, eb)) || (rc = email_at(t.p, t.n, &at, &atlen, eb)) ||
	    (rc = email_local(t.p, at, eb)))
		return rc;
	sw_errbuf_clear(&sub);
	if (at + atlen == t.n)
		return sw_errf(eb, SW_EINVAL, "has nothing after '@'");
	if (domain_canon(t.p + at + atlen, t.n - at - atlen, dom, &dn, &sub))
		return sw_errf(eb, SW_EINVAL, "domain after '@' %s", sub.msg);
	len = (size_t)snprintf(canon, sizeof canon, "%.*s@%s", (int)at, t.p, dom);
	if (len > EMAIL_MAX)
		return sw_errf(eb, SW_EINVAL, "is longer than %d bytes", EMAIL_MAX);
	return sw__emit(out, outsz, canon, len, eb);
}
