#!/usr/bin/env bash
# agent_ops.sh - the owner's side of the agent and its safety: webshells in
# upload directories (PHP, JSP, ASPX, in subdirectories, symlinks), publish
# of a new version (atomic exchange, uploads kept, new baseline guarded),
# pause/resume (keep, revert, time limit), the serve-time guard (no
# tampered response while files are tampered with), configuration errors,
# a corrupt backup store, and status.
source "$SW_SRC/tests/integration/lib.bash"
source "$SW_SRC/tests/integration/agent_lib.bash"
TAMPER="$SW_BIN/sw_agent_tamper"
[ -x "$TAMPER" ] || fail "$TAMPER not built"

make_site 0
mkdir -p "$WWW/pages"
for i in $(seq 1 20); do printf '<html><body>第%d页</body></html>\n' "$i" >"$WWW/pages/p$i.html"; done
rm -rf "$W/pristine" && cp -a "$WWW" "$W/pristine"
start_nginx
start_sink
run 0 "$AGENT" init "${AARGS[@]}" --no-progress
run 1 "$AGENT" init "${AARGS[@]}" --no-progress
has "$W/err" "already has a baseline"
start_agent

# --- uploads ----------------------------------------------------------------
printf 'GIF89a honest picture\n' >"$WWW/uploads/photo.gif"
printf '<?php @eval($_POST["x"]); ?> SHELL-php\n' >"$WWW/uploads/avatar.php"
printf '<%%Runtime.getRuntime().exec(request.getParameter("c"));%%> SHELL-jsp\n' >"$WWW/uploads/a.jsp"
mkdir -p "$WWW/uploads/2024/05"
printf '<%%@ Page Language="Jscript"%%><%%eval(Request.Item["p"],"unsafe");%%> SHELL-aspx\n' \
	>"$WWW/uploads/2024/05/x.aspx"
ln -s /etc/passwd "$WWW/uploads/passwd.txt"
for f in avatar.php a.jsp 2024/05/x.aspx passwd.txt; do
	for i in $(seq 1 50); do [ -e "$WWW/uploads/$f" ] || [ -L "$WWW/uploads/$f" ] || break; sleep 0.1; done
	[ ! -e "$WWW/uploads/$f" ] && [ ! -L "$WWW/uploads/$f" ] || fail "upload $f was not removed"
done
quarantined SHELL-php uploads
quarantined SHELL-jsp uploads
quarantined SHELL-aspx uploads
[ -f "$WWW/uploads/photo.gif" ] || fail "an honest upload was removed"
wait_clean uploads

# --- publish ----------------------------------------------------------------
cp -a "$W/pristine" "$W/staging"
rm -rf "$W/staging/uploads"
printf '<html><body>新版首页 NEW-VERSION</body></html>\n' >"$W/staging/index.html"
printf 'brand new page\n' >"$W/staging/pages/new.html"
rm "$W/staging/pages/p20.html"
mkdir "$W/staging/about"
printf 'about us\n' >"$W/staging/about/index.html"
run 0 "$AGENT" publish "${AARGS[@]}" --from "$W/staging"
has "$W/out" "published"
eq "$(served index.html)" "$(cat "$W/staging/index.html")" "served after publish"
eq "$(served about/index.html)" "about us" "new directory served"
[ ! -e "$WWW/pages/p20.html" ] || fail "a page removed by the publish is still there"
[ -f "$WWW/uploads/photo.gif" ] || fail "publish lost the uploads"
wait_clean publish
printf 'DEFACED-after-publish\n' >"$WWW/pages/new.html"
wait_clean after-publish
eq "$(cat "$WWW/pages/new.html")" "brand new page" "new page restored to the published version"
grep -q '"kind":"publish"' "$STORE/spool/"*.jsonl || fail "no publish event"

# --- pause / resume -----------------------------------------------------------
run 0 "$AGENT" pause "${AARGS[@]}" --for 10m
printf 'EDITED-in-maintenance\n' >"$WWW/pages/p1.html"
sleep 0.5
eq "$(cat "$WWW/pages/p1.html")" "EDITED-in-maintenance" "change kept while paused"
run 0 "$AGENT" resume "${AARGS[@]}"
wait_clean resume-accept
eq "$(cat "$WWW/pages/p1.html")" "EDITED-in-maintenance" "resume keeps the owner's change"

run 0 "$AGENT" pause "${AARGS[@]}" --for 10m
printf 'UNWANTED\n' >"$WWW/pages/p2.html"
run 0 "$AGENT" resume "${AARGS[@]}" --revert
wait_clean resume-revert
eq "$(cat "$WWW/pages/p2.html")" "$(cat "$W/pristine/pages/p2.html")" "resume --revert undoes"

run 0 "$AGENT" pause "${AARGS[@]}" --for 2s
printf 'FORGOTTEN\n' >"$WWW/pages/p3.html"
sleep 3.5
wait_clean pause-expired
eq "$(cat "$WWW/pages/p3.html")" "$(cat "$W/pristine/pages/p3.html")" "expired pause undoes"
grep -q '"reason":"expired"' "$STORE/spool/"*.jsonl || fail "no expiry event"

# --- status -------------------------------------------------------------------
run 0 "$AGENT" status "${AARGS[@]}"
has "$W/out" ": running"
has "$W/out" "spool depth"
has "$W/out" "root $WWW"
has "$W/out" "last events"
run 0 "$AGENT" status "${AARGS[@]}" --json
[ "$(jq -r '.roots[0].files' "$W/out")" -gt 20 ] || fail "status --json lacks file counts"
stop_agent

# --- serve-time guard -----------------------------------------------------------
cp -a "$WWW/pages" "$W/served-pages" # the baseline now (publish and resume changed it)
start_agent --serve-guard
grep -q "serve-time guard" "$W/agent.log" || fail "serve-time guard not on"
mkdir -p "$W/via"
"$TAMPER" loop --dir "$WWW/pages" --files 19 --seconds 4 --pause-us 2000 --via "$W/via" \
	>"$W/loop.out" &
TPID=$!
EXTRA_PIDS+=("$TPID")
"$TAMPER" fetch --url "http://127.0.0.1:$NGX_PORT/pages" --dir "$W/served-pages" --files 19 \
	--seconds 4 --concurrency 4 >"$W/fetch.out"
wait "$TPID"
cat "$W/loop.out" "$W/fetch.out"
read -r _ total _ same _ tampered _ denied _ other <"$W/fetch.out"
[ "$total" -gt 100 ] || fail "too few responses ($total)"
read -r _ _ writes _ renames _ _ <"$W/loop.out"
[ "$renames" -gt 100 ] || fail "the attacker's replacements did not happen ($renames)"
eq "$writes" 0 "in-place writes allowed under the serve-time guard"
eq "$tampered" 0 "tampered responses with the serve-time guard"
wait_clean serve-guard
stop_agent

# --- configuration errors ---------------------------------------------------------
run 2 "$AGENT" init --root / --store "$W/s2"
has "$W/err" "refusing to protect /"
run 2 "$AGENT" init --root "$WWW" --store "$WWW/store"
has "$W/err" "overlap"
run 2 "$AGENT" run --store "$STORE"
has "$W/err" "no web root"
printf '[agent]\nstore = %s\nhash = md5\n' "$STORE" >"$W/bad.ini"
run 2 "$AGENT" verify --config "$W/bad.ini"
has "$W/err" "bad.ini:3"
[ "$(wc -l <"$W/err")" = 1 ] || fail "configuration error is not one line"

# --- a corrupt backup store is reported, not used ---------------------------------
idx=$(echo "$STORE"/roots/*/baseline.idx)
cp "$idx" "$W/idx.good"
printf '\xff\xff\xff\xff' | dd of="$idx" bs=1 seek=200 conv=notrunc 2>/dev/null
run 1 "$AGENT" run "${AARGS[@]}"
has "$W/err" "corrupt"
run 1 "$AGENT" verify "${AARGS[@]}"
has "$W/err" "corrupt"
cp "$W/idx.good" "$idx"
# A damaged object: the file it backs is not overwritten with bad bytes.
pack=$(ls "$STORE"/roots/*/packs/*.pack | head -1)
run 0 "$AGENT" verify "${AARGS[@]}" --objects
size=$(stat -c %s "$pack")
for off in $(seq 60 97 "$size"); do
	printf 'Z' | dd of="$pack" bs=1 seek="$off" conv=notrunc 2>/dev/null
done
run 1 "$AGENT" verify "${AARGS[@]}" --objects
has "$W/out" "store"
start_agent
for f in $(cd "$WWW/pages" && ls); do printf 'X-%s\n' "$f" >"$WWW/pages/$f"; done
sleep 1
all_delivered corrupt-store
grep -q '"kind":"store_corrupt"' "$W/sink.jsonl" || fail "no store_corrupt event"
grep -lq '^X-' "$WWW/pages/"* || fail "no page left alone when its backup is corrupt"
stop_agent

# --- publish onto a mount point: no tree exchange, files one by one ---------------
M="$W/mnt"
mkdir -p "$M/www/uploads" "$M/stage/about"
printf 'old\n' >"$M/www/index.html"
printf 'old page\n' >"$M/www/gone.html"
printf 'user picture\n' >"$M/www/uploads/u.gif"
printf 'new\n' >"$M/stage/index.html"
printf 'about\n' >"$M/stage/about/index.html"
if mount --bind "$M/www" "$M/www" 2>/dev/null; then
	MOUNTS+=("$M/www")
	MARGS=(--root "$M/www" --upload uploads --store "$M/store")
	run 0 "$AGENT" init "${MARGS[@]}" --no-progress
	run 0 "$AGENT" publish "${MARGS[@]}" --from "$M/stage"
	has "$W/out" "one by one"
	eq "$(cat "$M/www/index.html")" new "in-place publish"
	eq "$(cat "$M/www/uploads/u.gif")" "user picture" "uploads kept by an in-place publish"
	[ ! -e "$M/www/gone.html" ] || fail "in-place publish left a removed page"
	run 0 "$AGENT" verify "${MARGS[@]}"
	umount "$M/www"
	MOUNTS=()
else
	echo "SKIP: mount --bind unavailable, in-place publish not exercised"
fi
echo "agent_ops: uploads, publish, pause/resume, serve-time guard, errors, corrupt store"
