/*
 * watch_fanotify.c - the guard's fanotify watcher.
 *
 * One notification group with FAN_REPORT_DFID_NAME: every event names the
 * directory (as a file handle) and the entry in it, so a change is mapped
 * to a baseline entry without a path lookup, and the kernel tells which
 * process made it.  Marks are inode marks on each watched directory with
 * FAN_EVENT_ON_CHILD (a filesystem-wide mark would also deliver every log
 * write on the host).  The guard's own writes are dropped by process id.
 * The queue keeps the kernel's default bound: an overflow (FAN_Q_OVERFLOW)
 * sets off a full reconciliation instead of memory growing without limit.
 *
 * The serve-time guard's permission group (perm.c) is marked here too,
 * on the same directories, so the two never disagree about coverage.
 */
#include "agent/guard.h"

#include <errno.h>
#include <stddef.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/fanotify.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <unistd.h>

#define MASK                                                                              \
	(FAN_CREATE | FAN_DELETE | FAN_MODIFY | FAN_CLOSE_WRITE | FAN_MOVED_FROM |         \
	 FAN_MOVED_TO | FAN_ATTRIB | FAN_DELETE_SELF | FAN_MOVE_SELF | FAN_ONDIR |         \
	 FAN_EVENT_ON_CHILD)
#define PERM_MASK (FAN_OPEN_PERM | FAN_CLOSE_NOWRITE | FAN_EVENT_ON_CHILD)
#define RDBUF (256 * 1024)

/* Key of a directory: FNV-1a over fsid, handle type and handle bytes. */
static uint64_t handle_key(uint64_t fsid, int type, const uint8_t *h, size_t n)
{
	uint64_t k = UINT64_C(1469598103934665603);
	const uint8_t *p = (const uint8_t *)&fsid;

	for (size_t i = 0; i < sizeof fsid; i++)
		k = (k ^ p[i]) * UINT64_C(1099511628211);
	k = (k ^ (uint32_t)type) * UINT64_C(1099511628211);
	for (size_t i = 0; i < n; i++)
		k = (k ^ h[i]) * UINT64_C(1099511628211);
	return k;
}

static enum sw_err fan_open(struct ag_guard *g, struct sw_errbuf *eb)
{
	g->wfd = fanotify_init(FAN_CLASS_NOTIF | FAN_CLOEXEC | FAN_NONBLOCK |
				       FAN_REPORT_DFID_NAME | FAN_UNLIMITED_MARKS,
			       O_RDONLY | O_LARGEFILE | O_CLOEXEC);
	if (g->wfd < 0)
		return sw_errf(eb, SW_EIO, "fanotify_init: %s", strerror(errno));
	return SW_OK;
}

static int fan_add(struct ag_guard *g, uint32_t i)
{
	struct ag_wdir *w = &g->w[i];
	union {
		struct file_handle fh;
		char raw[sizeof(struct file_handle) + MAX_HANDLE_SZ];
	} h;
	struct statfs sf;
	struct stat st;
	int fd, mnt;
	uint32_t old;

	fd = open(w->path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return -1;
	h.fh.handle_bytes = MAX_HANDLE_SZ;
	if (fstat(fd, &st) || fstatfs(fd, &sf) ||
	    name_to_handle_at(fd, "", &h.fh, &mnt, AT_EMPTY_PATH) ||
	    h.fh.handle_bytes > AG_HANDLE_MAX ||
	    fanotify_mark(g->wfd, FAN_MARK_ADD, MASK, fd, NULL)) {
		close(fd);
		return -1;
	}
	if (g->perm_fd >= 0 && !w->upload)
		fanotify_mark(g->perm_fd, FAN_MARK_ADD, PERM_MASK, fd, NULL);
	close(fd);
	w->ino = st.st_ino;
	memcpy(&w->fsid, &sf.f_fsid, sizeof w->fsid);
	w->htype = h.fh.handle_type;
	w->hlen = (uint8_t)h.fh.handle_bytes;
	memcpy(w->handle, h.fh.f_handle, w->hlen);
	w->key = handle_key(w->fsid, w->htype, w->handle, w->hlen);
	old = ag_map_get(&g->map, w->key);
	if (ag_map_put(&g->map, w->key, i))
		return -1;
	if (old != AG_NONE && old != i)
		ag_wdir_kill(g, old);
	return 0;
}

static void fan_remove(struct ag_guard *g, uint32_t i)
{
	/* Inode marks go with their inode; a directory moved out of the root
	 * keeps its mark, but its events no longer map to a slot. */
	(void)g;
	(void)i;
}

/* Maps a directory handle (fsid, type, bytes) to a live watched
 * directory, or AG_NONE. */
static uint32_t lookup(struct ag_guard *g, uint64_t fsid, int type, const uint8_t *h,
		       unsigned len)
{
	uint32_t wi;
	const struct ag_wdir *w;

	if (len > AG_HANDLE_MAX)
		return AG_NONE;
	wi = ag_map_get(&g->map, handle_key(fsid, type, h, len));
	if (wi == AG_NONE)
		return AG_NONE;
	w = &g->w[wi];
	if (w->hlen != len || w->htype != type || w->fsid != fsid || memcmp(w->handle, h, len))
		return AG_NONE;
	return wi;
}

/* Turns an event mask into notice flags. */
static uint32_t flags_of(uint64_t m)
{
	uint32_t f = 0;

	if (m & (FAN_MODIFY | FAN_CLOSE_WRITE | FAN_CREATE | FAN_MOVED_TO))
		f |= AG_N_WRITE;
	if (m & (FAN_CLOSE_WRITE | FAN_CREATE | FAN_MOVED_TO))
		f |= AG_N_CLOSED;
	if (m & (FAN_DELETE | FAN_MOVED_FROM | FAN_DELETE_SELF | FAN_MOVE_SELF))
		f |= AG_N_GONE;
	if (m & FAN_ATTRIB)
		f |= AG_N_ATTR;
	return f;
}

/*
 * Handles the info records of one event (p .. end).  Records are not
 * aligned for their types (names pad them to 4 bytes only), so every field
 * is copied out with memcpy.
 */
static void one_event(struct ag_guard *g, const struct fanotify_event_metadata *md,
		      const char *p, const char *end)
{
	const size_t fid_hdr = offsetof(struct fanotify_event_info_fid, handle);
	const size_t fh_hdr = offsetof(struct file_handle, f_handle);

	while (p + sizeof(struct fanotify_event_info_header) <= end) {
		struct fanotify_event_info_header ih;
		memcpy(&ih, p, sizeof ih);
		if (ih.len == 0 || p + ih.len > end)
			break;
		if ((ih.info_type == FAN_EVENT_INFO_TYPE_DFID_NAME ||
		     ih.info_type == FAN_EVENT_INFO_TYPE_DFID) &&
		    ih.len >= fid_hdr + fh_hdr) {
			uint64_t fsid;
			unsigned hb;
			int ht;
			const char *fh = p + fid_hdr, *rec_end = p + ih.len, *name = ".";
			uint32_t wi;
			memcpy(&fsid, p + offsetof(struct fanotify_event_info_fid, fsid), sizeof fsid);
			memcpy(&hb, fh + offsetof(struct file_handle, handle_bytes), sizeof hb);
			memcpy(&ht, fh + offsetof(struct file_handle, handle_type), sizeof ht);
			if (hb > (size_t)(rec_end - fh - fh_hdr))
				break;
			if (ih.info_type == FAN_EVENT_INFO_TYPE_DFID_NAME)
				name = fh + fh_hdr + hb;
			wi = lookup(g, fsid, ht, (const uint8_t *)fh + fh_hdr, hb);
			if (wi != AG_NONE) {
				size_t nl = strnlen(name, (size_t)(rec_end - name));
				ag_guard_notice(g, wi, name, nl,
						flags_of(md->mask) |
							(nl == 1 && name[0] == '.' ? AG_N_SELF : 0),
						md->pid);
			}
		}
		p += ih.len;
	}
}

static void fan_drain(struct ag_guard *g)
{
	static char buf[RDBUF] __attribute__((aligned(8)));
	ssize_t n;
	int rounds = 0;

	/* A bounded number of reads, so the control socket and the serve-time
	 * guard's requests are served during a long burst too. */
	while (rounds++ < 16 && (n = read(g->wfd, buf, sizeof buf)) > 0) {
		const char *p = buf, *end = buf + n;
		while (p + sizeof(struct fanotify_event_metadata) <= end) {
			struct fanotify_event_metadata md;
			memcpy(&md, p, sizeof md);
			if (md.event_len < sizeof md || p + md.event_len > end)
				break;
			if (md.vers == FANOTIFY_METADATA_VERSION) {
				if (md.mask & FAN_Q_OVERFLOW) {
					g->need_reconcile = 1;
					g->n_overflows++;
				} else {
					if (md.fd >= 0)
						close(md.fd);
					if (md.pid != g->self)
						one_event(g, &md, p + md.metadata_len, p + md.event_len);
				}
			}
			p += md.event_len;
		}
		/* Check what this read brought before reading more, so a long
		 * burst still gets its first repairs within milliseconds. */
		ag_guard_flush(g);
	}
}

static void fan_close(struct ag_guard *g)
{
	if (g->wfd >= 0)
		close(g->wfd);
	g->wfd = -1;
}

const struct ag_watch_ops ag_watch_fanotify = {"fanotify", fan_open, fan_add, fan_remove,
					       fan_drain, fan_close};
