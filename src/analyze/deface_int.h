/*
 * deface_int.h - the defacement phrase matcher (deface_sig.c) as deface.c
 * uses it.  Not a public contract.
 */
#ifndef SW_ANALYZE_DEFACE_INT_H
#define SW_ANALYZE_DEFACE_INT_H

#include <stddef.h>
#include <stdint.h>

#include "core/err.h"

/* Phrase classes, from the rules file a phrase came from. */
enum sw__dsig_class {
	SW__DSIG_STRONG, /* deface/strong*.txt: enough alone */
	SW__DSIG_WEAK,   /* deface/weak*.txt: needs corroboration */
	SW__DSIG_SLOGAN  /* deface/slogan*.txt: context and banner scoring only */
};

#define SW__DSIG_MAX_PHRASES 4096

struct sw__dsig;

/* One match: phrase id and byte range in the scanned text. */
struct sw__dsig_hit {
	uint32_t pat;
	uint32_t from, to;
};

/* Compiles the deface/ rules files from dir (NULL: embedded) into *out (caller's). */
enum sw_err sw__dsig_load(const char *dir, struct sw__dsig **out, struct sw_errbuf *eb);
void sw__dsig_free(struct sw__dsig *s);

/*
 * Scans text for phrases, storing up to cap hits (later ones are dropped,
 * the scan goes on counting) in hits; *n gets the number stored.  At most
 * one hit per phrase starting at the same offset.  SW_ENOMEM only.
 */
enum sw_err sw__dsig_scan(const struct sw__dsig *s, const char *text, size_t len,
			  struct sw__dsig_hit *hits, size_t cap, size_t *n);

/* Number of phrases, and class and rules-file text of phrase pat. */
size_t sw__dsig_count(const struct sw__dsig *s);
enum sw__dsig_class sw__dsig_class_of(const struct sw__dsig *s, uint32_t pat);
const char *sw__dsig_text(const struct sw__dsig *s, uint32_t pat);

#endif
