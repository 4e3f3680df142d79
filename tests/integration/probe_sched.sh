#!/usr/bin/env bash
# probe_sched.sh - `sitewarden probe` over a register of sites served by
# nginx on 127.0.0.1: what one sweep stores (checks, findings, snapshots,
# state, next due times), that nothing is due right after, that "check
# now" makes a site due, that a failing site is down only after
# fail_threshold failures in a row, and that SIGTERM stops the loop
# cleanly.  Host names reach loopback through --resolve, never DNS.
source "$SW_SRC/tests/integration/lib.bash"

command -v nginx >/dev/null || fail "nginx is not installed (scripts/setup installs it)"
command -v sqlite3 >/dev/null || fail "sqlite3 is not installed (scripts/setup installs it)"
NG="$W/nginx"
mkdir -p "$NG/www" "$NG/tmp"
NGINX_PID= PROBE_PID=
cleanup() {
	local p
	for p in $PROBE_PID $NGINX_PID; do
		kill "$p" 2>/dev/null || true
		wait "$p" 2>/dev/null || true
	done
	rm -rf "$W"
}
trap cleanup EXIT

printf '<html><head><title>ok</title></head><body>hello</body></html>\n' >"$NG/www/ok.html"

# write_conf: serves ok.test and new.test (the same page) and bad.test
# (HTTP 500) on a free port $PORT (see nginx_start in lib.bash).
write_conf() {
	PORT=$(free_port)
	NGINX_WAIT_PORT=$PORT
	{
		nginx_head
		cat <<-EOF
			root $NG/www;
			server {
				listen 127.0.0.1:$PORT;
				server_name ok.test new.test off.test;
				location / { try_files /ok.html =404; }
			}
			server {
				listen 127.0.0.1:$PORT;
				server_name bad.test;
				location / { return 500 "broken\n"; }
			}
		}
		EOF
	} >"$NG/nginx.conf"
}
nginx_start write_conf || fail "nginx did not start"

RES=()
for h in ok.test new.test bad.test off.test; do
	RES+=(--resolve "$h:$PORT:127.0.0.1")
done
probe() { "$SW" probe "${RES[@]}" "$@"; }
q() { sqlite3 "$SITEWARDEN_DB" "$1"; }

# --- the register -------------------------------------------------------------
run 0 "$SW" unit add --name 测试单位 --type party_gov --region 110000
run 0 "$SW" site add --name 正常站 --url "http://ok.test:$PORT/" --unit 测试单位 --ips 127.0.0.1
run 0 "$SW" site add --name 故障站 --url "http://bad.test:$PORT/" --unit 测试单位
run 0 "$SW" site add --name 新站 --url "http://new.test:$PORT/" --unit 测试单位 --status pre-launch
run 0 "$SW" site add --name 停用站 --url "http://off.test:$PORT/" --unit 测试单位 --status suspended
run 0 "$SW" policy set fail_threshold=2
run 2 "$SW" probe --batch 0
run 2 "$SW" probe extra

# --- a first sweep: every active site, once ---------------------------------------
t0=$(date +%s)
run 0 probe --once
has err "probe: 3 check(s) stored, 0 site(s) down"
has out "http://ok.test:$PORT/: up HTTP 200"
has out "http://bad.test:$PORT/: up HTTP 500"
has out "ms, 0 finding(s)"
eq "$(q 'SELECT count(*) FROM checks')" 3 "checks after one sweep"
eq "$(q 'SELECT count(*) FROM site_state')" 3 "state rows after one sweep"
# ok.test and new.test serve the same page: one snapshot for both.
eq "$(q 'SELECT count(*) FROM snapshots')" 2 "snapshots (content-addressed)"
eq "$(q "SELECT count(DISTINCT body_hash) FROM checks WHERE status = 200")" 1 "body hashes of the 200s"

run 0 "$SW" probe --show 正常站
eq "$(jq -r .state.availability out)" up "ok.test state"
eq "$(jq -r .last_check.status out)" 200 "ok.test last status"
eq "$(jq -r .last_check.ip out)" 127.0.0.1 "ok.test address"
eq "$(jq -r '.last_check.body_hash | length' out)" 64 "ok.test body hash"
eq "$(jq -r .schedule.last_ips out)" 127.0.0.1 "ok.test last addresses"
due=$(jq -r .schedule.next_due out)
# interval 300 with at most 10% jitter either way
[ "$due" -ge $((t0 + 270)) ] && [ "$due" -le $(($(date +%s) + 330)) ] ||
	fail "next due $due is not about 300 s after $t0"
run 0 "$SW" probe --show 停用站
eq "$(jq -c '[.schedule, .state, .last_check]' out)" "[null,null,null]" "a suspended site"

# The 500 site: one failure is below the threshold, so no finding yet.
run 0 "$SW" probe --show bad.test
eq "$(jq -r .state.availability out)" up "bad.test after one failure"
eq "$(jq -r .schedule.fails out)" 1 "bad.test failures"
eq "$(jq -r '.last_check.findings | length' out)" 0 "bad.test findings held back"

# --- nothing is due right after ------------------------------------------------------
run 0 probe --once
has err "probe: 0 check(s) stored"
eq "$(q 'SELECT count(*) FROM checks')" 3 "checks after a second sweep"

# --- check now: the second failure makes bad.test down --------------------------------
run 0 "$SW" probe --now bad.test
has out "is due now"
run 1 "$SW" probe --now no-such-site.test
run 0 probe --once
has err "probe: 1 check(s) stored, 1 site(s) down"
has out "http://bad.test:$PORT/: DOWN HTTP 500"
has out "ms, 1 finding(s)"
run 0 "$SW" probe --show bad.test
eq "$(jq -r .state.availability out)" down "bad.test after two failures"
eq "$(jq -r '.last_check.findings[0].check' out)" availability.http_error "bad.test finding"
eq "$(jq -r '.last_check.findings[0].evidence.status' out)" 500 "bad.test evidence"
eq "$(jq -r .state.open_findings out)" 1 "bad.test open findings"
# site show carries the same state for people and scripts.
run 0 "$SW" site show bad.test --json
eq "$(jq -r .monitoring.availability out)" down "site show: availability"
eq "$(jq -r '.monitoring.findings[0].check' out)" availability.http_error "site show: finding"
run 0 "$SW" site show bad.test
has out "monitoring:"
has out "[high] availability.http_error"

# --now with --once checks at once; the unchanged page adds no snapshot.
run 0 probe --now 正常站 --once
has err "probe: 1 check(s) stored, 0 site(s) down"
eq "$(q 'SELECT count(*) FROM checks')" 5 "checks after check-now"
eq "$(q 'SELECT count(*) FROM snapshots')" 2 "snapshots after an unchanged page"
eq "$(q 'SELECT count(*) FROM check_findings')" 1 "findings stored"

# --- retention: bad.test's checks made 40 days old go, with their findings
# and the snapshot no check names any more; the rest stays.
q "UPDATE checks SET checked_at = checked_at - 40 * 86400 WHERE ip IS NOT NULL AND status = 500"
q "UPDATE snapshots SET first_seen = first_seen - 40 * 86400"
run 0 probe --once --keep-days 30
has err "deleted 2 check(s) and 1 snapshot(s) older than 30 day(s)"
eq "$(q 'SELECT count(*) FROM checks')" 3 "checks after retention"
eq "$(q 'SELECT count(*) FROM check_findings')" 0 "findings after retention"
eq "$(q 'SELECT count(*) FROM snapshots')" 1 "snapshots after retention"
run 0 "$SW" probe --show 正常站
eq "$(jq -r '.last_check.body_hash | length' out)" 64 "the kept page's check"
run 2 "$SW" probe --keep-days -1

# --- the loop: picks up a check-now, stops cleanly on SIGTERM --------------------------
# (Not through the probe function: $! must be sitewarden itself.)
"$SW" probe "${RES[@]}" --max-sleep 1 >loop.out 2>loop.err &
PROBE_PID=$!
run 0 "$SW" probe --now 新站
for i in $(seq 1 100); do
	grep -q "new.test" loop.out && break
	sleep 0.1
done
has loop.out "http://new.test:$PORT/: up HTTP 200"
kill -TERM "$PROBE_PID"
st=0
wait "$PROBE_PID" || st=$?
PROBE_PID=
eq "$st" 0 "exit status of the stopped loop"
has loop.err "(stopped)"
eq "$(q 'SELECT count(*) FROM checks')" 4 "checks after the loop"
echo "probe_sched: all checks passed"
