# The store on a real PostgreSQL: a throw-away cluster made here with
# Debian's server binaries, listening on 127.0.0.1 only.  Runs the store
# unit tests against it, the register CLI end to end (import, list,
# export, a rejected import), and `sitewarden migrate` from SQLite, whose
# copy must list exactly as the original.
source "$(dirname "$0")/lib.bash"

PGBIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
[ -x "$PGBIN/initdb" ] || fail "no PostgreSQL server binaries in /usr/lib/postgresql/*/bin (package postgresql)"

# initdb refuses to run as root (CI does): then the cluster belongs to the
# postgres user the Debian package creates.
AS=()
if [ "$(id -u)" = 0 ]; then
	id postgres >/dev/null 2>&1 || fail "running as root and there is no 'postgres' user"
	AS=(runuser -u postgres --)
fi

PGT= PGPID=

# Stops the server by the PID it recorded (fast shutdown, then SIGKILL
# after 30 s) and removes everything, however the script ends.
cleanup() {
	local i
	# Killed before the PID was read: the server's own record has it.
	[ -n "$PGPID" ] || [ -z "$PGT" ] ||
		PGPID=$(head -1 "$PGT/data/postmaster.pid" 2>/dev/null || true)
	if [ -n "$PGPID" ] && kill -0 "$PGPID" 2>/dev/null; then
		kill -INT "$PGPID" 2>/dev/null || true
		for i in $(seq 300); do
			kill -0 "$PGPID" 2>/dev/null || break
			sleep 0.1
		done
		kill -KILL "$PGPID" 2>/dev/null || true
	fi
	rm -rf "$PGT" "$W"
}
trap cleanup EXIT
trap 'exit 129' HUP INT TERM # run cleanup on these too

# The cluster's directory: beside $W (which only we may enter), reachable
# by its owner and short enough for a unix socket path (108 bytes); else
# it goes to /tmp.
PGT=$(mktemp -d "${TMPDIR:-/tmp}/sw-pg-XXXXXX")
if [ "${#PGT}" -ge 80 ] || ! { [ ${#AS[@]} = 0 ] || chown postgres: "$PGT"; } ||
	! "${AS[@]}" test -w "$PGT"; then
	rmdir "$PGT"
	PGT=$(mktemp -d /tmp/sw-pg-XXXXXX)
	[ ${#AS[@]} = 0 ] || chown postgres: "$PGT"
fi
chmod 700 "$PGT"

"${AS[@]}" "$PGBIN/initdb" -D "$PGT/data" -U postgres --auth=trust -E UTF8 \
	--locale=C.UTF-8 >"$PGT/initdb.log" 2>&1 || { cat "$PGT/initdb.log"; fail "initdb"; }

# A free port: try a few random ones, as another test may take one between
# our look and the server's bind.
started=
for attempt in 1 2 3 4 5; do
	PORT=$((20000 + RANDOM % 40000))
	(exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null && continue
	if "${AS[@]}" "$PGBIN/pg_ctl" -D "$PGT/data" -l "$PGT/server.log" -w -t 60 \
		-o "-h 127.0.0.1 -p $PORT -k $PGT -c fsync=off -c synchronous_commit=off \
		    -c full_page_writes=off" start >/dev/null 2>&1; then
		started=1
		break
	fi
done
[ -f "$PGT/data/postmaster.pid" ] && PGPID=$(head -1 "$PGT/data/postmaster.pid")
[ -n "$started" ] || { cat "$PGT/server.log"; fail "PostgreSQL did not start"; }

PG="postgresql://postgres@127.0.0.1:$PORT"
for db in swtest swcli swmig swrace; do
	"$PGBIN/createdb" -h 127.0.0.1 -p "$PORT" -U postgres "$db" || fail "createdb $db"
done

# The unit tests of the store and of everything that stores (register
# rules, import, export, the API's handlers), every test on a fresh schema
# of swtest.
for t in "$SW_BIN"/unit_store_test_* "$SW_BIN"/unit_register_test_* \
	"$SW_BIN"/unit_server_test_api_*; do
	[ -x "$t" ] || continue
	SW_TEST_STORE_URL="$PG/swtest" "$t" || fail "$(basename "$t") on PostgreSQL"
done

# The register CLI on PostgreSQL: a rejected import that writes nothing,
# an import, what lists and exports, and the rejected file again on top.
"$GEN" --rows 2000 --seed 3 -o good.csv
"$GEN" --rows 2000 --seed 3 --bad-row 1500 --bad-column credit_code -o bad.csv
run 1 "$SW" --db "$PG/swcli" import bad.csv
has err "row 1500"
has err "nothing was imported"
eq "$(grep -c '^row ' err)" 1 "problems reported for one bad row"
eq "$(count "$PG/swcli")" 0 "sites on PostgreSQL after the rejected import"
run 0 "$SW" --db "$PG/swcli" import good.csv
has out "imported 2000 sites row(s)"
eq "$(count "$PG/swcli")" 2000 "sites on PostgreSQL after the import"
run 0 "$SW" --db "$PG/swcli" export -o pg.csv
run 1 "$SW" --db "$PG/swcli" import bad.csv
eq "$(count "$PG/swcli")" 2000 "sites on PostgreSQL after a rejected second import"
# (Ids are not 1..2000 here: a PostgreSQL sequence does not give back the
# values a rolled-back import took.)
first=$("$SW" --db "$PG/swcli" site list --limit 1 --json | jq '.[0].id')
SITEWARDEN_DB="$PG/swcli" run 0 "$SW" site show "$first" --json
eq "$(jq -r .id out)" "$first" "a site through SITEWARDEN_DB"

# The same file into SQLite exports the same CSV, byte for byte.
run 0 "$SW" --db lite.db import good.csv
run 0 "$SW" --db lite.db export -o lite.csv
cmp -s lite.csv pg.csv || fail "exports of SQLite and PostgreSQL differ"

# Search is case-insensitive for ASCII on both backends, as SQLite's LIKE.
for q in EDU.CN edu.cn 政府; do
	a=$("$SW" --db lite.db site list --search "$q" --json | jq length)
	b=$("$SW" --db "$PG/swcli" site list --search "$q" --json | jq length)
	eq "$b" "$a" "sites found by '$q' on PostgreSQL"
done

# Several processes opening a new database at once: one migrates, the
# others wait for it (an advisory lock) and find the schema done.
pids=()
for i in 1 2 3 4; do
	"$SW" --db "$PG/swrace" region list --json >"race$i.json" 2>"race$i.err" & pids+=($!)
done
for i in 1 2 3 4; do
	wait "${pids[$((i - 1))]}" || { cat "race$i.err"; fail "concurrent first open $i"; }
	eq "$(jq length "race$i.json")" 34 "provinces seen by concurrent open $i"
done

# Moving up: SQLite -> PostgreSQL keeps every row, id and timestamp.  A
# department whose parent has a larger id needs references checked at
# commit; a site and the global scope get policies.
run 0 "$SW" --db lite.db dept add --name 子部门 --region 110000
run 0 "$SW" --db lite.db dept add --name 上级部门 --region 110000
run 0 "$SW" --db lite.db dept edit 子部门 --parent 上级部门
run 0 "$SW" --db lite.db policy set --site 7 interval=900
run 0 "$SW" --db lite.db policy set interval=600
run 0 "$SW" migrate --from lite.db --to "$PG/swmig"
has out "copied the register and its history from sqlite to postgresql"
grep -q MISMATCH out && fail "migrate reported a count mismatch"
eq "$(awk '$1 == "sites" {print $3}' out)" 2000 "sites counted in the target"
for kind in site unit person dept group region; do
	"$SW" --db lite.db "$kind" list --json >a.json
	"$SW" --db "$PG/swmig" "$kind" list --json >b.json
	cmp -s a.json b.json || fail "$kind list differs after migrate"
done
run 0 "$SW" --db "$PG/swmig" policy show --site 7 --json
eq "$(jq -r .interval.value out)" 900 "site policy after migrate"
# New rows get ids after the copied ones; a second copy is refused.
"$SW" --db lite.db unit list --json >a.json
run 0 "$SW" --db "$PG/swmig" unit add --name 新单位 --type other --region 110000 --json
eq "$(jq -r .id out)" "$(($(jq 'map(.id) | max' a.json) + 1))" "id of a unit added after migrate"
run 1 "$SW" migrate --from lite.db --to "$PG/swmig"
has err "not empty"
# And back down: PostgreSQL -> a new SQLite file lists the same.
run 0 "$SW" migrate --from "$PG/swmig" --to back.db
has out "copied the register and its history from postgresql to sqlite"
"$SW" --db back.db site list --json >a.json
"$SW" --db "$PG/swmig" site list --json >b.json
cmp -s a.json b.json || fail "site list differs after migrating back to SQLite"
echo "pg_store: all checks passed on PostgreSQL $("$PGBIN/postgres" --version | awk '{print $3}')"
