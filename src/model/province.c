/*
 * province.c - the GB/T 2260 province-level divisions and the one-character
 * abbreviations that ICP and public-security filing numbers begin with.
 *
 * Kept apart from validate.c because it is data, not parsing.  Five
 * provinces have a second abbreviation in common use (川/蜀, 贵/黔, 云/滇,
 * 陕/秦, 甘/陇; the MIIT itself issues 蜀ICP备 and 黔ICP备), so both are
 * accepted and the caller keeps whichever was written.
 */
#include "model/validate.h"

#include <string.h>

static const struct sw_province provinces[] = {
	{"11", "京", NULL}, {"12", "津", NULL}, {"13", "冀", NULL},
	{"14", "晋", NULL}, {"15", "蒙", NULL}, {"21", "辽", NULL},
	{"22", "吉", NULL}, {"23", "黑", NULL}, {"31", "沪", NULL},
	{"32", "苏", NULL}, {"33", "浙", NULL}, {"34", "皖", NULL},
	{"35", "闽", NULL}, {"36", "赣", NULL}, {"37", "鲁", NULL},
	{"41", "豫", NULL}, {"42", "鄂", NULL}, {"43", "湘", NULL},
	{"44", "粤", NULL}, {"45", "桂", NULL}, {"46", "琼", NULL},
	{"50", "渝", NULL}, {"51", "川", "蜀"}, {"52", "贵", "黔"},
	{"53", "云", "滇"}, {"54", "藏", NULL}, {"61", "陕", "秦"},
	{"62", "甘", "陇"}, {"63", "青", NULL}, {"64", "宁", NULL},
	{"65", "新", NULL}, {"71", "台", NULL}, {"81", "港", NULL},
	{"82", "澳", NULL},
};

#define NPROVINCES (sizeof provinces / sizeof provinces[0])

/*
 * Returns the province whose two-digit code begins `code`, or NULL.  The
 * second byte is read only when the first is not the terminator, so a
 * one-character string is safe.
 */
const struct sw_province *sw_province_by_code(const char *code)
{
	size_t i;

	if (code == NULL || code[0] == '\0' || code[1] == '\0')
		return NULL;
	for (i = 0; i < NPROVINCES; i++)
		if (provinces[i].code[0] == code[0] && provinces[i].code[1] == code[1])
			return &provinces[i];
	return NULL;
}

/* True when s begins with the whole of prefix; strncmp stops at s's NUL. */
static int has_prefix(const char *s, const char *prefix)
{
	return prefix != NULL && strncmp(s, prefix, strlen(prefix)) == 0;
}

/*
 * Returns the province whose main or alternative abbreviation begins `s`,
 * or NULL; *len (may be NULL) gets the byte length of the one that matched
 * so the caller can keep the spelling it was given.
 */
const struct sw_province *sw_province_by_abbr(const char *s, size_t *len)
{
	size_t i;
	const char *hit;

	if (s == NULL)
		return NULL;
	for (i = 0; i < NPROVINCES; i++) {
		if (has_prefix(s, provinces[i].abbr))
			hit = provinces[i].abbr;
		else if (has_prefix(s, provinces[i].abbr2))
			hit = provinces[i].abbr2;
		else
			continue;
		if (len)
			*len = strlen(hit);
		return &provinces[i];
	}
	return NULL;
}
