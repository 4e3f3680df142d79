/*
 * fuzz_server_req.c - libFuzzer target for what `sitewarden serve` parses
 * before any handler: the request path against every route table, the
 * Cookie header, and an agent event batch through the finding step.
 * Input: up to the first NUL is the path (also tried as a Cookie header),
 * the rest a JSON body.
 *
 * Invariants besides sanitizer reports: a match's captures are non-empty
 * single segments; a cookie value found fits its buffer and holds no ';';
 * every finding of an event has a kind from the table.
 *
 * Run: build-san/fuzz_server_req -max_total_time=60 tests/fuzz/corpus/server_req
 */
#include <jansson.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "server/api_agent.h"
#include "server/server_int.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(cond)                       \
	do {                              \
		if (!(cond))              \
			__builtin_trap(); \
	} while (0)

static const char *const methods[] = {"GET", "POST", "PATCH", "PUT", "DELETE", "HEAD"};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *in = malloc(size + 1), caps_buf[SW_PATH_MAX + 8], cookie[80];
	const char *caps[4], *body;
	size_t plen;
	json_t *j, *ev;
	int known;

	if (!in)
		return 0;
	memcpy(in, data, size);
	in[size] = '\0';
	plen = strlen(in);
	body = plen < size ? in + plen + 1 : "";
	for (size_t m = 0; m < sizeof methods / sizeof methods[0]; m++) {
		const struct sw_route *r =
			sw__route_find(methods[m], in, caps, caps_buf, sizeof caps_buf, &known);
		for (int i = 0; r && i < 4 && caps[i]; i++)
			CHECK(*caps[i] && !strchr(caps[i], '/'));
	}
	if (sw__cookie_get(in, "sw_session", cookie, sizeof cookie))
		CHECK(strlen(cookie) < sizeof cookie && !strchr(cookie, ';'));
	j = json_loadb(body, strlen(body), JSON_REJECT_DUPLICATES, NULL);
	if (json_is_object(j) && json_is_array(ev = json_object_get(j, "events"))) {
		size_t i;
		json_t *e;
		json_array_foreach(ev, i, e) {
			struct sw_findings fs;
			sw_findings_init(&fs);
			if (json_is_object(e) && sw_agent_event_findings(e, &fs) == SW_OK)
				for (size_t k = 0; k < fs.n; k++)
					CHECK(sw_finding_kind(fs.v[k].kind->key) == fs.v[k].kind);
			sw_findings_cleanup(&fs);
		}
	}
	json_decref(j);
	free(in);
	return 0;
}
