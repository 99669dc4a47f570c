#!/usr/bin/env bash
# test_translate_cli - `edigate translate`: partner profiles and maps,
# partial acceptance, broken envelopes, CSV, flat files, bad maps.
. "$(dirname "$0")/lib.sh"
top=$(cd "$(dirname "$0")/../.." && pwd)
X=$TESTDATA/x12
E() { "$EDIGATE" translate --maps "$top/maps" "$@"; }
mkdir -p "$T/none"

# two orders, shipped maps: two records, exit 0
expect_exit 0 E --partners "$T/none" "$X/850-two-orders.x12"
[ "$(wc -l <"$T/out")" -eq 2 ] || fail "two records expected"
python3 - "$T/out" <<'PY'
import json, sys
recs = [json.loads(l) for l in open(sys.argv[1])]
r = recs[0]
assert r["doc_type"] == "order" and r["order_number"] == "PO-1001", r
assert r["id"] == "zz-acmesupply.000000101.101.0001", r["id"]
assert r["doc_key"] == "zz-acmesupply:order:PO-1001", r["doc_key"]
assert "partner" not in r
assert r["lines"][0]["unit_price"] == "3.5" and r["lines"][1]["quantity"] == "4"
assert r["source"]["segments"] == {"first": 3, "last": 17}, r["source"]
assert recs[1]["order_number"] == "PO-1002"
PY
expect_line "$T/err" '850-two-orders.x12: 2 transaction sets: 2 accepted, 0 rejected'

# the partner is found from the ISA ids; its map adds a rule and a field
expect_exit 0 E --partners "$top/partners" "$X/850-two-orders.x12"
python3 - "$T/out" <<'PY'
import json, sys
r = json.loads(open(sys.argv[1]).readline())
assert r["partner"] == "acme" and r["id"].startswith("acme.000000101."), r["id"]
assert r["ext"] == {"department": "042"}, r.get("ext")
PY

# partial acceptance: the set without REF*DP is rejected, the other comes out
sed 's/REF\*DP\*042~BEG/XX/' "$X/850-two-orders.x12" >/dev/null
python3 - "$X/850-two-orders.x12" "$T/one-bad.x12" <<'PY'
import sys
d = open(sys.argv[1], "rb").read()
first = d.index(b"REF*DP*042~")
d = d[:first] + b"REF*IA*042~" + d[first + len(b"REF*DP*042~"):]
open(sys.argv[2], "wb").write(d)
PY
expect_exit 65 E --partners "$top/partners" "$T/one-bad.x12"
[ "$(wc -l <"$T/out")" -eq 1 ] || fail "the good set must still come out"
expect_line "$T/out" '"order_number":"PO-1002"'
expect_line "$T/err" "transaction set 850 '0001' at segment 3 rejected \(stage validate, partner acme\)"
expect_line "$T/err" 'ACME orders must carry a department number'
expect_line "$T/err" '1 accepted, 1 rejected'

# an envelope error in the group trailer rejects the whole group
expect_exit 65 E --partners "$T/none" "$X/bad-counts.x12"
[ ! -s "$T/out" ] || fail "no records from a broken group"
expect_line "$T/err" 'SE01 says 99 segments'

# a validation error: location and code on stderr
python3 - "$X/850-two-orders.x12" "$T/bad-date.x12" <<'PY'
import sys
d = open(sys.argv[1], "rb").read().replace(b"BEG*00*SA*PO-1001**20261120", b"BEG*00*SA*PO-1001**20261320", 1)
open(sys.argv[2], "wb").write(d)
PY
expect_exit 65 E --partners "$T/none" "$T/bad-date.x12"
expect_line "$T/err" 'segment 4 \(BEG\), element 5, offset [0-9]+: BEG05 .20261320. is not a date CCYYMMDD \(AK403 8\)'

# CSV: a header, one row per line item
expect_exit 0 E --partners "$T/none" --format csv "$X/850-two-orders.x12"
head -1 "$T/out" | grep -q '^id,' || fail "CSV header expected"
[ "$(wc -l <"$T/out")" -eq 5 ] || fail "header + 4 line rows expected"

# a map with a mistake is refused before any document is touched
mkdir -p "$T/maps"
cp -r "$top/maps/." "$T/maps/"
printf 'map: broken\nextends: x12-850\nsegments:\n  BEG: [M ID 2]\n' >"$T/maps/broken.yaml"
expect_exit 78 "$EDIGATE" translate --maps "$T/maps" --partners "$T/none" "$X/850-two-orders.x12"
expect_line "$T/err" 'broken.yaml:4:[0-9]+:'
[ ! -s "$T/out" ] || fail "nothing may be translated with a broken map"
expect_exit 78 "$EDIGATE" partners --check --maps "$T/maps" --partners "$T/none"

# empty maps and partners folders: nothing to check, no crash (this
# sorted a NULL list, which UBSan stops on)
mkdir -p "$T/empty-maps" "$T/empty-partners"
expect_exit 0 "$EDIGATE" partners --check --maps "$T/empty-maps" --partners "$T/empty-partners"
expect_line "$T/out" '0 maps and 0 partner profiles'

# partners --check on the shipped maps and sample partners
expect_exit 0 "$EDIGATE" partners --check --maps "$top/maps" --partners "$top/partners"
expect_line "$T/out" 'no mistakes'
expect_exit 0 "$EDIGATE" partners --maps "$top/maps" --partners "$top/partners"
expect_line "$T/out" 'acme'

# unknown partner, missing file, usage
expect_exit 64 E --partner nobody "$X/850-two-orders.x12"
expect_exit 66 E --partners "$T/none" "$T/missing.x12"
expect_exit 64 E --format xml "$X/850-two-orders.x12"

# relative folders: profiles must not be mistaken for maps (a profile file
# sorted before the last map file was once read as "not a map")
(cd "$top" && "$EDIGATE" translate --maps maps --partners partners \
	tests/data/x12/850-two-orders.x12) >"$T/out" 2>"$T/err" ||
	fail "relative --maps/--partners: $(cat "$T/err")"
expect_line "$T/out" '"partner":"acme"'
