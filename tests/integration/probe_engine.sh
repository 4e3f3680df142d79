#!/usr/bin/env bash
# probe_engine.sh - the monitoring engine through `sitewarden probe` against
# nginx on 127.0.0.1: a name that does not exist is dns.nxdomain (through
# the resolve entry "-", so no DNS server is ever asked), every resolved
# address is recorded, and the exposure path probe runs where the policy
# enables it, at most once a day.
source "$SW_SRC/tests/integration/lib.bash"

command -v nginx >/dev/null || fail "nginx is not installed (scripts/setup installs it)"
command -v sqlite3 >/dev/null || fail "sqlite3 is not installed (scripts/setup installs it)"
NG="$W/nginx"
mkdir -p "$NG/www/.git" "$NG/tmp"
NGINX_PID=
cleanup() {
	if [ -n "$NGINX_PID" ]; then
		kill "$NGINX_PID" 2>/dev/null || true
		wait "$NGINX_PID" 2>/dev/null || true
	fi
	rm -rf "$W"
}
trap cleanup EXIT

printf '<html><head><title>ok</title></head><body>hello</body></html>\n' >"$NG/www/index.html"
printf 'ref: refs/heads/master\n' >"$NG/www/.git/HEAD"

write_conf() {
	PORT=$(free_port)
	NGINX_WAIT_PORT=$PORT
	{
		nginx_head
		cat <<-EOF
			root $NG/www;
			server {
				listen 127.0.0.1:$PORT;
				server_name ok.test leak.test;
				location / { try_files \$uri /index.html; }
			}
		}
		EOF
	} >"$NG/nginx.conf"
}
nginx_start write_conf || fail "nginx did not start"

RES=(--resolve "ok.test:$PORT:127.0.0.1" --resolve "leak.test:$PORT:127.0.0.1,127.0.0.2"
	--resolve "gone.test:$PORT:-")
probe() { "$SW" probe --no-content "${RES[@]}" "$@"; }
q() { sqlite3 "$SITEWARDEN_DB" "$1"; }

run 0 "$SW" unit add --name 测试单位 --type party_gov --region 110000
run 0 "$SW" site add --name 正常站 --url "http://ok.test:$PORT/" --unit 测试单位
run 0 "$SW" site add --name 泄露站 --url "http://leak.test:$PORT/" --unit 测试单位
run 0 "$SW" site add --name 消失站 --url "http://gone.test:$PORT/" --unit 测试单位
run 0 "$SW" policy set fail_threshold=1
run 0 "$SW" policy set --site 泄露站 checks=availability,dns,exposure

# --- a first sweep --------------------------------------------------------------------
run 0 probe --once
has err "probe: 3 check(s) stored, 1 site(s) down"
has out "http://gone.test:$PORT/: DOWN (host name does not exist (NXDOMAIN))"
run 0 "$SW" probe --show gone.test
eq "$(jq -r '.last_check.findings[0].check' out)" dns.nxdomain "gone.test finding"
eq "$(jq -r .state.availability out)" down "gone.test state"
# The exposed repository is found once, on the site whose policy asks.
run 0 "$SW" probe --show leak.test
eq "$(jq -r '[.last_check.findings[].check] | join(",")' out)" exposure.vcs "leak.test findings"
eq "$(jq -r '.last_check.findings[0].evidence.path' out)" /.git/HEAD "leak.test evidence path"
eq "$(jq -r .schedule.last_ips out)" "127.0.0.1;127.0.0.2" "leak.test: every resolved address"
run 0 "$SW" probe --show ok.test
eq "$(jq -r '.last_check.findings | length' out)" 0 "ok.test findings (exposure not enabled)"
eq "$(q "SELECT count(*) FROM site_probe_marks WHERE exposure_at > 0")" 1 "exposure marks"

# --- check now: within a day the exposure probe does not run again -----------------------
run 0 "$SW" probe --now leak.test
run 0 probe --once
has err "probe: 1 check(s) stored"
run 0 "$SW" probe --show leak.test
eq "$(jq -r '.last_check.findings | length' out)" 0 "leak.test findings the same day"
# A day later it does.
run 0 q "UPDATE site_probe_marks SET exposure_at = exposure_at - 86400"
run 0 "$SW" probe --now leak.test
run 0 probe --once
run 0 "$SW" probe --show leak.test
eq "$(jq -r '[.last_check.findings[].check] | join(",")' out)" exposure.vcs "leak.test findings a day later"

echo "probe_engine: ok"
