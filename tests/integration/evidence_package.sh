#!/usr/bin/env bash
# evidence_package.sh - evidence end to end: `sitewarden probe` checks a
# page on nginx that carries a hidden spam link, the check is frozen and
# exported with an agent's quarantined file; the package lists with tar,
# passes `sitewarden evidence verify`, and passes the OpenSSL-and-tar-only
# procedure of docs/evidence.md, run exactly as documented (the block is
# cut out of the document).  Then one bit is flipped in every kind of
# place (an item, the manifest, the chain, the head, the signature, the
# public key, an archive header, padding): verify must fail and name the
# member, and so must the documented procedure for the members it reads.
# Finally a store edit behind the ledger's back is found by `ledger verify`.
source "$SW_SRC/tests/integration/lib.bash"

for c in nginx sqlite3 openssl tar jq; do
	command -v $c >/dev/null || fail "$c is not installed"
done
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

cat >"$NG/www/index.html" <<'HTML'
<!DOCTYPE html><html><head><meta charset="utf-8"><title>某某县人民政府</title></head><body>
<h1>某某县人民政府门户网站</h1><p>政务公开 办事服务 互动交流</p>
<div style="display:none"><a href="http://bocai-example.test/">澳门博彩 网上赌场 真人娱乐</a>
<a href="http://bocai-example.test/2">六合彩 时时彩 赌博</a></div>
<p>主办单位：某某县人民政府办公室</p></body></html>
HTML

H=www.example.gov.cn
# A self-signed certificate for the HTTPS side, whose chain is frozen.
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2 \
	-subj "/CN=$H" -addext "subjectAltName=DNS:$H" -keyout "$NG/key.pem" -out "$NG/cert.pem" \
	2>/dev/null || fail "openssl req"
write_conf() {
	PORT=$(free_port)
	TLSPORT=$(free_port)
	NGINX_WAIT_PORT=$TLSPORT
	{
		nginx_head
		cat <<-EOF
			charset utf-8;
			server { listen 127.0.0.1:$PORT; root $NG/www; }
			server { listen 127.0.0.1:$TLSPORT ssl; root $NG/www;
				ssl_certificate $NG/cert.pem; ssl_certificate_key $NG/key.pem; }
		}
		EOF
	} >"$NG/nginx.conf"
}
nginx_start write_conf || fail "nginx did not start"

run 0 "$SW" unit add --name 某某县人民政府办公室 --type party_gov --region 110000
run 0 "$SW" site add --name 某某县人民政府 --url "http://$H:$PORT/" --unit 某某县人民政府办公室
run 0 "$SW" probe --now "$H"
run 0 "$SW" probe --once --resolve "$H:$PORT:127.0.0.1"
CHECK=$(sqlite3 "$SITEWARDEN_DB" "SELECT max(id) FROM checks")
[ -n "$CHECK" ] || fail "no check recorded"

# An agent's quarantined web shell, frozen as a file of the same site.
printf '<?php @eval($_POST["x"]); ?>\n' >"$W/shell.php"
run 0 "$SW" evidence add --site 某某县人民政府 --check "$CHECK" --name "/var/www/html/up load/shell.php" \
	--type application/x-php "$W/shell.php"

# Keys: made on first use beside the database, 0600 in a 0700 directory.
eq "$(stat -c %a "$W/keys")" 700 "key directory mode"
eq "$(stat -c %a "$W/keys/ledger-sm2.pem")" 600 "private key mode"

run 0 "$SW" evidence export --check "$CHECK" --label case-1 -o "$W/case.tar" --json
# Frozen live by the probe when the check raised its alerts: request and
# its header block as sent, response and its raw header block, addresses,
# body, findings; and the file.
eq "$(jq .items "$W/out")" 8 "items exported"
run 0 tar tvf "$W/case.tar"
has "$W/out" case-1/manifest.txt
has "$W/out" case-1/head.sig
has "$W/out" "shell.php"
run 0 "$SW" evidence verify "$W/case.tar" --json
eq "$(jq .ok "$W/out")" true "verify"
eq "$(jq '.items | length' "$W/out")" 8 "verified items"
# The body item is the page's exact bytes.
mkdir "$W/x"
tar -xf "$W/case.tar" -C "$W/x"
cmp "$W/x/case-1/items/"*-body* "$NG/www/index.html" || fail "frozen body differs from the page"

# The documented procedure, cut out of docs/evidence.md, runs as written.
awk '/<!-- verify.sh begin -->/ { on = 1; next } /<!-- verify.sh end -->/ { on = 0 }
	on && !/^```/' "$SW_SRC/docs/evidence.md" >"$W/verify.sh"
[ "$(wc -l <"$W/verify.sh")" -gt 20 ] || fail "procedure block not found in docs/evidence.md"
PKG="$W/case.tar" run 0 bash "$W/verify.sh"
has "$W/out" "package verifies"

# flip FILE OFFSET: xors one bit of the byte at OFFSET.
flip() {
	local b
	b=$(od -An -tu1 -j"$2" -N1 "$1" | tr -d ' ')
	printf "\\$(printf %03o $((b ^ 1)))" | dd of="$1" bs=1 seek="$2" conv=notrunc status=none
}
# data_at MEMBER: byte offset of MEMBER's data in case.tar (GNU tar's
# block numbers: the header block, then the data).
data_at() {
	local blk
	blk=$(tar -tvR -f "$W/case.tar" | grep -F " case-1/$1" | head -1 | sed 's/^block \([0-9]*\):.*/\1/')
	[ -n "$blk" ] || fail "no member $1"
	echo $(((blk + 1) * 512))
}
# bad_case OFFSET WANT [DOC_WANT]: the flipped package fails verify naming
# WANT; with DOC_WANT, the documented procedure fails naming that too.
bad_case() {
	cp "$W/case.tar" "$W/bad.tar"
	flip "$W/bad.tar" "$1"
	run 1 "$SW" evidence verify "$W/bad.tar" --json
	eq "$(jq .ok "$W/out")" false "verify after a flip at $1"
	jq -r '.bad[].member' "$W/out" | grep -qF -- "$2" ||
		{ cat "$W/out"; fail "flip at $1: verify did not name $2"; }
	if [ $# -ge 3 ]; then
		PKG="$W/bad.tar" run 1 bash "$W/verify.sh"
		has "$W/out" "$3"
	fi
}
BODY=$(tar -tf "$W/case.tar" | grep -- '-body\.[a-z]*$' | sed 's|^case-1/||')
SHELL_ITEM=$(tar -tf "$W/case.tar" | grep -- 'shell.php$' | sed 's|^case-1/||')
bad_case $(($(data_at "$BODY") + 40)) "$BODY" "BAD: $BODY: hash mismatch"
bad_case $(($(data_at "$SHELL_ITEM") + 3)) "$SHELL_ITEM" "BAD: $SHELL_ITEM: hash mismatch"
bad_case $(($(data_at manifest.txt) + 8)) manifest.txt "BAD: manifest.txt"
bad_case $(($(data_at chain.txt) + 30)) "chain.txt: entry" "BAD: chain.txt: entry"
bad_case $(($(data_at head.txt) + 40)) head.txt "BAD: head"
bad_case $(($(data_at head.sig) + 20)) head.sig "BAD: head.sig"
bad_case $(($(data_at pubkey.pem) + 40)) pubkey.pem
bad_case $(($(data_at manifest.txt) - 512 + 130)) manifest.txt      # its header's size field
bad_case $(($(data_at head.txt) + 200)) head.txt                    # zero padding after it
bad_case $(($(stat -c %s "$W/case.tar") - 5)) archive               # the end mark

# A live freeze of the HTTPS page keeps the whole exchange: the request
# header block as sent, every resolved address, and the certificate chain
# exactly as the server sent it.
run 0 "$SW" evidence freeze --site 某某县人民政府 --url "https://$H:$TLSPORT/" \
	--resolve "$H:$TLSPORT:127.0.0.1" --json
eq "$(jq .items "$W/out")" 9 "items of a live HTTPS freeze"
run 0 "$SW" evidence list --site 某某县人民政府 --json
cp "$W/out" "$W/list.json"
jq -r '.[].kind' "$W/list.json" >"$W/kinds"
for k in request request-headers response headers body addresses certificate-chain certificates findings; do
	grep -qx "$k" "$W/kinds" || fail "live freeze lacks $k"
done
SEQ=$(jq -r '[.[] | select(.kind == "certificate-chain")][0].seq' "$W/list.json")
run 0 "$SW" evidence show "$SEQ" --raw
cmp <(openssl x509 -in "$W/out") <(openssl x509 -in "$NG/cert.pem") || fail "frozen chain is not the server's"
SEQ=$(jq -r '[.[] | select(.kind == "request-headers")][0].seq' "$W/list.json")
run 0 "$SW" evidence show "$SEQ" --raw
has "$W/out" "GET / HTTP/"
has "$W/out" "Host: $H:$TLSPORT"
SEQ=$(jq -r '[.[] | select(.kind == "addresses")][0].seq' "$W/list.json")
run 0 "$SW" evidence show "$SEQ" --raw
eq "$(jq -r '.resolved[0]' "$W/out")" 127.0.0.1 "resolved address"

# Another package of the same ledger, by site and time, with SHA-256
# entries and an Ed25519 key (made beside the SM2 one), verifies by both
# routes too.
run 0 "$SW" evidence export --site 某某县人民政府 --since 2000-01-01 --hash sha256 --sign ed25519 \
	-o "$W/site.tar"
run 0 "$SW" evidence verify "$W/site.tar"
PKG="$W/site.tar" run 0 bash "$W/verify.sh"

# The whole stored chain verifies; an edit behind the ledger's back (the
# guard trigger dropped first) is found at its entry.
run 0 "$SW" evidence ledger verify --json
eq "$(jq .ok "$W/out")" true "ledger verify"
if sqlite3 "$SITEWARDEN_DB" "UPDATE evidence_ledger SET size = size + 1 WHERE seq = 2" 2>"$W/err"; then
	fail "the ledger took an UPDATE"
fi
has "$W/err" "append-only"
sqlite3 "$SITEWARDEN_DB" "DROP TRIGGER evidence_ledger_no_update; UPDATE evidence_ledger SET size = size + 1 WHERE seq = 2"
run 1 "$SW" evidence ledger verify --json
eq "$(jq -r '.bad[0].where' "$W/out")" "entry 2" "first broken entry"
echo "evidence_package: ok"
