#!/usr/bin/env bash
# server_https.sh - `sitewarden serve --cert --key` with a self-signed
# certificate made here: HTTPS answers with the certificate, the session
# cookie is Secure, HSTS is sent, plain HTTP on the port gets no answer,
# a key without a certificate is a usage error, a bad PEM fails to start.
source "$SW_SRC/tests/integration/lib.bash"
source "$SW_SRC/tests/integration/server_lib.bash"
command -v openssl >/dev/null || fail "openssl is not installed"

openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=127.0.0.1" \
	-addext "subjectAltName=IP:127.0.0.1" -keyout "$W/key.pem" -out "$W/cert.pem" \
	>/dev/null 2>&1 || fail "openssl could not make a certificate"
printf 'admin-pass-1\n' >"$W/pw"
run 0 "$SW" user add --name admin --role admin --password-file "$W/pw"

run 2 "$SW" serve --key "$W/key.pem"
has "$W/err" "--cert and --key"
printf 'not a certificate\n' >"$W/bad.pem"
run 1 "$SW" serve --listen 127.0.0.1:0 --no-probe --cert "$W/bad.pem" --key "$W/key.pem"

SCHEME=https
CURL_TLS=(--cacert "$W/cert.pem")
start_serve --no-probe --cert "$W/cert.pem" --key "$W/key.pem"
has "$W/serve.out" "https://127.0.0.1:"
req - GET /healthz
want 200 "healthz over HTTPS"
has "$W/hdr" "Strict-Transport-Security"
login admin admin-pass-1 "$W/jar"
grep -i '^set-cookie:' "$W/hdr" >"$W/cookie"
has "$W/cookie" "; Secure"
has "$W/cookie" "HttpOnly"
req "$W/jar" GET /api/me
want 200 "me over HTTPS"
# Without trusting the certificate curl refuses: it is the one we made.
CURL_TLS=()
req - GET /healthz
[ "$CODE" = 000 ] || fail "an untrusted certificate was accepted (HTTP $CODE)"
# Plain HTTP to the TLS port gets no HTTP answer.
CODE=$(curl -s -o /dev/null -w '%{http_code}' --max-time 5 "http://${BASE#https://}/healthz") || true
[ "$CODE" = 000 ] || fail "plain HTTP answered $CODE on the HTTPS port"
stop_serve
echo "server_https: ok"
