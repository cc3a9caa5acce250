"""Scores a corpus scan against the truth file of `poisonlab corpus plant`.

Usage: /usr/bin/python3 bench/scripts/corpus_eval.py SCAN_DIR TRUTH.jsonl CORPUS_FILE...

Prints one JSON object:
- per planted kind: planted, flagged (by any finding), recall; the trigger the truth names and whether a
  finding names it exactly;
- clean documents flagged, and false flags per clean document;
- near-duplicates: recall (planted copies in the same cluster as their original) and precision (of
  1,000 documents drawn from the clusters, plus every planted copy, the share with a cluster-mate
  among its first 50 at exact word-5-gram Jaccard >= 0.7), and their F1;
- split-view: substituted documents the readers reported as failing their declared digest.
"""
import json
import random
import re
import sys
from collections import Counter, defaultdict

scan, truth_file, corpus = sys.argv[1], sys.argv[2], sys.argv[3:]

truth = {}
for line in open(truth_file):
    t = json.loads(line)
    truth[t["record_id"]] = t
summary = json.load(open(scan + "/summary.json"))

flagged = set()
clean_flagged = set()
for line in open(scan + "/flags.jsonl"):
    f = json.loads(line)
    rid = f["doc"].get("record_id")
    if rid in truth and truth[rid]["kind"] != "split_view":
        flagged.add(rid)
    else:
        clean_flagged.add(rid)

kinds = Counter(t["kind"] for t in truth.values())
out = {"documents": summary["documents"], "findings": [
    {"detector": f["detector"], "trigger": f["trigger"], "documents": f["documents"],
     "sources": f["source_count"], "p_value": f["p_value"]} for f in summary["findings"]]}
for kind in ("burst", "templated"):
    n = kinds.get(kind, 0)
    hit = sum(1 for r in flagged if truth[r]["kind"] == kind)
    out[kind] = {"planted": n, "flagged": hit, "recall": hit / n if n else None}
triggers = {t["trigger"] for t in truth.values() if t["kind"] == "burst"}
out["burst"]["trigger"] = sorted(triggers)
out["burst"]["trigger_named"] = all(any(f["trigger"] == t for f in summary["findings"]) for t in triggers)
clean = summary["documents"] - sum(n for k, n in kinds.items() if k not in ("split_view",))
out["clean_flagged"] = len(clean_flagged)
out["false_flags_per_clean_document"] = len(clean_flagged) / clean if clean else None

# near-duplicates
SAMPLE = 1000
MATES = 50
cluster = {}
members = defaultdict(list)
for line in open(scan + "/clusters.jsonl"):
    c = json.loads(line)
    rid = c["doc"].get("record_id")
    cluster[rid] = c["cluster"]
    members[c["cluster"]].append(rid)
copies = [t for t in truth.values() if t["kind"] == "near_duplicate"]


def shingles(text):
    w = re.findall(r"\w+", text.lower())
    return {" ".join(w[i:i + 5]) for i in range(max(1, len(w) - 4))}


def jaccard(a, b):
    return len(a & b) / len(a | b) if a | b else 1.0


joined = 0
for t in copies:
    c = cluster.get(t["record_id"])
    if c is not None and cluster.get(t["original_id"]) == c:
        joined += 1
# precision: of the documents a cluster marks as near-duplicates (a sample of them, every planted copy
# included), the share that have a cluster-mate (among its first 50) at exact Jaccard >= 0.7
rng = random.Random(0)
clustered = sorted(cluster)
sample = set(rng.sample(clustered, min(SAMPLE, len(clustered))))
sample.update(t["record_id"] for t in copies if t["record_id"] in cluster)
need = set(sample)
for rid in sample:
    need.update(members[cluster[rid]][:MATES + 1])
texts = {}
for path in corpus:
    for line in open(path):
        o = json.loads(line)
        if o.get("id") in need:
            texts[o["id"]] = o["text"]
true_dup = 0
for rid in sample:
    mine = shingles(texts[rid])
    mates = [m for m in members[cluster[rid]] if m != rid][:MATES]
    if any(jaccard(mine, shingles(texts[m])) >= 0.7 for m in mates if m in texts):
        true_dup += 1
recall = joined / len(copies) if copies else None
precision = true_dup / len(sample) if sample else None
out["near_duplicate"] = {"planted": len(copies), "joined_original": joined, "recall": recall,
                         "precision_sampled": precision, "sample": len(sample),
                         "f1": 2 * recall * precision / (recall + precision) if recall and precision else None}
split = [t for t in truth.values() if t["kind"] == "split_view"]
out["split_view"] = {"planted": len(split), "bad_records": summary["bad_records"],
                     "digest_mismatches_shown": sum("declared digest" in b for b in summary["bad_records_shown"])}
print(json.dumps(out, indent=1))
