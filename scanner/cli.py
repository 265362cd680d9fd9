"""The govscan command line (Typer).  Commands only parse arguments and call the library.

Exit codes: 0 no veto finding, 1 a veto finding (or a violation), 2 usage or input errors.
"""
from __future__ import annotations

if __name__ == "__main__":
    # `python -m scanner.cli` runs this file as __main__, a second copy of scanner.cli: the command
    # modules' `from ..cli import ...` imported the package's own copy, which imported them back
    # half-initialised (a circular-import traceback).  Run the package's module, as `python -m scanner` does.
    from scanner.cli import main as _main

    _main()
    raise SystemExit(0)

import datetime as dt
import json
import sys
from enum import Enum
from pathlib import Path
from typing import Annotated, Optional

import typer

from .errors import GovscanError
from .privacy.cli import PolicyOpt  # the same --policy option as `govscan privacy audit`

app = typer.Typer(
    name="govscan",
    help="政府网站与政务新媒体内容合规检查 (国办秘函〔2019〕19号)。",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


class OutputFormat(str, Enum):
    text = "text"
    json = "json"
    jsonl = "jsonl"


class ReviewFormat(str, Enum):
    """`govscan review`'s formats: those of every command, and csv."""

    text = "text"
    json = "json"
    jsonl = "jsonl"
    csv = "csv"


# `govscan review --format csv`: one row per finding (a file without any: one row, its cells empty)
REVIEW_CSV_HEADER = ["source", "format", "date", "id", "severity", "code", "indicator", "start", "end",
                     "excerpt", "message", "suggestion", "action", "place"]  # place: 页眉, 表格1 第2行第3列 …


def _parse_date(value: Optional[str]) -> Optional[dt.date]:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise typer.BadParameter(f"'{value}' is not a date in YYYY-MM-DD form") from None


# Shared options: one definition each, reused by every command.
AsOfOpt = Annotated[
    Optional[str],
    typer.Option("--as-of", help="Monitoring time point / publication date for date rules, YYYY-MM-DD (default: today, Beijing time)."),
]
ConfigOpt = Annotated[
    Optional[Path],
    typer.Option("--config", help="TOML file overriding any subset of the packaged defaults."),
]
FormatOpt = Annotated[OutputFormat, typer.Option("--format", "-f", help="text (table), json (one object) or jsonl (one object per input).")]
ReviewFormatOpt = Annotated[ReviewFormat, typer.Option(
    "--format", "-f", help="text (table), json (one object), jsonl (one object per input) or csv (one row per finding, for Excel/WPS).")]


def fail(message: str, code: int = 2) -> None:
    typer.echo(f"govscan: {message}", err=True)
    raise typer.Exit(code)


def load_settings(config: Optional[Path], as_of: Optional[str], overrides: Optional[dict] = None):
    from .settings import Settings

    try:
        return Settings.load(config, as_of=_parse_date(as_of), overrides=overrides)
    except GovscanError as exc:
        fail(str(exc))


DomainOpt = Annotated[Optional[list[str]], typer.Option(
    "--domain", help="Domain word list of the wording model for legal or health documents: law, medicine (repeatable): "
                     "a character the model finds odd but below its threshold is flagged where a confusable character makes a word of the list.")]


LmOpt = Annotated[bool, typer.Option(
    "--lm", help="The wording model's n-gram language-model rescue: a character the model finds odd but below its "
                 "threshold is flagged where a confusable character makes a word and a far likelier sentence "
                 "(more typos found in legal text, more false alarms on other text; off by default).")]


def model_overrides(no_model: bool, domains: Optional[list[str]], lm: bool = False) -> Optional[dict]:
    """Settings overrides for --no-model, --domain (the domains checked against the model's lists)
    and --lm."""
    if no_model:
        if domains or lm:
            fail(f"{'--domain' if domains else '--lm'} needs the wording model: drop --no-model")
        return {"checks": {"wording.classifier": {"enabled": False}}}
    if not domains:
        return {"checks": {"wording.classifier": {"lm": True}}} if lm else None
    import json

    from .model.runtime import model_path

    try:
        known = sorted(json.loads((model_path() / "meta.json").read_text(encoding="utf-8")).get("domain_words") or {})
    except (OSError, ValueError) as exc:
        fail(f"--domain: the wording model's meta.json cannot be read ({exc})")
    for d in domains:
        if d not in known:
            fail(f"--domain {d}: no such word list with the wording model; known: {', '.join(known) or 'none'}")
    options: dict = {"domains": list(dict.fromkeys(domains))}
    if lm:
        options["lm"] = True
    return {"checks": {"wording.classifier": options}}


@app.command()
def review(
    paths: Annotated[list[str], typer.Argument(help="Draft files (.txt .md .html .docx .doc .wps .rtf .mht .csv, by content), directories, or - for standard input.")],
    format: ReviewFormatOpt = ReviewFormat.text,
    as_of: AsOfOpt = None,
    config: ConfigOpt = None,
    show_text: Annotated[bool, typer.Option("--show-text", help="Print the text the offsets refer to (the extracted text for .html/.docx/.doc): "
                                                              "after the table, or as \"text\" in json/jsonl (not with csv).")] = False,
    no_model: Annotated[bool, typer.Option("--no-model", help="Skip the wording model (wording.classifier); lexicon checks still run.")] = False,
    domain: DomainOpt = None,
    lm: LmOpt = False,
    policy: PolicyOpt = None,
) -> None:
    """Review drafts before publishing: serious wording errors and personal data, at exact positions.

    --policy is the privacy policy of the pii checks and excerpt masking (as `govscan privacy audit --policy`
    and `govscan serve --policy`).

    Exit codes: 0 no veto (单项否决) finding, 1 at least one, 2 usage or input errors (each unreadable, empty or too long input named on stderr with the reason; the other inputs are still reviewed).

    Example: govscan review draft.docx notice.html --format json
    """
    from .pipeline import Reviewer
    from .types import Skipped

    if show_text and format is ReviewFormat.csv:  # it was accepted and did nothing
        fail("--show-text does not go with --format csv (one row per finding): use --format json, jsonl or text")

    settings = load_settings(config, as_of, model_overrides(no_model, domain, lm))
    try:
        privacy_policy = None
        if policy is not None:
            from .privacy.policy import Policy

            privacy_policy = Policy.load(policy)
        reviewer = Reviewer(settings, policy=privacy_policy)
    except GovscanError as exc:
        fail(str(exc))
    errors = 0
    veto = False
    results = []
    console = None
    if format is ReviewFormat.text:
        from rich.console import Console

        from .console import render_review

        console = Console(soft_wrap=False, highlight=False)
    writer = None
    if format is ReviewFormat.csv:  # UTF-8 with a BOM and no formulas, as every CSV govscan writes
        from .report.csvout import ExcelCsvWriter, start_stdout

        writer = ExcelCsvWriter(start_stdout())
        writer.writerow(REVIEW_CSV_HEADER)
    passed_over: list[tuple[str, str]] = []
    for item in reviewer.review_paths(paths, passed_over):
        if isinstance(item, Skipped):
            errors += 1
            typer.echo(f"govscan: {item.source.name}: {item.reason}", err=True)
            continue
        veto = veto or item.has_veto
        record = item.to_dict()
        if show_text:
            record["text"] = item.text
        if format is ReviewFormat.jsonl:
            sys.stdout.write(json.dumps(record, ensure_ascii=False) + "\n")
            sys.stdout.flush()
        elif format is ReviewFormat.json:
            results.append(record)
        elif writer is not None:  # excerpts, messages and suggestions are masked as in the JSON
            from .pipeline import place_label

            base = [record["source"], record["format"], record.get("date", "")]
            for f in record["findings"]:
                writer.writerow(base + [f[k] for k in REVIEW_CSV_HEADER[3:-1]] + [place_label(f.get("location"))])
            if not record["findings"]:
                writer.writerow(base + [""] * (len(REVIEW_CSV_HEADER) - 3))
            sys.stdout.flush()
        else:
            render_review(console, item)
            if show_text:
                console.print(item.text, markup=False)
    # one input: its object; several (or a directory): {"results": [...]}, also when some could not be
    # read (the shape followed the count of readable files: two files, one empty, gave a bare object)
    several = len(paths) > 1 or any(p != "-" and p.strip() and Path(p).is_dir() for p in paths)
    if format is ReviewFormat.json and (results or several):
        payload = {"results": results} if several else results[0]
        sys.stdout.write(json.dumps(payload, ensure_ascii=False, indent=2) + "\n")
    if passed_over:  # (a note, no error: the exit code is the drafts')
        from .extract.folders import passed_over_line

        typer.echo(f"govscan: {passed_over_line(passed_over)}", err=True)
    if errors:
        raise typer.Exit(2)
    raise typer.Exit(1 if veto else 0)


@app.command()
def serve(
    host: Annotated[str, typer.Option("--host", help="Address to bind; any non-loopback address requires --token.")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", help="TCP port.", min=1, max=65535)] = 8000,
    token: Annotated[Optional[str], typer.Option("--token", envvar="GOVSCAN_WEB_TOKEN", help="API token required on /api/* (Authorization: Bearer TOKEN or X-Govscan-Token).")] = None,
    cors_origin: Annotated[Optional[list[str]], typer.Option("--cors-origin", help="Allow cross-origin requests from this origin (repeatable); CORS is off by default.")] = None,
    max_upload_mb: Annotated[Optional[float], typer.Option("--max-upload-mb", help="Request size limit in MB (default 10; config key web.max_upload_mb).")] = None,
    as_of: AsOfOpt = None,
    config: ConfigOpt = None,
    no_model: Annotated[bool, typer.Option("--no-model", help="Skip the wording model (wording.classifier), as `govscan review --no-model`; lexicon checks still run.")] = False,
    domain: DomainOpt = None,
    lm: LmOpt = False,
    policy: PolicyOpt = None,
) -> None:
    """Serve the editor's web review page and the HTTP API (FastAPI, uvicorn, one worker).

    --policy applies to the review (pii checks, excerpt masking), audit and mask endpoints.

    Example: govscan serve --port 8000   (then open http://127.0.0.1:8000/ ; API docs at /docs)
    """
    from .web import WebConfig, serve as serve_web

    settings = load_settings(config, as_of, model_overrides(no_model, domain, lm))
    try:
        privacy_policy = None
        if policy is not None:
            from .privacy.policy import Policy

            privacy_policy = Policy.load(policy)
        web_config = WebConfig.from_settings(
            settings, host=host, token=token, cors_origins=cors_origin or (),
            max_upload_mb=max_upload_mb, fixed_as_of=as_of is not None, policy=privacy_policy,
        )
        serve_web(web_config, port)
    except GovscanError as exc:
        fail(str(exc))


@app.command()
def version() -> None:
    """Print the govscan version."""
    from . import __version__

    typer.echo(__version__)


from .report.cli import report as _report_command  # noqa: E402  (issue 7: quarterly report)

app.command("report")(_report_command)


from .privacy.cli import privacy_app as _privacy_app  # noqa: E402  (issue 3: privacy audit, mask)

app.add_typer(_privacy_app, name="privacy")


from .model.cli import model_app as _model_app  # noqa: E402  (issue 5: the wording model)

app.add_typer(_model_app, name="model")


from .site.cli import crawl as _crawl_command, scan_app as _scan_app  # noqa: E402  (issue 6: site and account scans, crawler)
from .site.cli import monitor_app as _monitor_app  # noqa: E402  (站点无法访问: availability probes)

app.add_typer(_scan_app, name="scan")
app.command("crawl")(_crawl_command)
app.add_typer(_monitor_app, name="monitor")


def main() -> None:
    # a file name that is not UTF-8 (GBK names unpacked from a Windows ZIP) is printed as
    # its bytes, as ls prints it, under any locale (a strict stdout raised UnicodeEncodeError)
    for stream in (sys.stdout, sys.stderr):
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(errors="surrogateescape")
    try:
        app()
    except GovscanError as exc:
        typer.echo(f"govscan: {exc}", err=True)
        sys.exit(2)


if __name__ == "__main__":
    main()
