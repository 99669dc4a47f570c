#!/usr/bin/env bash
# test_ack - every TA1/AK9/AK5/AK3/AK4 code edigate emits, from a broken
# file each (tests/integration/ack_cases.py), in 997 and 999 form.
set -uo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
EDIGATE=${EDIGATE:?}
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
python3 "$top/tests/integration/ack_cases.py" "$EDIGATE" "${ACK_MAPS:-$top/maps}" \
	"$top/tests/data" "$T"
