#!/usr/bin/env bash
# dashboard.sh - the web dashboard in a real browser against the real
# server: a register imported with the CLI, users added with `user add`,
# checks recorded by `probe --once` against a private nginx serving four
# demo sites (an honest portal, one with a dark link, one defaced after its
# baseline, one down), then `sitewarden serve --no-probe` on a random
# loopback port and tests/browser/dashboard.mjs driving Debian's headless
# Chromium through playwright-core.  Screenshots are kept under
# $TMPDIR/dashboard-shots/ as artefacts.
source "$SW_SRC/tests/integration/lib.bash"

command -v nginx >/dev/null || [ -x /usr/sbin/nginx ] || fail "nginx is not installed (scripts/setup installs it)"
PATH=$PATH:/usr/sbin
[ -x /usr/bin/chromium ] || fail "Debian's chromium (/usr/bin/chromium) is missing: the browser tests need it (scripts/setup installs it)"
command -v node >/dev/null || fail "node is missing (Debian packages nodejs, npm)"
[ -f "$SW_SRC/web/node_modules/playwright-core/index.mjs" ] ||
	fail "web/node_modules/playwright-core is missing: run scripts/setup (npm ci in web/)"
"$SW" serve --help >/dev/null 2>&1 || fail "this build has no 'sitewarden serve'"

NG="$W/nginx"
mkdir -p "$NG/www" "$NG/tmp"
NGINX_PID=
SERVE_PID=
cleanup() {
	for p in "$SERVE_PID" "$NGINX_PID"; do
		[ -n "$p" ] || continue
		kill "$p" 2>/dev/null || true
		wait "$p" 2>/dev/null || true
	done
	rm -rf "$W"
}
trap cleanup EXIT

SITES="www fgw tjj"
for s in $SITES; do cp -r "$SW_SRC/data/demo/sites/$s.demo.localhost" "$NG/www/"; done
write_conf() {
	PORT=$(free_port)
	NGINX_WAIT_PORT=$PORT
	{
		nginx_head
		echo "charset utf-8;"
		for s in $SITES; do
			echo "server { listen 127.0.0.1:$PORT; server_name $s.demo.localhost; root $NG/www/$s.demo.localhost; index index.html; }"
		done
		echo "server { listen 127.0.0.1:$PORT default_server; return 404; }"
		echo "}"
	} >"$NG/nginx.conf"
}
nginx_start write_conf || fail "nginx did not start"
DOWN=$(free_port) # nothing listens there: the site that is down

# The register: the demo's rows of those sites (the header row first).
reg="$W/register.csv"
grep -E '^网站名称|//(www|fgw|tjj|water)\.demo\.localhost' "$SW_SRC/data/demo/register.csv" |
	sed -e "s/@HTTP@/$PORT/g" -e "s/@DOWN@/$DOWN/g" >"$reg"
run 0 "$SW" import "$reg"
eq "$(count "$SITEWARDEN_DB")" 4 "sites imported"
run 0 "$SW" baseline accept tjj.demo.localhost --page "$NG/www/tjj.demo.localhost/index.html" --by test
cp "$NG/www/tjj.demo.localhost/defaced.html" "$NG/www/tjj.demo.localhost/index.html"
run 0 "$SW" policy set fail_threshold=1
PASS=$(head -c 12 /dev/urandom | base64 | tr -d '/+=')
printf '%s\n' "$PASS" >"$W/admin.password"
run 0 "$SW" user add --name admin --role admin --password-file "$W/admin.password"
run 0 "$SW" user add --name auditor1 --role auditor --password-file "$W/admin.password"
# Two sweeps, so the charts have more than one point.
run 0 "$SW" probe --once
run 0 "$SW" probe --now tjj.demo.localhost
run 0 "$SW" probe --once

# An import file with one bad row (row 2: no home page URL).
cat >"$W/bad.csv" <<-CSV
	网站名称,首页地址,主办单位,单位类型,行政区划代码
	示范市测试网站,http://test1.demo.localhost/,示范市测试单位,党政机关,110101
	示范市无网址网站,,示范市测试单位,党政机关,110101
CSV

# The server, on a free loopback port; tried again when another test took it.
for attempt in 1 2 3 4 5; do
	HTTP=$(free_port)
	"$SW" serve --listen "127.0.0.1:$HTTP" --no-probe >"$W/serve.log" 2>&1 &
	SERVE_PID=$!
	for i in $(seq 1 100); do
		curl -fsS "http://127.0.0.1:$HTTP/healthz" >/dev/null 2>&1 && break 2
		kill -0 "$SERVE_PID" 2>/dev/null || break
		sleep 0.1
	done
	kill "$SERVE_PID" 2>/dev/null || true
	wait "$SERVE_PID" 2>/dev/null || true
	SERVE_PID=
done
[ -n "$SERVE_PID" ] || { cat "$W/serve.log" >&2; fail "sitewarden serve did not start"; }

# The static files themselves: index, Content-Type, ETag revalidation, no
# traversal, HEAD.
curl -fsS -D "$W/h1" "http://127.0.0.1:$HTTP/" -o "$W/index.html" || fail "GET / failed"
has "$W/index.html" '/js/app.js'
grep -qi '^content-type: text/html' "$W/h1" || fail "GET / is not text/html"
etag=$(sed -n 's/^[Ee][Tt][Aa][Gg]: *\(.*\)\r$/\1/p' "$W/h1")
[ -n "$etag" ] || fail "GET / has no ETag"
code=$(curl -sS -o /dev/null -w '%{http_code}' -H "If-None-Match: $etag" "http://127.0.0.1:$HTTP/")
eq "$code" 304 "revalidation with the ETag"
code=$(curl -sS -o /dev/null -w '%{http_code}' --path-as-is "http://127.0.0.1:$HTTP/js/../../../etc/passwd")
[ "$code" = 404 ] || [ "$code" = 400 ] || fail "traversal answered $code"
curl -fsS -I "http://127.0.0.1:$HTTP/vendor/echarts.esm.min.js" >"$W/h2" || fail "HEAD of ECharts failed"
grep -qi '^content-type: text/javascript' "$W/h2" || fail "ECharts is not served as JavaScript (was web/node_modules installed at build time?)"

rm -rf "$TMPDIR/dashboard-shots" # a failure shot of an earlier run would mislead
mkdir -p "$TMPDIR/dashboard-shots"
SW_URL="http://127.0.0.1:$HTTP" SW_USER=admin SW_PASS="$PASS" SW_AUDITOR=auditor1 \
	SW_SHOTS="$TMPDIR/dashboard-shots" SW_BAD_CSV="$W/bad.csv" \
	SW_PLAYWRIGHT="$SW_SRC/web/node_modules/playwright-core/index.mjs" \
	node "$SW_SRC/tests/browser/dashboard.mjs" || { tail -30 "$W/serve.log" >&2; fail "browser test failed (screenshots in $TMPDIR/dashboard-shots)"; }
echo "dashboard: ok"
