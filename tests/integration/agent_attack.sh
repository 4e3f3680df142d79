#!/usr/bin/env bash
# agent_attack.sh - the agent's anti-attack part against real nginx on
# 127.0.0.1 writing real access logs: a bounded client browses the portal
# from 127.0.0.1 and attacks it from 127.0.0.2 (curl --interface): SQLi
# answered 200, XSS, traversal, RCE, a scanner user agent, a burst of 404s,
# login brute force, a webshell name.  Asserts: the attack events reach the
# sink aggregated (one per source, kind and window), the 2xx escalation,
# nothing reported for the browsing address; the log rotated by rename and
# by copytruncate and the agent restarted in the middle, with every line
# read exactly once; then, with blocking on, 127.0.0.2 gets 403 from nginx
# while 127.0.0.1 does not, and the block is lifted when it expires.
# Nothing leaves 127.0.0.0/8; spiders are trusted by user agent (no DNS).
source "$SW_SRC/tests/integration/lib.bash"
source "$SW_SRC/tests/integration/agent_lib.bash"

# 127.0.0.2 must be usable as a source address (it is, on Linux's lo).
curl -s -o /dev/null --max-time 2 --interface 127.0.0.2 http://127.0.0.1:9/ 2>/dev/null ||
	[ $? = 7 ] || { echo "SKIP: cannot use 127.0.0.2 as a source address"; exit 0; }

make_site 0
mkdir -p "$NG"
: >"$NG/deny.conf"
LOG="$NG/access.log"
attack_conf() {
	NGX_PORT=$(free_port)
	NGINX_WAIT_PORT=$NGX_PORT
	# a master process (a single-process nginx cannot reload on SIGHUP);
	# its worker runs as root to read the private test directory
	{
		nginx_head | sed 's/master_process off;/master_process on; user root;/'
		cat <<-CONF
			server {
				listen 127.0.0.1:$NGX_PORT;
				root $WWW;
				access_log $LOG combined;
				include $NG/deny.conf;
				location = /login { return 200 "ok\n"; }
			}
			}
		CONF
	} >"$NG/nginx.conf"
}
nginx_start attack_conf || fail "nginx did not start"
start_sink
run 0 "$AGENT" init "${AARGS[@]}" --no-progress

# write_ini BLOCK: the agent's [attack] and [log] settings
write_ini() {
	cat >"$W/agent.ini" <<-INI
		[attack]
		window      = 5s
		scan_404    = 15
		brute_force = 8
		spiders     = trust
		allow       = 10.20.0.0/16
		block       = $1
		block_file  = $NG/deny.conf
		block_test  = nginx -p $NG -c $NG/nginx.conf -e $NG/error.log -t
		block_reload = kill -HUP $NGINX_PID
		block_for   = 12s
		block_severity = medium
		never_block = 127.0.0.1
		[log]
		path   = $LOG
		format = combined
		site   = www.example.gov.cn
		[log]
		path = $NG/error.log
		type = error
	INI
}
write_ini off
start_agent --config "$W/agent.ini"

SENT=0
# get ADDR PATH [CURL ARGS...]: one request from ADDR; its status in CODE
# (not printed: a $(...) would count in a subshell).
get() {
	local addr=$1 path=$2
	shift 2
	SENT=$((SENT + 1))
	CODE=$(curl -s -o /dev/null -w '%{http_code}' --max-time 5 --path-as-is --interface "$addr" "$@" \
		"http://127.0.0.1:$NGX_PORT$path") || true
}

# browse N: ordinary visits from 127.0.0.1 (pages, Chinese searches in
# UTF-8 and GBK, a spider)
browse() {
	local i
	for i in $(seq 1 "$1"); do
		get 127.0.0.1 "/news/2024/n$((i % 20 + 1)).html" -A "Mozilla/5.0 (Windows NT 10.0; Win64; x64) Chrome/120.0"
		get 127.0.0.1 "/index.html?q=%E6%94%BF%E5%8A%A1%E5%85%AC%E5%BC%80&page=$i" -e "https://www.baidu.com/s?wd=%E6%94%BF%E5%8A%A1"
		get 127.0.0.1 "/index.html?searchword=%D5%FE%CE%F1%B9%AB%BF%AA"
		get 127.0.0.1 "/css/site.css" -A "Mozilla/5.0 (compatible; Baiduspider/2.0; +http://www.baidu.com/search/spider.html)"
	done
}

# attack: the labelled attacks from 127.0.0.2
attack() {
	local i code
	for i in $(seq 1 10); do
		get 127.0.0.2 "/index.html?id=$i%27%20or%20%271%27%3D%271"
		eq "$CODE" 200 "SQLi request answered"
	done
	for i in $(seq 1 4); do
		get 127.0.0.2 "/index.html?q=%3Cscript%3Ealert($i)%3C/script%3E"
		get 127.0.0.2 "/download?file=../../../../etc/passwd&n=$i"
		get 127.0.0.2 "/ping?ip=127.0.0.1%3Bcat%20/etc/passwd&n=$i"
		get 127.0.0.2 "/news/2024/n$i.html" -A "sqlmap/1.7.2#stable (https://sqlmap.org)"
	done
	for i in $(seq 1 20); do
		get 127.0.0.2 "/backup$i.html"
	done
	for i in $(seq 1 10); do
		get 127.0.0.2 /login -d "user=admin&password=guess$i"
	done
	get 127.0.0.2 /uploads/c99.php
}

# log_lines: lines the agent has read from the access log (this run)
log_lines() {
	"$AGENT" status "${AARGS[@]}" --json | jq '.agent.logs[0].lines // 0'
}
# wait_lines N WHAT: the agent has read N access-log lines in this run
wait_lines() {
	local i got=0
	for i in $(seq 1 150); do
		got=$(log_lines)
		[ "$got" -ge "$1" ] && break
		sleep 0.1
	done
	eq "$got" "$1" "$2: access-log lines read"
}

# --- phase 1: browsing and attacks, then rotation by rename ---------------
browse 5
attack
P1=$SENT
wait_lines "$P1" "phase 1"
mv "$LOG" "$LOG.1"
browse 3                      # nginx still writes to the renamed file
kill -USR1 "$NGINX_PID"       # reopen, as logrotate's postrotate does
for i in $(seq 1 50); do [ -s "$LOG" ] && break; browse 1; done
P2=$SENT
wait_lines "$P2" "after the rename"

# --- phase 2: restart in the middle --------------------------------------
stop_agent
browse 3
start_agent --config "$W/agent.ini"
wait_lines $((SENT - P2)) "after the restart"
R=$((SENT - P2))

# --- phase 3: copytruncate -------------------------------------------------
mv "$LOG.1" "$LOG.2"
browse 2
cp "$LOG" "$LOG.1"
: >"$LOG"
browse 3
wait_lines $((SENT - P2)) "after copytruncate"
TOTAL=$(cat "$LOG.2" "$LOG.1" "$LOG" | wc -l)
eq "$TOTAL" "$SENT" "lines nginx wrote"
"$AGENT" status "${AARGS[@]}" --json >"$W/st.json"
eq "$(jq '.agent.logs[0].truncations' "$W/st.json")" 1 "truncations seen"
eq "$(jq '.agent.logs[0].malformed' "$W/st.json")" 0 "malformed lines"
run 0 "$AGENT" status "${AARGS[@]}"
has "$W/out" "$LOG"

# --- events ------------------------------------------------------------------
# windows are 5 s; wait for them to close and reach the sink
ev() { jq -c "select(.kind == \"attack\" and .source == \"$1\" and .attack == \"$2\")" "$W/sink.jsonl" 2>/dev/null; }
for i in $(seq 1 150); do
	[ -n "$(ev 127.0.0.2 bruteforce)" ] && [ -n "$(ev 127.0.0.2 success)" ] && break
	sleep 0.1
done
for k in sqli xss traversal rce scanner scanning bruteforce webshell_access success; do
	[ "$(ev 127.0.0.2 "$k" | wc -l)" = 1 ] || { jq -c 'select(.kind=="attack")' "$W/sink.jsonl"; fail "one $k event for 127.0.0.2"; }
done
eq "$(ev 127.0.0.2 sqli | jq .count)" 10 "SQLi requests in the aggregated event"
eq "$(ev 127.0.0.2 sqli | jq .succeeded)" 10 "SQLi requests answered 2xx"
eq "$(ev 127.0.0.2 sqli | jq '.samples | length')" 3 "SQLi evidence lines"
eq "$(ev 127.0.0.2 success | jq -r .severity)" high "2xx attacks raised to high"
eq "$(ev 127.0.0.2 bruteforce | jq .login_attempts)" 10 "login attempts"
[ "$(ev 127.0.0.2 scanning | jq .not_found)" -ge 20 ] || fail "404s in the scanning event"
eq "$(jq -c 'select(.kind == "attack" and .source == "127.0.0.1")' "$W/sink.jsonl" | wc -l)" 0 \
	"events for the browsing address"
eq "$(jq -c 'select(.kind == "block")' "$W/sink.jsonl" | wc -l)" 0 "blocks with blocking off"

# the same log judged offline
run 1 "$AGENT" logs test "$LOG.2" --json --site www.example.gov.cn
[ "$(jq -c 'select(.kind == "sqli")' "$W/out" | wc -l)" = 10 ] || fail "logs test: SQLi lines"

echo "ok: $SENT requests read exactly once across rename, restart and copytruncate; events aggregated"
# --- blocking ------------------------------------------------------------------
stop_agent
write_ini on
start_agent --config "$W/agent.ini"
get 127.0.0.2 /index.html
eq "$CODE" 200 "attacker before the block"
for i in $(seq 1 3); do get 127.0.0.2 "/index.html?id=1%20union%20select%201,2,user()--"; done
for i in $(seq 1 3); do get 127.0.0.1 "/index.html?id=1%20union%20select%201,2,user()--"; done
for i in $(seq 1 150); do
	get 127.0.0.2 /index.html
	[ "$CODE" = 403 ] && break
	sleep 0.1
done
eq "$CODE" 403 "attacker after the block"
get 127.0.0.1 /index.html
eq "$CODE" 200 "loopback (never blocked) after the block"
has "$NG/deny.conf" "deny 127.0.0.2;"
grep -q "deny 127.0.0.1;" "$NG/deny.conf" && fail "127.0.0.1 blocked"
# wait_event FILTER WHAT: an event matching the jq FILTER reaches the sink
wait_event() {
	local i
	for i in $(seq 1 100); do
		[ -n "$(jq -c "select($1)" "$W/sink.jsonl")" ] && return 0
		sleep 0.1
	done
	jq -c '{seq, kind, attack, source, action}' "$W/sink.jsonl" | tail -20
	"$AGENT" status "${AARGS[@]}" | tail -12
	fail "$2"
}
wait_event '.kind == "block" and .source == "127.0.0.2" and .action == "blocked"' "block event"
"$AGENT" status "${AARGS[@]}" --json | jq -e '.agent.blocked[] | select(.source == "127.0.0.2")' >/dev/null ||
	fail "status lists the blocked address"
# the block expires after 12 s
for i in $(seq 1 250); do
	get 127.0.0.2 /index.html
	[ "$CODE" = 200 ] && break
	sleep 0.1
done
eq "$CODE" 200 "attacker after the block expired"
wait_event '.kind == "unblock" and .source == "127.0.0.2"' "unblock event"
stop_agent
all_delivered "attack events"
echo "PASS: agent_attack ($SENT requests, every line read once; events aggregated; 2xx escalated; block and unblock)"
