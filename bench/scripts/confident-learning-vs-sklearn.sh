#!/usr/bin/env bash
# Side by side on Fashion-MNIST (60,000 training images), same inputs on both sides:
#  1. the whole confident-learning pipeline with 20 % of the labels flipped uniformly (seed 0): PoisonLab's
#     `confident-learning` detector (5-fold out-of-sample probabilities + the filter) against scikit-learn's
#     cross_val_predict of LogisticRegression (lbfgs, defaults, BLAS on 2 threads) + a numpy implementation of
#     cleanlab's prune-by-noise-rate filter (confident_learning_sklearn.py). The flipped labels are written once
#     by PoisonLab and read by the peer. Whole-process times, runs interleaved; medians and the ratio.
#  2. spectral signatures and activation clustering on the SAME penultimate features of the default MLP trained
#     on a 1 % patch backdoor: PoisonLab's detectors against numpy/scikit-learn (per-class centred SVD; PCA(10) +
#     KMeans(2)); medians of 3 runs inside each process.
#
# Needs python3-sklearn and dataset-fashion-mnist from Debian; run with /usr/bin/python3.
# Usage: bench/scripts/confident-learning-vs-sklearn.sh [RUNS]  (default 3)
set -euo pipefail
cd "$(dirname "$0")/../.."
source bench/scripts/side-by-side.sh
runs=${1:-3}
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
jar=bench/target/benchmarks.jar
if [[ ! -f $jar ]]; then
  ./mvnw -B -q -o -pl core,bench package -DskipTests >/dev/null
fi
java_run() { java --add-modules jdk.incubator.vector -cp "$jar" org.poisonlab.bench.PeerComparisonRun "$@" 2>/dev/null; }
./poisonlab data fetch fashion-mnist >/dev/null
java_run flips "$out/labels.txt" 0.2 0

now() { date +%s.%N; }
peer_t=(); pl_t=()
for ((i = 1; i <= runs; i++)); do
  t0=$(now)
  peer=$(/usr/bin/python3 bench/scripts/confident_learning_sklearn.py confident-learning "$out/labels.txt" 2>>"$out/peer.err")
  t1=$(now)
  pl=$(java_run confident-learning 0.2 0)
  t2=$(now)
  p=$(awk "BEGIN{print $t1 - $t0}"); q=$(awk "BEGIN{print $t2 - $t1}")
  peer_t+=("$p"); pl_t+=("$q")
  printf 'run %d: scikit-learn+numpy %.2f s %s | poisonlab %.2f s %s\n' "$i" "$p" "$peer" "$q" "$pl"
done
mp=$(median "${peer_t[@]}"); mq=$(median "${pl_t[@]}")
printf 'confident learning, median whole process: scikit-learn+numpy %.2f s, poisonlab %.2f s, ratio %.1fx\n' \
  "$mp" "$mq" "$(awk "BEGIN{print $mp / $mq}")"

java_run representations "$out/repr" 0 | sed 's/^/poisonlab: /'
/usr/bin/python3 bench/scripts/confident_learning_sklearn.py representations "$out/repr" 2>>"$out/peer.err" | sed 's/^/numpy\/scikit-learn: /'
