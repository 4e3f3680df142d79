/*
 * csv.h - RFC 4180 CSV reading over an in-memory UTF-8 buffer, and writing.
 *
 * Imports come from spreadsheets, so the reader accepts what Excel writes:
 * CRLF or LF, quoted fields with doubled quotes and embedded newlines, a
 * final record without a line end.  Limits protect against hostile files:
 * a field longer than SW_CSV_FIELD_MAX or a record with more than
 * SW_CSV_FIELDS_MAX fields is an error naming the line, never a crash.
 */
#ifndef SW_IO_CSV_H
#define SW_IO_CSV_H

#include <stdio.h>
#include <stddef.h>

#include "core/err.h"

#define SW_CSV_FIELD_MAX (64 * 1024)
#define SW_CSV_FIELDS_MAX 512

/* Reader state; fields live in memory the reader owns until the next call. */
struct sw_csv {
	const char *buf;    /* borrowed input */
	size_t len, pos;
	size_t line;        /* 1-based physical line of the next record */
	size_t rec_line;    /* line where the last returned record started */
	char *scratch;      /* owned: unescaped field bytes, NUL separated */
	size_t scratch_cap;
	const char **fields; /* owned array of pointers into scratch */
	size_t fields_cap;
};

/* Prepares r to read buf[0..len) (borrowed; must outlive r). */
void sw_csv_init(struct sw_csv *r, const char *buf, size_t len);

/* Frees what r owns; r may be reused after sw_csv_init. */
void sw_csv_cleanup(struct sw_csv *r);

/*
 * Reads the next record.  On SW_OK, *fields[0..*nfields) are NUL-terminated
 * strings owned by r, valid until the next call or cleanup; surrounding
 * whitespace is kept (the caller trims).  A completely empty line yields a
 * record with one empty field.  Returns SW_ENOTFOUND at end of input,
 * SW_EINVAL for a malformed record (unterminated quote, stray quote inside an
 * unquoted field, too many fields) or SW_ELIMIT for an oversize field, with
 * the line in eb; SW_ENOMEM when allocation fails.
 */
enum sw_err sw_csv_next(struct sw_csv *r, const char ***fields, size_t *nfields,
			struct sw_errbuf *eb);

/* 1-based physical line on which the last returned record started. */
size_t sw_csv_record_line(const struct sw_csv *r);

/*
 * Writes one field to f, quoted when it holds a comma, quote, CR or LF or
 * starts/ends with a space.  `first` says no separating comma is written
 * before it.  With `defuse`, a value starting with = + - @ TAB or CR is
 * prefixed with an apostrophe so spreadsheets do not run it as a formula
 * (CSV injection); sw_csv_undefuse() reverses that on import.  Returns
 * SW_EIO when the write fails.
 */
enum sw_err sw_csv_write_field(FILE *f, const char *s, int first, int defuse);

/* Ends a record with CRLF (what Excel expects).  SW_EIO on failure. */
enum sw_err sw_csv_write_eol(FILE *f);

/* Returns s without the apostrophe sw_csv_write_field added in defuse mode
 * (a pointer into s; nothing is allocated). */
const char *sw_csv_undefuse(const char *s);

#endif
