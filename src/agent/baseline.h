/*
 * baseline.h - the snapshot of one protected root: every directory, file
 * and symbolic link with its hash, size, mode, owner, mtime and (links)
 * target, in memory and in its on-disk index.
 *
 * Shape: one flat array of entries in breadth-first order, so a parent
 * always comes before its children and the children of one directory are
 * contiguous and sorted by name.  A directory then needs only (first
 * child, count) to find a child by binary search: no hash table, no
 * per-entry pointers, about 104 bytes plus the name per entry.  Names and
 * link targets live in one arena.  The index file is the same array in the
 * same order followed by a digest of the whole file, so a truncated or
 * altered index is refused rather than trusted.
 */
#ifndef SW_AGENT_BASELINE_H
#define SW_AGENT_BASELINE_H

#include <stddef.h>
#include <stdint.h>

#include "agent/hash.h"
#include "core/err.h"

#define AG_NONE UINT32_MAX

enum ag_type { AG_REG = 1, AG_DIR = 2, AG_LNK = 3 };

/* Runtime flags, never written to the index. */
enum { AG_F_SEEN = 1, AG_F_UPLOAD = 2 };

struct ag_ent {
	uint32_t parent; /* AG_NONE for the root itself (entry 0) */
	uint32_t name;   /* arena offset of the name (NUL-terminated) */
	uint16_t name_len;
	uint8_t type;
	uint8_t flags;
	uint32_t mode; /* permission bits (st_mode & 07777) */
	uint32_t uid, gid;
	int64_t size;
	int64_t mtime_ns;
	/* The live inode last found identical to this entry, and its ctime: an
	 * unchanged (ino, ctime) means an unchanged file, since no system call
	 * sets ctime back. */
	uint64_t ino;
	int64_t ctime_ns;
	union {
		struct {
			uint32_t pack; /* index into ag_base.packs */
			uint32_t pad;
			uint64_t off; /* record offset in the pack */
		} f;
		struct {
			uint32_t first, n; /* children */
			uint32_t wdir;     /* watch of the guard, AG_NONE if none */
		} d;
		struct {
			uint32_t target; /* arena offset */
			uint32_t len;
		} l;
	} u;
	uint8_t hash[AG_HASH_LEN];
};

struct ag_base {
	int algo;
	int64_t created; /* unix seconds */
	struct ag_ent *e;
	uint32_t n, cap;
	char *arena;
	size_t alen, acap;
	char **packs; /* pack file names (relative to the root's store dir) */
	uint32_t n_packs;
};

void ag_base_init(struct ag_base *b, int algo);
void ag_base_cleanup(struct ag_base *b);

/* Appends an entry named name under parent; *idx gets its index.  The
 * caller fills the other fields and keeps children contiguous. */
enum sw_err ag_base_add(struct ag_base *b, uint32_t parent, const char *name, size_t len,
			uint32_t *idx);

/* Stores a symlink target in the arena for entry i. */
enum sw_err ag_base_set_target(struct ag_base *b, uint32_t i, const char *t, size_t len);

/* Adds a pack name; *id gets its number. */
enum sw_err ag_base_add_pack(struct ag_base *b, const char *name, uint32_t *id);

static inline const char *ag_ent_name(const struct ag_base *b, const struct ag_ent *e)
{
	return b->arena + e->name;
}

/* Child of directory dir called name (len bytes), or AG_NONE. */
uint32_t ag_base_child(const struct ag_base *b, uint32_t dir, const char *name, size_t len);

/* Entry at path rel (relative, '/'-separated, "" is the root), or AG_NONE. */
uint32_t ag_base_lookup(const struct ag_base *b, const char *rel);

/* Writes the path of entry i relative to the root ("" for the root) into
 * buf; returns its length, or -1 when it does not fit. */
int ag_base_relpath(const struct ag_base *b, uint32_t i, char *buf, size_t n);

/* Writes root + "/" + relative path of i into buf; -1 when too long. */
int ag_base_path(const struct ag_base *b, const char *root, uint32_t i, char *buf, size_t n);

/* Checks the structure (parents before children, children sorted and
 * contiguous, arena offsets inside the arena). */
enum sw_err ag_base_check(const struct ag_base *b, struct sw_errbuf *eb);

/* Writes the index to path atomically (temporary file, fsync, rename). */
enum sw_err ag_base_save(const struct ag_base *b, const char *root, const char *path,
			 struct sw_errbuf *eb);

/* Reads an index; a digest mismatch or a bad structure is SW_EIO with
 * "corrupt" in the message.  root_out (may be NULL) gets a malloc'd copy
 * of the root path recorded in the index. */
enum sw_err ag_base_load(struct ag_base *b, const char *path, char **root_out,
			 struct sw_errbuf *eb);

/* Counts of each type. */
void ag_base_counts(const struct ag_base *b, uint64_t *files, uint64_t *dirs,
		    uint64_t *links, uint64_t *bytes);

#endif
