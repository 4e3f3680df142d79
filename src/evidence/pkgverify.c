/*
 * pkgverify.c - checking an evidence package without any database, the
 * same checks docs/evidence.md does with openssl and tar by hand.
 *
 * Every problem is reported with the member it is in, so a flipped byte
 * anywhere is named: an item's hash, a chain entry, the manifest, the head
 * statement, the signature, the public key, or an archive header.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "evidence/ledger.h"
#include "evidence/tar.h"

/* One parsed chain line, what the checks need of it. */
struct centry {
	int64_t seq, size;
	char algo[8], kind[40], item_hash[SW_EV_HEX_LEN], entry_hash[SW_EV_HEX_LEN];
	int ok;
};

struct pv {
	sw_ev_problem_cb cb;
	void *arg;
	int problems;
	struct sw__tar_member *m;
	size_t nm;
	char *used;              /* per member: accounted for */
	char root[SW__TAR_NAME_MAX + 1];
	struct sw_ev_hasher *hs[2];
	struct centry *ce;
	size_t nce;
};

static void problem(struct pv *v, const char *where, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void problem(struct pv *v, const char *where, const char *fmt, ...)
{
	char what[300];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(what, sizeof what, fmt, ap);
	va_end(ap);
	v->problems++;
	if (v->cb)
		v->cb(v->arg, where, what);
}

/* Passes a tar problem on. */
static void tar_problem(void *arg, const char *where, const char *what)
{
	problem(arg, where, "%s", what);
}

/* The member root/rel, or NULL; marks it used. */
static const struct sw__tar_member *member(struct pv *v, const char *rel)
{
	char want[SW__TAR_NAME_MAX * 2 + 2];

	snprintf(want, sizeof want, "%s/%s", v->root, rel);
	for (size_t i = 0; i < v->nm; i++)
		if (!strcmp(v->m[i].name, want)) {
			v->used[i] = 1;
			return &v->m[i];
		}
	return NULL;
}

static struct sw_ev_hasher *hasher(struct pv *v, const char *algo)
{
	enum sw_ev_hash h;

	return sw_ev_hash_parse(algo, &h) ? NULL : v->hs[h];
}

/* Splits a line of n bytes at p into at most max space-separated fields
 * (copied into buf); returns the count, or -1 when a field is empty. */
static int split(const char *p, size_t n, char *buf, size_t bufn, char **f, int max)
{
	int k = 0;

	if (n >= bufn)
		return -1;
	memcpy(buf, p, n);
	buf[n] = '\0';
	for (char *s = buf; k < max;) {
		char *sp = strchr(s, ' ');

		f[k++] = s;
		if (!*s)
			return -1;
		if (!sp)
			return k;
		*sp = '\0';
		s = sp + 1;
	}
	return -1;
}

/* Parses a decimal integer field; -1 when it is not one. */
static int64_t num(const char *s)
{
	int64_t v = 0;

	if (!*s || (s[0] == '0' && s[1]))
		return -1;
	for (; *s; s++) {
		if (*s < '0' || *s > '9' || v > (INT64_MAX - 9) / 10)
			return -1;
		v = v * 10 + (*s - '0');
	}
	return v;
}

/* Checks one chain line (without its newline) after entry prev (NULL for
 * the first) and fills e. */
static void chain_line(struct pv *v, const char *p, size_t n, const struct centry *prev,
		       struct centry *e)
{
	char buf[SW__EV_ENTRY_MAX + 80], h[SW_EV_HEX_LEN], where[48], *f[14];
	const char *last = n ? memrchr(p, ' ', n) : NULL;
	int k = split(p, n, buf, sizeof buf, f, 14);
	struct sw_ev_hasher *hs = k == 13 ? hasher(v, f[1]) : NULL;

	memset(e, 0, sizeof *e);
	e->seq = k == 13 ? num(f[2]) : -1;
	snprintf(where, sizeof where, "chain.txt: entry %lld",
		 (long long)(e->seq > 0 ? e->seq : prev ? prev->seq + 1 : 0));
	if (k != 13 || strcmp(f[0], "swl1") || !hs || e->seq <= 0 || num(f[3]) < 0 ||
	    (e->size = num(f[7])) < 0 || !sw_ev_hex_ok(f[8]) || !sw_ev_hex_ok(f[11]) ||
	    !sw_ev_hex_ok(f[12]) || num(f[5]) < 0 || num(f[6]) < 0) {
		problem(v, where, "malformed entry line");
		return;
	}
	snprintf(e->algo, sizeof e->algo, "%s", f[1]);
	snprintf(e->kind, sizeof e->kind, "%s", f[4]);
	memcpy(e->item_hash, f[8], SW_EV_HEX_LEN);
	memcpy(e->entry_hash, f[12], SW_EV_HEX_LEN);
	e->ok = 1;
	if (sw_ev_hash_hex(hs, p, (size_t)(last - p), h, NULL) || strcmp(h, e->entry_hash)) {
		problem(v, where, "entry text does not hash to its stated hash");
		e->ok = 0;
	}
	if (prev && (e->seq != prev->seq + 1 || strcmp(f[11], prev->entry_hash))) {
		problem(v, where, "does not follow entry %lld (seq or previous hash)",
			(long long)prev->seq);
		e->ok = 0;
	}
	if (!prev && e->seq == 1 && strcmp(f[11], SW__EV_ZERO_HASH)) {
		problem(v, where, "first entry of the ledger does not start from zeros");
		e->ok = 0;
	}
}

/* Reads chain.txt into v->ce. */
static void chain(struct pv *v)
{
	const struct sw__tar_member *c = member(v, "chain.txt");
	const char *p, *end;

	if (!c || !c->len) {
		problem(v, "chain.txt", "missing or empty");
		return;
	}
	if (c->data[c->len - 1] != '\n') {
		problem(v, "chain.txt", "does not end with a newline");
		return;
	}
	if (!(v->ce = calloc(c->len / 100 + 1, sizeof *v->ce)))
		return;
	for (p = (const char *)c->data, end = p + c->len; p < end;) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));

		if (v->nce >= c->len / 100 + 1) {
			problem(v, "chain.txt", "lines too short to be entries");
			return;
		}
		chain_line(v, p, (size_t)(nl - p), v->nce ? &v->ce[v->nce - 1] : NULL,
			   &v->ce[v->nce]);
		v->nce++;
		p = nl + 1;
	}
}

/* The chain entry of seq, or NULL. */
static const struct centry *entry(struct pv *v, int64_t seq)
{
	if (!v->nce || seq < v->ce[0].seq || seq - v->ce[0].seq >= (int64_t)v->nce)
		return NULL;
	return &v->ce[seq - v->ce[0].seq];
}

/* True when member bytes hash (algo) to hash. */
static int hash_is(struct pv *v, const char *algo, const void *p, size_t n, const char *hash)
{
	char h[SW_EV_HEX_LEN];
	struct sw_ev_hasher *hs = hasher(v, algo);

	return hs && !sw_ev_hash_hex(hs, p, n, h, NULL) && !strcmp(h, hash);
}

/* Checks the manifest against the export entry and every item against
 * manifest and chain. */
static void manifest(struct pv *v, const struct sw__tar_member *mf,
		     void (*item_cb)(void *, const struct sw_ev_pkg_item *), void *arg)
{
	int covered = 0;
	const char *p = (const char *)mf->data, *end = p + mf->len;

	for (size_t i = 0; i < v->nce; i++)
		if (v->ce[i].ok && !strcmp(v->ce[i].kind, "export") &&
		    v->ce[i].size == (int64_t)mf->len &&
		    hash_is(v, v->ce[i].algo, mf->data, mf->len, v->ce[i].item_hash))
			covered = 1;
	if (!covered)
		problem(v, "manifest.txt", "matches no export entry of the chain");
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		char buf[600], *f[8];
		int k;

		if (!nl) {
			problem(v, "manifest.txt", "last line has no newline");
			return;
		}
		k = split(p, (size_t)(nl - p), buf, sizeof buf, f, 8);
		p = nl + 1;
		if (k == 6 && !strcmp(f[0], "item")) {
			struct sw_ev_pkg_item it = {.path = f[5], .seq = num(f[1]), .ok = 1};
			const struct sw__tar_member *m = member(v, f[5]);
			const struct centry *e = entry(v, it.seq);
			char where[SW__TAR_NAME_MAX + 1];

			snprintf(where, sizeof where, "%s", f[5]);
			if (!m) {
				problem(v, where, "listed in the manifest but missing");
				it.ok = 0;
			} else if ((int64_t)m->len != num(f[4]) ||
				   !hash_is(v, f[2], m->data, m->len, f[3])) {
				problem(v, where, "hash mismatch: its bytes do not hash to the "
					"manifest's %s %s", f[2], f[3]);
				it.ok = 0;
			}
			if (!e || !e->ok || strcmp(e->item_hash, f[3]) || strcmp(e->algo, f[2]) ||
			    e->size != num(f[4])) {
				problem(v, where, "not what chain entry %s records", f[1]);
				it.ok = 0;
			}
			if (item_cb)
				item_cb(arg, &it);
		} else if (k == 5 && !strcmp(f[0], "file")) {
			const struct sw__tar_member *m = member(v, f[1]);

			if (!m || (int64_t)m->len != num(f[4]) ||
			    !hash_is(v, f[2], m->data, m->len, f[3]))
				problem(v, f[1], "hash mismatch with the manifest");
		} else if (k < 2) {
			problem(v, "manifest.txt", "malformed line");
		}
	}
}

/* Checks head.txt against the chain and head.sig with pubkey.pem. */
static void head(struct pv *v)
{
	const struct sw__tar_member *h = member(v, "head.txt"), *s = member(v, "head.sig"),
				    *k = member(v, "pubkey.pem");
	char algo[8] = "", hash[SW_EV_HEX_LEN] = "", again[256], text[256];
	long long seq = 0, at = 0;
	const struct centry *e;
	struct sw_ev_key *key = NULL;

	if (!h || !s || !k) {
		problem(v, !h ? "head.txt" : !s ? "head.sig" : "pubkey.pem", "missing");
		return;
	}
	snprintf(text, sizeof text, "%.*s", (int)(h->len < 255 ? h->len : 255),
		 (const char *)h->data);
	if (sscanf(text, "sitewarden-ledger-head 1 %7s %lld %64s %lld", algo, &seq, hash, &at) != 4 ||
	    sw_ev_head_text(again, sizeof again, algo, seq, hash, at) != (int)h->len ||
	    memcmp(again, h->data, h->len)) {
		problem(v, "head.txt", "malformed head statement");
	} else if (!(e = entry(v, seq)) || e != &v->ce[v->nce - 1] || strcmp(e->entry_hash, hash) ||
		   strcmp(e->algo, algo)) {
		problem(v, "head.txt", "does not name the last chain entry and its hash");
	}
	if (sw_ev_key_from_pub(k->data, k->len, &key, NULL)) {
		problem(v, "pubkey.pem", "not an SM2 or Ed25519 public key");
		return;
	}
	if (sw_ev_key_verify(key, h->data, h->len, s->data, s->len, NULL))
		problem(v, "head.sig (over head.txt)",
			"bad signature: does not verify over head.txt with pubkey.pem");
	sw_ev_key_free(key);
}

/* Finds the one top directory every member is under. */
static int root(struct pv *v)
{
	const char *slash = v->nm ? strchr(v->m[0].name, '/') : NULL;
	size_t n;

	if (!slash) {
		problem(v, v->nm ? v->m[0].name : "archive", "not under a package directory");
		return -1;
	}
	n = (size_t)(slash - v->m[0].name);
	memcpy(v->root, v->m[0].name, n);
	v->root[n] = '\0';
	for (size_t i = 1; i < v->nm; i++)
		if (strncmp(v->m[i].name, v->root, n) || v->m[i].name[n] != '/') {
			problem(v, v->m[i].name, "outside the package directory %s", v->root);
			return -1;
		}
	return 0;
}

enum sw_err sw_evidence_verify_package(const void *pkg, size_t len, sw_ev_problem_cb cb,
				       void *arg,
				       void (*item_cb)(void *arg, const struct sw_ev_pkg_item *it),
				       struct sw_errbuf *eb)
{
	struct pv v = {.cb = cb, .arg = arg};
	const struct sw__tar_member *mf;
	enum sw_err rc;

	if (len > SW_EV_PACKAGE_MAX)
		return sw_errf(eb, SW_ELIMIT, "package is over %zu bytes", SW_EV_PACKAGE_MAX);
	rc = sw__tar_read(pkg, len, &v.m, &v.nm, tar_problem, &v);
	if (rc == SW_ENOMEM)
		return rc;
	if ((rc = sw_ev_hasher_new(SW_EV_SM3, &v.hs[0], eb)) ||
	    (rc = sw_ev_hasher_new(SW_EV_SHA256, &v.hs[1], eb)))
		goto out;
	if (!(v.used = calloc(v.nm + 1, 1))) {
		rc = SW_ENOMEM;
		goto out;
	}
	if (!root(&v)) {
		chain(&v);
		if (!(mf = member(&v, "manifest.txt")))
			problem(&v, "manifest.txt", "missing");
		else
			manifest(&v, mf, item_cb, arg);
		head(&v);
		for (size_t i = 0; i < v.nm; i++)
			if (!v.used[i])
				problem(&v, v.m[i].name, "not listed in the manifest");
	}
	rc = v.problems ? SW_EINVAL : SW_OK;
out:
	sw_ev_hasher_free(v.hs[0]);
	sw_ev_hasher_free(v.hs[1]);
	free(v.m);
	free(v.used);
	free(v.ce);
	return rc;
}
