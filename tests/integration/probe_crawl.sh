#!/usr/bin/env bash
# probe_crawl.sh - the bounded same-site crawl of `sitewarden probe`: a dark
# link on an inner page only and a trojan two links deep are found with the
# page's URL; the crawl keeps to crawl_pages and crawl_depth and to the
# site's own origin (an off-site link, a logout link and a PDF are never
# requested).  nginx on 127.0.0.1 logs every request by Host, so the test
# counts exactly what was fetched.
source "$SW_SRC/tests/integration/lib.bash"

command -v nginx >/dev/null || fail "nginx is not installed (scripts/setup installs it)"
command -v sqlite3 >/dev/null || fail "sqlite3 is not installed (scripts/setup installs it)"
NG="$W/nginx"
www="$NG/www"
mkdir -p "$www/files" "$NG/tmp"
NGINX_PID=
cleanup() {
	if [ -n "$NGINX_PID" ]; then
		kill "$NGINX_PID" 2>/dev/null || true
		wait "$NGINX_PID" 2>/dev/null || true
	fi
	rm -rf "$W"
}
trap cleanup EXIT

foot='<div class="footer"><p>主办单位：某某县人民政府办公室</p><p>网站标识码：1100000001
<a href="https://beian.miit.gov.cn/">京ICP备05070218号-1</a> 京公网安备 11010502030143号</p></div>'
page() { # page FILE TITLE BODY
	printf '<!DOCTYPE html><html><head><meta charset="utf-8"><title>%s</title></head><body>
<div class="main"><p>关于做好2024年安全生产工作的通知。各乡镇人民政府、县直各单位：现将有关事项通知如下。</p>%s</div>%s</body></html>\n' \
		"$2" "$3" "$foot" >"$www/$1"
}
H=www.crawl.gov.cn
OFF=off.example.com
page index.html 某某县人民政府 '<ul class="nav">
<li><a href="/a.html">政务公开</a></li><li><a href="/b.html#top">办事服务</a></li>
<li><a href="b.html">办事服务</a></li><li><a href="/c.html">互动交流</a></li>
<li><a href="/logout.php?u=1">退出</a></li><li><a href="/files/report.pdf">年度报告</a></li>
<li><a href="http://'$OFF':PORT/x.html">友情链接</a></li><li><a href="mailto:a@crawl.gov.cn">信箱</a></li>
<li><a href="#main">正文</a></li></ul>'
# The dark link is on /a.html only; the trojan on /deep.html, linked from /c.html.
page a.html 政务公开 '<div style="position:absolute;left:-9999px"><a href="http://bet.example.com/">澳门葡京百家乐</a></div><a href="/">首页</a>'
page b.html 办事服务 '<p>办事指南</p>'
page c.html 互动交流 '<a href="/deep.html">留言选登</a>'
page deep.html 留言选登 '<iframe src="http://www.evil-bet.com/a.htm" width="0" height="0" frameborder="0"></iframe>'
page x.html 友情链接 ''
printf '%%PDF-1.4\n' >"$www/files/report.pdf"
printf 'bye\n' >"$www/logout.php"

write_conf() {
	PORT=$(free_port)
	NGINX_WAIT_PORT=$PORT
	sed "s/:PORT\\//:$PORT\\//" "$W/index.tmpl" >"$www/index.html"
	{
		nginx_head
		cat <<-EOF
			charset utf-8;
			log_format byhost '\$host \$request_uri';
			server {
				listen 127.0.0.1:$PORT;
				server_name $H;
				root $www;
				access_log $NG/site.log byhost;
			}
			server {
				listen 127.0.0.1:$PORT;
				server_name $OFF;
				root $www;
				access_log $NG/off.log byhost;
			}
		}
		EOF
	} >"$NG/nginx.conf"
}
cp "$www/index.html" "$W/index.tmpl"
nginx_start write_conf || fail "nginx did not start"

R=(--resolve "$H:$PORT:127.0.0.1" --resolve "$OFF:$PORT:127.0.0.1")
sweep() { # one check of the site now; the access logs start empty
	: >"$NG/site.log"
	: >"$NG/off.log"
	run 0 "$SW" probe --now "$H"
	run 0 "$SW" probe --once "${R[@]}"
}
# requests PATH: how many requests for PATH the site's log has.
requests() { grep -c "^$H $1\$" "$NG/site.log" || true; }
# pages_of KIND: the page column of the newest check's findings of KIND.
pages_of() {
	sqlite3 "$SITEWARDEN_DB" "SELECT coalesce(page, '-') FROM check_findings
		WHERE check_id = (SELECT max(id) FROM checks) AND kind = '$1' ORDER BY id"
}

run 0 "$SW" unit add --name 某某县人民政府办公室 --type party_gov --region 110000
run 0 "$SW" site add --name 某某县人民政府 --url "http://$H:$PORT/" --unit 某某县人民政府办公室

# 1. Three pages, depth 1: the home page and the first two links in order.
run 0 "$SW" policy set --site "$H" crawl_pages=3 crawl_depth=1
sweep
has out "site 1 http://$H:$PORT/: up"
eq "$(requests /)" 3 "the home page's three views"
eq "$(requests /a.html)" 1 "first inner page"
eq "$(requests /b.html)" 1 "second inner page (fragment dropped, relative link the same page)"
eq "$(requests /c.html)" 0 "beyond crawl_pages"
eq "$(wc -l <"$NG/site.log")" 5 "site requests with 3 pages"
eq "$(pages_of darklink.hidden_link)" "http://$H:$PORT/a.html" "dark link on the inner page"
eq "$(pages_of trojan.hidden_iframe)" "" "depth 2 not crawled at depth 1"
run 0 "$SW" probe --show "$H"
eq "$(jq -r '.last_check.findings[] | select(.check == "darklink.hidden_link") | .page' "$W/out")" \
	"http://$H:$PORT/a.html" "probe --show gives the page"

# 2. Depth 2 and room for every page: the trojan two links deep is found;
#    the logout link, the PDF and the off-site link are still not fetched.
run 0 "$SW" policy set --site "$H" crawl_pages=20 crawl_depth=2
sweep
eq "$(requests /c.html)" 1 "third inner page"
eq "$(requests /deep.html)" 1 "depth 2"
eq "$(requests /logout.php?u=1)" 0 "logout link"
eq "$(requests /files/report.pdf)" 0 "PDF"
eq "$(wc -l <"$NG/site.log")" 7 "site requests with depth 2: 3 views + a, b, c, deep"
eq "$(wc -l <"$NG/off.log")" 0 "off-site link"
eq "$(pages_of trojan.hidden_iframe)" "http://$H:$PORT/deep.html" "trojan on the deep page"
eq "$(pages_of darklink.hidden_link)" "http://$H:$PORT/a.html" "dark link again"

# 3. Depth 0: the home page alone; an inner page that fails is not the site's
#    failure.
run 0 "$SW" policy set --site "$H" crawl_depth=0
sweep
eq "$(wc -l <"$NG/site.log")" 3 "no crawl at depth 0"
run 0 "$SW" policy set --site "$H" crawl_depth=1
rm "$www/a.html"
sweep
has out "up"
eq "$(requests /a.html)" 1 "missing inner page requested"
eq "$(pages_of darklink.hidden_link)" "" "nothing found on a 404"
echo "probe_crawl: ok"
