#!/usr/bin/env bash
# check_content.sh - `sitewarden check` with the page analyzers on pages
# served by nginx on 127.0.0.1: a clean government page stays quiet, a page
# with hidden spam links is a dark-link finding, a site that shows spam only
# to Baiduspider or sends search visitors away is cloaking, and a page
# nested 100,000 deep costs one worker, not the check.  Host names reach
# loopback through --resolve, never DNS.
source "$SW_SRC/tests/integration/lib.bash"

command -v nginx >/dev/null || fail "nginx is not installed (scripts/setup installs it)"
NG="$W/nginx"
www="$NG/www"
mkdir -p "$www" "$NG/tmp"
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
<a href="https://beian.miit.gov.cn/">京ICP备05070218号-1</a> 京公网安备 11010502030143号</p>
<script src="https://dcs.conac.cn/js/33/000/0000/60617010/CA330000000606170100002.js"></script></div>'
page() { # page TITLE BODY
	printf '<!DOCTYPE html><html><head><meta charset="utf-8"><title>%s</title></head><body>
<div class="nav"><a href="/">首页</a><a href="/zwgk/">政务公开</a><ul style="display:none">
<li><a href="/zwgk/tzgg/">通知公告</a></li></ul></div>
<div class="main"><p>关于做好2024年安全生产工作的通知。各乡镇人民政府、县直各单位：现将有关事项通知如下。</p>%s</div>%s</body></html>\n' "$1" "$2" "$foot"
}
page "某某县人民政府" "" >"$www/clean.html"
page "某某县人民政府" '<div style="position:absolute;left:-9999px"><a href="http://bet.example.com/">澳门葡京百家乐</a></div>' >"$www/dark.html"
page "某某县人民政府" "" >"$www/cloak.html"
page "澳门葡京-百家乐在线" '<a href="http://bet.example.com/">百家乐</a><a href="http://sf.example.net/">传奇私服</a>' >"$www/spider.html"
page "百家乐" "<p>欢迎光临</p>" >"$www/bet.html"
mkdir -p "$www/.git"
printf 'ref: refs/heads/master\n' >"$www/.git/HEAD"
printf 'DB_HOST=127.0.0.1\nDB_PASSWORD=secret\nAPP_KEY=base64:abc\n' >"$www/.env"
{
	printf '<html><body>'
	for _ in $(seq 1 100000); do printf '<div>'; done
	printf '</body></html>'
} >"$www/deep.html"

write_conf() {
	PORT=$(free_port)
	NGINX_WAIT_PORT=$PORT
	{
		nginx_head
		cat <<-EOF
			charset utf-8;
			server {
				listen 127.0.0.1:$PORT;
				root $www;
				location = /cloak.html {
					if (\$http_user_agent ~* baiduspider) { rewrite ^ /spider.html last; }
				}
				location = /search.html {
					if (\$http_referer ~* baidu) { return 302 http://bet.example.com:$PORT/bet.html; }
					try_files /clean.html =404;
				}
			}
		}
		EOF
	} >"$NG/nginx.conf"
}
nginx_start write_conf || fail "nginx did not start"

H="www.example.gov.cn"
R=(--resolve "$H:$PORT:127.0.0.1" --resolve "bet.example.com:$PORT:127.0.0.1")
checks() { jq -r '[.[] | .findings[].check] | unique | join(",")' "$W/out"; }

run 0 "$SW" check "${R[@]}" --json "http://$H:$PORT/clean.html"
eq "$(checks)" "" "clean page"

run 1 "$SW" check "${R[@]}" --json "http://$H:$PORT/dark.html"
eq "$(checks)" "darklink.hidden_link" "dark link"
eq "$(jq -r '.[0].findings[0].technique' "$W/out")" "offscreen" "dark link technique"
eq "$(jq -r '.[0].findings[0].evidence.domain' "$W/out")" "bet.example.com" "dark link domain"
off=$(jq -r '.[0].findings[0].evidence.offset' "$W/out")
eq "$(tail -c +$((off + 1)) "$www/dark.html" | head -c 4)" "<a h" "evidence offset points at the link"

run 1 "$SW" check "${R[@]}" --json "http://$H:$PORT/cloak.html"
eq "$(checks)" "darklink.cloaking" "spam only for the spider"

run 1 "$SW" check "${R[@]}" --json "http://$H:$PORT/search.html"
eq "$(checks)" "trojan.cloaking" "redirect only for search visitors"

# Without the analyzers the same pages are clean.
run 0 "$SW" check "${R[@]}" --no-content "http://$H:$PORT/dark.html" "http://$H:$PORT/cloak.html"

# Exposure is opt-in: the leaked .git and .env are found only with --exposure,
# and the soft-404 probe keeps paths that answer 404 quiet.
run 1 "$SW" check "${R[@]}" --json --exposure "http://$H:$PORT/clean.html"
has "$W/out" '"check": "exposure.vcs"'
has "$W/out" '"check": "exposure.env"'
eq "$(jq -r '[.[0].findings[] | select(.check == "exposure.backup")] | length' "$W/out")" 0 "no backup exposed"
run 0 "$SW" check "${R[@]}" --json "http://$H:$PORT/clean.html"
eq "$(checks)" "" "exposure off by default"

# A hostile page: limits, one finding, the check goes on to the next URL.
run 0 "$SW" check "${R[@]}" --json "http://$H:$PORT/deep.html" "http://$H:$PORT/clean.html"
eq "$(jq -r '.[0].findings[] | select(.check == "analysis.limit") | .technique' "$W/out")" "nesting" "deep page"
eq "$(jq length "$W/out")" 2 "both pages checked"
echo "check_content: ok"
