"""``govscan model train|export|eval``: thin Typer commands over ``scanner.model``."""
from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

model_app = typer.Typer(help="The wording-error model: train (needs govscan[train]), export to ONNX, evaluate.",
                        no_args_is_help=True)

OutDirOpt = Annotated[Path, typer.Option("--out", help="Folder for checkpoints (train) or the exported model (export).")]


def _fail(message: str) -> None:
    typer.echo(f"govscan: {message}", err=True)
    raise typer.Exit(2)


def _require_torch() -> None:
    try:
        import torch  # noqa: F401
    except ImportError:
        _fail("training and export need torch: pip install 'govscan[train]' (torch==2.13.0, CPU build)")


@model_app.command("train")
def train_command(
    out: OutDirOpt = Path("out/model"),
    stage: Annotated[str, typer.Option(help="1 (replaced-character detection on corrupted government text), 2 (fine-tuning on real errors) or all.")] = "all",
    init_from: Annotated[Optional[Path], typer.Option(help="Checkpoint to start from (e.g. out/model/stage1 for --stage 2).")] = None,
    stage1_steps: int = 7000,
    stage2_steps: int = 3000,
    stage1_minutes: Annotated[Optional[float], typer.Option(help="Stop stage 1 after this many minutes (checkpoint kept).")] = None,
    stage2_minutes: Annotated[Optional[float], typer.Option(help="Stop stage 2 after this many minutes.")] = None,
    layers: int = 4,
    hidden: int = 128,
    heads: int = 4,
    intermediate: int = 512,
    batch_size: int = 64,
    lr: float = 7e-4,
    threads: Annotated[int, typer.Option(help="torch CPU threads.")] = 1,
    seed: int = 13,
    device: Annotated[str, typer.Option(help="torch device: cpu, or cuda on a GPU machine.")] = "cpu",
    corpus_limit: Annotated[Optional[int], typer.Option(help="Use only this many government sentences (smoke runs).")] = None,
) -> None:
    """Train the model from ../shared/data (GOVSCAN_SHARED_DATA) into OUT/stage1, OUT/stage2.

    Example: nice -n 15 govscan model train --out out/model --stage1-minutes 40 --stage2-minutes 30
    """
    _require_torch()
    from .train import TrainConfig, train

    if stage not in ("1", "2", "all"):
        _fail(f"--stage {stage}: must be 1, 2 or all")
    if stage == "2" and init_from is None:
        _fail("--stage 2 needs --init-from (a stage-1 checkpoint folder)")
    cfg = TrainConfig(out=out, stage=stage, layers=layers, hidden=hidden, heads=heads, intermediate=intermediate,
                      batch_size=batch_size, lr=lr, stage1_steps=stage1_steps, stage2_steps=stage2_steps,
                      stage1_minutes=stage1_minutes, stage2_minutes=stage2_minutes, threads=threads, seed=seed,
                      corpus_limit=corpus_limit, init_from=init_from, device=device)
    summary = train(cfg, log=lambda m: typer.echo(m, err=True))
    typer.echo(f"trained in {summary['minutes']} min: {out}")


@model_app.command("export")
def export_command(
    checkpoint: Annotated[Path, typer.Argument(help="A training checkpoint folder (e.g. out/model/stage2).")],
    out: OutDirOpt = Path("models/wording-detector"),
    int8: Annotated[bool, typer.Option("--int8", help="Quantize the weights to int8 (onnxruntime dynamic quantization).")] = False,
    false_alarm_rate: Annotated[float, typer.Option(help="Share of held-out clean government sentences the threshold may flag.")] = 0.003,
) -> None:
    """Export a checkpoint to ONNX with its vocabulary, confusion set and threshold.

    Example: govscan model export out/model/stage2 --out models/wording-detector
    """
    _require_torch()
    from .export import export_model

    if not (checkpoint / "config.json").is_file():
        _fail(f"{checkpoint}: not a training checkpoint (no config.json)")
    meta = export_model(checkpoint, out, quantize=int8, target_rate=false_alarm_rate, log=lambda m: typer.echo(m, err=True))
    typer.echo(f"exported {out} (threshold {meta['threshold']})")


@model_app.command("eval")
def eval_command(
    model: Annotated[Optional[Path], typer.Option(help="Model folder (default: the shipped models/wording-detector).")] = None,
    sets: Annotated[Optional[list[str]], typer.Option("--set", help="ecspell-law, ecspell-med, sighan13, sighan14, acc_xxqg (repeatable; default all).")] = None,
    threshold: Annotated[Optional[float], typer.Option(help="Override the model's threshold.")] = None,
    limit: Annotated[Optional[int], typer.Option(help="Only the first N sentences of each set.")] = None,
    domain: Annotated[Optional[list[str]], typer.Option("--domain", help="Flag below the threshold where a confusable character makes a word of this domain's word list: law, medicine (repeatable; default none).")] = None,
    lm: Annotated[Optional[bool], typer.Option("--lm/--no-lm", help="The language-model rescue on or off (default: as the model's meta.json says).")] = None,
    dev: Annotated[bool, typer.Option("--dev", help="The development sets instead (held-out ECSpell law/med train pairs, held-out clean government sentences, CLUENER train sentences as clean news): for choosing between models.")] = False,
    threads: int = 2,
) -> None:
    """Sentence-level detection/correction P/R/F1 on ECSpell law/med and SIGHAN 2013/2014 test,
    false-alarm rate on acc_xxqg (onnxruntime; no torch needed).

    Example: govscan model eval --set ecspell-law --set acc_xxqg
    """
    from ..errors import GovscanError
    from .data import EVAL_SETS
    from .evaluate import DEV_SETS, evaluate, format_table
    from .runtime import Detector

    known = [*EVAL_SETS, "acc_xxqg", *DEV_SETS]
    if dev and not sets:
        sets = list(DEV_SETS)
    for s in sets or []:
        if s not in known:
            _fail(f"--set {s}: unknown evaluation set; known: {', '.join(known)}")
    try:
        det = Detector(model, threads=threads)
        for d in domain or []:
            if d not in det.domains:
                _fail(f"--domain {d}: no such word list with the model; known: {', '.join(det.domains) or 'none'}")
        scores = evaluate(det, sets, threshold=threshold, limit=limit, domains=tuple(domain or ()), lm=lm)
    except GovscanError as exc:
        _fail(str(exc))
    typer.echo(format_table(scores, det.threshold if threshold is None else threshold))
    if model is None and threshold is None and limit is None and not dev and not domain and lm is None:
        from .evaluate import check_floors

        below = check_floors(scores)
        for line in below:
            typer.echo(f"below the floor: {line}", err=True)
        if below:
            raise typer.Exit(1)
