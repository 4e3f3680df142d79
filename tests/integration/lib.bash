# tests/integration/lib.bash - sourced by the integration tests.
# Gives: $SW (the sitewarden binary), $GEN (the data generator), a private
# work directory $W removed on exit, and small assertion helpers that name
# the failing step.
set -euo pipefail
: "${SW_BIN:?SW_BIN must name the build directory}"
: "${SW_SRC:?SW_SRC must name the source directory}"
SW="$SW_BIN/sitewarden"
GEN="$SW_BIN/sw_gen_register"
W=$(mktemp -d "${TMPDIR:-/tmp}/sw-it-XXXXXX")
trap 'rm -rf "$W"' EXIT
export SITEWARDEN_DB="$W/default.db"
cd "$W"

fail() {
	echo "FAIL: $*" >&2
	exit 1
}

# run EXPECTED_STATUS CMD...: runs CMD, keeps stdout in $W/out and stderr in
# $W/err, and fails unless it exits with EXPECTED_STATUS.
run() {
	local want=$1 got=0
	shift
	"$@" >"$W/out" 2>"$W/err" || got=$?
	if [ "$got" != "$want" ]; then
		echo "--- stdout"; cat "$W/out"; echo "--- stderr"; cat "$W/err"
		fail "'$*' exited $got, expected $want"
	fi
}

# has FILE TEXT: FILE contains TEXT (fixed string).
has() {
	grep -qF -- "$2" "$1" || { echo "--- $1"; head -50 "$1"; fail "$1 lacks '$2'"; }
}

# eq A B WHAT
eq() {
	[ "$1" = "$2" ] || fail "$3: got '$1', expected '$2'"
}

# count DB: number of sites in the register DB.
count() {
	"$SW" --db "$1" site list --json | jq length
}

# free_port: prints a TCP port on 127.0.0.1 that nothing listens on now,
# below 32768 where the kernel picks client ports.  Another test may take it
# first: nginx_start then notices and tries again with new ports.
free_port() {
	local p
	while :; do
		p=$((20000 + RANDOM % 12000))
		if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then
			echo "$p"
			return
		fi
	done
}

# nginx_head: the start of every test nginx.conf, up to and including
# "http {": one process in the foreground, every file under $NG.
nginx_head() {
	cat <<-HEAD
		daemon off;
		master_process off;
		worker_processes 1;
		error_log $NG/error.log warn;
		pid $NG/nginx.pid;
		events { worker_connections 2048; }
		http {
			access_log off;
			client_body_temp_path $NG/tmp/body;
			proxy_temp_path $NG/tmp/proxy;
			fastcgi_temp_path $NG/tmp/fastcgi;
			uwsgi_temp_path $NG/tmp/uwsgi;
			scgi_temp_path $NG/tmp/scgi;
			default_type text/html;
	HEAD
}

# nginx_start WRITER: runs the function WRITER, which picks ports with
# free_port, writes $NG/nginx.conf and sets NGINX_WAIT_PORT, then starts
# nginx on it; up to 5 attempts with new ports.  Sets NGINX_PID (the caller
# stops it by that PID).  nginx writes its pid file only once it holds every
# listening socket, so an answer on the port is then ours, not another
# test's that took the port meanwhile.
nginx_start() {
	local attempt i
	mkdir -p "$NG/tmp"
	for attempt in 1 2 3 4 5; do
		"$1"
		rm -f "$NG/nginx.pid"
		nginx -p "$NG" -c "$NG/nginx.conf" -e "$NG/error.log" &
		NGINX_PID=$!
		for i in $(seq 1 50); do
			if [ -s "$NG/nginx.pid" ] &&
				(exec 3<>"/dev/tcp/127.0.0.1/$NGINX_WAIT_PORT") 2>/dev/null; then
				return 0
			fi
			kill -0 "$NGINX_PID" 2>/dev/null || break
			sleep 0.1
		done
		kill "$NGINX_PID" 2>/dev/null || true
		wait "$NGINX_PID" 2>/dev/null || true
		NGINX_PID=
	done
	cat "$NG/error.log" >&2 2>/dev/null || true
	return 1
}
