# lib.sh - helpers for the integration tests (sourced).
#
# Each test runs in its own temporary directory ($T), removed on exit
# whatever happens; failures print what was expected and what came.
set -euo pipefail

: "${EDIGATE:?EDIGATE must name the edigate binary}"
: "${TESTDATA:?TESTDATA must name tests/data}"
T=$(mktemp -d)
cleanup_hooks=()
on_exit() {
	local h
	for h in "${cleanup_hooks[@]}"; do eval "$h" || true; done
	rm -rf "$T"
}
trap on_exit EXIT

fail() {
	echo "FAIL: $*" >&2
	exit 1
}

# expect_exit CODE CMD...: run CMD, keep stdout in $T/out and stderr in
# $T/err, and check the exit status.
expect_exit() {
	local want=$1 got=0
	shift
	"$@" >"$T/out" 2>"$T/err" || got=$?
	if [ "$got" -ne "$want" ]; then
		echo "--- stdout"; cat "$T/out"; echo "--- stderr"; cat "$T/err"
		fail "'$*' exited $got, wanted $want"
	fi
}

# expect_line FILE REGEX: FILE has a line matching REGEX (grep -E).
expect_line() {
	grep -qE -- "$2" "$1" || {
		echo "--- $1"; cat "$1"
		fail "no line matching '$2' in $1"
	}
}

no_line() {
	if grep -qE -- "$2" "$1"; then
		echo "--- $1"; cat "$1"
		fail "unexpected line matching '$2' in $1"
	fi
}
