"""GPU training: a larger teacher, distilled into the small CPU students (issue 5).

The CPU recipe (``train.py``) is limited by CPU time.  Where a GPU is lent, this module
trains in one timed run:

1. a *teacher* (by default 8 layers, hidden 512) on replaced-character detection over the
   government text and the clean side of the real-error pairs (stage 1), then fine-tuned on
   the real-error pairs mixed with corrupted text (stage 2);
2. the *students* (the shipped CPU shape: 4 layers, hidden 128; and a 3-layer variant), each
   trained on the same batches with a loss that mixes the true labels with the teacher's
   per-character probabilities (knowledge distillation);
3. a measurement of every model with the threshold rule of ``export`` (lowest threshold
   flagging at most 0.2% of held-out clean government sentences) on ECSpell law/med test and
   acc_xxqg, and the students' GPU batch throughput.  Measurement only: nothing here chooses
   anything by a test set.

The GPU machine has torch and transformers but not this project's other dependencies, so the
data are packed first, here, into one file, and ``train`` needs only the standard library,
numpy, torch and transformers::

    python -m scanner.model.distill pack --out .gpu/data.pkl.xz          # reads ../shared/data
    python scanner/model/distill.py train --data .gpu/data.pkl.xz --out OUT --seconds 540
    govscan model export OUT/student_a --out models/wording-detector --int8

Batches are made by worker processes (corruption is Python), bounded in flight, and moved to
the GPU as int tensors; the phases are budgeted by wall-clock time (cosine schedules over each
phase's seconds), so the run ends on time whatever the GPU's speed.
"""
from __future__ import annotations

import argparse
import collections
import hashlib
import json
import lzma
import math
import os
import pickle
import random
import sys
import time
import traceback
from pathlib import Path

PAD_ID, UNK_ID, IGNORE = 0, 1, -100
MAX_LEN = 64
OVERLAP = 16
LOG_EVERY = int(os.environ.get("DISTILL_LOG_EVERY", "500"))
K_WEIGHTS = (0.25, 0.45, 0.22, 0.08)  # replaced characters per corrupted sentence: 0..3
# Sampling weight per example of each real-error set in stage 2 (in-domain sets up).
PAIR_WEIGHTS = {"ecspell-law": 3.0, "ecspell-med": 3.0, "ecspell-odw": 1.5, "sighan-train": 0.5,
                "csc-hard": 1.0, "gen_xxqg": 1.0}
DEV_PAIR_SETS = ("ecspell-law", "ecspell-med")  # 10% of their train pairs held out (hash split)


def _dev_pair(src: str) -> bool:
    return int(hashlib.md5(src.encode("utf-8")).hexdigest()[:8], 16) % 10 == 0


# ====================================================================== pack (here)
def pack(out: Path, vocab_file: Path | None = None) -> dict:
    """Everything the GPU run needs, from ../shared/data, into one xz-compressed pickle."""
    from . import data
    from .runtime import model_path
    from .vocab import SPACE_TOKEN, CharVocab

    vocab = CharVocab.load(vocab_file or model_path() / "vocab.txt")
    vchars = set(vocab.tokens)
    sentences = data.gov_sentences()
    train_sents = [s for s in sentences if not data.is_dev(s)]
    dev_clean = [s for s in sentences if data.is_dev(s)]
    freq = data.char_frequencies(train_sents)
    pairs, pairs_dev = {}, {}
    for name, ps in data.finetune_pairs().items():
        rows = [(p.source, p.target) for p in ps]
        if name in DEV_PAIR_SETS:
            pairs[name] = [r for r in rows if not _dev_pair(r[0])]
            pairs_dev[name] = [r for r in rows if _dev_pair(r[0])]
        else:
            pairs[name] = rows
    # in-domain clean text: the correct side of the training pairs (law, medicine, documents)
    domain = sorted({t for name in ("ecspell-law", "ecspell-med", "ecspell-odw", "gen_xxqg") for _, t in pairs[name]})
    sound, shape, words = data.corruption_tables(vchars, freq)
    evals = {name: [(p.source, p.target) for p in data.eval_pairs(name)]
             for name in ("ecspell-law", "ecspell-med", "acc_xxqg")}
    blob = {"vocab": [("\u2581" if t == SPACE_TOKEN else t) for t in vocab.tokens], "sentences": train_sents,
            "domain": domain, "dev_clean": dev_clean, "pairs": pairs, "pairs_dev": pairs_dev,
            "sound": sound, "shape": shape, "words": words, "eval": evals}
    out.parent.mkdir(parents=True, exist_ok=True)
    with lzma.open(out, "wb", preset=6) as fh:
        pickle.dump(blob, fh, protocol=pickle.HIGHEST_PROTOCOL)
    info = {"sentences": len(train_sents), "chars": sum(map(len, train_sents)), "domain": len(domain),
            "dev_clean": len(dev_clean), "pairs": {k: len(v) for k, v in pairs.items()},
            "pairs_dev": {k: len(v) for k, v in pairs_dev.items()}, "bytes": out.stat().st_size}
    return info


class BadDataFile(ValueError):
    """The --data file is missing, not a packed file, or from another version of ``pack``."""


def load_packed(path: Path) -> dict:
    try:
        with lzma.open(path, "rb") as fh:
            blob = pickle.load(fh)
    except (OSError, EOFError, lzma.LZMAError, pickle.UnpicklingError) as exc:
        raise BadDataFile(f"{path}: not a packed data file ({exc})") from None
    missing = {"vocab", "sentences", "pairs", "sound", "shape", "words"} - set(blob if isinstance(blob, dict) else ())
    if missing:
        raise BadDataFile(f"{path}: packed data lacks {', '.join(sorted(missing))} (run `pack` again)")
    return blob


# ====================================================================== batches (workers)
class Corruptor:
    """Replaces characters of clean text with confusable ones; returns (text, labels).

    Per sentence 0-3 replacements (``K_WEIGHTS``); 35% of corrupted sentences first get a
    whole-word replacement, the others characters: 70% same or similar pinyin, 30% similar
    shape, weighted candidates, never two adjacent.  ``sound``/``shape``: character ->
    (candidates, weights); ``words``: word -> confusable words (``data.corruption_tables``).
    Used by the CPU trainer too (``data.Corruptor``)."""

    def __init__(self, sound, shape, words, rng):
        self.sound, self.shape, self.words, self.rng = sound, shape, words, rng
        self.by_head: dict[str, list[str]] = collections.defaultdict(list)  # first two characters -> words
        for w in words:
            self.by_head[w[:2]].append(w)

    def _char_candidate(self, ch):
        table = self.sound if self.rng.random() < 0.7 else self.shape
        entry = table.get(ch) or (self.shape if table is self.sound else self.sound).get(ch)
        if not entry:
            return None
        vs, weights = entry
        return self.rng.choices(vs, weights)[0]

    def corrupt(self, text):
        chars = list(text)
        labels = [0] * len(chars)
        rng = self.rng
        k = rng.choices(range(len(K_WEIGHTS)), K_WEIGHTS)[0]
        if k == 0:
            return text, labels
        done = 0
        if rng.random() < 0.35:
            by_head = self.by_head
            hits = [(i, w) for i in range(len(text) - 1) if text[i:i + 2] in by_head
                    for w in by_head[text[i:i + 2]] if text.startswith(w, i)]
            if hits:
                start, w = rng.choice(hits)
                for i, c in enumerate(rng.choice(self.words[w])):
                    if chars[start + i] != c:
                        chars[start + i] = c
                        labels[start + i] = 1
                done = 1
        positions = [i for i, c in enumerate(chars) if not labels[i] and (c in self.sound or c in self.shape)]
        rng.shuffle(positions)
        for i in positions:
            if done >= k:
                break
            if (i > 0 and labels[i - 1]) or (i + 1 < len(labels) and labels[i + 1]):
                continue
            c = self._char_candidate(chars[i])
            if c and c != chars[i]:
                chars[i] = c
                labels[i] = 1
                done += 1
        return "".join(chars), labels


_W: dict = {}  # the worker's data (inherited through fork)


def _worker_setup(blob):
    _W.clear()
    _W["blob"] = blob
    _W["index"] = {(" " if t == "\u2581" else t): i for i, t in enumerate(blob["vocab"])}
    names = [n for n in blob["pairs"] if blob["pairs"][n]]
    _W["pair_names"] = names
    _W["pair_weights"] = [PAIR_WEIGHTS.get(n, 1.0) * len(blob["pairs"][n]) for n in names]


def make_batch(task):
    """One batch: (ids int32 [B, L], labels int8 [B, L] with -1 for padding).  ``task`` =
    (seed, batch size, share of real pairs, share of in-domain clean text)."""
    import numpy as np

    seed, size, real_share, domain_share = task
    rng = random.Random(seed)
    blob = _W["blob"]
    cor = Corruptor(blob["sound"], blob["shape"], blob["words"], rng)
    items = []
    for _ in range(size):
        if rng.random() < real_share:
            name = rng.choices(_W["pair_names"], _W["pair_weights"])[0]
            src, tgt = rng.choice(blob["pairs"][name])
            text, labels = src, [int(a != b) for a, b in zip(src, tgt)]
        else:
            pool = blob["domain"] if rng.random() < domain_share else blob["sentences"]
            text, labels = cor.corrupt(rng.choice(pool))
        if len(text) > MAX_LEN:
            s = rng.randrange(len(text) - MAX_LEN + 1)
            text, labels = text[s:s + MAX_LEN], labels[s:s + MAX_LEN]
        items.append((text, labels))
    n = max(len(t) for t, _ in items)
    ids = np.zeros((size, n), dtype=np.int32)
    lab = np.full((size, n), -1, dtype=np.int8)
    get = _W["index"].get
    for r, (text, labels) in enumerate(items):
        ids[r, :len(text)] = [get(c, get(" ", UNK_ID) if c.isspace() else UNK_ID) for c in text]
        lab[r, :len(text)] = labels
    return ids, lab


class BatchStream:
    """Batches from a process pool, at most ``inflight`` ahead (bounded memory)."""

    def __init__(self, pool, seed: int, size: int, real_share: float, domain_share: float, inflight: int = 48):
        self.pool, self.seed, self.size = pool, seed, size
        self.real_share, self.domain_share = real_share, domain_share
        self.pending = collections.deque()
        self.k = 0
        for _ in range(inflight):
            self._submit()

    def _submit(self):
        self.k += 1
        task = (self.seed * 1_000_003 + self.k, self.size, self.real_share, self.domain_share)
        if self.pool is None:
            self.pending.append(make_batch(task))
        else:
            self.pending.append(self.pool.apply_async(make_batch, (task,)))

    def next(self):
        item = self.pending.popleft()
        self._submit()
        return item if self.pool is None else item.get(timeout=120)


# ====================================================================== models
def bert(vocab_size: int, layers: int, hidden: int, heads: int, ffn: int, act: str):
    from transformers import BertConfig, BertForTokenClassification

    cfg = BertConfig(vocab_size=vocab_size, hidden_size=hidden, num_hidden_layers=layers, num_attention_heads=heads,
                     intermediate_size=ffn, hidden_act=act, max_position_embeddings=128, type_vocab_size=1,
                     num_labels=2, pad_token_id=PAD_ID, id2label={0: "kept", 1: "replaced"},
                     label2id={"kept": 0, "replaced": 1})
    return BertForTokenClassification(cfg)


def _to_device(batch, device):
    import torch

    ids, lab = batch
    ids = torch.from_numpy(ids).to(device, non_blocking=True).long()
    lab = torch.from_numpy(lab).to(device, non_blocking=True).long()
    mask = (lab >= 0).long()
    lab = torch.where(lab >= 0, lab, torch.full_like(lab, IGNORE))
    return ids, mask, lab


class Schedule:
    """Linear warm-up over ``warmup`` steps, then cosine decay over the phase's seconds."""

    def __init__(self, opts, lr: float, seconds: float, warmup: int):
        self.opts, self.lr, self.seconds, self.warmup = opts, lr, seconds, warmup
        self.t0 = time.monotonic()

    def elapsed(self) -> float:
        return time.monotonic() - self.t0

    def step(self, step: int) -> float:
        frac = min(1.0, self.elapsed() / self.seconds)
        f = min(1.0, (step + 1) / self.warmup) * max(0.03, 0.5 * (1 + math.cos(math.pi * frac)))
        for opt in self.opts:
            for g in opt.param_groups:
                g["lr"] = g.get("base_lr", self.lr) * f
        return self.lr * f

    def done(self) -> bool:
        return self.elapsed() >= self.seconds


def _optimizer(model, lr, device):
    import torch

    kw = {"fused": True} if str(device).startswith("cuda") else {}
    opt = torch.optim.AdamW(model.parameters(), lr=lr, weight_decay=0.01, **kw)
    for g in opt.param_groups:
        g["base_lr"] = lr  # the schedule scales each optimizer's own rate
    return opt


def _autocast(device):
    import contextlib

    import torch

    if str(device).startswith("cuda"):
        return torch.autocast("cuda", dtype=torch.bfloat16)
    return contextlib.nullcontext()


def train_phase(model, stream: BatchStream, seconds: float, lr: float, warmup: int, device, log, name: str) -> dict:
    import torch

    model.train()
    opt = _optimizer(model, lr, device)
    sched = Schedule([opt], lr, seconds, warmup)
    step = tokens = 0
    ema = None
    while not sched.done():
        ids, mask, lab = _to_device(stream.next(), device)
        cur_lr = sched.step(step)
        with _autocast(device):
            loss = model(input_ids=ids, attention_mask=mask, labels=lab).loss
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()
        opt.zero_grad(set_to_none=True)
        step += 1
        tokens += int(ids.shape[0] * ids.shape[1])
        if step % 50 == 0 or step == 1:
            v = float(loss.detach())
            ema = v if ema is None else 0.9 * ema + 0.1 * v
        if step % LOG_EVERY == 0:
            log(f"{name} step {step} loss {ema:.4f} lr {cur_lr:.2e} {tokens / sched.elapsed():,.0f} tokens/s "
                f"{sched.elapsed():.0f} s")
    model.eval()
    out = {"steps": step, "seconds": round(sched.elapsed(), 1), "tokens": tokens, "loss": round(ema or 0.0, 4),
           "tokens_per_s": round(tokens / max(sched.elapsed(), 1e-9))}
    log(f"{name} done: {out}")
    return out


def distill_phase(teacher, students: dict, stream: BatchStream, seconds: float, lr: float, warmup: int,
                  alpha: float, device, log, alphas: dict | None = None, name: str = "distill",
                  lrs: dict | None = None, max_steps: int | None = None) -> dict:
    """Each batch: the teacher's probabilities once, then a step of every student on
    (1 - alpha) * cross-entropy(true labels) + alpha * cross-entropy(teacher's probabilities).
    ``alphas`` gives a student its own alpha (0: true labels only, the teacher unused for it),
    ``lrs`` its own peak learning rate; ``max_steps`` ends the phase early.  With ``teacher=None`` every model trains on the true
    labels of the same batches (the joint phase of ``run(joint=True)``)."""
    import torch
    import torch.nn.functional as F

    alphas = {k: (alphas or {}).get(k, alpha) for k in students}
    opts = {k: _optimizer(m, (lrs or {}).get(k, lr), device) for k, m in students.items()}
    for m in students.values():
        m.train()
    sched = Schedule(list(opts.values()), lr, seconds, warmup)
    step = tokens = 0
    ema: dict = {}
    while not sched.done() and (max_steps is None or step < max_steps):
        ids, mask, lab = _to_device(stream.next(), device)
        sched.step(step)
        valid = lab != IGNORE
        pt = None
        if teacher is not None and max(alphas.values()) > 0:
            with torch.no_grad(), _autocast(device):
                pt = teacher(input_ids=ids, attention_mask=mask).logits.float().softmax(-1)[..., 1][valid]
        for k, m in students.items():
            alpha = alphas[k]
            with _autocast(device):
                logits = m(input_ids=ids, attention_mask=mask).logits
            logp = F.log_softmax(logits.float(), -1)[valid]
            loss = F.nll_loss(logp, lab[valid])
            if pt is not None and alpha > 0:
                soft = -(pt * logp[:, 1] + (1 - pt) * logp[:, 0]).mean()
                loss = (1 - alpha) * loss + alpha * soft
            loss.backward()
            torch.nn.utils.clip_grad_norm_(m.parameters(), 1.0)
            opts[k].step()
            opts[k].zero_grad(set_to_none=True)
            if step % 50 == 0:
                v = float(loss.detach())
                ema[k] = v if k not in ema else 0.9 * ema[k] + 0.1 * v
        step += 1
        tokens += int(ids.shape[0] * ids.shape[1])
        if step % LOG_EVERY == 0:
            log(f"{name} step {step} " + " ".join(f"{k} {v:.4f}" for k, v in ema.items())
                + f" {tokens / sched.elapsed():,.0f} tokens/s {sched.elapsed():.0f} s")
    for m in students.values():
        m.eval()
    out = {"steps": step, "seconds": round(sched.elapsed(), 1), "tokens": tokens,
           "loss": {k: round(v, 4) for k, v in ema.items()}}
    log(f"{name} done: {out}")
    return out


# ====================================================================== measurement
def _windows(n: int) -> list[tuple[int, int]]:
    if n <= MAX_LEN:
        return [(0, n)]
    spans, pos, stride = [], 0, MAX_LEN - OVERLAP
    while True:
        if pos + MAX_LEN >= n:
            spans.append((max(0, n - MAX_LEN), n))
            return spans
        spans.append((pos, pos + MAX_LEN))
        pos += stride


def char_probs(model, texts, index, device, batch: int = 512):
    """Per-character error probability of each text (windows merged as in ``windows.py``)."""
    import numpy as np
    import torch

    pieces, plan = [], []
    for t in texts:
        spans = _windows(len(t)) if t else []
        plan.append(spans)
        pieces.extend(t[s:e] for s, e in spans)
    order = sorted(range(len(pieces)), key=lambda i: len(pieces[i]))
    scores = [None] * len(pieces)
    with torch.no_grad():
        for b in range(0, len(order), batch):
            idx = order[b:b + batch]
            n = max(len(pieces[i]) for i in idx)
            ids = np.zeros((len(idx), n), dtype=np.int64)
            mask = np.zeros((len(idx), n), dtype=np.int64)
            for r, i in enumerate(idx):
                ids[r, :len(pieces[i])] = [index.get(c, UNK_ID) for c in pieces[i]]
                mask[r, :len(pieces[i])] = 1
            with _autocast(device):
                logits = model(input_ids=torch.from_numpy(ids).to(device),
                               attention_mask=torch.from_numpy(mask).to(device)).logits
            probs = logits.float().softmax(-1)[..., 1].cpu().numpy()
            for r, i in enumerate(idx):
                scores[i] = probs[r, :len(pieces[i])]
    out, k = [], 0
    for t, spans in zip(texts, plan):
        best = [-1] * len(t)
        vals = [0.0] * len(t)
        for (ws, we), sc in zip(spans, scores[k:k + len(spans)]):
            for i in range(ws, we):
                m = min(i - ws, we - 1 - i)
                if m > best[i]:
                    best[i], vals[i] = m, float(sc[i - ws])
        out.append(vals)
        k += len(spans)
    return out


def measure(model, blob, index, device, rate: float = 0.002) -> dict:
    """Threshold by the export rule on held-out clean government text, then sentence-level
    detection P/R/F1 on the measured sets (and the held-out ECSpell train pairs)."""
    dev_scores = sorted(max(s, default=0.0) for s in char_probs(model, blob["dev_clean"], index, device))
    k = min(len(dev_scores) - 1, int(len(dev_scores) * (1 - rate)))
    thr = max(0.5, dev_scores[k] + 1e-4)
    res = {"threshold": round(thr, 4)}
    sets = dict(blob["eval"])
    sets.update({f"{k}-heldout-train": v for k, v in blob["pairs_dev"].items()})
    for name, pairs in sets.items():
        probs = char_probs(model, [s for s, _ in pairs], index, device)
        for t in (thr, 0.5):
            tp = pred = gold = 0
            for (src, tgt), pr in zip(pairs, probs):
                wrong = {i for i, (a, b) in enumerate(zip(src, tgt)) if a != b}
                flagged = {i for i, p in enumerate(pr) if p >= t}
                gold += bool(wrong)
                pred += bool(flagged)
                tp += bool(flagged) and flagged == wrong
            p = tp / pred if pred else 0.0
            r = tp / gold if gold else 0.0
            f = 2 * p * r / (p + r) if p + r else 0.0
            key = name if t == thr else f"{name}@0.5"
            res[key] = ({"P": round(p, 3), "R": round(r, 3), "F1": round(f, 3)} if gold
                        else {"false_alarms": pred, "rate": round(pred / max(1, len(pairs)), 4)})
    return res


def gpu_throughput(model, device, batch: int = 1024, seconds: float = 3.0) -> float:
    import torch

    ids = torch.randint(10, 3000, (batch, MAX_LEN), device=device)
    mask = torch.ones_like(ids)
    with torch.no_grad(), _autocast(device):
        for _ in range(3):
            model(input_ids=ids, attention_mask=mask)
        if str(device).startswith("cuda"):
            torch.cuda.synchronize()
        n, t0 = 0, time.perf_counter()
        while time.perf_counter() - t0 < seconds:
            model(input_ids=ids, attention_mask=mask)
            n += batch
        if str(device).startswith("cuda"):
            torch.cuda.synchronize()
    return n / (time.perf_counter() - t0)


# ====================================================================== the run
TEACHER = dict(layers=8, hidden=512, heads=8, ffn=2048, act="gelu")
STUDENTS = {"student_a": dict(layers=4, hidden=128, heads=4, ffn=512, act="relu"),
            "student_b": dict(layers=3, hidden=128, heads=4, ffn=384, act="relu")}
# Shares of the time budget: teacher stage 1, teacher stage 2, distillation (the rest is
# data loading, measurement and saving).
SHARES = (0.44, 0.11, 0.30)


def run(data_file: Path, out: Path, seconds: float, workers: int, seed: int = 13, device: str | None = None,
        teacher_cfg: dict | None = None, student_cfgs: dict | None = None, batch: int = 512,
        teacher_lr: float = 1e-3, student_lr: float = 1.5e-3, alpha: float = 0.7,
        init_students: Path | None = None, joint: bool = False, teacher_first: bool = False) -> dict:
    """The whole GPU run.  With ``init_students`` (a folder holding student_a/, student_b/ of an
    earlier run) no teacher is trained: the students continue on the true labels alone.  With
    ``joint`` as well, a fresh teacher trains on the same batches as the continuing students
    (``JOINT_SHARES[0]`` of the time; the small students cost the GPU little beside it), then
    student_a is distilled from it while student_b goes on with the true labels alone: an A/B
    of distillation on top of the same continuation.  With ``teacher_first`` instead, a fresh
    teacher (a base-size one: ``teacher_cfg``) is trained alone first, stages 1 and 2 as in a
    plain run (``FIRST_SHARES``), then distilled into the continuing student_a while
    student_b continues on the true labels on the same batches: the same A/B with the
    teacher at full strength before the students see it."""
    import multiprocessing as mp

    if joint and init_students is None:
        raise ValueError("joint=True needs init_students: the students that continue beside the fresh teacher")
    if teacher_first and (init_students is None or joint):
        raise ValueError("teacher_first=True needs init_students (the students to distil into) and not joint")
    t_start = time.monotonic()
    blob = load_packed(data_file)
    out.mkdir(parents=True, exist_ok=True)
    logf = open(out / "train.log", "a", encoding="utf-8")

    def log(msg):
        line = f"[{time.monotonic() - t_start:6.1f}s] {msg}"
        print(line, flush=True)
        logf.write(line + "\n")
        logf.flush()

    log(f"data: {len(blob['sentences'])} sentences, {len(blob['domain'])} domain, "
        f"pairs {({k: len(v) for k, v in blob['pairs'].items()})}")
    _worker_setup(blob)
    pool = mp.get_context("fork").Pool(workers) if workers > 0 else None  # before CUDA starts
    import torch

    random.seed(seed)
    torch.manual_seed(seed)
    device = device or ("cuda" if torch.cuda.is_available() else "cpu")
    if device.startswith("cuda"):
        torch.backends.cuda.matmul.allow_tf32 = True
        log(f"device {torch.cuda.get_device_name(0)}; torch {torch.__version__}")
    import transformers

    log(f"transformers {transformers.__version__}; workers {workers}")
    index = {(" " if t == "\u2581" else t): i for i, t in enumerate(blob["vocab"])}
    V = len(blob["vocab"])
    summary: dict = {"seed": seed, "batch": batch, "teacher": teacher_cfg or TEACHER,
                     "students": student_cfgs or STUDENTS, "phases": {}, "measure": {}, "errors": []}
    budget = seconds - (time.monotonic() - t_start)
    s1, s2, sd = (budget * f for f in SHARES)
    teacher = None
    if init_students is not None:
        sd = budget * 0.9
        student_lr = min(student_lr, 5e-4)
    if teacher_first:
        s1, s2, sd = (budget * f for f in FIRST_SHARES)
    if init_students is not None and joint:
        return _run_joint(blob, pool, out, summary, log, logf, t_start, init_students, budget, V, index, device,
                          teacher_cfg or TEACHER, teacher_lr, student_lr, alpha, batch, seed)
    if init_students is None or teacher_first:
        try:
            teacher = bert(V, **(teacher_cfg or TEACHER)).to(device)
            summary["teacher_params"] = sum(p.numel() for p in teacher.parameters())
            log(f"teacher {summary['teacher_params']:,} parameters")
            stream = BatchStream(pool, seed * 10 + 1, batch, real_share=0.0, domain_share=0.08)
            summary["phases"]["teacher_stage1"] = train_phase(teacher, stream, s1, teacher_lr, 400, device, log,
                                                              "teacher1")
            stream = BatchStream(pool, seed * 10 + 2, batch, real_share=0.35, domain_share=0.15)
            summary["phases"]["teacher_stage2"] = train_phase(teacher, stream, s2, teacher_lr * 0.3, 100, device,
                                                              log, "teacher2")
        except Exception as exc:  # a failed teacher must not cost the students
            summary["errors"].append("teacher: " + "".join(traceback.format_exception_only(type(exc), exc)).strip())
            log(traceback.format_exc())
            teacher = None
    if init_students is not None:
        from transformers import BertForTokenClassification

        students = {k: BertForTokenClassification.from_pretrained(Path(init_students) / k).to(device)
                    for k in (student_cfgs or STUDENTS)}
        summary["students"] = {k: {"from": str(Path(init_students) / k)} for k in students}
    else:
        students = {k: bert(V, **c).to(device) for k, c in (student_cfgs or STUDENTS).items()}
    try:
        stream = BatchStream(pool, seed * 10 + 3, batch, real_share=0.3, domain_share=0.12)
        alphas = {"student_b": 0.0} if teacher_first else None  # the control: true labels on the same batches
        summary["phases"]["distill"] = distill_phase(teacher, students, stream, sd, student_lr, 300, alpha, device, log,
                                                     alphas=alphas)
    except Exception as exc:
        summary["errors"].append("distill: " + "".join(traceback.format_exception_only(type(exc), exc)).strip())
        log(traceback.format_exc())
    return _finish(blob, pool, out, summary, log, logf, t_start, teacher, students, index, device)


def _finish(blob, pool, out, summary, log, logf, t_start, teacher, students, index, device) -> dict:
    """Save the students, then measure every model (threshold rule, sets, GPU throughput)."""
    for k, m in students.items():
        m.to("cpu").save_pretrained(out / k, safe_serialization=True)
        m.to(device)
    (out / "summary.json").write_text(json.dumps(summary, ensure_ascii=False, indent=2), encoding="utf-8")
    if pool is not None:
        pool.terminate()
    for name, model in ([("teacher", teacher)] if teacher is not None else []) + list(students.items()):
        try:
            summary["measure"][name] = measure(model, blob, index, device)
            summary["measure"][name]["gpu_sentences_per_s_batch1024"] = round(gpu_throughput(model, device))
            log(f"measured {name}: {json.dumps(summary['measure'][name], ensure_ascii=False)}")
        except Exception as exc:
            summary["errors"].append(f"measure {name}: {exc}")
            log(traceback.format_exc())
        (out / "summary.json").write_text(json.dumps(summary, ensure_ascii=False, indent=2), encoding="utf-8")
    summary["seconds"] = round(time.monotonic() - t_start, 1)
    (out / "summary.json").write_text(json.dumps(summary, ensure_ascii=False, indent=2), encoding="utf-8")
    log(f"total {summary['seconds']} s")
    logf.close()
    return summary


JOINT_SHARES = (0.55, 0.32)  # joint phase, distillation phase (the rest: saving, measuring)
FIRST_SHARES = (0.50, 0.10, 0.28)  # teacher_first: teacher stages 1 and 2, distillation (the rest: saving, measuring)


def teacher_shape(spec: str) -> dict:
    """``LAYERSxHIDDEN`` (e.g. ``12x768``) -> a teacher config: heads of 64 dimensions, a
    feed-forward of 4 x hidden, GELU."""
    try:
        layers, hidden = (int(x) for x in spec.lower().split("x"))
    except ValueError:
        raise argparse.ArgumentTypeError(f"teacher shape '{spec}': expected LAYERSxHIDDEN, e.g. 12x768") from None
    if not (1 <= layers <= 48 and hidden >= 64 and hidden % 64 == 0):
        raise argparse.ArgumentTypeError(f"teacher shape '{spec}': 1-48 layers and a hidden size that is a multiple of 64")
    return dict(layers=layers, hidden=hidden, heads=hidden // 64, ffn=4 * hidden, act="gelu")


def _run_joint(blob, pool, out, summary, log, logf, t_start, init_students, budget, V, index, device,
               teacher_cfg, teacher_lr, student_lr, alpha, batch, seed) -> dict:
    from transformers import BertForTokenClassification

    students = {k: BertForTokenClassification.from_pretrained(Path(init_students) / k).to(device)
                for k in ("student_a", "student_b")}
    summary["students"] = {k: {"from": str(Path(init_students) / k)} for k in students}
    teacher = None
    try:
        teacher = bert(V, **teacher_cfg).to(device)
        summary["teacher_params"] = sum(p.numel() for p in teacher.parameters())
        log(f"teacher {summary['teacher_params']:,} parameters")
        stream = BatchStream(pool, seed * 10 + 1, batch, real_share=0.25, domain_share=0.1)
        summary["phases"]["joint"] = distill_phase(None, {"teacher": teacher, **students}, stream,
                                                   budget * JOINT_SHARES[0], student_lr, 400, 0.0, device, log,
                                                   name="joint", lrs={"teacher": teacher_lr})
        teacher.eval()
    except Exception as exc:  # a failed teacher must not cost the students
        summary["errors"].append("joint: " + "".join(traceback.format_exception_only(type(exc), exc)).strip())
        log(traceback.format_exc())
        teacher = None
    try:
        stream = BatchStream(pool, seed * 10 + 3, batch, real_share=0.3, domain_share=0.12)
        summary["phases"]["distill"] = distill_phase(teacher, students, stream, budget * JOINT_SHARES[1], student_lr,
                                                     100, alpha, device, log, alphas={"student_b": 0.0})
    except Exception as exc:
        summary["errors"].append("distill: " + "".join(traceback.format_exception_only(type(exc), exc)).strip())
        log(traceback.format_exc())
    return _finish(blob, pool, out, summary, log, logf, t_start, teacher, students, index, device)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = ap.add_subparsers(dest="cmd", required=True)
    p = sub.add_parser("pack")
    p.add_argument("--out", type=Path, required=True)
    t = sub.add_parser("train")
    t.add_argument("--data", type=Path, required=True)
    t.add_argument("--out", type=Path, required=True)
    t.add_argument("--seconds", type=float, default=540)
    t.add_argument("--workers", type=int, default=max(1, (os.cpu_count() or 2) - 2))
    t.add_argument("--seed", type=int, default=13)
    t.add_argument("--device", default=None)
    t.add_argument("--batch", type=int, default=512)
    t.add_argument("--tiny", action="store_true", help="tiny models (smoke test on a CPU)")
    t.add_argument("--init-students", type=Path, default=None,
                   help="continue student_a/ and student_b/ of this folder on true labels (no teacher)")
    t.add_argument("--alpha", type=float, default=0.7, help="weight of the teacher's probabilities in distillation")
    t.add_argument("--joint", action="store_true",
                   help="with --init-students: train a fresh teacher beside them, then distil it into student_a")
    t.add_argument("--teacher-first", action="store_true",
                   help="with --init-students: train a fresh teacher alone first, then distil it into student_a "
                        "(student_b continues on the true labels: the control)")
    t.add_argument("--teacher", type=teacher_shape, default=None, metavar="LAYERSxHIDDEN",
                   help="the teacher's shape, e.g. 12x768 (default 8x512)")
    args = ap.parse_args(argv)
    if args.cmd == "train" and args.joint and args.init_students is None:
        ap.error("--joint needs --init-students (the students that continue beside the fresh teacher)")
    if args.cmd == "train" and args.teacher_first and (args.init_students is None or args.joint):
        ap.error("--teacher-first needs --init-students (the students to distil into) and excludes --joint")
    if args.cmd == "pack":
        print(json.dumps(pack(args.out), ensure_ascii=False))
        return 0
    kw = {}
    if args.tiny:
        kw = {"teacher_cfg": dict(layers=1, hidden=32, heads=2, ffn=64, act="gelu"),
              "student_cfgs": {"student_a": dict(layers=1, hidden=16, heads=2, ffn=32, act="relu"),
                               "student_b": dict(layers=1, hidden=16, heads=2, ffn=16, act="relu")}}
    if args.teacher is not None:
        kw["teacher_cfg"] = args.teacher
    try:
        run(args.data, args.out, args.seconds, args.workers, args.seed, args.device, batch=args.batch,
            init_students=args.init_students, joint=args.joint, teacher_first=args.teacher_first,
            alpha=args.alpha, **kw)
    except BadDataFile as exc:  # one line, not a traceback
        print(f"distill: {exc}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
