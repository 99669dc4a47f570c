#!/usr/bin/env bash
# test_spool_crash - `edigate run` killed with SIGKILL again and again,
# restarted each time, then run to the end: every file dropped into in/
# ends in archive/ or error/ exactly once, every interchange from a known
# partner is answered by exactly one acknowledgment whose ISA13 and GS06
# are unique per partner, and every accepted transaction
# set is in the output batches exactly once, in the batch the journal
# names (nothing lost, nothing doubled).  After every kill the spool is
# checked as the dead run left it: each dropped file in exactly one place
# (in/, tmp/, work/, error/, archive/) with its bytes intact, no record in
# out/ twice or without its delivery in the journal, no delivered set
# missing from out/ and from the batches still to be published.
#
# 600 files (about 2 KB each, from gen-x12): 560 good, 6 with 4 sets of
# which one has an envelope error (partial acceptance, error/), 8 bad
# (--bad 1: a wrong SE01 or SE02), 6 from an unknown partner, 20 copies of
# good files under other names (duplicate interchanges).  They arrive as a
# sender drops them (a dot name, then a rename), in waves, while the runs
# go on.  Everything random comes from CRASH_SEED.
#
#   1. random moments: runs are killed after 0.01 to 0.3 s until
#      CRASH_KILLS (30) of them died of the SIGKILL;
#   2. exact moments: CRASH_TARGETED (20) runs under strace, which kills
#      them just before their Nth rename(2) or fdatasync(2), so the narrow
#      windows after a journal commit are hit too (publishing a batch,
#      moving entries to archive/); skipped when strace cannot run.
#
# At least a third of the kills must have left work behind.  On failure
# the spool after every run is printed (CRASH_LOG=FILE keeps it always).
. "$(dirname "$0")/lib.sh"
: "${GEN_X12:?GEN_X12 must name the gen-x12 binary}"
top=$(cd "$(dirname "$0")/../.." && pwd)
S=$T/spool
SEED=${CRASH_SEED:-4242}
KILLS=${CRASH_KILLS:-30}
TARGETED=${CRASH_TARGETED:-20} TARGETED_WAVE=12
MAX_CYCLES=150
N_GOOD=560 N_PARTIAL=6 N_BAD=8 N_UNKNOWN=6 N_DUP=20
FIRST_WAVE=200 WAVE=10 # files in in/ before the first run, then per run

mkdir -p "$T/partners" "$T/inputs" "$S/in"
cat >"$T/edigate.yaml" <<YAML
spool: spool
maps: $top/maps
partners: partners
outputs:
  erp: {kind: file, format: jsonl}
duplicates: {window_days: 30, action: reject}
run: {batch_files: ${CRASH_BATCH:-10}}
YAML
# gen-x12's parties: retailers send 850s, vendors the rest
cat >"$T/partners/retail.yaml" <<'YAML'
id: retail
interchange:
  them: ["ZZ:MEGAMARTSTORES", "ZZ:6112390050", "ZZ:NORTHWINDRETAIL",
         "ZZ:0781234560000"]
outputs: [erp]
YAML
cat >"$T/partners/supply.yaml" <<'YAML'
id: supply
interchange:
  them: ["ZZ:ACMEAPPAREL", "ZZ:8005551212", "ZZ:INITECHTOYS",
         "ZZ:0614141000005", "ZZ:HOOLIFOODS", "ZZ:STARKTOOLS",
         "ZZ:UMBRELLAHB", "ZZ:WAYNETEXTILE"]
outputs: [erp]
YAML

# --- the inputs: one interchange per file, every ISA13 distinct ---
one=(--sets-per-group 1 --groups-per-interchange 1)
"$GEN_X12" "${one[@]}" --seed 11 --control-start 1 1600K "$T/good.x12"
"$GEN_X12" --sets-per-group 4 --groups-per-interchange 1 --bad 4 \
	--seed 12 --control-start 100001 60K "$T/partial.x12"
"$GEN_X12" "${one[@]}" --bad 1 --seed 13 --control-start 200001 40K \
	"$T/bad.x12"
python3 - "$T" "$N_GOOD" "$N_PARTIAL" "$N_BAD" "$N_UNKNOWN" "$N_DUP" <<'PY'
import os, sys
t = sys.argv[1]
n_good, n_partial, n_bad, n_unknown, n_dup = map(int, sys.argv[2:])

def split(name, n):
    parts = ["ISA*" + p for p in open(os.path.join(t, name)).read().split("ISA*")[1:]]
    assert len(parts) >= n, (name, len(parts), n)
    return parts[:n]

good = split("good.x12", n_good + n_unknown)
files = []  # (name, kind, text)
for i, x in enumerate(good[:n_good]):
    files.append(("good-%03d.x12" % i, "good", x))
for i, x in enumerate(split("partial.x12", n_partial)):
    files.append(("partial-%03d.x12" % i, "partial", x))
for i, x in enumerate(split("bad.x12", n_bad)):
    files.append(("bad-%03d.x12" % i, "bad", x))
for i, x in enumerate(good[n_good:]):
    f = x.split("*", 7)
    f[6] = "NOSUCHPARTNER".ljust(15)  # ISA06: no profile has it
    files.append(("unknown-%03d.x12" % i, "unknown", "*".join(f)))
for i in range(n_dup):
    files.append(("dup-%03d.x12" % i, "dup", files[i * 7][2]))
with open(os.path.join(t, "manifest.tsv"), "w") as m:
    for name, kind, text in files:
        open(os.path.join(t, "inputs", name), "w").write(text)
        m.write("%s\t%s\n" % (name, kind))
PY

# --- the checker: 'mid' after a kill, 'final' at the end ---
cat >"$T/check.py" <<'PY'
import collections, glob, hashlib, json, os, shutil, sqlite3, sys

mode, t = sys.argv[1], sys.argv[2]
spool = os.path.join(t, "spool")
problems = []

def bad(msg):
    problems.append(msg)

def listdir(p):  # a run killed early may not have made every folder yet
    return os.listdir(p) if os.path.isdir(p) else []

manifest = [l.rstrip("\n").split("\t") for l in open(os.path.join(t, "manifest.tsv"))]
kind = dict(manifest)
sha = {n: hashlib.sha256(open(os.path.join(t, "inputs", n), "rb").read()).hexdigest()
       for n in kind}

# where every input file is now: plain files in in/, entry folders elsewhere
where = collections.defaultdict(list)
entries = {}  # id -> (state, dir)
indir = os.path.join(spool, "in")
for n in os.listdir(indir):
    p = os.path.join(indir, n)
    if os.path.isfile(p) and not n.startswith("."):
        where[n].append("in/" + n)
        if hashlib.sha256(open(p, "rb").read()).hexdigest() != sha.get(n):
            bad("in/%s: bytes differ from the dropped file" % n)
dirs = []
for state in ("tmp", "in", "work", "error", "hold", "deferred"):
    for n in listdir(os.path.join(spool, state)):
        if os.path.isdir(os.path.join(spool, state, n)):
            dirs.append((state, os.path.join(spool, state, n)))
for d in glob.glob(os.path.join(spool, "archive", "*", "*")):
    if os.path.isdir(d):
        dirs.append(("archive", d))
for state, d in dirs:
    eid = os.path.basename(d)
    if state != "tmp":
        if eid in entries:
            bad("entry %s both in %s and %s" % (eid, entries[eid][0], state))
        entries[eid] = (state, d)
    for n in os.listdir(d):
        if n.startswith(".") or n in ("meta.json", "reason.json"):
            continue
        where[n].append("%s/%s/%s" % (state, eid, n))
        got = hashlib.sha256(open(os.path.join(d, n), "rb").read()).hexdigest()
        if got != sha.get(n):
            bad("%s/%s/%s: bytes differ from the dropped file" % (state, eid, n))
    if state != "tmp" and not os.path.exists(os.path.join(d, "meta.json")):
        bad("%s/%s has no meta.json" % (state, eid))
dropped = set(os.listdir(os.path.join(t, "dropped")))
for n in kind:
    places = where.get(n, [])
    if n in dropped and len(places) != 1:
        bad("%s is in %d places: %s" % (n, len(places), places or "none (lost)"))
    if n not in dropped and places:
        bad("%s is in the spool before it was dropped: %s" % (n, places))
for n in where:
    if n not in kind:
        bad("unknown file %s: %s" % (n, where[n]))

# the records in out/: each line a whole JSON record, no id twice
out_ids = collections.Counter()
in_batch = {}  # record id -> the batch file it is in (out/ or pending)
for f in glob.glob(os.path.join(spool, "out", "*", "*")):
    data = open(f, "rb").read()
    if data and not data.endswith(b"\n"):
        bad("%s: last line cut short" % f)
    for i, line in enumerate(data.splitlines()):
        try:
            rid = json.loads(line)["id"]
            out_ids[rid] += 1
            in_batch[rid] = os.path.basename(f)
        except Exception as e:
            bad("%s:%d: not a record (%s)" % (f, i + 1, e))
for i, c in out_ids.items():
    if c > 1:
        bad("record %s is in out/ %d times" % (i, c))

# the journal, read from a copy (the next run must find it untouched)
snap = os.path.join(t, "snap")
shutil.rmtree(snap, ignore_errors=True)
os.mkdir(snap)
for suffix in ("", "-wal"):
    p = os.path.join(spool, "state", "journal.db" + suffix)
    if os.path.exists(p):
        shutil.copy(p, snap)
deliveries, delivered_in, batches, files, delivered_status = [], {}, {}, {}, 0
db = None
if os.path.exists(os.path.join(snap, "journal.db")):
    db = sqlite3.connect(os.path.join(snap, "journal.db"))
    if not db.execute("select count(*) from sqlite_master where name = 'deliveries'").fetchone()[0]:
        db.close()  # killed before the schema was made
        db = None
if db:
    rows = list(db.execute("select set_id, batch from deliveries where output = 'erp'"))
    deliveries = [r[0] for r in rows]
    delivered_in = dict(rows)
    batches = dict(db.execute("select name, state from batches"))
    files = {r[0]: r[1:] for r in db.execute("select entry_id, name, state from files")}
    delivered_status = db.execute("select count(*) from sets where status = 'delivered'").fetchone()[0]
    db.close()
delivered = set(deliveries)
for i in out_ids:
    if i not in delivered:
        bad("record %s is in out/ but the journal has no delivery for it" % i)
# a delivered set is in out/, or in a batch the journal holds as written
# (the next run publishes it)
pending = collections.Counter()
pending_batches = 0
for f in glob.glob(os.path.join(spool, "state", "batches", "*")):
    name = os.path.basename(f)
    if batches.get(name) != "written" or name.startswith("outbound."):
        continue
    pending_batches += 1
    for line in open(f, "rb").read().splitlines():
        rid = json.loads(line)["id"]
        pending[rid] += 1
        in_batch.setdefault(rid, name)
for i in delivered:
    if i not in out_ids and i not in pending:
        bad("set %s is delivered in the journal but in no batch (lost)" % i)
    if i in out_ids and i in pending:
        bad("set %s is in out/ and in a batch still to be published" % i)
    if i in in_batch and in_batch[i] != delivered_in[i]:
        bad("set %s is in batch %s, the journal says %s" % (i, in_batch[i], delivered_in[i]))
for f in glob.glob(os.path.join(spool, "out", "*", "*")):
    if os.path.basename(f) not in batches:
        bad("out/ has %s, which the journal does not know" % os.path.basename(f))

# acknowledgments: every ISA13 and GS06 once per partner, every file the
# journal holds (acks_sent) in outbound/ or staged as a written batch, and
# no file in outbound/ the journal does not hold
acks_sent = {}
if os.path.exists(os.path.join(snap, "journal.db")):
    adb = sqlite3.connect(os.path.join(snap, "journal.db"))
    if adb.execute("select count(*) from sqlite_master where name = 'acks_sent'").fetchone()[0]:
        for eid, partner, f in adb.execute("select entry_id, partner, file from acks_sent"):
            acks_sent[(partner, f)] = eid
    adb.close()
for pdir in glob.glob(os.path.join(spool, "outbound", "*")):
    partner = os.path.basename(pdir)
    seen_isa, seen_gs = {}, {}
    for f in sorted(os.listdir(pdir)):
        if f.startswith("."):
            continue
        text = open(os.path.join(pdir, f), encoding="latin-1").read()
        e, term = text[3], text[105]
        segs = [x.strip().split(e) for x in text.split(term) if x.strip()]
        isa13 = segs[0][13]
        if not f.endswith("-%s.x12" % isa13):
            bad("outbound/%s/%s holds ISA13 %s" % (partner, f, isa13))
        if isa13 in seen_isa:
            bad("ISA13 %s to %s twice: %s and %s" % (isa13, partner, seen_isa[isa13], f))
        seen_isa[isa13] = f
        for x in segs:
            if x[0] == "GS":
                if x[6] in seen_gs:
                    bad("GS06 %s to %s twice: %s and %s" % (x[6], partner, seen_gs[x[6]], f))
                seen_gs[x[6]] = f
        if (partner, f) not in acks_sent:
            bad("outbound/%s/%s is not in the journal" % (partner, f))
for (partner, f), eid in acks_sent.items():
    staged = os.path.join(spool, "state", "batches", "outbound.%s.%s" % (partner, f))
    if not os.path.exists(os.path.join(spool, "outbound", partner, f)) and \
            not (os.path.exists(staged) and batches.get(os.path.basename(staged)) == "written"):
        bad("acknowledgment %s of %s (entry %s) is journaled but lost" % (f, partner, eid))

def count(state):
    return sum(1 for s, _ in entries.values() if s == state)

drops = sum(1 for n in os.listdir(indir) if os.path.isfile(os.path.join(indir, n)))
# entries in work/ the journal already has in archive or error: the run
# died after a commit, before it moved them
committed = sum(1 for e, (s, _) in entries.items()
                if s == "work" and files.get(e, ("", ""))[1] in ("archive", "error"))
summary = ("in %d+%d, tmp %d, work %d (%d committed), archive %d, error %d; "
           "records %d, batches pending %d; acks %d" %
           (drops, count("in"), sum(1 for s, _ in dirs if s == "tmp"),
            count("work"), committed, count("archive"), count("error"),
            sum(out_ids.values()), pending_batches, len(acks_sent)))

if mode == "mid":
    # for the caller: did work remain after this kill?
    left = drops + count("in") + count("work") + pending_batches
    left += sum(1 for s, _ in dirs if s == "tmp")
    print("%s\t%d %d" % (summary, left, committed + pending_batches))
    if problems:
        print("\n".join(problems), file=sys.stderr)
        sys.exit(1)
    sys.exit(0)

# --- final: everything processed, exactly as expected ---
expected = set()
for name, k in manifest:
    if k in ("unknown", "dup"):
        continue
    text = open(os.path.join(t, "inputs", name)).read()
    segs = [s.strip().split("*") for s in text.split("~") if s.strip()]
    isa = segs[0]
    partner = "retail" if isa[6].strip() in (
        "MEGAMARTSTORES", "6112390050", "NORTHWINDRETAIL",
        "0781234560000") else "supply"
    for i, s in enumerate(segs):
        if s[0] == "GS":
            gs06 = s[6]
        if s[0] == "ST":
            start, st02 = i, s[2]
        if s[0] == "SE" and int(s[1]) == i - start + 1 and s[2] == st02:
            expected.add("%s.%s.%s.%s" % (partner, isa[13], gs06, st02))
n_sets = int(sys.argv[3])
if len(expected) != n_sets:
    bad("the inputs hold %d good sets, not %d" % (len(expected), n_sets))
for state in ("tmp", "in", "work", "hold", "deferred"):
    left = listdir(os.path.join(spool, state))
    if left:
        bad("%s/ is not empty: %s" % (state, sorted(left)[:5]))
left = listdir(os.path.join(spool, "state", "batches"))
if left:
    bad("state/batches/ is not empty: %s" % left[:5])
if len(entries) != len(kind):
    bad("%d entries for %d files" % (len(entries), len(kind)))
by_name = {}
for eid, (state, d) in entries.items():
    meta = json.load(open(os.path.join(d, "meta.json")))
    if meta["id"] != eid or meta["sha256"] != sha.get(meta["name"]):
        bad("%s: meta.json says %s" % (eid, meta))
    if meta["name"] in by_name:
        bad("%s is in two entries: %s and %s" % (meta["name"], by_name[meta["name"]][0], eid))
    by_name[meta["name"]] = (eid, state, d)
    if files.get(eid) != (meta["name"], state):
        bad("journal files row of %s is %s, the entry is in %s" % (eid, files.get(eid), state))
    if state == "error":
        json.load(open(os.path.join(d, "reason.json")))
want_stage = {"partial": "envelope", "bad": "envelope", "unknown": "partner"}
originals = {"good-%03d.x12" % (i * 7) for i in range(int(sys.argv[4]))}
for name, k in manifest:
    if name not in by_name:
        bad("%s was lost: no entry" % name)
        continue
    eid, state, d = by_name[name]
    if k == "good" and state != "archive" and name not in originals:
        bad("%s (good) is in %s" % (name, state))
    if k in want_stage:
        stage = state == "error" and json.load(open(os.path.join(d, "reason.json")))["stage"]
        if stage != want_stage[k]:
            bad("%s (%s) is in %s, stage %s" % (name, k, state, stage))
for i in range(int(sys.argv[4])):  # a copy and its original: one each
    pair = sorted(by_name[n][1] for n in ("dup-%03d.x12" % i, "good-%03d.x12" % (i * 7))
                  if n in by_name)
    if pair != ["archive", "error"]:
        bad("dup-%03d.x12 and its original ended in %s" % (i, pair))
if set(out_ids) != expected:
    bad("out/ has %d records, %d expected; missing %s; unexpected %s" % (
        len(out_ids), len(expected), sorted(expected - set(out_ids))[:5],
        sorted(set(out_ids) - expected)[:5]))
if len(deliveries) != len(delivered) or delivered != set(out_ids):
    bad("journal deliveries (%d, %d distinct) differ from out/ (%d)" % (
        len(deliveries), len(delivered), len(out_ids)))
if delivered_status != len(expected):
    bad("%d sets have status delivered, %d expected" % (delivered_status, len(expected)))
# every entry from a known partner was answered exactly once, the
# others never
answered = collections.Counter(acks_sent.values())
for name, k in manifest:
    if name in by_name:
        eid = by_name[name][0]
        want = 0 if k == "unknown" else 1
        if answered.get(eid, 0) != want:
            bad("%s (%s) was answered %d times" % (name, k, answered.get(eid, 0)))
if any(s != "renamed" for s in batches.values()):
    bad("batches not renamed: %s" % [b for b, s in batches.items() if s != "renamed"])
print(summary)
if problems:
    print("\n".join(problems[:40]), file=sys.stderr)
    sys.exit(1)
PY

# --- drop files as a sender does: a dot name, then a rename ---
mkdir -p "$T/dropped"
mapfile -t names < <(cut -f1 "$T/manifest.tsv" | sort -R --random-source=<(yes "$SEED"))
next=0
drop() {
	local k
	for ((k = 0; k < $1 && next < ${#names[@]}; k++, next++)); do
		cp "$T/inputs/${names[next]}" "$S/in/.${names[next]}.part"
		: >"$T/dropped/${names[next]}"
		mv "$S/in/.${names[next]}.part" "$S/in/${names[next]}"
	done
}

pid=
stop_run() {
	if [ -n "$pid" ]; then
		kill -KILL "$pid" 2>/dev/null || true
		wait "$pid" 2>/dev/null || true
	fi
}
cleanup_hooks+=(stop_run)
drop "$FIRST_WAVE"

# The spool as the run that just ended ($rc) left it ($1 says how it
# ended); counts the kills that interrupted work.
after_run() {
	local state left late
	if ! state=$(python3 "$T/check.py" mid "$T" 2>"$T/check.err"); then
		cat "$T/kills.log" "$T/check.err"
		fail "after run $cycle ($1): $(head -1 "$T/check.err")"
	fi
	read -r left late <<<"${state##*$'\t'}"
	if [ "$rc" -eq 137 ] && [ "$left" -gt 0 ]; then
		interrupted=$((interrupted + 1))
		# after a commit, before its batches or entries were moved
		[ "$late" -eq 0 ] || after_commit=$((after_commit + 1))
	fi
	printf 'run %2d %s: %s\n' "$cycle" "$1" "${state%$'\t'*}" >>"$T/kills.log"
}

run_status() {
	case $rc in
	137) killed=$((killed + 1)) ;;
	0 | 65) finished=$((finished + 1)) ;;
	*)
		cat "$T/kills.log" "$T/run.out"
		fail "run $cycle exited $rc (not 0, 65 or SIGKILL)"
		;;
	esac
}

RANDOM=$SEED
killed=0 interrupted=0 after_commit=0 finished=0 cycle=0
: >"$T/kills.log"

# --- 1. kill after a random delay, restart, kill again ---
random_files=$((${#names[@]} - TARGETED * TARGETED_WAVE))
while ((killed < KILLS)); do
	((++cycle <= MAX_CYCLES)) || {
		cat "$T/kills.log"
		fail "$MAX_CYCLES runs, only $killed killed: they end too fast"
	}
	# 0.010 to 0.300 s, short ones more often (the product of two draws)
	delay=$(printf '0.%03d' $((10 + (RANDOM % 291) * (RANDOM % 291) / 290)))
	"$EDIGATE" -c "$T/edigate.yaml" run >"$T/run.out" 2>&1 &
	pid=$!
	if ((next < random_files)); then
		drop "$WAVE" # while the run goes on
	fi
	sleep "$delay"
	kill -KILL "$pid" 2>/dev/null || true
	rc=0
	{ wait "$pid"; } 2>/dev/null || rc=$? # no "Killed" notice
	pid=
	run_status
	after_run "$( ((rc == 137)) && echo killed || echo ended) after ${delay}s"
done
random_kills=$killed

# --- 2. kill just before the Nth rename (or SQLite's fdatasync) ---
# strace injects the SIGKILL, so the narrow windows are hit too: after the
# journal commit, between publishing batches, between moves to archive/.
declare -A points=()
if strace -o /dev/null true 2>/dev/null; then
	for ((k = 0; k < TARGETED; k++)); do
		((++cycle))
		drop "$TARGETED_WAVE"
		if ((RANDOM % 4 == 0)); then
			call=fdatasync when=$((1 + RANDOM % 3))
		else
			call=rename when=$((1 + RANDOM % (5 * TARGETED_WAVE)))
		fi
		rc=0
		{ ASAN_OPTIONS=${ASAN_OPTIONS:-}:detect_leaks=0 strace -o "$T/strace.out" \
			-e trace=rename,fdatasync \
			-e inject="$call":signal=KILL:when="$when" \
			"$EDIGATE" -c "$T/edigate.yaml" run >"$T/run.out" 2>&1; } \
			2>/dev/null || rc=$?
		run_status
		if ((rc != 137)); then
			after_run "ended before $call #$when"
			continue
		fi
		last=$(grep -v '^+++' "$T/strace.out" | tail -1)
		last=${last//"$S/"/} # paths relative to the spool
		case $call:$last in
		fdatasync:*) point="SQLite fdatasync" ;;
		*'"state/batches/'*'"out/'*) point="publish a batch" ;;
		*'"work/'*'"archive/'*) point="work -> archive" ;;
		*'"work/'*'"error/'*) point="work -> error" ;;
		*'"work/'*'"in/'*) point="recovery work -> in" ;;
		*'"in/'*'"work/'*) point="claim in -> work" ;;
		*'"in/'*'"tmp/'*) point="admission in -> tmp" ;;
		*'"tmp/'*'"work/'*) point="admission tmp -> work" ;;
		*'"tmp/'*'"in/'*) point="tidy tmp -> in" ;;
		*'/.'*) point="a temp file into place" ;;
		*) point="other rename" ;;
		esac
		points[$point]=$((${points[$point]:-0} + 1))
		after_run "killed before $call #$when ($point): ${last%% = *}"
	done
	targeted="targeted kills before: $(for p in "${!points[@]}"; do
		printf '%s %d\n' "$p" "${points[$p]}"
	done | sort | paste -sd, | sed 's/,/, /g')"
else
	targeted="no targeted kills (strace cannot run here)"
fi
drop "${#names[@]}" # whatever is still waiting

# --- then to the end ---
rc=0
"$EDIGATE" -c "$T/edigate.yaml" run >"$T/run.out" 2>&1 || rc=$?
if [ "$rc" -ne 0 ] && [ "$rc" -ne 65 ]; then
	cat "$T/kills.log" "$T/run.out"
	fail "the last run exited $rc"
fi
n_sets=$((N_GOOD + 3 * N_PARTIAL))
if ! final=$(python3 "$T/check.py" final "$T" "$n_sets" "$N_DUP" 2>"$T/check.err"); then
	cat "$T/kills.log" "$T/run.out" "$T/check.err"
	fail "after the last run: $(head -1 "$T/check.err")"
fi
# a second run finds nothing to do and delivers nothing again
expect_exit 0 "$EDIGATE" -c "$T/edigate.yaml" run
python3 "$T/check.py" final "$T" "$n_sets" "$N_DUP" >/dev/null ||
	fail "a run after the end changed the spool"

[ "$interrupted" -ge $((KILLS / 3)) ] || {
	cat "$T/kills.log"
	fail "only $interrupted of $killed kills interrupted a run with work left"
}
[ -z "${CRASH_LOG:-}" ] || cp "$T/kills.log" "$CRASH_LOG"
nfiles=$(wc -l <"$T/manifest.tsv")
echo "NOTE: $nfiles files, $n_sets sets accepted, $((N_PARTIAL + N_BAD + N_UNKNOWN + N_DUP)) to error/;" \
	"$cycle runs, $killed killed with SIGKILL ($random_kills after a random delay; $interrupted with work left, $after_commit of them after a commit), $finished ended before the kill; $targeted; end: $final"
