"""Training: stage 1 replaced-character detection on corrupted clean government text,
stage 2 fine-tuning on real-error pairs mixed with corrupted text.  Needs torch
(``pip install govscan[train]``).  Reproducible from ``seed``: the data order, the
corruptions and the initial weights all derive from it.

The model is transformers' ``BertForTokenClassification`` (two labels per character:
kept / replaced) with a small config; the discriminator of ELECTRA has the same shape.
"""
from __future__ import annotations

import dataclasses
import json
import math
import random
import time
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

from .vocab import PAD_ID, CharVocab

IGNORE = -100


@dataclasses.dataclass
class TrainConfig:
    out: Path
    stage: str = "all"  # "1", "2" or "all"
    layers: int = 4
    hidden: int = 128
    heads: int = 4
    intermediate: int = 512
    max_len: int = 64
    batch_size: int = 64
    lr: float = 5e-4
    stage1_steps: int = 20000
    stage2_steps: int = 6000
    stage1_minutes: float | None = None  # stop stage 1 early at this wall-clock budget
    stage2_minutes: float | None = None
    warmup: int = 500
    threads: int = 2
    seed: int = 13
    checkpoint_every: int = 500
    log_every: int = 100
    corpus_limit: int | None = None  # sentences of government text (None: all)
    synthetic_share: float = 0.5  # share of corrupted clean text in stage-2 batches
    init_from: Path | None = None  # start stage 2 from this checkpoint
    device: str = "cpu"  # "cuda" to train on a GPU


def build_vocab(sentences: Sequence[str], pairs: Sequence, min_freq: int = 3) -> CharVocab:
    from .data import _is_cjk, _pycorrector, char_frequencies

    freq = char_frequencies(sentences)
    chars = [c for c, n in freq.most_common() if n >= min_freq]
    common = [c for c in _pycorrector("common_char_set.txt").read_text(encoding="utf-8").split() if len(c) == 1]
    pair_chars = sorted({c for p in pairs for c in p.source + p.target})
    return CharVocab.build(chars + common + [c for c in pair_chars if _is_cjk(c) or not c.isalnum()])


def model_config(cfg: TrainConfig, vocab_size: int):
    from transformers import BertConfig

    return BertConfig(
        vocab_size=vocab_size,
        hidden_size=cfg.hidden,
        num_hidden_layers=cfg.layers,
        num_attention_heads=cfg.heads,
        intermediate_size=cfg.intermediate,
        max_position_embeddings=max(128, cfg.max_len),
        type_vocab_size=1,
        num_labels=2,
        pad_token_id=PAD_ID,
        id2label={0: "kept", 1: "replaced"},
        label2id={"kept": 0, "replaced": 1},
    )


def collate(vocab: CharVocab, items: Sequence[tuple[str, Sequence[int]]]):
    import torch

    n = max(len(t) for t, _ in items)
    ids = torch.full((len(items), n), PAD_ID, dtype=torch.long)
    mask = torch.zeros((len(items), n), dtype=torch.long)
    labels = torch.full((len(items), n), IGNORE, dtype=torch.long)
    for row, (text, lab) in enumerate(items):
        k = len(text)
        ids[row, :k] = torch.tensor(vocab.encode(text))
        mask[row, :k] = 1
        labels[row, :k] = torch.tensor(list(lab))
    return ids, mask, labels


def synthetic_stream(sentences: Sequence[str], corruptor, rng: random.Random) -> Iterator[tuple[str, list[int]]]:
    order = list(range(len(sentences)))
    while True:
        rng.shuffle(order)
        for i in order:
            yield corruptor.corrupt(sentences[i])


def pair_stream(pairs: Sequence, rng: random.Random) -> Iterator[tuple[str, list[int]]]:
    order = list(range(len(pairs)))
    while True:
        rng.shuffle(order)
        for i in order:
            p = pairs[i]
            labels = [int(a != b) for a, b in zip(p.source, p.target)]
            yield p.source, labels


def mixed_stream(a: Iterator, b: Iterator, share_a: float, rng: random.Random) -> Iterator:
    while True:
        yield next(a) if rng.random() < share_a else next(b)


def batches(stream: Iterator, batch_size: int, max_len: int, rng: random.Random, pool: int = 32):
    """Batches of similar length (less padding), cut to ``max_len`` by a random window."""
    while True:
        items = []
        for _ in range(batch_size * pool):
            text, labels = next(stream)
            if len(text) > max_len:
                s = rng.randrange(len(text) - max_len + 1)
                text, labels = text[s : s + max_len], labels[s : s + max_len]
            items.append((text, labels))
        items.sort(key=lambda x: len(x[0]))
        chunks = [items[i : i + batch_size] for i in range(0, len(items), batch_size)]
        rng.shuffle(chunks)
        yield from chunks


def run_stage(model, vocab: CharVocab, stream, steps: int, minutes: float | None, cfg: TrainConfig,
              out: Path, name: str, log: Callable[[str], None]) -> dict:
    import torch

    rng = random.Random(cfg.seed + (1 if name == "stage1" else 2))
    opt = torch.optim.AdamW(model.parameters(), lr=cfg.lr, weight_decay=0.01)

    def lr_at(step: int) -> float:
        if step < cfg.warmup:
            return (step + 1) / cfg.warmup
        progress = (step - cfg.warmup) / max(1, steps - cfg.warmup)
        return max(0.05, 0.5 * (1 + math.cos(math.pi * min(1.0, progress))))

    sched = torch.optim.lr_scheduler.LambdaLR(opt, lr_at)
    model.train()
    t0 = time.monotonic()
    tokens = 0
    running = 0.0
    step = 0
    for step, batch in enumerate(batches(stream, cfg.batch_size, cfg.max_len, rng), 1):
        ids, mask, labels = (t.to(cfg.device) for t in collate(vocab, batch))
        outputs = model(input_ids=ids, attention_mask=mask, labels=labels)
        outputs.loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()
        sched.step()
        opt.zero_grad(set_to_none=True)
        tokens += int(mask.sum().item())
        loss = float(outputs.loss.detach())
        running = 0.98 * running + 0.02 * loss if step > 1 else loss
        elapsed = time.monotonic() - t0
        if step % cfg.log_every == 0:
            log(f"{name} step {step}/{steps} loss {running:.4f} lr {sched.get_last_lr()[0]:.2e} "
                f"{tokens / elapsed:.0f} tokens/s {elapsed / 60:.1f} min")
        done = step >= steps or (minutes is not None and elapsed >= minutes * 60)
        if step % cfg.checkpoint_every == 0 or done:
            save_checkpoint(model, vocab, out / name, {"stage": name, "step": step, "loss": running,
                                                      "minutes": round(elapsed / 60, 2), "tokens": tokens})
        if done:
            break
    model.eval()
    return {"steps": step, "minutes": round((time.monotonic() - t0) / 60, 2), "tokens": tokens, "loss": round(running, 4)}


def save_checkpoint(model, vocab: CharVocab, path: Path, info: dict) -> None:
    path.mkdir(parents=True, exist_ok=True)
    model.save_pretrained(path, safe_serialization=True)  # safetensors copies device tensors to the CPU
    vocab.save(path / "vocab.txt")
    (path / "train_state.json").write_text(json.dumps(info, ensure_ascii=False, indent=2), encoding="utf-8")


def load_checkpoint(path: Path):
    from transformers import BertForTokenClassification

    model = BertForTokenClassification.from_pretrained(path)
    model.eval()
    return model, CharVocab.load(Path(path) / "vocab.txt")


def train(cfg: TrainConfig, sentences: Sequence[str] | None = None, pairs: dict | None = None,
          log: Callable[[str], None] = print) -> dict:
    """Train (stage 1, stage 2 or both) into ``cfg.out``; returns a summary of the run."""
    import torch
    from transformers import BertForTokenClassification

    from . import data

    torch.set_num_threads(cfg.threads)
    torch.manual_seed(cfg.seed)
    rng = random.Random(cfg.seed)
    out = Path(cfg.out)
    out.mkdir(parents=True, exist_ok=True)
    t0 = time.monotonic()
    if sentences is None:
        log("reading government text ...")
        sentences = data.gov_sentences(cfg.max_len, limit=cfg.corpus_limit)
    train_sents = [s for s in sentences if not data.is_dev(s)]
    if pairs is None:
        pairs = data.finetune_pairs()
    all_pairs = [p for ps in pairs.values() for p in ps]
    log(f"{len(train_sents)} training sentences, {sum(map(len, train_sents))} characters; "
        f"{len(all_pairs)} real-error pairs ({', '.join(f'{k} {len(v)}' for k, v in pairs.items())})")
    summary: dict = {"config": {k: str(v) if isinstance(v, Path) else v for k, v in dataclasses.asdict(cfg).items()},
                     "sentences": len(train_sents), "pairs": {k: len(v) for k, v in pairs.items()}}
    if cfg.init_from:
        model, vocab = load_checkpoint(cfg.init_from)
    else:
        vocab = build_vocab(train_sents, all_pairs)
        model = BertForTokenClassification(model_config(cfg, len(vocab)))
    model.to(cfg.device)
    log(f"vocabulary {len(vocab)}; parameters {sum(p.numel() for p in model.parameters()):,}")
    freq = data.char_frequencies(train_sents)
    corruptor = data.Corruptor(set(vocab.tokens), freq, seed=cfg.seed)
    if cfg.stage in ("1", "all"):
        stream = synthetic_stream(train_sents, corruptor, rng)
        summary["stage1"] = run_stage(model, vocab, stream, cfg.stage1_steps, cfg.stage1_minutes, cfg, out, "stage1", log)
    if cfg.stage in ("2", "all"):
        real = pair_stream(all_pairs, rng)
        synth = synthetic_stream(train_sents, corruptor, rng)
        stream = mixed_stream(synth, real, cfg.synthetic_share, rng)
        summary["stage2"] = run_stage(model, vocab, stream, cfg.stage2_steps, cfg.stage2_minutes, cfg, out, "stage2", log)
    summary["minutes"] = round((time.monotonic() - t0) / 60, 2)
    (out / "train_summary.json").write_text(json.dumps(summary, ensure_ascii=False, indent=2), encoding="utf-8")
    return summary
