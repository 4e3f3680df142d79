/*
 * ledger.h - internal to src/evidence/: the handle, the entry text that is
 * hashed into the chain, and a growable byte buffer.
 *
 * An entry's text is one line of space-separated fields:
 *   swl1 ALGO SEQ TIME KIND SITE CHECK SIZE ITEM_HASH MEDIA_TYPE NAME PREV
 * where MEDIA_TYPE and NAME are percent-encoded (every byte outside
 * [A-Za-z0-9._~/+:=-] as %XX), so the line has no space, newline or other
 * byte that could make two different entries read alike.  The entry's hash
 * is ALGO over exactly those bytes; chain.txt holds the text, a space and
 * that hash per line.
 */
#ifndef SW_EVIDENCE_LEDGER_H
#define SW_EVIDENCE_LEDGER_H

#include <stddef.h>
#include <stdint.h>

#include "evidence/evidence.h"

#define SW__EV_ZERO_HASH "0000000000000000000000000000000000000000000000000000000000000000"
/* An entry text is far below this: 255-byte names encode to 765. */
#define SW__EV_ENTRY_MAX 2048
#define SW__EV_NAME_MAX 255
#define SW__EV_MEDIA_MAX 127

struct sw_evidence {
	struct sw_store *st;            /* borrowed */
	struct sw_ev_hasher *hs[2];     /* by enum sw_ev_hash */
	enum sw_ev_hash hash;
	struct sw_ev_key *key;          /* NULL: cannot sign */
	struct sw_ev_key *other;        /* the other algorithm's key in key_dir, for
					 * checking old signatures; NULL: none */
	int64_t sign_interval;
};

/* Writes the entry text of r into buf (SW__EV_ENTRY_MAX bytes); returns its
 * length, or -1 when a field is out of bounds. */
int sw__ev_entry_text(const struct sw_ev_row *r, char *buf);

/* Percent-decodes s into buf (n bytes, NUL-terminated); -1 when malformed. */
int sw__ev_pct_decode(const char *s, char *buf, size_t n);

/* The hasher of algorithm name algo ("sm3"/"sha256"), or NULL. */
struct sw_ev_hasher *sw__ev_hasher(struct sw_evidence *ev, const char *algo);

/*
 * Signs the current head (always when force, else only when due) and
 * stores the signature.  *seq is the seq signed (0: nothing signed); text
 * (text_n bytes) gets the signed head text; *sig (may be NULL: not wanted)
 * a new buffer with the signature (caller frees), *sig_len its length.
 */
enum sw_err sw__ev_sign(struct sw_evidence *ev, int force, int64_t *seq, char *text,
			size_t text_n, unsigned char **sig, size_t *sig_len,
			struct sw_errbuf *eb);

/* A growable byte buffer; zero-initialised is empty. */
struct sw_ev_buf {
	unsigned char *p;
	size_t len, cap;
	int oom;        /* an append failed: the buffer is incomplete */
};
void sw__ev_buf_add(struct sw_ev_buf *b, const void *p, size_t n);
void sw__ev_buf_printf(struct sw_ev_buf *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void sw__ev_buf_free(struct sw_ev_buf *b);

#endif
