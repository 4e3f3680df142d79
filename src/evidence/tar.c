/*
 * tar.c - ustar writing and strict reading (see tar.h for why strict).
 *
 * Header layout (POSIX.1-1988 ustar, 512 bytes): name 0-99, mode 100,
 * uid 108, gid 116, size 124 (12), mtime 136 (12), chksum 148 (8),
 * typeflag 156, linkname 157-256, magic 257 "ustar\0", version 263 "00",
 * uname 265 (32), gname 297 (32), devmajor 329, devminor 337, prefix 345.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "evidence/tar.h"

#define BLOCK 512

/* Writes v as `width-1` octal digits and a NUL at h+off. */
static void octal(unsigned char *h, size_t off, size_t width, unsigned long long v)
{
	char tmp[24];

	snprintf(tmp, sizeof tmp, "%0*llo", (int)(width - 1), v);
	memcpy(h + off, tmp, width - 1);
	h[off + width - 1] = '\0';
}

/* Sum of the header's bytes with the checksum field taken as spaces. */
static unsigned sum(const unsigned char *h)
{
	unsigned s = 0;

	for (size_t i = 0; i < BLOCK; i++)
		s += (i >= 148 && i < 156) ? ' ' : h[i];
	return s;
}

void sw__tar_add(struct sw_ev_buf *b, const char *name, const void *data, size_t len,
		 int64_t mtime)
{
	unsigned char h[BLOCK] = {0};
	static const unsigned char zero[BLOCK];
	size_t nlen = strlen(name);
	char ck[8];

	if (nlen > SW__TAR_NAME_MAX) {
		b->oom = 1; /* callers build short names; this is a bug */
		return;
	}
	memcpy(h, name, nlen);
	octal(h, 100, 8, 0644);
	octal(h, 108, 8, 0);
	octal(h, 116, 8, 0);
	octal(h, 124, 12, len);
	octal(h, 136, 12, mtime > 0 ? (unsigned long long)mtime : 0);
	h[156] = '0';
	memcpy(h + 257, "ustar", 6);
	memcpy(h + 263, "00", 2);
	octal(h, 329, 8, 0);
	octal(h, 337, 8, 0);
	snprintf(ck, sizeof ck, "%06o", sum(h));
	memcpy(h + 148, ck, 6);
	h[154] = '\0';
	h[155] = ' ';
	sw__ev_buf_add(b, h, BLOCK);
	sw__ev_buf_add(b, data, len);
	if (len % BLOCK)
		sw__ev_buf_add(b, zero, BLOCK - len % BLOCK);
}

void sw__tar_end(struct sw_ev_buf *b)
{
	static const unsigned char zero[2 * BLOCK];

	sw__ev_buf_add(b, zero, sizeof zero);
}

/* Reads an octal field of `width` bytes written by octal(); -1 when it is
 * not exactly that form. */
static long long get_octal(const unsigned char *h, size_t off, size_t width)
{
	long long v = 0;

	for (size_t i = 0; i < width - 1; i++) {
		if (h[off + i] < '0' || h[off + i] > '7')
			return -1;
		v = v * 8 + (h[off + i] - '0');
	}
	return h[off + width - 1] == '\0' ? v : -1;
}

/* True when n bytes at p are all zero. */
static int zeros(const unsigned char *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (p[i])
			return 0;
	return 1;
}

/* Copies a printable form of the header's name field for messages. */
static void show_name(const unsigned char *h, char *out)
{
	size_t i;

	for (i = 0; i < SW__TAR_NAME_MAX && h[i]; i++)
		out[i] = (h[i] >= 0x20 && h[i] < 0x7f) ? (char)h[i] : '?';
	out[i] = '\0';
	if (!i)
		snprintf(out, SW__TAR_NAME_MAX + 1, "(unnamed member)");
}

/* Checks one header against the shape sw__tar_add writes; returns the
 * member's size or -1. */
static long long header_ok(const unsigned char *h)
{
	unsigned char want[BLOCK] = {0};
	long long ck = get_octal(h, 148, 7), size = get_octal(h, 124, 12);

	if (ck < 0 || h[155] != ' ' || (unsigned)ck != sum(h) || size < 0 || h[156] != '0' ||
	    memcmp(h + 257, "ustar\0" "00", 8) || get_octal(h, 100, 8) != 0644 ||
	    get_octal(h, 108, 8) != 0 || get_octal(h, 116, 8) != 0 || get_octal(h, 136, 12) < 0 ||
	    get_octal(h, 329, 8) != 0 || get_octal(h, 337, 8) != 0)
		return -1;
	/* Unused fields are zero, the name is NUL-padded. */
	if (memcmp(h + 157, want, 100) || memcmp(h + 265, want, 64) || memcmp(h + 345, want, 167))
		return -1;
	for (size_t i = strnlen((const char *)h, SW__TAR_NAME_MAX); i < SW__TAR_NAME_MAX; i++)
		if (h[i])
			return -1;
	return size;
}

enum sw_err sw__tar_read(const unsigned char *p, size_t len, struct sw__tar_member **m,
			 size_t *n, sw_ev_problem_cb cb, void *arg)
{
	struct sw__tar_member *v = NULL;
	size_t at = 0, cnt = 0;
	char name[SW__TAR_NAME_MAX + 1];

	*m = NULL;
	*n = 0;
	if (len % BLOCK) {
		cb(arg, "archive", "length is not a whole number of 512-byte blocks");
		return SW_EINVAL;
	}
	for (;;) {
		long long size;

		if (at + BLOCK > len) {
			cb(arg, "archive", "ends without the end-of-archive mark");
			goto bad;
		}
		if (zeros(p + at, BLOCK))
			break;
		show_name(p + at, name);
		if ((size = header_ok(p + at)) < 0) {
			cb(arg, name, "archive header is damaged (checksum or format)");
			goto bad;
		}
		if ((unsigned long long)size > len - at - BLOCK) {
			cb(arg, name, "member runs past the end of the archive");
			goto bad;
		}
		if (cnt >= SW__TAR_MEMBERS_MAX) {
			cb(arg, "archive", "too many members");
			goto bad;
		}
		if (!(cnt % 64)) {
			struct sw__tar_member *nv = realloc(v, (cnt + 64) * sizeof *nv);

			if (!nv) {
				free(v);
				return SW_ENOMEM;
			}
			v = nv;
		}
		memcpy(v[cnt].name, name, sizeof name);
		v[cnt].data = p + at + BLOCK;
		v[cnt].len = (size_t)size;
		at += BLOCK + (size_t)size;
		if (size % BLOCK) {
			size_t pad = BLOCK - (size_t)(size % BLOCK);

			if (!zeros(p + at, pad)) {
				cnt++;
				cb(arg, name, "padding after the member is not zero");
				goto bad;
			}
			at += pad;
		}
		cnt++;
	}
	/* The end mark is two zero blocks; nothing but zeros may follow. */
	if (at + 2 * BLOCK > len || !zeros(p + at, len - at)) {
		cb(arg, "archive", "end-of-archive mark is damaged or followed by data");
		goto bad;
	}
	*m = v;
	*n = cnt;
	return SW_OK;
bad:
	*m = v;
	*n = cnt;
	return SW_EINVAL;
}
