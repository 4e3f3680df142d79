/*
 * pack.c - append-only pack files of the backup store (pack.h).
 */
#include "agent/pack.h"
#include "agent/fsutil.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#define REC_MAGIC 0x424f5753u /* "SWOB" */

struct rec {
	uint32_t magic, algo;
	int64_t size;
	uint8_t hash[AG_HASH_LEN];
};

_Static_assert(sizeof(struct rec) == AG_PACK_HDR, "pack record header size");

enum sw_err ag_pack_create(struct ag_pack_writer *w, const char *dir, const char *name,
			   int algo, struct sw_errbuf *eb)
{
	char path[4096];

	snprintf(path, sizeof path, "%s/%s", dir, name);
	memset(w, 0, sizeof *w);
	w->algo = algo;
	w->fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (w->fd < 0)
		return sw_errf(eb, SW_EIO, "cannot create pack %s: %s", path, strerror(errno));
	return SW_OK;
}

enum sw_err ag_pack_put(struct ag_pack_writer *w, const uint8_t hash[AG_HASH_LEN],
			const void *data, int64_t size, uint64_t *off)
{
	struct rec r = {REC_MAGIC, (uint32_t)w->algo, size, {0}};

	memcpy(r.hash, hash, AG_HASH_LEN);
	if (pwrite(w->fd, &r, sizeof r, (off_t)w->off) != (ssize_t)sizeof r ||
	    (size && pwrite(w->fd, data, (size_t)size, (off_t)(w->off + sizeof r)) != size))
		return SW_EIO;
	*off = w->off;
	w->off += sizeof r + (uint64_t)size;
	return SW_OK;
}

enum sw_err ag_pack_begin(struct ag_pack_writer *w, uint64_t *off)
{
	w->rec = w->off;
	w->rec_size = 0;
	*off = w->rec;
	return SW_OK;
}

enum sw_err ag_pack_write(struct ag_pack_writer *w, const void *p, size_t n)
{
	uint64_t at = w->rec + sizeof(struct rec) + (uint64_t)w->rec_size;

	if (pwrite(w->fd, p, n, (off_t)at) != (ssize_t)n)
		return SW_EIO;
	w->rec_size += (int64_t)n;
	return SW_OK;
}

enum sw_err ag_pack_end(struct ag_pack_writer *w, const uint8_t hash[AG_HASH_LEN])
{
	struct rec r = {REC_MAGIC, (uint32_t)w->algo, w->rec_size, {0}};

	memcpy(r.hash, hash, AG_HASH_LEN);
	if (pwrite(w->fd, &r, sizeof r, (off_t)w->rec) != (ssize_t)sizeof r)
		return SW_EIO;
	w->off = w->rec + sizeof r + (uint64_t)w->rec_size;
	return SW_OK;
}

void ag_pack_abort(struct ag_pack_writer *w)
{
	if (ftruncate(w->fd, (off_t)w->off) == 0)
		w->rec_size = 0;
}

enum sw_err ag_pack_close(struct ag_pack_writer *w, struct sw_errbuf *eb)
{
	enum sw_err rc = SW_OK;

	if (w->fd < 0)
		return SW_OK;
	if (ftruncate(w->fd, (off_t)w->off) || fsync(w->fd))
		rc = sw_errf(eb, SW_EIO, "cannot sync pack: %s", strerror(errno));
	close(w->fd);
	w->fd = -1;
	return rc;
}

enum sw_err ag_pack_copy(int pack_fd, uint64_t off, int64_t size,
			 const uint8_t hash[AG_HASH_LEN], struct ag_hasher *h, int out_fd,
			 uint8_t *buf, size_t bufsz, struct sw_errbuf *eb)
{
	struct rec r;
	uint8_t dig[AG_HASH_LEN];
	uint64_t pos = off + sizeof r;
	int64_t left = size;

	if (pread(pack_fd, &r, sizeof r, (off_t)off) != (ssize_t)sizeof r ||
	    r.magic != REC_MAGIC || r.size != size || memcmp(r.hash, hash, AG_HASH_LEN))
		return sw_errf(eb, SW_EIO, "corrupt backup store: bad record header at %llu",
			       (unsigned long long)off);
	ag_hasher_begin(h);
	while (left > 0) {
		size_t want = (uint64_t)left < bufsz ? (size_t)left : bufsz;
		ssize_t n = pread(pack_fd, buf, want, (off_t)pos);
		if (n <= 0)
			return sw_errf(eb, SW_EIO, "corrupt backup store: record at %llu is short",
				       (unsigned long long)off);
		ag_hasher_update(h, buf, (size_t)n);
		if (out_fd >= 0 && ag_write_all(out_fd, buf, (size_t)n))
			return sw_errf(eb, SW_EIO, "cannot write restored file: %s",
				       strerror(errno));
		pos += (uint64_t)n;
		left -= n;
	}
	ag_hasher_end(h, dig);
	if (memcmp(dig, hash, AG_HASH_LEN))
		return sw_errf(eb, SW_EIO, "corrupt backup store: record at %llu fails its digest",
			       (unsigned long long)off);
	return SW_OK;
}
