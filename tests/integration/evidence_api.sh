#!/usr/bin/env bash
# evidence_api.sh - an incident's evidence: `sitewarden probe` sees hidden
# spam links on a page served by nginx, opens an incident; `evidence
# export INCIDENT` packages the checks its alerts were seen in and the
# package verifies.  Over HTTP: GET /api/incidents/{id}/evidence answers
# the package as an attachment, POST /api/evidence/verify judges it (and a
# flipped copy, naming the member), an operator of another unit gets 404,
# and nobody signed in gets 401.
source "$SW_SRC/tests/integration/lib.bash"
source "$SW_SRC/tests/integration/server_lib.bash"

command -v nginx >/dev/null || fail "nginx is not installed"
NG="$W/nginx"
mkdir -p "$NG/www" "$NG/tmp"
NGINX_PID=
cleanup_all() {
	if [ -n "$NGINX_PID" ]; then
		kill "$NGINX_PID" 2>/dev/null || true
		wait "$NGINX_PID" 2>/dev/null || true
	fi
	server_cleanup
}
trap cleanup_all EXIT
# One key directory for the CLI and the server.
export SITEWARDEN_KEY_DIR="$W/keys"

cat >"$NG/www/index.html" <<'HTML'
<!DOCTYPE html><html><head><meta charset="utf-8"><title>某某县人民政府</title></head><body>
<h1>某某县人民政府门户网站</h1><p>政务公开 办事服务 互动交流</p>
<div style="display:none"><a href="http://bocai-example.test/">澳门博彩 网上赌场 真人娱乐</a>
<a href="http://bocai-example.test/2">六合彩 时时彩 赌博</a></div>
<p>主办单位：某某县人民政府办公室</p></body></html>
HTML
write_conf() {
	PORT=$(free_port)
	NGINX_WAIT_PORT=$PORT
	{
		nginx_head
		cat <<-EOF
			charset utf-8;
			server { listen 127.0.0.1:$PORT; root $NG/www; }
		}
		EOF
	} >"$NG/nginx.conf"
}
nginx_start write_conf || fail "nginx did not start"

H=www.example.gov.cn
run 0 "$SW" unit add --name 某某县人民政府办公室 --type party_gov --region 110000
run 0 "$SW" unit add --name 别的单位 --type party_gov --region 110000
run 0 "$SW" site add --name 某某县人民政府 --url "http://$H:$PORT/" --unit 某某县人民政府办公室
run 0 "$SW" probe --now "$H"
run 0 "$SW" probe --once --resolve "$H:$PORT:127.0.0.1"
INC=$(sed -n 's/^site [0-9]*: incident \([0-9]*\) opened$/\1/p' "$W/out" | head -1)
[ -n "$INC" ] || { cat "$W/out"; fail "no incident opened for the spam links"; }

run 0 "$SW" evidence export "$INC" -o "$W/inc.tar" --json
[ "$(jq .items "$W/out")" -ge 4 ] || fail "too few items in the incident's package"
run 0 "$SW" evidence verify "$W/inc.tar"
run 0 tar tf "$W/inc.tar"
has "$W/out" "evidence-incident$INC/manifest.txt"
run 2 "$SW" evidence export "$INC" --check 1 -o "$W/x.tar"
run 1 "$SW" evidence export 999999 -o "$W/x.tar"
has "$W/err" "no incident"

printf 'admin-pass-1\n' | run 0 "$SW" user add --name admin --role admin
printf 'op-pass-1234\n' | run 0 "$SW" user add --name op --role operator --unit 别的单位
start_serve --no-probe

req - GET "/api/incidents/$INC/evidence"
want 401 "no session"
login admin admin-pass-1 "$W/jar"
req "$W/jar" GET "/api/incidents/$INC/evidence"
want 200 "incident package"
grep -qi '^Content-Type: application/octet-stream' "$W/hdr" || fail "package content type"
grep -qi "^Content-Disposition: attachment.*evidence-incident$INC.tar" "$W/hdr" ||
	{ cat "$W/hdr"; fail "package attachment name"; }
cp "$W/body" "$W/api.tar"
run 0 "$SW" evidence verify "$W/api.tar"
req "$W/jar" GET "/api/incidents/999999/evidence"
want 404 "absent incident"

# Verification over HTTP (no CSRF: it changes nothing).
req "$W/jar" POST /api/evidence/verify "@$W/api.tar" -H 'Content-Type: application/octet-stream'
want 200 "verify"
eq "$(jq .ok "$W/body")" true "API verdict"
[ "$(jq '.items | length' "$W/body")" -ge 4 ] || fail "API verdict lists the items"
ITEM=$(jq -r '.items[0].path' "$W/body")
BLK=$(tar -tvR -f "$W/api.tar" | grep -F "/$ITEM" | sed 's/^block \([0-9]*\):.*/\1/')
OFF=$(((BLK + 1) * 512 + 2))
B=$(od -An -tu1 -j"$OFF" -N1 "$W/api.tar" | tr -d ' ')
printf "\\$(printf %03o $((B ^ 1)))" | dd of="$W/api.tar" bs=1 seek="$OFF" conv=notrunc status=none
req "$W/jar" POST /api/evidence/verify "@$W/api.tar" -H 'Content-Type: application/octet-stream'
want 200 "verify a flipped package"
eq "$(jq .ok "$W/body")" false "API verdict on a flipped package"
jq -r '.bad[].member' "$W/body" | grep -qF "$ITEM" || fail "the flipped item is not named"
req "$W/jar" POST /api/evidence/verify "" -H 'Content-Type: application/octet-stream'
want 400 "empty body"

# An operator of another unit does not learn the incident exists.
login op op-pass-1234 "$W/jar2"
req "$W/jar2" GET "/api/incidents/$INC/evidence"
want 404 "incident out of scope"
stop_serve
echo "evidence_api: ok"
