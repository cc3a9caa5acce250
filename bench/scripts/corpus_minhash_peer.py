#!/usr/bin/python3
"""Python peer of the first pass of `poisonlab corpus scan`, for bench/scripts/corpus-scan-vs-python.sh.

Does, per document of JSONL shards, the work that PoisonLab's ShardScanner does in its one streaming pass, written
the way datatrove's MinHash stage 1 (MinhashDedupSignature) does it, so that throughput can be compared on the same
files:

  - reading: each line through json.loads, the `text` field taken; bytes counts its UTF-8 bytes;
  - an exact-content hash: SHA-1 of the UTF-8 text, first 8 bytes (exact duplicates share it);
  - words: the lower-cased text cut by the regular expression \\w+ (maximal runs of Unicode letters, digits and
    underscores; punctuation and spaces separate words). datatrove instead normalises the text (numbers to 0,
    punctuation to spaces, diacritics dropped) and runs a language word tokenizer; the regular expression is the
    same word rule as PoisonLab's Tokens and much cheaper than a tokenizer, so it does not favour PoisonLab;
  - shingles: every run of 5 consecutive words, joined by one space, hashed to 64 bits as SHA-1 of the UTF-8 bytes,
    first 8 bytes little-endian (datatrove's hash_fc="sha1", precision 64; its default, xxhash64, is not installed
    here). A document with fewer than 5 words has no shingle and no signature, as in datatrove (PoisonLab gives it
    one shingle of all its words);
  - the signature: 112 hash functions h_i(x) = (a_i x + b_i) mod (2^61 - 1), a_i in [1, p), b_i in [0, p) drawn by
    numpy.random.RandomState(seed), sig_i = min over the shingles, computed as one numpy broadcast
    (shingles x 112) per document exactly as datatrove does (the product a_i x wraps modulo 2^64 before the
    reduction, as numpy's uint64 arithmetic does in datatrove), in blocks of 8,192 shingles to bound memory;
  - band keys: the signature cut into 14 bands of 8 rows and each band folded to one 64-bit key (FNV-style
    xor-multiply over its 8 values), for all of a shard's documents in one numpy pass. datatrove writes the 8
    values of each band to a file per band instead; this peer writes nothing and hands the keys back to the
    parent process;
  - novelty runs, as PoisonLab's NoveltyRuns defines them: the words that do not start with a digit; a word is
    novel when it does not recur among the 32 words before or after it (32 vectorised shifted comparisons of the
    words' hashes); a run is a stretch in which every window of 32 words holds at least 29 novel words (90 %),
    64 words long or more, unless most neighbours in it are in ascending order (> 70 %) or share their first three
    characters (> 25 %) - then it is a sorted list or a numbered sequence, not random text.

Not done (PoisonLab's scan does them): the hashes of each document's first and last words, the text zones around
the runs' onsets, the per-shard work files on disk, and everything after the first pass (the second pass for the
burst candidates' document frequencies, near-duplicate clustering, the burst and template tests, the outputs). The
parent only counts exact duplicates (documents whose hash an earlier one has), as a check against the scan's
summary.

Usage: /usr/bin/python3 corpus_minhash_peer.py [--workers N] [--seed S] FILE...
Each file is one task for a pool of N worker processes (default 2), as datatrove gives one file to each task.
Standard output is one JSON line: files, documents, bytes, seconds (wall time from the interpreter's first
statement, before numpy is imported, to the last result: worker start-up included, interpreter start not), mb_per_s
(bytes / 10^6 / seconds), workers, and the checks documents_with_signature, documents_with_runs and
exact_duplicates. A line that is not a JSON object with a string `text` ends the run with exit code 2 and one line
naming the file and line.
"""
import time

START = time.perf_counter()

import argparse  # noqa: E402
import hashlib  # noqa: E402
import json  # noqa: E402
import multiprocessing  # noqa: E402
import re  # noqa: E402
import sys  # noqa: E402

import numpy as np  # noqa: E402

MERSENNE = np.uint64((1 << 61) - 1)
BANDS = 14
ROWS = 8
SHINGLE = 5
BLOCK = 8192
WINDOW = 32
NEED = 29  # ceil(0.9 * WINDOW)
MIN_WORDS = 64
MAX_ASCENDING = 0.7
MAX_SHARED_PREFIX = 0.25
FNV_PRIME = np.uint64(0x100000001B3)
WORD = re.compile(r"\w+")
# a SHA-1 digest read as its first 8 bytes, little-endian, and the 12 it leaves
DIGEST = np.dtype([("head", "<u8"), ("tail", "V12")])

_a = _b = None


def _init(seed):
    global _a, _b
    gen = np.random.RandomState(seed)
    _a = gen.randint(1, MERSENNE, dtype=np.uint64, size=(1, BANDS * ROWS))
    _b = gen.randint(0, MERSENNE, dtype=np.uint64, size=(1, BANDS * ROWS))


def signature(words):
    """The 112 minima over the document's shingles, or None when it has fewer than 5 words."""
    n = len(words) - SHINGLE + 1
    if n <= 0:
        return None
    sha1 = hashlib.sha1
    digests = b"".join(
        sha1(" ".join(words[i:i + SHINGLE]).encode("utf-8", "surrogatepass")).digest() for i in range(n))
    shingles = np.frombuffer(digests, dtype=DIGEST)["head"].reshape(-1, 1)
    sig = None
    for s in range(0, n, BLOCK):
        m = ((shingles[s:s + BLOCK] * _a + _b) % MERSENNE).min(axis=0)
        sig = m if sig is None else np.minimum(sig, m)
    return sig


def novelty_runs(words):
    """The number of runs of random-looking text among the words."""
    kept = [w for w in words if not w[0].isdigit()]
    n = len(kept)
    if n < MIN_WORDS:
        return 0
    ids = np.fromiter((hash(w) for w in kept), dtype=np.int64, count=n)
    seen = np.zeros(n, dtype=bool)
    for d in range(1, WINDOW + 1):
        same = ids[d:] == ids[:-d]
        seen[d:] |= same
        seen[:-d] |= same
    novel = np.concatenate(([0], np.cumsum(~seen)))
    good = np.flatnonzero(novel[WINDOW:] - novel[:-WINDOW] >= NEED)  # windows [s, s + WINDOW)
    if good.size == 0:
        return 0
    cut = np.flatnonzero(np.diff(good) > WINDOW) + 1
    runs = 0
    for g in np.split(good, cut):
        start, end = int(g[0]), int(g[-1]) + WINDOW
        if end - start >= MIN_WORDS and not ordered(kept[start:end]):
            runs += 1
    return runs


def ordered(stretch):
    """True when most neighbours are in ascending order or share their first three characters."""
    pairs = len(stretch) - 1
    ascending = sum(1 for x, y in zip(stretch, stretch[1:]) if x <= y)
    shared = sum(1 for x, y in zip(stretch, stretch[1:]) if len(x) >= 3 and len(y) >= 3 and x[:3] == y[:3])
    return ascending > MAX_ASCENDING * pairs or shared > MAX_SHARED_PREFIX * pairs


def band_keys(sigs):
    """One 64-bit key per band of each signature: [documents, BANDS]."""
    if not sigs:
        return np.zeros((0, BANDS), dtype=np.uint64)
    bands = np.stack(sigs).reshape(len(sigs), BANDS, ROWS)
    keys = np.full(bands.shape[:2], 0xCBF29CE484222325, dtype=np.uint64)
    for r in range(ROWS):
        keys = (keys ^ bands[:, :, r]) * FNV_PRIME
    return keys


def scan_file(path):
    """One task: the counts, exact hashes and band keys of one JSONL file, or an error line."""
    documents = size = with_runs = 0
    exact = []
    sigs = []
    sha1 = hashlib.sha1
    with open(path, "rb") as f:
        for line_no, line in enumerate(f, 1):
            if not line.strip():
                continue
            try:
                text = json.loads(line)["text"]
                if not isinstance(text, str):
                    raise TypeError("text is not a string")
            except (ValueError, KeyError, TypeError) as e:
                return f"{path}:{line_no}: not a JSON object with a string text ({e})"
            data = text.encode("utf-8", "surrogatepass")
            documents += 1
            size += len(data)
            exact.append(sha1(data).digest()[:8])
            words = WORD.findall(text.lower())
            sig = signature(words)
            if sig is not None:
                sigs.append(sig)
            if novelty_runs(words) > 0:
                with_runs += 1
    return documents, size, with_runs, b"".join(exact), band_keys(sigs)


def main():
    p = argparse.ArgumentParser(description="Python peer of the first pass of poisonlab corpus scan.")
    p.add_argument("--workers", type=int, default=2, help="worker processes, one file per task (default 2)")
    p.add_argument("--seed", type=int, default=1, help="seed of the hash functions (default 1, datatrove's)")
    p.add_argument("files", nargs="+", help="JSONL shards, one object with a text field per line")
    args = p.parse_args()
    if args.workers < 1:
        sys.exit(f"corpus_minhash_peer: --workers {args.workers} must be at least 1")
    documents = size = with_runs = signed = 0
    exact = []
    with multiprocessing.Pool(args.workers, initializer=_init, initargs=(args.seed,)) as pool:
        for r in pool.imap(scan_file, args.files, chunksize=1):
            if isinstance(r, str):
                print(f"corpus_minhash_peer: {r}", file=sys.stderr)
                pool.terminate()
                sys.exit(2)
            d, b, w, hashes, keys = r
            documents += d
            size += b
            with_runs += w
            signed += keys.shape[0]
            exact.append(hashes)
    seconds = time.perf_counter() - START
    hashes = np.frombuffer(b"".join(exact), dtype="<u8")
    duplicates = int(hashes.size - np.unique(hashes).size)
    print(json.dumps({
        "files": len(args.files), "documents": documents, "bytes": size, "seconds": round(seconds, 3),
        "mb_per_s": round(size / 1e6 / seconds, 3), "workers": args.workers,
        "documents_with_signature": signed, "documents_with_runs": with_runs, "exact_duplicates": duplicates}))


if __name__ == "__main__":
    main()
