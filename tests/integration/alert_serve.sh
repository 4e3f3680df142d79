#!/usr/bin/env bash
# alert_serve.sh - `sitewarden serve` runs the same alert hooks as probe:
# its engine thread checks a page with a hidden dark link, raises the
# alert, opens an incident and delivers one signed webhook message; with
# the receiver down the resolution waits in the queue across a restart of
# serve, and the restarted server's own pump delivers it once the receiver
# is back (after the back-off), none twice.  Waits are bounded polls.
source "$SW_SRC/tests/integration/lib.bash"
source "$SW_SRC/tests/integration/server_lib.bash"

command -v nginx >/dev/null || fail "nginx is not installed (scripts/setup installs it)"
NG="$W/nginx"
mkdir -p "$NG/www" "$NG/tmp"
NGINX_PID= HOOK_PID=
cleanup() {
	local p
	for p in $NGINX_PID $HOOK_PID $SERVE_PID; do
		kill "$p" 2>/dev/null || true
		wait "$p" 2>/dev/null || true
	done
	rm -rf "$W"
}
trap cleanup EXIT

page() {
	cat >"$NG/www/index.html" <<-HTML
		<!DOCTYPE html><html><head><meta charset="utf-8"><title>某县教育局</title></head><body>
		<h1>某县教育局</h1><p>本局负责全县教育事业发展规划、学校管理与招生考试等工作。</p>
		$1
		<ul><li><a href="/zwgk/">政务公开</a></li><li><a href="/bsfw/">办事服务</a></li></ul>
		</body></html>
	HTML
}
write_conf() {
	PORT=$(free_port)
	NGINX_WAIT_PORT=$PORT
	{
		nginx_head
		cat <<-EOF
			charset utf-8;
			server { listen 127.0.0.1:$PORT; root $NG/www; }
		}
		EOF
	} >"$NG/nginx.conf"
}
page "<div style='display:none'><a href='http://bet.example.com/'>澳门葡京百家乐</a><a href='http://sf.example.net/'>传奇私服</a></div>"
nginx_start write_conf || fail "nginx did not start"

start_sink() { # [--port N]
	local i
	rm -f "$W/hook.port"
	"$SW_BIN/sw_hook_sink" --log "$W/hook.log" --port-file "$W/hook.port" --secret s3 "$@" &
	HOOK_PID=$!
	for i in $(seq 1 50); do
		[ -s "$W/hook.port" ] && return 0
		sleep 0.1
	done
	fail "the receiver did not start"
}
# wait_for SECONDS WHAT CMD...: polls CMD every half second.
wait_for() {
	local n=$(($1 * 2)) what=$2 i
	shift 2
	for i in $(seq 1 "$n"); do
		"$@" && return 0
		sleep 0.5
	done
	echo "--- serve.out"; cat "$W/serve.out"; echo "--- serve.err"; tail -20 "$W/serve.err"
	fail "waited $((n / 2)) s for $what"
}
hook_lines() { [ "$(grep -c . "$W/hook.log" 2>/dev/null || true)" = "$1" ]; }
alerts_in() { # STATE N
	"$SW" alert list --state "$1" --json >"$W/alerts.json" 2>/dev/null &&
		[ "$(jq .total "$W/alerts.json")" = "$2" ]
}

touch "$W/hook.log"
start_sink
HOOK_PORT=$(cat "$W/hook.port")
run 0 "$SW" unit add --name 某县教育局 --type party_gov --region 110000
run 0 "$SW" site add --name 某县教育局 --url "http://127.0.0.1:$PORT/" --unit 某县教育局
run 0 "$SW" policy set checks=availability,darklink
run 0 "$SW" channel add hook --kind webhook --url "http://127.0.0.1:$HOOK_PORT/" --secret s3 \
	--site 某县教育局

run 0 "$SW" probe --now 某县教育局 # new sites are otherwise spread over their interval
start_serve
wait_for 60 "the dark link's message" hook_lines 1
eq "$(jq -r .verified "$W/hook.log")" true "signature"
eq "$(jq -r '.body.alerts | map(.kind) | unique | join(",")' "$W/hook.log")" darklink.hidden_link \
	"the message's alerts"
run 0 "$SW" incident list --state open --json
eq "$(jq .total "$W/out")" 1 "open incidents"

# The receiver goes down; the page is cleaned; serve checks it again.
kill "$HOOK_PID"
wait "$HOOK_PID" 2>/dev/null || true
HOOK_PID=
page ""
run 0 "$SW" probe --now 某县教育局
wait_for 60 "the resolution" alerts_in resolved 2
wait_for 30 "a failed attempt" sh -c \
	"'$SW' channel queue --state queued --json | jq -e '.items[0].attempts >= 1' >/dev/null"
stop_serve

# Back: the restarted server's own pump delivers it after the back-off.
start_sink --port "$HOOK_PORT"
start_serve
wait_for 90 "the queued resolution" hook_lines 2
stop_serve
eq "$(tail -1 "$W/hook.log" | jq -r .body.event)" alert.resolved "the second message"
eq "$(jq -r .idempotency_key "$W/hook.log" | sort -u | grep -c .)" 2 "distinct keys"
run 0 "$SW" channel queue --state queued --json
eq "$(jq '.items | length' "$W/out")" 0 "messages still queued"
echo "alert_serve: ok"
