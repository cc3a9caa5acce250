#!/usr/bin/env bash
# Side by side, in one run: whole-process wall time of `poisonlab corpus scan` against the Python peer of its
# first pass (corpus_minhash_peer.py beside this script: json.loads, a SHA-1 exact hash, lower-cased \w+ words,
# SHA-1 word 5-gram shingles, 112 MinHash functions (a x + b) mod 2^61 - 1 in numpy as datatrove's MinHash stage 1
# computes them, 14 band keys of 8 rows, and the novelty runs of random-looking text), on the same JSONL files.
# Both sides take one file per task: the scan on THREADS threads, the peer on THREADS worker processes.
#
# The two sides do not do the same amount of work: the scan does more. Besides the first pass that the peer
# mirrors, it keeps each document's first- and last-word hashes and the text around its runs, writes every shard's
# features and signatures to its work folder, reads the shards a second time for the burst candidates' document
# frequencies (when there are candidates), clusters near-duplicates from the band keys, tests bursts and
# templates, and writes summary.json, flags.jsonl and clusters.jsonl. The peer writes nothing (its band keys go
# back to the parent process, which counts exact duplicates). A ratio above 1 therefore understates the scan's
# lead on the first pass alone; its own stage times (progress lines, seconds since the command started) are
# printed for each run: "first pass" at the last shard scanned, "findings" once every test is done.
# Each scan writes into a fresh folder, so nothing resumes from an earlier run.
#
# Throughput is text bytes (UTF-8, the `text` fields; the scan's summary.json `bytes`, which the peer must match)
# over whole-process wall seconds (JVM or interpreter start-up included), in 10^6 bytes per second; per core
# divides by THREADS. Both sides parallelise over files only, so with fewer files than THREADS some of the cores
# counted sit idle on both sides (the script says so). Runs alternate (peer, then scan); prints every run, then
# medians and the ratio (peer seconds / scan seconds, above 1 when the scan is faster).
#
# Needs: /usr/bin/python3 with numpy; the corpus files (by default the shards of the pinned code-corpus-small,
# `poisonlab data fetch code-corpus-small`). Usage:
#   bench/scripts/corpus-scan-vs-python.sh [FILE...]
# Environment: REPEATS (3), THREADS (2).
set -euo pipefail
cd "$(dirname "$0")/../.."
source bench/scripts/side-by-side.sh
repeats=${REPEATS:-3}
threads=${THREADS:-2}
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

if (($# > 0)); then
  files=("$@")
else
  shopt -s nullglob
  files=(~/.cache/poisonlab/datasets/code-corpus-small/derived-*/shard-*.jsonl)
  shopt -u nullglob
  if ((${#files[@]} == 0)); then
    echo "corpus-scan-vs-python: no shards of code-corpus-small in ~/.cache/poisonlab/datasets; name the files" >&2
    exit 1
  fi
fi
for f in "${files[@]}"; do
  [[ -f $f ]] || { echo "corpus-scan-vs-python: no such file: $f" >&2; exit 1; }
done
if ! /usr/bin/python3 -c 'import numpy' 2>/dev/null; then
  echo "corpus-scan-vs-python: /usr/bin/python3 has no numpy (apt-get install python3-numpy)" >&2
  exit 1
fi

./poisonlab --version >/dev/null   # builds the jar if needed, outside the timed runs

now() { date +%s.%N; }
scan() {
  POISONLAB_PROGRESS=1 java --add-modules jdk.incubator.vector -XX:+UseParallelGC -jar cli/target/poisonlab.jar \
    corpus scan --in "${files[@]}" --out "$1" --threads "$threads"
}
# stage FILE PATTERN: the seconds of the last progress line in FILE matching PATTERN ("-" when none)
stage() {
  local s
  s=$({ grep -E "^\[ *[0-9.]+s\] $2" "$1" || true; } | tail -1 | sed -E 's/^\[ *([0-9.]+)s\].*/\1/')
  echo "${s:--}"
}

echo "== corpus scan vs Python peer: ${#files[@]} files, $(du -chL "${files[@]}" | tail -1 | cut -f1), threads/workers $threads," \
  "repeats $repeats"
echo "machine: nproc $(nproc); load at start:$(uptime | sed 's/.*load average://')"
if ((${#files[@]} < threads)); then
  echo "note: ${#files[@]} file(s) for $threads threads: both sides scan one file per task, so cores sit idle"
fi
peer_t=(); pl_t=(); peer_r=(); pl_r=()
for ((i = 1; i <= repeats; i++)); do
  t0=$(now)
  /usr/bin/python3 bench/scripts/corpus_minhash_peer.py --workers "$threads" "${files[@]}" >"$out/peer.json" \
    2>"$out/peer.err" || { cat "$out/peer.err" >&2; exit 1; }
  t1=$(now)
  rm -rf "$out/scan"
  scan "$out/scan" >"$out/pl.txt" 2>"$out/pl.err" || { cat "$out/pl.err" >&2; exit 1; }
  t2=$(now)
  p=$(awk "BEGIN{print $t1 - $t0}"); q=$(awk "BEGIN{print $t2 - $t1}")
  bytes=$(field "$out/scan/summary.json" bytes)
  docs=$(field "$out/scan/summary.json" documents)
  if [[ $(field "$out/peer.json" bytes) != "$bytes" || $(field "$out/peer.json" documents) != "$docs" ]]; then
    echo "corpus-scan-vs-python: the peer read $(field "$out/peer.json" documents) documents," \
      "$(field "$out/peer.json" bytes) bytes; the scan $docs, $bytes" >&2
    exit 1
  fi
  peer_t+=("$p"); pl_t+=("$q")
  peer_r+=("$(awk "BEGIN{print $bytes / 1e6 / $p}")"); pl_r+=("$(awk "BEGIN{print $bytes / 1e6 / $q}")")
  printf 'run %d: python %.2f s (%.2f MB/s; %s documents, %s with runs, %s exact duplicates)' "$i" "$p" \
    "${peer_r[-1]}" "$docs" "$(field "$out/peer.json" documents_with_runs)" "$(field "$out/peer.json" exact_duplicates)"
  printf ' | poisonlab %.2f s (%.2f MB/s; %s with runs, %s exact duplicates; first pass at %s s, findings at %s s)\n' \
    "$q" "${pl_r[-1]}" "$(field "$out/scan/summary.json" documents_with_random_runs)" \
    "$(field "$out/scan/summary.json" exact_duplicates)" "$(stage "$out/pl.err" scanned)" "$(stage "$out/pl.err" '[0-9,]+ findings')"
  echo "  python: $(cat "$out/peer.json")"
done
mp=$(median "${peer_t[@]}"); mq=$(median "${pl_t[@]}")
rp=$(median "${peer_r[@]}"); rq=$(median "${pl_r[@]}")
printf 'median wall: python %.2f s, poisonlab %.2f s; ratio (python / poisonlab) %.2fx\n' "$mp" "$mq" \
  "$(awk "BEGIN{print $mp / $mq}")"
printf 'median throughput: python %.2f MB/s (%.2f per core), poisonlab %.2f MB/s (%.2f per core), on %d cores each\n' \
  "$rp" "$(awk "BEGIN{print $rp / $threads}")" "$rq" "$(awk "BEGIN{print $rq / $threads}")" "$threads"
echo "load at end:$(uptime | sed 's/.*load average://')"
