#!/usr/bin/env bash
# test_validate_cli - `edigate validate`: output, exit codes, JSON, and
# bad input that must give a clear message and never a crash.
. "$(dirname "$0")/lib.sh"
X=$TESTDATA/x12

# valid files: OK with counts, exit 0
expect_exit 0 "$EDIGATE" validate "$X/850-two-orders.x12" "$X/810-005010.x12" \
	"$X/hard-wrapped-80.x12" "$X/newline-terminator.x12" \
	"$X/two-interchanges-mixed-delims.x12"
expect_line "$T/out" '850-two-orders.x12: OK \(1 interchange, 1 group, 2 transaction sets\)$'
expect_line "$T/out" 'two-interchanges-mixed-delims.x12: OK \(2 interchanges, 2 groups, 2 transaction sets\)$'
[ "$(wc -l <"$T/out")" -eq 5 ] || fail "one line per valid file expected"

# a warning does not make a file invalid
expect_exit 0 "$EDIGATE" validate "$X/unpadded-isa.x12"
expect_line "$T/out" 'OK \(.*1 warning\)'
expect_line "$T/out" 'warning: segment 1 \(ISA\), offset 0: ISA is 75 bytes'

# the issue's example format, every error on its own line
expect_exit 65 "$EDIGATE" validate "$X/bad-counts.x12"
expect_line "$T/out" '^.*bad-counts.x12: segment 17 \(SE\), element 1, offset 464: SE01 says 99 segments, the set has 15 \(AK502 4\)$'
expect_line "$T/out" 'segment 17 \(SE\), element 2, offset 467: SE02 .0002. differs from ST02 .0001.'
expect_line "$T/out" 'segment 18 \(GE\), element 1, offset 475: GE01 says 2 transaction sets, the group has 1 \(AK905 5\)'
expect_line "$T/out" 'segment 19 \(IEA\), element 2, offset 487: IEA02 .000000699. differs from ISA13 .000000601. \(TA105 001\)'

# a truncated file is never accepted
expect_exit 65 "$EDIGATE" validate "$X/bad-truncated.x12"
expect_line "$T/out" 'segment 3 \(ST\), offset 160: transaction set 850 .0001. has no SE: the file ends at offset 400 \(AK502 2\)'
expect_line "$T/out" 'has no GE'
expect_line "$T/out" 'has no IEA.*\(TA105 023\)'

# empty, garbage, a directory, a missing file
expect_exit 65 "$EDIGATE" validate "$X/empty.x12"
expect_line "$T/out" 'empty.x12: offset 0: file is empty'
expect_exit 65 "$EDIGATE" validate "$X/garbage.bin"
expect_line "$T/out" 'garbage.bin: offset 1: file does not start with an ISA segment'
expect_exit 66 "$EDIGATE" validate "$X"
expect_line "$T/err" "cannot read '.*x12': is a directory"
expect_exit 66 "$EDIGATE" validate "$T/nope.x12" "$X/850-two-orders.x12"
expect_line "$T/err" "cannot read '.*nope.x12': No such file or directory"
expect_line "$T/out" '850-two-orders.x12: OK'
# missing wins over invalid
expect_exit 66 "$EDIGATE" validate "$X/bad-counts.x12" "$T/nope.x12"

# stdin
expect_exit 0 "$EDIGATE" validate - <"$X/850-two-orders.x12"
expect_line "$T/out" '^-: OK'

# random bytes of many sizes never crash (ASan/UBSan abort with 70+)
for n in 1 3 105 106 107 200 4096; do
	head -c "$n" /dev/urandom >"$T/rand"
	code=0
	"$EDIGATE" validate "$T/rand" >/dev/null 2>&1 || code=$?
	[ "$code" -eq 65 ] || [ "$code" -eq 0 ] || fail "random $n bytes: exit $code"
	# and an ISA followed by random bytes
	{ head -c 106 "$X/850-two-orders.x12"; cat "$T/rand"; } >"$T/rand2"
	code=0
	"$EDIGATE" validate "$T/rand2" >/dev/null 2>&1 || code=$?
	[ "$code" -eq 65 ] || fail "ISA + random $n bytes: exit $code"
done

# --json: one object per file, valid JSON with locations and ack codes
expect_exit 65 "$EDIGATE" validate --json "$X/bad-counts.x12" "$X/850-two-orders.x12"
python3 - "$T/out" <<'PY'
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1])]
assert len(rows) == 2, rows
bad, good = rows
assert bad["valid"] is False and good["valid"] is True
e = bad["errors"][0]
assert e == {"code": "se-count", "message": "SE01 says 99 segments, the set has 15",
             "segment": 17, "tag": "SE", "set_position": 15, "element": 1,
             "offset": 464, "ack": {"element": "AK502", "code": 4}}, e
assert good["sets"] == 2 and good["errors"] == [] and good["not_shown"] == 0
PY

# --max-errors keeps the first N and counts the rest
expect_exit 65 "$EDIGATE" validate --max-errors 1 "$X/bad-counts.x12"
expect_line "$T/out" 'bad-counts.x12: 3 more not shown'

# usage errors
expect_exit 64 "$EDIGATE" validate
expect_exit 64 "$EDIGATE" validate --bogus "$X/empty.x12"
expect_exit 64 "$EDIGATE" validate --max-errors 0 "$X/empty.x12"
expect_exit 0 "$EDIGATE" validate --help
expect_line "$T/out" '^usage: edigate validate'
expect_exit 64 "$EDIGATE" frobnicate
expect_line "$T/err" "unknown command 'frobnicate'"

# with maps, every set is checked against its map too; --envelope skips that
top=$(cd "$(dirname "$0")/../.." && pwd)
python3 - "$X/850-two-orders.x12" "$T/bad-date.x12" <<'PY'
import sys
d = open(sys.argv[1], "rb").read().replace(b"BEG*00*SA*PO-1001**20261120", b"BEG*00*SA*PO-1001**20261320", 1)
open(sys.argv[2], "wb").write(d)
PY
mkdir -p "$T/none"
expect_exit 65 "$EDIGATE" validate --maps "$top/maps" --partners "$T/none" "$T/bad-date.x12"
expect_line "$T/out" 'segment 4 \(BEG\), element 5, offset [0-9]+: BEG05 .20261320. is not a date CCYYMMDD \(AK403 8\)'
expect_exit 0 "$EDIGATE" validate --envelope "$T/bad-date.x12"
expect_line "$T/out" 'bad-date.x12: OK'
# a partner rule (acme requires REF*DP) is checked by validate as well
python3 - "$X/850-two-orders.x12" "$T/no-dp.x12" <<'PY'
import sys
d = open(sys.argv[1], "rb").read().replace(b"REF*DP*042~", b"REF*IA*042~", 1)
open(sys.argv[2], "wb").write(d)
PY
expect_exit 65 "$EDIGATE" validate --maps "$top/maps" --partners "$top/partners" "$T/no-dp.x12"
expect_line "$T/out" 'ACME orders must carry a department number'
expect_exit 0 "$EDIGATE" validate --maps "$top/maps" --partners "$T/none" "$T/no-dp.x12"
# a set without a map: its envelope is checked, with a warning
sed 's/ST\*850\*/ST*875*/; s/GS\*PO\*/GS*OG*/' "$X/newline-terminator.x12" >"$T/875.x12"
expect_exit 0 "$EDIGATE" validate --maps "$top/maps" --partners "$T/none" "$T/875.x12"
expect_line "$T/out" 'warning: .*no map for transaction set 875 version 004010: only its envelope was checked'
# messages name two-letter segments right ("N104", not "N1*04")
python3 - "$X/850-two-orders.x12" "$T/n1.x12" <<'PY'
import sys
d = open(sys.argv[1], "rb").read().replace(b"N1*ST*ACME DC 4*92*0004~", b"N1*ST*ACME DC 4*92~", 1)
open(sys.argv[2], "wb").write(d)
PY
expect_exit 65 "$EDIGATE" validate --maps "$top/maps" --partners "$T/none" "$T/n1.x12"
expect_line "$T/out" 'segment 9 \(N1\), element 4, offset [0-9]+: N104 is required with the others of syntax note P0304 \(AK403 2\)'
