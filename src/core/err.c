/*
 * err.c - messages for enum sw_err and the first-failure-wins error buffer.
 */
#include "core/err.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const messages[] = {
#define SW_ERR_MSG(name, msg) msg,
	SW_ERR_MAP(SW_ERR_MSG)
#undef SW_ERR_MSG
};

static const char *const names[] = {
#define SW_ERR_NAME(name, msg) #name,
	SW_ERR_MAP(SW_ERR_NAME)
#undef SW_ERR_NAME
};

/* Returns the message for rc, or a generic one for an out-of-range value. */
const char *sw_strerror(enum sw_err rc)
{
	if ((unsigned)rc >= SW_ERR__COUNT)
		return "unknown error";
	return messages[rc];
}

/* Returns the enum name for rc, or "SW_E?" for an out-of-range value. */
const char *sw_errname(enum sw_err rc)
{
	if ((unsigned)rc >= SW_ERR__COUNT)
		return "SW_E?";
	return names[rc];
}

void sw_errbuf_clear(struct sw_errbuf *eb)
{
	if (eb) {
		eb->msg[0] = '\0';
		eb->field[0] = '\0';
	}
}

int sw_errbuf_empty(const struct sw_errbuf *eb)
{
	return eb == NULL || eb->msg[0] == '\0';
}

/* Shared body of the formatting helpers; `force` overwrites an old message. */
__attribute__((format(printf, 4, 0))) static void vset(struct sw_errbuf *eb, int force, const char *field, const char *fmt,
		 va_list ap)
{
	if (eb == NULL || (!force && eb->msg[0] != '\0'))
		return;
	vsnprintf(eb->msg, sizeof eb->msg, fmt, ap);
	snprintf(eb->field, sizeof eb->field, "%s", field ? field : "");
}

enum sw_err sw_errf(struct sw_errbuf *eb, enum sw_err rc, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vset(eb, 0, NULL, fmt, ap);
	va_end(ap);
	return rc;
}

enum sw_err sw_errf_field(struct sw_errbuf *eb, enum sw_err rc, const char *field,
			  const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vset(eb, 0, field, fmt, ap);
	va_end(ap);
	return rc;
}

enum sw_err sw_errf_replace(struct sw_errbuf *eb, enum sw_err rc, const char *fmt, ...)
{
	va_list ap;
	char field[sizeof eb->field];

	if (eb == NULL)
		return rc;
	/* Keep the field of the original failure: the context is added around it. */
	memcpy(field, eb->field, sizeof field);
	va_start(ap, fmt);
	vset(eb, 1, field, fmt, ap);
	va_end(ap);
	return rc;
}

_Noreturn void sw_fatal(const char *fmt, ...)
{
	va_list ap;

	fputs("sitewarden: fatal: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	abort();
}
