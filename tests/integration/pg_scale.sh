# pg_scale.sh - scale-out on one PostgreSQL (a throw-away cluster on
# 127.0.0.1, as pg_store.sh makes it): an nginx farm of 3,000 sites on
# loopback (distinct Host names, small pages), a register with history
# moved up from SQLite by `migrate` (every table's counts and the evidence
# chain checked), then three `sitewarden probe --node pN` processes and one
# `serve --no-probe` on the shared store for about three intervals of 30 s.
# Node p2 is SIGKILLed while it holds leases (in the middle of a sweep).
# Afterwards SQL over the checks shows that every site was checked in every
# interval (a gap longer than interval + jitter + slack only for the sites
# p2 held, and never longer than that plus the lease), that no site was
# checked twice in one interval, that each node did its share, and serve's
# /api/overview counts the shared store's sites and checks.
source "$SW_SRC/tests/integration/lib.bash"
source "$SW_SRC/tests/integration/server_lib.bash"

command -v nginx >/dev/null || fail "nginx is not installed (scripts/setup installs it)"
PGBIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
[ -x "$PGBIN/initdb" ] || fail "no PostgreSQL server binaries in /usr/lib/postgresql/*/bin (package postgresql)"
AS=()
if [ "$(id -u)" = 0 ]; then
	id postgres >/dev/null 2>&1 || fail "running as root and there is no 'postgres' user"
	AS=(runuser -u postgres --)
fi

SITES=3000
INTERVAL=30       # the policy's minimum
TIMEOUT=5         # lease: 2 x 5 + 10 = 20 s
LEASE=20
JITTER=$((INTERVAL / 10))
SLACK=10          # a round's sleep (--max-sleep 2), fetch time and batching
RUN_FOR=100       # seconds the probes run: three intervals and a bit

NG="$W/nginx"
PGT=$(mktemp -d /tmp/sw-pgs-XXXXXX)
PGPID= NGINX_PID=
PIDS=()
cleanup() {
	local i p
	for p in "${PIDS[@]}"; do
		kill -TERM "$p" 2>/dev/null || true
	done
	for p in "${PIDS[@]}"; do
		wait "$p" 2>/dev/null || true
	done
	if [ -n "$NGINX_PID" ]; then
		kill "$NGINX_PID" 2>/dev/null || true
		wait "$NGINX_PID" 2>/dev/null || true
	fi
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
trap cleanup EXIT
trap 'exit 129' HUP INT TERM

# --- PostgreSQL -----------------------------------------------------------
[ ${#AS[@]} = 0 ] || chown postgres: "$PGT"
chmod 700 "$PGT"
"${AS[@]}" "$PGBIN/initdb" -D "$PGT/data" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 \
	>"$PGT/initdb.log" 2>&1 || { cat "$PGT/initdb.log"; fail "initdb"; }
started=
for attempt in 1 2 3 4 5; do
	PORT=$((20000 + RANDOM % 12000))
	(exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null && continue
	if "${AS[@]}" "$PGBIN/pg_ctl" -D "$PGT/data" -l "$PGT/server.log" -w -t 60 \
		-o "-h 127.0.0.1 -p $PORT -k $PGT -c fsync=off -c synchronous_commit=off \
		    -c full_page_writes=off -c max_connections=50" start >/dev/null 2>&1; then
		started=1
		break
	fi
done
[ -f "$PGT/data/postmaster.pid" ] && PGPID=$(head -1 "$PGT/data/postmaster.pid")
[ -n "$started" ] || { cat "$PGT/server.log"; fail "PostgreSQL did not start"; }
"$PGBIN/createdb" -h 127.0.0.1 -p "$PORT" -U postgres swscale || fail "createdb"
PG="postgresql://postgres@127.0.0.1:$PORT/swscale"
sql() {
	"$PGBIN/psql" -X -q -A -t -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$PORT" -U postgres swscale -c "$1"
}

# --- the farm -------------------------------------------------------------
# siteNNNNN.scale.test answers a small page naming itself; any other name
# gets 404 (the two broken sites below).
write_conf() {
	HTTP=$(free_port)
	NGINX_WAIT_PORT=$HTTP
	{
		nginx_head
		cat <<-EOF
			server {
				listen 127.0.0.1:$HTTP default_server;
				return 404;
			}
			server {
				listen 127.0.0.1:$HTTP;
				server_name ~^site[0-9]+\.scale\.test\$;
				location = / {
					return 200 "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>\$host</title></head><body><p>\$host 门户网站</p></body></html>";
				}
			}
		}
		EOF
	} >"$NG/nginx.conf"
}
nginx_start write_conf || fail "nginx did not start"
RESOLVE="*:$HTTP:127.0.0.1"

# --- a register with history, moved up from SQLite ------------------------
export SITEWARDEN_KEY_DIR="$W/keys"
{
	echo "name,url,unit,unit_type,region,status"
	for i in $(seq 1 "$SITES"); do
		printf 'site%05d,http://site%05d.scale.test:%s/,单位%d,事业单位,110101,运行\n' "$i" "$i" "$HTTP" $((i % 50))
	done
	printf 'broken1,http://broken1.scale.test:%s/,单位1,事业单位,110101,运行\n' "$HTTP"
	printf 'broken2,http://broken2.scale.test:%s/,单位2,事业单位,110101,运行\n' "$HTTP"
} >sites.csv
TOTAL=$((SITES + 2))
run 0 "$SW" --db lite.db import sites.csv
run 0 "$SW" --db lite.db policy set interval=$INTERVAL timeout=$TIMEOUT
# The broken sites go down at once: an alert, whose evidence is frozen.
for b in broken1 broken2; do
	run 0 "$SW" --db lite.db policy set --site "$b" fail_threshold=1
done
printf 'admin-pass-1\n' | run 0 "$SW" --db lite.db user add --name admin --role admin
run 0 "$SW" --db lite.db probe --once --no-content --node seed --resolve "$RESOLVE"
eq "$(grep -c '^site .*: up' out)" "$SITES" "sites up in the seeding sweep"
has out "evidence of check"

run 0 "$SW" migrate --from lite.db --to "$PG"
has out "copied the register and its history from sqlite to postgresql"
grep -q MISMATCH out && fail "migrate reported a count mismatch"
for t in sites checks site_state site_schedule site_daily alerts evidence_ledger users; do
	n=$(awk -v t="$t" '$1 == t { print $2 }' out)
	[ -n "$n" ] && [ "$n" -gt 0 ] || fail "migrate copied no $t"
	eq "$(awk -v t="$t" '$1 == t { print $3 }' out)" "$n" "$t counted in the target"
	eq "$(sql "SELECT COUNT(*) FROM $t")" "$n" "$t rows on PostgreSQL"
done
run 0 "$SW" --db "$PG" evidence ledger verify
has out "ledger verifies"

# --- the scale-out run ----------------------------------------------------
export SITEWARDEN_DB="$PG"
start_serve --no-probe
T0=$(date +%s)
for n in p1 p2 p3; do
	"$SW" --db "$PG" probe --node "$n" --no-content --max-sleep 2 --resolve "$RESOLVE" \
		>"$n.out" 2>"$n.err" &
	PIDS+=($!)
done
P2=${PIDS[1]}

# Kill p2 in the middle of a sweep: once the first interval has passed,
# at a moment it holds leases.  Bounded: give up after 60 s.
while [ $(($(date +%s) - T0)) -lt 35 ]; do sleep 1; done
held=0
for i in $(seq 1 300); do
	held=$(sql "SELECT COUNT(*) FROM site_schedule WHERE lease_node = 'p2'")
	[ "$held" -gt 0 ] && break
	sleep 0.2
done
[ "$held" -gt 0 ] || fail "p2 never held a lease between sweeps"
kill -KILL "$P2"
wait "$P2" 2>/dev/null || true
TK=$(date +%s)
sql "SELECT site_id FROM site_schedule WHERE lease_node = 'p2' ORDER BY site_id" >held.txt
NHELD=$(wc -l <held.txt)
[ "$NHELD" -gt 0 ] || fail "no site leased to p2 when it was killed"
echo "pg_scale: p2 killed $((TK - T0)) s in, holding $NHELD site(s)"

while [ $(($(date +%s) - T0)) -lt "$RUN_FOR" ]; do
	kill -0 "${PIDS[0]}" 2>/dev/null || { cat p1.err; fail "p1 died"; }
	kill -0 "${PIDS[2]}" 2>/dev/null || { cat p3.err; fail "p3 died"; }
	sleep 1
done

# serve answers from the shared store while the probes run: its count of
# today's checks (the first overview of this scope, so computed now, not
# cached) lies between the store's counts just before and just after it.
login admin admin-pass-1 "$W/admin.jar"
today() { sql "SELECT COALESCE(SUM(checks), 0) FROM site_daily WHERE day = $(($(date -u +%s) / 86400))"; }
BEFORE=$(today)
req "$W/admin.jar" GET /api/overview
want 200 overview
AFTER=$(today)
eq "$(jq .sites.total "$W/body")" "$TOTAL" "sites in serve's overview"
jq -e --argjson lo "$BEFORE" --argjson hi "$AFTER" '.trend[29].checks >= $lo and .trend[29].checks <= $hi' \
	"$W/body" >/dev/null ||
	{ jq .trend[29] "$W/body"; fail "overview's checks today outside the store's $BEFORE..$AFTER"; }

TEND=$(date +%s)
for p in "${PIDS[0]}" "${PIDS[2]}"; do
	kill -TERM "$p"
done
for p in "${PIDS[0]}" "${PIDS[2]}"; do
	st=0
	wait "$p" || st=$?
	eq "$st" 0 "a probe's exit status after SIGTERM"
done
PIDS=()
eq "$(sql "SELECT COUNT(*) FROM site_schedule WHERE lease_node IN ('p1', 'p3')")" 0 \
	"leases left by the nodes that stopped cleanly"

# --- what the checks show -------------------------------------------------
sql "CREATE TABLE held (site_id BIGINT PRIMARY KEY)"
sql "INSERT INTO held SELECT unnest('{$(paste -sd, held.txt)}'::bigint[])"
# Every check with the time of the site's previous one.
sql "CREATE VIEW gaps AS SELECT site_id, node, checked_at, prev, checked_at - prev AS gap
	FROM (SELECT site_id, node, checked_at, LAG(checked_at) OVER (PARTITION BY site_id
	ORDER BY checked_at, id) AS prev FROM checks) x"
RUN="checked_at >= $T0 AND node IN ('p1', 'p2', 'p3')"
# The run's first check of every site comes soon (the seeding sweep made
# them due within an interval; a slow migrate may have made them overdue).
late=$(sql "SELECT COUNT(*) FROM (SELECT site_id, MIN(checked_at) AS first FROM checks
	WHERE $RUN GROUP BY site_id) x WHERE first > $T0 + $((INTERVAL + JITTER + 10))")
eq "$late" 0 "sites whose first check of the run came late"
RUN="$RUN AND prev >= $T0"
eq "$(sql "SELECT COUNT(DISTINCT site_id) FROM checks WHERE checked_at >= $T0")" "$TOTAL" "sites checked in the run"
NCHK=$(sql "SELECT COUNT(*) FROM checks WHERE checked_at >= $T0")
# (A sanity bound; the gaps below are the real measure.)
[ "$NCHK" -ge $((TOTAL * 2)) ] || fail "only $NCHK checks in $RUN_FOR s of $TOTAL sites every $INTERVAL s"
# Every interval: a site's checks follow each other within interval +
# jitter + slack; those p2 held may wait for its lease to lapse as well.
MAXGAP=$((INTERVAL + JITTER + SLACK))
bad=$(sql "SELECT COUNT(*) FROM gaps WHERE $RUN AND gap > $MAXGAP AND site_id NOT IN (SELECT site_id FROM held)")
eq "$bad" 0 "checks later than $MAXGAP s after the previous one (sites p2 did not hold)"
bad=$(sql "SELECT COUNT(*) FROM gaps WHERE $RUN AND gap > $((MAXGAP + LEASE))")
eq "$bad" 0 "checks later than $((MAXGAP + LEASE)) s after the previous one"
# ... and to the end: nobody's last check is older than that.
late=$(sql "SELECT COUNT(*) FROM (SELECT site_id, MAX(checked_at) AS last FROM checks
	GROUP BY site_id) x WHERE last < $TEND - $((MAXGAP + LEASE))")
eq "$late" 0 "sites not checked in the last $((MAXGAP + LEASE)) s"
# Never twice in one interval: the next due time is at least interval -
# jitter after a check (one second for the clock's rounding).
MINGAP=$((INTERVAL - JITTER - 1))
dup=$(sql "SELECT COUNT(*) FROM gaps WHERE $RUN AND gap < $MINGAP AND site_id NOT IN (SELECT site_id FROM held)")
eq "$dup" 0 "sites checked twice within $MINGAP s"
dup_held=$(sql "SELECT COUNT(*) FROM gaps WHERE $RUN AND gap < $MINGAP")
echo "pg_scale: $NCHK checks; sites checked twice in one interval: $dup_held (all among the $NHELD p2 held)"
# The killed node's sites were taken over by the others after it died.
taken=$(sql "SELECT COUNT(DISTINCT c.site_id) FROM checks c JOIN held h ON h.site_id = c.site_id
	WHERE c.checked_at >= $TK AND c.node IN ('p1', 'p3')")
eq "$taken" "$NHELD" "sites p2 held checked by p1 or p3 after its death"
eq "$(sql "SELECT COUNT(*) FROM checks WHERE node = 'p2' AND checked_at > $TK")" 0 "checks by p2 after its death"

# Each node's share, and p2 seen dead.
run 0 "$SW" --db "$PG" node list --json
for n in p1 p2 p3; do
	c=$(jq --arg n "$n" '.[] | select(.name == $n) | .checks_hour' out)
	[ -n "$c" ] && [ "$c" -gt 0 ] || fail "node $n has no share"
done
sleep_until=$((TK + 61))
while [ "$(date +%s)" -lt "$sleep_until" ]; do sleep 1; done
run 0 "$SW" --db "$PG" node list --json
eq "$(jq -r '.[] | select(.name == "p2") | .alive' out)" false "p2 alive after its death"
eq "$(jq -r '.[] | select(.name == "p1") | .alive' out)" true "p1 alive"
echo "pg_scale: $TOTAL sites, 3 probes, shares $(jq -r '[.[] | select(.name | startswith("p")) | "\(.name)=\(.checks_hour)"] | join(" ")' out)"
stop_serve
