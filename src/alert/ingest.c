/*
 * ingest.c - one recorded check's findings into alerts.
 *
 * Facts that shaped it: a site is checked every few minutes, so the same
 * finding arrives hundreds of times a day and must stay one alert with a
 * count; a check that could not look (site down, analysis limits) says
 * nothing about content, so only the families a check covered can resolve;
 * and a silenced finding still counts (the record stays whole) but is not
 * announced.
 */
#include "alert/alert.h"

#include <jansson.h>
#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/finding.h"

void sw_alert_changes_init(struct sw_alert_changes *c)
{
	memset(c, 0, sizeof *c);
}

void sw_alert_changes_cleanup(struct sw_alert_changes *c)
{
	free(c->v);
	sw_alert_changes_init(c);
}

const char *sw_alert_change_name(enum sw_alert_change_kind k)
{
	static const char *const names[] = {"new", "reopened", "resolved"};

	return (unsigned)k <= SW_ALERT_CH_RESOLVED ? names[k] : "?";
}

/* Copies the family of kind (text before the dot) into fam. */
static void family_of(const char *kind, char *fam, size_t cap)
{
	size_t n = strcspn(kind, ".");

	snprintf(fam, cap, "%.*s", (int)(n < cap ? n : cap - 1), kind);
}

unsigned sw_alert_cover_needed(const char *kind)
{
	static const struct {
		const char *fam;
		unsigned bit;
	} map[] = {
		{"availability", 0},
		{"dns", SW_ALERT_COVER_REACHED},
		{"tls", SW_ALERT_COVER_REACHED},
		{"redirect", SW_ALERT_COVER_REACHED},
		{"darklink", SW_ALERT_COVER_CONTENT},
		{"trojan", SW_ALERT_COVER_CONTENT},
		{"defacement", SW_ALERT_COVER_CONTENT},
		{"sensitive", SW_ALERT_COVER_CONTENT},
		{"compliance", SW_ALERT_COVER_CONTENT},
		{"analysis", SW_ALERT_COVER_CONTENT},
		{"exposure", SW_ALERT_COVER_EXPOSURE},
	};
	char fam[32];

	family_of(kind, fam, sizeof fam);
	for (size_t i = 0; i < sizeof map / sizeof map[0]; i++)
		if (!strcmp(map[i].fam, fam))
			return map[i].bit;
	return ~0u;
}

/* Writes "sha256:<hex of s>" into fp. */
static void hashed(const char *s, char *fp, size_t cap)
{
	unsigned char md[32];
	unsigned int len = 0;
	char hex[65];

	EVP_Digest(s, strlen(s), md, &len, EVP_sha256(), NULL);
	for (unsigned i = 0; i < 32; i++)
		snprintf(hex + 2 * i, 3, "%02x", md[i]);
	snprintf(fp, cap, "sha256:%s", hex);
}

void sw_alert_fingerprint(const char *kind, const char *evidence, char *fp, size_t cap)
{
	/* Which evidence member names the thing a finding is about, in order
	 * of preference per family: a dark link is its domain (one spammer,
	 * many URLs), a script its URL, an exposed file its path.  Families
	 * without one (defacement, availability, tls) are the kind alone. */
	static const char *const darklink[] = {"domain", "target", NULL};
	static const char *const trojan[] = {"target", "domain", NULL};
	static const char *const exposure[] = {"path", "url", NULL};
	static const char *const sensitive[] = {"target", NULL};
	static const char *const agent[] = {"path", "agent", NULL};
	const char *const *keys = NULL;
	const char *v = NULL;
	json_t *ev = NULL;
	char fam[32];

	fp[0] = '\0';
	family_of(kind ? kind : "", fam, sizeof fam);
	if (!strcmp(fam, "darklink"))
		keys = darklink;
	else if (!strcmp(fam, "trojan"))
		keys = trojan;
	else if (!strcmp(fam, "exposure"))
		keys = exposure;
	else if (!strcmp(fam, "sensitive"))
		keys = sensitive;
	else if (!strcmp(fam, "agent"))
		keys = agent;
	if (!keys || !evidence || !(ev = json_loads(evidence, JSON_REJECT_DUPLICATES, NULL)))
		return;
	for (size_t i = 0; keys[i] && !v; i++) {
		const char *s = json_string_value(json_object_get(ev, keys[i]));

		if (s && *s)
			v = s;
	}
	if (v && strlen(v) < 72 && strlen(v) < cap)
		snprintf(fp, cap, "%s", v);
	else if (v)
		hashed(v, fp, cap);
	json_decref(ev);
}

/* Appends one change; SW_ENOMEM when the list cannot grow. */
static enum sw_err add_change(struct sw_alert_changes *out, int64_t id, int64_t site_id,
			      enum sw_alert_change_kind k, const char *kind, const char *sev,
			      const char *title, const char *fp)
{
	struct sw_alert_change *x;

	if (out->n == out->cap) {
		size_t cap = out->cap ? 2 * out->cap : 8;
		struct sw_alert_change *v = realloc(out->v, cap * sizeof *v);

		if (!v)
			return SW_ENOMEM;
		out->v = v;
		out->cap = cap;
	}
	x = &out->v[out->n++];
	memset(x, 0, sizeof *x);
	x->alert_id = id;
	x->site_id = site_id;
	x->change = k;
	snprintf(x->kind, sizeof x->kind, "%s", kind);
	snprintf(x->severity, sizeof x->severity, "%s", sev);
	snprintf(x->title, sizeof x->title, "%s", title ? title : "");
	snprintf(x->fingerprint, sizeof x->fingerprint, "%s", fp ? fp : "");
	return SW_OK;
}

/* One finding: a new alert, a reopened one or one more sighting. */
static enum sw_err one(struct sw_store *st, const struct sw_alert_check *c,
		       const struct sw_check_finding *f, struct sw_alert_changes *out,
		       struct sw_errbuf *eb)
{
	struct sw_alert_brief b;
	char fp[80], fam[32];
	int64_t until = 0, id;
	const char *state = NULL;
	enum sw_err rc;
	int reopen = 0;

	if (!f->kind || !f->severity || !f->title)
		return sw_errf(eb, SW_EINVAL, "a finding needs a kind, a severity and a title");
	sw_alert_fingerprint(f->kind, f->evidence, fp, sizeof fp);
	family_of(f->kind, fam, sizeof fam);
	if ((rc = sw_store_silenced(st, c->site_id, c->group_id, fam, c->checked_at, &until, eb)))
		return rc;
	out->seen++;
	rc = sw_store_alert_lookup(st, c->site_id, f->kind, fp, &b, eb);
	if (rc == SW_ENOTFOUND) {
		struct sw_alert_row r = {
			.site_id = c->site_id, .kind = f->kind, .fingerprint = fp,
			.severity = f->severity, .title = f->title, .evidence = f->evidence,
			.state = until ? SW_ALERT_SUPPRESSED : SW_ALERT_OPEN,
			.first_seen = c->checked_at, .first_check_id = c->check_id,
			.state_by = until ? "silence" : NULL, .suppressed_until = until,
		};

		if ((rc = sw_store_alert_insert(st, &r, &id, eb)) || until)
			return rc;
		return add_change(out, id, c->site_id, SW_ALERT_CH_NEW, f->kind, f->severity,
				  f->title, fp);
	}
	if (rc)
		return rc;
	if (!strcmp(b.state, SW_ALERT_RESOLVED))
		reopen = 1;
	else if (!strcmp(b.state, SW_ALERT_SUPPRESSED) && b.suppressed_until > 0 &&
		 b.suppressed_until <= c->checked_at)
		reopen = 1; /* the suppression ran out while the problem stayed */
	else if (!strcmp(b.state, SW_ALERT_SUPPRESSED) && !strcmp(b.state_by, "silence") && !until)
		reopen = 1; /* the silence that hid it was lifted */
	if (reopen)
		state = until ? SW_ALERT_SUPPRESSED : SW_ALERT_OPEN;
	else if (!strcmp(b.state, SW_ALERT_OPEN) && until)
		state = SW_ALERT_SUPPRESSED; /* a window began over an open alert */
	if ((rc = sw_store_alert_seen(st, b.id, c->check_id, c->checked_at, f->severity, f->title,
				      f->evidence, state, until, eb)))
		return rc;
	if (reopen && !until)
		rc = add_change(out, b.id, c->site_id, SW_ALERT_CH_REOPENED, f->kind, f->severity,
				f->title, fp);
	return rc;
}

/* Unresolved alerts of the site that this check covered but did not see. */
struct gone {
	const struct sw_alert_check *c;
	struct sw_alert_changes *list; /* collected first: no writes mid-walk */
	enum sw_err rc;
};

static int collect_gone(void *arg, const struct sw_alert_row *a)
{
	struct gone *g = arg;
	unsigned need = sw_alert_cover_needed(a->kind);

	if (a->last_check_id == g->c->check_id || need == ~0u || (need & ~g->c->covered))
		return 0;
	g->rc = add_change(g->list, a->id, a->site_id, SW_ALERT_CH_RESOLVED, a->kind, a->severity,
			   a->title, a->fingerprint);
	return g->rc != SW_OK;
}

/* Resolves what the check no longer shows; reports the ones people knew
 * of (a silenced alert resolves quietly). */
static enum sw_err resolve_gone(struct sw_store *st, const struct sw_alert_check *c,
				struct sw_alert_changes *out, struct sw_errbuf *eb)
{
	struct sw_alert_changes list;
	struct gone g = {c, &list, SW_OK};
	enum sw_err rc;

	sw_alert_changes_init(&list);
	rc = sw_store_alert_unresolved(st, c->site_id, collect_gone, &g, eb);
	if (!rc)
		rc = g.rc;
	for (size_t i = 0; !rc && i < list.n; i++) {
		struct sw_alert_change *x = &list.v[i];

		rc = sw_store_alert_set_state(st, x->alert_id, SW_ALERT_RESOLVED, c->checked_at,
					      "auto", NULL, 0, eb);
		if (!rc)
			rc = add_change(out, x->alert_id, x->site_id, x->change, x->kind, x->severity,
					x->title, x->fingerprint);
	}
	sw_alert_changes_cleanup(&list);
	return rc;
}

enum sw_err sw_alert_ingest(struct sw_store *st, const struct sw_alert_check *c,
			    const struct sw_check_finding *f, size_t n,
			    struct sw_alert_changes *out, struct sw_errbuf *eb)
{
	size_t mark = out->n;
	enum sw_err rc;

	if (!c || c->site_id <= 0 || c->check_id <= 0)
		return sw_errf(eb, SW_EINVAL, "ingest needs a site and a recorded check");
	if (n && !f)
		return sw_errf(eb, SW_EINVAL, "no findings given");
	if ((rc = sw_store_begin(st, eb)))
		return rc;
	for (size_t i = 0; !rc && i < n; i++)
		rc = one(st, c, &f[i], out, eb);
	if (!rc)
		rc = resolve_gone(st, c, out, eb);
	if (rc) {
		sw_store_rollback(st);
		out->n = mark;
		return rc;
	}
	return sw_store_commit(st, eb);
}

enum sw_err sw_alert_ingest_event(struct sw_store *st, int64_t site_id, int64_t group_id,
				  int64_t at, const struct sw_check_finding *f,
				  struct sw_alert_changes *out, struct sw_errbuf *eb)
{
	struct sw_alert_check c = {.site_id = site_id, .group_id = group_id, .checked_at = at};
	size_t mark = out->n;
	enum sw_err rc;

	if (site_id <= 0 || !f)
		return sw_errf(eb, SW_EINVAL, "an event needs a site and a finding");
	if ((rc = sw_store_begin(st, eb)))
		return rc;
	if ((rc = one(st, &c, f, out, eb))) {
		sw_store_rollback(st);
		out->n = mark;
		return rc;
	}
	return sw_store_commit(st, eb);
}

enum sw_err sw_alert_ack(struct sw_store *st, int64_t id, int64_t now, const char *by,
			 const char *note, struct sw_errbuf *eb)
{
	return sw_store_alert_set_state(st, id, SW_ALERT_ACK, now, by, note, 0, eb);
}

enum sw_err sw_alert_resolve(struct sw_store *st, int64_t id, int64_t now, const char *by,
			     const char *note, struct sw_errbuf *eb)
{
	return sw_store_alert_set_state(st, id, SW_ALERT_RESOLVED, now, by, note, 0, eb);
}

enum sw_err sw_alert_suppress(struct sw_store *st, int64_t id, int64_t now, int64_t until,
			      const char *by, const char *note, struct sw_errbuf *eb)
{
	if (until && until <= now)
		return sw_errf_field(eb, SW_EINVAL, "until", "a suppression must end in the future");
	return sw_store_alert_set_state(st, id, SW_ALERT_SUPPRESSED, now, by, note, until, eb);
}
