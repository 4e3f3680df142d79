# tests/integration/agent_lib.bash - helpers of the agent's integration
# tests (sourced after lib.bash): a generated web root served by nginx on
# 127.0.0.1, the event sink, the agent started and stopped by PID, and
# assertions that every file is back to its baseline.
AGENT="$SW_BIN/sitewarden-agent"
SINK="$SW_BIN/sw_agent_sink"
[ -x "$AGENT" ] || fail "$AGENT not built"
[ -x "$SINK" ] || fail "$SINK not built"
command -v nginx >/dev/null || fail "nginx is not installed"
[ "$(id -u)" = 0 ] || { echo "SKIP: the agent tests need root (fanotify, chown)"; exit 0; }

WWW="$W/www"
STORE="$W/store"
NG="$W/nginx"
AGENT_PID=
SINK_PID=
NGINX_PID=
SYSCTL_RESTORE=()
EXTRA_PIDS=()
MOUNTS=()

# stop_pid PID: SIGTERM, then SIGKILL after 10 s (a process stuck in the
# kernel only dies of that), and reaps it.
stop_pid() {
	local i
	kill "$1" 2>/dev/null || return 0
	for i in $(seq 1 100); do
		kill -0 "$1" 2>/dev/null || break
		sleep 0.1
	done
	kill -9 "$1" 2>/dev/null || true
	wait "$1" 2>/dev/null || true
}

agent_cleanup() {
	local p
	for p in "$AGENT_PID" "$SINK_PID" "$NGINX_PID" "${EXTRA_PIDS[@]}"; do
		[ -n "$p" ] && stop_pid "$p"
	done
	for p in "${MOUNTS[@]}"; do
		umount "$p" 2>/dev/null || true
	done
	for p in "${SYSCTL_RESTORE[@]}"; do
		echo "${p#*=}" >"${p%%=*}" 2>/dev/null || true
	done
	rm -rf "$W"
}
trap agent_cleanup EXIT

# make_site N_BULK: a small government-portal-like tree in $WWW.
make_site() {
	local i
	mkdir -p "$WWW"/{css,js,img,news/2024,uploads,cache,sub/deep,bulk}
	printf '<html><head><title>某市人民政府</title></head><body>首页</body></html>\n' >"$WWW/index.html"
	for i in $(seq 1 20); do
		printf '<html><body>新闻 %d 政务公开</body></html>\n' "$i" >"$WWW/news/2024/n$i.html"
	done
	printf 'body{color:#333}\n' >"$WWW/css/site.css"
	printf 'var x=1;\n' >"$WWW/js/site.js"
	head -c 20000 /dev/urandom >"$WWW/img/logo.png"
	printf 'deep\n' >"$WWW/sub/deep/a.html"
	printf 'sub\n' >"$WWW/sub/b.html"
	ln -s index.html "$WWW/home.html"
	for i in $(seq 1 "${1:-0}"); do
		printf 'bulk page %d\n' "$i" >"$WWW/bulk/p$i.html"
	done
	chmod 644 "$WWW/index.html"
	cp -a "$WWW" "$W/pristine"
}

ngx_conf() {
	NGX_PORT=$(free_port)
	NGINX_WAIT_PORT=$NGX_PORT
	{
		nginx_head
		cat <<-CONF
			server {
				listen 127.0.0.1:$NGX_PORT;
				root $WWW;
			}
			}
		CONF
	} >"$NG/nginx.conf"
}

start_nginx() {
	mkdir -p "$NG"
	nginx_start ngx_conf || fail "nginx did not start"
}

# start_sink: the event sink with an HMAC key, refusing while $W/down exists;
# started again, it takes the same port (the agent keeps its URL).
start_sink() {
	local port=0
	[ -f "$W/key" ] || head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n' >"$W/key"
	[ -s "$W/sink.port" ] && port=$(cat "$W/sink.port")
	rm -f "$W/sink.port"
	"$SINK" --port "$port" --port-file "$W/sink.port" --events "$W/sink.jsonl" \
		--heartbeats "$W/heartbeats.jsonl" --hmac-key-file "$W/key" \
		--refuse-file "$W/down" &
	SINK_PID=$!
	local i
	for i in $(seq 1 50); do
		[ -s "$W/sink.port" ] && break
		sleep 0.05
	done
	SINK_URL="http://127.0.0.1:$(cat "$W/sink.port")"
}

stop_sink() {
	kill "$SINK_PID"
	wait "$SINK_PID" 2>/dev/null || true
	SINK_PID=
}

# The settings every agent command of a test uses.
AARGS=(--root "$WWW" --exclude cache --exclude '*.log' --upload uploads
	--store "$STORE" --agent-id test-agent)

# start_agent [EXTRA...]: runs the agent in the background, waits for its
# control socket (it answers once the start-up reconciliation is done).
start_agent() {
	"$AGENT" run "${AARGS[@]}" --server "$SINK_URL" --hmac-key-file "$W/key" \
		--heartbeat 2s "$@" >>"$W/agent.log" 2>&1 &
	AGENT_PID=$!
	local i
	for i in $(seq 1 100); do
			# (status first into a file: with pipefail, grep -q leaving early
		# would fail the pipeline with SIGPIPE)
		"$AGENT" status "${AARGS[@]}" >"$W/status.out" 2>/dev/null || true
		if grep -q ": running" "$W/status.out"; then
			return 0
		fi
		kill -0 "$AGENT_PID" 2>/dev/null || { cat "$W/agent.log"; fail "agent exited"; }
		sleep 0.1
	done
	tail -20 "$W/agent.log"
	fail "agent did not start"
}

stop_agent() {
	local i
	kill "$AGENT_PID"
	for i in $(seq 1 100); do
		kill -0 "$AGENT_PID" 2>/dev/null || break
		sleep 0.1
	done
	kill -0 "$AGENT_PID" 2>/dev/null && { stop_pid "$AGENT_PID"; AGENT_PID=; fail "agent did not stop"; }
	wait "$AGENT_PID" || fail "agent exited with status $?"
	AGENT_PID=
}

# wait_clean WHAT: waits (up to 10 s) until verify finds no difference.
wait_clean() {
	local i
	for i in $(seq 1 100); do
			if "$AGENT" verify "${AARGS[@]}" >"$W/verify.out" 2>&1; then
			return 0
		fi
		sleep 0.1
	done
	cat "$W/verify.out"
	fail "$1: the root did not return to its baseline"
}

# same_as_pristine: every file byte-identical, same modes and owners.
same_as_pristine() {
	diff -r --no-dereference -x uploads -x cache "$W/pristine" "$WWW" >"$W/diff.out" 2>&1 ||
		{ cat "$W/diff.out"; fail "$1: the root differs from the original tree"; }
	local a b
	a=$(cd "$W/pristine" && find . -path ./uploads -prune -o -path ./cache -prune -o -printf '%p %m %u %g\n' | sort)
	b=$(cd "$WWW" && find . -path ./uploads -prune -o -path ./cache -prune -o -printf '%p %m %u %g\n' | sort)
	[ "$a" = "$b" ] || { diff <(echo "$a") <(echo "$b"); fail "$1: modes or owners differ"; }
}

# quarantined TEXT WHAT: some quarantined file holds TEXT.
quarantined() {
	local i
	for i in $(seq 1 30); do
		if grep -rlF --exclude='*.meta' -- "$1" "$STORE/quarantine" >/dev/null 2>&1; then
			return 0
		fi
		sleep 0.1
	done
	ls -la "$STORE/quarantine"
	fail "$2: quarantine lacks '$1'"
}

# served PATH: what nginx answers for PATH.
served() {
	curl -s --max-time 5 "http://127.0.0.1:$NGX_PORT/$1"
}

# all_delivered: every spooled event reached the sink exactly once.
all_delivered() {
	local i last
	for i in $(seq 1 150); do
			last=$("$AGENT" status "${AARGS[@]}" --json | jq .last_seq)
		if [ -s "$W/sink.jsonl" ] && [ "$(jq -s 'map(.seq) | unique | length' "$W/sink.jsonl")" = "$last" ] &&
			[ "$(wc -l <"$W/sink.jsonl")" = "$last" ]; then
			return 0
		fi
		sleep 0.1
	done
	echo "spool last_seq=$last, sink lines=$(wc -l <"$W/sink.jsonl")"
	fail "$1: not every event reached the server exactly once"
}
