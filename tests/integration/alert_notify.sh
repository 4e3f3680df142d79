#!/usr/bin/env bash
# alert_notify.sh - from a defaced page and a planted dark link to signed
# notifications, end to end: `sitewarden probe` on pages served by nginx on
# 127.0.0.1 learns each site's baseline; site A is then defaced and site B
# gets a hidden dark link.  After each check an alert exists, one incident
# per site is open, a webhook receiver (tests/tools/sw_hook_sink) got
# exactly one message per event with a valid HMAC signature, and a second
# receiver got the DingTalk robot's signed markdown.  Then the webhook
# receiver goes down for several checks, each a new probe process (a
# restart); once it is back, every queued notification arrives, none
# twice.
source "$SW_SRC/tests/integration/lib.bash"

command -v nginx >/dev/null || fail "nginx is not installed (scripts/setup installs it)"
command -v jq >/dev/null || fail "jq is not installed (scripts/setup installs it)"
NG="$W/nginx"
SINK="$SW_BIN/sw_hook_sink"
mkdir -p "$NG/www/www.a.gov.cn" "$NG/www/www.b.gov.cn" "$NG/tmp"
NGINX_PID= HOOK_PID= DING_PID= WECOM_PID=
cleanup() {
	local p
	for p in $NGINX_PID $HOOK_PID $DING_PID $WECOM_PID; do
		kill "$p" 2>/dev/null || true
		wait "$p" 2>/dev/null || true
	done
	rm -rf "$W"
}
trap cleanup EXIT

# page HOST TITLE DAY EXTRA: a county office's home page on day DAY.
page() {
	local d=$3 news="" i
	for i in 1 2 3 4 5 6; do
		news+="<li><a href=\"/art/2024/$((d * 10 + i)).html\">第$((d * 10 + i))期 关于做好安全生产工作的通知</a><span>2024-03-$d</span></li>"
	done
	cat >"$NG/www/$1/index.html" <<-HTML
		<!DOCTYPE html><html><head><meta charset="utf-8"><title>$2</title></head><body>
		<div class="header"><ul class="nav"><li><a href="/">首页</a></li><li><a href="/zwgk/">政务公开</a></li>
		<li><a href="/bsfw/">办事服务</a></li><li><a href="/hdjl/">互动交流</a></li></ul></div>
		$4
		<div class="intro"><h2>概况</h2><p>本县位于某省东部，总面积一千二百平方公里，辖十个乡镇，户籍人口四十二万。全县坚持以人民为中心的发展思想，统筹推进经济社会发展各项工作。</p>
		<p>门户网站是县人民政府在互联网上发布政务信息、提供在线服务、与公众互动交流的平台。</p></div>
		<div class="news"><h3>政务动态</h3><ul>$news</ul></div>
		<div class="date">今天是2024年3月$d日</div>
		<div class="footer"><p>主办单位：某县人民政府办公室</p></div>
		</body></html>
	HTML
}
honest() { page "$1" "某县人民政府门户网站" "$2" ""; }

write_conf() {
	PORT=$(free_port)
	NGINX_WAIT_PORT=$PORT
	{
		nginx_head
		cat <<-EOF
			charset utf-8;
			server {
				listen 127.0.0.1:$PORT;
				root $NG/www/\$host;
			}
		}
		EOF
	} >"$NG/nginx.conf"
}
nginx_start write_conf || fail "nginx did not start"

# sink NAME ARGS...: starts a receiver logging to $W/NAME.log; its port is
# in $W/NAME.port (kept across restarts with --port).
sink() {
	local name=$1 i
	shift
	rm -f "$W/$name.port"
	"$SINK" --log "$W/$name.log" --port-file "$W/$name.port" "$@" &
	SINK_PID=$!
	for i in $(seq 1 50); do
		[ -s "$W/$name.port" ] && return 0
		kill -0 "$SINK_PID" 2>/dev/null || break
		sleep 0.1
	done
	fail "receiver $name did not start"
}
touch "$W/hook.log" "$W/ding.log" "$W/wecom.log"
sink hook --secret hooksecret
HOOK_PID=$SINK_PID
HOOK_PORT=$(cat "$W/hook.port")
sink ding --dingtalk-secret SECdingsecret
DING_PID=$SINK_PID
sink wecom
WECOM_PID=$SINK_PID

A=www.a.gov.cn B=www.b.gov.cn
RES=(--resolve "$A:$PORT:127.0.0.1" --resolve "$B:$PORT:127.0.0.1")
sweep() { # one check of both sites, now, by a new probe process
	run 0 "$SW" probe --now "$A"
	run 0 "$SW" probe --now "$B"
	run 0 "$SW" probe --once "${RES[@]}"
	cp "$W/out" "$W/probe.out"
}
lines() { grep -c . "$1" || true; }
json_total() { jq -r .total "$W/out"; }

run 0 "$SW" dept add --name 某市网信办 --kind cyberspace --region 110000
run 0 "$SW" unit add --name 某县人民政府办公室 --type party_gov --region 110000 --department 某市网信办
run 0 "$SW" site add --name 某县人民政府 --url "http://$A:$PORT/" --unit 某县人民政府办公室
run 0 "$SW" site add --name 某县教育局 --url "http://$B:$PORT/" --unit 某县人民政府办公室
run 0 "$SW" channel add hook --kind webhook --url "http://127.0.0.1:$HOOK_PORT/hook" \
	--secret hooksecret --dept 某市网信办
run 0 "$SW" channel add ding --kind dingtalk \
	--url "http://127.0.0.1:$(cat "$W/ding.port")/robot/send?access_token=t0k" \
	--secret SECdingsecret --dept 某市网信办
run 1 "$SW" channel add bad --kind fax --url x
run 0 "$SW" channel add wecom --kind wecom --min-severity critical \
	--url "http://127.0.0.1:$(cat "$W/wecom.port")/cgi-bin/webhook/send?key=k3y" --site 某县人民政府
run 2 "$SW" channel add bad --kind webhook
run 1 "$SW" channel add bad --kind webhook --url ftp://x/
# The pages carry no filing numbers or badge; compliance is not this test's.
run 0 "$SW" policy set checks=availability,tls,dns,redirect,deface,trojan,darklink,sensitive

for day in 1 2 3; do
	honest "$A" "$day"
	honest "$B" "$day"
	sweep
done
run 0 "$SW" alert list --json
eq "$(json_total)" 0 "alerts after honest pages"
eq "$(lines "$W/hook.log")" 0 "webhook messages after honest pages"

# Site A is defaced.
page "$A" "Hacked by Black Team" 4 '<div style="font-size:40px;color:red"><h1>Hacked by Black Team</h1><p>此站已被黑客入侵 管理员你好</p></div>'
honest "$B" 4
sweep
has "$W/probe.out" "incident"
run 0 "$SW" alert list --site "$A" --state open --kind defacement --json
[ "$(json_total)" -ge 1 ] || fail "no defacement alert"
run 0 "$SW" incident list --state open --json
eq "$(json_total)" 1 "open incidents after the defacement"
INC_A=$(jq -r '.items[0].id' "$W/out")
eq "$(lines "$W/hook.log")" 1 "webhook messages after the defacement"
eq "$(jq -r .verified "$W/hook.log")" true "webhook signature"
eq "$(jq -r .body.site.name "$W/hook.log")" 某县人民政府 "webhook message's site"
eq "$(jq -r .body.incident.id "$W/hook.log")" "$INC_A" "webhook message names the incident"
[ "$(jq -r '.body.alerts | map(select(.kind | startswith("defacement."))) | length' "$W/hook.log")" -ge 1 ] ||
	fail "webhook message lacks the defacement"
eq "$(jq -r .idempotency_key "$W/hook.log")" "$(jq -r .body.id "$W/hook.log")" "idempotency key"
eq "$(lines "$W/ding.log")" 1 "DingTalk messages after the defacement"
eq "$(jq -r .verified "$W/ding.log")" true "DingTalk sign"
eq "$(jq -r .body.msgtype "$W/ding.log")" markdown "DingTalk message type"
jq -r .body.markdown.text "$W/ding.log" >"$W/ding.txt"
has "$W/ding.txt" "某县人民政府"
has "$W/ding.txt" "defacement."
eq "$(lines "$W/wecom.log")" 1 "WeCom messages after the defacement (critical only)"
eq "$(jq -r .body.msgtype "$W/wecom.log")" text "WeCom message type"
eq "$(jq -r .query.key "$W/wecom.log")" k3y "WeCom robot key"
jq -r .body.text.content "$W/wecom.log" >"$W/wecom.txt"
has "$W/wecom.txt" "critical"

# The same defacement seen again: counted, not notified again.
sweep
eq "$(lines "$W/hook.log")" 1 "webhook messages after the defacement was seen again"
run 0 "$SW" alert list --site "$A" --kind defacement.title --json
eq "$(jq -r '.items[0].count' "$W/out")" 2 "the defacement alert's count"

# Site B gets a hidden dark link.
page "$B" "某县人民政府门户网站" 5 "<div style='display:none'><a href='http://bet.example.com/'>澳门葡京百家乐</a><a href='http://sf.example.net/'>传奇私服</a></div>"
sweep
run 0 "$SW" alert list --site "$B" --state open --kind darklink --json
[ "$(json_total)" -ge 1 ] || fail "no dark-link alert"
run 0 "$SW" incident list --state open --site "$B" --json
eq "$(json_total)" 1 "open incidents of site B"
eq "$(lines "$W/hook.log")" 2 "webhook messages after the dark link"
eq "$(jq -r .verified "$W/hook.log" | sort -u)" true "webhook signatures"
eq "$(tail -1 "$W/hook.log" | jq -r .body.site.name)" 某县教育局 "second message's site"
eq "$(lines "$W/ding.log")" 2 "DingTalk messages after the dark link"
eq "$(lines "$W/wecom.log")" 1 "WeCom messages after site B's dark link (not its channel)"
run 0 "$SW" incident show "$INC_A" --json
[ "$(jq '.checks | length' "$W/out")" -ge 2 ] || fail "incident A's checks"

# The webhook receiver goes down for three checks, each by a new probe.
kill "$HOOK_PID"
wait "$HOOK_PID" 2>/dev/null || true
HOOK_PID=
honest "$A" 6 # the defacement is repaired: resolved
sweep
honest "$B" 6 # the dark link is removed: resolved
sweep
page "$A" "Hacked again" 7 '<h1>Hacked by Black Team</h1><p>此站已被黑客入侵</p>' # back: reopened
sweep
run 0 "$SW" channel queue --state queued --json
QUEUED=$(jq '[.items[] | select(.channel_id == 1)] | length' "$W/out")
echo "queued during the outage: $QUEUED" >&2
[ "$QUEUED" -ge 3 ] || fail "expected at least 3 queued webhook messages, got $QUEUED"
eq "$(lines "$W/hook.log")" 2 "webhook messages while the receiver was down"
eq "$(lines "$W/ding.log")" $((2 + QUEUED)) "DingTalk messages meanwhile"

# Back on the same port: everything arrives, once.
sink hook --secret hooksecret --port "$HOOK_PORT"
HOOK_PID=$SINK_PID
run 0 "$SW" channel pump --all
has "$W/out" "$QUEUED sent"
run 0 "$SW" channel pump --all
has "$W/out" "0 sent, 0 failed"
sweep
eq "$(lines "$W/hook.log")" $((2 + QUEUED)) "webhook messages after the outage"
eq "$(jq -r .idempotency_key "$W/hook.log" | sort -u | grep -c .)" $((2 + QUEUED)) "distinct keys"
eq "$(jq -r .verified "$W/hook.log" | sort -u)" true "signatures after the outage"
run 0 "$SW" channel queue --state queued --json
eq "$(jq '.items | length' "$W/out")" 0 "messages still queued"
eq "$(jq -r '.body.alerts[].change' "$W/hook.log" | sort -u | tr '\n' ' ')" "new reopened resolved " \
	"changes the webhook heard of"

# The chain by hand, then closing with accountability.
run 0 "$SW" incident step "$INC_A" reported_dept --note "电话报告主管部门" --by 值班员
run 1 "$SW" incident close "$INC_A" --cause 弱口令 --fix 加固
run 0 "$SW" incident close "$INC_A" --cause "后台弱口令被利用" --fix "修改口令、加固后台" \
	--accountability "运维单位约谈" --by 值班员
run 0 "$SW" incident show "$INC_A" --json
eq "$(jq -r .state "$W/out")" closed "incident A's state"
eq "$(jq -r '[.steps[].step] | join(",")' "$W/out")" "reported_dept,closed" "incident A's steps"
echo "alert_notify: ok"
