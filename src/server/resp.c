/*
 * resp.c - filling a response (the helpers of http.h) and sending it
 * through libmicrohttpd with the headers every answer carries.
 *
 * Security headers go on everything: the dashboard loads nothing from
 * elsewhere (Content-Security-Policy default-src 'self'), is never framed
 * (X-Frame-Options DENY, frame-ancestors 'none'), and API answers are
 * never cached (Cache-Control: no-store) since they carry scoped data.
 */
#include <microhttpd.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "server/server_int.h"

int sw_resp_json(struct sw_resp *rs, int status, json_t *json)
{
	json_decref(rs->json);
	rs->json = json;
	rs->status = status;
	return 0;
}

int sw_resp_error(struct sw_resp *rs, int status, const char *field, const char *fmt, ...)
{
	char msg[512];
	va_list ap;
	json_t *j, *m;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	j = json_object();
	/* json_string refuses invalid UTF-8: messages may quote input. */
	if (!(m = json_string(msg)))
		m = json_string("invalid input");
	json_object_set_new(j, "error", m);
	if (field && *field)
		json_object_set_new(j, "field", json_stringn(field, strnlen(field, 64)));
	return sw_resp_json(rs, status, j);
}

int sw_resp_from_err(struct sw_resp *rs, enum sw_err rc, const struct sw_errbuf *eb)
{
	int status;
	const char *msg = eb && eb->msg[0] ? eb->msg : sw_strerror(rc);

	switch (rc) {
	case SW_EINVAL:
	case SW_EUSAGE:
	case SW_ECHARSET:
	case SW_ELIMIT:
		status = 400;
		break;
	case SW_ENOTFOUND:
		status = 404;
		break;
	case SW_EEXIST:
	case SW_EINUSE:
		status = 409;
		break;
	default:
		status = 500;
		/* The store's own words can name tables; keep them in the log. */
		msg = sw_strerror(rc);
		break;
	}
	return sw_resp_error(rs, status, eb && eb->field[0] ? eb->field : NULL, "%s", msg);
}

int sw_resp_bytes(struct sw_resp *rs, int status, const char *content_type, char *body,
		  size_t len)
{
	json_decref(rs->json);
	rs->json = NULL;
	free(rs->body);
	rs->body = body;
	rs->body_len = len;
	rs->content_type = content_type;
	rs->status = status;
	return 0;
}

void sw__resp_cleanup(struct sw_resp *rs)
{
	json_decref(rs->json);
	free(rs->body);
	rs->json = NULL;
	rs->body = NULL;
}

/* Adds the headers every answer carries. */
static void common_headers(struct MHD_Response *r, int https, int api)
{
	MHD_add_response_header(r, "Content-Security-Policy",
				"default-src 'self'; frame-ancestors 'none'; base-uri 'none'");
	MHD_add_response_header(r, "X-Content-Type-Options", "nosniff");
	MHD_add_response_header(r, "X-Frame-Options", "DENY");
	MHD_add_response_header(r, "Referrer-Policy", "no-referrer");
	if (https)
		MHD_add_response_header(r, "Strict-Transport-Security", "max-age=31536000");
	if (api)
		MHD_add_response_header(r, "Cache-Control", "no-store");
}

int sw__resp_send(void *conn, struct sw_resp *rs, int https, int api)
{
	struct MHD_Response *r;
	const char *ctype = rs->content_type ? rs->content_type : "application/octet-stream";
	char *body;
	size_t len;
	int ok;

	if (rs->json) {
		body = json_dumps(rs->json, JSON_COMPACT | JSON_PRESERVE_ORDER);
		len = body ? strlen(body) : 0;
		ctype = "application/json";
		if (!body) {
			body = strdup("{\"error\":\"out of memory\"}");
			len = body ? strlen(body) : 0;
			rs->status = 500;
		}
	} else {
		body = rs->body;
		len = rs->body_len;
		rs->body = NULL;
	}
	r = MHD_create_response_from_buffer(len, body ? body : (void *)"",
					    body ? MHD_RESPMEM_MUST_FREE : MHD_RESPMEM_PERSISTENT);
	if (!r) {
		free(body);
		sw__resp_cleanup(rs);
		return MHD_NO;
	}
	MHD_add_response_header(r, "Content-Type", ctype);
	common_headers(r, https, api && !rs->cache_control);
	if (rs->cache_control)
		MHD_add_response_header(r, "Cache-Control", rs->cache_control);
	if (rs->etag[0])
		MHD_add_response_header(r, "ETag", rs->etag);
	if (rs->set_cookie[0])
		MHD_add_response_header(r, "Set-Cookie", rs->set_cookie);
	if (rs->retry_after > 0) {
		char ra[24];
		snprintf(ra, sizeof ra, "%d", rs->retry_after);
		MHD_add_response_header(r, "Retry-After", ra);
	}
	if (rs->filename) {
		char cd[320];
		/* The name is the handler's, but keep quotes and controls out. */
		size_t k = 0;
		k = (size_t)snprintf(cd, sizeof cd, "attachment; filename=\"");
		for (const char *p = rs->filename; *p && k + 3 < sizeof cd; p++)
			if ((unsigned char)*p >= 0x20 && *p != '"' && *p != '\\' && *p != 0x7f)
				cd[k++] = *p;
		cd[k++] = '"';
		cd[k] = '\0';
		MHD_add_response_header(r, "Content-Disposition", cd);
	}
	ok = MHD_queue_response(conn, (unsigned)(rs->status ? rs->status : 500), r);
	MHD_destroy_response(r);
	sw__resp_cleanup(rs);
	return ok;
}
