/*
 * compliance_marks.h - reading the compliance marks (ICP filing number,
 * public-security filing number, 网站标识码, 主办单位 line) out of page
 * text, and the comparable keys that decide whether a shown mark is the
 * registered one.  Internal to the compliance analyzer (compliance.c).
 *
 * The analyzer finds anchors ("ICP", "网安备", "标识码", "主办单位" ...) in
 * one Vectorscan pass; these functions look at a small window around one
 * anchor.  Pages write the marks by hand in every width and spacing
 * (京ＩＣＰ备０５０７０２１８号, 京ICP备 05070218 号-1, 京公网安备：1101...),
 * so the window is folded to ASCII first and every parser is lenient about
 * blanks and colons; what must be right is the number itself.
 *
 * All functions are pure, bounded by the window size, and never read past
 * the n bytes they are given.
 */
#ifndef SW_ANALYZE_COMPLIANCE_MARKS_H
#define SW_ANALYZE_COMPLIANCE_MARKS_H

#include <stddef.h>
#include <stdint.h>

/* One mark read from the text. */
struct sw__cm_val {
	char key[128];     /* comparable: "京ICP备05070218", "11010502030143", "1100000001", org name */
	char shown[128];   /* as a person should read it (folded): "京ICP备05070218号-1" */
	uint32_t off, len; /* byte range in the text that was parsed */
};

/*
 * Each parser reads the mark whose anchor occupies [a, a + alen) of t
 * (n bytes, UTF-8) into *v and returns 1, or returns 0 when the anchor
 * introduces no number (a label such as "ICP备案号：" whose number follows
 * as its own mark, running text, a truncated number).
 *
 * sw__cm_icp: anchor "ICP" (any width or case); province abbreviation
 * before it optional; "备" filing or "证" licence; 4-12 digits; optional
 * "号" and "-N" sub-site suffix, which is kept in shown but not in key.
 */
int sw__cm_icp(const char *t, size_t n, size_t a, size_t alen, struct sw__cm_val *v);

/* Anchor "网安备" (of 公网安备, 公安网安备) or "公安备案号"; 10-16 digits.  key:
 * the digits. */
int sw__cm_psb(const char *t, size_t n, size_t a, size_t alen, struct sw__cm_val *v);

/* Anchor "网站标识码"; a run of 6-12 letters and digits after it (colon,
 * blanks, "为" allowed in between).  key: the run, lower case. */
int sw__cm_code(const char *t, size_t n, size_t a, size_t alen, struct sw__cm_val *v);

/*
 * Anchor: a word that introduces the sponsor line (主办单位, 主办 ...);
 * need_colon says the word only counts when a colon follows it (short
 * words like 主办 also occur in running text).  The name after it, up to a
 * blank, a separator or the next label, must have at least two
 * characters.  key: the name without blanks.
 */
int sw__cm_org(const char *t, size_t n, size_t a, size_t alen, int need_colon,
	       struct sw__cm_val *v);

/*
 * Comparable key of a register value: the same keys as the parsers give.
 * reg is what the register holds (any width and spacing; the validators of
 * model/validate.h canonicalise it first when they can).  Returns 1 and
 * fills key (cap bytes), or 0 when reg holds no such number (then the
 * register cannot be compared with and no mismatch is reported).
 */
int sw__cm_icp_key(const char *reg, char *key, size_t cap);
int sw__cm_psb_key(const char *reg, char *key, size_t cap);
int sw__cm_code_key(const char *reg, char *key, size_t cap);
int sw__cm_org_key(const char *reg, char *key, size_t cap);

/*
 * True when the ICP keys a and b name the same filing: equal, or equal
 * after "ICP" when one of them was shown without a province abbreviation.
 */
int sw__cm_icp_same(const char *a, const char *b);

/*
 * True when the organisation names a and b (keys) are the same sponsor:
 * equal, or one contains the other and the shorter has at least four
 * characters (网站 footers often add or drop 办公室, 门户网站 ...).
 */
int sw__cm_org_same(const char *a, const char *b);

#endif
