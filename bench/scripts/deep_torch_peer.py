#!/usr/bin/python3
"""Plain-PyTorch peer of PoisonLab's deep families, for bench/scripts/deep-vs-pytorch.sh.

Rebuilds, in Python on Debian's python3-torch, what org.poisonlab.bench.DeepTrainingRun trains through DJL:

  cnn      Fashion-MNIST, pixels / 255, standardised by the training split's pixel mean and standard deviation:
           conv 3x3 pad 1 (c1) - ReLU - maxpool 2 - conv 3x3 pad 1 (c2) - ReLU -
           maxpool 2 - flatten - linear (dense) - ReLU [penultimate] - linear (10)
  textcnn  SpamAssassin: tokens = maximal runs of letters, digits, '=' and '_' (Java's Character.isLetterOrDigit
           outside ASCII), lowercased; vocabulary of the training split (count >= 2, most frequent first, ties by
           token in UTF-16 order, at most 30,000 entries with [PAD]=0 and [UNK]=1); the first 2048 tokens of a
           text; embedding - conv1d kernel 3, no padding - windows reaching into padding masked with -1e4 -
           max over positions - ReLU [penultimate] - linear (2)
  transformer  SpamAssassin, same tokens, vocabulary and 2048 tokens as textcnn; the text cut into windows of
           128 tokens; word + learned position embeddings (sd 0.1 and 0.02) - 2 pre-norm blocks (layer norm -
           4-head self-attention within the window, padding keys masked with -1e4 - linear - residual; layer norm -
           linear (ffn) - GELU - linear - residual) - layer norm - max over the text's tokens [penultimate] -
           linear (2)

Same initialisation rule (weights uniform +-1/sqrt(fan_in), biases zero, embeddings normal sd 0.1 with the [PAD]
row zero), Adam (0.9, 0.999, 1e-8, no weight decay) on the batch-mean cross-entropy, and the same batching:
each epoch a random permutation cut into pools of 50 batches, each pool sorted by cost (token count for text,
stable), cut into batches, batches in random order. The random draws themselves differ from PoisonLab's.

train_seconds times data preparation that PoisonLab does inside training (float conversion of the images;
tokenising, the vocabulary and the id lists of the training texts) plus the training loop; prep_seconds is the
first part. For cnn, per_example_gradient_seconds times the last layer's per-example gradients of every training
image with functorch.vmap(functorch.grad(loss)) over the final Linear's weight and bias, the penultimate features
computed under no_grad in batches of 128 (PoisonLab's chunk), feature pass included.

Usage: /usr/bin/python3 deep_torch_peer.py cnn|textcnn|transformer EPOCHS BATCH LR WIDTHS SEED [LIMIT]
         [--fmnist-dir DIR] [--spam-dir DIR]
WIDTHS: c1,c2,dense (cnn), embedding,filters (textcnn) or width,ffn (transformer). LIMIT (0: all) keeps LIMIT training examples, at positions
floor(i * n / LIMIT) as DeepTrainingRun does (SpamAssassin lists ham before spam).
FMNIST_DIR (default /usr/share/datasets/fashion-mnist, Debian's dataset-fashion-mnist) holds the gzipped IDX files;
SPAM_DIR holds train.jsonl and test.jsonl (`DeepTrainingRun export DIR`; default: PoisonLab's derived cache under
$POISONLAB_HOME or ~/.cache/poisonlab). PEERS_THREADS (default 2) sets the thread count. Epoch losses go to
standard error; standard output is one JSON line.
"""
import os
import sys
import time

THREADS = int(os.environ.get("PEERS_THREADS", "2"))
for _name in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "NUMEXPR_NUM_THREADS"):
    os.environ[_name] = str(THREADS)

import argparse  # noqa: E402
import glob  # noqa: E402
import gzip  # noqa: E402
import json  # noqa: E402
import math  # noqa: E402
import re  # noqa: E402
import unicodedata  # noqa: E402
from collections import Counter  # noqa: E402

_i0 = time.perf_counter()
import numpy as np  # noqa: E402
import torch  # noqa: E402
import torch.nn as nn  # noqa: E402
import torch.nn.functional as F  # noqa: E402
import functorch  # noqa: E402
IMPORT_SECONDS = time.perf_counter() - _i0

POOL = 50            # batches sorted together (Batches.POOL)
CHUNK = 128          # examples per inference forward pass (Body.CHUNK)
VOCABULARY = 30_000  # DeepKind.TextCnn.VOCABULARY
MAX_TOKENS = 2048    # DeepKind.TextCnn.MAX_TOKENS
KERNEL = 3           # DeepKind.TextCnn.KERNEL
LAYERS, HEADS, WINDOW = 2, 4, 128  # DeepKind.Transformer
PAD, UNK = "[PAD]", "[UNK]"


# ---------------------------------------------------------------- data

def read_idx_gz(path):
    with gzip.open(path, "rb") as f:
        raw = f.read()
    rank = raw[3]
    shape = [int.from_bytes(raw[4 + 4 * k:8 + 4 * k], "big") for k in range(rank)]
    return np.frombuffer(raw, dtype=np.uint8, offset=4 + 4 * rank).reshape(shape)


def fashion(directory, split):
    prefix = "train" if split == "train" else "t10k"
    x = read_idx_gz(os.path.join(directory, prefix + "-images-idx3-ubyte.gz"))
    y = read_idx_gz(os.path.join(directory, prefix + "-labels-idx1-ubyte.gz")).astype(np.int64)
    return x, y


def default_spam_dir():
    home = os.environ.get("POISONLAB_HOME", "").strip() or os.path.expanduser("~/.cache/poisonlab")
    found = sorted(d for d in glob.glob(os.path.join(home, "datasets", "spamassassin", "derived-*"))
                   if os.path.exists(os.path.join(d, "COMPLETE")))
    if len(found) != 1:
        sys.exit(f"deep_torch_peer: expected one complete spamassassin cache under {home}, found {found}; "
                 "pass --spam-dir")
    return found[0]


def spam(directory, split):
    texts, labels = [], []
    with open(os.path.join(directory, split + ".jsonl"), encoding="utf-8") as f:
        for line in f:
            if line.strip():
                record = json.loads(line)
                texts.append(record["text"])
                labels.append(record["label"])
    return texts, labels


# ---------------------------------------------------------------- tokens and vocabulary

_RUN = re.compile(r"[\w=]+")
_JAVA_LETTER_OR_DIGIT = frozenset(("Lu", "Ll", "Lt", "Lm", "Lo", "Nd"))


def tokens(text):
    """Maximal runs of letters, digits, '=' and '_', lowercased. Python's \\w also accepts other numerals (No, Nl)
    and '_' outside ASCII counts like any character; runs holding such characters are split as Java splits them."""
    out = []
    for run in _RUN.findall(text):
        if run.isascii():
            out.append(run.lower())
            continue
        start = None
        for k, ch in enumerate(run):
            word = ch < "\x80" or unicodedata.category(ch) in _JAVA_LETTER_OR_DIGIT
            if word and start is None:
                start = k
            elif not word and start is not None:
                out.append(run[start:k].lower())
                start = None
        if start is not None:
            out.append(run[start:].lower())
    return out


def learn_vocabulary(token_lists, max_size):
    counts = Counter()
    for ts in token_lists:
        counts.update(ts)
    kept = [(t, c) for t, c in counts.items() if c >= 2 and t != PAD and t != UNK]
    # ties by token as Java's String.compareTo orders them: by UTF-16 code unit
    kept.sort(key=lambda tc: (-tc[1], tc[0].encode("utf-16-be")))
    return [PAD, UNK] + [t for t, _ in kept[:max_size - 2]]


def ids_of(token_lists, index):
    return [np.fromiter((index.get(t, 1) for t in ts[:MAX_TOKENS]), dtype=np.int64, count=min(len(ts), MAX_TOKENS))
            for ts in token_lists]


# ---------------------------------------------------------------- models

def init_uniform_fan_in(module):
    """Weights (rank >= 2) uniform in +-1/sqrt(fan_in), fan_in the product of all but the first dimension;
    biases zero (PyTorch's own default draws biases too)."""
    with torch.no_grad():
        for name, p in module.named_parameters():
            if p.dim() >= 2:
                bound = 1 / math.sqrt(p[0].numel())
                p.uniform_(-bound, bound)
            else:
                p.zero_()


class ConvNet(nn.Module):
    def __init__(self, c1, c2, dense, height=28, width=28, classes=10):
        super().__init__()
        self.conv1 = nn.Conv2d(1, c1, 3, padding=1)
        self.conv2 = nn.Conv2d(c1, c2, 3, padding=1)
        self.dense = nn.Linear(c2 * (height // 4) * (width // 4), dense)
        self.head = nn.Linear(dense, classes)
        self.mean = 0.0
        self.deviation = 1.0
        init_uniform_fan_in(self)

    def body(self, x):
        x = (x - self.mean) / self.deviation
        a = F.max_pool2d(F.relu(self.conv1(x)), 2)
        a = F.max_pool2d(F.relu(self.conv2(a)), 2)
        return F.relu(self.dense(a.flatten(1)))

    def forward(self, x):
        return self.head(self.body(x))


class TextConvNet(nn.Module):
    def __init__(self, vocabulary, embedding, filters, kernel=KERNEL, classes=2):
        super().__init__()
        self.embedding = nn.Embedding(vocabulary, embedding)
        self.conv = nn.Conv1d(embedding, filters, kernel)
        self.head = nn.Linear(filters, classes)
        init_uniform_fan_in(self)
        with torch.no_grad():
            self.embedding.weight.normal_(0, 0.1)
            self.embedding.weight[0].zero_()  # padding reads as zeros

    def body(self, ids, mask):
        c = self.conv(self.embedding(ids).transpose(1, 2))
        # max with its index, as DJL's NDArray.max(axis) calls it: ties send the gradient to one window
        return F.relu((c + mask).max(2).values)

    def forward(self, ids, mask):
        return self.head(self.body(ids, mask))


class TransformerNet(nn.Module):
    def __init__(self, vocabulary, width, ffn, classes=2):
        super().__init__()
        self.embedding = nn.Embedding(vocabulary, width)
        self.position = nn.Parameter(torch.zeros(WINDOW, width))
        self.blocks = nn.ModuleList()
        for _ in range(LAYERS):
            self.blocks.append(nn.ModuleDict({
                "norm1": nn.LayerNorm(width), "qkv": nn.Linear(width, 3 * width), "out": nn.Linear(width, width),
                "norm2": nn.LayerNorm(width), "ffn1": nn.Linear(width, ffn), "ffn2": nn.Linear(ffn, width)}))
        self.norm = nn.LayerNorm(width)
        self.head = nn.Linear(width, classes)
        self.width = width
        init_uniform_fan_in(self)
        with torch.no_grad():
            self.embedding.weight.normal_(0, 0.1)
            self.embedding.weight[0].zero_()
            self.position.normal_(0, 0.02)
            for m in self.modules():
                if isinstance(m, nn.LayerNorm):
                    m.weight.fill_(1)

    def body(self, ids, keys, pool):
        b, positions = ids.shape
        n, d, dh = b * (positions // WINDOW), self.width, self.width // HEADS
        x = self.embedding(ids.reshape(n, WINDOW)) + self.position
        for blk in self.blocks:
            qkv = blk["qkv"](blk["norm1"](x)).reshape(n, WINDOW, 3, HEADS, dh).permute(2, 0, 3, 1, 4)
            att = torch.softmax(qkv[0] @ qkv[1].transpose(2, 3) / math.sqrt(dh) + keys, -1)
            x = x + blk["out"]((att @ qkv[2]).transpose(1, 2).reshape(n, WINDOW, d))
            x = x + blk["ffn2"](F.gelu(blk["ffn1"](blk["norm2"](x))))
        return (self.norm(x).reshape(b, positions, d) + pool).max(1).values

    def forward(self, ids, keys, pool):
        return self.head(self.body(ids, keys, pool))


def windowed_inputs(id_arrays, positions):
    """Padded ids [b, windows * 128], the key mask [b * windows, 1, 1, 128] and the pooling mask [b, P, 1]."""
    lengths = np.array([len(id_arrays[i]) for i in positions], dtype=np.int64)
    windows = (max(1, int(lengths.max())) + WINDOW - 1) // WINDOW
    total = windows * WINDOW
    x = np.zeros((len(positions), total), dtype=np.int64)
    for r, i in enumerate(positions):
        x[r, :lengths[r]] = id_arrays[i]
    valid = np.maximum(1, lengths)
    mask = np.where(np.arange(total)[None, :] >= valid[:, None], np.float32(-1e4), np.float32(0))
    return (torch.from_numpy(x), torch.from_numpy(mask).reshape(len(positions) * windows, 1, 1, WINDOW),
            torch.from_numpy(mask).unsqueeze(2))


def text_inputs(id_arrays, positions):
    """Padded ids [b, len] and the window mask [b, 1, windows]: -1e4 where a window reaches into padding."""
    lengths = np.array([len(id_arrays[i]) for i in positions], dtype=np.int64)
    length = max(KERNEL, int(lengths.max()))
    x = np.zeros((len(positions), length), dtype=np.int64)
    for r, i in enumerate(positions):
        x[r, :lengths[r]] = id_arrays[i]
    windows = length - KERNEL + 1
    valid = np.maximum(1, lengths - KERNEL + 1)
    mask = np.where(np.arange(windows)[None, :] >= valid[:, None], np.float32(-1e4), np.float32(0))
    return torch.from_numpy(x), torch.from_numpy(mask).unsqueeze(1)


def epoch_batches(n, size, cost, generator):
    """A random permutation cut into pools of POOL batches, each pool ordered by cost (stable) and cut into
    batches, the batches in random order (Batches.epoch)."""
    perm = torch.randperm(n, generator=generator).numpy()
    batches = []
    for start in range(0, n, size * POOL):
        part = perm[start:start + size * POOL]
        if cost is not None:
            part = part[np.argsort(cost[part], kind="stable")]
        batches.extend(part[b:b + size] for b in range(0, len(part), size))
    order = torch.randperm(len(batches), generator=generator).numpy()
    return [batches[i] for i in order]


def train_loop(net, n, epochs, batch, lr, cost, generator, step_loss):
    opt = torch.optim.Adam(net.parameters(), lr=lr, betas=(0.9, 0.999), eps=1e-8)
    start = time.perf_counter()
    for epoch in range(1, epochs + 1):
        total = 0.0
        for positions in epoch_batches(n, batch, cost, generator):
            opt.zero_grad(set_to_none=True)
            loss = step_loss(positions)
            loss.backward()
            opt.step()
            total += len(positions) * loss.item()
        print(f"  peer {net.__class__.__name__} epoch {epoch}/{epochs}: mean loss {total / n:.4f} "
              f"({time.perf_counter() - start:.1f} s)", file=sys.stderr)


# ---------------------------------------------------------------- runs

def spread(n, limit):
    """LIMIT evenly spaced positions of n, floor(i * n / limit), as DeepTrainingRun keeps them."""
    return [i * n // limit for i in range(limit)]


def run_cnn(a, widths, out):
    c1, c2, dense = widths
    xtr_u8, ytr = fashion(a.fmnist_dir, "train")
    xte_u8, yte = fashion(a.fmnist_dir, "test")
    if 0 < a.limit < len(ytr):
        keep = spread(len(ytr), a.limit)
        xtr_u8, ytr = xtr_u8[keep], ytr[keep]
    n = len(ytr)
    ytr_t = torch.from_numpy(ytr)
    net = ConvNet(c1, c2, dense)
    gen = torch.Generator().manual_seed(a.seed)

    t0 = time.perf_counter()
    xtr = torch.from_numpy(xtr_u8.reshape(n, 1, 28, 28).astype(np.float32)) / 255
    deviation = xtr.double().std(unbiased=False).item()
    net.mean = xtr.double().mean().item()
    net.deviation = deviation if deviation > 0 else 1.0
    prep = time.perf_counter() - t0
    train_loop(net, n, a.epochs, a.batch, a.lr, None, gen,
               lambda p: F.cross_entropy(net(xtr[torch.from_numpy(p)]), ytr_t[torch.from_numpy(p)]))
    train_seconds = time.perf_counter() - t0

    p0 = time.perf_counter()
    net.eval()
    with torch.no_grad():
        xte = torch.from_numpy(xte_u8.reshape(-1, 1, 28, 28).astype(np.float32)) / 255
        pred = torch.cat([net(xte[i:i + CHUNK]).argmax(1) for i in range(0, len(xte), CHUNK)])
    accuracy = (pred.numpy() == yte).mean()
    predict_seconds = time.perf_counter() - p0

    # per-example gradients of the last layer, features included
    W = net.head.weight.detach()
    b = net.head.bias.detach()

    def loss_one(w, bias, h, y):
        return F.cross_entropy((h @ w.t() + bias).unsqueeze(0), y.unsqueeze(0))

    per_example = functorch.vmap(functorch.grad(loss_one, argnums=(0, 1)), in_dims=(None, None, 0, 0))
    pw = W.numel()
    params = pw + b.numel()
    checksum = torch.zeros((), dtype=torch.float64)
    span = 8 * CHUNK
    g0 = time.perf_counter()
    for start in range(0, n, span):
        stop = min(n, start + span)
        with torch.no_grad():
            h = torch.cat([net.body(xtr[i:min(stop, i + CHUNK)]) for i in range(start, stop, CHUNK)])
        gw, gb = per_example(W, b, h, ytr_t[start:stop])
        # as the Java side: one entry per example, a different one each time
        j = torch.arange(start, stop) % params
        wpart = gw.reshape(stop - start, -1).gather(1, j.clamp(max=pw - 1)[:, None])[:, 0]
        bpart = gb.gather(1, (j - pw).clamp(min=0)[:, None])[:, 0]
        checksum += torch.where(j < pw, wpart, bpart).double().sum()
    gradient_seconds = time.perf_counter() - g0

    out.update(n_train=n, n_test=len(yte), prep_seconds=round(prep, 3), train_seconds=round(train_seconds, 3),
               examples_per_second=round(a.epochs * n / train_seconds, 1), test_accuracy=round(float(accuracy), 4),
               predict_seconds=round(predict_seconds, 3), per_example_gradient_seconds=round(gradient_seconds, 3),
               gradient_parameters=params, gradient_checksum=float(f"{checksum.item():.6g}"))


def run_text(a, widths, out):
    train_texts, train_labels = spam(a.spam_dir, "train")
    test_texts, test_labels = spam(a.spam_dir, "test")
    if 0 < a.limit < len(train_labels):
        keep = spread(len(train_labels), a.limit)
        train_texts, train_labels = [train_texts[i] for i in keep], [train_labels[i] for i in keep]
    classes = sorted(set(train_labels))
    if len(classes) < 2:
        sys.exit(f"deep_torch_peer: training needs at least two labels, found {classes}")
    ytr = torch.tensor([classes.index(s) for s in train_labels], dtype=torch.int64)
    n = len(ytr)
    gen = torch.Generator().manual_seed(a.seed)

    t0 = time.perf_counter()
    token_lists = [tokens(t) for t in train_texts]
    vocabulary = learn_vocabulary(token_lists, VOCABULARY)
    index = {t: i for i, t in enumerate(vocabulary)}
    id_arrays = ids_of(token_lists, index)
    cost = np.array([len(x) for x in id_arrays], dtype=np.int64)
    del token_lists
    if a.model == "textcnn":
        net, inputs = TextConvNet(len(vocabulary), *widths, classes=len(classes)), text_inputs
    else:
        net, inputs = TransformerNet(len(vocabulary), *widths, classes=len(classes)), windowed_inputs
    prep = time.perf_counter() - t0

    def step_loss(p):
        return F.cross_entropy(net(*inputs(id_arrays, p)), ytr[torch.from_numpy(p)])

    train_loop(net, n, a.epochs, a.batch, a.lr, cost, gen, step_loss)
    train_seconds = time.perf_counter() - t0

    p0 = time.perf_counter()
    net.eval()
    test_ids = ids_of([tokens(t) for t in test_texts], index)
    order = np.argsort([len(x) for x in test_ids], kind="stable")
    pred = np.empty(len(test_ids), dtype=np.int64)
    with torch.no_grad():
        for i in range(0, len(order), CHUNK):
            part = order[i:i + CHUNK]
            pred[part] = net(*inputs(test_ids, part)).argmax(1).numpy()
    accuracy = np.mean([classes[k] == s for k, s in zip(pred, test_labels)])
    predict_seconds = time.perf_counter() - p0

    out.update(n_train=n, n_test=len(test_labels), vocabulary=len(vocabulary), prep_seconds=round(prep, 3),
               train_seconds=round(train_seconds, 3), examples_per_second=round(a.epochs * n / train_seconds, 1),
               test_accuracy=round(float(accuracy), 4), predict_seconds=round(predict_seconds, 3))


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("model", choices=("cnn", "textcnn", "transformer"))
    p.add_argument("epochs", type=int)
    p.add_argument("batch", type=int)
    p.add_argument("lr", type=float)
    p.add_argument("widths")
    p.add_argument("seed", type=int)
    p.add_argument("limit", type=int, nargs="?", default=0)
    p.add_argument("--fmnist-dir", default=os.environ.get("FMNIST_DIR", "/usr/share/datasets/fashion-mnist"))
    p.add_argument("--spam-dir", default=os.environ.get("SPAM_DIR"))
    a = p.parse_args()
    widths = [int(w) for w in a.widths.split(",")]
    if len(widths) != (3 if a.model == "cnn" else 2):
        p.error("widths: c1,c2,dense for cnn, embedding,filters for textcnn, width,ffn for transformer")
    torch.set_num_threads(THREADS)
    torch.manual_seed(a.seed)
    out = {"side": "pytorch", "model": a.model, "torch": torch.__version__, "threads": torch.get_num_threads(),
           "epochs": a.epochs, "batch": a.batch, "lr": a.lr, "widths": a.widths, "seed": a.seed,
           "import_seconds": round(IMPORT_SECONDS, 3)}
    if a.model == "cnn":
        run_cnn(a, widths, out)
    else:
        a.spam_dir = a.spam_dir or default_spam_dir()
        run_text(a, widths, out)
    print(json.dumps(out))


if __name__ == "__main__":
    main()
