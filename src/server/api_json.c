/*
 * api_json.c - see api_json.h.
 */
#include "server/api_json.h"

#include <stdlib.h>
#include <string.h>

int sw__json_object(const struct sw_req *rq, struct sw_resp *rs, const char *const *keys)
{
	const char *k;
	json_t *v;

	if (!json_is_object(rq->json)) {
		sw_resp_error(rs, 400, NULL, "the body must be a JSON object (Content-Type: "
					     "application/json)");
		return -1;
	}
	json_object_foreach(rq->json, k, v) {
		size_t i;
		for (i = 0; keys[i] && strcmp(keys[i], k); i++)
			;
		if (!keys[i]) {
			sw_resp_error(rs, 400, k, "unknown field");
			return -1;
		}
	}
	return 0;
}

int sw__json_str(const struct sw_req *rq, struct sw_resp *rs, const char *key, int required,
		 size_t maxlen, const char **out)
{
	json_t *v = json_object_get(rq->json, key);
	const char *s;

	*out = NULL;
	if (!v || json_is_null(v)) {
		if (required) {
			sw_resp_error(rs, 400, key, "%s is required", key);
			return -1;
		}
		return 0;
	}
	if (!json_is_string(v)) {
		sw_resp_error(rs, 400, key, "%s must be a string", key);
		return -1;
	}
	s = json_string_value(v);
	if (json_string_length(v) != strlen(s) || strlen(s) > maxlen) {
		sw_resp_error(rs, 400, key, "%s is longer than %zu bytes or holds NUL", key, maxlen);
		return -1;
	}
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if (*p < 0x20 || *p == 0x7f) {
			sw_resp_error(rs, 400, key, "%s holds control characters", key);
			return -1;
		}
	}
	*out = s;
	return 0;
}

int sw__json_id(const struct sw_req *rq, struct sw_resp *rs, const char *key, int64_t *out,
		int *present)
{
	json_t *v = json_object_get(rq->json, key);

	*out = 0;
	if (present)
		*present = v != NULL;
	if (!v || json_is_null(v))
		return 0;
	if (!json_is_integer(v) || json_integer_value(v) <= 0) {
		sw_resp_error(rs, 400, key, "%s must be a positive integer id or null", key);
		return -1;
	}
	*out = json_integer_value(v);
	return 0;
}

/* Parses a decimal argument within [0, max]; -1 when malformed. */
static int64_t arg_num(const char *s, int64_t max)
{
	char *end;
	long long v;

	if (!s || !*s || strlen(s) > 18)
		return -1;
	v = strtoll(s, &end, 10);
	if (*end || v < 0 || v > max)
		return -1;
	return v;
}

int sw__page_args(const struct sw_req *rq, struct sw_resp *rs, int64_t *limit, int64_t *offset)
{
	const char *l = sw_req_arg(rq, "limit"), *o = sw_req_arg(rq, "offset");

	*limit = 50;
	*offset = 0;
	if (l && (*limit = arg_num(l, 1000)) < 1) {
		sw_resp_error(rs, 400, "limit", "limit must be 1..1000");
		return -1;
	}
	if (o && (*offset = arg_num(o, INT64_C(1) << 40)) < 0) {
		sw_resp_error(rs, 400, "offset", "offset must be a non-negative integer");
		return -1;
	}
	return 0;
}

json_t *sw__page_json(json_t *items, int64_t total, int64_t limit, int64_t offset)
{
	return json_pack("{s:o, s:I, s:I, s:I}", "items", items, "total", (json_int_t)total,
			 "limit", (json_int_t)limit, "offset", (json_int_t)offset);
}
