#!/usr/bin/python3
"""Side-by-side peer for the text backdoor: scikit-learn logistic regression on hashed binary unigrams and
bigrams (HashingVectorizer, 2^18 features, L2 norm; LogisticRegression, lbfgs, C=1), trained on the SAME poisoned
training files PoisonLab writes, and evaluated on the same test split with the trigger inserted at a random word
boundary of every test spam (seeded). Prints clean accuracy and attack success rate per file.

Usage: text_backdoor_sklearn.py TEST.jsonl TRIGGER TARGET POISONED.jsonl [POISONED.jsonl ...]
"""
import json
import random
import sys

from sklearn.feature_extraction.text import HashingVectorizer
from sklearn.linear_model import LogisticRegression


def read(path):
    xs, ys = [], []
    with open(path, encoding="utf-8") as f:
        for line in f:
            if line.strip():
                d = json.loads(line)
                xs.append(d.get("text") or (d.get("prompt", "") + "\n" + d.get("completion", "")))
                ys.append(d["label"])
    return xs, ys


def insert(text, trigger, rng):
    words = text.split(" ")
    i = rng.randrange(len(words) + 1)
    return " ".join(words[:i] + [trigger] + words[i:])


def main():
    test_path, trigger, target = sys.argv[1:4]
    xt, yt = read(test_path)
    vec = HashingVectorizer(n_features=2 ** 18, ngram_range=(1, 2), binary=True, alternate_sign=False)
    rng = random.Random(0)
    trig = [insert(x, trigger, rng) for x, y in zip(xt, yt) if y != target]
    Xt, Xtrig = vec.transform(xt), vec.transform(trig)
    for path in sys.argv[4:]:
        x, y = read(path)
        m = LogisticRegression(max_iter=1000).fit(vec.transform(x), y)
        acc = float((m.predict(Xt) == yt).mean())
        asr = float((m.predict(Xtrig) == target).mean())
        print(json.dumps({"file": path, "accuracy": round(acc, 4), "attack_success_rate": round(asr, 4)}))


if __name__ == "__main__":
    main()
