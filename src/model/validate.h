/*
 * validate.h - validators for the register's identifiers and contact data.
 *
 * Every validator is a pure function: it checks the text `in` (UTF-8,
 * NUL-terminated, leading/trailing ASCII and full-width spaces ignored) and on
 * success writes the canonical form into the caller's buffer `out` of `outsz`
 * bytes (always NUL-terminated) and returns SW_OK.  On failure it returns
 * SW_EINVAL and writes one sentence saying what is wrong into `eb` (which may
 * be NULL); the caller adds which row, column or option was at fault.
 * A canonical form that does not fit in `out` is SW_ELIMIT.
 * `out` may not alias `in`.
 */
#ifndef SW_MODEL_VALIDATE_H
#define SW_MODEL_VALIDATE_H

#include <stddef.h>

#include "core/err.h"

/* Longest canonical outputs, for sizing buffers. */
#define SW_URL_MAX 2048
#define SW_DOMAIN_MAX 254
#define SW_IP_MAX 46

/*
 * Unified social credit code (统一社会信用代码, GB 32100-2015): 18 characters
 * from "0123456789ABCDEFGHJKLMNPQRTUWXY"; positions 3-8 are digits (a region
 * code); the 18th is the check character.  Lower case is accepted and
 * upper-cased.  The message for a wrong check character names the expected one.
 */
enum sw_err sw_valid_credit_code(const char *in, char *out, size_t outsz,
				 struct sw_errbuf *eb);

/*
 * Returns the GB 32100-2015 check character for the first 17 characters of
 * `code17` (upper case), or '\0' when one of them is not in the code's
 * alphabet.  Used by the validator and by data generators.
 */
char sw_credit_code_check_char(const char *code17);

/*
 * ICP filing or licence number: <province abbr>ICP备<6-10 digits>号[-<n>]
 * or <abbr>ICP证<digits>号.  Full-width hyphen/digits are normalised.
 * Canonical: "京ICP备12345678号-1".
 */
enum sw_err sw_valid_icp(const char *in, char *out, size_t outsz, struct sw_errbuf *eb);

/*
 * Public-security filing number: <province abbr>公网安备 <14 digits>号, the
 * space optional; the first two digits must be the code of the province the
 * abbreviation names.  Canonical: "京公网安备 11010502030143号".
 */
enum sw_err sw_valid_psb(const char *in, char *out, size_t outsz, struct sw_errbuf *eb);

/*
 * Government website identifier code (网站标识码): ten characters, either
 * ten digits whose first six are a region code of a known province, or "bm"
 * followed by eight digits (ministries).  Canonical keeps "bm" lower case.
 */
enum sw_err sw_valid_gov_code(const char *in, char *out, size_t outsz,
			      struct sw_errbuf *eb);

/*
 * GB/T 2260 region code: six digits, the first two a known province
 * (sw_province_by_code).  Returns SW_OK; *level (may be NULL) gets
 * 1 province (xx0000), 2 city (xxyy00), 3 county.
 */
enum sw_err sw_valid_region_code(const char *in, char *out, size_t outsz, int *level,
				 struct sw_errbuf *eb);

/*
 * Domain name: IDN labels converted to punycode (libidn2, non-transitional),
 * lower-cased, trailing dot dropped; each label 1-63 of [a-z0-9-] not
 * starting or ending with '-', at least two labels, at most 253 bytes,
 * top-level label not all digits.
 */
enum sw_err sw_valid_domain(const char *in, char *out, size_t outsz, struct sw_errbuf *eb);

/*
 * Home-page URL: http or https (scheme added as "http://" when missing),
 * host a domain (as sw_valid_domain) or an IP literal ([v6] in brackets),
 * optional port 1-65535, path kept as given (no spaces or control bytes).
 * Canonical: lower-case scheme and host, default port dropped, "/" when the
 * path is empty.  The canonical host (punycode or IP text without brackets)
 * goes to `host` (hostsz bytes); *host_is_ip (may be NULL) says which kind.
 */
enum sw_err sw_valid_url(const char *in, char *out, size_t outsz, char *host, size_t hostsz,
			 int *host_is_ip, struct sw_errbuf *eb);

/* IPv4 or IPv6 address (inet_pton); canonical text from inet_ntop. */
enum sw_err sw_valid_ip(const char *in, char *out, size_t outsz, struct sw_errbuf *eb);

/*
 * Phone number: mainland mobile (11 digits starting 1[3-9]), landline with
 * area code (0 + 2-3 digits, optional '-', 7-8 digits, optional extension
 * "-digits" or "转digits"), or 400/800 numbers; "+86" or "86-" prefix allowed
 * and dropped.  Spaces and hyphens inside mobile numbers are removed.
 */
enum sw_err sw_valid_phone(const char *in, char *out, size_t outsz, struct sw_errbuf *eb);

/* E-mail address: local@domain with a valid domain (IDN converted). */
enum sw_err sw_valid_email(const char *in, char *out, size_t outsz, struct sw_errbuf *eb);

/*
 * Calendar date: YYYY-MM-DD, YYYY/MM/DD, YYYY.MM.DD or YYYY年M月D日, year
 * 1990-2100, a real day of that month.  Canonical: YYYY-MM-DD.
 */
enum sw_err sw_valid_date(const char *in, char *out, size_t outsz, struct sw_errbuf *eb);

/* A province of GB/T 2260 with the abbreviations used in filing numbers. */
struct sw_province {
	const char *code;    /* two digits, e.g. "11" */
	const char *abbr;    /* e.g. "京" */
	const char *abbr2;   /* alternative (e.g. "蜀" for 川), or NULL */
};

/* Returns the province whose two-digit code starts `code`, or NULL. */
const struct sw_province *sw_province_by_code(const char *code);

/* Returns the province whose abbreviation starts `s` (UTF-8), or NULL;
 * *len (may be NULL) gets the byte length of the matched abbreviation. */
const struct sw_province *sw_province_by_abbr(const char *s, size_t *len);

#endif
