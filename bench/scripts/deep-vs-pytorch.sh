#!/usr/bin/env bash
# Side by side, in one run: PoisonLab's deep families (module deep: PyTorch 2.7.1 CPU through DJL, Adam in Java;
# org.poisonlab.bench.DeepTrainingRun) against plain PyTorch (deep_torch_peer.py beside this script, Debian's
# python3-torch), same architectures, initialisation rule, optimiser, batching and data:
#   cnn      Fashion-MNIST, widths 32,64,128, Adam 1e-3, batch 128, 2 epochs (the architecture of the peers'
#            torch_cnn_fmnist.py); then per-example last-layer gradients of every training image
#            (PoisonLab's forEachGradient against functorch vmap(grad)), penultimate features included
#   textcnn  SpamAssassin, PoisonLab's defaults: widths 64,128, Adam 2e-3, batch 32, 4 epochs
#   transformer  SpamAssassin, PoisonLab's defaults: width 64, ffn 128, Adam 2e-3, batch 32, 4 epochs
# Runs are interleaved (peer, then PoisonLab, RUNS times, seed = run - 1); prints every run, then the medians, the
# ratios (peer seconds / PoisonLab seconds) of training time and of per-example gradient time, and the test
# accuracies. Times are in-process: training only (PoisonLab: Trainers.train; peer: the training loop plus the
# data preparation PoisonLab does inside training), without data loading, interpreter / JVM start, `import torch`
# or loading PyTorch's native library.
#
# Needs: python3-torch and dataset-fashion-mnist from Debian (the peer reads /usr/share/datasets/fashion-mnist,
# FMNIST_DIR to change), run with /usr/bin/python3; PoisonLab's pinned fashion-mnist and spamassassin in its cache
# (`poisonlab data fetch NAME`). Usage: bench/scripts/deep-vs-pytorch.sh [RUNS]  (default 3)
# Environment: MODELS (default "cnn textcnn transformer"), THREADS (default 2, both sides), LIMIT (training examples kept on
# both sides, evenly spaced; default 0 = all; for smoke tests), CNN_EPOCHS (2), TEXT_EPOCHS (4).
set -euo pipefail
cd "$(dirname "$0")/../.."
source bench/scripts/side-by-side.sh
runs=${1:-3}
models=${MODELS:-cnn textcnn transformer}
threads=${THREADS:-2}
limit=${LIMIT:-0}
fmnist=${FMNIST_DIR:-/usr/share/datasets/fashion-mnist}
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

if [[ ! -f $fmnist/train-images-idx3-ubyte.gz ]]; then
  echo "deep-vs-pytorch: no Fashion-MNIST in $fmnist (apt-get install dataset-fashion-mnist, or set FMNIST_DIR)" >&2
  exit 1
fi

# outside the timed runs: the bench jar, and SpamAssassin's splits as JSONL for the peer
./mvnw -q -B -pl bench -am package -DskipTests -Dspotless.check.skip=true
poisonlab() { deep_run DeepTrainingRun "$@"; }
peer() {
  PEERS_THREADS=$threads FMNIST_DIR=$fmnist SPAM_DIR="$out/spam" \
    /usr/bin/python3 bench/scripts/deep_torch_peer.py "$@"
}
poisonlab export "$out/spam"

for model in $models; do
  case $model in
    cnn) args=("${CNN_EPOCHS:-2}" 128 1e-3 32,64,128) ;;
    textcnn) args=("${TEXT_EPOCHS:-4}" 32 2e-3 64,128) ;;
    transformer) args=("${TEXT_EPOCHS:-4}" 32 2e-3 64,128) ;;
    *) echo "deep-vs-pytorch: unknown model $model" >&2; exit 2 ;;
  esac
  echo "== $model: epochs ${args[0]}, batch ${args[1]}, lr ${args[2]}, widths ${args[3]}, limit $limit, threads $threads"
  peer_t=(); pl_t=(); peer_g=(); pl_g=(); peer_a=(); pl_a=()
  for ((i = 1; i <= runs; i++)); do
    seed=$((i - 1))
    peer "$model" "${args[@]}" "$seed" "$limit" >"$out/peer.json" 2>"$out/peer.err" \
      || { cat "$out/peer.err" >&2; exit 1; }
    poisonlab "$model" "${args[@]}" "$seed" "$limit" >"$out/pl.json" 2>"$out/pl.err" \
      || { cat "$out/pl.err" >&2; exit 1; }
    peer_t+=("$(field "$out/peer.json" train_seconds)"); pl_t+=("$(field "$out/pl.json" train_seconds)")
    peer_a+=("$(field "$out/peer.json" test_accuracy)"); pl_a+=("$(field "$out/pl.json" test_accuracy)")
    line=$(printf 'run %d (seed %d, n=%s): pytorch train %.2f s, accuracy %s' "$i" "$seed" \
      "$(field "$out/pl.json" n_train)" "${peer_t[-1]}" "${peer_a[-1]}")
    if [[ $model == cnn ]]; then
      peer_g+=("$(field "$out/peer.json" per_example_gradient_seconds)")
      line+=$(printf ', per-example gradients %.2f s' "${peer_g[-1]}")
    fi
    line+=$(printf ' | poisonlab train %.2f s, accuracy %s' "${pl_t[-1]}" "${pl_a[-1]}")
    if [[ $model == cnn ]]; then
      pl_g+=("$(field "$out/pl.json" per_example_gradient_seconds)")
      line+=$(printf ', per-example gradients %.2f s' "${pl_g[-1]}")
    fi
    echo "$line"
    echo "  pytorch:   $(cat "$out/peer.json")"
    echo "  poisonlab: $(cat "$out/pl.json")"
  done
  mp=$(median "${peer_t[@]}"); mq=$(median "${pl_t[@]}")
  printf '%s median training: pytorch %.2f s, poisonlab %.2f s, ratio (pytorch / poisonlab) %.2fx\n' \
    "$model" "$mp" "$mq" "$(awk "BEGIN{print $mp / $mq}")"
  if [[ $model == cnn ]]; then
    mp=$(median "${peer_g[@]}"); mq=$(median "${pl_g[@]}")
    printf '%s median per-example gradients: pytorch (functorch vmap) %.2f s, poisonlab %.2f s, ratio %.2fx\n' \
      "$model" "$mp" "$mq" "$(awk "BEGIN{print $mp / $mq}")"
  fi
  printf '%s test accuracy: pytorch median %s (%s), poisonlab median %s (%s)\n' "$model" \
    "$(median "${peer_a[@]}")" "${peer_a[*]}" "$(median "${pl_a[@]}")" "${pl_a[*]}"
done
