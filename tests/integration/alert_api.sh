#!/usr/bin/env bash
# alert_api.sh - the alert, incident, plan, drill and channel routes of
# `sitewarden serve` over real HTTP on 127.0.0.1: scope (an operator of
# another unit sees nothing and may change nothing), roles, strict bodies
# (unknown members, wrong types and missing fields are 400 naming the
# field), the reporting chain and closing, and the OpenAPI document.
source "$SW_SRC/tests/integration/lib.bash"
source "$SW_SRC/tests/integration/server_lib.bash"

run 0 "$SW" dept add --name 网信办 --kind 网信 --region 110000
run 0 "$SW" unit add --name 单位甲 --type 党政机关 --region 110000
run 0 "$SW" unit add --name 单位乙 --type 党政机关 --region 110000
run 0 "$SW" site add --name 甲网站 --url http://a.test/ --unit 单位甲
run 0 "$SW" site add --name 乙网站 --url http://b.test/ --unit 单位乙
SITE_B=$("$SW" site list --json | jq '.[] | select(.name == "乙网站") | .id')
printf 'admin-pass-1\n' | run 0 "$SW" user add --name admin --role admin
printf 'op-pass-123\n' | run 0 "$SW" user add --name op --role operator --unit 单位乙
printf 'aud-pass-12\n' | run 0 "$SW" user add --name aud --role auditor

# Alerts without probing: an incident of 甲网站 whose steps run late.
run 0 "$SW" incident open --site 甲网站 --title 首页被篡改 --by 值班员
run 0 "$SW" incident deadlines --now +2h
has "$W/out" "3 overdue step(s) raised"
run 0 "$SW" incident deadlines --now +3h
has "$W/out" "0 overdue step(s) raised"

start_serve --no-probe
login admin admin-pass-1 "$W/admin.jar"
ACSRF=$CSRF
login op op-pass-123 "$W/op.jar"
OCSRF=$CSRF
login aud aud-pass-12 "$W/aud.jar"
DCSRF=$CSRF

req - GET /api/openapi.json
want 200 openapi
jq -e '.paths["/api/alerts"].get and .paths["/api/incidents/{id}/close"].post' "$W/body" >/dev/null ||
	fail "openapi lacks the alert routes"

req "$W/admin.jar" GET "/api/alerts?state=open&kind=incident"
want 200 "admin lists alerts"
eq "$(jq .total "$W/body")" 3 "overdue alerts"
ALERT=$(jq '.items[0].id' "$W/body")
req "$W/admin.jar" GET "/api/alerts?severity=bogus"
want 400 "bad severity"
eq "$(jq -r .field "$W/body")" severity "field of the bad severity"

# Scope: the operator of 单位乙 sees none of 甲's alerts or incidents.
req "$W/op.jar" GET /api/alerts
want 200 "operator lists alerts"
eq "$(jq .total "$W/body")" 0 "alerts the operator sees"
req "$W/op.jar" GET "/api/alerts/$ALERT"
want 404 "another unit's alert"
req "$W/op.jar" POST "/api/alerts/$ALERT/ack" '{}' -H "X-CSRF-Token: $OCSRF"
want 403 "acknowledging another unit's alert"
req "$W/op.jar" GET /api/incidents/1
want 404 "another unit's incident"
req "$W/aud.jar" POST "/api/alerts/$ALERT/ack" '{}' -H "X-CSRF-Token: $DCSRF"
want 403 "auditors change nothing"

# Acknowledge, suppress; strict bodies.
req "$W/admin.jar" POST "/api/alerts/$ALERT/ack" '{"note":"处理中"}' -H "X-CSRF-Token: $ACSRF"
want 200 ack
eq "$(jq -r .state "$W/body")" acknowledged "state after ack"
eq "$(jq -r .state_by "$W/body")" admin "who acknowledged"
req "$W/admin.jar" POST "/api/alerts/$ALERT/ack" '{"bogus":1}' -H "X-CSRF-Token: $ACSRF"
want 400 "unknown member"
eq "$(jq -r .field "$W/body")" bogus "field of the unknown member"
req "$W/admin.jar" POST "/api/alerts/$ALERT/suppress" '{"until":"tomorrow"}' -H "X-CSRF-Token: $ACSRF"
want 400 "until of the wrong type"
eq "$(jq -r .field "$W/body")" until "field of the bad until"
req "$W/admin.jar" POST "/api/alerts/$ALERT/suppress" "{\"until\":$(($(date +%s) + 3600))}" \
	-H "X-CSRF-Token: $ACSRF"
want 200 suppress
eq "$(jq -r .state "$W/body")" suppressed "state after suppress"
req "$W/admin.jar" POST "/api/alerts/$ALERT/resolve" '' -H "X-CSRF-Token: $ACSRF"
want 200 "resolve without a body"
req "$W/admin.jar" GET /api/alerts/999999
want 404 "no such alert"

# An incident of 乙网站 opened by hand, walked along the chain by its operator.
req "$W/admin.jar" POST /api/incidents "{\"site_id\":$SITE_B,\"title\":\"暗链\",\"major\":\"yes\"}" \
	-H "X-CSRF-Token: $ACSRF"
want 400 "major of the wrong type"
req "$W/admin.jar" POST /api/incidents "{\"site_id\":$SITE_B}" -H "X-CSRF-Token: $ACSRF"
want 400 "no title"
eq "$(jq -r .field "$W/body")" title "field of the missing title"
req "$W/admin.jar" POST /api/incidents "{\"site_id\":$SITE_B,\"title\":\"首页出现暗链\"}" \
	-H "X-CSRF-Token: $ACSRF"
want 201 "open an incident"
INC=$(jq .id "$W/body")
eq "$(jq -r .source "$W/body")" manual "source"
req "$W/op.jar" GET "/api/incidents?state=open"
want 200 "operator lists incidents"
eq "$(jq .total "$W/body")" 1 "incidents the operator sees"
req "$W/op.jar" POST "/api/incidents/$INC/steps" '{"step":"reported_dept","note":"已电话报告"}' \
	-H "X-CSRF-Token: $OCSRF"
want 200 "record a step"
eq "$(jq -r '.steps[0].step + " " + .steps[0].actor' "$W/body")" "reported_dept op" "the step"
req "$W/op.jar" POST "/api/incidents/$INC/steps" '{"step":"lunch"}' -H "X-CSRF-Token: $OCSRF"
want 400 "unknown step"
eq "$(jq -r .field "$W/body")" step "field of the unknown step"
req "$W/op.jar" POST "/api/incidents/$INC/steps" '{"step":"escalated_cac"}' -H "X-CSRF-Token: $OCSRF"
want 200 "escalate"
eq "$(jq .major "$W/body")" true "escalation makes it major"
req "$W/op.jar" POST "/api/incidents/$INC/close" '{"cause":"弱口令","fix":"加固"}' \
	-H "X-CSRF-Token: $OCSRF"
want 400 "close without accountability"
eq "$(jq -r .field "$W/body")" accountability "field of the missing accountability"
req "$W/op.jar" POST "/api/incidents/$INC/close" \
	'{"cause":"后台弱口令","fix":"改口令并加固","accountability":"运维单位约谈"}' -H "X-CSRF-Token: $OCSRF"
want 200 close
eq "$(jq -r .state "$W/body")" closed "state after close"
req "$W/op.jar" POST "/api/incidents/$INC/close" \
	'{"cause":"a","fix":"b","accountability":"c"}' -H "X-CSRF-Token: $OCSRF"
want 409 "closing twice"
req "$W/op.jar" POST "/api/incidents/$INC/steps" '{"step":"recovered"}' -H "X-CSRF-Token: $OCSRF"
want 409 "a step of a closed incident"

# Plans, drills, channels.
req "$W/admin.jar" POST /api/plans '{"name":"网站篡改应急预案","body":"一、总则……"}' \
	-H "X-CSRF-Token: $ACSRF"
want 201 "add a plan"
PLAN=$(jq .id "$W/body")
req "$W/op.jar" GET "/api/plans?site=$SITE_B"
want 200 "plans of a site"
eq "$(jq .total "$W/body")" 1 "plans that apply to 乙网站"
req "$W/op.jar" POST /api/drills "{\"held_on\":\"2026-11-20\",\"scenario\":\"首页篡改\",\"result\":\"30分钟恢复\",\"plan_id\":$PLAN}" \
	-H "X-CSRF-Token: $OCSRF"
want 201 "record a drill"
req "$W/op.jar" POST /api/drills '{"held_on":"2026-13-40","scenario":"x","result":"y"}' \
	-H "X-CSRF-Token: $OCSRF"
want 400 "a bad date"
req "$W/op.jar" GET /api/drills
eq "$(jq '.items[0].plan' "$W/body")" '"网站篡改应急预案"' "the drill's plan"
req "$W/admin.jar" POST /api/channels '{"name":"soc","kind":"syslog","url":"udp://127.0.0.1:514"}' \
	-H "X-CSRF-Token: $ACSRF"
want 201 "add a channel"
CH=$(jq .id "$W/body")
req "$W/admin.jar" POST /api/channels '{"name":"x","kind":"webhook","url":"gopher://x"}' \
	-H "X-CSRF-Token: $ACSRF"
want 400 "a channel with a bad URL"
eq "$(jq -r .field "$W/body")" url "field of the bad URL"
req "$W/op.jar" GET /api/channels
want 403 "operators do not see channels"
req "$W/admin.jar" DELETE "/api/channels/$CH" '' -H "X-CSRF-Token: $ACSRF"
want 200 "remove a channel"
req "$W/admin.jar" GET /api/channels
eq "$(jq .total "$W/body")" 0 "channels left"
stop_serve
echo "alert_api: ok"
