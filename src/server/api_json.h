/*
 * api_json.h - strict reading of JSON request bodies for the server's own
 * handlers: an object with only known keys, each of the expected type.
 * Every function fills a 400 into rs on failure and returns -1.
 */
#ifndef SW_SERVER_API_JSON_H
#define SW_SERVER_API_JSON_H

#include <stdint.h>

#include "server/http.h"

/* rq->json is an object whose keys are all in `keys` (NULL-terminated). */
int sw__json_object(const struct sw_req *rq, struct sw_resp *rs, const char *const *keys);

/* String member `key` into *out (borrowed); absent: *out NULL, unless
 * required.  At most maxlen bytes, no control characters. */
int sw__json_str(const struct sw_req *rq, struct sw_resp *rs, const char *key, int required,
		 size_t maxlen, const char **out);

/* Integer member (or null, giving 0) into *out; *present set when the key
 * is there. */
int sw__json_id(const struct sw_req *rq, struct sw_resp *rs, const char *key, int64_t *out,
		int *present);

/* ?limit= and ?offset= (default 50, at most 1000). */
int sw__page_args(const struct sw_req *rq, struct sw_resp *rs, int64_t *limit, int64_t *offset);

/* {"items": items, "total", "limit", "offset"} (takes items). */
json_t *sw__page_json(json_t *items, int64_t total, int64_t limit, int64_t offset);

#endif
