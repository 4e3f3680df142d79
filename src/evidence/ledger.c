/*
 * ledger.c - the evidence handle, appending to the hash chain, signing its
 * head and checking the whole stored chain.
 *
 * Appending reads the head and inserts the next seq inside one
 * transaction.  Two writers on PostgreSQL can read the same head; the
 * second insert then hits the seq primary key, the transaction is rolled
 * back and tried again on the new head, so the chain never forks.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "evidence/ledger.h"

/* Attempts at an append that loses the race for a seq. */
#define APPEND_TRIES 8

void sw_ev_opts_init(struct sw_ev_opts *o)
{
	memset(o, 0, sizeof *o);
	o->hash = SW_EV_SM3;
	o->sig = SW_EV_SM2;
	o->sign_interval = 3600;
}

void sw_ev_default_key_dir(const char *db, char *buf, size_t n)
{
	const char *slash;

	if (!db || !strncmp(db, "postgres", 8)) {
		snprintf(buf, n, "var/keys");
		return;
	}
	slash = strrchr(db, '/');
	if (!slash)
		snprintf(buf, n, "keys");
	else
		snprintf(buf, n, "%.*s/keys", (int)(slash - db), db);
}

enum sw_err sw_evidence_open(struct sw_store *st, const struct sw_ev_opts *o,
			     struct sw_evidence **out, struct sw_errbuf *eb)
{
	struct sw_ev_opts def;
	struct sw_evidence *ev;
	enum sw_err rc;

	*out = NULL;
	if (!o) {
		sw_ev_opts_init(&def);
		o = &def;
	}
	if (!(ev = calloc(1, sizeof *ev)))
		return SW_ENOMEM;
	ev->st = st;
	ev->hash = o->hash;
	ev->sign_interval = o->sign_interval > 0 ? o->sign_interval : 3600;
	if ((rc = sw_ev_hasher_new(SW_EV_SM3, &ev->hs[SW_EV_SM3], eb)) ||
	    (rc = sw_ev_hasher_new(SW_EV_SHA256, &ev->hs[SW_EV_SHA256], eb)) ||
	    (o->key_dir && (rc = sw_ev_key_open(o->key_dir, o->sig, o->create_key, &ev->key, eb)))) {
		sw_evidence_free(ev);
		return rc;
	}
	/* Signatures made before a switch of algorithm stay checkable. */
	if (o->key_dir)
		sw_ev_key_open(o->key_dir, o->sig == SW_EV_SM2 ? SW_EV_ED25519 : SW_EV_SM2, 0,
			       &ev->other, NULL);
	*out = ev;
	return SW_OK;
}

void sw_evidence_free(struct sw_evidence *ev)
{
	if (!ev)
		return;
	sw_ev_hasher_free(ev->hs[0]);
	sw_ev_hasher_free(ev->hs[1]);
	sw_ev_key_free(ev->key);
	sw_ev_key_free(ev->other);
	free(ev);
}

struct sw_ev_key *sw_evidence_key(struct sw_evidence *ev)
{
	return ev->key;
}

struct sw_ev_hasher *sw__ev_hasher(struct sw_evidence *ev, const char *algo)
{
	enum sw_ev_hash h;

	return sw_ev_hash_parse(algo, &h) ? NULL : ev->hs[h];
}

/* Appends s percent-encoded to buf at *at (buf has SW__EV_ENTRY_MAX
 * bytes); -1 when it does not fit. */
static int pct_encode(const char *s, char *buf, int *at)
{
	static const char digits[] = "0123456789ABCDEF";

	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		int plain = (*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
			    (*p >= '0' && *p <= '9') || strchr("._~/+:=-", *p);

		if (*at + 4 >= SW__EV_ENTRY_MAX)
			return -1;
		if (plain) {
			buf[(*at)++] = (char)*p;
		} else {
			buf[(*at)++] = '%';
			buf[(*at)++] = digits[*p >> 4];
			buf[(*at)++] = digits[*p & 15];
		}
	}
	buf[*at] = '\0';
	return 0;
}

int sw__ev_pct_decode(const char *s, char *buf, size_t n)
{
	size_t o = 0;

	for (; *s; s++) {
		unsigned v = (unsigned char)*s;

		if (*s == '%') {
			if (sscanf(s + 1, "%2x", &v) != 1 || !s[1] || !s[2])
				return -1;
			s += 2;
		}
		if (o + 1 >= n)
			return -1;
		buf[o++] = (char)v;
	}
	buf[o] = '\0';
	return 0;
}

/* True when kind is 1-32 bytes of [a-z-]. */
static int kind_ok(const char *k)
{
	size_t n = k ? strlen(k) : 0;

	if (!n || n > 32)
		return 0;
	return strspn(k, "abcdefghijklmnopqrstuvwxyz-") == n;
}

int sw__ev_entry_text(const struct sw_ev_row *r, char *buf)
{
	int at;

	if (!kind_ok(r->kind) || !sw_ev_hex_ok(r->item_hash) || !sw_ev_hex_ok(r->prev_hash) ||
	    !r->name || !*r->name || strlen(r->name) > SW__EV_NAME_MAX || !r->media_type ||
	    !*r->media_type || strlen(r->media_type) > SW__EV_MEDIA_MAX || !r->algo ||
	    (strcmp(r->algo, "sm3") && strcmp(r->algo, "sha256")))
		return -1;
	at = snprintf(buf, SW__EV_ENTRY_MAX, "swl1 %s %lld %lld %s %lld %lld %lld %s ", r->algo,
		      (long long)r->seq, (long long)r->created_at, r->kind, (long long)r->site_id,
		      (long long)r->check_id, (long long)r->size, r->item_hash);
	if (at < 0 || pct_encode(r->media_type, buf, &at) || at + 2 >= SW__EV_ENTRY_MAX)
		return -1;
	buf[at++] = ' ';
	if (pct_encode(r->name, buf, &at) || at + 66 >= SW__EV_ENTRY_MAX)
		return -1;
	at += snprintf(buf + at, SW__EV_ENTRY_MAX - (size_t)at, " %s", r->prev_hash);
	return at;
}

int sw_ev_head_text(char *buf, size_t n, const char *algo, int64_t seq, const char *hash,
		    int64_t at)
{
	return snprintf(buf, n, "sitewarden-ledger-head 1 %s %lld %s %lld\n", algo,
			(long long)seq, hash, (long long)at);
}

/* Appends one item (its bytes stored, its entry written) after head
 * (*seq, prev), inside the caller's transaction; advances the head. */
static enum sw_err append_one(struct sw_evidence *ev, const struct sw_ev_item *it,
			      int64_t now, int64_t *seq, char prev[SW_EV_HEX_LEN],
			      struct sw_errbuf *eb)
{
	char item_hash[SW_EV_HEX_LEN], entry_hash[SW_EV_HEX_LEN], text[SW__EV_ENTRY_MAX];
	const char *algo = sw_ev_hash_name(ev->hash);
	struct sw_ev_row r = {0};
	enum sw_err rc;
	int n;

	if (it->len > SW_EV_ITEM_MAX)
		return sw_errf(eb, SW_ELIMIT, "evidence item %s is over %zu bytes", it->name,
			       SW_EV_ITEM_MAX);
	if ((rc = sw_ev_hash_hex(ev->hs[ev->hash], it->bytes, it->len, item_hash, eb)))
		return rc;
	r.seq = *seq + 1;
	r.algo = algo;
	r.created_at = now;
	r.kind = it->kind;
	r.site_id = it->site_id;
	r.check_id = it->check_id;
	r.size = (int64_t)it->len;
	r.item_hash = item_hash;
	r.media_type = it->media_type ? it->media_type : "application/octet-stream";
	r.name = it->name;
	r.prev_hash = prev;
	if ((n = sw__ev_entry_text(&r, text)) < 0)
		return sw_errf_field(eb, SW_EINVAL, "name",
				     "evidence item needs a kind of [a-z-], a name of 1-%d bytes "
				     "and a media type of at most %d", SW__EV_NAME_MAX,
				     SW__EV_MEDIA_MAX);
	if ((rc = sw_ev_hash_hex(ev->hs[ev->hash], text, (size_t)n, entry_hash, eb)))
		return rc;
	r.entry_hash = entry_hash;
	if ((rc = sw_store_ev_blob_put(ev->st, algo, item_hash, it->len ? it->bytes : "",
				       it->len, now, eb)) ||
	    (rc = sw_store_ev_append(ev->st, &r, eb)))
		return rc;
	*seq = r.seq;
	memcpy(prev, entry_hash, SW_EV_HEX_LEN);
	return SW_OK;
}

/* One attempt at appending all n items in one transaction. */
static enum sw_err add_once(struct sw_evidence *ev, const struct sw_ev_item *items, size_t n,
			    int64_t *first_seq, struct sw_errbuf *eb)
{
	char prev[SW_EV_HEX_LEN];
	int64_t seq, now = (int64_t)time(NULL);
	enum sw_err rc;

	if ((rc = sw_store_begin(ev->st, eb)))
		return rc;
	if ((rc = sw_store_ev_lock(ev->st, eb)) ||
	    (rc = sw_store_ev_head(ev->st, &seq, prev, sizeof prev, eb)))
		goto fail;
	if (!seq)
		memcpy(prev, SW__EV_ZERO_HASH, SW_EV_HEX_LEN);
	*first_seq = seq + 1;
	for (size_t i = 0; i < n; i++)
		if ((rc = append_one(ev, &items[i], now, &seq, prev, eb)))
			goto fail;
	return sw_store_commit(ev->st, eb);
fail:
	sw_store_rollback(ev->st);
	return rc;
}

enum sw_err sw_evidence_add(struct sw_evidence *ev, const struct sw_ev_item *items, size_t n,
			    int64_t *first_seq, struct sw_errbuf *eb)
{
	struct sw_errbuf race;
	int64_t first = 0;
	enum sw_err rc = SW_EEXIST;

	if (!n)
		return SW_OK;
	for (int i = 0; i < APPEND_TRIES && rc == SW_EEXIST; i++) {
		sw_errbuf_clear(&race);
		rc = add_once(ev, items, n, &first, &race);
	}
	if (rc)
		return sw_errf(eb, rc, "%s", race.msg[0] ? race.msg : sw_strerror(rc));
	if (first_seq)
		*first_seq = first;
	/* Signing is a courtesy here: the items are in; a failed signature
	 * is retried at the next append or export. */
	if (ev->key)
		sw_evidence_sign_head(ev, 0, NULL, NULL);
	return SW_OK;
}

/* Copies the row's algorithm name into arg (16 bytes). */
static int algo_cb(void *arg, const struct sw_ev_row *r)
{
	snprintf(arg, 16, "%s", r->algo ? r->algo : "");
	return 1;
}

struct newest_sig {
	int64_t seq, at;
};

/* Remembers the newest signature's seq and time. */
static int newest_cb(void *arg, const struct sw_ev_sig_row *r)
{
	struct newest_sig *ns = arg;

	ns->seq = r->seq;
	ns->at = r->created_at;
	return 1;
}

enum sw_err sw__ev_sign(struct sw_evidence *ev, int force, int64_t *seq_out, char *text,
			size_t text_n, unsigned char **sig_out, size_t *sig_len_out,
			struct sw_errbuf *eb)
{
	char hash[SW_EV_HEX_LEN], algo[16] = "";
	struct newest_sig ns = {0};
	struct sw_ev_sig_row sr = {0};
	int64_t seq, now = (int64_t)time(NULL);
	unsigned char *sig = NULL;
	size_t sig_len = 0;
	enum sw_err rc;

	*seq_out = 0;
	if (!ev->key)
		return sw_errf(eb, SW_EINVAL, "no signing key");
	if ((rc = sw_store_ev_head(ev->st, &seq, hash, sizeof hash, eb)) || !seq)
		return rc;
	if ((rc = sw_store_ev_sigs(ev->st, 0, 1, newest_cb, &ns, eb)))
		return rc;
	if (!force && (ns.seq == seq || now - ns.at < ev->sign_interval))
		return SW_OK;
	/* The head entry's own algorithm names its hash. */
	if ((rc = sw_store_ev_get(ev->st, seq, algo_cb, algo, eb)))
		return rc;
	sw_ev_head_text(text, text_n, algo, seq, hash, now);
	if ((rc = sw_ev_key_sign(ev->key, text, strlen(text), &sig, &sig_len, eb)))
		return rc;
	sr.seq = seq;
	sr.created_at = now;
	sr.sig_algo = sw_ev_sig_name(sw_ev_key_alg(ev->key));
	sr.key_id = sw_ev_key_id(ev->key);
	sr.head_text = text;
	sr.sig = sig;
	sr.sig_len = sig_len;
	if ((rc = sw_store_ev_sig_add(ev->st, &sr, eb))) {
		free(sig);
		return rc;
	}
	*seq_out = seq;
	if (sig_out) {
		*sig_out = sig;
		*sig_len_out = sig_len;
	} else {
		free(sig);
	}
	return SW_OK;
}

enum sw_err sw_evidence_sign_head(struct sw_evidence *ev, int force, int64_t *seq_out,
				  struct sw_errbuf *eb)
{
	char text[256];
	int64_t seq;
	enum sw_err rc = sw__ev_sign(ev, force, &seq, text, sizeof text, NULL, NULL, eb);

	if (seq_out)
		*seq_out = rc ? 0 : seq;
	return rc;
}

/* Rows checked per query when walking the whole chain: bounds memory on
 * backends that fetch a whole result at once. */
#define VERIFY_CHUNK 1000

struct lv {
	struct sw_evidence *ev;
	sw_ev_problem_cb cb;
	void *arg;
	struct sw_ev_verify_stats *stats;
	int64_t expect;                /* next seq expected */
	char prev[SW_EV_HEX_LEN];      /* entry hash of the entry before */
	int64_t seen;                  /* rows seen in this chunk */
	enum sw_err rc;                /* a store failure stops the walk */
	struct sw_errbuf *eb;
};

/* Reports one problem found at entry seq. */
static void lv_problem(struct lv *v, int64_t seq, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void lv_problem(struct lv *v, int64_t seq, const char *fmt, ...)
{
	char where[32], what[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(what, sizeof what, fmt, ap);
	va_end(ap);
	snprintf(where, sizeof where, "entry %lld", (long long)seq);
	v->stats->problems++;
	if (v->cb)
		v->cb(v->arg, where, what);
}

/* Checks one stored item's bytes against its entry. */
static void lv_item(struct lv *v, const struct sw_ev_row *r, struct sw_ev_hasher *hs)
{
	char h[SW_EV_HEX_LEN];
	unsigned char *bytes = NULL;
	size_t len = 0;
	struct sw_errbuf eb;
	enum sw_err rc;

	sw_errbuf_clear(&eb);
	rc = sw_store_ev_blob_get(v->ev->st, r->algo, r->item_hash, &bytes, &len, &eb);
	if (rc == SW_ENOTFOUND || rc == SW_ESTORE) {
		lv_problem(v, r->seq, "item bytes: %s", eb.msg);
	} else if (rc) {
		v->rc = sw_errf(v->eb, rc, "%s", eb.msg);
	} else if (sw_ev_hash_hex(hs, bytes, len, h, NULL) || strcmp(h, r->item_hash) ||
		   (int64_t)len != r->size) {
		lv_problem(v, r->seq, "item bytes do not match the entry's hash and size");
	} else {
		v->stats->bytes += (int64_t)len;
	}
	free(bytes);
}

/* Checks one entry: its place, its link, its own hash and its item. */
static int lv_row(void *arg, const struct sw_ev_row *r)
{
	struct lv *v = arg;
	struct sw_ev_hasher *hs = sw__ev_hasher(v->ev, r->algo);
	char text[SW__EV_ENTRY_MAX], h[SW_EV_HEX_LEN];
	int n;

	v->seen++;
	v->stats->entries++;
	if (r->seq != v->expect)
		lv_problem(v, r->seq, "out of place: entry %lld expected", (long long)v->expect);
	if (!r->prev_hash || strcmp(r->prev_hash, v->prev))
		lv_problem(v, r->seq, "does not name the previous entry's hash");
	if (!hs || (n = sw__ev_entry_text(r, text)) < 0)
		lv_problem(v, r->seq, "malformed fields");
	else if (sw_ev_hash_hex(hs, text, (size_t)n, h, NULL) || !r->entry_hash ||
		 strcmp(h, r->entry_hash))
		lv_problem(v, r->seq, "its fields do not hash to its recorded entry hash");
	if (hs && r->item_hash)
		lv_item(v, r, hs);
	v->expect = r->seq + 1;
	snprintf(v->prev, sizeof v->prev, "%s", r->entry_hash ? r->entry_hash : "");
	return v->rc != SW_OK;
}

/* Copies the row's entry hash into arg (SW_EV_HEX_LEN bytes). */
static int hash_cb(void *arg, const struct sw_ev_row *r)
{
	snprintf(arg, SW_EV_HEX_LEN, "%s", r->entry_hash ? r->entry_hash : "");
	return 1;
}

/* Checks one stored signature: its head names a stored entry's hash and
 * the signature verifies with our key. */
static int lv_sig(void *arg, const struct sw_ev_sig_row *r)
{
	struct lv *v = arg;
	char algo[16], hash[SW_EV_HEX_LEN], stored[SW_EV_HEX_LEN] = "";
	struct sw_ev_key *key;
	long long seq, at;

	v->stats->signatures++;
	if (!r->head_text ||
	    sscanf(r->head_text, "sitewarden-ledger-head 1 %15s %lld %64s %lld", algo, &seq, hash,
		   &at) != 4 || seq != r->seq) {
		lv_problem(v, r->seq, "signature %lld: malformed head text", (long long)r->id);
		return 0;
	}
	sw_store_ev_get(v->ev->st, seq, hash_cb, stored, NULL);
	if (strcmp(stored, hash))
		lv_problem(v, r->seq, "signature %lld: signed head hash is not the entry's",
			   (long long)r->id);
	key = v->ev->key && !strcmp(r->key_id, sw_ev_key_id(v->ev->key))	 ? v->ev->key
	      : v->ev->other && !strcmp(r->key_id, sw_ev_key_id(v->ev->other)) ? v->ev->other
										 : NULL;
	if (!key)
		lv_problem(v, r->seq, "signature %lld: made with key %.16s..., which is not in the "
			   "key directory", (long long)r->id, r->key_id);
	else if (sw_ev_key_verify(key, r->head_text, strlen(r->head_text), r->sig, r->sig_len,
				  NULL))
		lv_problem(v, r->seq, "signature %lld does not verify", (long long)r->id);
	return 0;
}

enum sw_err sw_evidence_ledger_verify(struct sw_evidence *ev, sw_ev_problem_cb cb, void *arg,
				      struct sw_ev_verify_stats *stats, struct sw_errbuf *eb)
{
	struct lv v = {.ev = ev, .cb = cb, .arg = arg, .stats = stats, .expect = 1, .eb = eb};
	enum sw_err rc;
	int64_t from = 1;

	memset(stats, 0, sizeof *stats);
	memcpy(v.prev, SW__EV_ZERO_HASH, SW_EV_HEX_LEN);
	/* Chunks by seq; a gap in seqs shows as "out of place" on the entry
	 * after it, and the walk ends at the first empty chunk past the
	 * head. */
	for (;;) {
		char hash[SW_EV_HEX_LEN];
		int64_t head;

		v.seen = 0;
		if ((rc = sw_store_ev_range(ev->st, from, from + VERIFY_CHUNK - 1, lv_row, &v, eb)) ||
		    (rc = v.rc))
			return rc;
		if ((rc = sw_store_ev_head(ev->st, &head, hash, sizeof hash, eb)))
			return rc;
		if (from + VERIFY_CHUNK - 1 >= head)
			break;
		from += VERIFY_CHUNK;
	}
	return sw_store_ev_sigs(ev->st, 0, 0, lv_sig, &v, eb);
}

void sw__ev_buf_add(struct sw_ev_buf *b, const void *p, size_t n)
{
	if (b->oom || !n)
		return;
	if (b->len + n + 1 > b->cap) {
		size_t cap = b->cap ? b->cap : 4096;
		unsigned char *q;

		while (cap < b->len + n + 1 && cap <= SW_EV_PACKAGE_MAX)
			cap *= 2;
		if (cap < b->len + n + 1 || !(q = realloc(b->p, cap))) {
			b->oom = 1;
			return;
		}
		b->p = q;
		b->cap = cap;
	}
	memcpy(b->p + b->len, p, n);
	b->len += n;
	b->p[b->len] = '\0';
}

void sw__ev_buf_printf(struct sw_ev_buf *b, const char *fmt, ...)
{
	char small[1024], *big = NULL;
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(small, sizeof small, fmt, ap);
	va_end(ap);
	if (n < 0) {
		b->oom = 1;
		return;
	}
	if ((size_t)n < sizeof small) {
		sw__ev_buf_add(b, small, (size_t)n);
		return;
	}
	if (!(big = malloc((size_t)n + 1))) {
		b->oom = 1;
		return;
	}
	va_start(ap, fmt);
	vsnprintf(big, (size_t)n + 1, fmt, ap);
	va_end(ap);
	sw__ev_buf_add(b, big, (size_t)n);
	free(big);
}

void sw__ev_buf_free(struct sw_ev_buf *b)
{
	free(b->p);
	memset(b, 0, sizeof *b);
}
