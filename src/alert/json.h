/*
 * json.h - the JSON shapes of alerts, silences, incidents, steps,
 * channels, queued messages, plans and drills, shared by the CLI's --json
 * output and the HTTP API so scripts and the dashboard read one shape.
 * Times are unix seconds (as checks are); absent values are null.  Each
 * returns a new reference, NULL only when out of memory.
 */
#ifndef SW_ALERT_JSON_H
#define SW_ALERT_JSON_H

#include <jansson.h>

#include "store/alert.h"
#include "store/incident.h"
#include "store/notify.h"

json_t *sw_alert_json(const struct sw_alert_row *a);
json_t *sw_silence_json(const struct sw_silence_row *r);
json_t *sw_incident_json(const struct sw_incident_row *r);
json_t *sw_incident_step_json(const struct sw_incident_step_row *r);
/* The secret is never shown: "secret": true when one is set. */
json_t *sw_channel_json(const struct sw_channel *c);
json_t *sw_notify_msg_json(const struct sw_notify_msg *m);
json_t *sw_plan_json(const struct sw_plan_row *r);
json_t *sw_drill_json(const struct sw_drill_row *r);

#endif
