/*
 * csv.c - RFC 4180 CSV reading over an in-memory UTF-8 buffer, and writing.
 *
 * Facts that shaped it:
 *  - This is the import hot path (100,000 rows of 30 fields must parse in
 *    well under 100 ms).  Each field is scanned and copied in the same pass,
 *    eight bytes at a time, into a scratch buffer that the reader keeps
 *    between records and grows geometrically.  Space for the longest possible
 *    field is reserved before the copy starts, so the word loop never checks
 *    for room, and nothing is allocated per field or per record once the
 *    buffers have reached the size of the widest record plus one field.
 *  - The fields array points into scratch.  When scratch has to grow in the
 *    middle of a record, the pointers handed out so far are rebased onto the
 *    new block before the old one is freed.
 *  - The input is hostile: a field is never scanned more than two bytes past
 *    SW_CSV_FIELD_MAX, so a 1 GB file without a delimiter costs 64 KiB of
 *    work, and a reader that failed stays failed (pos is parked past the end)
 *    because after a broken quote there is no safe place to resume.
 *
 * Choices where RFC 4180 and real files disagree:
 *  - A quote inside an unquoted field is an ordinary character (`ab"c` reads
 *    as ab"c).  The RFC forbids it, but Excel never writes it and refusing a
 *    whole register over a harmless byte helps nobody.
 *  - Text between a closing quote and the next comma or line end is an error
 *    ("a"b): the quoting is then not what the writer meant, and guessing could
 *    shift every later column.
 *  - Lines end with LF or CR LF.  A CR is stripped only where it ends a line
 *    (right before LF or at the end of input); elsewhere it is text, so old
 *    Mac files that end lines with a bare CR read as one long line.
 *  - A NUL byte is an error: fields are C strings and would be truncated.
 */
#include "io/csv.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define SCRATCH_MIN 4096
#define FIELDS_MIN 32

/* The record being assembled: bytes of scratch used and fields started. */
struct rec {
	size_t used;
	size_t n;
};

/* Prepares r to read buf[0..len); a NULL buf reads as empty input. */
void sw_csv_init(struct sw_csv *r, const char *buf, size_t len)
{
	memset(r, 0, sizeof *r);
	r->buf = buf;
	r->len = buf ? len : 0;
	r->line = 1;
}

/* Frees the scratch and fields arrays; r must be re-initialised to reuse. */
void sw_csv_cleanup(struct sw_csv *r)
{
	if (r == NULL)
		return;
	free(r->scratch);
	free(r->fields);
	memset(r, 0, sizeof *r);
}

/* Returns the line on which the last returned record started (0 before the
 * first record). */
size_t sw_csv_record_line(const struct sw_csv *r)
{
	return r ? r->rec_line : 0;
}

#define WORD_ONES UINT64_C(0x0101010101010101)
#define WORD_LOW7 UINT64_C(0x7F7F7F7F7F7F7F7F)

/*
 * Returns v with 0x80 in every byte that is zero and 0 in every other byte.
 * Unlike the shorter (v - ONES) & ~v trick it has no borrow from one byte
 * into the next, so the flags are exact on either byte order.
 */
static inline uint64_t zero_bytes(uint64_t v)
{
	return ~(((v & WORD_LOW7) + WORD_LOW7) | v | WORD_LOW7);
}

/* Returns the memory-order index (0-7) of the first flagged byte of m != 0. */
static inline size_t first_flag(uint64_t m)
{
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	return (size_t)__builtin_ctzll(m) / 8;
#else
	return (size_t)__builtin_clzll(m) / 8;
#endif
}

/*
 * Copies s[i..lim) to dst until the first byte equal to a, b or NUL and
 * returns that byte's index, or lim.  Scanning and copying are one pass of
 * 8-byte words; no load or store passes lim, so dst needs lim - i bytes and
 * the input is never over-read.  Bytes after the stop may be copied too; the
 * caller ignores them.
 */
static size_t copy_until(const char *s, size_t i, size_t lim, char *dst, unsigned char a,
			 unsigned char b)
{
	const uint64_t wa = WORD_ONES * a, wb = WORD_ONES * b;
	const size_t start = i;
	uint64_t w, m;

	while (lim - i >= 8) {
		memcpy(&w, s + i, 8);
		memcpy(dst + (i - start), &w, 8);
		m = zero_bytes(w) | zero_bytes(w ^ wa) | zero_bytes(w ^ wb);
		if (m != 0)
			return i + first_flag(m);
		i += 8;
	}
	for (; i < lim; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c == a || c == b || c == '\0')
			break;
		dst[i - start] = (char)c;
	}
	return i;
}

/*
 * Makes scratch hold at least `need` bytes, keeping the st->used bytes of the
 * current record and rebasing the st->n field pointers that point into it.
 * A fresh block is allocated rather than realloc'ed so that the old block is
 * still valid while the pointers are rebased.
 */
static enum sw_err grow_scratch(struct sw_csv *r, struct rec *st, size_t need)
{
	size_t cap = r->scratch_cap ? r->scratch_cap : SCRATCH_MIN, i;
	char *p;

	/* need is at most SW_CSV_FIELDS_MAX * (SW_CSV_FIELD_MAX + 3): no overflow. */
	while (cap < need)
		cap *= 2;
	if ((p = malloc(cap)) == NULL)
		return SW_ENOMEM;
	if (st->used > 0)
		memcpy(p, r->scratch, st->used);
	for (i = 0; i < st->n; i++)
		r->fields[i] = p + (r->fields[i] - r->scratch);
	free(r->scratch);
	r->scratch = p;
	r->scratch_cap = cap;
	return SW_OK;
}

/* Makes room for n more bytes of the current record in scratch. */
static inline enum sw_err reserve(struct sw_csv *r, struct rec *st, size_t n)
{
	if (r->scratch_cap - st->used >= n)
		return SW_OK;
	return grow_scratch(r, st, st->used + n);
}

/* Reports a failed allocation while reading the current line. */
static enum sw_err oom(const struct sw_csv *r, struct sw_errbuf *eb)
{
	return sw_errf(eb, SW_ENOMEM, "line %zu: out of memory", r->line);
}

/* Grows the fields array, refusing a record past SW_CSV_FIELDS_MAX (the
 * array never grows beyond that, so a full array means too many fields). */
static enum sw_err grow_fields(struct sw_csv *r, struct sw_errbuf *eb)
{
	size_t cap = r->fields_cap ? r->fields_cap * 2 : FIELDS_MIN;
	const char **p;

	if (r->fields_cap == SW_CSV_FIELDS_MAX)
		return sw_errf(eb, SW_EINVAL, "line %zu: more than %d fields", r->line,
			       SW_CSV_FIELDS_MAX);
	if (cap > SW_CSV_FIELDS_MAX)
		cap = SW_CSV_FIELDS_MAX;
	if ((p = realloc(r->fields, cap * sizeof *p)) == NULL)
		return oom(r, eb);
	r->fields = p;
	r->fields_cap = cap;
	return SW_OK;
}

/* Starts a field at the end of scratch with `need` bytes reserved for it.
 * Reserving first means the pointer is never computed from a NULL scratch. */
static inline enum sw_err begin_field(struct sw_csv *r, struct rec *st, size_t need,
				      struct sw_errbuf *eb)
{
	enum sw_err rc;

	if (st->n == r->fields_cap && (rc = grow_fields(r, eb)) != SW_OK)
		return rc;
	if (reserve(r, st, need) != SW_OK)
		return oom(r, eb);
	r->fields[st->n++] = r->scratch + st->used;
	return SW_OK;
}

/* Reports a NUL byte on the current line. */
static enum sw_err nul_error(const struct sw_csv *r, struct sw_errbuf *eb)
{
	return sw_errf(eb, SW_EINVAL, "line %zu: NUL byte in field", r->line);
}

/*
 * Reads an unquoted field starting at r->pos, up to the next comma, LF or
 * end of input (left at r->pos).  Quotes in it are literal; a CR that ends
 * the line is dropped.
 */
static enum sw_err read_plain(struct sw_csv *r, struct rec *st, struct sw_errbuf *eb)
{
	size_t start = r->pos, lim, end, n;
	enum sw_err rc;
	char *dst;

	/* Two bytes past the limit: room for a line-ending CR, and one to see. */
	lim = r->len - start > SW_CSV_FIELD_MAX + 2 ? start + SW_CSV_FIELD_MAX + 2 : r->len;
	if ((rc = begin_field(r, st, lim - start + 1, eb)) != SW_OK)
		return rc;
	dst = r->scratch + st->used;
	end = copy_until(r->buf, start, lim, dst, ',', '\n');
	if (end < lim && r->buf[end] == '\0')
		return nul_error(r, eb);
	n = end - start;
	if (n > 0 && dst[n - 1] == '\r' && (end == r->len || r->buf[end] == '\n'))
		n--;
	if (n > SW_CSV_FIELD_MAX)
		return sw_errf(eb, SW_ELIMIT, "line %zu: field longer than %d bytes", r->line,
			       SW_CSV_FIELD_MAX);
	dst[n] = '\0';
	st->used += n + 1;
	r->pos = end;
	return SW_OK;
}

/*
 * Checks what follows a closing quote at r->pos: end of input, a comma, LF,
 * or a CR that ends the line (skipped).  Anything else is an error.
 */
static enum sw_err after_quote(struct sw_csv *r, struct sw_errbuf *eb)
{
	const char *s = r->buf;
	size_t p = r->pos;

	if (p == r->len || s[p] == ',' || s[p] == '\n')
		return SW_OK;
	if (s[p] == '\r' && (p + 1 == r->len || s[p + 1] == '\n')) {
		r->pos++;
		return SW_OK;
	}
	return sw_errf(eb, SW_EINVAL, "line %zu: text after closing quote", r->line);
}

/* Reports a quoted field that outgrew SW_CSV_FIELD_MAX; usually its
 * closing quote is missing, so the message points at the opening line. */
static enum sw_err quoted_too_long(size_t open_line, struct sw_errbuf *eb)
{
	return sw_errf(eb, SW_ELIMIT,
		       "line %zu: quoted field longer than %d bytes (is a closing quote "
		       "missing?)",
		       open_line, SW_CSV_FIELD_MAX);
}

/*
 * Copies the quoted text from r->buf[i] up to the next quote, LF or NUL into
 * the current field, at most `room` bytes, and returns where it stopped in
 * *stop.  SW_ELIMIT when more than `room` bytes come first.  Reserves one
 * byte more than it copies for the caller's LF, quote or NUL.
 */
static enum sw_err quoted_run(struct sw_csv *r, struct rec *st, size_t i, size_t room,
			      size_t *stop)
{
	size_t lim = r->len - i > room + 1 ? i + room + 1 : r->len, q;

	if (reserve(r, st, lim - i + 1) != SW_OK)
		return SW_ENOMEM;
	q = copy_until(r->buf, i, lim, r->scratch + st->used, '"', '\n');
	if (q - i > room)
		return SW_ELIMIT;
	st->used += q - i;
	*stop = q;
	return SW_OK;
}

/*
 * Reads a quoted field whose opening quote is at r->pos: doubled quotes
 * become one, LFs are kept and counted as physical lines.  Leaves r->pos
 * after the line-ending CR, if any, that follows the closing quote.
 */
static enum sw_err read_quoted(struct sw_csv *r, struct rec *st, struct sw_errbuf *eb)
{
	const char *s = r->buf;
	size_t open_line = r->line, i = r->pos + 1, flen = 0, q;
	enum sw_err rc;

	if ((rc = begin_field(r, st, 1, eb)) != SW_OK)
		return rc;
	for (;;) {
		rc = quoted_run(r, st, i, SW_CSV_FIELD_MAX - flen, &q);
		if (rc == SW_ELIMIT)
			return quoted_too_long(open_line, eb);
		if (rc != SW_OK)
			return oom(r, eb);
		flen += q - i;
		if (q == r->len)
			return sw_errf(eb, SW_EINVAL, "line %zu: quoted field not closed",
				       open_line);
		if (s[q] == '\0')
			return nul_error(r, eb);
		if (s[q] == '"' && (q + 1 == r->len || s[q + 1] != '"')) {
			r->scratch[st->used++] = '\0';
			r->pos = q + 1;
			return after_quote(r, eb);
		}
		/* A kept LF or one quote of a doubled pair: one byte, then go on. */
		if (flen == SW_CSV_FIELD_MAX)
			return quoted_too_long(open_line, eb);
		if (s[q] == '\n')
			r->line++;
		r->scratch[st->used++] = s[q];
		flen++;
		i = q + (s[q] == '"' ? 2 : 1);
	}
}

/*
 * Reads fields into st until LF or end of input.  Each field is
 * NUL-terminated in scratch; r->pos ends after the LF, r->line counts it.
 */
static enum sw_err read_record(struct sw_csv *r, struct rec *st, struct sw_errbuf *eb)
{
	enum sw_err rc;

	for (;;) {
		if (r->pos < r->len && r->buf[r->pos] == '"')
			rc = read_quoted(r, st, eb);
		else
			rc = read_plain(r, st, eb);
		if (rc != SW_OK)
			return rc;
		if (r->pos == r->len)
			return SW_OK;
		/* The field readers stop only at a comma or LF here. */
		if (r->buf[r->pos++] == '\n') {
			r->line++;
			return SW_OK;
		}
	}
}

/* Reads the next record; see csv.h.  Any failure parks the reader. */
enum sw_err sw_csv_next(struct sw_csv *r, const char ***fields, size_t *nfields,
			struct sw_errbuf *eb)
{
	struct rec st = { 0, 0 };
	enum sw_err rc;

	if (r == NULL || fields == NULL || nfields == NULL)
		return sw_errf(eb, SW_EINVAL, "csv: missing reader or output");
	*fields = NULL;
	*nfields = 0;
	if (r->pos > r->len)
		return sw_errf(eb, SW_EINVAL, "csv: the reader stopped at an earlier error");
	if (r->pos == r->len)
		return SW_ENOTFOUND;
	r->rec_line = r->line;
	rc = read_record(r, &st, eb);
	if (rc != SW_OK) {
		r->pos = r->len + 1;
		return rc;
	}
	*fields = r->fields;
	*nfields = st.n;
	return SW_OK;
}

/* Characters that make a spreadsheet treat a cell as a formula. */
static const char formula_lead[] = "=+-@\t\r";

/*
 * True when s, after any leading apostrophes, starts with a formula
 * character.  Counting the apostrophes makes defuse/undefuse an exact round
 * trip: a value that really is '=x is written ''=x and read back as '=x.
 */
static int needs_defuse(const char *s)
{
	while (*s == '\'')
		s++;
	return *s != '\0' && strchr(formula_lead, *s) != NULL;
}

/* True when s must be quoted: a separator, quote or line break inside, or a
 * space at either end that a careless reader would trim. */
static int needs_quotes(const char *s)
{
	size_t n = strlen(s);

	if (n == 0)
		return 0;
	if (s[0] == ' ' || s[n - 1] == ' ')
		return 1;
	return s[strcspn(s, ",\"\r\n")] != '\0';
}

/* Writes s with each quote doubled (the inside of a quoted field). */
static enum sw_err put_escaped(FILE *f, const char *s)
{
	const char *q;
	size_t n;

	while ((q = strchr(s, '"')) != NULL) {
		n = (size_t)(q - s) + 1;
		if (fwrite(s, 1, n, f) != n || putc('"', f) == EOF)
			return SW_EIO;
		s = q + 1;
	}
	n = strlen(s);
	return fwrite(s, 1, n, f) == n ? SW_OK : SW_EIO;
}

/* Writes one field; see csv.h.  A NULL s is written as an empty field. */
enum sw_err sw_csv_write_field(FILE *f, const char *s, int first, int defuse)
{
	int quote;
	size_t n;

	if (f == NULL)
		return SW_EINVAL;
	if (s == NULL)
		s = "";
	quote = needs_quotes(s);
	if (!first && putc(',', f) == EOF)
		return SW_EIO;
	if (quote && putc('"', f) == EOF)
		return SW_EIO;
	if (defuse && needs_defuse(s) && putc('\'', f) == EOF)
		return SW_EIO;
	if (quote) {
		if (put_escaped(f, s) != SW_OK || putc('"', f) == EOF)
			return SW_EIO;
		return SW_OK;
	}
	n = strlen(s);
	return fwrite(s, 1, n, f) == n ? SW_OK : SW_EIO;
}

/* Ends a record with CR LF. */
enum sw_err sw_csv_write_eol(FILE *f)
{
	if (f == NULL)
		return SW_EINVAL;
	return fwrite("\r\n", 1, 2, f) == 2 ? SW_OK : SW_EIO;
}

/* Strips the apostrophe sw_csv_write_field added in defuse mode; see
 * needs_defuse() for why apostrophes before the formula character count. */
const char *sw_csv_undefuse(const char *s)
{
	if (s != NULL && s[0] == '\'' && needs_defuse(s + 1))
		return s + 1;
	return s;
}
