#!/usr/bin/env bash
# probe_deface.sh - defacement in the monitoring loop: `sitewarden probe`
# learns a site's baseline from its first three distinct pages (a news list
# and a date that change by themselves), stays quiet on the next honest
# update, reports the defaced page with its evidence, and after
# `baseline accept` of an authorised redesign is quiet again.  Pages come
# from nginx on 127.0.0.1; host names reach it through --resolve.
source "$SW_SRC/tests/integration/lib.bash"

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
	rm -rf "$W"
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
kinds() { # finding kinds of the newest check
	sqlite3 "$SITEWARDEN_DB" "SELECT group_concat(kind, ',') FROM (SELECT kind FROM check_findings
		WHERE check_id = (SELECT max(id) FROM checks) ORDER BY kind)"
}

run 0 "$SW" unit add --name 某某县人民政府办公室 --type party_gov --region 110000
run 0 "$SW" site add --name 某某县人民政府 --url "http://$H:$PORT/" --unit 某某县人民政府办公室 \
	--icp 京ICP备05070218号 --psb 京公网安备11010502030143号 --gov-code 1100000001

for day in 1 2 3; do
	page "某某县人民政府门户网站" "$day" ""
	sweep
	eq "$(kinds)" "" "honest page, day $day"
done
has out "defacement baseline learned"
eq "$(sqlite3 "$SITEWARDEN_DB" "SELECT source || ' ' || versions FROM baselines")" "learned 3" "learned baseline"

page "某某县人民政府门户网站" 4 ""
sweep
eq "$(kinds)" "" "the news list moved on"

page "Hacked by Black Team" 5 '<div style="font-size:40px;color:red"><h1>Hacked by Black Team</h1><p>此站已被黑客入侵 管理员你好</p></div>'
sweep
k=$(kinds)
case "$k" in *defacement.signature*defacement.title* | *defacement.title*) ;; *) fail "defaced page: got '$k'" ;; esac
run 0 "$SW" probe --show "$H"
has out "defacement"

# An authorised redesign is accepted and quiet from then on.
page "某某县人民政府门户网站（新版）" 6 '<div class="notice"><p>新版网站上线试运行，欢迎提出意见建议。</p></div>'
sweep
run 0 "$SW" baseline accept "$H" --last 1 --by 测试员
sweep
eq "$(kinds)" "" "after baseline accept"
echo "probe_deface: ok"
