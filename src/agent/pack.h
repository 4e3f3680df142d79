/*
 * pack.h - the content-addressed object store of a root: append-only pack
 * files of records, each record a 48-byte header (magic, algorithm, size,
 * digest) followed by the file's bytes.
 *
 * Why packs and not one file per object: a baseline of a million files
 * would otherwise create a million files in the store, and file creation,
 * not hashing, would dominate `init`.  Appending to one pack per hashing
 * thread costs little more than reading the web root.  Identical contents
 * are stored once (the caller deduplicates by digest); a record is
 * verified against its digest every time it is read back, so a corrupt
 * store is reported and never written into a web root.
 */
#ifndef SW_AGENT_PACK_H
#define SW_AGENT_PACK_H

#include <stddef.h>
#include <stdint.h>

#include "agent/hash.h"
#include "core/err.h"

#define AG_PACK_HDR 48

struct ag_pack_writer {
	int fd;
	uint64_t off;      /* end of the last complete record */
	uint64_t rec;      /* start of the record being streamed */
	int64_t rec_size;
	int algo;
};

/* Creates dir/name (O_EXCL, 0600) for appending. */
enum sw_err ag_pack_create(struct ag_pack_writer *w, const char *dir, const char *name,
			   int algo, struct sw_errbuf *eb);

/* Appends one whole record; *off gets its offset. */
enum sw_err ag_pack_put(struct ag_pack_writer *w, const uint8_t hash[AG_HASH_LEN],
			const void *data, int64_t size, uint64_t *off);

/* Streams a record: begin, write chunks, then end with its digest (or
 * abort, which cuts the record off again). */
enum sw_err ag_pack_begin(struct ag_pack_writer *w, uint64_t *off);
enum sw_err ag_pack_write(struct ag_pack_writer *w, const void *p, size_t n);
enum sw_err ag_pack_end(struct ag_pack_writer *w, const uint8_t hash[AG_HASH_LEN]);
void ag_pack_abort(struct ag_pack_writer *w);

/* fsyncs and closes (also after a failure; then returns SW_EIO). */
enum sw_err ag_pack_close(struct ag_pack_writer *w, struct sw_errbuf *eb);

/*
 * Copies the record at off, which must hold size bytes with digest hash,
 * into out_fd (from its current position) while hashing it with h, buf as
 * scratch.  SW_EIO with a "corrupt" message when the header or the bytes
 * do not match; out_fd may then hold part of the bytes.  out_fd < 0 only
 * verifies.
 */
enum sw_err ag_pack_copy(int pack_fd, uint64_t off, int64_t size,
			 const uint8_t hash[AG_HASH_LEN], struct ag_hasher *h, int out_fd,
			 uint8_t *buf, size_t bufsz, struct sw_errbuf *eb);

#endif
