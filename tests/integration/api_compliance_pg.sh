#!/usr/bin/env bash
# api_compliance_pg.sh - the compliance API's scoped SQL on a real
# PostgreSQL (started here on 127.0.0.1, stopped by PID): `serve --no-probe`
# on a PostgreSQL register of 400 sites; a province supervisor's and an
# operator's statistics equal `stats --json` for their scope; campaigns
# opened and pruned to the supervisor's sites, decisions, the tasks they
# open, rectification items added, listed, counted and moved on, each
# list holding the user's sites only; report downloads.
source "$SW_SRC/tests/integration/lib.bash"
source "$SW_SRC/tests/integration/server_lib.bash"

PGBIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
[ -x "$PGBIN/initdb" ] || fail "no PostgreSQL server binaries in /usr/lib/postgresql/*/bin (package postgresql)"
AS=()
if [ "$(id -u)" = 0 ]; then
	id postgres >/dev/null 2>&1 || fail "running as root and there is no 'postgres' user"
	AS=(runuser -u postgres --)
fi
PGT=$(mktemp -d /tmp/sw-pgc-XXXXXX)
PGPID=
pg_cleanup() {
	local i
	[ -n "$PGPID" ] || PGPID=$(head -1 "$PGT/data/postmaster.pid" 2>/dev/null || true)
	if [ -n "$PGPID" ] && kill -0 "$PGPID" 2>/dev/null; then
		kill -INT "$PGPID" 2>/dev/null || true
		for i in $(seq 300); do
			kill -0 "$PGPID" 2>/dev/null || break
			sleep 0.1
		done
		kill -KILL "$PGPID" 2>/dev/null || true
	fi
	rm -rf "$PGT"
	server_cleanup
}
trap pg_cleanup EXIT
[ ${#AS[@]} = 0 ] || chown postgres: "$PGT"
chmod 700 "$PGT"
"${AS[@]}" "$PGBIN/initdb" -D "$PGT/data" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 \
	>"$PGT/initdb.log" 2>&1 || { cat "$PGT/initdb.log"; fail "initdb"; }
started=
for attempt in 1 2 3 4 5; do
	PORT=$((20000 + RANDOM % 40000))
	(exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null && continue
	if "${AS[@]}" "$PGBIN/pg_ctl" -D "$PGT/data" -l "$PGT/server.log" -w -t 60 \
		-o "-h 127.0.0.1 -p $PORT -k $PGT -c fsync=off -c synchronous_commit=off" \
		start >/dev/null 2>&1; then
		started=1
		break
	fi
done
[ -f "$PGT/data/postmaster.pid" ] && PGPID=$(head -1 "$PGT/data/postmaster.pid")
[ -n "$started" ] || { cat "$PGT/server.log"; fail "PostgreSQL did not start"; }
"$PGBIN/createdb" -h 127.0.0.1 -p "$PORT" -U postgres swc || fail "createdb"
export SITEWARDEN_DB="postgresql://postgres@127.0.0.1:$PORT/swc"
export SITEWARDEN_NOW=2026-01-20
PSQL=("$PGBIN/psql" -h 127.0.0.1 -p "$PORT" -U postgres -d swc -At -c)
q() { "${PSQL[@]}" "$1"; }

"$GEN" --rows 400 --seed 11 -o reg.csv
run 0 "$SW" import reg.csv
PROV=$(q "SELECT substr(u.region,1,2) || '0000' FROM sites s JOIN units u ON u.id = s.unit_id
	GROUP BY 1 ORDER BY COUNT(*) DESC, 1 LIMIT 1")
UNIT=$(q "SELECT unit_id FROM sites GROUP BY unit_id ORDER BY COUNT(*) DESC, unit_id LIMIT 1")
IN_PROV="SELECT s.id FROM sites s JOIN units u ON u.id = s.unit_id WHERE u.region >= '$PROV'
	AND u.region < '$((${PROV:0:2} + 1))0000'"
OP_SITE=$(q "SELECT MIN(id) FROM sites WHERE unit_id = $UNIT AND status <> 'closed'")
PROV_SITE=$(q "SELECT MIN(id) FROM sites WHERE id IN ($IN_PROV) AND status <> 'closed'")
FAR_SITE=$(q "SELECT MIN(id) FROM sites WHERE id NOT IN ($IN_PROV) AND unit_id <> $UNIT")
printf 'admin-pass-1\n' | run 0 "$SW" user add --name admin --role admin
printf 'sup-pass-123\n' | run 0 "$SW" user add --name sup --role supervisor --region "$PROV"
printf 'op-pass-1234\n' | run 0 "$SW" user add --name op --role operator --unit "$UNIT"

start_serve --no-probe
login admin admin-pass-1 "$W/admin.jar"; A=$CSRF
login sup sup-pass-123 "$W/sup.jar"; S=$CSRF
login op op-pass-1234 "$W/op.jar"; O=$CSRF
as() {
	local tok
	case $1 in admin) tok=$A ;; sup) tok=$S ;; op) tok=$O ;; esac
	req "$W/$1.jar" "$2" "$3" "${4-}" -H "X-CSRF-Token: $tok"
}

# Campaigns: the admin's over every site, the supervisor's pruned to its own.
as admin POST /api/reviews '{"name":"全部","deadline":"2026-03-01"}'
want 201 "admin's campaign"
C1=$(jq .id "$W/body")
eq "$(jq .sites "$W/body")" "$(q "SELECT COUNT(*) FROM sites WHERE status <> 'closed'")" "every live site"
as sup POST /api/reviews '{"name":"省","deadline":"2026-03-01"}'
want 201 "supervisor's campaign"
C2=$(jq .id "$W/body")
eq "$(q "SELECT COUNT(*) FROM review_items WHERE campaign_id = $C2 AND site_id NOT IN ($IN_PROV)")" 0 \
	"pruned to the supervisor's sites"
eq "$(jq .sites "$W/body")" "$(q "SELECT COUNT(*) FROM review_items WHERE campaign_id = $C2")" "count kept"
as sup GET /api/reviews
want 200 "supervisor's campaigns"
eq "$(jq .total "$W/body")" 2 "the supervisor sees both campaigns"
for c in $C1 $C2; do
	eq "$(jq ".items[] | select(.id == $c) | .sites" "$W/body")" \
		"$(q "SELECT COUNT(*) FROM review_items WHERE campaign_id = $c AND site_id IN ($IN_PROV)")" \
		"supervisor's count of campaign $c"
done
as sup GET "/api/reviews/$C1?pending=1&limit=1000"
want 200 "supervisor's items"
eq "$(jq '.items.total' "$W/body")" "$(q "SELECT COUNT(*) FROM review_items WHERE campaign_id = $C1 AND site_id IN ($IN_PROV)")" \
	"supervisor's pending items"
as sup POST "/api/reviews/$C1/decisions" "{\"site\":$FAR_SITE,\"decision\":\"approved\"}"
want 403 "deciding another's site"
as admin POST "/api/reviews/$C1/decisions" "{\"site\":$OP_SITE,\"decision\":\"rejected\"}"
want 200 "rejection"
as op GET "/api/review-tasks?open=1"
want 200 "operator's tasks"
eq "$(jq .total "$W/body")" 2 "the rejection's tasks"
as sup GET "/api/review-tasks"
want 200 "supervisor's tasks"
eq "$(jq .total "$W/body")" "$(q "SELECT COUNT(*) FROM review_tasks WHERE site_id IN ($IN_PROV)")" "supervisor's tasks"
as op POST "/api/review-tasks/$(q "SELECT MIN(id) FROM review_tasks")/done" '{}'
want 200 "operator closes a task"

# Rectification: scoped lists and counts.
as op POST /api/rectifications "{\"site\":$OP_SITE,\"source\":\"inspection\",\"title\":\"弱口令\"}"
want 201 "operator's item"
R1=$(jq .id "$W/body")
as sup POST /api/rectifications "{\"site\":$PROV_SITE,\"source\":\"assessment\",\"title\":\"未加密\",\"severity\":\"critical\"}"
want 201 "supervisor's item"
as sup POST /api/rectifications "{\"site\":$FAR_SITE,\"source\":\"assessment\",\"title\":\"x\"}"
want 403 "supervisor's item outside its region"
as op GET /api/rectifications
want 200 "operator's items"
eq "$(jq -c '[.items[].id]' "$W/body"),$(jq .total "$W/body")" "[$R1],1" "the operator's items only"
as sup GET "/api/rectifications?status=open"
want 200 "supervisor's items"
eq "$(jq .total "$W/body")" "$(q "SELECT COUNT(*) FROM rectifications WHERE site_id IN ($IN_PROV) AND status = 'open'")" \
	"supervisor's open items"
as sup GET "/api/rectifications/$R1"
[ "$(q "SELECT COUNT(*) FROM sites WHERE id = $OP_SITE AND id IN ($IN_PROV)")" = 1 ] && want 200 "in scope" ||
	want 404 "the operator's item outside the supervisor's region"
as op PATCH "/api/rectifications/$R1" '{"status":"fixed","evidence":"已改"}'
want 200 "operator fixes"
as admin PATCH "/api/rectifications/$R1" '{"status":"verified"}'
want 200 "admin verifies"

# Statistics equal to the CLI's for the same scope.
as sup GET /api/stats
want 200 "supervisor's stats"
run 0 "$SW" stats --json --region "$PROV"
eq "$(jq -S 'del(.scope)' "$W/body")" "$(jq -S 'del(.scope)' "$W/out")" "supervisor's stats on PostgreSQL"
as op GET /api/stats
want 200 "operator's stats"
eq "$(jq .sites.total "$W/body")" "$(q "SELECT COUNT(*) FROM sites WHERE unit_id = $UNIT")" "operator's sites"

# A report download.
CODE=$(curl -s -b "$W/sup.jar" -o "$W/b.csv" -w '%{http_code}' --max-time 60 \
	"$BASE/api/reports/progress?period=2026-01&format=csv")
want 200 "progress CSV on PostgreSQL"
eq "$(head -c 3 "$W/b.csv" | od -An -tx1 | tr -d ' ')" efbbbf "CSV BOM"

stop_serve
echo "api_compliance_pg: ok"
