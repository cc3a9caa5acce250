#!/usr/bin/env bash
# Exact influence (Koh & Liang) of Fashion-MNIST training images on the first 100 test images, multinomial
# logistic regression, lam 1e-3 (mean form, bias unregularised), damping 1e-3: the functorch peer
# (influence_functorch_fmnist.py in the folder PEERS_DIR, called as is) against PoisonLab's InfluenceRun, in one run,
# for n = 60,000 and the peer's RandomState(0) subset of 5,000. Prints each side's stage times, the ratio of the
# stage totals, the Spearman rank correlation of the scores per test point (median and minimum over the 100),
# and peak memory (/usr/bin/time -v).
#
# Needs python3-torch, python3-sklearn and dataset-fashion-mnist from Debian (/usr/bin/python3), and
# `poisonlab data fetch fashion-mnist`. Usage: bench/scripts/influence-vs-functorch.sh [SIZES...] (default 60000 5000)
set -euo pipefail
cd "$(dirname "$0")/../.."
sizes=("${@:-60000 5000}")
read -r -a sizes <<<"${sizes[*]}"
peers=$(cd "${PEERS_DIR:?set PEERS_DIR to the folder holding the Python peer scripts}" && pwd)
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
export PEERS_WORK="$out/peer"

./mvnw -q -B -o -pl core,bench package -DskipTests
jar=bench/target/benchmarks.jar

/usr/bin/time -v /usr/bin/python3 "$peers/influence_functorch_fmnist.py" --sizes "${sizes[@]}" \
  >"$out/peer.txt" 2>"$out/peer.time"
peer_rss=$(awk -F: '/Maximum resident/ {gsub(/ /, "", $2); print $2}' "$out/peer.time")

for n in "${sizes[@]}"; do
  if [ "$n" = 60000 ]; then idx=all; else
    idx="$out/idx$n.txt"
    /usr/bin/python3 -c "import numpy as np; print('\n'.join(map(str, np.sort(np.random.RandomState(0).choice(60000, $n, replace=False)))))" >"$idx"
  fi
  /usr/bin/time -v java -Xmx6g --add-modules jdk.incubator.vector -cp "$jar" org.poisonlab.bench.InfluenceRun \
    "$idx" "$out/pl$n" >"$out/pl$n.json" 2>"$out/pl$n.time"
  pl_rss=$(awk -F: '/Maximum resident/ {gsub(/ /, "", $2); print $2}' "$out/pl$n.time")
  echo "n=$n poisonlab: $(cat "$out/pl$n.json")"
  echo "n=$n peak RSS: poisonlab ${pl_rss} kB (peer process over all sizes: ${peer_rss} kB)"
  /usr/bin/python3 - "$out/peer.txt" "$out/peer/influence_scores_n$n.npy" "$out/pl$n.scores" "$out/pl$n.json" "$n" <<'PY'
import json, re, sys
import numpy as np
from scipy.stats import spearmanr
peer_txt, peer_npy, pl_scores, pl_json, n = sys.argv[1:6]
n = int(n)
runs = [json.loads(b) for b in re.findall(r'(?ms)^\{.*?^\}', open(peer_txt).read())]
run = [r for r in runs if r["n_train"] == n][0]
peer = -np.load(peer_npy).astype(np.float64)      # the peer stores I_up,loss; PoisonLab scores its negative
ours = np.fromfile(pl_scores, dtype="<f8").reshape(n, 100)
rho = [spearmanr(ours[:, t], peer[:, t]).correlation for t in range(100)]
pl = json.load(open(pl_json))
t = dict(re.findall(r'(\w+_s)=([0-9.E-]+)', pl["diagnostics"]))
pt = run["times_s"]
ours_total = sum(float(t[k]) for k in ("gradients_s", "hessian_s", "factor_s", "solve_s", "scores_s"))
print(f"n={n} peer stages: " + ", ".join(f"{k} {v:.2f}" for k, v in pt.items()))
print(f"n={n} poisonlab stages: " + ", ".join(f"{k} {float(t[k]):.2f}" for k in ("gradients_s", "hessian_s", "factor_s", "solve_s", "scores_s")))
print(f"n={n} total: peer {pt['total_stages']:.2f} s, poisonlab {ours_total:.2f} s, ratio {pt['total_stages'] / ours_total:.1f}x")
print(f"n={n} spearman per test point: median {np.median(rho):.5f}, min {np.min(rho):.5f}")
PY
done
