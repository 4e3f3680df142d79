#!/usr/bin/env bash
# compliance_schedule.sh - scheduled reports through the notification
# channels, with the clock set (SITEWARDEN_NOW), never slept:
# - a monthly bulletin for a province mailed through an smtp channel to an
#   SMTP sink on 127.0.0.1 (Python, in this file): made and sent once when
#   January has ended, never again in later ticks (new processes each:
#   restarts), the attachment read with Python's email parser and its
#   sheet equal cell for cell to `report bulletin -o` at the same clock;
# - a send the SMTP server refuses stays queued, is not retried before the
#   back-off, and goes out once after it (still once for the period);
# - a weekly progress report to a webhook channel (sw_hook_sink) carries a
#   link; the file behind /api/report-runs/ID/file equals the CLI's CSV;
# - rectification from an incident: items of closed incidents listed.
source "$SW_SRC/tests/integration/lib.bash"
source "$SW_SRC/tests/integration/server_lib.bash"
DB="$W/c.db"
export SITEWARDEN_DB="$DB"
SMTP_PID= HOOK_PID=
cleanup() {
	local p
	for p in $SMTP_PID $HOOK_PID; do
		kill "$p" 2>/dev/null || true
		wait "$p" 2>/dev/null || true
	done
	server_cleanup
}
trap cleanup EXIT

"$GEN" --rows 600 --seed 5 -o reg.csv
run 0 "$SW" import reg.csv
run 0 "$SW_BIN/sw_gen_compliance" "$DB" --now 2026-01-20
q() { sqlite3 "$DB" "$1"; }

# ---- the SMTP sink: one .eml per accepted message; while $W/smtp-fail
# exists it answers the end of DATA with 451 (a temporary failure).
mkdir -p "$W/mail"
cat >"$W/smtp_sink.py" <<'PY'
import os, socket, sys
out, portfile, failflag = sys.argv[1], sys.argv[2], sys.argv[3]
srv = socket.socket()
srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
srv.bind(("127.0.0.1", 0))
srv.listen(8)
with open(portfile + ".tmp", "w") as f:
    f.write(str(srv.getsockname()[1]))
os.rename(portfile + ".tmp", portfile)
n = 0
while True:
    c, _ = srv.accept()
    c.settimeout(30)
    f = c.makefile("rwb")
    def say(s):
        f.write(s.encode() + b"\r\n"); f.flush()
    say("220 sink ESMTP")
    try:
        while True:
            line = f.readline()
            if not line:
                break
            cmd = line.decode("utf-8", "replace").strip().upper()
            if cmd.startswith("EHLO"):
                say("250-sink"); say("250 SIZE 100000000")
            elif cmd.startswith("HELO") or cmd.startswith("MAIL") or cmd.startswith("RCPT") \
                    or cmd.startswith("RSET") or cmd.startswith("NOOP"):
                say("250 ok")
            elif cmd == "DATA":
                say("354 go on")
                data = []
                while True:
                    l = f.readline()
                    if not l or l in (b".\r\n", b".\n"):
                        break
                    data.append(l[1:] if l.startswith(b"..") else l)
                if os.path.exists(failflag):
                    say("451 try again later")
                else:
                    n += 1
                    with open(os.path.join(out, "msg-%d.eml" % n), "wb") as m:
                        m.write(b"".join(data))
                    say("250 queued")
            elif cmd == "QUIT":
                say("221 bye"); break
            else:
                say("500 what")
    except Exception:
        pass
    c.close()
PY
python3 "$W/smtp_sink.py" "$W/mail" "$W/smtp.port" "$W/smtp-fail" &
SMTP_PID=$!
for i in $(seq 1 50); do [ -s "$W/smtp.port" ] && break; sleep 0.1; done
[ -s "$W/smtp.port" ] || fail "the SMTP sink did not start"
"$SW_BIN/sw_hook_sink" --log "$W/hook.log" --port-file "$W/hook.port" &
HOOK_PID=$!
for i in $(seq 1 50); do [ -s "$W/hook.port" ] && break; sleep 0.1; done
[ -s "$W/hook.port" ] || fail "the webhook sink did not start"
mails() { find "$W/mail" -name '*.eml' | wc -l; }

run 0 "$SW" channel add leaders --kind smtp --url "smtp://127.0.0.1:$(cat "$W/smtp.port")" \
	--from sitewarden@example.org --to leader@example.org,office@example.org
run 0 "$SW" channel add soc --kind webhook --url "http://127.0.0.1:$(cat "$W/hook.port")/hook"

# ---- schedules, added on 2026-01-20
export SITEWARDEN_NOW=2026-01-20T09:00:00
run 1 "$SW" report schedule add bad --kind memo --every month --channel leaders
run 1 "$SW" report schedule add bad --kind bulletin --every fortnight --channel leaders
run 1 "$SW" report schedule add bad --kind bulletin --every month --channel nobody
run 1 "$SW" report schedule add bad --kind bulletin --every month --channel leaders --format pdf
run 0 "$SW" report schedule add zj-monthly --kind bulletin --every month --region 330000 \
	--format xlsx --channel leaders
run 1 "$SW" report schedule add zj-monthly --kind bulletin --every month --channel leaders
run 0 "$SW" report schedule list --json
eq "$(jq -r '.[0].name + " " + .[0].region + " " + .[0].channel' "$W/out")" "zj-monthly 330000 leaders" "schedule stored"

# Nothing has ended since the schedule was added: December is not owed.
run 0 "$SW" report schedule run --json
eq "$(jq -c . "$W/out")" '{"made":0,"sent":0,"failed":0}' "tick on the day it was added"
eq "$(mails)" 0 "no mail before the period ends"

# ---- January ends: one run, one mail
export SITEWARDEN_NOW=2026-02-01T00:00:05
run 0 "$SW" report schedule run --json
eq "$(jq -c . "$W/out")" '{"made":1,"sent":1,"failed":0}' "tick after January"
eq "$(mails)" 1 "one mail for January"
run 0 "$SW" report bulletin --region 330000 --period 2026-01 -o "$W/cli-jan.xlsx"
python3 - "$W/mail/msg-1.eml" "$W/cli-jan.xlsx" <<'PY'
import email, email.policy, io, sys, zipfile
msg = email.message_from_binary_file(open(sys.argv[1], "rb"), policy=email.policy.default)
assert "网站安全问题通报 2026-01" in msg["Subject"], msg["Subject"]
assert msg["Message-ID"] == "<sw-report-s1-2026-01@sitewarden>", msg["Message-ID"]
assert [a.addr_spec for a in msg["To"].addresses] == ["leader@example.org", "office@example.org"], msg["To"]
assert msg.get_content_type() == "multipart/mixed"
parts = list(msg.iter_attachments())
assert len(parts) == 1, len(parts)
att = parts[0]
assert att.get_filename() == "bulletin-2026-01.xlsx", att.get_filename()
assert att.get_content_type() == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
data = att.get_content()
body = msg.get_body(("plain",)).get_content()
assert "bulletin-2026-01.xlsx" in body, body
mine, cli = zipfile.ZipFile(io.BytesIO(data)), zipfile.ZipFile(sys.argv[2])
for name in ("xl/worksheets/sheet1.xml", "xl/sharedStrings.xml"):
    assert mine.read(name) == cli.read(name), name + " differs from the CLI's report"
print("mail: attachment of %d bytes, sheet equal to the CLI's" % len(data))
PY
# later ticks (each a new process: a restart) add nothing
for t in 2026-02-01T00:10:00 2026-02-15 2026-02-28T23:59:59; do
	SITEWARDEN_NOW=$t run 0 "$SW" report schedule run --json
	eq "$(jq -c . "$W/out")" '{"made":0,"sent":0,"failed":0}' "tick at $t"
done
eq "$(mails)" 1 "January mailed exactly once"
eq "$(q "SELECT COUNT(*) || ',' || MIN(state) FROM report_runs")" "1,sent" "one run, sent"

# ---- February: the server refuses, back-off, then once
touch "$W/smtp-fail"
export SITEWARDEN_NOW=2026-03-01T00:00:00
run 1 "$SW" report schedule run --json
eq "$(jq -c . "$W/out")" '{"made":1,"sent":0,"failed":1}' "refused send"
eq "$(q "SELECT state || ',' || attempts FROM report_runs WHERE period = '2026-02'")" "queued,1" "queued after the refusal"
[ -n "$(q "SELECT last_error FROM report_runs WHERE period = '2026-02'")" ] || fail "no error recorded"
rm -f "$W/smtp-fail"
SITEWARDEN_NOW=2026-03-01T00:00:20 run 0 "$SW" report schedule run --json
eq "$(jq -c . "$W/out")" '{"made":0,"sent":0,"failed":0}' "not before the 30 s back-off"
SITEWARDEN_NOW=2026-03-01T00:00:31 run 0 "$SW" report schedule run --json
eq "$(jq -c . "$W/out")" '{"made":0,"sent":1,"failed":0}' "sent after the back-off"
SITEWARDEN_NOW=2026-03-01T00:05:00 run 0 "$SW" report schedule run --json
eq "$(jq -c . "$W/out")" '{"made":0,"sent":0,"failed":0}' "and not again"
eq "$(mails)" 2 "February mailed once"
python3 - "$W/mail/msg-2.eml" <<'PY'
import email, email.policy, sys
msg = email.message_from_binary_file(open(sys.argv[1], "rb"), policy=email.policy.default)
att = list(msg.iter_attachments())
assert [a.get_filename() for a in att] == ["bulletin-2026-02.xlsx"], att
PY

# ---- a weekly progress report to a webhook: a link to the stored file
export SITEWARDEN_NOW=2026-03-04T10:00:00    # a Wednesday
run 0 "$SW" report schedule add weekly --kind progress --every week --format csv --channel soc \
	--link-base "http://127.0.0.1:9/"
run 0 "$SW" report schedule run --json        # the week of 03-02 has not ended
eq "$(jq .made "$W/out")" 0 "the current week is not reported"
export SITEWARDEN_NOW=2026-03-09T08:00:00    # the next Monday
run 0 "$SW" report schedule run --json
eq "$(jq -c . "$W/out")" '{"made":1,"sent":1,"failed":0}' "weekly report sent"
eq "$(wc -l <"$W/hook.log")" 1 "one webhook message"
RID=$(q "SELECT id FROM report_runs WHERE period = '2026-03-02..2026-03-08'")
[ -n "$RID" ] || fail "the week's run is not named 2026-03-02..2026-03-08"
eq "$(jq -r .body.event "$W/hook.log")" report "webhook event"
eq "$(jq -r .body.report.url "$W/hook.log")" "http://127.0.0.1:9/api/report-runs/$RID/file" "the link"
eq "$(jq -r .body.report.file "$W/hook.log")" "progress-2026-03-02..2026-03-08.csv" "the file name"
eq "$(jq -r .idempotency_key "$W/hook.log")" "sw-report-s2-2026-03-02..2026-03-08" "idempotency key"
run 0 "$SW" report progress --period 2026-03-02..2026-03-08 -o "$W/cli-week.csv"
SITEWARDEN_NOW=2026-03-15T23:59:59 run 0 "$SW" report schedule run --json
eq "$(jq .made "$W/out")" 0 "Sunday: the week has not ended"
SITEWARDEN_NOW=2026-03-16T00:00:00 run 0 "$SW" report schedule run --json
eq "$(jq -c . "$W/out")" '{"made":1,"sent":1,"failed":0}' "the next week"
eq "$(wc -l <"$W/hook.log")" 2 "one message per week"

# the link's file over the API (administrators and auditors)
printf 'admin-pass-1\n' | run 0 "$SW" user add --name admin --role admin
printf 'op-pass-1234\n' | run 0 "$SW" user add --name op --role operator \
	--unit "$(q "SELECT MIN(unit_id) FROM sites")"
start_serve --no-probe
login admin admin-pass-1 "$W/admin.jar"
login op op-pass-1234 "$W/op.jar"
CODE=$(curl -s -b "$W/admin.jar" -o "$W/api-week.csv" -w '%{http_code}' --max-time 60 \
	"$BASE/api/report-runs/$RID/file")
eq "$CODE" 200 "download of the run's file"
cmp -s "$W/api-week.csv" "$W/cli-week.csv" || fail "the linked file differs from report progress -o"
CODE=$(curl -s -b "$W/op.jar" -o /dev/null -w '%{http_code}' "$BASE/api/report-runs/$RID/file")
eq "$CODE" 403 "an operator reads a scheduled report"
CODE=$(curl -s -b "$W/admin.jar" -o /dev/null -w '%{http_code}' "$BASE/api/report-runs/99999/file")
eq "$CODE" 404 "absent run"
req "$W/admin.jar" GET /api/report-runs
want 200 "run list"
eq "$(jq .total "$W/body")" 4 "four runs"
eq "$(jq -r '[.items[].state] | unique | join(",")' "$W/body")" sent "all sent"
req "$W/admin.jar" GET /api/report-schedules
want 200 "schedule list"
eq "$(jq -r '[.items[].name] | join(",")' "$W/body")" "zj-monthly,weekly" "schedules over the API"

# ---- rectification from an incident; closing with an open item is listed
INC=$(q "SELECT i.id FROM incidents i WHERE i.state = 'open' AND NOT EXISTS (SELECT 1 FROM rectifications r
	WHERE r.source_ref = 'incident:' || i.id) ORDER BY i.id LIMIT 1")
[ -n "$INC" ] || fail "fixture lacks an open incident without items"
run 0 "$SW" rectify from-incident "$INC" --owner 运维
ITEM=$(sed -n 's/^item \([0-9]*\) opened$/\1/p' "$W/out")
eq "$(q "SELECT source || ',' || source_ref || ',' || site_id FROM rectifications WHERE id = $ITEM")" \
	"incident,incident:$INC,$(q "SELECT site_id FROM incidents WHERE id = $INC")" "item linked to the incident"
run 1 "$SW" rectify from-incident "$INC"
has "$W/err" "already tracks incident"
run 1 "$SW" rectify from-incident 999999
before=$(q "SELECT COUNT(*) FROM rectifications r JOIN incidents i ON r.source_ref = 'incident:' || i.id
	WHERE i.state = 'closed' AND r.status IN ('open','in_progress','overdue')")
run 0 "$SW" incident close "$INC" --cause 弱口令 --fix 改口令 --accountability 运维负责人
run 0 "$SW" rectify list --open --incident-closed --json
eq "$(jq length "$W/out")" "$((before + 1))" "closing with an open item: the item is listed"
jq -e --argjson id "$ITEM" 'map(.id) | index($id) != null' "$W/out" >/dev/null || fail "item $ITEM not listed"
run 0 "$SW" stats --json
eq "$(jq .incidents.closed_with_open_items "$W/out")" \
	"$(q "SELECT COUNT(*) FROM incidents i WHERE i.state = 'closed' AND EXISTS (SELECT 1 FROM rectifications r
		WHERE r.source_ref = 'incident:' || i.id AND r.status IN ('open','in_progress','overdue'))")" \
	"stats: closed incidents with open items"
echo "compliance_schedule: ok"
