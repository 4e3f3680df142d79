#!/usr/bin/env bash
# probe_fetch.sh - the fetching layer against real servers on loopback.
#
# Starts nginx on 127.0.0.1 (and ::1 when the host has it) with the test
# sites the fetch tests need (200, 500, slow, redirect chain, cross-domain
# redirect, redirect loop, GBK and Big5 pages, a gzip bomb, a 50 MB body,
# HTTPS with a CA-signed, a self-signed and an expired certificate), plus
# sw_tarpit (accepts, never answers), then runs the cmocka test
# unit_probe_test_fetch with SW_TEST_* naming them.  Host names are
# pointed at 127.0.0.1 by the fetcher's resolve override, never by DNS.
source "$SW_SRC/tests/integration/lib.bash"

command -v nginx >/dev/null || fail "nginx is not installed (scripts/setup installs it)"
TEST="$SW_BIN/unit_probe_test_fetch"
TARPIT="$SW_BIN/sw_tarpit"
[ -x "$TEST" ] || fail "$TEST not built"
[ -x "$TARPIT" ] || fail "$TARPIT not built"

NG="$W/nginx"
mkdir -p "$NG/www" "$NG/tmp" "$NG/tls"
pids=()
cleanup() {
	local p
	for p in "${pids[@]}"; do
		kill "$p" 2>/dev/null || true
	done
	for p in "${pids[@]}"; do
		wait "$p" 2>/dev/null || true
	done
	rm -rf "$W"
}
trap cleanup EXIT

# --- pages -----------------------------------------------------------------
www="$NG/www"
printf '<html><head><title>ok</title></head><body>hello</body></html>\n' >"$www/ok.html"
printf '<html><head><meta charset="gbk"><title>政府网站</title></head><body>中华人民共和国政府网站安全</body></html>\n' |
	iconv -f UTF-8 -t GBK >"$www/gbk.html"
printf '<html><head><title>政府网站</title></head><body>政府网站安全检测</body></html>\n' |
	iconv -f UTF-8 -t GBK >"$www/gbkh.html"
printf '<html><head><meta http-equiv="Content-Type" content="text/html; charset=big5"><title>網站</title></head><body>網站安全監管</body></html>\n' |
	iconv -f UTF-8 -t BIG5 >"$www/big5.html"
for i in $(seq 1 2000); do printf '<p>line %d of a compressible page</p>\n' "$i"; done >"$www/gz.html"
head -c 65536 /dev/zero | tr '\0' 'x' >"$www/slow.html"
# 256 MiB of zeros gzip to ~250 KiB: 50 times the default body cap.
head -c 256M /dev/zero | gzip -9 >"$www/bomb.html"
truncate -s 50M "$www/big.bin"

# --- certificates ------------------------------------------------------------
tls="$NG/tls"
(
	cd "$tls"
	newkey=(-newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes)
	openssl req -x509 "${newkey[@]}" -keyout ca.key -out ca.crt -days 400 \
		-subj "/CN=sitewarden test CA" 2>/dev/null
	openssl req -new "${newkey[@]}" -keyout good.key -out good.csr -subj "/CN=good.test" \
		-addext "subjectAltName=DNS:good.test,DNS:www.good.test" 2>/dev/null
	openssl x509 -req -in good.csr -CA ca.crt -CAkey ca.key -CAcreateserial -days 365 \
		-copy_extensions copy -out good.crt 2>/dev/null
	openssl req -x509 "${newkey[@]}" -keyout self.key -out self.crt -days 365 \
		-subj "/CN=self.test" -addext "subjectAltName=DNS:self.test" 2>/dev/null
	# Expired: signed by the CA for January 2020 (openssl ca takes explicit dates).
	mkdir -p newcerts
	: >index.txt
	echo 1000 >serial
	cat >ca.cnf <<-'EOF'
		[ ca ]
		default_ca = tca
		[ tca ]
		dir = .
		database = index.txt
		new_certs_dir = newcerts
		serial = serial
		default_md = sha256
		policy = anything
		copy_extensions = copy
		unique_subject = no
		[ anything ]
		commonName = supplied
	EOF
	openssl req -new "${newkey[@]}" -keyout expired.key -out expired.csr \
		-subj "/CN=expired.test" -addext "subjectAltName=DNS:expired.test" 2>/dev/null
	openssl ca -batch -config ca.cnf -cert ca.crt -keyfile ca.key -in expired.csr \
		-out expired.crt -startdate 20200101000000Z -enddate 20200201000000Z -notext 2>/dev/null
) || fail "making test certificates"

# --- servers -----------------------------------------------------------------
"$TARPIT" 120 >"$W/tarpit.port" &
pids+=($!)

have6=0
grep -q '^00000000000000000000000000000001 ' /proc/net/if_inet6 2>/dev/null && have6=1

# write_conf: picks the ports and writes nginx.conf (see nginx_start).
write_conf() {
	HTTP=$(free_port)
	HTTPS=$(free_port)
	SELF=$(free_port)
	EXPIRED=$(free_port)
	OLD=$(free_port)
	REFUSED=$(free_port)
	local listen6=""
	[ "$have6" = 1 ] && listen6="listen [::1]:$HTTP;"
	NGINX_WAIT_PORT=$EXPIRED
	{
		nginx_head
		cat <<-EOF
			keepalive_requests 100000;
			root $www;
			ssl_protocols TLSv1.2 TLSv1.3;
			server {
				listen 127.0.0.1:$HTTP;
				$listen6
				location = /ok { try_files /ok.html =404; }
				location = /err500 { return 500 "broken\n"; }
				location = /slow { limit_rate 2k; try_files /slow.html =404; }
				location = /r1 { return 302 /r2; }
				location = /r2 { return 301 /r3; }
				location = /r3 { return 307 /ok; }
				location = /loop-a { return 302 /loop-b; }
				location = /loop-b { return 302 /loop-a; }
				location = /away { return 302 http://other.test:$HTTP/ok; }
				location = /www { return 302 http://www.site.test:$HTTP/ok; }
				location = /ftp { return 302 ftp://site.test/file; }
				location = /gbkh.html { charset gbk; }
				location = /gz.html { gzip on; gzip_min_length 0; }
				location = /bomb.html { add_header Content-Encoding gzip; }
				location = /big.bin { default_type application/octet-stream; }
				location /n/ok { return 200 "n\n"; }
			}
			server {
				listen 127.0.0.1:$HTTPS ssl http2;
				ssl_certificate $tls/good.crt;
				ssl_certificate_key $tls/good.key;
				location / { try_files /ok.html =404; }
			}
			server {
				listen 127.0.0.1:$SELF ssl http2;
				ssl_certificate $tls/self.crt;
				ssl_certificate_key $tls/self.key;
				location / { try_files /ok.html =404; }
			}
			server {
				listen 127.0.0.1:$EXPIRED ssl http2;
				ssl_certificate $tls/expired.crt;
				ssl_certificate_key $tls/expired.key;
				location / { try_files /ok.html =404; }
			}
			server {
				listen 127.0.0.1:$OLD ssl;
				ssl_protocols TLSv1;
				ssl_ciphers DEFAULT:@SECLEVEL=0;
				ssl_certificate $tls/self.crt;
				ssl_certificate_key $tls/self.key;
				location / { try_files /ok.html =404; }
			}
		}
		EOF
	} >"$NG/nginx.conf"
}

nginx_start write_conf || fail "nginx did not start"
pids+=("$NGINX_PID")

for i in $(seq 1 50); do
	[ -s "$W/tarpit.port" ] && break
	sleep 0.1
done
[ -s "$W/tarpit.port" ] || fail "sw_tarpit did not start"

export SW_TEST_HTTP="127.0.0.1:$HTTP"
export SW_TEST_HTTPS="127.0.0.1:$HTTPS"
export SW_TEST_HTTPS_SELF="127.0.0.1:$SELF"
export SW_TEST_HTTPS_EXPIRED="127.0.0.1:$EXPIRED"
export SW_TEST_HTTPS_OLD="127.0.0.1:$OLD"
export SW_TEST_REFUSED="127.0.0.1:$REFUSED"
export SW_TEST_TARPIT="127.0.0.1:$(cat "$W/tarpit.port")"
export SW_TEST_CA="$tls/ca.crt"
[ "$have6" = 1 ] && export SW_TEST_HTTP6="[::1]:$HTTP"

run 0 "$TEST"
cat "$W/out" "$W/err"
# cmocka reports on stderr; only the IPv6 case may skip (no ::1 on the host).
has "$W/err" "PASSED"
if grep -q "SKIPPED" "$W/err"; then
	[ "$have6" = 0 ] && [ "$(grep -c '^\[  SKIPPED \] test_' "$W/err")" = 2 ] &&
		grep -q 'SKIPPED \] test_ipv6' "$W/err" || fail "tests were skipped"
fi
# `sitewarden check` on the same servers: the prober's own findings, the
# exit status of the pre-launch gate, JSON and the summary line.  The test
# pages are bare, so the page analyzers stay out (integration/check_content
# covers them).
R=(--no-content --resolve "site.test:$HTTP:127.0.0.1" --resolve "other.test:$HTTP:127.0.0.1"
	--resolve "good.test:$HTTPS:127.0.0.1" --resolve "self.test:$SELF:127.0.0.1"
	--resolve "expired.test:$EXPIRED:127.0.0.1" --resolve "bad.test:$HTTPS:127.0.0.1"
	--ca-file "$tls/ca.crt")
run 0 "$SW" check "${R[@]}" "http://site.test:$HTTP/ok" "https://good.test:$HTTPS/"
has "$W/out" "checked 2 URL(s)"
has "$W/out" "0 finding(s)"
run 1 "$SW" check "${R[@]}" --json "http://site.test:$HTTP/err500"
[ "$(jq -r '.[0].findings[0].check' "$W/out")" = availability.http_error ] || fail "500 not reported"
has "$W/err" "1 high"
kinds() { jq -r '[.[] | .findings[].check] | sort | join(",")' "$W/out"; }
printf '%s\n' "https://expired.test:$EXPIRED/" "https://self.test:$SELF/" \
	"https://bad.test:$HTTPS/" "http://site.test:$HTTP/away" "http://site.test:$HTTP/loop-a" \
	"# a comment" "" "http://127.0.0.1:$REFUSED/" >urls.txt
run 1 "$SW" check "${R[@]}" --json --from urls.txt
want="availability.down,redirect.cross_domain,redirect.loop,tls.expired,tls.name_mismatch,tls.untrusted"
[ "$(kinds)" = "$want" ] || fail "check findings: got $(kinds), want $want"
[ "$(jq length "$W/out")" = 6 ] || fail "check results: $(jq length "$W/out")"
run 2 "$SW" check "ftp://site.test/"
run 2 "$SW" check
echo "probe_fetch: ok"
