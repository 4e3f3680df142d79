/*
 * checks.c - availability, TLS, DNS and redirect findings from one fetch.
 *
 * False alarms cost a supervisor's trust, so each rule reports one cause
 * once: an expired certificate is "expired", not also "untrusted"; a host
 * that does not resolve is a DNS finding, not also "down".
 */
#include "probe/checks.h"

#include <inttypes.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

/* OpenSSL verify codes this file tells apart (X509_V_ERR_*). */
enum {
	V_CERT_HAS_EXPIRED = 10,
	V_DEPTH_ZERO_SELF_SIGNED = 18,
	V_SELF_SIGNED_IN_CHAIN = 19,
};

/* Evidence shared by most findings: where the fetch went and how it ended. */
static char *evidence(const struct sw_fetch_result *r)
{
	json_t *o = json_pack("{s:s, s:s?, s:i, s:s, s:I, s:s}", "url", r->url, "final_url",
			      r->final_url, "status", (int)r->status, "ip", r->primary_ip,
			      "elapsed_ms", (json_int_t)(r->elapsed_us / 1000), "error",
			      sw_fetch_errname(r->err));
	char *s = o ? json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER) : NULL;

	json_decref(o);
	return s;
}

/* The redirect chain as evidence. */
static char *chain_evidence(const struct sw_fetch_result *r)
{
	json_t *hops = json_array(), *o;
	char *s;

	for (size_t i = 0; i < r->n_hops; i++)
		json_array_append_new(hops, json_pack("{s:s, s:i, s:b}", "url", r->hops[i].url,
						      "status", (int)r->hops[i].status, "cross_domain",
						      r->hops[i].cross_domain));
	o = json_pack("{s:s, s:o}", "url", r->url, "hops", hops);
	s = o ? json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER) : NULL;
	json_decref(o);
	return s;
}

/* Adds one finding with the common evidence; returns the add's result. */
static enum sw_err add(struct sw_findings *out, const struct sw_fetch_result *r,
		       const char *kind, enum sw_sev sev, const char *title)
{
	char *ev = evidence(r);
	enum sw_err rc = sw_findings_add(out, kind, sev, ev, "%s", title);

	free(ev);
	return rc;
}

/* Findings of a fetch that failed before a usable response. */
static enum sw_err failed(const struct sw_fetch_result *r, const struct sw_policy *p,
			  struct sw_findings *out)
{
	char title[400];

	snprintf(title, sizeof title, "%s: %s", sw_fetch_strerror(r->err), r->errmsg);
	switch (r->err) {
	case SW_FETCH_ENXDOMAIN:
		/* The name itself is gone (expired domain, deleted zone): a DNS
		 * finding.  A resolver that did not answer (SW_FETCH_EDNS) says
		 * nothing about the name and is an availability failure. */
		if (sw_policy_has(p, "checks", "dns"))
			return add(out, r, "dns.nxdomain", SW_SEV_HIGH, title);
		break;
	case SW_FETCH_ETIMEOUT:
		return add(out, r, "availability.timeout", SW_SEV_HIGH, title);
	case SW_FETCH_ETLS:
		if (sw_policy_has(p, "checks", "tls"))
			return add(out, r, "tls.handshake", SW_SEV_HIGH, title);
		break;
	case SW_FETCH_ELOOP:
	case SW_FETCH_EREDIRECTS:
		if (sw_policy_has(p, "checks", "redirect")) {
			char *ev = chain_evidence(r);
			enum sw_err rc = sw_findings_add(
				out, r->err == SW_FETCH_ELOOP ? "redirect.loop" : "redirect.too_many",
				SW_SEV_HIGH, ev, "%s", title);

			free(ev);
			return rc;
		}
		break;
	default:
		break;
	}
	if (!sw_policy_has(p, "checks", "availability"))
		return SW_OK;
	return add(out, r, "availability.down", SW_SEV_HIGH, title);
}

/* True when the body holds nothing but white space. */
static int blank_body(const struct sw_fetch_result *r)
{
	for (size_t i = 0; i < r->body_len; i++)
		if (!strchr(" \t\r\n", r->body[i]))
			return 0;
	return 1;
}

/* HTTP status, time and size findings of a response that arrived. */
static enum sw_err availability(const struct sw_fetch_result *r, const struct sw_policy *p,
				struct sw_findings *out)
{
	long slow_ms = sw_policy_int(p, "slow_ms");
	char title[200];
	enum sw_err rc = SW_OK;

	if (r->status >= 400) {
		snprintf(title, sizeof title, "home page answers HTTP %ld", r->status);
		return add(out, r, "availability.http_error", SW_SEV_HIGH, title);
	}
	if (r->elapsed_us / 1000 > slow_ms) {
		snprintf(title, sizeof title, "page took %" PRId64 " ms (threshold %ld ms)",
			 r->elapsed_us / 1000, slow_ms);
		rc = add(out, r, "availability.slow", SW_SEV_LOW, title);
	}
	if (!rc && r->err == SW_FETCH_ETOOLARGE) {
		snprintf(title, sizeof title, "page larger than the cap; kept %zu bytes", r->body_len);
		rc = add(out, r, "availability.too_large", SW_SEV_LOW, title);
	}
	if (!rc && r->status >= 200 && r->status < 300 && blank_body(r))
		rc = add(out, r, "availability.empty", SW_SEV_MEDIUM, "home page is empty");
	return rc;
}

/* Certificate and protocol findings of an HTTPS response. */
static enum sw_err tls(const struct sw_fetch_result *r, const struct sw_policy *p,
		       const struct sw_check_ctx *ctx, struct sw_findings *out)
{
	const struct sw_fetch_tls *t = &r->tls;
	const struct sw_fetch_cert *leaf = t->n_certs ? &t->certs[0] : NULL;
	long warn_days = sw_policy_int(p, "tls_warn_days");
	char title[400];
	enum sw_err rc = SW_OK;

	if (!t->present)
		return SW_OK;
	if (leaf && leaf->not_after < ctx->now) {
		snprintf(title, sizeof title, "certificate expired %lld day(s) ago",
			 (long long)((ctx->now - leaf->not_after) / 86400));
		rc = add(out, r, "tls.expired", SW_SEV_HIGH, title);
	} else if (leaf && leaf->not_after - ctx->now < (time_t)warn_days * 86400) {
		snprintf(title, sizeof title, "certificate expires in %lld day(s)",
			 (long long)((leaf->not_after - ctx->now) / 86400));
		rc = add(out, r, "tls.expiring", SW_SEV_MEDIUM, title);
	}
	if (!rc && !t->name_match) {
		snprintf(title, sizeof title, "certificate does not name this host (subject %s)",
			 leaf && leaf->subject ? leaf->subject : "?");
		rc = add(out, r, "tls.name_mismatch", SW_SEV_HIGH, title);
	}
	/* An expired certificate fails verification for that reason alone;
	 * "untrusted" is for chains that would not verify even in date. */
	if (!rc && !t->verified && t->verify_code != V_CERT_HAS_EXPIRED) {
		int self = t->verify_code == V_DEPTH_ZERO_SELF_SIGNED ||
			   t->verify_code == V_SELF_SIGNED_IN_CHAIN;

		snprintf(title, sizeof title, "%s (%s)",
			 self ? "self-signed certificate" : "certificate chain not trusted",
			 t->verify_msg);
		rc = add(out, r, "tls.untrusted", SW_SEV_MEDIUM, title);
	}
	if (!rc && t->version_num && t->version_num < 0x0303) {
		snprintf(title, sizeof title, "server negotiated %s (TLS 1.2 or newer expected)",
			 t->version);
		rc = add(out, r, "tls.old_protocol", SW_SEV_MEDIUM, title);
	}
	return rc;
}

/* An address outside what the register knows may be a hijack. */
static enum sw_err dns(const struct sw_fetch_result *r, const struct sw_check_ctx *ctx,
		       struct sw_findings *out)
{
	char title[300];

	if (!ctx->known_ips || !ctx->known_ips[0] || !r->primary_ip[0] || r->n_hops > 1)
		return SW_OK;
	for (const char *const *ip = ctx->known_ips; *ip; ip++)
		if (strcmp(*ip, r->primary_ip) == 0)
			return SW_OK;
	snprintf(title, sizeof title, "host answered from %s, which the register does not list (%s%s)",
		 r->primary_ip, ctx->known_ips[0], ctx->known_ips[1] ? ", ..." : "");
	return add(out, r, "dns.changed", SW_SEV_HIGH, title);
}

enum sw_err sw_probe_checks(const struct sw_fetch_result *r, const struct sw_policy *p,
			    const struct sw_check_ctx *ctx, struct sw_findings *out)
{
	enum sw_err rc = SW_OK;

	if (r->err == SW_FETCH_EABORTED)
		return SW_OK;
	if (r->err != SW_FETCH_OK && r->err != SW_FETCH_ETOOLARGE)
		return failed(r, p, out);
	if (sw_policy_has(p, "checks", "availability"))
		rc = availability(r, p, out);
	if (!rc && sw_policy_has(p, "checks", "tls"))
		rc = tls(r, p, ctx, out);
	if (!rc && sw_policy_has(p, "checks", "dns"))
		rc = dns(r, ctx, out);
	if (!rc && r->cross_domain && sw_policy_has(p, "checks", "redirect")) {
		char *ev = chain_evidence(r);

		rc = sw_findings_add(out, "redirect.cross_domain", SW_SEV_HIGH, ev,
				     "site redirects to another domain: %s", r->final_url);
		free(ev);
	}
	return rc;
}
