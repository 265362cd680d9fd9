"""Train the experimental neural name tagger (``corpora.pii.names_tagger``; not used by
the scanner: see models/pii-names-crf/README.md for why).

The encoder is the project's pretrained character model (``models/wording-detector/torch``:
BertForTokenClassification, 4 layers x 128 hidden, character vocabulary, pretrained on
government text); a new token-classification head tags each character O/B/I of a personal
name, and the token-type embeddings (one row in the encoder, copied to 48) carry
``names_tagger.type_ids``.  Fine-tuned on the train splits of CLUENER 2020, Weibo NER v2
and Resume NER, read in place (``corpora.pii.ner_data``; research-only sets, never copied
into the project); ``--part fit`` leaves out the held-out 10% used for choices
(``corpora.pii.eval_names_heldout``).  Then exported to int8 ONNX (eager attention).

    python -m corpora.pii.train_names_tagger --out /tmp/tagger-fit --part fit --epochs 5 --lr 5e-4

About 5 minutes on one core (2,255 steps of 32 pieces).
"""
from __future__ import annotations

import argparse
import json
import math
import random
import sys
import time
from pathlib import Path

from corpora.pii import ner_data
from scanner.resources import models_dir, shared_data_dir
from scanner.text.normalize import normalize

LABELS = ("O", "B", "I")
MAX_LEN = 128
ENCODER = "wording-detector/torch"


def _normalized(text: str) -> str:
    t = normalize(text).text
    return t if len(t) == len(text) else text


def examples(data: Path, part: str, max_len: int = MAX_LEN, sets=ner_data.SETS, weights=None,
             type_features: bool = True) -> list[tuple]:
    """(text, label ids: 0 O, 1 B, 2 I, token types or None) pieces of at most ``max_len``
    characters; the token types (``names_tagger.type_ids``) when ``type_features``."""
    from corpora.pii.names_tagger import type_ids

    out = []
    for name in sets:
        sentences = [(_normalized(text), tags) for text, tags in ner_data.sentences(data, name, part)]
        typed = [type_ids(text) if type_features else None for text, _ in sentences]
        for _ in range((weights or {}).get(name, 1)):
            for (text, tags), types in zip(sentences, typed):
                ids = [LABELS.index(t) for t in tags]
                for s in range(0, len(text), max_len):
                    out.append((text[s:s + max_len], ids[s:s + max_len], None if types is None else types[s:s + max_len]))
    return out


def train(data: Path | None, out: Path, *, pieces: list[tuple] | None = None, part: str = "fit", epochs: float = 3.0,
          lr: float = 3e-4, batch_size: int = 32, seed: int = 13, weights=None, limit: int | None = None,
          threads: int = 1, encoder: Path | None = None, type_features: bool = True, log=print) -> dict:
    """Fine-tune into ``out/torch``; ``pieces``: (text, label ids[, token types]) instead of
    the NER sets (tests).  Returns a summary of the run."""
    import torch
    from transformers import BertForTokenClassification

    from corpora.pii.names_tagger import type_ids
    from scanner.model.vocab import CharVocab

    torch.set_num_threads(threads)
    torch.manual_seed(seed)
    rng = random.Random(seed)
    encoder = Path(encoder or models_dir() / ENCODER)
    model = BertForTokenClassification.from_pretrained(
        encoder, num_labels=len(LABELS), id2label=dict(enumerate(LABELS)), label2id={l: i for i, l in enumerate(LABELS)},
        ignore_mismatched_sizes=True,
    )
    if type_features:
        # token types carry the per-character features (type_ids); every new type starts as
        # the pretrained encoder's single one, so training starts from the encoder unchanged
        from corpora.pii.names_tagger import N_TYPES

        old = model.bert.embeddings.token_type_embeddings
        new = torch.nn.Embedding(N_TYPES, old.embedding_dim)
        new.weight.data[:] = old.weight.data[0]
        model.bert.embeddings.token_type_embeddings = new
        model.config.type_vocab_size = N_TYPES
    vocab = CharVocab.load(encoder / "vocab.txt")
    if pieces is not None:
        exs = [(p[0], p[1], type_ids(p[0]) if type_features else None) for p in pieces] if type_features else [(p[0], p[1], None) for p in pieces]
    else:
        exs = examples(data, part, weights=weights, type_features=type_features)
    if limit:
        rng.shuffle(exs)
        exs = exs[:limit]
    log(f"{len(exs)} pieces, {sum(len(p[0]) for p in exs)} characters")
    steps_per_epoch = math.ceil(len(exs) / batch_size)
    total = max(1, int(steps_per_epoch * epochs))
    opt = torch.optim.AdamW(model.parameters(), lr=lr, weight_decay=0.01)
    warm = max(1, total // 20)
    sched = torch.optim.lr_scheduler.LambdaLR(opt, lambda s: min((s + 1) / warm, max(0.0, (total - s) / (total - warm))))
    model.train()
    step = 0
    t0 = time.monotonic()
    loss_sum = 0.0
    while step < total:
        # batches of similar length (little padding), in random order
        order = sorted(range(len(exs)), key=lambda i: (len(exs[i][0]), rng.random()))
        batches = [order[i:i + batch_size] for i in range(0, len(order), batch_size)]
        rng.shuffle(batches)
        for b in batches:
            if step >= total:
                break
            width = max(len(exs[i][0]) for i in b)
            ids = torch.zeros((len(b), width), dtype=torch.long)
            labels = torch.full((len(b), width), -100, dtype=torch.long)
            types = torch.zeros((len(b), width), dtype=torch.long)
            for r, i in enumerate(b):
                text, lab, typ = exs[i]
                ids[r, :len(text)] = torch.tensor(vocab.encode(text))
                labels[r, :len(text)] = torch.tensor(lab)
                if typ is not None:
                    types[r, :len(text)] = torch.as_tensor(typ)
            loss = model(input_ids=ids, attention_mask=(labels != -100).long(), token_type_ids=types, labels=labels).loss
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            opt.step()
            sched.step()
            opt.zero_grad()
            step += 1
            loss_sum += loss.item()
            if step % 100 == 0 or step == total:
                log(f"step {step}/{total} loss {loss_sum / 100:.4f} {time.monotonic() - t0:.0f} s")
                loss_sum = 0.0
    model.eval()
    out = Path(out)
    ckpt = out / "torch"
    ckpt.mkdir(parents=True, exist_ok=True)
    model.save_pretrained(ckpt)
    vocab.save(ckpt / "vocab.txt")
    summary = {"part": part, "type_features": type_features, "epochs": epochs, "lr": lr, "batch_size": batch_size, "seed": seed, "weights": weights or {},
               "pieces": len(exs), "steps": total, "seconds": round(time.monotonic() - t0)}
    (ckpt / "train_state.json").write_text(json.dumps(summary, indent=2) + "\n", encoding="utf-8")
    return summary


def export(out: Path, quantize: bool = True) -> Path:
    """``out/torch`` -> ``out/model.onnx`` (input_ids, attention_mask -> probs: batch x length x O/B/I)."""
    import numpy as np
    import torch
    from transformers import BertForTokenClassification

    from scanner.model.vocab import CharVocab

    out = Path(out)
    model = BertForTokenClassification.from_pretrained(out / "torch")
    model.eval()
    model.set_attn_implementation("eager")
    vocab = CharVocab.load(out / "torch" / "vocab.txt")

    typed = model.config.type_vocab_size > 1

    class Probs(torch.nn.Module):
        def __init__(self, inner):
            super().__init__()
            self.inner = inner

        def forward(self, input_ids, attention_mask, token_type_ids=None):
            logits = self.inner(input_ids=input_ids, attention_mask=attention_mask, token_type_ids=token_type_ids).logits
            return torch.softmax(logits, dim=-1)

    texts = ["记者王建国报道，李明说他很好。", "张华先生和刘芳女士出席了会议。"]
    ids = torch.tensor([vocab.encode(t) for t in texts])
    args = (ids, torch.ones_like(ids))
    names = ["input_ids", "attention_mask"]
    if typed:
        from corpora.pii.names_tagger import type_ids

        args += (torch.tensor(np.stack([type_ids(t) for t in texts])),)
        names.append("token_type_ids")
    target = out / "model.onnx"
    tmp = out / "model.fp32.onnx" if quantize else target
    torch.onnx.export(
        Probs(model).eval(), args, str(tmp), input_names=names, output_names=["probs"],
        dynamic_axes={**{k: {0: "batch", 1: "length"} for k in names}, "probs": {0: "batch", 1: "length"}},
        opset_version=17, dynamo=False,
    )
    if quantize:
        import onnx
        from onnxruntime.quantization import QuantType, quantize_dynamic

        quantize_dynamic(str(tmp), str(target), weight_type=QuantType.QInt8,
                         extra_options={"DefaultTensorType": onnx.TensorProto.FLOAT})
        tmp.unlink()
    vocab.save(out / "vocab.txt")
    meta_file = out / "meta.json"
    meta = json.loads(meta_file.read_text(encoding="utf-8")) if meta_file.is_file() else {}
    meta = {"name": "pii-names-tagger", "labels": list(LABELS), "max_len": MAX_LEN, "overlap": 32, "batch_size": 32,
            "crf_weight": 0.5, "threshold": 0.5, "quantized_int8": quantize, "type_features": typed, **{k: v for k, v in meta.items() if k in ("crf_weight", "threshold", "chosen")}}
    state = out / "torch" / "train_state.json"
    if state.is_file():
        meta["training"] = json.loads(state.read_text(encoding="utf-8"))
    meta_file.write_text(json.dumps(meta, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return target


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description="fine-tune the neural name tagger and export it to ONNX")
    ap.add_argument("--part", choices=("fit", "all"), default="fit", help="fit: leave out the held-out 10%% of train")
    ap.add_argument("--epochs", type=float, default=3.0)
    ap.add_argument("--lr", type=float, default=3e-4)
    ap.add_argument("--batch-size", type=int, default=32)
    ap.add_argument("--seed", type=int, default=13)
    ap.add_argument("--cluener-weight", type=int, default=1, help="passes over CLUENER per epoch")
    ap.add_argument("--out", type=Path, required=True, help="output folder (model.onnx, vocab.txt, meta.json, torch/)")
    ap.add_argument("--no-quantize", action="store_true")
    ap.add_argument("--no-type-features", action="store_true", help="characters only, no jieba/name-list token types")
    args = ap.parse_args(argv)
    data = shared_data_dir() / "ner"
    if not (data / "cluener2020" / "train.jsonl").is_file():
        print(f"error: NER training data not found under {data} (set GOVSCAN_SHARED_DATA)", file=sys.stderr)
        return 2
    out = args.out
    summary = train(data, out, part=args.part, epochs=args.epochs, lr=args.lr, batch_size=args.batch_size,
                    seed=args.seed, weights={"cluener": args.cluener_weight},
                    type_features=not args.no_type_features)
    path = export(out, quantize=not args.no_quantize)
    print(f"trained {summary['steps']} steps in {summary['seconds']} s -> {path} ({path.stat().st_size // 1024} KiB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
