/*
 * webfiles.h - the dashboard's files, compiled into the binary.
 *
 * The table is generated at build time by tools/sw_embed_web.c from web/
 * (and ECharts' dist file from web/node_modules), see cmake/web.cmake, so
 * `sitewarden serve` needs no files on disk and no page loads anything
 * from the internet.
 */
#ifndef SW_SERVER_WEBFILES_H
#define SW_SERVER_WEBFILES_H

#include <stddef.h>

struct sw_webfile {
	const char *path;           /* URL path, "/index.html"; table sorted by strcmp */
	const unsigned char *data;  /* the bytes, NUL-terminated as well */
	size_t len;                 /* without the NUL */
	const char *etag;           /* quoted strong ETag of the bytes */
};

extern const struct sw_webfile sw_webfiles[];
extern const size_t sw_webfiles_count;

/* The embedded file at URL path `path` ("/" is "/index.html"), or NULL.
 * The path must be exactly a table entry: no decoding, no "..", no
 * directory listing. */
const struct sw_webfile *sw_webfile_find(const char *path);

#endif
