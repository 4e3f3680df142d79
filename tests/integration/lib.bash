# tests/integration/lib.bash - sourced by the integration tests.
# Gives: $SW (the sitewarden binary), $GEN (the data generator), a private
# work directory $W removed on exit, and small assertion helpers that name
# the failing step.
set -euo pipefail
: "${SW_BIN:?SW_BIN must name the build directory}"
: "${SW_SRC:?SW_SRC must name the source directory}"
SW="$SW_BIN/sitewarden"
GEN="$SW_BIN/sw_gen_register"
W=$(mktemp -d "${TMPDIR:-/tmp}/sw-it-XXXXXX")
trap 'rm -rf "$W"' EXIT
export SITEWARDEN_DB="$W/default.db"
cd "$W"

fail() {
	echo "FAIL: $*" >&2
	exit 1
}

# run EXPECTED_STATUS CMD...: runs CMD, keeps stdout in $W/out and stderr in
# $W/err, and fails unless it exits with EXPECTED_STATUS.
run() {
	local want=$1 got=0
	shift
	"$@" >"$W/out" 2>"$W/err" || got=$?
	if [ "$got" != "$want" ]; then
		echo "--- stdout"; cat "$W/out"; echo "--- stderr"; cat "$W/err"
		fail "'$*' exited $got, expected $want"
	fi
}

# has FILE TEXT: FILE contains TEXT (fixed string).
has() {
	grep -qF -- "$2" "$1" || { echo "--- $1"; head -50 "$1"; fail "$1 lacks '$2'"; }
}

# eq A B WHAT
eq() {
	[ "$1" = "$2" ] || fail "$3: got '$1', expected '$2'"
}

# count DB: number of sites in the register DB.
count() {
	"$SW" --db "$1" site list --json | jq length
}
