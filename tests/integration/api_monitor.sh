#!/usr/bin/env bash
# api_monitor.sh - the monitoring API through real HTTP on 127.0.0.1 with
# checks made by `sitewarden probe` against nginx: a site learns its
# baseline, is defaced, and then the API shows its checks newest first,
# one check with its findings, the open findings and the site list
# filtered by them, the overview (counts, findings by kind, today's trend
# from the rollups the probe's checks added to) and the side-by-side diff
# of visible text; an operator of another unit gets 404 on all of it.
source "$SW_SRC/tests/integration/lib.bash"
source "$SW_SRC/tests/integration/server_lib.bash"

command -v nginx >/dev/null || fail "nginx is not installed (scripts/setup installs it)"
command -v sqlite3 >/dev/null || fail "sqlite3 is not installed (scripts/setup installs it)"
NG="$W/nginx"
mkdir -p "$NG/www" "$NG/tmp"
NGINX_PID=
cleanup() {
	if [ -n "$NGINX_PID" ]; then
		kill "$NGINX_PID" 2>/dev/null || true
		wait "$NGINX_PID" 2>/dev/null || true
	fi
	server_cleanup
}
trap cleanup EXIT

# page TITLE DAY BANNER: a county portal home page on day DAY.
page() {
	local d=$2 news="" i
	for i in 1 2 3 4 5 6; do
		news+="<li><a href=\"/art/2024/$((d * 10 + i)).html\">第$((d * 10 + i))期 关于开展安全生产检查的通知</a><span>2024-03-$d</span></li>"
	done
	cat >"$NG/www/index.html" <<-HTML
		<!DOCTYPE html><html><head><meta charset="utf-8"><title>$1</title></head><body>
		<div class="header"><img src="/img/logo.png" alt="某某县人民政府"><ul class="nav"><li><a href="/">首页</a></li>
		<li><a href="/zwgk/">政务公开</a></li><li><a href="/bsfw/">办事服务</a></li><li><a href="/hdjl/">互动交流</a></li></ul></div>
		$3
		<div class="intro"><h2>县情概况</h2><p>某某县位于某省东部，总面积一千二百平方公里，辖十个乡镇，户籍人口四十二万。全县坚持以人民为中心的发展思想，统筹推进经济社会发展各项工作。</p>
		<p>县政府门户网站是县人民政府在互联网上发布政务信息、提供在线服务、与公众互动交流的平台。</p></div>
		<div class="news"><h3>政务动态</h3><ul>$news</ul></div>
		<div class="date">今天是2024年3月$d日</div>
		<div class="footer"><p>主办单位：某某县人民政府办公室</p><p>网站标识码：1100000001
		<a href="https://beian.miit.gov.cn/">京ICP备05070218号-1</a> 京公网安备 11010502030143号</p>
		<script src="https://dcs.conac.cn/js/33/000/0000/60617010/CA330000000606170100002.js"></script></div>
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
			server {
				listen 127.0.0.1:$PORT;
				root $NG/www;
			}
		}
		EOF
	} >"$NG/nginx.conf"
}
nginx_start write_conf || fail "nginx did not start"

H=www.example.gov.cn
sweep() { # one check of the site, now
	run 0 "$SW" probe --now "$H"
	run 0 "$SW" probe --once --resolve "$H:$PORT:127.0.0.1"
}

run 0 "$SW" unit add --name 某某县人民政府办公室 --type party_gov --region 110000
run 0 "$SW" unit add --name 其他单位 --type soe --region 120000 --json
OTHER_UNIT=$(jq .id "$W/out")
run 0 "$SW" site add --name 某某县人民政府 --url "http://$H:$PORT/" --unit 某某县人民政府办公室 \
	--icp 京ICP备05070218号 --psb 京公网安备11010502030143号 --gov-code 1100000001 --json
SITE=$(jq .id "$W/out")
for day in 1 2 3; do
	page "某某县人民政府门户网站" "$day" ""
	sweep
done
page "Hacked by Black Team" 5 '<div style="font-size:40px;color:red"><h1>Hacked by Black Team</h1><p>此站已被黑客入侵 管理员你好</p></div>'
sweep

printf 'admin-pass-1\n' | run 0 "$SW" user add --name admin --role admin
printf 'oper-pass-12\n' | run 0 "$SW" user add --name oper --role operator --unit "$OTHER_UNIT"
start_serve --no-probe
login admin admin-pass-1 "$W/admin.jar"

req "$W/admin.jar" GET "/api/sites/$SITE/checks?limit=2"
want 200 "checks"
eq "$(jq .total "$W/body")" 4 "checks recorded"
eq "$(jq '.items | length' "$W/body")" 2 "limit"
LAST=$(jq '.items[0].id' "$W/body")
jq -e '.items[0].checked_at >= .items[1].checked_at and .items[0].status == 200 and
	(.items[0] | has("first_byte_ms") and has("tls_not_after"))' "$W/body" >/dev/null || fail "check shape"
req "$W/admin.jar" GET "/api/checks/$LAST"
want 200 "one check"
jq -e '[.findings[].kind] | index("defacement")' "$W/body" >/dev/null || fail "defacement finding in the check"
req "$W/admin.jar" GET "/api/findings?kind=defacement"
want 200 "open findings"
jq -e --argjson s "$SITE" '.total >= 1 and all(.items[]; .site_id == $s and .kind == "defacement" and .check_id > 0)' \
	"$W/body" >/dev/null || fail "open findings of the site"
req "$W/admin.jar" GET "/api/sites?kind=defacement"
eq "$(jq .total "$W/body")" 1 "sites with a defacement finding"
req "$W/admin.jar" GET "/api/sites?up=false"
eq "$(jq .total "$W/body")" 0 "no site down"
req "$W/admin.jar" GET /api/overview
want 200 overview
jq -e '.sites.total == 1 and .sites.up == 1 and .findings.by_kind.defacement >= 1 and
	.trend[29].checks == 4 and .trend[29].availability == 1 and .top_sites[0].worst_severity != null' \
	"$W/body" >/dev/null || { cat "$W/body"; fail "overview figures"; }
req "$W/admin.jar" GET "/api/sites/$SITE/diff"
want 200 diff
jq -e '.current.title == "Hacked by Black Team" and
	([.lines[] | select(.op == "add") | .text] | index("此站已被黑客入侵 管理员你好")) and
	([.lines[] | select(.op == "same") | .text] | index("县情概况")) and
	([.lines[] | select(.op == "del") | .text] | length) > 0' "$W/body" >/dev/null ||
	{ jq -c . "$W/body" | head -c 2000; fail "diff lines"; }
login oper oper-pass-12 "$W/oper.jar"
for p in "/api/sites/$SITE/checks" "/api/checks/$LAST" "/api/sites/$SITE/diff" "/api/sites/$SITE"; do
	req "$W/oper.jar" GET "$p"
	want 404 "operator of another unit: $p"
done
req "$W/oper.jar" GET "/api/findings"
eq "$(jq .total "$W/body")" 0 "operator sees no findings"
req "$W/oper.jar" GET /api/overview
jq -e '.sites.total == 0 and .trend[29].checks == 0' "$W/body" >/dev/null || fail "operator's overview"
stop_serve
echo "api_monitor: ok"
