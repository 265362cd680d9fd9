"""站点无法访问 (单项否决): the home page did not open too often in the week before the time point.

国办秘函〔2019〕19号: "监测1周，每天间隔性访问20次以上，超过（含）15秒网站仍打不开的次数
累计占比超过（含）5%，即单项否决。"

Input: the site's probes of the ``days`` (7) Beijing calendar days before as-of, from the probe
log of ``govscan monitor probe`` (``govscan scan sites --probes PATH``; ``scanner/site/probe.py``
says what a failure is: no complete answer within ``timeout_s`` (15 s), connection errors,
HTTP 5xx and, with ``fail_on_4xx``, 4xx; a redirect to another host is not a failure).

* judged only when every one of the 7 days has >= ``min_probes_per_day`` (20; 以上 includes the
  number) probes; otherwise an advisory finding says "not judged" with the days short of
  probes: never compliant by default, never a veto without the evidence;
* veto when failures / probes over the week >= ``max_failure_ratio`` (5%, 含), compared in
  exact fractions (7 of 140 is 5.00% and fails; 499 of 10,000 passes).

Without a probe log the check says nothing (the site scan then does not cover 站点无法访问;
the record has no ``availability``).  The check leaves its judgement on ``unit.availability``
for the record.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
from collections import Counter
from fractions import Fraction

from ...findings import Severity
from ...settings import BEIJING
from ...site.probe import is_failure
from ..registry import register
from ..unit import UnitCheck


def judge(probes, as_of: dt.date, *, days: int = 7, min_probes_per_day: int = 20, max_failure_ratio: float = 0.05,
          timeout_s: float = 15.0, fail_on_4xx: bool = True) -> dict:
    """The week's judgement: ``{"judged", "verdict": "pass"|"fail"|"not_judged", "probes",
    "failures", "ratio", "short_days", "worst_day", "days": [{"day", "probes", "failures",
    "errors"}], "off_host_redirects"}``; probes outside the window are ignored."""
    window = [as_of - dt.timedelta(days=n) for n in range(days, 0, -1)]
    per_day = {d: {"day": d.isoformat(), "probes": 0, "failures": 0, "errors": Counter()} for d in window}
    off_host = 0
    timeout_ms = int(round(timeout_s * 1000))
    for p in probes:
        day = p.at.astimezone(BEIJING).date()
        row = per_day.get(day)
        if row is None:
            continue
        row["probes"] += 1
        if p.error == "off_host_redirect":
            off_host += 1
        if is_failure(p.status, p.error, p.elapsed_ms, timeout_ms=timeout_ms, fail_on_4xx=fail_on_4xx):
            row["failures"] += 1
            cls = p.error if p.error and not p.error.startswith("http_") else (
                f"HTTP {p.status}" if p.status is not None and p.elapsed_ms < timeout_ms else "timeout")
            row["errors"][cls] += 1
    rows = [per_day[d] for d in window]
    for r in rows:
        r["errors"] = dict(r["errors"].most_common())
    total = sum(r["probes"] for r in rows)
    failures = sum(r["failures"] for r in rows)
    short = [r["day"] for r in rows if r["probes"] < min_probes_per_day]
    worst = max(rows, key=lambda r: (Fraction(r["failures"], r["probes"]) if r["probes"] else Fraction(0), r["failures"]))
    out = {
        "judged": not short, "probes": total, "failures": failures,
        "ratio": round(failures / total, 4) if total else None,
        "short_days": short, "worst_day": worst["day"] if worst["failures"] else None,
        "days": rows, "off_host_redirects": off_host,
        "window": [window[0].isoformat(), window[-1].isoformat()],
    }
    if short:
        out["verdict"] = "not_judged"
    else:
        limit = Fraction(str(max_failure_ratio))
        out["verdict"] = "fail" if Fraction(failures, total) >= limit else "pass"
    return out


@register
class SiteUnreachable(UnitCheck):
    CODE = "site.unreachable"
    CATEGORY = "site"
    SEVERITY = Severity.VETO
    INDICATOR = "单项否决·站点无法访问"
    PROBLEM = "站点无法访问"
    ACTION = "排查服务器、带宽与防护设置，确保7×24小时可访问。"
    DAYS = 7
    MIN_PROBES_PER_DAY = 20
    MAX_FAILURE_RATIO = 0.05
    TIMEOUT_S = 15.0
    FAIL_ON_4XX = True

    def check(self, unit):
        probes = getattr(unit, "probes", None)
        if probes is None:
            return  # no probe log given: 站点无法访问 is not covered by this scan
        week = judge(probes, unit.as_of, days=self.DAYS, min_probes_per_day=self.MIN_PROBES_PER_DAY,
                     max_failure_ratio=self.MAX_FAILURE_RATIO, timeout_s=self.TIMEOUT_S, fail_on_4xx=self.FAIL_ON_4XX)
        unit.availability = week
        first, last = week["window"]
        if week["verdict"] == "not_judged":
            n = len(week["short_days"])
            finding = self.unit_finding(
                unit.source,
                severity=Severity.ADVISORY,
                message=f"站点无法访问未判定：{n}天探测少于{self.MIN_PROBES_PER_DAY}次（{first}至{last}）",
                explanation=(f"not judged: {n} days with fewer than {self.MIN_PROBES_PER_DAY} probes "
                             f"({'、'.join(week['short_days'])}); 指标要求监测1周、每天间隔性访问{self.MIN_PROBES_PER_DAY}次以上，"
                             f"证据不足时不作合格或否决判定（本周共探测{week['probes']}次，失败{week['failures']}次）"),
                evidence=week,
                url=unit.model.home_url,
            )
            # not the check's ACTION: what to do here is to complete the monitoring
            yield dataclasses.replace(finding, action=(
                f"补足监测：用 govscan monitor probe 每天至少探测{self.MIN_PROBES_PER_DAY}次（如每小时一次），"
                f"满1周后重新检查；此前本项既不判合格也不判否决。"))
            return
        if week["verdict"] != "fail":
            return
        worst = next(r for r in week["days"] if r["day"] == week["worst_day"])
        kinds = Counter()
        for r in week["days"]:
            kinds.update(r["errors"])
        why = "，".join(f"{k} {v}次" for k, v in kinds.most_common())
        yield self.unit_finding(
            unit.source,
            message=(f"{first}至{last}探测{week['probes']}次，{self.TIMEOUT_S:g}秒内打不开{week['failures']}次，"
                     f"占{week['failures'] / week['probes']:.2%}（≥{self.MAX_FAILURE_RATIO:.0%}）"),
            explanation=(f"监测1周每天探测不少于{self.MIN_PROBES_PER_DAY}次，打不开（超过（含）{self.TIMEOUT_S:g}秒无完整应答、"
                         f"连接错误、HTTP 5xx{'或4xx' if self.FAIL_ON_4XX else ''}）累计占比达到{self.MAX_FAILURE_RATIO:.0%}即单项否决；"
                         f"失败原因：{why}；最差一天{worst['day']}：{worst['probes']}次中{worst['failures']}次打不开"),
            evidence=week,
            url=unit.model.home_url,
        )
