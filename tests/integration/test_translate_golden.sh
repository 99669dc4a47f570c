#!/usr/bin/env bash
# test_translate_golden - every golden input translates to its expected
# records (tests/data/golden: NNN-VVVVVV.x12 and .jsonl, written by hand
# from the record contract; the engine's own members id, partner,
# correlation_id and source are compared separately).
. "$(dirname "$0")/lib.sh"
top=$(cd "$(dirname "$0")/../.." && pwd)
G=$TESTDATA/golden
mkdir -p "$T/none"
n=0
for input in "$G"/*.x12; do
	want=${input%.x12}.jsonl
	[ -f "$want" ] || fail "no expected output for $input"
	expect_exit 0 "$EDIGATE" translate --maps "$top/maps" \
		--partners "$T/none" "$input" 2>&1
	python3 - "$T/out" "$want" "$input" <<'PY'
import json, sys
got = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
want = [json.loads(l) for l in open(sys.argv[2]) if l.strip()]
ENGINE = ("id", "partner", "correlation_id", "source")
assert len(got) == len(want), "%s: %d records, wanted %d" % (sys.argv[3], len(got), len(want))
for g, w in zip(got, want):
    for k in ENGINE:
        w.pop(k, None)
    src = g.pop("source")
    rid = g.pop("id")
    g.pop("partner", None)
    assert src["format"] == "x12" and len(src["sha256"]) == 64, src
    assert rid.endswith("." + src["interchange"] + "." + src["group"] + "." + src["set"]), rid
    if g != w:
        for k in sorted(set(g) | set(w)):
            if g.get(k) != w.get(k):
                print("member %r:\n  got  %s\n  want %s" % (k, json.dumps(g.get(k)), json.dumps(w.get(k))))
        sys.exit("%s: record differs" % sys.argv[3])
PY
	n=$((n + 1))
done
[ "$n" -ge 8 ] || fail "only $n golden files"
echo "NOTE golden: $n inputs match their expected records"
