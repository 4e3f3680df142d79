/*
 * logs_parse.h - web-server log lines into request records.
 *
 * A format is compiled once from nginx log_format syntax ($remote_addr
 * ...), Apache LogFormat syntax (%h %t "%r" ...) or a built-in name
 * ("combined", "common", "vhost_combined", "main" = nginx's default with
 * $http_x_forwarded_for, "error" = nginx or Apache error log).  A line is
 * then matched against it left to right: a variable runs up to the next
 * literal text; inside double quotes an escaped quote (Apache's \" or
 * nginx's \x22) does not end it.  Every value is copied, unescaped, into a
 * bounded field of the record; a line that does not fit the format is
 * malformed (the caller counts it), never an error.
 */
#ifndef SW_AGENT_LOGS_PARSE_H
#define SW_AGENT_LOGS_PARSE_H

#include <stddef.h>
#include <stdint.h>

#include "core/err.h"

#define AG_LOGFMT_MAX 48

struct ag_logfmt {
	int n;
	int error_log;
	struct {
		int var;      /* 0: literal */
		char lit[48]; /* literal text */
		uint8_t litlen;
	} tok[AG_LOGFMT_MAX];
};

/* One request as a log line tells it.  Strings are NUL-terminated copies,
 * "" when the line has no such field; uri is the request target as sent
 * (path and query, still percent-encoded). */
struct ag_logrec {
	char addr[64];
	char user[64];
	char method[24];
	char uri[8192];
	char proto[24];
	char referer[2048];
	char ua[1024];
	char host[256];
	int status;    /* 0: unknown (error log) */
	int64_t bytes; /* -1: unknown */
	int64_t time;  /* unix seconds, 0: unknown */
	int truncated; /* a field was longer than its buffer */
	int has_request; /* a request line was found */
};

/* Compiles spec (a built-in name or a format line); SW_EINVAL with the
 * reason in eb when it cannot be used. */
enum sw_err ag_logfmt_compile(const char *spec, struct ag_logfmt *f, struct sw_errbuf *eb);

/* Parses the line (without its newline) into r; 0, or -1 when malformed. */
int ag_log_parse(const struct ag_logfmt *f, const char *line, size_t n, struct ag_logrec *r);

/*
 * Decodes a URI or header value for matching: nginx \xHH escapes and
 * percent-encoding (also %uXXXX and '+' after '?'), repeated up to three
 * times for double encoding; a result that is not UTF-8 is converted from
 * GB18030 (GBK) when it is valid there (*not_utf8, when not NULL, is set
 * to 1 then).  Writes at most cap-1 bytes and a NUL; returns the length.
 * *leftover (when not NULL) is set when a percent-encoding is still there
 * after three rounds.
 */
size_t ag_log_decode(const char *in, size_t n, char *out, size_t cap, int *not_utf8,
		     int *leftover);

/* 1 when s[0..n) is valid UTF-8. */
int ag_utf8_valid(const char *s, size_t n);

/* Parses "25/Nov/2026:18:23:38 +0800" (or ISO 8601) to unix seconds; 0 when
 * malformed. */
int64_t ag_log_time(const char *s, size_t n);

#endif
