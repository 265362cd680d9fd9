"""Export a trained checkpoint to the shipped ONNX model (needs torch and onnx).

Writes ``model.onnx`` (input_ids, attention_mask -> error_prob), ``vocab.txt``,
``confusion.tsv`` (the correction candidates: permissive confusion sets restricted to the
vocabulary, most frequent characters first) and ``meta.json`` (threshold, window, data).
"""
from __future__ import annotations

import json
import shutil
from pathlib import Path

from .vocab import CharVocab

OPSET = 17


def export_onnx(checkpoint: Path, out: Path, quantize: bool = False) -> Path:
    import torch

    from .train import load_checkpoint

    model, vocab = load_checkpoint(checkpoint)
    # Plain softmax attention with an additive mask: the SDPA graph adds Where/IsNaN guards
    # that cost a third of the CPU time of a small model (measured: 697 -> 996 sentences/s).
    model.set_attn_implementation("eager")

    class ErrorProb(torch.nn.Module):
        def __init__(self, inner):
            super().__init__()
            self.inner = inner

        def forward(self, input_ids, attention_mask):
            logits = self.inner(input_ids=input_ids, attention_mask=attention_mask).logits
            return torch.softmax(logits, dim=-1)[..., 1]

    wrapper = ErrorProb(model).eval()
    out.mkdir(parents=True, exist_ok=True)
    ids = torch.tensor([vocab.encode("依法制国是党领导人民治理国家的基本方略。"), vocab.encode("2024年3月5日发布的通知，编号A2024-0017。")[:20]])
    mask = torch.ones_like(ids)
    target = out / "model.onnx"
    tmp = out / "model.fp32.onnx" if quantize else target
    torch.onnx.export(
        wrapper, (ids, mask), str(tmp), input_names=["input_ids", "attention_mask"], output_names=["error_prob"],
        dynamic_axes={"input_ids": {0: "batch", 1: "length"}, "attention_mask": {0: "batch", 1: "length"},
                      "error_prob": {0: "batch", 1: "length"}},
        opset_version=OPSET, dynamo=False,
    )
    if quantize:
        import onnx
        from onnxruntime.quantization import QuantType, quantize_dynamic

        quantize_dynamic(str(tmp), str(target), weight_type=QuantType.QInt8,
                         extra_options={"DefaultTensorType": onnx.TensorProto.FLOAT})
        tmp.unlink()
    vocab.save(out / "vocab.txt")
    return target


def write_confusion(vocab: CharVocab, out: Path, char_freq: dict[str, int], max_candidates: int = 40) -> Path:
    from .data import confusion_sets

    sound, shape = confusion_sets()
    lines = ["# confusion.tsv: character<TAB>confusable characters, most frequent first (correction candidates).",
             "# Sources: pycorrector same_pinyin.txt / same_stroke.txt (Apache-2.0), ECSpell soundConfusion.json /",
             "# shapeConfusion.json (MIT, aopolin-lv/ECSpell), restricted to the model vocabulary."]
    for ch in vocab.tokens:
        cands = set(sound.get(ch, ())) | set(shape.get(ch, ()))
        cands = [c for c in cands if c in vocab and c != ch]
        if cands:
            cands.sort(key=lambda c: (-char_freq.get(c, 0), c))
            lines.append(ch + "\t" + "".join(cands[:max_candidates]))
    path = out / "confusion.tsv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


# The domain word lists of ECSpell (MIT), in ../shared/data/lexicon-sources/ecspell-wordlists:
# domain name -> source list.  Shipped as domain_<name>.txt beside the model.
DOMAIN_WORD_LISTS = {"law": "法律.txt", "medicine": "医学.txt"}


# The language-model rescue's n-gram table (runtime.LM_LOW), built by corpora/build_charlm.py
# (not by the export: it needs only the text, not the model); "default": false, a caller asks
# for it (acc_xxqg false alarms 0.46% -> 0.58% with it, over the goal of 0.5%: models/README.md).
CHARLM = {"file": "charlm.npz", "default": False,
          "built_by": "python corpora/build_charlm.py --out models/wording-detector/charlm.npz --order 4 --min-count 1,2,3,5"}


def write_domain_words(out: Path, lists: dict[str, str] = DOMAIN_WORD_LISTS) -> dict[str, str]:
    """``domain_<name>.txt``: the words of ECSpell's legal and medical word lists (2-8 CJK
    characters, normalized), for the runtime's domain-word rescue (``runtime.RESCUE_LOW``).
    Returns the ``domain_words`` entry of meta.json."""
    from .data import _is_cjk, data_path, norm

    entry = {}
    for domain, name in lists.items():
        words: set[str] = set()
        with open(data_path("lexicon-sources", "ecspell-wordlists", name), encoding="utf-8-sig") as fh:
            for line in fh:
                w = norm(line.split("\t")[0].strip())
                if 2 <= len(w) <= 8 and all(_is_cjk(c) for c in w):
                    words.add(w)
        lines = [f"# domain_{domain}.txt: the words of ECSpell's domain word list {name} (github.com/aopolin-lv/ECSpell,",
                 "# csc_evaluation/data/wordlist, commit 025bf43, MIT licence, (c) the ECSpell authors), 2-8 Chinese",
                 "# characters.  With this domain named, a character the model finds odd but not odd enough is flagged",
                 "# when a confusable character in its place makes one of these words (scanner/model/runtime.py)."]
        (out / f"domain_{domain}.txt").write_text("\n".join(lines + sorted(words)) + "\n", encoding="utf-8")
        entry[domain] = f"domain_{domain}.txt"
    return entry


def write_meta(out: Path, meta: dict) -> None:
    (out / "meta.json").write_text(json.dumps(meta, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


def copy_checkpoint(checkpoint: Path, out: Path) -> None:
    """Keep the torch weights beside the ONNX file (parity tests, further fine-tuning)."""
    dest = out / "torch"
    dest.mkdir(parents=True, exist_ok=True)
    for name in ("config.json", "model.safetensors", "vocab.txt", "train_state.json"):
        if (Path(checkpoint) / name).exists():
            shutil.copy2(Path(checkpoint) / name, dest / name)


def export_model(checkpoint: Path, out: Path, quantize: bool = False, target_rate: float = 0.003,
                 log=print) -> dict:
    """Checkpoint -> the shipped model folder, with the threshold chosen on held-out clean
    government sentences (at most ``target_rate`` of them flagged)."""
    import datetime as dt

    from . import data
    from .evaluate import choose_threshold
    from .runtime import Detector

    checkpoint, out = Path(checkpoint), Path(out)
    export_onnx(checkpoint, out, quantize=quantize)
    log("reading government text for frequencies and the held-out threshold set ...")
    sentences = data.gov_sentences()
    freq = data.char_frequencies(sentences)
    vocab = CharVocab.load(out / "vocab.txt")
    write_confusion(vocab, out, freq)
    domain_words = write_domain_words(out)
    copy_checkpoint(checkpoint, out)
    state_file = checkpoint / "train_state.json"
    meta = {
        "name": "wording-detector",
        "architecture": "BertForTokenClassification (transformers), character level",
        "max_len": 64,
        "overlap": 16,
        "batch_size": 64,
        "threshold": 0.5,
        "quantized_int8": quantize,
        "word_filter": True,  # lexfilter: one-character flags inside a word whose correction makes none are dropped
        "domain_words": domain_words,  # runtime: the domain-word rescue below the threshold, for named domains
        "checkpoint_state": json.loads(state_file.read_text(encoding="utf-8")) if state_file.exists() else None,
        "exported": dt.date.today().isoformat(),
    }
    if (out / CHARLM["file"]).is_file():  # built apart (corpora/build_charlm.py): kept on re-export
        meta["charlm"] = dict(CHARLM)
    write_meta(out, meta)
    dev = [s for s in sentences if data.is_dev(s)]
    det = Detector(out, threads=2)
    meta["threshold"] = round(choose_threshold(det, dev, target_rate), 4)
    meta["threshold_rule"] = (f"lowest threshold flagging at most {target_rate:.1%} of {len(dev)} held-out clean "
                              "government sentences (gov-text, 1% hash split, never trained on)")
    write_meta(out, meta)
    log(f"exported {out / 'model.onnx'}; threshold {meta['threshold']}")
    return meta
