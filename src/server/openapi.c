/*
 * openapi.c - assembles the OpenAPI 3 document served at
 * /api/openapi.json from the compiled-in fragments: the "paths" of every
 * fragment are merged (two fragments may document different methods of
 * one path), each kind of "components" (schemas, responses, parameters)
 * likewise.  A fragment that does not
 * parse is a build-time mistake the unit test catches; here it is skipped.
 */
#include <string.h>

#include "server/openapi.h"
#include "server/server_int.h"

/* Copies every key of src's object `key` into dst's object `key`,
 * merging one level deeper when both hold an object under the same name. */
static void merge_obj(json_t *dst, json_t *src, const char *key)
{
	json_t *s = json_object_get(src, key), *d, *v;
	const char *k;

	if (!json_is_object(s))
		return;
	if (!json_is_object(d = json_object_get(dst, key))) {
		d = json_object();
		json_object_set_new(dst, key, d);
	}
	json_object_foreach(s, k, v) {
		json_t *old = json_object_get(d, k);
		if (json_is_object(old) && json_is_object(v))
			json_object_update(old, v);
		else
			json_object_set(d, k, v);
	}
}

json_t *sw__openapi_doc(void)
{
	json_t *doc = json_pack(
		"{s:s, s:{s:s, s:s, s:s}, s:{}, s:{s:{}, s:{s:{s:s, s:s, s:s}, s:{s:s, s:s}}}}",
		"openapi", "3.0.3", "info", "title", "sitewarden API", "version", "0.1.0",
		"description",
		"JSON over HTTP. Errors are {\"error\": \"...\", \"field\": \"...\"}. Lists take "
		"?limit= (default 50, max 1000) and ?offset= and answer {\"items\", \"total\", "
		"\"limit\", \"offset\"}. Browser sessions send X-CSRF-Token on every change.",
		"paths", "components", "schemas", "securitySchemes", "session", "type", "apiKey",
		"in", "cookie", "name", "sw_session", "bearer", "type", "http", "scheme", "bearer");
	json_t *comp;

	if (!doc)
		return NULL;
	comp = json_object_get(doc, "components");
	for (size_t i = 0; i < sw_openapi_frags_count; i++) {
		json_t *f = json_loadb(sw_openapi_frags[i].text, sw_openapi_frags[i].len, 0, NULL);
		if (!f)
			continue;
		json_t *fc = json_object_get(f, "components"), *v;
		const char *k;

		merge_obj(doc, f, "paths");
		if (json_is_object(fc))
			json_object_foreach(fc, k, v)
				merge_obj(comp, fc, k);
		json_decref(f);
	}
	return doc;
}
