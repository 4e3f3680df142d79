/*
 * baseline_cmp.c - compares the sketch of the page under check with the
 * site's baseline: which blocks are as before, which are new, how much of
 * the stable text and structure survived, whether the title or a key
 * image changed.  deface.c turns the numbers into findings.
 *
 * Every lookup is a binary search in the baseline's sorted arrays, so a
 * comparison costs O(blocks log baseline).
 */
#include <stdlib.h>
#include <string.h>

#include "analyze/baseline_int.h"

/* Titles are compared on at most this many normalised bytes. */
#define TITLE_MAX 1024

/* Stable title ends shorter than this (bytes) are too weak to compare. */
#define TITLE_MIN_END 6

/*
 * True when the normalised title cur differs from the baseline's.  A title
 * that varied between baseline versions is compared on its stable prefix
 * or suffix only; a baseline without title compares nothing.
 */
static int title_changed(const struct sw_baseline *b, const char *cur)
{
	size_t tl = strlen(b->title), cl = strnlen(cur, TITLE_MAX);

	if (!tl)
		return 0;
	if (!b->title_dyn)
		return cl != tl || memcmp(cur, b->title, tl) != 0;
	if (b->title_pre < TITLE_MIN_END && b->title_suf < TITLE_MIN_END)
		return 0;
	if (b->title_pre >= TITLE_MIN_END && cl >= b->title_pre &&
	    !memcmp(cur, b->title, b->title_pre))
		return 0;
	if (b->title_suf >= TITLE_MIN_END && cl >= b->title_suf &&
	    !memcmp(cur + cl - b->title_suf, b->title + tl - b->title_suf, b->title_suf))
		return 0;
	return 1;
}

/* Share of the baseline's structural paths the page still has. */
static double struct_sim(const struct sw_baseline *b, const struct sw__sketch *sk)
{
	size_t i = 0, j = 0, common = 0;

	if (b->npaths < 8)
		return -1;
	while (i < b->npaths && j < sk->npaths) {
		if (b->paths[i] == sk->paths[j])
			common++, i++, j++;
		else if (b->paths[i] < sk->paths[j])
			i++;
		else
			j++;
	}
	return (double)common / (double)b->npaths;
}

/*
 * A key image replaced: the baseline's picture is nowhere on the page and
 * the one element at its path now shows another picture.  Several images
 * at that path now means a gallery appeared there: not judged.
 */
static void key_images(const struct sw_baseline *b, const struct sw__sketch *sk,
		       struct sw__bl_diff *df)
{
	for (size_t k = 0; k < b->nimgs && df->img_node == SIZE_MAX; k++) {
		size_t at = SIZE_MAX, same = 0, found = 0;

		for (size_t i = 0; i < sk->nimgs; i++) {
			found |= sk->imgs[i].src == b->imgs[k].src;
			if (sk->imgs[i].path == b->imgs[k].path) {
				same++;
				at = i;
			}
		}
		if (!found && same == 1 && sk->imgs[at].key) {
			df->img_node = sk->imgs[at].node;
			df->img_base = b->imgs[k].url;
		}
	}
}

/* Sorts every block of the page into ignored, matched, changed or new. */
static void classify(const struct sw_baseline *b, const struct sw__sketch *sk,
		     struct sw__bl_diff *df, uint8_t *seen)
{
	for (size_t i = 0; i < sk->nblocks; i++) {
		const struct sw__bl_block *bl = &sk->blocks[i];
		const struct sw__bl_stable *st;
		int known;

		if (sw__bl_has64(b->dyn, b->ndyn, bl->path)) {
			df->cls[i] = SW__BL_IGNORED;
			continue;
		}
		if ((st = sw__bl_find_stable(b, bl->text))) {
			df->cls[i] = SW__BL_MATCHED;
			seen[st - b->stable] = 1;
			continue;
		}
		known = sw__bl_has64(b->paths, b->npaths, bl->path);
		if (known && (bl->flags & SW__BL_SOFT)) {
			df->cls[i] = SW__BL_IGNORED;
			continue;
		}
		df->cls[i] = known ? SW__BL_CHANGED : SW__BL_NEWPATH;
		df->new_bytes += bl->len;
		if (df->first_new == SIZE_MAX)
			df->first_new = i;
	}
}

enum sw_err sw__bl_compare(const struct sw_baseline *b, const struct sw__sketch *sk,
			   struct sw__bl_diff *df)
{
	uint8_t *seen;

	memset(df, 0, sizeof *df);
	df->first_new = SIZE_MAX;
	df->img_node = SIZE_MAX;
	df->cls = malloc(sk->nblocks + 1);
	seen = calloc(b->nstable + 1, 1);
	if (!df->cls || !seen) {
		free(seen);
		sw__bl_diff_cleanup(df);
		return SW_ENOMEM;
	}
	classify(b, sk, df, seen);
	for (size_t i = 0; i < b->nstable; i++)
		if (seen[i])
			df->matched += b->stable[i].len;
	free(seen);
	df->stable_total = b->stable_total;
	df->struct_sim = struct_sim(b, sk);
	df->title_changed = title_changed(b, sk->title);
	key_images(b, sk, df);
	return SW_OK;
}

void sw__bl_diff_cleanup(struct sw__bl_diff *df)
{
	free(df->cls);
	df->cls = NULL;
}
