/*
 * snapshot.c - page bodies stored content-addressed: the key is the
 * SHA-256 of the raw body, the stored value its zstd frame.
 *
 * Most pages do not change between checks, so put looks the key up first
 * and only compresses and writes a body it has not seen: an unchanged page
 * costs one indexed read.  Level 3 (zstd's default) compresses an HTML page
 * about 5x at several hundred MB/s, far below the cost of fetching it.
 */
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>
#include <zstd.h>

#include "store/backend.h"

#define ZSTD_LEVEL 3

/* Stored bodies larger than this are refused on reading: the fetcher caps
 * bodies far below it, so a bigger frame header means a damaged row. */
#define SNAPSHOT_MAX ((size_t)1 << 30)

void sw_store_snapshot_key(const void *body, size_t len, char key[SW_SNAPSHOT_KEY_LEN])
{
	static const char hex[] = "0123456789abcdef";
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int mdlen = 0;

	/* EVP_Digest only fails when out of memory; an all-zero key is then
	 * still a valid key, and the body is checked against it on reading. */
	if (!EVP_Digest(body, len, md, &mdlen, EVP_sha256(), NULL))
		memset(md, 0, mdlen = 32);
	for (unsigned int i = 0; i < 32; i++) {
		key[2 * i] = hex[md[i] >> 4];
		key[2 * i + 1] = hex[md[i] & 15];
	}
	key[64] = '\0';
}

/* True when a snapshot with key is stored. */
static enum sw_err snap_has(struct sw_store *st, const char *key, int *has,
			    struct sw_errbuf *eb)
{
	struct sw_stmt **s = &st->misc[SW_QM_SNAP_HAS];
	enum sw_err rc;

	*has = 0;
	if ((rc = sw__store_stmt(st, s, "SELECT 1 FROM snapshots WHERE hash = ?1", eb)))
		return rc;
	st->ops->bind_text(*s, 1, key);
	rc = st->ops->step(*s, has, eb);
	st->ops->reset(*s);
	return rc;
}

/* Compresses body into a new buffer *out of *outlen bytes (caller frees). */
static enum sw_err compress(const void *body, size_t len, void **out, size_t *outlen,
			    struct sw_errbuf *eb)
{
	size_t cap = ZSTD_compressBound(len), n;
	void *buf = malloc(cap ? cap : 1);

	if (!buf)
		return SW_ENOMEM;
	n = ZSTD_compress(buf, cap, body, len, ZSTD_LEVEL);
	if (ZSTD_isError(n)) {
		free(buf);
		return sw_errf(eb, SW_EIO, "zstd: %s", ZSTD_getErrorName(n));
	}
	*out = buf;
	*outlen = n;
	return SW_OK;
}

enum sw_err sw_store_snapshot_put(struct sw_store *st, const void *body, size_t len,
				  int64_t now, char key[SW_SNAPSHOT_KEY_LEN], int *added,
				  struct sw_errbuf *eb)
{
	struct sw_stmt **s = &st->misc[SW_QM_SNAP_PUT];
	void *z = NULL;
	size_t zlen = 0;
	enum sw_err rc;
	int has, row;

	if (added)
		*added = 0;
	sw_store_snapshot_key(body, len, key);
	if ((rc = snap_has(st, key, &has, eb)) || has)
		return rc;
	if ((rc = compress(body, len, &z, &zlen, eb)))
		return rc;
	/* ON CONFLICT: another probe may store the same page between our look
	 * and this write; the body is the same by construction. */
	rc = sw__store_stmt(st, s,
			    "INSERT INTO snapshots (hash, body, raw_size, first_seen) "
			    "VALUES (?1, ?2, ?3, ?4) ON CONFLICT (hash) DO NOTHING",
			    eb);
	if (!rc) {
		st->ops->bind_text(*s, 1, key);
		st->ops->bind_blob(*s, 2, z, zlen);
		st->ops->bind_int(*s, 3, (int64_t)len);
		st->ops->bind_int(*s, 4, now);
		rc = st->ops->step(*s, &row, eb);
		if (!rc && added)
			*added = st->ops->changes(st->db) > 0;
		st->ops->reset(*s);
	}
	free(z);
	return rc;
}

/* Decompresses the frame z into a new NUL-terminated buffer of raw bytes,
 * which must be exactly `raw` long. */
static enum sw_err decompress(const void *z, size_t zlen, size_t raw, unsigned char **out,
			      struct sw_errbuf *eb)
{
	unsigned long long want = ZSTD_getFrameContentSize(z, zlen);
	unsigned char *buf;
	size_t n;

	if (want == ZSTD_CONTENTSIZE_ERROR || want == ZSTD_CONTENTSIZE_UNKNOWN || want != raw ||
	    raw > SNAPSHOT_MAX)
		return sw_errf(eb, SW_ESTORE, "snapshot frame is damaged");
	if (!(buf = malloc(raw + 1)))
		return SW_ENOMEM;
	n = ZSTD_decompress(buf, raw, z, zlen);
	if (ZSTD_isError(n) || n != raw) {
		free(buf);
		return sw_errf(eb, SW_ESTORE, "snapshot does not decompress: %s",
			       ZSTD_isError(n) ? ZSTD_getErrorName(n) : "short");
	}
	buf[raw] = '\0';
	*out = buf;
	return SW_OK;
}

enum sw_err sw_store_snapshot_get(struct sw_store *st, const char *key, unsigned char **body,
				  size_t *len, struct sw_errbuf *eb)
{
	struct sw_stmt **s = &st->misc[SW_QM_SNAP_GET];
	char check[SW_SNAPSHOT_KEY_LEN];
	const void *z;
	size_t zlen, raw = 0;
	enum sw_err rc;
	int row = 0;

	*body = NULL;
	*len = 0;
	if ((rc = sw__store_stmt(st, s, "SELECT body, raw_size FROM snapshots WHERE hash = ?1", eb)))
		return rc;
	st->ops->bind_text(*s, 1, key);
	if (!(rc = st->ops->step(*s, &row, eb)) && row) {
		raw = (size_t)st->ops->col_int(*s, 1);
		z = st->ops->col_blob(*s, 0, &zlen);
		rc = z ? decompress(z, zlen, raw, body, eb) : sw_errf(eb, SW_ESTORE, "empty snapshot");
	}
	st->ops->reset(*s);
	if (!rc && !row)
		return sw_errf(eb, SW_ENOTFOUND, "no snapshot %s", key);
	if (rc)
		return rc;
	/* Evidence must be what the key says: a damaged row is an error. */
	sw_store_snapshot_key(*body, raw, check);
	if (strcmp(check, key)) {
		free(*body);
		*body = NULL;
		return sw_errf(eb, SW_ESTORE, "snapshot %s does not match its hash", key);
	}
	*len = raw;
	return SW_OK;
}
