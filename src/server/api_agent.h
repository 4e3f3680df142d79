/*
 * api_agent.h - the agent side of the server (api_agent.c): which agent
 * events are findings, and the sweep that notices silent agents.
 */
#ifndef SW_SERVER_API_AGENT_H
#define SW_SERVER_API_AGENT_H

#include <jansson.h>
#include <stdint.h>

#include "model/finding.h"
#include "store/store.h"

/* An agent is silent after this many heartbeat intervals without one. */
#define SW_AGENT_MISSED 3
/* Interval assumed before two heartbeats have been seen (the agent's
 * default, docs/agent.md). */
#define SW_AGENT_HB_DEFAULT 30

/*
 * The findings that one agent event makes, appended to out: tamper ->
 * agent.tamper, webshell -> agent.webshell, store_corrupt ->
 * agent.store_corrupt, attack -> attack.<attack> (the event's severity),
 * block -> attack.block; other kinds make none.  The evidence is the event
 * itself.  Pure: no I/O, so alert routing can call it on any event.
 */
enum sw_err sw_agent_event_findings(const json_t *ev, struct sw_findings *out);

/* Marks agents silent whose heartbeats stopped and records an agent.silent
 * finding for each (once per silence).  Called by the housekeeping thread. */
enum sw_err sw__agent_sweep(struct sw_store *st, int64_t now, struct sw_errbuf *eb);

#endif
