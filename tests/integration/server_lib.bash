# tests/integration/server_lib.bash - helpers of the server's integration
# tests (sourced after lib.bash): `sitewarden serve` started on a free
# port and stopped by PID, and curl wrappers that keep status, headers
# and body apart.
command -v curl >/dev/null || fail "curl is not installed"
command -v jq >/dev/null || fail "jq is not installed"
SERVE_PID=
SCHEME=http
CURL_TLS=()

server_cleanup() {
	if [ -n "$SERVE_PID" ]; then
		kill "$SERVE_PID" 2>/dev/null || true
		wait "$SERVE_PID" 2>/dev/null || true
	fi
	rm -rf "$W"
}
trap server_cleanup EXIT

# start_serve [ARGS...]: runs serve on 127.0.0.1 port 0 (the kernel picks a
# free one, so no other test can take it first) and reads the port from
# its first line.  Sets BASE.
start_serve() {
	local i
	"$SW" serve --listen 127.0.0.1:0 "$@" >"$W/serve.out" 2>"$W/serve.err" &
	SERVE_PID=$!
	for i in $(seq 1 100); do
		grep -q "listening on" "$W/serve.out" 2>/dev/null && break
		kill -0 "$SERVE_PID" 2>/dev/null || { cat "$W/serve.err"; fail "serve exited"; }
		sleep 0.1
	done
	grep -q "listening on" "$W/serve.out" || fail "serve did not start"
	BASE="$SCHEME://127.0.0.1:$(sed -n 's/.*:\([0-9]*\)$/\1/p' "$W/serve.out")"
}

# stop_serve: SIGTERM, then waits (bounded) for exit status 0.
stop_serve() {
	local i st=0
	kill -TERM "$SERVE_PID"
	for i in $(seq 1 100); do
		kill -0 "$SERVE_PID" 2>/dev/null || break
		sleep 0.1
	done
	kill -0 "$SERVE_PID" 2>/dev/null && { kill -9 "$SERVE_PID"; fail "serve ignored SIGTERM for 10 s"; }
	wait "$SERVE_PID" || st=$?
	SERVE_PID=
	eq "$st" 0 "serve's exit status after SIGTERM"
}

# req JAR METHOD PATH [BODY] [CURL ARGS...]: one request with the cookie
# jar JAR ("-" none); sets CODE, body in $W/body, headers in $W/hdr.
# A BODY of "@FILE" is sent from FILE.  JSON content type unless the
# extra arguments set another.
req() {
	local jar=$1 method=$2 path=$3 body=${4-} args=()
	shift 3
	[ $# -gt 0 ] && shift
	[ "$jar" != - ] && args+=(-b "$jar" -c "$jar")
	if [ -n "$body" ]; then
		case "$*" in
		*Content-Type:*) args+=(--data-binary "$body") ;;
		*) args+=(-H 'Content-Type: application/json' --data-binary "$body") ;;
		esac
	fi
	CODE=$(curl -s "${CURL_TLS[@]}" -X "$method" "${args[@]}" "$@" -D "$W/hdr" -o "$W/body" \
		-w '%{http_code}' --max-time 30 "$BASE$path") || true
}

# want CODE WHAT: the last request answered CODE.
want() {
	[ "$CODE" = "$1" ] || { echo "--- body"; cat "$W/body"; echo; fail "$2: HTTP $CODE, expected $1"; }
}

# login NAME PASSWORD JAR: signs in; sets CSRF.
login() {
	rm -f "$3"
	req "$3" POST /api/login "$(jq -cn --arg n "$1" --arg p "$2" '{name: $n, password: $p}')"
	want 200 "login as $1"
	CSRF=$(jq -r .csrf "$W/body")
}
