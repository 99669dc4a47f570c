#!/usr/bin/env bash
# test_translate_flat - flat files (CSV, fixed width) through the partner's
# flat maps: grouping rows into orders, errors with line and column.
. "$(dirname "$0")/lib.sh"
top=$(cd "$(dirname "$0")/../.." && pwd)
F=$TESTDATA/flat
E() { "$EDIGATE" translate --maps "$top/maps" --partners "$top/partners" "$@"; }

compare() {
	python3 - "$T/out" "$F/orders.jsonl" "$1" <<'PY'
import json, sys
got = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
want = [json.loads(l) for l in open(sys.argv[2]) if l.strip()]
assert len(got) == len(want) == 3, (len(got), len(want))
for g, w in zip(got, want):
    src = g.pop("source")
    assert src["format"] == sys.argv[3] and len(src["sha256"]) == 64, src
    assert g.pop("partner") == "acme"
    assert g.pop("id").startswith("acme." + src["sha256"][:12] + ".")
    assert g == w, "\n%s\n%s" % (g, w)
PY
}

expect_exit 0 E --partner acme "$F/orders.csv"
compare csv
expect_line "$T/err" 'orders.csv: 3 documents \(map flat-orders-csv\): 3 accepted, 0 rejected'
expect_exit 0 E --partner acme "$F/orders.txt"
compare fixed

# rows of one order that are not together: that order is rejected
{ head -2 "$F/orders.csv"; tail -n +5 "$F/orders.csv"; sed -n 3,4p "$F/orders.csv"; } >"$T/orders-split.csv"
expect_exit 65 E --partner acme "$T/orders-split.csv"
expect_line "$T/err" "comes back after other documents"

# a bad value: the document is rejected with its line and column
sed '2s#11/20/2026#13/45/2026#' "$F/orders.csv" >"$T/orders-baddate.csv"
expect_exit 65 E --partner acme "$T/orders-baddate.csv"
expect_line "$T/err" "line 2, column 'order_date'"
expect_line "$T/err" "2 accepted, 1 rejected"
[ "$(wc -l <"$T/out")" -eq 2 ] || fail "the two good orders still come out"

# CSV output of flat input
expect_exit 0 E --partner acme --format csv "$F/orders.csv"
head -1 "$T/out" | grep -q '^id,' || fail "CSV header"
