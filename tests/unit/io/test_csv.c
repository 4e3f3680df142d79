/*
 * test_csv.c - unit tests for src/io/csv.c.
 *
 * Most cases render what the reader returns as text ("line:[f1][f2]" per
 * record) so that a whole file's expected result fits on a line or two.  The
 * fast reader is also checked against a naive byte-at-a-time reference on
 * random inputs, and the writer by writing random fields and reading them
 * back.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "io/csv.h"

/* Length of a string literal without its NUL, for inputs holding NULs. */
#define LIT(s) (s), (sizeof(s) - 1)

/*
 * Reads every record of in[0..len) and renders it as "line:[f1][f2]\n" into
 * a new string in *out (caller frees).  Returns the code that ended reading:
 * SW_ENOTFOUND when the whole input was read.
 */
static enum sw_err render(const char *in, size_t len, char **out, struct sw_errbuf *eb)
{
	struct sw_csv r;
	const char **f;
	size_t n, i, sz;
	enum sw_err rc;
	FILE *m = open_memstream(out, &sz);

	assert_non_null(m);
	sw_errbuf_clear(eb);
	sw_csv_init(&r, in, len);
	while ((rc = sw_csv_next(&r, &f, &n, eb)) == SW_OK) {
		fprintf(m, "%zu:", sw_csv_record_line(&r));
		for (i = 0; i < n; i++)
			fprintf(m, "[%s]", f[i]);
		fputc('\n', m);
	}
	sw_csv_cleanup(&r);
	fclose(m);
	return rc;
}

/* Asserts that in[0..len) reads completely and renders as `want`. */
static void expect_ok(const char *in, size_t len, const char *want)
{
	struct sw_errbuf eb;
	char *got;

	assert_int_equal(render(in, len, &got, &eb), SW_ENOTFOUND);
	assert_string_equal(got, want);
	assert_true(sw_errbuf_empty(&eb));
	free(got);
}

/* Asserts that reading in[0..len) fails with rc and exactly message msg. */
static void expect_err(const char *in, size_t len, enum sw_err rc, const char *msg)
{
	struct sw_errbuf eb;
	char *got;

	assert_int_equal(render(in, len, &got, &eb), rc);
	assert_string_equal(eb.msg, msg);
	free(got);
}

/* Returns the next value of a fixed-seed xorshift64 generator. */
static uint64_t rnd(uint64_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

/* Missing arguments are errors, never crashes; a NULL buffer reads as empty. */
static void test_null_args(void **state)
{
	struct sw_errbuf eb;
	struct sw_csv r;
	const char **f;
	size_t n;

	(void)state;
	sw_errbuf_clear(&eb);
	assert_int_equal(sw_csv_next(NULL, &f, &n, &eb), SW_EINVAL);
	assert_false(sw_errbuf_empty(&eb));
	sw_csv_init(&r, NULL, 5);
	assert_int_equal(sw_csv_next(&r, NULL, &n, NULL), SW_EINVAL);
	assert_int_equal(sw_csv_next(&r, &f, NULL, NULL), SW_EINVAL);
	assert_int_equal(sw_csv_next(&r, &f, &n, NULL), SW_ENOTFOUND);
	assert_int_equal(sw_csv_record_line(&r), 0);
	assert_int_equal(sw_csv_record_line(NULL), 0);
	sw_csv_cleanup(&r);
	sw_csv_cleanup(NULL);
	assert_int_equal(sw_csv_write_field(NULL, "a", 1, 0), SW_EINVAL);
	assert_int_equal(sw_csv_write_eol(NULL), SW_EINVAL);
	assert_null(sw_csv_undefuse(NULL));
}

/* Empty input has no records at all, not one empty record. */
static void test_empty_input(void **state)
{
	(void)state;
	expect_ok("", 0, "");
}

/* A one-field file, with and without a line end or quotes. */
static void test_one_field(void **state)
{
	(void)state;
	expect_ok(LIT("a"), "1:[a]\n");
	expect_ok(LIT("a\n"), "1:[a]\n");
	expect_ok(LIT("a\r\n"), "1:[a]\n");
	expect_ok(LIT("\"a\""), "1:[a]\n");
}

/* Plain records: CRLF and LF, empty and trailing fields, kept spaces. */
static void test_simple_records(void **state)
{
	(void)state;
	expect_ok(LIT("a,b,c\r\nd,e,f\n"), "1:[a][b][c]\n2:[d][e][f]\n");
	expect_ok(LIT(",,\n"), "1:[][][]\n");
	expect_ok(LIT("a,\n"), "1:[a][]\n");
	expect_ok(LIT("a,"), "1:[a][]\n");
	expect_ok(LIT(" a , b \n"), "1:[ a ][ b ]\n");
	expect_ok(LIT("网站,名称\n"), "1:[网站][名称]\n");
}

/* The last record may lack its line end, as Excel sometimes writes it. */
static void test_missing_final_newline(void **state)
{
	(void)state;
	expect_ok(LIT("a,b\nc,d"), "1:[a][b]\n2:[c][d]\n");
	expect_ok(LIT("a,b\r\nc,\"d\""), "1:[a][b]\n2:[c][d]\n");
	/* A CR cut off from its LF at the very end still ends the line. */
	expect_ok(LIT("a,b\r"), "1:[a][b]\n");
	expect_ok(LIT("a,\"b\"\r"), "1:[a][b]\n");
}

/* A blank line is a record of one empty field and still counts as a line. */
static void test_blank_lines(void **state)
{
	(void)state;
	expect_ok(LIT("\n"), "1:[]\n");
	expect_ok(LIT("\r\n"), "1:[]\n");
	expect_ok(LIT("a\n\nb\n"), "1:[a]\n2:[]\n3:[b]\n");
	expect_ok(LIT("a\r\n\r\n\r\nb"), "1:[a]\n2:[]\n3:[]\n4:[b]\n");
}

/* Quoted fields: separators inside, doubled quotes, empty quoted values. */
static void test_quotes(void **state)
{
	(void)state;
	expect_ok(LIT("\"a,b\",\"c\"\"d\"\n"), "1:[a,b][c\"d]\n");
	expect_ok(LIT("\"\"\n"), "1:[]\n");
	expect_ok(LIT("\"\"\"\"\n"), "1:[\"]\n");
	expect_ok(LIT("\"\"\"a\"\"\",\"\"\n"), "1:[\"a\"][]\n");
	expect_ok(LIT("x,\"\"\"\"\"\"\"\""), "1:[x][\"\"\"]\n");
	expect_ok(LIT("\"a\r\",b\n"), "1:[a\r][b]\n");
}

/* The lenient rule: a quote inside an unquoted field is text. */
static void test_stray_quote_is_literal(void **state)
{
	(void)state;
	expect_ok(LIT("ab\"c,d\n"), "1:[ab\"c][d]\n");
	expect_ok(LIT("a\"\",\"b\"\n"), "1:[a\"\"][b]\n");
	/* A quote after leading space does not open a quoted field. */
	expect_ok(LIT(" \"a,b\"\n"), "1:[ \"a][b\"]\n");
}

/* Only a CR that ends a line is stripped; any other CR is data. */
static void test_lone_cr_is_text(void **state)
{
	(void)state;
	expect_ok(LIT("a\rb,c\r\n"), "1:[a\rb][c]\n");
	expect_ok(LIT("a\r,b\n"), "1:[a\r][b]\n");
	/* Only one CR is part of the line end. */
	expect_ok(LIT("a\r\r\nb"), "1:[a\r]\n2:[b]\n");
}

/* Newlines inside quotes advance the physical line of later records. */
static void test_embedded_newlines_count_lines(void **state)
{
	(void)state;
	expect_ok(LIT("\"x\r\ny\",z\r\nnext\r\n"), "1:[x\r\ny][z]\n3:[next]\n");
	expect_ok(LIT("a,\"1\n2\n3\",b\nc\n\"\n\"\nd"),
		  "1:[a][1\n2\n3][b]\n4:[c]\n5:[\n]\n7:[d]\n");
}

/* Pointers handed out before scratch grows mid-record must be rebased. */
static void test_fields_survive_scratch_growth(void **state)
{
	enum { NF = 300, FL = 1000 };
	struct sw_csv r;
	const char **f;
	size_t n, i, pos = 0;
	char *in = malloc((size_t)NF * (FL + 3) + 1);
	char want[FL + 1];

	(void)state;
	assert_non_null(in);
	/* Alternate plain and quoted fields so both readers grow scratch. */
	for (i = 0; i < NF; i++) {
		if (i % 2)
			in[pos++] = '"';
		memset(in + pos, 'A' + (int)(i % 26), FL);
		pos += FL;
		if (i % 2)
			in[pos++] = '"';
		in[pos++] = i + 1 < NF ? ',' : '\n';
	}
	sw_csv_init(&r, in, pos);
	assert_int_equal(sw_csv_next(&r, &f, &n, NULL), SW_OK);
	assert_int_equal(n, NF);
	for (i = 0; i < NF; i++) {
		memset(want, 'A' + (int)(i % 26), FL);
		want[FL] = '\0';
		assert_string_equal(f[i], want);
	}
	assert_int_equal(sw_csv_next(&r, &f, &n, NULL), SW_ENOTFOUND);
	sw_csv_cleanup(&r);
	free(in);
}

/* An unclosed quote names the line where the field opened. */
static void test_unterminated_quote(void **state)
{
	(void)state;
	expect_err(LIT("a\nb,\"c\nd\n"), SW_EINVAL, "line 2: quoted field not closed");
	expect_err(LIT("\""), SW_EINVAL, "line 1: quoted field not closed");
	expect_err(LIT("\"a\"\""), SW_EINVAL, "line 1: quoted field not closed");
}

/* Anything but a separator or line end after a closing quote is an error. */
static void test_text_after_closing_quote(void **state)
{
	(void)state;
	expect_err(LIT("x\n\"a\"b,c\n"), SW_EINVAL, "line 2: text after closing quote");
	expect_err(LIT("\"a\" ,c\n"), SW_EINVAL, "line 1: text after closing quote");
	expect_err(LIT("\"a\nb\"\rc\n"), SW_EINVAL, "line 2: text after closing quote");
}

/* A NUL byte would truncate the C string, so it is refused. */
static void test_nul_byte(void **state)
{
	(void)state;
	expect_err(LIT("a\nb\0c\n"), SW_EINVAL, "line 2: NUL byte in field");
	expect_err(LIT("\"a\n\0\"\n"), SW_EINVAL, "line 2: NUL byte in field");
}

/* After an error the reader keeps failing instead of resyncing. */
static void test_error_parks_reader(void **state)
{
	struct sw_errbuf eb;
	struct sw_csv r;
	const char **f;
	size_t n;

	(void)state;
	sw_errbuf_clear(&eb);
	sw_csv_init(&r, LIT("ok\n\"bad\"x\nmore\n"));
	assert_int_equal(sw_csv_next(&r, &f, &n, &eb), SW_OK);
	assert_int_equal(sw_csv_next(&r, &f, &n, &eb), SW_EINVAL);
	assert_null(f);
	assert_int_equal(n, 0);
	assert_int_equal(sw_csv_record_line(&r), 2);
	assert_int_equal(sw_csv_next(&r, &f, &n, NULL), SW_EINVAL);
	assert_int_equal(sw_csv_next(&r, &f, &n, NULL), SW_EINVAL);
	assert_string_equal(eb.msg, "line 2: text after closing quote");
	sw_csv_cleanup(&r);
}

/* Builds "x\n" + prefix + n times c + suffix for the limit tests. */
static char *long_line(const char *prefix, char c, size_t n, const char *suffix, size_t *len)
{
	size_t pl = strlen(prefix), sl = strlen(suffix);
	char *s = malloc(2 + pl + n + sl + 1);

	assert_non_null(s);
	memcpy(s, "x\n", 2);
	memcpy(s + 2, prefix, pl);
	memset(s + 2 + pl, c, n);
	memcpy(s + 2 + pl + n, suffix, sl + 1);
	*len = 2 + pl + n + sl;
	return s;
}

/* Asserts that the second record of in[0..len) is one field of want bytes. */
static void expect_second_len(const char *in, size_t len, size_t want)
{
	struct sw_csv r;
	const char **f;
	size_t n;

	sw_csv_init(&r, in, len);
	assert_int_equal(sw_csv_next(&r, &f, &n, NULL), SW_OK);
	assert_int_equal(sw_csv_next(&r, &f, &n, NULL), SW_OK);
	assert_int_equal(n, 1);
	assert_int_equal(strlen(f[0]), want);
	assert_int_equal(sw_csv_next(&r, &f, &n, NULL), SW_ENOTFOUND);
	sw_csv_cleanup(&r);
}

/* SW_CSV_FIELD_MAX applies to the unescaped value, exactly at the boundary. */
static void test_field_size_limit(void **state)
{
	const size_t max = SW_CSV_FIELD_MAX;
	const char *plain = "line 2: field longer than 65536 bytes";
	const char *quoted =
		"line 2: quoted field longer than 65536 bytes (is a closing quote missing?)";
	char *s;
	size_t len;

	(void)state;
	s = long_line("", 'a', max, "\r\n", &len);
	expect_second_len(s, len, max);
	free(s);
	s = long_line("", 'a', max, "", &len);
	expect_second_len(s, len, max);
	free(s);
	s = long_line("", 'a', max + 1, "\n", &len);
	expect_err(s, len, SW_ELIMIT, plain);
	free(s);
	s = long_line("", 'a', max + 1, "", &len);
	expect_err(s, len, SW_ELIMIT, plain);
	free(s);
	s = long_line("\"", 'a', max, "\"\n", &len);
	expect_second_len(s, len, max);
	free(s);
	s = long_line("\"", 'a', max + 1, "\"\n", &len);
	expect_err(s, len, SW_ELIMIT, quoted);
	free(s);
	/* The limit is on the unescaped value: 2 * max raw bytes read as max. */
	s = long_line("\"", '"', 2 * max, "\"\n", &len);
	expect_second_len(s, len, max);
	free(s);
	s = long_line("\"", '"', 2 * max + 2, "\"\n", &len);
	expect_err(s, len, SW_ELIMIT, quoted);
	free(s);
	s = long_line("\"", '\n', max, "\"", &len);
	expect_second_len(s, len, max);
	free(s);
	s = long_line("\"", '\n', max + 1, "\"", &len);
	expect_err(s, len, SW_ELIMIT, quoted);
	free(s);
	/* An opening quote that is never closed stops at the limit, not at EOF. */
	s = long_line("\"", 'a', 4 * max, "", &len);
	expect_err(s, len, SW_ELIMIT, quoted);
	free(s);
}

/* Builds n fields on line 3 ("a,a,...,a\n") after two short lines. */
static char *many_fields(size_t n, size_t *len)
{
	char *s = malloc(4 + 2 * n + 1);
	size_t i;

	assert_non_null(s);
	memcpy(s, "x\ny\n", 4);
	for (i = 0; i < n; i++) {
		s[4 + 2 * i] = 'a';
		s[4 + 2 * i + 1] = i + 1 < n ? ',' : '\n';
	}
	s[4 + 2 * n] = '\0';
	*len = 4 + 2 * n;
	return s;
}

/* SW_CSV_FIELDS_MAX fields are fine; one more is an error naming the line. */
static void test_field_count_limit(void **state)
{
	struct sw_csv r;
	const char **f;
	size_t n, len;
	char *s;

	(void)state;
	s = many_fields(SW_CSV_FIELDS_MAX, &len);
	sw_csv_init(&r, s, len);
	assert_int_equal(sw_csv_next(&r, &f, &n, NULL), SW_OK);
	assert_int_equal(sw_csv_next(&r, &f, &n, NULL), SW_OK);
	assert_int_equal(sw_csv_next(&r, &f, &n, NULL), SW_OK);
	assert_int_equal(n, SW_CSV_FIELDS_MAX);
	assert_int_equal(sw_csv_record_line(&r), 3);
	sw_csv_cleanup(&r);
	free(s);
	s = many_fields(SW_CSV_FIELDS_MAX + 1, &len);
	expect_err(s, len, SW_EINVAL, "line 3: more than 512 fields");
	free(s);
}

/* State of the naive reference reader: input, position, line, output. */
struct ref {
	const char *in;
	size_t len, pos, line;
	FILE *m;
	char *msg;
	size_t msgsz;
};

/* Reference: reads a quoted field at x->pos one byte at a time. */
static enum sw_err ref_quoted(struct ref *x)
{
	size_t open = x->line;

	for (x->pos++;; x->pos++) {
		if (x->pos == x->len) {
			snprintf(x->msg, x->msgsz, "line %zu: quoted field not closed", open);
			return SW_EINVAL;
		}
		if (x->in[x->pos] == '\0') {
			snprintf(x->msg, x->msgsz, "line %zu: NUL byte in field", x->line);
			return SW_EINVAL;
		}
		if (x->in[x->pos] == '"' && x->pos + 1 < x->len && x->in[x->pos + 1] == '"')
			x->pos++;
		else if (x->in[x->pos] == '"')
			break;
		else if (x->in[x->pos] == '\n')
			x->line++;
		fputc(x->in[x->pos], x->m);
	}
	x->pos++;
	if (x->pos < x->len && x->in[x->pos] == '\r' &&
	    (x->pos + 1 == x->len || x->in[x->pos + 1] == '\n'))
		x->pos++;
	else if (x->pos < x->len && x->in[x->pos] != ',' && x->in[x->pos] != '\n') {
		snprintf(x->msg, x->msgsz, "line %zu: text after closing quote", x->line);
		return SW_EINVAL;
	}
	return SW_OK;
}

/* Reference: reads an unquoted field at x->pos one byte at a time. */
static enum sw_err ref_plain(struct ref *x)
{
	size_t start = x->pos;

	while (x->pos < x->len && x->in[x->pos] != ',' && x->in[x->pos] != '\n') {
		if (x->in[x->pos] == '\0') {
			snprintf(x->msg, x->msgsz, "line %zu: NUL byte in field", x->line);
			return SW_EINVAL;
		}
		x->pos++;
	}
	if (x->pos > start && x->in[x->pos - 1] == '\r' &&
	    (x->pos == x->len || x->in[x->pos] == '\n'))
		fwrite(x->in + start, 1, x->pos - start - 1, x->m);
	else
		fwrite(x->in + start, 1, x->pos - start, x->m);
	return SW_OK;
}

/*
 * The naive reference reader: one byte at a time, no scratch tricks, the
 * rules of csv.c written as directly as possible.  Renders like render()
 * into x->m and writes the same messages into x->msg.
 */
static enum sw_err ref_render(struct ref *x)
{
	enum sw_err rc;

	while (x->pos < x->len) {
		fprintf(x->m, "%zu:", x->line);
		for (;;) {
			fputc('[', x->m);
			if (x->pos < x->len && x->in[x->pos] == '"')
				rc = ref_quoted(x);
			else
				rc = ref_plain(x);
			if (rc != SW_OK)
				return rc;
			fputc(']', x->m);
			if (x->pos == x->len)
				break;
			if (x->in[x->pos++] == '\n') {
				x->line++;
				break;
			}
		}
		fputc('\n', x->m);
	}
	return SW_ENOTFOUND;
}

/* The word-at-a-time reader agrees with the naive one on random input. */
static void test_matches_naive_reference(void **state)
{
	/* Dense specials test the rules; sparse ones the 8-byte word path. */
	static const char dense[] = "ab,\"\n\r \0";
	static const char sparse[] = "abcdefghijklmnopqrstuvwxyz,\"\n\r\0";
	uint64_t seed = 0x9E3779B97F4A7C15u;
	char in[64], msg[512], *want, *got;
	const char *alphabet;
	struct sw_errbuf eb;
	struct ref x;
	size_t len, i, wsz, iter, na;
	enum sw_err wrc, grc;

	(void)state;
	for (iter = 0; iter < 200000; iter++) {
		alphabet = iter % 2 ? dense : sparse;
		na = iter % 2 ? sizeof dense - 1 : sizeof sparse - 1;
		len = rnd(&seed) % sizeof in;
		for (i = 0; i < len; i++)
			in[i] = alphabet[rnd(&seed) % na];
		x = (struct ref){ in, len, 0, 1, open_memstream(&want, &wsz), msg, sizeof msg };
		assert_non_null(x.m);
		msg[0] = '\0';
		wrc = ref_render(&x);
		fclose(x.m);
		grc = render(in, len, &got, &eb);
		assert_int_equal(grc, wrc);
		if (wrc == SW_ENOTFOUND)
			assert_string_equal(got, want);
		else
			assert_string_equal(eb.msg, msg);
		free(want);
		free(got);
	}
}

/* Writes fields f[0..n) as one record to m with defuse as given. */
static void write_record(FILE *m, char **f, size_t n, int defuse)
{
	size_t i;

	for (i = 0; i < n; i++)
		assert_int_equal(sw_csv_write_field(m, f[i], i == 0, defuse), SW_OK);
	assert_int_equal(sw_csv_write_eol(m), SW_OK);
}

/* Returns what sw_csv_write_field writes for s alone (caller frees). */
static char *written(const char *s, int defuse)
{
	char *out;
	size_t sz;
	FILE *m = open_memstream(&out, &sz);

	assert_non_null(m);
	assert_int_equal(sw_csv_write_field(m, s, 1, defuse), SW_OK);
	fclose(m);
	return out;
}

/* Asserts that s is written as want. */
static void expect_written(const char *s, int defuse, const char *want)
{
	char *got = written(s, defuse);

	assert_string_equal(got, want);
	free(got);
}

/* The writer quotes only when needed and doubles quotes inside. */
static void test_writer_quoting(void **state)
{
	char *out;
	size_t sz;
	FILE *m;

	(void)state;
	expect_written("a", 0, "a");
	expect_written("", 0, "");
	expect_written(NULL, 0, "");
	expect_written("a,b", 0, "\"a,b\"");
	expect_written("a\"b", 0, "\"a\"\"b\"");
	expect_written("\"", 0, "\"\"\"\"");
	expect_written("a\r\nb", 0, "\"a\r\nb\"");
	expect_written(" a", 0, "\" a\"");
	expect_written("a ", 0, "\"a \"");
	expect_written("a b", 0, "a b");
	expect_written("网站", 0, "网站");
	m = open_memstream(&out, &sz);
	assert_non_null(m);
	assert_int_equal(sw_csv_write_field(m, "a", 1, 0), SW_OK);
	assert_int_equal(sw_csv_write_field(m, "", 0, 0), SW_OK);
	assert_int_equal(sw_csv_write_field(m, "b,c", 0, 0), SW_OK);
	assert_int_equal(sw_csv_write_eol(m), SW_OK);
	fclose(m);
	assert_string_equal(out, "a,,\"b,c\"\r\n");
	free(out);
}

/* Defuse prefixes formula starters (and apostrophes before them) only. */
static void test_writer_defuse(void **state)
{
	(void)state;
	expect_written("=1+1", 1, "'=1+1");
	expect_written("+1", 1, "'+1");
	expect_written("-5", 1, "'-5");
	expect_written("@SUM(A1)", 1, "'@SUM(A1)");
	expect_written("\tx", 1, "'\tx");
	expect_written("\r=x", 1, "\"'\r=x\"");
	expect_written("=a,b", 1, "\"'=a,b\"");
	expect_written("=1+1", 0, "=1+1");
	expect_written("a=1", 1, "a=1");
	expect_written("'abc", 1, "'abc");
	expect_written("'=x", 1, "''=x");
	expect_written("", 1, "");
}

/* Undefuse strips exactly the apostrophe defuse added, nothing else. */
static void test_undefuse(void **state)
{
	(void)state;
	assert_string_equal(sw_csv_undefuse("'=1+1"), "=1+1");
	assert_string_equal(sw_csv_undefuse("'-5"), "-5");
	assert_string_equal(sw_csv_undefuse("'@x"), "@x");
	assert_string_equal(sw_csv_undefuse("'\tx"), "\tx");
	assert_string_equal(sw_csv_undefuse("'\rx"), "\rx");
	assert_string_equal(sw_csv_undefuse("'+"), "+");
	assert_string_equal(sw_csv_undefuse("''=x"), "'=x");
	assert_string_equal(sw_csv_undefuse("'abc"), "'abc");
	assert_string_equal(sw_csv_undefuse("'"), "'");
	assert_string_equal(sw_csv_undefuse("''"), "''");
	assert_string_equal(sw_csv_undefuse("=x"), "=x");
	assert_string_equal(sw_csv_undefuse(""), "");
}

/* A stream that cannot be written gives SW_EIO. */
static void test_writer_io_error(void **state)
{
	FILE *f = fopen("/dev/null", "r");

	(void)state;
	assert_non_null(f);
	assert_int_equal(sw_csv_write_field(f, "a", 1, 0), SW_EIO);
	assert_int_equal(sw_csv_write_field(f, "a,b", 1, 0), SW_EIO);
	assert_int_equal(sw_csv_write_eol(f), SW_EIO);
	fclose(f);
}

/* Fills f[0..n) with random values from pieces that stress the writer. */
static void random_fields(uint64_t *seed, char **f, size_t n)
{
	static const char *const pieces[] = {
		"a", "Z", ",", "\"", "\r", "\n", " ", "=", "+", "-", "@", "\t", "'", "网",
	};
	size_t i, k, len;

	for (i = 0; i < n; i++) {
		len = rnd(seed) % 10;
		f[i] = calloc(len * 3 + 1, 1);
		assert_non_null(f[i]);
		for (k = 0; k < len; k++)
			strcat(f[i], pieces[rnd(seed) % (sizeof pieces / sizeof pieces[0])]);
	}
}

/* Writes random records with defuse as given, reads them back, compares. */
static void round_trip(int defuse)
{
	enum { RECS = 2000, MAXF = 8 };
	static char *f[RECS][MAXF];
	static size_t nf[RECS];
	uint64_t seed = 42;
	struct sw_csv r;
	const char **got;
	size_t i, k, n, sz;
	char *out;
	FILE *m = open_memstream(&out, &sz);

	assert_non_null(m);
	for (i = 0; i < RECS; i++) {
		nf[i] = 1 + rnd(&seed) % MAXF;
		random_fields(&seed, f[i], nf[i]);
		write_record(m, f[i], nf[i], defuse);
	}
	fclose(m);
	sw_csv_init(&r, out, sz);
	for (i = 0; i < RECS; i++) {
		assert_int_equal(sw_csv_next(&r, &got, &n, NULL), SW_OK);
		assert_int_equal(n, nf[i]);
		for (k = 0; k < n; k++) {
			assert_string_equal(defuse ? sw_csv_undefuse(got[k]) : got[k], f[i][k]);
			free(f[i][k]);
		}
	}
	assert_int_equal(sw_csv_next(&r, &got, &n, NULL), SW_ENOTFOUND);
	sw_csv_cleanup(&r);
	free(out);
}

/* Random fields written and read back are unchanged, defused or not. */
static void test_writer_round_trip(void **state)
{
	(void)state;
	round_trip(0);
	round_trip(1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_null_args),
		cmocka_unit_test(test_empty_input),
		cmocka_unit_test(test_one_field),
		cmocka_unit_test(test_simple_records),
		cmocka_unit_test(test_missing_final_newline),
		cmocka_unit_test(test_blank_lines),
		cmocka_unit_test(test_quotes),
		cmocka_unit_test(test_stray_quote_is_literal),
		cmocka_unit_test(test_lone_cr_is_text),
		cmocka_unit_test(test_embedded_newlines_count_lines),
		cmocka_unit_test(test_fields_survive_scratch_growth),
		cmocka_unit_test(test_unterminated_quote),
		cmocka_unit_test(test_text_after_closing_quote),
		cmocka_unit_test(test_nul_byte),
		cmocka_unit_test(test_error_parks_reader),
		cmocka_unit_test(test_field_size_limit),
		cmocka_unit_test(test_field_count_limit),
		cmocka_unit_test(test_matches_naive_reference),
		cmocka_unit_test(test_writer_quoting),
		cmocka_unit_test(test_writer_defuse),
		cmocka_unit_test(test_undefuse),
		cmocka_unit_test(test_writer_io_error),
		cmocka_unit_test(test_writer_round_trip),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
