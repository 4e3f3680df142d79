/*
 * req.c - reading a request: query arguments and headers (through
 * libmicrohttpd), the session cookie, and matching a path against the
 * route tables.
 *
 * Paths are attacker-chosen: matching walks each pattern and the path
 * once, segment by segment, with no recursion and no allocation; paths
 * longer than SW_PATH_MAX never match.
 */
#include <microhttpd.h>
#include <string.h>
#include <strings.h>

#include "server/server_int.h"

const char *sw_req_arg(const struct sw_req *rq, const char *name)
{
	if (!rq->conn)
		return NULL;
	return MHD_lookup_connection_value(rq->conn, MHD_GET_ARGUMENT_KIND, name);
}

const char *sw_req_header(const struct sw_req *rq, const char *name)
{
	if (!rq->conn)
		return NULL;
	return MHD_lookup_connection_value(rq->conn, MHD_HEADER_KIND, name);
}

int sw__route_match(const char *pattern, const char *path, const char *caps[4], char *buf,
		    size_t n)
{
	const char *p = pattern, *q = path;
	size_t used = 0;
	int nc = 0;

	if (strlen(path) > SW_PATH_MAX || *q != '/')
		return 0;
	while (*p && *q) {
		if (*p == '{') {
			const char *pe = strchr(p, '}'), *qe = strchr(q, '/');
			size_t len = qe ? (size_t)(qe - q) : strlen(q);
			if (!pe || len == 0 || nc == 4 || used + len + 1 > n)
				return 0;
			memcpy(buf + used, q, len);
			buf[used + len] = '\0';
			caps[nc++] = buf + used;
			used += len + 1;
			p = pe + 1;
			q += len;
			continue;
		}
		if (*p != *q)
			return 0;
		p++;
		q++;
	}
	if (*p || *q)
		return 0;
	for (int i = nc; i < 4; i++)
		caps[i] = NULL;
	return 1;
}

const struct sw_route *sw__route_find(const char *method, const char *path, const char *caps[4],
				      char *buf, size_t n, int *path_known)
{
	*path_known = 0;
	for (size_t t = 0; sw_server_tables[t]; t++) {
		for (const struct sw_route *r = sw_server_tables[t]; r->method; r++) {
			if (!sw__route_match(r->pattern, path, caps, buf, n))
				continue;
			if (!strcmp(r->method, method) ||
			    (!strcmp(method, "HEAD") && !strcmp(r->method, "GET")))
				return r;
			*path_known = 1;
		}
	}
	return NULL;
}

int sw__cookie_get(const char *header, const char *name, char *out, size_t n)
{
	size_t nl = strlen(name);
	const char *p = header;

	if (!p || !n)
		return 0;
	/* "a=1; b=2": pairs split by ';', optional spaces; first match wins. */
	while (*p) {
		const char *end, *v;
		size_t len;

		while (*p == ' ' || *p == '\t' || *p == ';')
			p++;
		end = strchr(p, ';');
		if (!end)
			end = p + strlen(p);
		if ((size_t)(end - p) > nl && !strncmp(p, name, nl) && p[nl] == '=') {
			v = p + nl + 1;
			len = (size_t)(end - v);
			while (len && (v[len - 1] == ' ' || v[len - 1] == '\t'))
				len--;
			if (len >= n)
				return 0;
			memcpy(out, v, len);
			out[len] = '\0';
			return 1;
		}
		p = end;
	}
	return 0;
}

static const char *const role_names[] = {"admin", "supervisor", "operator", "auditor", "agent"};

const char *sw__role_name(enum sw_role r)
{
	for (int i = 0; i < 5; i++)
		if ((unsigned)r == 1u << i)
			return role_names[i];
	return "";
}

enum sw_role sw__role_parse(const char *s)
{
	for (int i = 0; s && i < 4; i++) /* agents are not a user role */
		if (!strcmp(s, role_names[i]))
			return (enum sw_role)(1u << i);
	return (enum sw_role)0;
}

void sw__user_from_row(struct sw_user *u, const struct sw_user_row *r)
{
	memset(u, 0, sizeof *u);
	u->id = r->id;
	memcpy(u->name, r->name, sizeof u->name);
	u->role = sw__role_parse(r->role);
	memcpy(u->region, r->region, sizeof u->region);
	u->dept_id = r->dept_id;
	u->unit_id = r->unit_id;
}
