"""Rendering reviews for people: a rich table per file, each flagged span highlighted
in its sentence.  Excerpts are already masked; spans of personal data are masked here
too, so the terminal never shows an unmasked identifier."""
from __future__ import annotations

from rich.console import Console
from rich.table import Table
from rich.text import Text

from .checks.excerpt import mask_all, mask_text
from .findings import Severity
from .pipeline import Review, place_label

SEVERITY_STYLE = {Severity.VETO: "bold white on red", Severity.DEDUCTION: "black on yellow", Severity.ADVISORY: "black on cyan"}


def summary_line(review: Review) -> str:
    counts = {s: 0 for s in Severity}
    for f in review.findings:
        counts[f.severity] += 1
    if not review.findings:
        return "未发现问题"
    parts = [f"{counts[Severity.VETO]} 项单项否决问题"]
    if counts[Severity.DEDUCTION]:
        parts.append(f"{counts[Severity.DEDUCTION]} 项扣分问题")
    parts.append(f"{counts[Severity.ADVISORY]} 项提示")
    return "，".join(parts)


def _in_context(review: Review, start: int, end: int, category: str, width: int = 30) -> Text:
    text = review.text
    left = max(0, start - width)
    right = min(len(text), end + width)
    for i in range(start - 1, left - 1, -1):
        if text[i] in "。！？\n":
            left = i + 1
            break
    for i in range(end, right):
        if text[i] in "。！？\n":
            right = i + 1
            break
    # the other personal values in view (a contact's name beside the mobile this row is
    # about) are masked as in the JSON excerpt: digit runs alone left 联系人：李娜 readable
    chars = list(text[left:right])
    for f in review.findings:
        if f.category == "pii" and (f.start, f.end) != (start, end) and f.start < right and left < f.end:
            a, b = max(f.start, left), min(f.end, right)
            chars[a - left:b - left] = mask_all(text[f.start:f.end])[a - f.start:b - f.start]
    region = "".join(chars)
    span = region[start - left:end - left]
    if category == "pii":
        span = mask_all(text[start:end])
    out = Text(mask_text(region[:start - left]).replace("\n", " "), overflow="fold")
    out.append(span, style="bold reverse")
    out.append(mask_text(region[end - left:]).replace("\n", " "))
    return out


def render_review(console: Console, review: Review) -> None:
    console.print(Text(f"{review.source}  ({review.length} 字)  {summary_line(review)}", style="bold"))
    if review.unread:  # (a part not read is not checked: 未发现问题 alone would say it was)
        console.print(Text("未能检查：" + "；".join(u["part"] for u in review.unread), style="yellow", overflow="fold"))
    if not review.findings:
        return
    table = Table(show_lines=True, expand=True)
    table.add_column("#", justify="right", no_wrap=True)
    table.add_column("级别", no_wrap=True)
    table.add_column("位置", overflow="fold", max_width=24)  # (a long embedded file's name folds, the message keeps its width)
    table.add_column("原文", ratio=3, overflow="fold")
    table.add_column("问题与建议", ratio=3, overflow="fold")
    for i, f in enumerate(review.findings, 1):
        note = Text(f.message, overflow="fold")
        if f.suggestion is not None:
            note.append(f"\n建议：{f.suggestion}", style="green")
        note.append(f"\n{f.indicator} · {f.code}", style="dim")
        table.add_row(
            str(i),
            Text(f.severity.label, style=SEVERITY_STYLE[f.severity]),
            f"{f.start}-{f.end}" + (f"\n{where}" if (where := place_label(f.location)) else ""),
            _in_context(review, f.start, f.end, f.category),
            note,
        )
    console.print(table)
