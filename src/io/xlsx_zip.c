/*
 * xlsx_zip.c - the XLSX container (libzip) and the hardened XML driver
 * (expat) every part goes through.
 *
 * Facts that shaped it:
 *  - A ZIP entry declares its uncompressed size, and deflate can expand
 *    about a thousandfold, so a 1 MB "bomb" can claim gigabytes.  A part
 *    declaring more than lim.part_bytes is refused before anything is
 *    inflated; a part that inflates past what it declared (a lying header)
 *    is cut off at that point.  Inflated bytes go straight into expat in
 *    64 KiB chunks, so a 300 MB worksheet is never held in memory.
 *  - OOXML parts never carry a DOCTYPE.  Refusing one removes every entity
 *    trick at once: no internal entity can be declared (no "billion
 *    laughs"), no external one referenced (no XXE, nothing fetched).
 *    Parameter entities are off and an external-entity handler refuses too.
 *  - Expat keeps its own tag stack (no recursion), but the nesting a part
 *    may reach is bounded anyway: a worksheet is six levels deep.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "io/xlsx_int.h"

#define CHUNK (64 * 1024)

void sw__xml_fail(struct sw__xml *xml, enum sw_err rc, const char *fmt, ...)
{
	char msg[400];
	va_list ap;

	if (xml->rc)
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	xml->rc = sw_errf(xml->eb, rc, "%s: %s", xml->part, msg);
	XML_StopParser(xml->p, XML_FALSE);
}

const char *sw__xml_local(const char *name)
{
	const char *colon = strchr(name, ':');

	return colon ? colon + 1 : name;
}

const char *sw__xml_attr(const char **atts, const char *name)
{
	for (size_t i = 0; atts[i] && atts[i + 1]; i += 2)
		if (strncmp(atts[i], "xmlns", 5) != 0 && !strcmp(sw__xml_local(atts[i]), name))
			return atts[i + 1];
	return NULL;
}

void sw__xml_clear(struct sw__xml *xml)
{
	xml->len = 0;
	if (xml->buf)
		xml->buf[0] = '\0';
}

/* Expat's start handler: bounds the depth, then the part's handler. */
static void XMLCALL on_start(void *ud, const XML_Char *name, const XML_Char **atts)
{
	struct sw__xml *xml = ud;

	if (++xml->depth > xml->x->lim.depth) {
		sw__xml_fail(xml, SW_ELIMIT, "elements nested deeper than %zu", xml->x->lim.depth);
		return;
	}
	if (xml->start && !xml->rc)
		xml->start(xml, sw__xml_local(name), atts);
}

/* Expat's end handler: the depth, then the part's handler. */
static void XMLCALL on_end(void *ud, const XML_Char *name)
{
	struct sw__xml *xml = ud;

	xml->depth--;
	if (xml->end && !xml->rc)
		xml->end(xml, sw__xml_local(name));
}

/* Gathers character data while a handler asked for it (bounded). */
static void XMLCALL on_text(void *ud, const XML_Char *s, int len)
{
	struct sw__xml *xml = ud;
	size_t need;

	if (xml->collect <= 0 || xml->rc || len <= 0)
		return;
	need = xml->len + (size_t)len + 1;
	if (need - 1 > xml->x->lim.cell_bytes) {
		sw__xml_fail(xml, SW_ELIMIT, "a text of more than %zu bytes",
			     xml->x->lim.cell_bytes);
		return;
	}
	if (need > xml->cap) {
		size_t cap = xml->cap ? xml->cap * 2 : 256;
		char *b;

		while (cap < need)
			cap *= 2;
		if (!(b = realloc(xml->buf, cap))) {
			sw__xml_fail(xml, SW_ENOMEM, "out of memory");
			return;
		}
		xml->buf = b;
		xml->cap = cap;
	}
	memcpy(xml->buf + xml->len, s, (size_t)len);
	xml->len += (size_t)len;
	xml->buf[xml->len] = '\0';
}

/* A DOCTYPE is never part of OOXML: refuse it and everything it enables. */
static void XMLCALL on_doctype(void *ud, const XML_Char *name, const XML_Char *sysid,
			       const XML_Char *pubid, int has_internal)
{
	(void)name, (void)sysid, (void)pubid, (void)has_internal;
	sw__xml_fail(ud, SW_EINVAL, "has a DOCTYPE (entities are not allowed in a workbook)");
}

/* An external entity is never loaded (no DOCTYPE gets this far anyway). */
static int XMLCALL on_ext_entity(XML_Parser p, const XML_Char *context, const XML_Char *base,
				 const XML_Char *sysid, const XML_Char *pubid)
{
	(void)p, (void)context, (void)base, (void)sysid, (void)pubid;
	return XML_STATUS_ERROR;
}

/* Makes the parser for one part. */
static XML_Parser new_parser(struct sw__xml *xml)
{
	/* Without namespace processing: expat would build "uri|name" for every
	 * element and attribute (a third of the parse of a big sheet), and
	 * matching local names is all the reader needs. */
	XML_Parser p = XML_ParserCreate(NULL);

	if (!p)
		return NULL;
	XML_SetUserData(p, xml);
	XML_SetElementHandler(p, on_start, on_end);
	XML_SetCharacterDataHandler(p, on_text);
	XML_SetStartDoctypeDeclHandler(p, on_doctype);
	XML_SetExternalEntityRefHandler(p, on_ext_entity);
	XML_SetParamEntityParsing(p, XML_PARAM_ENTITY_PARSING_NEVER);
	return p;
}

int sw__xlsx_has(struct sw_xlsx *x, const char *name)
{
	return zip_name_locate(x->zip, name, ZIP_FL_NOCASE) >= 0;
}

/* Checks the entry idx before inflating it: not encrypted, a size within
 * the bound.  Returns the declared size in *size. */
static enum sw_err check_entry(struct sw_xlsx *x, zip_int64_t idx, const char *part,
			       zip_uint64_t *size, struct sw_errbuf *eb)
{
	zip_stat_t zs;

	zip_stat_init(&zs);
	if (zip_stat_index(x->zip, (zip_uint64_t)idx, 0, &zs) != 0)
		return sw_errf(eb, SW_EINVAL, "%s: %s", part, zip_strerror(x->zip));
	if ((zs.valid & ZIP_STAT_ENCRYPTION_METHOD) && zs.encryption_method != ZIP_EM_NONE)
		return sw_errf(eb, SW_EINVAL,
			       "%s is encrypted: save the workbook without a password", part);
	if (!(zs.valid & ZIP_STAT_SIZE))
		return sw_errf(eb, SW_EINVAL, "%s: no size in the ZIP directory", part);
	if (zs.size > x->lim.part_bytes)
		return sw_errf(eb, SW_ELIMIT,
			       "%s would inflate to %llu bytes, more than the %zu allowed "
			       "(a ZIP bomb?)",
			       part, (unsigned long long)zs.size, x->lim.part_bytes);
	*size = zs.size;
	return SW_OK;
}

/* Inflates the entry chunk by chunk into the parser. */
static enum sw_err pump(struct sw_xlsx *x, zip_int64_t idx, const char *part,
			zip_uint64_t size, struct sw__xml *xml, struct sw_errbuf *eb)
{
	zip_file_t *zf = zip_fopen_index(x->zip, (zip_uint64_t)idx, 0);
	char *chunk = malloc(CHUNK);
	zip_uint64_t total = 0;
	zip_int64_t got;
	enum sw_err rc = SW_OK;

	if (!zf || !chunk) {
		rc = chunk ? sw_errf(eb, SW_EINVAL, "%s: %s", part, zip_strerror(x->zip)) : SW_ENOMEM;
		goto out;
	}
	do {
		got = zip_fread(zf, chunk, CHUNK);
		if (got < 0) {
			rc = sw_errf(eb, SW_EINVAL, "%s: %s (damaged or truncated file?)", part,
				     zip_file_strerror(zf));
			break;
		}
		total += (zip_uint64_t)got;
		if (total > size) {
			rc = sw_errf(eb, SW_ELIMIT, "%s inflates past its declared %llu bytes", part,
				     (unsigned long long)size);
			break;
		}
		if (XML_Parse(xml->p, chunk, (int)got, got == 0) != XML_STATUS_OK) {
			if (!xml->rc)
				xml->rc = sw_errf(eb, SW_EINVAL, "%s: bad XML at line %lu: %s", part,
						  (unsigned long)XML_GetCurrentLineNumber(xml->p),
						  XML_ErrorString(XML_GetErrorCode(xml->p)));
			rc = xml->rc;
			break;
		}
		if ((rc = xml->rc))
			break;
	} while (got > 0);
out:
	if (zf)
		zip_fclose(zf);
	free(chunk);
	return rc;
}

enum sw_err sw__xlsx_parse(struct sw_xlsx *x, const char *part, struct sw__xml *xml,
			   struct sw_errbuf *eb)
{
	zip_int64_t idx = zip_name_locate(x->zip, part, ZIP_FL_NOCASE);
	zip_uint64_t size = 0;
	enum sw_err rc;

	if (idx < 0)
		return SW_ENOTFOUND;
	if ((rc = check_entry(x, idx, part, &size, eb)))
		return rc;
	xml->x = x;
	xml->part = part;
	xml->depth = 0;
	xml->rc = SW_OK;
	xml->eb = eb;
	xml->collect = 0;
	xml->len = 0;
	if (!(xml->p = new_parser(xml)))
		return SW_ENOMEM;
	rc = pump(x, idx, part, size, xml, eb);
	XML_ParserFree(xml->p);
	xml->p = NULL;
	free(xml->buf);
	xml->buf = NULL;
	xml->cap = xml->len = 0;
	return rc;
}

enum sw_err sw__xlsx_keep(struct sw_xlsx *x, const char *s, size_t len, uint64_t *off)
{
	size_t need = x->tlen + len + 1;

	if (need > x->lim.text_bytes)
		return SW_ELIMIT;
	if (need > x->tcap) {
		size_t cap = x->tcap ? x->tcap : 4096;
		char *t;

		while (cap < need)
			cap *= 2;
		if (!(t = realloc(x->text, cap)))
			return SW_ENOMEM;
		x->text = t;
		x->tcap = cap;
	}
	memcpy(x->text + x->tlen, s, len);
	x->text[x->tlen + len] = '\0';
	*off = x->tlen;
	x->tlen = need;
	return SW_OK;
}
