#!/usr/bin/env bash
# Side by side, in one run: whole-process time of `poisonlab train` (multinomial logistic regression on
# Fashion-MNIST, 60,000 training images, test accuracy on the 10,000) against the scikit-learn peer
# (sklearn_logreg_fmnist.py in the folder PEERS_DIR: LogisticRegression, lbfgs, defaults). Runs are interleaved;
# prints every run, then medians and the ratio.
#
# Needs: python3-sklearn and dataset-fashion-mnist from Debian (the peer reads /usr/share/datasets/fashion-mnist),
# run with /usr/bin/python3. Usage: bench/scripts/train-vs-sklearn.sh [RUNS]  (default 5)
set -euo pipefail
cd "$(dirname "$0")/../.."
source bench/scripts/side-by-side.sh
runs=${1:-5}
peers=${PEERS_DIR:?set PEERS_DIR to the folder holding the Python peer scripts}
fmnist=${FMNIST_DIR:-/usr/share/datasets/fashion-mnist}
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

./poisonlab data fetch fashion-mnist >/dev/null
./poisonlab --version >/dev/null   # builds the jar if needed, outside the timed runs

now() { date +%s.%N; }
peer_t=(); pl_t=()
for ((i = 1; i <= runs; i++)); do
  t0=$(now)
  /usr/bin/python3 "$peers/sklearn_logreg_fmnist.py" "$fmnist" >"$out/peer.txt" 2>"$out/peer.err"
  t1=$(now)
  ./poisonlab train --train fashion-mnist:train --test fashion-mnist:test --model logreg \
    --out "$out/fmnist.model" --json >"$out/pl.json"
  t2=$(now)
  p=$(awk "BEGIN{print $t1 - $t0}"); q=$(awk "BEGIN{print $t2 - $t1}")
  peer_t+=("$p"); pl_t+=("$q")
  acc=$(grep -o '"accuracy" : [0-9.]*' "$out/pl.json" | awk '{print $3}')
  printf 'run %d: scikit-learn %.2f s (%s) | poisonlab %.2f s (accuracy=%s)\n' "$i" "$p" "$(cat "$out/peer.txt")" "$q" "$acc"
done
mp=$(median "${peer_t[@]}"); mq=$(median "${pl_t[@]}")
printf 'median whole process: scikit-learn %.2f s, poisonlab %.2f s, ratio %.1fx\n' "$mp" "$mq" "$(awk "BEGIN{print $mp / $mq}")"
