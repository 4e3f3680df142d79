/*
 * record.c - struct sw_rec: one register row as nullable canonical strings.
 */
#include "model/entity.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void sw_rec_init(struct sw_rec *r, const struct sw_entity *ent)
{
	memset(r, 0, sizeof *r);
	r->ent = ent;
}

void sw_rec_cleanup(struct sw_rec *r)
{
	const struct sw_entity *ent = r->ent;

	for (size_t i = 0; i < SW_REC_MAX_FIELDS; i++)
		free(r->v[i]);
	free(r->created_at);
	free(r->updated_at);
	sw_rec_init(r, ent);
}

enum sw_err sw_rec_set(struct sw_rec *r, int i, const char *s)
{
	char *copy = NULL;

	if (i < 0 || (size_t)i >= r->ent->nfields)
		sw_fatal("sw_rec_set: field %d out of range for %s", i, r->ent->name);
	if (s && !(copy = strdup(s)))
		return SW_ENOMEM;
	free(r->v[i]);
	r->v[i] = copy;
	return SW_OK;
}

enum sw_err sw_rec_set_int(struct sw_rec *r, int i, int64_t n)
{
	char buf[24], *p = buf + sizeof buf;
	uint64_t u = n < 0 ? -(uint64_t)n : (uint64_t)n;

	/* By hand: ids are set for every reference of every imported row. */
	*--p = '\0';
	do
		*--p = (char)('0' + u % 10);
	while (u /= 10);
	if (n < 0)
		*--p = '-';
	return sw_rec_set(r, i, p);
}

const char *sw_rec_get(const struct sw_rec *r, int i)
{
	if (i < 0 || (size_t)i >= r->ent->nfields)
		return NULL;
	return r->v[i];
}

int64_t sw_rec_get_int(const struct sw_rec *r, int i, int64_t dflt)
{
	const char *s = sw_rec_get(r, i);
	char *end;
	long long n;

	if (!s || !*s)
		return dflt;
	n = strtoll(s, &end, 10);
	return *end ? dflt : (int64_t)n;
}

enum sw_err sw_rec_copy(struct sw_rec *dst, const struct sw_rec *src)
{
	sw_rec_init(dst, src->ent);
	dst->id = src->id;
	for (size_t i = 0; i < src->ent->nfields; i++)
		if (src->v[i] && !(dst->v[i] = strdup(src->v[i])))
			goto nomem;
	if (src->created_at && !(dst->created_at = strdup(src->created_at)))
		goto nomem;
	if (src->updated_at && !(dst->updated_at = strdup(src->updated_at)))
		goto nomem;
	return SW_OK;
nomem:
	sw_rec_cleanup(dst);
	return SW_ENOMEM;
}
