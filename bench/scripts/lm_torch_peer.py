#!/usr/bin/python3
"""Plain-PyTorch peer of PoisonLab's code language model, for bench/scripts/lm-vs-pytorch.sh.

Rebuilds, in Python on Debian's python3-torch, what org.poisonlab.bench.LanguageModelRun pre-trains and generates
with org.poisonlab.deep.CodeLanguageModel through DJL: a causal Transformer over the exported token ids

  token embedding [V, d] + learned position embedding [context, d]; LAYERS pre-norm blocks (layer norm - fused qkv
  linear [3d, d] - causal multi-head attention, masked logits + -1e4 - linear [d, d] - residual; layer norm -
  linear [ff, d] - GELU - linear [d, ff] - residual); final layer norm; output linear [V, d] with bias

with the same initialisation rule (weights normal sd 0.02, the attention output and second feed-forward weights
sd 0.02 / sqrt(2 LAYERS), biases zero, layer-norm weights one), Adam (0.9, 0.999, 1e-8, no weight decay) at 1e-3
after a linear warm-up over the first 5 % of steps, global gradient-norm clipping at 1.0, and the same windows:
BATCH windows of WINDOW tokens per step, each pass over the stream cut into consecutive windows from a random
phase and read in random order. The loss is the mean next-token cross-entropy over every position. The random
draws themselves differ from PoisonLab's.

Generation is greedy (argmax over every id but padding), batched by 128 prompts, left-padded with the padding keys
masked and positions counted from each prompt's first token, with a key/value cache preallocated per layer
[B, heads, context, d/heads]: one pass over the prompts, then one token per step; a prompt stops at the end mark
(its row keeps being computed, fed padding), the batch when every prompt has stopped or after
min(GEN_TOKENS, context - longest prompt) tokens.

The data come from `LanguageModelRun export DIR PIECES` (LM_DIR): pieces.json (the vocabulary's learned pieces),
train.i32 (the train split encoded, documents each followed by the end mark 1, little-endian int32), prompts.json
(the ids of the first 200 characters of each test document) and meta.json. GEN_PROMPTS prompts cycle over them.

train_seconds is the training loop: per step, the batch's ids sliced from the stream, zero_grad, the forward and
backward pass, clipping, Adam's step and the loss read back; the window offsets are drawn before it (PoisonLab
cuts its windows before its loop too). generation_seconds covers the prompts padded into tensors, the prompt
pass, the cached steps and the argmax picks; generation_tokens counts the positions decoded (per batch, the
prompts times the steps taken), generated_text_tokens the tokens before each prompt's end mark.

Usage: /usr/bin/python3 lm_torch_peer.py WIDTH LAYERS HEADS FF CONTEXT STEPS BATCH WINDOW GEN_PROMPTS GEN_TOKENS
         SEED [--dir DIR]
PEERS_THREADS (default 2) sets the thread count. Progress goes to standard error; standard output is one JSON line.
"""
import os
import sys
import time

THREADS = int(os.environ.get("PEERS_THREADS", "2"))
for _name in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "NUMEXPR_NUM_THREADS"):
    os.environ[_name] = str(THREADS)

import argparse  # noqa: E402
import json  # noqa: E402
import math  # noqa: E402

_i0 = time.perf_counter()
import numpy as np  # noqa: E402
import torch  # noqa: E402
import torch.nn as nn  # noqa: E402
import torch.nn.functional as F  # noqa: E402
IMPORT_SECONDS = time.perf_counter() - _i0

PAD, END = 0, 1
MASKED = -1e4          # CodeLanguageModel.MASKED
CLIP = 1.0             # CodeLanguageModel.CLIP
WARMUP = 0.05          # pre-training's warm-up share
LEARNING_RATE = 1e-3   # LanguageModelRun.LEARNING_RATE
GENERATION_BATCH = 128  # CodeLanguageModel.GENERATION_BATCH
EPS = 1e-5             # layer norm epsilon


class Block(nn.Module):
    def __init__(self, width, heads, ff):
        super().__init__()
        self.heads = heads
        self.norm1 = nn.LayerNorm(width, eps=EPS)
        self.qkv = nn.Linear(width, 3 * width)
        self.out = nn.Linear(width, width)
        self.norm2 = nn.LayerNorm(width, eps=EPS)
        self.ff1 = nn.Linear(width, ff)
        self.ff2 = nn.Linear(ff, width)

    def forward(self, x, mask, cache=None, at=0):
        """x [B, T, d]; mask added to the attention logits, [.., T, keys]. With cache (this layer's keys and values,
        [B, H, context, dh]), the new keys and values are written at positions at.. and all filled ones are read."""
        b, t, d = x.shape
        dh = d // self.heads
        q, k, v = self.qkv(self.norm1(x)).reshape(b, t, 3, self.heads, dh).permute(2, 0, 3, 1, 4)
        if cache is not None:
            cache[0][:, :, at:at + t] = k
            cache[1][:, :, at:at + t] = v
            k = cache[0][:, :, :at + t]
            v = cache[1][:, :, :at + t]
        attention = torch.softmax(q @ k.transpose(2, 3) * (1 / math.sqrt(dh)) + mask, -1)
        x = x + self.out((attention @ v).transpose(1, 2).reshape(b, t, d))
        return x + self.ff2(F.gelu(self.ff1(self.norm2(x))))


class CodeLM(nn.Module):
    def __init__(self, vocabulary, width, layers, heads, ff, context):
        super().__init__()
        self.context = context
        self.embedding = nn.Embedding(vocabulary, width)
        self.position = nn.Embedding(context, width)
        self.blocks = nn.ModuleList(Block(width, heads, ff) for _ in range(layers))
        self.norm = nn.LayerNorm(width, eps=EPS)
        self.head = nn.Linear(width, vocabulary)
        with torch.no_grad():
            for p in self.parameters():
                if p.dim() >= 2:
                    p.normal_(0, 0.02)
                else:
                    p.zero_()
            residual = 0.02 / math.sqrt(2 * layers)
            for blk in self.blocks:
                blk.out.weight.normal_(0, residual)
                blk.ff2.weight.normal_(0, residual)
            for m in self.modules():
                if isinstance(m, nn.LayerNorm):
                    m.weight.fill_(1)

    def hidden(self, ids, positions, mask, caches=None, at=0):
        x = self.embedding(ids) + self.position(positions)
        for layer, blk in enumerate(self.blocks):
            x = blk(x, mask, None if caches is None else caches[layer], at)
        return self.norm(x)


def causal(length):
    return torch.full((length, length), MASKED).triu(1).reshape(1, 1, length, length)


# ---------------------------------------------------------------- training

def pass_offsets(stream_length, window, rng):
    """One pass's window offsets: consecutive from a random phase, shuffled (CodeLanguageModel.passOffsets)."""
    phase = int(rng.integers(min(window, stream_length - window - 1)))
    n = (stream_length - 1 - phase) // window
    return rng.permutation(phase + window * np.arange(n, dtype=np.int64))


def pretrain(net, stream, steps, batch, window, rng):
    if stream.numel() < window + 2:
        sys.exit(f"lm_torch_peer: the stream holds {stream.numel()} tokens, fewer than one window of {window}")
    offsets, left = [], np.empty(0, dtype=np.int64)
    for _ in range(steps * batch):
        if len(left) == 0:
            left = pass_offsets(stream.numel(), window, rng)
        offsets.append(left[0])
        left = left[1:]
    offsets = torch.from_numpy(np.array(offsets, dtype=np.int64)).reshape(steps, batch)
    span = torch.arange(window + 1)
    positions = torch.arange(window).unsqueeze(0)
    mask = causal(window)
    vocabulary = net.head.out_features
    opt = torch.optim.Adam(net.parameters(), lr=LEARNING_RATE, betas=(0.9, 0.999), eps=1e-8, weight_decay=0)
    warm = math.ceil(WARMUP * steps)
    tail_from = steps - max(1, steps // 10)
    tail, tokens = 0.0, 0
    start = last = time.perf_counter()
    for s in range(steps):
        for group in opt.param_groups:
            group["lr"] = LEARNING_RATE * (s + 1) / warm if s < warm else LEARNING_RATE
        seq = stream[offsets[s].unsqueeze(1) + span]
        opt.zero_grad(set_to_none=True)
        logits = net.head(net.hidden(seq[:, :-1], positions, mask))
        loss = F.cross_entropy(logits.reshape(-1, vocabulary), seq[:, 1:].reshape(-1))
        loss.backward()
        torch.nn.utils.clip_grad_norm_(net.parameters(), CLIP)
        opt.step()
        value = loss.item()
        tokens += batch * window
        if s >= tail_from:
            tail += value
        now = time.perf_counter()
        if now - last > 10 or s == steps - 1:
            last = now
            print(f"  peer pre-training step {s + 1}/{steps}: loss {value:.3f}, "
                  f"{tokens / (now - start):.0f} tokens/s", file=sys.stderr)
    return tokens, time.perf_counter() - start, tail / (steps - tail_from)


# ---------------------------------------------------------------- generation

@torch.no_grad()
def generate_batch(net, prompts, max_new):
    """Greedy completions of left-padded prompts with a preallocated key/value cache; returns the positions decoded
    and the tokens before each prompt's end mark."""
    b, ctx = len(prompts), net.context
    prompts = [p[-(ctx - 1):] for p in prompts]
    length = max(1, max(len(p) for p in prompts))
    budget = min(max_new, ctx - length)
    pad = torch.tensor([length - len(p) for p in prompts])
    ids = torch.zeros(b, length, dtype=torch.int64)
    for i, p in enumerate(prompts):
        ids[i, length - len(p):] = torch.tensor(p, dtype=torch.int64)
    keys = torch.where(torch.arange(ctx).unsqueeze(0) < pad.unsqueeze(1), MASKED, 0.0).reshape(b, 1, 1, ctx)
    first = net.blocks[0]
    dh = net.embedding.embedding_dim // first.heads
    caches = [(torch.zeros(b, first.heads, ctx, dh), torch.zeros(b, first.heads, ctx, dh)) for _ in net.blocks]
    positions = (torch.arange(length).unsqueeze(0) - pad.unsqueeze(1)).clamp(min=0)
    h = net.hidden(ids, positions, keys[..., :length] + causal(length), caches, 0)
    logits = net.head(h[:, -1])
    done = torch.zeros(b, dtype=torch.bool)
    made = torch.zeros(b, dtype=torch.int64)
    steps = 0
    for s in range(budget):
        steps += 1
        pick = logits[:, 1:].argmax(1) + 1  # padding is never picked
        ended = ~done & (pick == END)
        made += (~done & ~ended).long()
        done |= ended
        if bool(done.all()) or s == budget - 1:
            break
        nxt = torch.where(done, PAD, pick).unsqueeze(1)
        filled = length + s + 1
        pos = (filled - 1 - pad).clamp(max=ctx - 1).unsqueeze(1)
        h = net.hidden(nxt, pos, keys[..., :filled], caches, filled - 1)
        logits = net.head(h[:, -1])
    return b * steps, int(made.sum())


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    for name in ("width", "layers", "heads", "ff", "context", "steps", "batch", "window", "gen_prompts",
                 "gen_tokens", "seed"):
        p.add_argument(name, type=int)
    p.add_argument("--dir", default=os.environ.get("LM_DIR"), help="LanguageModelRun's export (LM_DIR)")
    a = p.parse_args()
    if not a.dir:
        p.error("no export: pass --dir or set LM_DIR (LanguageModelRun export DIR PIECES)")
    if a.width % a.heads or not 2 <= a.window <= a.context:
        p.error("heads must divide the width and the window lie in 2..context")
    torch.set_num_threads(THREADS)
    torch.manual_seed(a.seed)
    rng = np.random.default_rng(a.seed)

    with open(os.path.join(a.dir, "meta.json")) as f:
        meta = json.load(f)
    with open(os.path.join(a.dir, "prompts.json")) as f:
        test_prompts = json.load(f)
    stream = torch.from_numpy(np.fromfile(os.path.join(a.dir, "train.i32"), dtype="<i4").astype(np.int64))
    vocabulary = meta["vocabulary"]
    prompts = [test_prompts[i % len(test_prompts)] for i in range(a.gen_prompts)]

    net = CodeLM(vocabulary, a.width, a.layers, a.heads, a.ff, a.context)
    parameters = sum(q.numel() for q in net.parameters())
    print(f"  peer: {parameters:,} parameters, {vocabulary} ids, a stream of {stream.numel():,} tokens",
          file=sys.stderr)
    net.train()
    tokens, train_seconds, loss = pretrain(net, stream, a.steps, a.batch, a.window, rng)

    net.eval()
    positions = text_tokens = 0
    g0 = time.perf_counter()
    for start in range(0, len(prompts), GENERATION_BATCH):
        n, made = generate_batch(net, prompts[start:start + GENERATION_BATCH], a.gen_tokens)
        positions += n
        text_tokens += made
    gen_seconds = time.perf_counter() - g0
    print(f"  peer generation: {len(prompts)} prompts, {positions} positions decoded, {text_tokens} tokens of text, "
          f"{gen_seconds:.2f} s", file=sys.stderr)

    print(json.dumps({
        "side": "pytorch", "torch": torch.__version__, "threads": torch.get_num_threads(),
        "width": a.width, "layers": a.layers, "heads": a.heads, "ff": a.ff, "context": a.context,
        "vocabulary": vocabulary, "parameters": parameters, "steps": a.steps, "batch": a.batch,
        "window": a.window, "seed": a.seed, "import_seconds": round(IMPORT_SECONDS, 3),
        "train_tokens": tokens, "train_seconds": round(train_seconds, 3),
        "train_tokens_per_second": round(tokens / train_seconds, 1), "final_loss": round(loss, 4),
        "gen_prompts": len(prompts), "gen_tokens": a.gen_tokens, "generation_tokens": positions,
        "generated_text_tokens": text_tokens, "generation_seconds": round(gen_seconds, 3),
        "generation_tokens_per_second": round(positions / max(1e-9, gen_seconds), 1)}))


if __name__ == "__main__":
    main()
