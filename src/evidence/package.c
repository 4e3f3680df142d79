/*
 * package.c - exporting evidence as a self-contained ustar package.
 *
 * Layout (LABEL/ prefix on every member):
 *   manifest.txt   what is inside: every item's seq, hash, size and path,
 *                  the public key's hash, the algorithms
 *   items/SEQ-NAME the frozen bytes, exactly as stored
 *   pubkey.pem     the ledger's public key
 *   chain.txt      the ledger entries from the first item to the head,
 *                  the export's own entry (whose item is manifest.txt) last
 *   head.txt       the signed head statement, naming that last entry
 *   head.sig       the signature over head.txt
 * Every byte is covered: items by the manifest and the chain, the manifest
 * by the export entry, the chain by its links up to the signed head, the
 * signature by verification, and the archive headers by their checksums
 * (the strict reader in tar.c).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "evidence/ledger.h"
#include "evidence/tar.h"

#define LABEL_MAX 32
#define ITEM_NAME_MAX 32

/* One exported item, copied out of its ledger row. */
struct exp_item {
	int64_t seq, size;
	char algo[8], hash[SW_EV_HEX_LEN], kind[40], path[SW__TAR_NAME_MAX + 1];
	char name[SW__EV_NAME_MAX + 1];
	int found;
};

static int cmp_i64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

	return x < y ? -1 : x > y;
}

/* True when label is 1-32 bytes of [A-Za-z0-9._-] not starting with '.'. */
static int label_ok(const char *l)
{
	size_t n = l ? strlen(l) : 0;

	return n && n <= LABEL_MAX && l[0] != '.' &&
	       strspn(l, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-") == n;
}

/* Copies the row into the exp_item at arg. */
static int item_cb(void *arg, const struct sw_ev_row *r)
{
	struct exp_item *it = arg;
	size_t o = 0;

	it->found = 1;
	it->size = r->size;
	snprintf(it->algo, sizeof it->algo, "%s", r->algo);
	snprintf(it->hash, sizeof it->hash, "%s", r->item_hash);
	snprintf(it->kind, sizeof it->kind, "%s", r->kind);
	snprintf(it->name, sizeof it->name, "%s", r->name);
	/* The member name: seq, then the item's name with anything but
	 * [A-Za-z0-9._-] made '_', cut to 32 bytes. */
	o = (size_t)snprintf(it->path, sizeof it->path, "items/%lld-", (long long)r->seq);
	for (const char *p = r->name; *p && o < sizeof it->path - 1; p++) {
		if (o >= strlen("items/") + 21 + ITEM_NAME_MAX)
			break;
		it->path[o++] = strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
				       "0123456789.-_", *p) ? *p : '_';
	}
	it->path[o] = '\0';
	return 1;
}

struct chain_ctx {
	struct sw_ev_buf *b;
	int bad;
};

/* Appends one ledger row to chain.txt. */
static int chain_cb(void *arg, const struct sw_ev_row *r)
{
	struct chain_ctx *c = arg;
	char text[SW__EV_ENTRY_MAX];
	int n = sw__ev_entry_text(r, text);

	if (n < 0 || !r->entry_hash) {
		c->bad = 1;
		return 1;
	}
	sw__ev_buf_add(c->b, text, (size_t)n);
	sw__ev_buf_printf(c->b, " %s\n", r->entry_hash);
	return c->b->oom;
}

/* Loads items[i]'s bytes, checking them against the entry. */
static enum sw_err load_item(struct sw_evidence *ev, const struct exp_item *it,
			     unsigned char **bytes, size_t *len, struct sw_errbuf *eb)
{
	char h[SW_EV_HEX_LEN];
	struct sw_ev_hasher *hs = sw__ev_hasher(ev, it->algo);
	enum sw_err rc;

	if ((rc = sw_store_ev_blob_get(ev->st, it->algo, it->hash, bytes, len, eb)))
		return rc;
	if (!hs || sw_ev_hash_hex(hs, *bytes, *len, h, NULL) || strcmp(h, it->hash) ||
	    (int64_t)*len != it->size) {
		free(*bytes);
		*bytes = NULL;
		return sw_errf(eb, SW_ESTORE, "the stored bytes of entry %lld do not match its hash; "
			       "run 'sitewarden evidence ledger verify'", (long long)it->seq);
	}
	return SW_OK;
}

/* Reads the entries seqs names (sorted, unique) into a new array. */
static enum sw_err collect(struct sw_evidence *ev, int64_t *seqs, size_t *n,
			   struct exp_item **out, struct sw_errbuf *eb)
{
	struct exp_item *items;
	size_t k = 0;
	enum sw_err rc;

	qsort(seqs, *n, sizeof *seqs, cmp_i64);
	if (!(items = calloc(*n ? *n : 1, sizeof *items)))
		return SW_ENOMEM;
	for (size_t i = 0; i < *n; i++) {
		if (k && seqs[i] == items[k - 1].seq)
			continue;
		items[k].seq = seqs[i];
		if ((rc = sw_store_ev_get(ev->st, seqs[i], item_cb, &items[k], eb)))
			goto fail;
		if (!strcmp(items[k].kind, "export")) {
			rc = sw_errf(eb, SW_EINVAL, "entry %lld is an export record, not evidence",
				     (long long)seqs[i]);
			goto fail;
		}
		k++;
	}
	*n = k;
	*out = items;
	return SW_OK;
fail:
	free(items);
	return rc;
}

/* Writes the manifest of the items and the public key into m. */
static void manifest(struct sw_evidence *ev, const char *label, const struct exp_item *items,
		     size_t n, int64_t now, struct sw_ev_buf *m, struct sw_errbuf *eb)
{
	const char *algo = sw_ev_hash_name(ev->hash);
	char h[SW_EV_HEX_LEN] = "";
	size_t plen;
	const char *pem = sw_ev_key_pub_pem(ev->key, &plen);
	enum sw_ev_sig alg = sw_ev_key_alg(ev->key);

	sw_ev_hash_hex(ev->hs[ev->hash], pem, plen, h, eb);
	sw__ev_buf_printf(m, "sitewarden-evidence-package 1\nlabel %s\ncreated %lld\nhash %s\n",
			  label, (long long)now, algo);
	sw__ev_buf_printf(m, "signature %s %s\nkey %s\n", sw_ev_sig_name(alg),
			  alg == SW_EV_SM2 ? SW_EV_SM2_ID : "-", sw_ev_key_id(ev->key));
	sw__ev_buf_printf(m, "file pubkey.pem %s %s %zu\n", algo, h, plen);
	for (size_t i = 0; i < n; i++)
		sw__ev_buf_printf(m, "item %lld %s %s %lld %s\n", (long long)items[i].seq,
				  items[i].algo, items[i].hash, (long long)items[i].size,
				  items[i].path);
}

/* Adds the items' bytes to the archive under root. */
static enum sw_err add_items(struct sw_evidence *ev, const char *root,
			     const struct exp_item *items, size_t n, int64_t now,
			     struct sw_ev_buf *tar, struct sw_errbuf *eb)
{
	char path[SW__TAR_NAME_MAX + 64];

	for (size_t i = 0; i < n; i++) {
		unsigned char *bytes;
		size_t len;
		enum sw_err rc = load_item(ev, &items[i], &bytes, &len, eb);

		if (rc)
			return rc;
		snprintf(path, sizeof path, "%s/%s", root, items[i].path);
		sw__tar_add(tar, path, bytes, len, now);
		free(bytes);
		if (tar->oom)
			return sw_errf(eb, SW_ELIMIT, "package is over %zu bytes", SW_EV_PACKAGE_MAX);
	}
	return SW_OK;
}

/* Appends member root/name holding b's bytes. */
static void add_buf(struct sw_ev_buf *tar, const char *root, const char *name,
		    const void *p, size_t len, int64_t now)
{
	char path[SW__TAR_NAME_MAX + 64];

	snprintf(path, sizeof path, "%s/%s", root, name);
	sw__tar_add(tar, path, p, len, now);
}

enum sw_err sw_evidence_export(struct sw_evidence *ev, const int64_t *seqs_in, size_t n,
			       const char *label, unsigned char **pkg, size_t *len,
			       struct sw_errbuf *eb)
{
	struct sw_ev_buf m = {0}, chain = {0}, tar = {0};
	struct exp_item *items = NULL;
	struct chain_ctx cc = {.b = &chain};
	int64_t *seqs = NULL, signed_seq, now = (int64_t)time(NULL);
	unsigned char *sig = NULL;
	size_t sig_len = 0, plen;
	char head[256];
	const char *pem;
	enum sw_err rc;

	*pkg = NULL;
	*len = 0;
	if (!ev->key)
		return sw_errf(eb, SW_EINVAL, "exporting needs the signing key");
	if (!label_ok(label))
		return sw_errf_field(eb, SW_EINVAL, "label",
				     "a package label is 1-%d characters of A-Z a-z 0-9 . _ -",
				     LABEL_MAX);
	if (!n)
		return sw_errf(eb, SW_ENOTFOUND, "no evidence to export");
	if (n > SW_EV_EXPORT_MAX_ITEMS)
		return sw_errf(eb, SW_ELIMIT, "at most %d items per package",
			       SW_EV_EXPORT_MAX_ITEMS);
	if (!(seqs = malloc(n * sizeof *seqs)))
		return SW_ENOMEM;
	memcpy(seqs, seqs_in, n * sizeof *seqs);
	if ((rc = collect(ev, seqs, &n, &items, eb)))
		goto out;
	/* The items go in before anything is appended: a damaged item stops
	 * the export without leaving an export entry behind. */
	if ((rc = add_items(ev, label, items, n, now, &tar, eb)))
		goto out;
	manifest(ev, label, items, n, now, &m, eb);
	if (m.oom) {
		rc = SW_ENOMEM;
		goto out;
	}
	{
		struct sw_ev_item ex = {.kind = "export", .name = label, .media_type = "text/plain",
					.bytes = m.p, .len = m.len};

		if ((rc = sw_evidence_add(ev, &ex, 1, NULL, eb)))
			goto out;
	}
	if ((rc = sw__ev_sign(ev, 1, &signed_seq, head, sizeof head, &sig, &sig_len, eb)))
		goto out;
	/* From the first item to the signed head, which is our export entry
	 * or, when another writer appended meanwhile, a later one. */
	if ((rc = sw_store_ev_range(ev->st, items[0].seq, signed_seq, chain_cb, &cc, eb)))
		goto out;
	if (cc.bad || chain.oom) {
		rc = sw_errf(eb, cc.bad ? SW_ESTORE : SW_ELIMIT,
			     cc.bad ? "a ledger entry is malformed" : "chain segment too large");
		goto out;
	}
	pem = sw_ev_key_pub_pem(ev->key, &plen);
	add_buf(&tar, label, "manifest.txt", m.p, m.len, now);
	add_buf(&tar, label, "pubkey.pem", pem, plen, now);
	add_buf(&tar, label, "chain.txt", chain.p, chain.len, now);
	add_buf(&tar, label, "head.txt", head, strlen(head), now);
	add_buf(&tar, label, "head.sig", sig, sig_len, now);
	sw__tar_end(&tar);
	if (tar.oom) {
		rc = sw_errf(eb, SW_ELIMIT, "package is over %zu bytes", SW_EV_PACKAGE_MAX);
		goto out;
	}
	*pkg = tar.p;
	*len = tar.len;
	tar.p = NULL;
out:
	free(seqs);
	free(items);
	free(sig);
	sw__ev_buf_free(&m);
	sw__ev_buf_free(&chain);
	sw__ev_buf_free(&tar);
	return rc;
}
