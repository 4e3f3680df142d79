#!/usr/bin/env bash
# probe_vantage.sh - vantage points (docs/deploy.md) on SQLite: a site
# whose policy asks for vantage=net=unicom is checked also by a node with
# that label; when the site's own check sees other addresses and another
# page than the vantage point saw, it gets dns.vantage_differs and
# defacement.vantage_differs; when both see the same, neither.  The two
# "networks" are two loopback addresses: nginx serves one page on
# 127.0.0.1 and another on 127.0.0.2, and --resolve points each node at
# one of them.
source "$SW_SRC/tests/integration/lib.bash"

command -v nginx >/dev/null || fail "nginx is not installed (scripts/setup installs it)"
command -v sqlite3 >/dev/null || fail "sqlite3 is not installed (scripts/setup installs it)"
NG="$W/nginx"
NGINX_PID=
cleanup() {
	if [ -n "$NGINX_PID" ]; then
		kill "$NGINX_PID" 2>/dev/null || true
		wait "$NGINX_PID" 2>/dev/null || true
	fi
	rm -rf "$W"
}
trap cleanup EXIT

write_conf() {
	PORT=$(free_port)
	NGINX_WAIT_PORT=$PORT
	{
		nginx_head
		cat <<-EOF
			server {
				listen 127.0.0.1:$PORT;
				location = / { return 200 "<html><head><title>县政府</title></head><body>首页</body></html>"; }
			}
			server {
				listen 127.0.0.2:$PORT;
				location = / { return 200 "<html><head><title>Hacked</title></head><body>hacked</body></html>"; }
			}
		}
		EOF
	} >"$NG/nginx.conf"
}
nginx_start write_conf || fail "nginx did not start"

DB="$W/v.db"
run 0 "$SW" --db "$DB" unit add --name 某县政府 --type party_gov --region 110101
run 0 "$SW" --db "$DB" site add --name v --url "http://v.test:$PORT/" --unit 某县政府 --status online
run 0 "$SW" --db "$DB" site add --name w --url "http://w.test:$PORT/" --unit 某县政府 --status online
run 0 "$SW" --db "$DB" policy set --site v vantage=net=unicom
run 1 "$SW" --db "$DB" policy set --site v "vantage=net=uni com!"
kinds() { # kinds SITE: the finding kinds of the site's last check, sorted
	sqlite3 "$DB" "SELECT f.kind FROM check_findings f JOIN site_state t ON t.last_check_id =
		f.check_id JOIN sites s ON s.id = t.site_id WHERE s.name = '$1' ORDER BY f.kind" | paste -sd' '
}

# Node u (net=unicom) sees the 127.0.0.2 page: its own check of both
# sites, then the vantage check of v (a row appears with the first check).
run 0 "$SW" --db "$DB" probe --once --no-content --node u --label net=unicom \
	--resolve "v.test:$PORT:127.0.0.2" --resolve "w.test:$PORT:127.0.0.2"
eq "$(grep -c '^site ' out)" 2 "checks by the labelled node (vantage checks print nothing)"
eq "$(sqlite3 "$DB" "SELECT vantage || ' ' || node || ' ' || ips FROM vantage_schedule")" \
	"net=unicom u 127.0.0.2" "v's vantage row after the labelled node"
eq "$(sqlite3 "$DB" "SELECT COUNT(*) FROM vantage_schedule WHERE body_hash IS NOT NULL AND lease_node IS NULL")" 1 \
	"the vantage row keeps the page's hash and no lease"

# Node p (no label) sees the 127.0.0.1 page: v's check differs from the
# vantage point in both respects; w asked for no vantage point.
run 0 "$SW" --db "$DB" probe --now v --once --no-content --node p --resolve "v.test:$PORT:127.0.0.1"
run 0 "$SW" --db "$DB" probe --now w --once --no-content --node p --resolve "w.test:$PORT:127.0.0.1"
case " $(kinds v) " in
*" defacement.vantage_differs "*" dns.vantage_differs "*) ;;
*) fail "v's findings lack the vantage differences: $(kinds v)" ;;
esac
case " $(kinds w) " in
*vantage*) fail "w has a vantage finding: $(kinds w)" ;;
esac
ev=$(sqlite3 "$DB" "SELECT evidence FROM check_findings WHERE kind = 'dns.vantage_differs' ORDER BY id DESC LIMIT 1")
eq "$(jq -r '.by_vantage["net=unicom"] + " " + .by_vantage.self' <<<"$ev")" "127.0.0.2 127.0.0.1" \
	"each vantage point's addresses in the evidence"
eq "$(sqlite3 "$DB" "SELECT COUNT(*) FROM vantage_schedule WHERE site_id = (SELECT id FROM sites WHERE name = 'w')")" 0 \
	"vantage rows of a site that asks for none"

# Seen alike from both: no vantage finding.
run 0 "$SW" --db "$DB" probe --now v --once --no-content --node p --resolve "v.test:$PORT:127.0.0.2"
case " $(kinds v) " in
*vantage*) fail "v has a vantage finding though both saw the same: $(kinds v)" ;;
esac

# The nodes and their shares; the policy key removed drops the row.
run 0 "$SW" --db "$DB" node list --json
eq "$(jq -r 'map(.name + "=" + (.checks_hour | tostring) + ":" + .labels) | join(" ")' out)" \
	"p=3: u=2:net=unicom" "nodes, their checks and labels"
run 0 "$SW" --db "$DB" policy unset --site v vantage
run 0 "$SW" --db "$DB" probe --now v --once --no-content --node p --resolve "v.test:$PORT:127.0.0.2"
eq "$(sqlite3 "$DB" "SELECT COUNT(*) FROM vantage_schedule")" 0 "vantage rows after the key went"
