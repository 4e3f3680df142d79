#!/usr/bin/env bash
# baseline_cli.sh - `sitewarden baseline accept|show|history`: accepting
# from files and from the site's stored fetches (served by nginx on
# 127.0.0.1 and fetched by `probe --once`), show and history in text and
# JSON, and the errors people meet first.  Host names reach loopback
# through --resolve, never DNS.
source "$SW_SRC/tests/integration/lib.bash"

command -v nginx >/dev/null || fail "nginx is not installed (scripts/setup installs it)"
NG="$W/nginx"
mkdir -p "$NG/www" "$NG/tmp"
NGINX_PID=
cleanup() {
	if [ -n "$NGINX_PID" ]; then
		kill "$NGINX_PID" 2>/dev/null || true
		wait "$NGINX_PID" 2>/dev/null || true
	fi
	rm -rf "$W"
}
trap cleanup EXIT

# page N: a small portal whose news list and date differ with N.
page() {
	cat <<-EOF
		<html><head><meta charset="utf-8"><title>某某市人民政府</title></head><body>
		<div class="header"><img class="logo" src="/images/logo.png" alt="某某市人民政府"></div>
		<div class="date">今天是：2024年5月$1日</div>
		<div class="intro"><p>某某市位于某某省东部，是国务院批复确定的区域中心城市之一。</p></div>
		<ul class="news"><li><a href="/a/$1.html">第$1条新闻：市政府召开常务会议</a><span>2024-05-0$1</span></li>
		<li><a href="/a/x.html">全市安全生产工作会议召开</a><span>2024-05-01</span></li>
		<li><a href="/a/y.html">市领导调研数字政府建设工作</a><span>2024-04-30</span></li></ul>
		<div class="footer"><p>主办单位：某某市人民政府办公室</p></div></body></html>
	EOF
}
page 1 >"$W/p1.html"
page 2 >"$W/p2.html"
page 3 >"$NG/www/index.html"

write_conf() {
	PORT=$(free_port)
	NGINX_WAIT_PORT=$PORT
	{
		nginx_head
		cat <<-EOF
			root $NG/www;
			server {
				listen 127.0.0.1:$PORT;
				server_name gov.test;
				location / { try_files /index.html =404; }
			}
		}
		EOF
	} >"$NG/nginx.conf"
}
nginx_start write_conf || fail "nginx did not start"

run 0 "$SW" unit add --name 测试单位 --type party_gov --region 110000
run 0 "$SW" site add --name 测试站 --url "http://gov.test:$PORT/" --unit 测试单位

# --- nothing yet -------------------------------------------------------------
run 1 "$SW" baseline show 测试站
has err "has no baseline"
run 1 "$SW" baseline accept 测试站
has err "no stored fetch"
run 2 "$SW" baseline accept
run 2 "$SW" baseline frobnicate 测试站
run 1 "$SW" baseline show 没有这个站

# --- from files -----------------------------------------------------------------
run 0 "$SW" baseline accept 测试站 --page "$W/p1.html" --page "$W/p2.html" --by 张三
has out "accepted for site 1 from 2 page versions"
run 0 "$SW" baseline show 测试站
has out "title          某某市人民政府"
has out "key image      /images/logo.png"
run 0 "$SW" baseline show 测试站 --json
eq "$(jq -r .by "$W/out")" 张三 "accepted by"
eq "$(jq -r .versions "$W/out")" 2 "versions"
eq "$(jq -r '.pages | split(" ") | length' "$W/out")" 2 "snapshot keys"

# --- from the site's stored fetch -------------------------------------------------
run 0 "$SW" probe --once --resolve "gov.test:$PORT:127.0.0.1"
run 0 "$SW" baseline accept "http://gov.test:$PORT/" --last 2
has out "accepted for site 1 from 1 page version"
run 0 "$SW" baseline history 测试站 --json
eq "$(jq length "$W/out")" 2 "history rows"
eq "$(jq -r '.[0].versions' "$W/out")" 1 "newest first"
run 0 "$SW" baseline history 测试站 --limit 1
eq "$(wc -l <"$W/out")" 1 "history --limit"
echo "ok"
