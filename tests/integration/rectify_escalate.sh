# A rectification item past its deadline is escalated once, by the
# monitoring loop's tick, through the notification channels: the probe
# marks it overdue, queues one signed webhook message and sends it; later
# rounds (new processes) send nothing more.  The site is the only one and
# answers on a loopback port nobody listens on, so the probe has a round
# to run without contacting anything.
source "$(dirname "$0")/lib.bash"

SINK="$SW_BIN/sw_hook_sink"
[ -x "$SINK" ] || fail "no $SINK"
SINK_PID=
trap '[ -n "$SINK_PID" ] && kill "$SINK_PID" 2>/dev/null; rm -rf "$W"' EXIT

"$SINK" --log "$W/hook.log" --port-file "$W/hook.port" --secret hooksecret &
SINK_PID=$!
for i in $(seq 1 50); do [ -s "$W/hook.port" ] && break; sleep 0.1; done
[ -s "$W/hook.port" ] || fail "the webhook receiver did not start"
touch "$W/hook.log"

DOWN=$(free_port)
run 0 "$SW" dept add --name 某市网信办 --kind cyberspace --region 110000
run 0 "$SW" unit add --name 某县人民政府办公室 --type party_gov --region 110000 --department 某市网信办
run 0 "$SW" site add --name 某县人民政府 --url "http://127.0.0.1:$DOWN/" --unit 某县人民政府办公室
run 0 "$SW" channel add hook --kind webhook --url "http://127.0.0.1:$(cat "$W/hook.port")/hook" \
	--secret hooksecret --dept 某市网信办
# An item from an inspection whose deadline passed long ago.
run 0 "$SW" rectify add 某县人民政府 --source inspection --title "首页缺少网站标识码" \
	--severity medium --deadline 2026-01-15
run 0 "$SW" rectify escalations --json
eq "$(jq length "$W/out")" 0 "escalations before the tick"

# One round of the loop: the site is checked (and found down) and the tick
# escalates the item and sends the message.
run 0 "$SW" probe --once
has "$W/out" "rectification escalation notification(s) queued"
run 0 "$SW" rectify escalations --json
eq "$(jq length "$W/out")" 1 "escalations after the tick"
run 0 "$SW" rectify list --json
eq "$(jq -r '.[0].status' "$W/out")" overdue "the item's status"
for i in $(seq 1 50); do [ "$(grep -c rectification.overdue "$W/hook.log")" -ge 1 ] && break; sleep 0.1; done
eq "$(grep -c '"rectification.overdue"' "$W/hook.log")" 1 "escalation messages received"
eq "$(grep '"rectification.overdue"' "$W/hook.log" | jq -r .verified)" true "signature of the escalation message"
grep '"rectification.overdue"' "$W/hook.log" | jq -r .body.title | grep -q "首页缺少网站标识码" ||
	fail "the message does not name the item"

# Later rounds, each a new process, escalate and send nothing more.
for round in 1 2; do
	run 0 "$SW" probe --now 某县人民政府
	run 0 "$SW" probe --once
done
sleep 0.3
eq "$(grep -c '"rectification.overdue"' "$W/hook.log")" 1 "escalation messages after three rounds"
run 0 "$SW" rectify escalations --undelivered --json
eq "$(jq length "$W/out")" 0 "undelivered escalations"
echo "rectify_escalate: ok"
