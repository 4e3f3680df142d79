#!/usr/bin/env bash
# server_agent.sh - the agent event endpoint of `sitewarden serve`
# (docs/agent.md, "Event protocol"): first by hand with curl (bearer and
# HMAC credentials, the replay window, idempotency by (agent, seq), ack as
# the highest contiguous sequence, bad batches refused whole, heartbeats,
# silence), then the real sitewarden-agent guarding an nginx web root
# against the real server: tampering and a webshell become findings of
# the agent's site, every event is held once, and a stopped agent is
# marked silent.
source "$SW_SRC/tests/integration/lib.bash"
source "$SW_SRC/tests/integration/server_lib.bash"
command -v openssl >/dev/null || fail "openssl is not installed"

run 0 "$SW" unit add --name 单位甲 --type 党政机关 --region 110000
run 0 "$SW" site add --name 门户网站 --url http://127.0.0.1:9/ --unit 单位甲 --status 运行 --json
SITE=$(jq .id "$W/out")
run 0 "$SW" agent add --site "$SITE" --name tok-agent --json
TOK=$(jq -r .token "$W/out")
run 0 "$SW" agent add --site 门户网站 --name mac-agent --hmac --json
KEY=$(jq -r .hmac_key "$W/out")
run 1 "$SW" agent add --site "$SITE" --name tok-agent
has "$W/err" "exists"
run 1 "$SW" agent add --site no-such-site --name x
run 2 "$SW" agent add --site "$SITE" --name 'bad name!'
run 0 "$SW" agent list --json
eq "$(jq length "$W/out")" 2 "agents enrolled"
grep -q "$TOK" "$SITEWARDEN_DB" && fail "the agent token is stored in clear"
printf 'admin-pass-1\n' >"$W/pw"
run 0 "$SW" user add --name admin --role admin --password-file "$W/pw"
printf 'op-pass-123\n' | run 0 "$SW" user add --name op --role operator --unit 单位甲
printf 'far-pass-12\n' | run 0 "$SW" user add --name far --role supervisor --region 440000
start_serve --no-probe
login admin admin-pass-1 "$W/admin.jar"

# ev AGENT SEQ KIND [EXTRA JSON]: one event.
ev() {
	jq -cn --arg a "$1" --argjson s "$2" --arg k "$3" --argjson x "${4:-{\}}" \
		'{seq: $s, time: "2026-11-25T08:00:00.000Z", agent: $a, kind: $k, root: "/www"} + $x'
}
# batch AGENT EVENT...: the request body.
batch() {
	local a=$1
	shift
	printf '%s\n' "$@" | jq -cs --arg a "$a" '{agent: $a, events: .}'
}
# post_tok PATH BODY: as tok-agent with its token.
post_tok() {
	req - POST "$1" "$2" -H "X-Sitewarden-Agent: tok-agent" -H "Authorization: Bearer $TOK"
}
# post_mac PATH BODY [TIMESTAMP]: as mac-agent, signed.
post_mac() {
	local ts=${3:-$(date +%s)} sig
	sig=$(printf '%s\n%s' "$ts" "$2" | openssl dgst -sha256 -mac HMAC -macopt "hexkey:$KEY" |
		sed 's/.*= //')
	req - POST "$1" "$2" -H "X-Sitewarden-Agent: mac-agent" -H "X-Sitewarden-Timestamp: $ts" \
		-H "X-Sitewarden-Signature: $sig"
}
agents() {
	req "$W/admin.jar" GET /api/agents
	want 200 "list agents"
}

# --- credentials -------------------------------------------------------------
B1=$(batch tok-agent "$(ev tok-agent 1 agent_start)" "$(ev tok-agent 2 tamper \
	'{"path":"index.html","change":"modified","action":"restored"}')")
req - POST /api/agent/events "$B1"
want 401 "no credentials"
req - POST /api/agent/events "$B1" -H "X-Sitewarden-Agent: tok-agent" -H "Authorization: Bearer swa_wrong"
want 401 "a wrong token"
req - POST /api/agent/events "$B1" -H "X-Sitewarden-Agent: mac-agent" -H "Authorization: Bearer $TOK"
want 401 "another agent's token"
req "$W/admin.jar" POST /api/agent/events "$B1" -H "X-CSRF-Token: $CSRF"
want 403 "a person posting agent events"
req - GET /api/me '' -H "X-Sitewarden-Agent: tok-agent" -H "Authorization: Bearer $TOK"
want 403 "an agent reading a person's route"
post_tok /api/agent/events "$B1"
want 200 "a batch with the token"
eq "$(jq -c '[.ack, .accepted, .duplicates]' "$W/body")" "[2,2,0]" "first batch"
post_tok /api/agent/events "$B1"
want 200 "the same batch again"
eq "$(jq -c '[.ack, .accepted, .duplicates]' "$W/body")" "[2,0,2]" "duplicates counted once"

# --- ack over gaps -------------------------------------------------------------
post_tok /api/agent/events "$(batch tok-agent "$(ev tok-agent 4 reconcile)" "$(ev tok-agent 5 webshell \
	'{"path":"uploads/x.php","rules":["php_eval"]}')")"
want 200 "a batch after a gap"
eq "$(jq .ack "$W/body")" 2 "ack stops at the gap"
post_tok /api/agent/events "$(batch tok-agent "$(ev tok-agent 3 publish)")"
eq "$(jq .ack "$W/body")" 5 "ack moves over the filled gap"

# --- bad batches change nothing ----------------------------------------------
bad_batch() {
	post_tok /api/agent/events "$1"
	want 400 "$2"
}
bad_batch '{"agent":"tok-agent","events":[' "truncated JSON"
bad_batch '{"agent":"tok-agent","events":{}}' "events not an array"
bad_batch "$(batch mac-agent "$(ev mac-agent 6 tamper)")" "another agent's batch"
bad_batch "$(batch tok-agent "$(ev tok-agent 6 tamper)" '{"seq":0,"agent":"tok-agent","kind":"x"}')" "seq 0"
bad_batch "$(batch tok-agent "$(ev tok-agent 6 tamper)" '{"seq":"7","agent":"tok-agent","kind":"x"}')" "a string seq"
bad_batch "$(batch tok-agent "$(ev tok-agent 6 tamper)" '{"seq":7,"agent":"tok-agent"}')" "no kind"
bad_batch "$(batch tok-agent "$(ev tok-agent 6 tamper)" "$(ev mac-agent 7 tamper)")" "a foreign event"
post_tok /api/agent/events "$(batch tok-agent)"
want 200 "an empty batch"
eq "$(jq .ack "$W/body")" 5 "nothing of the bad batches was held"

# --- HMAC and the replay window ---------------------------------------------------
B2=$(batch mac-agent "$(ev mac-agent 41 store_corrupt)" "$(ev mac-agent 42 agent_stop)")
post_mac /api/agent/events "$B2" $(($(date +%s) - 400))
want 401 "a signature older than 300 s"
post_mac /api/agent/events "$B2" $(($(date +%s) + 400))
want 401 "a signature from the future"
sig=$(printf '%s\n%s' "$(date +%s)" "$B2" | openssl dgst -sha256 -mac HMAC -macopt "hexkey:$KEY" | sed 's/.*= //')
req - POST /api/agent/events "${B2/41/43}" -H "X-Sitewarden-Agent: mac-agent" \
	-H "X-Sitewarden-Timestamp: $(date +%s)" -H "X-Sitewarden-Signature: $sig"
want 401 "a body changed after signing"
post_mac /api/agent/events "$B2"
want 200 "a signed batch"
eq "$(jq .ack "$W/body")" 42 "an agent enrolled with events spooled starts at its first"

# --- what the server made of it -----------------------------------------------------
agents
eq "$(jq -r '.items[] | select(.name=="tok-agent") | [.events, .ack_seq, .auth] | @tsv' "$W/body")" \
	"$(printf '5\t5\ttoken')" "tok-agent's events"
eq "$(jq -r '.items[] | select(.name=="tok-agent") | [.findings[].check] | sort | join(",")' "$W/body")" \
	"tamper,webshell" "tok-agent's findings"
eq "$(jq -r '.items[] | select(.name=="mac-agent") | [.findings[].check] | join(",")' "$W/body")" \
	store_corrupt "mac-agent's findings"
eq "$(jq -r '.items[] | select(.name=="tok-agent") | .findings[] | select(.check=="webshell") | .severity' "$W/body")" \
	critical "webshell severity"
req "$W/admin.jar" GET "/api/agents?limit=1&offset=1"
eq "$(jq -c '[.total, .limit, .offset, (.items | length), .items[0].name]' "$W/body")" \
	'[2,1,1,1,"mac-agent"]' "a page of agents"
req "$W/admin.jar" GET "/api/agents?limit=x"
want 400 "a bad limit"
# People see the agents of the sites they see.
login op op-pass-123 "$W/op.jar"
req "$W/op.jar" GET /api/agents
want 200 "operator lists agents"
eq "$(jq '.items | length' "$W/body")" 2 "the operator's unit's agents"
login far far-pass-12 "$W/far.jar"
req "$W/far.jar" GET /api/agents
want 200 "a supervisor elsewhere lists agents"
eq "$(jq '.items | length' "$W/body")" 0 "agents outside the supervisor's region"

# --- heartbeats and silence -------------------------------------------------------------
HB='{"agent":"tok-agent","time":"2026-11-25T08:00:00Z","version":"test","spool_depth":0}'
post_tok /api/agent/heartbeat "$HB"
want 200 "heartbeat"
sleep 1
post_tok /api/agent/heartbeat "$HB"
want 200 "second heartbeat"
agents
eq "$(jq -r '.items[] | select(.name=="tok-agent") | .silent' "$W/body")" false "just heard"
jq -e '.items[] | select(.name=="tok-agent") | .heartbeat.version == "test"' "$W/body" >/dev/null ||
	fail "the last heartbeat is not shown"
post_tok /api/agent/heartbeat '{"agent":"mac-agent"}'
want 400 "another agent's heartbeat"
# One-second heartbeats: silent after 3 missed (+5 s); the sweep runs every 2 s.
for i in $(seq 1 150); do
	agents
	[ "$(jq -r '.items[] | select(.name=="tok-agent") | .silent' "$W/body")" = true ] && break
	sleep 0.2
done
eq "$(jq -r '.items[] | select(.name=="tok-agent") | .silent' "$W/body")" true "silent after missed heartbeats"
for i in $(seq 1 50); do
	agents
	jq -e '.items[] | select(.name=="tok-agent") | .findings[] | select(.check=="silent")' "$W/body" \
		>/dev/null && break
	sleep 0.2
done
jq -e '.items[] | select(.name=="tok-agent") | .findings[] | select(.check=="silent")' "$W/body" \
	>/dev/null || fail "no agent.silent finding"
post_tok /api/agent/heartbeat "$HB"
agents
eq "$(jq -r '.items[] | select(.name=="tok-agent") | .silent' "$W/body")" false "a heartbeat ends the silence"
stop_serve

# --- the real agent against the real server (root: fanotify) -----------------------------
source "$SW_SRC/tests/integration/agent_lib.bash"
trap '[ -n "$SERVE_PID" ] && { kill "$SERVE_PID"; wait "$SERVE_PID"; }; agent_cleanup' EXIT
make_site 0
start_nginx
run 0 "$SW" site add --name 受保护网站 --url "http://127.0.0.1:$NGX_PORT/" --unit 单位甲 --status 运行 --json
run 0 "$SW" agent add --site 受保护网站 --name test-agent --hmac --json
jq -r .hmac_key "$W/out" >"$W/key"
start_serve
SINK_URL=$BASE
run 0 "$AGENT" init "${AARGS[@]}" --no-progress
start_agent
printf '<html><body>HACKED BY SOMEONE</body></html>\n' >"$WWW/index.html"
wait_clean tamper
printf '<?php @eval($_POST["x"]); ?> SHELL\n' >"$WWW/uploads/shell.php"
for i in $(seq 1 50); do [ -e "$WWW/uploads/shell.php" ] || break; sleep 0.1; done
[ ! -e "$WWW/uploads/shell.php" ] || fail "the webshell was not removed"
login admin admin-pass-1 "$W/admin.jar"
# Every spooled event reaches the server once and is acknowledged.
for i in $(seq 1 150); do
	LAST=$("$AGENT" status "${AARGS[@]}" --json | jq .last_seq)
	agents
	got=$(jq -r '.items[] | select(.name=="test-agent") | "\(.events) \(.ack_seq)"' "$W/body")
	[ "$got" = "$LAST $LAST" ] && break
	sleep 0.2
done
eq "$got" "$LAST $LAST" "events held and acknowledged (server) vs the agent's last sequence"
"$AGENT" status "${AARGS[@]}" --json >"$W/status.json"
eq "$(jq .acked_seq "$W/status.json")" "$LAST" "the agent's acknowledged sequence"
jq -e '.items[] | select(.name=="test-agent") | .findings[] | select(.check=="tamper" and
	(.evidence.path == "index.html"))' "$W/body" >/dev/null || fail "no tamper finding for index.html"
jq -e '.items[] | select(.name=="test-agent") | .findings[] | select(.check=="webshell")' "$W/body" \
	>/dev/null || fail "no webshell finding"
# Two heartbeats (2 s apart) teach the server the agent's interval.
for i in $(seq 1 150); do
	agents
	jq -e '.items[] | select(.name=="test-agent") | .heartbeat.uptime_s >= 2' "$W/body" >/dev/null && break
	sleep 0.2
done
jq -e '.items[] | select(.name=="test-agent") | .heartbeat.uptime_s >= 2' "$W/body" >/dev/null ||
	fail "no second heartbeat from the agent"
# The engine runs inside serve: the protected site gets checked.
for i in $(seq 1 150); do
	curl -s "$BASE/metrics" >"$W/metrics"
	grep -q '^sitewarden_engine_checks_total [1-9]' "$W/metrics" && break
	sleep 0.2
done
grep -q '^sitewarden_engine_checks_total [1-9]' "$W/metrics" || fail "the engine in serve checked nothing"
stop_agent
# Heartbeats every 2 s: silent within 3 missed + 5 s.
for i in $(seq 1 200); do
	agents
	[ "$(jq -r '.items[] | select(.name=="test-agent") | .silent' "$W/body")" = true ] && break
	sleep 0.2
done
eq "$(jq -r '.items[] | select(.name=="test-agent") | .silent' "$W/body")" true "a stopped agent is silent"
stop_serve
echo "server_agent: ok"
