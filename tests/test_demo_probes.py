"""The demo province's probe log (corpora/demo/probes.py): deterministic, in the probe log's own
schema, and every demo site judged by site.unreachable and passing (the notice lists no
站点无法访问 site), the near miss included; `govscan monitor summary` over it exits 0."""
from __future__ import annotations

import collections
import datetime as dt
import json
import sqlite3

import pytest

from corpora.demo.generate import generate
from corpora.demo.probes import NEAR_MISS_FAILURES, demo_probes, write_probes
from corpora.demo.registry import build_registry
from scanner.checks.site.unreachable import judge
from scanner.cli import app
from scanner.site.probe import load_week

AS_OF = dt.date(2022, 6, 20)
SEED = 20220620


@pytest.fixture(scope="module")
def registry():
    return build_registry(SEED)


def _rows(path):
    with sqlite3.connect(path) as conn:
        return conn.execute("SELECT code, host, url, at, ok, status, elapsed_ms, error FROM probes ORDER BY id").fetchall()


def test_probe_log_is_deterministic_and_in_the_log_schema(registry, tmp_path):
    sites = registry.sites[:40]
    a, b = tmp_path / "a.db", tmp_path / "b.db"
    assert write_probes(sites, SEED, a, AS_OF) == 40 * 7 * 24
    assert write_probes(sites, SEED, b, AS_OF) == 40 * 7 * 24
    assert _rows(a) == _rows(b)
    write_probes(sites, SEED, a, AS_OF)  # rewriting replaces, never appends
    assert _rows(a) == _rows(b)
    write_probes(sites, SEED + 1, tmp_path / "c.db", AS_OF)
    assert _rows(tmp_path / "c.db") != _rows(a)  # the seed decides
    # read back through the scan's own loader: the 7 Beijing days before as-of, 24 a day
    week = load_week(str(a), AS_OF, [s.code for s in sites])
    for s in sites:
        probes = week[s.code]
        assert len(probes) == 168 and all(p.host == s.host and p.url == s.url for p in probes)
        days = collections.Counter(p.at.astimezone(dt.timezone(dt.timedelta(hours=8))).date() for p in probes)
        assert sorted(days.values()) == [24] * 7
        hours = sorted({p.at.astimezone(dt.timezone(dt.timedelta(hours=8))).hour for p in probes})
        assert hours == list(range(24))


def test_every_demo_site_is_judged_and_passes(registry):
    probes = demo_probes(registry.sites, SEED, AS_OF)
    assert len(probes) == len(registry.sites) * 168 == 562 * 168
    by_site = collections.defaultdict(list)
    for p in probes:
        by_site[p.code].append(p)
    verdicts, failures, classes = collections.Counter(), collections.Counter(), collections.Counter()
    for s in registry.sites:
        week = judge(by_site[s.code], AS_OF)
        verdicts[week["verdict"]] += 1
        failures[week["failures"]] += 1
        for day in week["days"]:
            classes.update(day["errors"])
    assert verdicts == {"pass": 562}
    assert max(failures) == NEAR_MISS_FAILURES and failures[NEAR_MISS_FAILURES] == 1  # 8 of 168: 4.76%
    assert failures[0] > 562 // 2  # most sites never failed
    assert {"timeout", "HTTP 502", "HTTP 503", "network"} <= set(classes)
    ok = [p.elapsed_ms for p in probes if p.ok]
    assert 100 < sorted(ok)[len(ok) // 2] < 1000 and max(ok) < 15000
    assert all(p.elapsed_ms >= 15000 for p in probes if p.error == "timeout")


def test_monitor_summary_over_the_reduced_demo_exits_0(tmp_path, cli_runner):
    out = tmp_path / "data"
    manifest = generate(out, reduced=True)
    assert manifest["probes"] == manifest["sites"] * 168 and manifest["probe_log"] == "probes.db"
    res = cli_runner.invoke(app, ["monitor", "summary", "-r", str(out / "registry" / "sites.csv"),
                                  "--db", str(out / "probes.db"), "--as-of", AS_OF.isoformat(), "-f", "json"])
    assert res.exit_code == 0, res.output
    rows = json.loads(res.stdout)["results"]
    assert len(rows) == manifest["sites"] and {r["verdict"] for r in rows} == {"pass"}
    n = manifest["sites"]
    assert f"2022-06-13至2022-06-19：网站{n}个，合格{n}个，单项否决0个，探测不足未判定0个。" in res.stderr
