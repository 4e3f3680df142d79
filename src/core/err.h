/*
 * err.h - the one error enum of sitewarden and the caller-owned buffer that
 * carries a human-readable message up to whoever decides what to show.
 *
 * Libraries return enum sw_err and write at most one sentence into a
 * struct sw_errbuf; they never print or exit.  The first failure written wins
 * so that a low-level cause is not overwritten by a vaguer wrapper.
 */
#ifndef SW_CORE_ERR_H
#define SW_CORE_ERR_H

#include <stddef.h>

/* Name and message kept in one list so they cannot drift.  Append only:
 * the numeric values are part of the API. */
#define SW_ERR_MAP(X)                                              \
	X(SW_OK, "ok")                                             \
	X(SW_ENOMEM, "out of memory")                              \
	X(SW_EINVAL, "invalid input")                              \
	X(SW_ENOTFOUND, "not found")                               \
	X(SW_EEXIST, "already exists")                             \
	X(SW_EIO, "input/output error")                            \
	X(SW_ESTORE, "database error")                             \
	X(SW_EINUSE, "still referenced")                           \
	X(SW_ELIMIT, "limit exceeded")                             \
	X(SW_ECHARSET, "cannot decode text")                       \
	X(SW_EUSAGE, "usage error")                                \
	X(SW_ESCHEMA, "database schema is newer than this program")

enum sw_err {
#define SW_ERR_ENUM(name, msg) name,
	SW_ERR_MAP(SW_ERR_ENUM)
#undef SW_ERR_ENUM
	SW_ERR__COUNT
};

/* Returns a static message for rc; never NULL. */
const char *sw_strerror(enum sw_err rc);

/* Returns the enum name ("SW_EINVAL") for rc; never NULL. */
const char *sw_errname(enum sw_err rc);

/*
 * A caller-owned message buffer.  field names the input field at fault
 * (a column, an option, a JSON key) when there is one, else it is empty.
 */
struct sw_errbuf {
	char msg[512];
	char field[64];
};

/* Empties eb.  eb may be NULL. */
void sw_errbuf_clear(struct sw_errbuf *eb);

/* True when nothing has been written to eb since the last clear. */
int sw_errbuf_empty(const struct sw_errbuf *eb);

/*
 * Formats a message into eb unless one is already there (first failure
 * wins).  eb may be NULL, in which case nothing happens.  Returns rc so a
 * caller can write `return sw_errf(eb, SW_EINVAL, "...")`.
 */
enum sw_err sw_errf(struct sw_errbuf *eb, enum sw_err rc, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* As sw_errf, and also records the name of the field at fault. */
enum sw_err sw_errf_field(struct sw_errbuf *eb, enum sw_err rc, const char *field,
			  const char *fmt, ...) __attribute__((format(printf, 4, 5)));

/* Replaces whatever is in eb (for a caller that adds context on purpose). */
enum sw_err sw_errf_replace(struct sw_errbuf *eb, enum sw_err rc, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Broken invariant: prints and aborts.  Not for bad input. */
_Noreturn void sw_fatal(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
