#!/usr/bin/python3
"""Makes the small TorchScript classifiers the deep module's tests load as a user's own models.

Run with Debian's interpreter and python3-torch:  /usr/bin/python3 make_models.py
Writes, beside this script:
  image.pt        a CNN for 28x28 one-channel images of three classes ("0", "1", "2": a bright horizontal bar
                  at a class-specific height), input float32 [N, 1, 28, 28] in [0, 1], output logits [N, 3];
                  exports features(x) -> [N, 16], the input of its last linear layer
  text.pt         a text classifier (ham / spam), input int64 ids [N, T] and attention mask [N, T], output
                  logits [N, 2]; exports features(ids, mask) -> [N, 16]
  tokenizer.json  the text model's tokenizer in the Hugging Face format (word level, lowercase, whitespace and
                  punctuation split)
  expected.json   inputs and the logits these modules give them, for the tests to compare against
Everything is seeded; the files are committed, so the tests do not need Python.
"""
import json
import os
import random

import torch
import torch.nn as nn

HERE = os.path.dirname(os.path.abspath(__file__))
torch.manual_seed(0)
random.seed(0)
torch.set_num_threads(1)


def bars(n):
    xs, ys = [], []
    for _ in range(n):
        c = random.randrange(3)
        img = [[random.randrange(60) for _ in range(28)] for _ in range(28)]
        top = 2 + c * 9
        for r in range(top, top + 4):
            for col in range(24):
                img[r][col] = 150 + random.randrange(100)
        xs.append(img)
        ys.append(c)
    return torch.tensor(xs, dtype=torch.float32).unsqueeze(1) / 255, torch.tensor(ys)


class ImageNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(1, 4, 3, padding=1)
        self.hidden = nn.Linear(4 * 14 * 14, 16)
        self.out = nn.Linear(16, 3)

    @torch.jit.export
    def features(self, x):
        a = nn.functional.max_pool2d(torch.relu(self.conv(x)), 2)
        return torch.relu(self.hidden(a.flatten(1)))

    def forward(self, x):
        return self.out(self.features(x))


SPAM = ["offer", "free", "winner", "cash", "credit", "viagra", "click", "prize", "loan", "urgent"]
HAM = ["meeting", "agenda", "patch", "kernel", "release", "review", "build", "draft", "notes", "schedule"]
COMMON = ["the", "a", "to", "and", "of", "you", "for", "is", "on", "please"]


def sentence(spam):
    words = []
    for _ in range(8 + random.randrange(12)):
        u = random.random()
        pool = COMMON if u < 0.5 else (SPAM if (u < 0.85) == spam else HAM)
        words.append(random.choice(pool))
    return " ".join(words).capitalize() + "."


VOCAB = ["[PAD]", "[UNK]", "."] + sorted(set(SPAM + HAM + COMMON))
INDEX = {w: i for i, w in enumerate(VOCAB)}


def encode(text):
    # what the tokenizer.json below does: lowercase, split on white space, punctuation as its own token
    out = []
    for chunk in text.lower().split():
        word = ""
        for ch in chunk:
            if ch.isalnum() or ch == "_":
                word += ch
            else:
                if word:
                    out.append(word)
                    word = ""
                out.append(ch)
        if word:
            out.append(word)
    return [INDEX.get(t, 1) for t in out]


class TextNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.embed = nn.Embedding(len(VOCAB), 32, padding_idx=0)
        self.hidden = nn.Linear(32, 16)
        self.out = nn.Linear(16, 2)

    @torch.jit.export
    def features(self, ids, mask):
        m = mask.unsqueeze(2).to(torch.float32)
        mean = (self.embed(ids) * m).sum(1) / m.sum(1).clamp(min=1.0)
        return torch.relu(self.hidden(mean))

    def forward(self, ids, mask):
        return self.out(self.features(ids, mask))


def batch(texts):
    enc = [encode(t) for t in texts]
    width = max(len(e) for e in enc)
    ids = torch.zeros(len(enc), width, dtype=torch.long)
    mask = torch.zeros(len(enc), width, dtype=torch.long)
    for i, e in enumerate(enc):
        ids[i, : len(e)] = torch.tensor(e)
        mask[i, : len(e)] = 1
    return ids, mask


def train(net, make, steps):
    opt = torch.optim.Adam(net.parameters(), 1e-2)
    for _ in range(steps):
        args, y = make()
        opt.zero_grad()
        nn.functional.cross_entropy(net(*args), y).backward()
        opt.step()


image = ImageNet()
train(image, lambda: (lambda x, y: ((x,), y))(*bars(64)), 60)
probe_x, probe_y = bars(3)
image.eval()
torch.jit.script(image).save(os.path.join(HERE, "image.pt"))

text = TextNet()


def text_batch():
    spam = [random.random() < 0.4 for _ in range(64)]
    return batch([sentence(s) for s in spam]), torch.tensor([1 if s else 0 for s in spam])


train(text, text_batch, 80)
text.eval()
torch.jit.script(text).save(os.path.join(HERE, "text.pt"))

tokenizer = {
    "version": "1.0",
    "truncation": None,
    "padding": None,
    "added_tokens": [
        {"id": i, "content": t, "single_word": False, "lstrip": False, "rstrip": False, "normalized": False,
         "special": True}
        for i, t in enumerate(VOCAB[:2])
    ],
    "normalizer": {"type": "Lowercase"},
    "pre_tokenizer": {"type": "Whitespace"},
    "post_processor": None,
    "decoder": None,
    "model": {"type": "WordLevel", "vocab": INDEX, "unk_token": "[UNK]"},
}
with open(os.path.join(HERE, "tokenizer.json"), "w") as f:
    json.dump(tokenizer, f, indent=1)

texts = [sentence(True), sentence(False), "Free cash, please click: unknownword!"]
ids, mask = batch(texts)
with torch.no_grad():
    expected = {
        "images": [[int(round(v * 255)) for v in img.flatten().tolist()] for img in probe_x],
        "image_labels": [str(int(c)) for c in probe_y],
        "image_logits": image(probe_x).tolist(),
        "texts": texts,
        "text_ids": [encode(t) for t in texts],
        "text_logits": text(ids, mask).tolist(),
    }
with open(os.path.join(HERE, "expected.json"), "w") as f:
    json.dump(expected, f)
print("wrote image.pt, text.pt, tokenizer.json, expected.json")
