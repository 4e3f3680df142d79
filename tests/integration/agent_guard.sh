#!/usr/bin/env bash
# agent_guard.sh - the anti-tamper guard against real attacks on a root that
# nginx serves on 127.0.0.1: overwrite, append, truncate, delete,
# rename-over, a new webshell, chmod, chown, symlink swaps, a directory
# deleted and recreated, 1,000 files changed at once, changes made while the
# agent is stopped, and an event server that is refusing and then down.
# After each attack every file must be byte-identical to its baseline (with
# its mode and owner), nginx must serve the original, quarantine must hold
# the attacker's bytes, and in the end every event must have reached the
# server exactly once.  AGENT_WATCHER=inotify runs the same attacks with
# the inotify fallback (agent_inotify.sh).
source "$SW_SRC/tests/integration/lib.bash"
source "$SW_SRC/tests/integration/agent_lib.bash"
WATCHER=${AGENT_WATCHER:-fanotify}

make_site 1000
start_nginx
start_sink
run 0 "$AGENT" init "${AARGS[@]}" --no-progress
has "$W/out" "$(find "$WWW" -type f | wc -l) files"
start_agent --watcher "$WATCHER"
grep -q "with $WATCHER" "$W/agent.log" || fail "agent did not use $WATCHER"
eq "$(served index.html)" "$(cat "$W/pristine/index.html")" "served before any attack"

# --- content --------------------------------------------------------------
printf 'DEFACED-overwrite\n' >"$WWW/index.html"
wait_clean overwrite
quarantined DEFACED-overwrite overwrite
eq "$(served index.html)" "$(cat "$W/pristine/index.html")" "served after overwrite"

printf 'APPENDED-evil\n' >>"$WWW/news/2024/n1.html"
wait_clean append
quarantined APPENDED-evil append

: >"$WWW/news/2024/n2.html"
truncate -s 3 "$WWW/news/2024/n3.html"
wait_clean truncate

rm "$WWW/news/2024/n4.html"
wait_clean delete

printf 'RENAMED-over\n' >"$W/evil.html"
mv "$W/evil.html" "$WWW/news/2024/n5.html"
wait_clean rename-over-from-outside
quarantined RENAMED-over rename-over
mv "$WWW/news/2024/n6.html" "$WWW/news/2024/n7.html"
wait_clean rename-over-inside

printf '<?php @eval($_POST["cmd"]); ?>WEBSHELL-dropped\n' >"$WWW/news/shell.php"
wait_clean webshell
quarantined WEBSHELL-dropped webshell
[ ! -e "$WWW/news/shell.php" ] || fail "webshell still in the root"

# --- attributes -----------------------------------------------------------
chmod 777 "$WWW/news/2024/n8.html"
chmod 700 "$WWW/css"
chown nobody:nogroup "$WWW/js/site.js"
touch -d '2001-01-01' "$WWW/img/logo.png"
wait_clean attributes
same_as_pristine attributes

# --- links and types ------------------------------------------------------
# The agent may defeat an attack half-way (ln -sf renames a temporary link
# over the name, and that temporary link is removed first): attacks that
# can fail that way are allowed to.
ln -sfn /etc/passwd "$WWW/home.html" || true
wait_clean symlink-retarget
ln -s /etc/shadow "$W/swap"
mv -fT "$W/swap" "$WWW/css/site.css"
wait_clean file-to-symlink
mkdir "$W/swapdir"
printf 'SWAPPED-dir\n' >"$W/swapdir/x"
rm "$WWW/js/site.js"
mv -T "$W/swapdir" "$WWW/js/site.js" || true
wait_clean file-to-directory

# --- directories ----------------------------------------------------------
rm -rf "$WWW/sub" 2>/dev/null || true
wait_clean directory-delete
rm -rf "$WWW/sub" 2>/dev/null || true
mkdir -p "$WWW/sub/deep" || true
printf 'DIR-recreated\n' >"$WWW/sub/b.html" || true
printf 'DIR-evil\n' >"$WWW/sub/evil.html" || true
wait_clean directory-recreate
mv "$WWW/news" "$W/moved-news"
wait_clean directory-moved-away
same_as_pristine directories

# --- excluded and upload paths stay writable -------------------------------
printf 'cache entry\n' >"$WWW/cache/page.html"
printf 'log line\n' >"$WWW/access.log"
printf 'GIF89a a picture\n' >"$WWW/uploads/photo.gif"
sleep 0.5
[ -f "$WWW/cache/page.html" ] && [ -f "$WWW/access.log" ] && [ -f "$WWW/uploads/photo.gif" ] ||
	fail "excluded or uploaded files were removed"
rm "$WWW/cache/page.html" "$WWW/access.log" "$WWW/uploads/photo.gif"

# --- 1,000 files at once --------------------------------------------------
for i in $(seq 1 1000); do
	printf 'BULK-%d\n' "$i" >"$WWW/bulk/p$i.html"
done
wait_clean bulk
same_as_pristine bulk
quarantined BULK-777 bulk

# --- while the agent is stopped -------------------------------------------
stop_agent
printf 'OFFLINE-change\n' >"$WWW/index.html"
rm "$WWW/news/2024/n9.html"
printf 'OFFLINE-new\n' >"$WWW/news/2024/new.html"
chmod 600 "$WWW/news/2024/n10.html"
rm -rf "$WWW/sub/deep"
rm -rf "$WWW/css"
mkdir "$WWW/css"
printf 'OFFLINE-dir\n' >"$WWW/css/site.css"
run 1 "$AGENT" verify "${AARGS[@]}"
has "$W/out" "modified"
has "$W/out" "missing"
has "$W/out" "extra"
start_agent --watcher "$WATCHER"
wait_clean restart
same_as_pristine restart
quarantined OFFLINE-change restart
quarantined OFFLINE-new restart
quarantined OFFLINE-dir restart

# --- the event server refuses, then is down --------------------------------
touch "$W/down"
printf 'OUTAGE-1\n' >"$WWW/index.html"
wait_clean outage-refused
stop_sink
printf 'OUTAGE-2\n' >"$WWW/index.html"
wait_clean outage-down
stop_agent # the spool must survive a restart during the outage
printf 'OUTAGE-3\n' >"$WWW/index.html"
start_agent --watcher "$WATCHER"
wait_clean outage-restart
rm -f "$W/down"
start_sink
all_delivered outage
n=$(jq -s 'map(select(.kind == "tamper")) | length' "$W/sink.jsonl")
[ "$n" -ge 1025 ] || fail "$n tamper events, fewer than the attacks"
grep -q '"path":"index.html","change":"modified"' "$W/sink.jsonl" || fail "no event for index.html"
[ -s "$W/heartbeats.jsonl" ] || fail "no heartbeat reached the server"

# --- queue overflow: a full comparison catches up --------------------------
stop_agent
q=/proc/sys/fs/fanotify/max_queued_events
[ "$WATCHER" = inotify ] && q=/proc/sys/fs/inotify/max_queued_events
SYSCTL_RESTORE+=("$q=$(cat $q)")
echo 16 >"$q"
start_agent --watcher "$WATCHER"
echo "${SYSCTL_RESTORE[-1]#*=}" >"$q"
for i in $(seq 1 300); do
	printf 'OVERFLOW-%d\n' "$i" >"$WWW/bulk/p$i.html"
done
wait_clean overflow
same_as_pristine overflow
all_delivered overflow
grep -q '"reason":"overflow"' "$W/sink.jsonl" || fail "no reconciliation after the overflow"
stop_agent
echo "agent_guard ($WATCHER): all attacks undone"
