/*
 * xlsx_book.c - the parts of a workbook around its worksheets: the package
 * relations (where the workbook is), the workbook's relations and sheet
 * list (which part is the sheet the user wants, which date system), the
 * styles (which cell formats show dates) and the shared strings.
 *
 * Part names are found through the relations rather than assumed, since
 * generators other than Excel name them differently; the usual names are
 * the fall-back when a relation is missing.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "io/xlsx_int.h"

#define PATH_MAX_LEN 1024

/* One relationship of the workbook, or one sheet of its list. */
struct rel {
	char *id, *type, *target;
};
struct sheet_ent {
	char *name, *rid;
	int hidden;
};

struct book {
	struct rel *rels;
	size_t nrels, rels_cap;
	struct sheet_ent *sheets;
	size_t nsheets, sheets_cap;
	char *office; /* the package's main part */
	int date1904;
};

/* True when the relationship type URI ends with /suffix. */
static int type_is(const char *type, const char *suffix)
{
	size_t t = strlen(type), s = strlen(suffix);

	return t > s && type[t - s - 1] == '/' && !strcmp(type + t - s, suffix);
}

/*
 * Resolves a relation target against the directory dir ("xl/") into a new
 * string: absolute targets lose their leading slash, "." and ".." segments
 * are folded.  NULL when too long or out of memory.
 */
static char *resolve(const char *dir, const char *target)
{
	char joined[PATH_MAX_LEN], out[PATH_MAX_LEN];
	size_t o = 0;
	char *save = NULL;

	if (target[0] == '/')
		snprintf(joined, sizeof joined, "%s", target + 1);
	else if (snprintf(joined, sizeof joined, "%s%s", dir, target) >= (int)sizeof joined)
		return NULL;
	out[0] = '\0';
	for (char *seg = strtok_r(joined, "/", &save); seg; seg = strtok_r(NULL, "/", &save)) {
		if (!strcmp(seg, "."))
			continue;
		if (!strcmp(seg, "..")) {
			while (o > 0 && out[o - 1] != '/')
				o--;
			if (o > 0)
				o--;
			out[o] = '\0';
			continue;
		}
		o += (size_t)snprintf(out + o, sizeof out - o, "%s%s", o ? "/" : "", seg);
		if (o >= sizeof out)
			return NULL;
	}
	return strdup(out);
}

/* Relationships: <Relationship Id= Type= Target= [TargetMode=External]>. */
static void rels_start(struct sw__xml *xml, const char *name, const char **atts)
{
	struct book *b = xml->ctx;
	const char *id = sw__xml_attr(atts, "Id"), *type = sw__xml_attr(atts, "Type");
	const char *target = sw__xml_attr(atts, "Target"), *mode = sw__xml_attr(atts, "TargetMode");
	struct rel *r;

	if (strcmp(name, "Relationship") || !id || !type || !target ||
	    (mode && !strcasecmp(mode, "External")))
		return;
	if (b->nrels >= xml->x->lim.entries) {
		sw__xml_fail(xml, SW_ELIMIT, "more than %zu relationships", xml->x->lim.entries);
		return;
	}
	if (b->nrels == b->rels_cap) {
		size_t cap = b->rels_cap ? b->rels_cap * 2 : 16;

		if (!(r = realloc(b->rels, cap * sizeof *r))) {
			sw__xml_fail(xml, SW_ENOMEM, "out of memory");
			return;
		}
		b->rels = r;
		b->rels_cap = cap;
	}
	r = &b->rels[b->nrels];
	r->id = strdup(id);
	r->type = strdup(type);
	r->target = strdup(target);
	b->nrels++;
	if (!r->id || !r->type || !r->target)
		sw__xml_fail(xml, SW_ENOMEM, "out of memory");
}

/* Frees the relations gathered so far (the package's are not needed once
 * the workbook is found). */
static void free_rels(struct book *b)
{
	for (size_t i = 0; i < b->nrels; i++) {
		free(b->rels[i].id);
		free(b->rels[i].type);
		free(b->rels[i].target);
	}
	free(b->rels);
	b->rels = NULL;
	b->nrels = b->rels_cap = 0;
}

/* Finds the workbook part through _rels/.rels (fall-back xl/workbook.xml)
 * and refuses binary and macro-only packages. */
static enum sw_err find_workbook(struct sw_xlsx *x, struct book *b, struct sw_errbuf *eb)
{
	struct sw__xml xml = {.start = rels_start, .ctx = b};
	enum sw_err rc = sw__xlsx_parse(x, "_rels/.rels", &xml, eb);

	if (rc && rc != SW_ENOTFOUND)
		return rc;
	for (size_t i = 0; i < b->nrels && !x->wb_path; i++)
		if (type_is(b->rels[i].type, "officeDocument") &&
		    !(x->wb_path = resolve("", b->rels[i].target)))
			return SW_ENOMEM;
	free_rels(b);
	if (!x->wb_path && !(x->wb_path = strdup("xl/workbook.xml")))
		return SW_ENOMEM;
	if (strlen(x->wb_path) > 4 && !strcasecmp(x->wb_path + strlen(x->wb_path) - 4, ".bin"))
		return sw_errf(eb, SW_EINVAL,
			       "this is a binary workbook (.xlsb): save it as .xlsx (Excel Workbook)");
	if (!sw__xlsx_has(x, x->wb_path)) {
		if (sw__xlsx_has(x, "xl/vbaProject.bin"))
			return sw_errf(eb, SW_EINVAL, "the file holds only macros, no worksheet");
		return sw_errf(eb, SW_EINVAL, "not an Excel workbook: the ZIP has no %s", x->wb_path);
	}
	return SW_OK;
}

/* The workbook: <workbookPr date1904=>, <sheet name= state= r:id=>. */
static void wb_start(struct sw__xml *xml, const char *name, const char **atts)
{
	struct book *b = xml->ctx;
	struct sheet_ent *s;
	const char *v;

	if (!strcmp(name, "workbookPr")) {
		v = sw__xml_attr(atts, "date1904");
		b->date1904 = v && (!strcmp(v, "1") || !strcmp(v, "true"));
		return;
	}
	if (strcmp(name, "sheet"))
		return;
	if (b->nsheets >= xml->x->lim.entries) {
		sw__xml_fail(xml, SW_ELIMIT, "more than %zu sheets", xml->x->lim.entries);
		return;
	}
	if (b->nsheets == b->sheets_cap) {
		size_t cap = b->sheets_cap ? b->sheets_cap * 2 : 8;

		if (!(s = realloc(b->sheets, cap * sizeof *s))) {
			sw__xml_fail(xml, SW_ENOMEM, "out of memory");
			return;
		}
		b->sheets = s;
		b->sheets_cap = cap;
	}
	s = &b->sheets[b->nsheets++];
	v = sw__xml_attr(atts, "state");
	s->hidden = v && strcmp(v, "visible") != 0;
	s->name = strdup((v = sw__xml_attr(atts, "name")) ? v : "");
	s->rid = strdup((v = sw__xml_attr(atts, "id")) ? v : "");
	if (!s->name || !s->rid)
		sw__xml_fail(xml, SW_ENOMEM, "out of memory");
}

/* The relation called id, or NULL. */
static const struct rel *rel_by_id(const struct book *b, const char *id)
{
	for (size_t i = 0; i < b->nrels; i++)
		if (!strcmp(b->rels[i].id, id))
			return &b->rels[i];
	return NULL;
}

/* Sets x->sheet_path and name: the sheet called want, else the first
 * visible worksheet (chart sheets have no cells). */
static enum sw_err choose_sheet(struct sw_xlsx *x, const struct book *b, const char *dir,
				const char *want, struct sw_errbuf *eb)
{
	for (size_t i = 0; i < b->nsheets; i++) {
		const struct sheet_ent *s = &b->sheets[i];
		const struct rel *r = rel_by_id(b, s->rid);

		if (want ? strcasecmp(s->name, want) != 0 : s->hidden)
			continue;
		if (!r || !type_is(r->type, "worksheet")) {
			if (want)
				return sw_errf(eb, SW_EINVAL, "sheet '%s' is not a worksheet", want);
			continue;
		}
		if (!(x->sheet_path = resolve(dir, r->target)) || !(x->sheet_name = strdup(s->name)))
			return SW_ENOMEM;
		return SW_OK;
	}
	if (want)
		return sw_errf(eb, SW_EINVAL, "the workbook has no sheet called '%s'", want);
	return sw_errf(eb, SW_EINVAL, "the workbook has no worksheet");
}

/* Reads the workbook's relations and sheet list; chooses the sheet. */
static enum sw_err read_workbook(struct sw_xlsx *x, struct book *b, const char *want,
				 struct sw_errbuf *eb)
{
	char dir[PATH_MAX_LEN], rels[PATH_MAX_LEN + 16];
	const char *slash = strrchr(x->wb_path, '/');
	size_t dl = slash ? (size_t)(slash - x->wb_path) + 1 : 0;
	struct sw__xml xml = {.start = rels_start, .ctx = b};
	enum sw_err rc;

	snprintf(dir, sizeof dir, "%.*s", (int)dl, x->wb_path);
	snprintf(rels, sizeof rels, "%s_rels/%s.rels", dir, x->wb_path + dl);
	if ((rc = sw__xlsx_parse(x, rels, &xml, eb)) && rc != SW_ENOTFOUND)
		return rc;
	xml = (struct sw__xml){.start = wb_start, .ctx = b};
	if ((rc = sw__xlsx_parse(x, x->wb_path, &xml, eb)))
		return rc;
	x->date1904 = b->date1904;
	for (size_t i = 0; i < b->nrels; i++) {
		char **slot = type_is(b->rels[i].type, "sharedStrings") ? &x->sst_path
			      : type_is(b->rels[i].type, "styles")      ? &x->styles_path
									: NULL;

		if (slot && !*slot && !(*slot = resolve(dir, b->rels[i].target)))
			return SW_ENOMEM;
	}
	return choose_sheet(x, b, dir, want, eb);
}

/* Custom number formats of the styles part, by id. */
struct styles {
	long *ids;
	unsigned char *date;
	size_t n, cap;
	int in_cellxfs;
};

/* A <numFmt> is remembered by id; an <xf> of <cellXfs> (not of
 * <cellStyleXfs>, which cells never reference) gets its date flag. */
static void styles_start(struct sw__xml *xml, const char *name, const char **atts)
{
	struct styles *s = xml->ctx;
	struct sw_xlsx *x = xml->x;
	const char *id = sw__xml_attr(atts, "numFmtId");
	long fid = id ? strtol(id, NULL, 10) : 0;

	if (!strcmp(name, "cellXfs")) {
		s->in_cellxfs = 1;
	} else if (!strcmp(name, "numFmt") && id && s->n < x->lim.styles) {
		if (s->n == s->cap) {
			size_t cap = s->cap ? s->cap * 2 : 16;
			long *ids = realloc(s->ids, cap * sizeof *ids);
			unsigned char *d = ids ? realloc(s->date, cap) : NULL;

			if (ids)
				s->ids = ids;
			if (!d) {
				sw__xml_fail(xml, SW_ENOMEM, "out of memory");
				return;
			}
			s->date = d;
			s->cap = cap;
		}
		s->ids[s->n] = fid;
		s->date[s->n++] = (unsigned char)sw__xlsx_is_date_format(
			fid, sw__xml_attr(atts, "formatCode") ? sw__xml_attr(atts, "formatCode") : "");
	} else if (!strcmp(name, "xf") && s->in_cellxfs) {
		int date = sw__xlsx_is_date_format(fid, NULL);

		if (x->nxf >= x->lim.styles) {
			sw__xml_fail(xml, SW_ELIMIT, "more than %zu cell formats", x->lim.styles);
			return;
		}
		for (size_t i = 0; i < s->n; i++)
			if (s->ids[i] == fid)
				date = s->date[i];
		x->xf_date[x->nxf++] = (unsigned char)date;
	}
}

/* Leaves <cellXfs>. */
static void styles_end(struct sw__xml *xml, const char *name)
{
	if (!strcmp(name, "cellXfs"))
		((struct styles *)xml->ctx)->in_cellxfs = 0;
}

/* Reads which cell formats show dates (no styles part: none do). */
static enum sw_err read_styles(struct sw_xlsx *x, struct sw_errbuf *eb)
{
	struct styles s = {0};
	struct sw__xml xml = {.start = styles_start, .end = styles_end, .ctx = &s};
	const char *path = x->styles_path ? x->styles_path : "xl/styles.xml";
	enum sw_err rc;

	if (!(x->xf_date = calloc(x->lim.styles ? x->lim.styles : 1, 1)))
		return SW_ENOMEM;
	rc = sw__xlsx_parse(x, path, &xml, eb);
	free(s.ids);
	free(s.date);
	return rc == SW_ENOTFOUND ? SW_OK : rc;
}

/* Shared strings: <si> holds <t> or rich runs <r><t>; <rPh> phonetic runs
 * (furigana) are not part of the value. */
struct sst {
	int in_si, in_rph;
};

/* Starts a string, a phonetic run or a text run to gather. */
static void sst_start(struct sw__xml *xml, const char *name, const char **atts)
{
	struct sst *s = xml->ctx;

	(void)atts;
	if (!strcmp(name, "si")) {
		s->in_si = 1;
		sw__xml_clear(xml);
	} else if (!strcmp(name, "rPh")) {
		s->in_rph = 1;
	} else if (!strcmp(name, "t") && s->in_si && !s->in_rph) {
		xml->collect = 1;
	}
}

/* Keeps the finished string (an empty one costs no text). */
static void sst_end(struct sw__xml *xml, const char *name)
{
	struct sst *s = xml->ctx;
	struct sw_xlsx *x = xml->x;
	enum sw_err rc;

	if (!strcmp(name, "t")) {
		xml->collect = 0;
	} else if (!strcmp(name, "rPh")) {
		s->in_rph = 0;
	} else if (!strcmp(name, "si") && s->in_si) {
		s->in_si = 0;
		if (x->nsst >= x->lim.strings) {
			sw__xml_fail(xml, SW_ELIMIT, "more than %zu shared strings", x->lim.strings);
			return;
		}
		if (x->nsst == x->sst_cap) {
			size_t cap = x->sst_cap ? x->sst_cap * 2 : 256;
			uint64_t *a = realloc(x->sst, cap * sizeof *a);

			if (!a) {
				sw__xml_fail(xml, SW_ENOMEM, "out of memory");
				return;
			}
			x->sst = a;
			x->sst_cap = cap;
		}
		xml->len = xml->buf ? sw__xlsx_unescape(xml->buf, xml->len) : 0;
		if (xml->len == 0)
			x->sst[x->nsst++] = 0;
		else if ((rc = sw__xlsx_keep(x, xml->buf, xml->len, &x->sst[x->nsst++])))
			sw__xml_fail(xml, rc, "more than %zu bytes of text", x->lim.text_bytes);
	}
}

/* Reads the shared strings (a workbook of numbers may have none). */
static enum sw_err read_sst(struct sw_xlsx *x, struct sw_errbuf *eb)
{
	struct sst s = {0};
	struct sw__xml xml = {.start = sst_start, .end = sst_end, .ctx = &s};
	enum sw_err rc = sw__xlsx_parse(x, x->sst_path ? x->sst_path : "xl/sharedStrings.xml", &xml,
					eb);

	return rc == SW_ENOTFOUND ? SW_OK : rc;
}

enum sw_err sw__xlsx_book(struct sw_xlsx *x, const char *sheet, struct sw_errbuf *eb)
{
	struct book b = {0};
	enum sw_err rc;

	if (!(rc = find_workbook(x, &b, eb)) && !(rc = read_workbook(x, &b, sheet, eb)) &&
	    !(rc = read_styles(x, eb)))
		rc = read_sst(x, eb);
	free_rels(&b);
	for (size_t i = 0; i < b.nsheets; i++) {
		free(b.sheets[i].name);
		free(b.sheets[i].rid);
	}
	free(b.sheets);
	return rc;
}
