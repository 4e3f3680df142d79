/*
 * compliance_int.h - the one statement runner the compliance store files
 * share (internal to src/store/compliance*.c).
 */
#ifndef SW_STORE_COMPLIANCE_INT_H
#define SW_STORE_COMPLIANCE_INT_H

#include "store/backend.h"
#include "store/compliance.h"
#include "store/scope.h"

/* One bound parameter: an integer, a text (NULL binds NULL). */
struct sw__cmp_arg {
	char t; /* 'i' or 't' */
	int64_t i;
	const char *s;
};
#define CA_I(x) {'i', (int64_t)(x), NULL}
#define CA_T(x) {'t', 0, (x)}

/*
 * Runs the cached statement `sql` (static storage: see sw__store_q) with
 * the n arguments, calling cb (may be NULL) with the first ncols columns
 * of each row.  When id is non-NULL it gets the inserted row's id (the
 * statement is an INSERT, ending in RETURNING id on backends without
 * last_id: callers pick the text with SW__CMP_INS).
 */
enum sw_err sw__cmp_run(struct sw_store *st, const char *sql, const struct sw__cmp_arg *a,
			int n, int ncols, sw_cmp_row_cb cb, void *arg, int64_t *id,
			struct sw_errbuf *eb);

/* Rows changed by the last statement sw__cmp_run ran. */
int64_t sw__cmp_changes(struct sw_store *st);

/* Picks the INSERT text for this backend: plain when it has last_id, the
 * RETURNING variant otherwise. */
#define SW__CMP_INS(st, plain, ret) ((st)->ops->last_id ? (plain) : (ret))

/* The statements that embed scope.c's site rule (compliance_scope.c):
 * their text is built once at run time from sw__scope_sql, so the rule is
 * written in one place; the address stays fixed, as sw__store_q needs. */
enum { SW__CQ_RECTS, SW__CQ_RECT_COUNT, SW__CQ_CAMPS, SW__CQ_CAMP_COUNT, SW__CQ_ITEMS,
       SW__CQ_ITEM_COUNT, SW__CQ_TASKS, SW__CQ_TASK_COUNT, SW__CQ_SITES, SW__CQ_PRUNE,
       SW__CQ__COUNT };
const char *sw__cmp_scoped_sql(int which);

/* Fills a[0..4] with the scope parameters ?1..?5 of acc (NULL:
 * everything); v holds the region range and must outlive the run. */
enum sw_err sw__cmp_scope_args(const struct sw_access *acc, struct sw__scope_vals *v,
			       struct sw__cmp_arg a[5], struct sw_errbuf *eb);

#endif
