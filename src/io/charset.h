/*
 * charset.h - detect the encoding of an imported file and turn it into UTF-8.
 *
 * Chinese registers arrive from Excel as UTF-8, UTF-8 with a BOM, or GBK
 * (saved as "CSV" on a Chinese Windows).  GB18030 is a superset of GBK and
 * GB2312, so one iconv conversion covers all three.
 */
#ifndef SW_IO_CHARSET_H
#define SW_IO_CHARSET_H

#include <stddef.h>

#include "core/err.h"

enum sw_charset {
	SW_CS_UTF8,     /* valid UTF-8 without BOM (ASCII included) */
	SW_CS_UTF8_BOM, /* UTF-8 with EF BB BF, BOM dropped */
	SW_CS_GB18030,  /* not UTF-8: decoded as GB18030 (covers GBK, GB2312) */
	SW_CS_UTF16LE,  /* FF FE BOM */
	SW_CS_UTF16BE,  /* FE FF BOM */
};

/* Returns "UTF-8", "UTF-8 (BOM)", "GB18030/GBK", "UTF-16LE", "UTF-16BE". */
const char *sw_charset_name(enum sw_charset cs);

/* True when s[0..len) is well-formed UTF-8 (no overlongs, no surrogates,
 * nothing above U+10FFFF). */
int sw_utf8_valid(const char *s, size_t len);

/*
 * Detects the encoding of buf[0..len) (BOM, else UTF-8 validity, else
 * GB18030) and returns a newly allocated NUL-terminated UTF-8 copy without
 * BOM in *out (caller frees), its length in *outlen, the detected encoding in
 * *cs (may be NULL).  Bytes that are not valid in the detected encoding are
 * SW_ECHARSET with the 1-based line and byte offset in eb; nothing is
 * replaced silently.  An embedded NUL byte is SW_ECHARSET too.
 */
enum sw_err sw_charset_to_utf8(const char *buf, size_t len, char **out, size_t *outlen,
			       enum sw_charset *cs, struct sw_errbuf *eb);

/*
 * Converts NUL-terminated UTF-8 `in` to GB18030; newly allocated result in
 * *out (caller frees), length in *outlen.  For exporting to old tools.
 */
enum sw_err sw_charset_utf8_to_gb18030(const char *in, char **out, size_t *outlen,
				       struct sw_errbuf *eb);

#endif
