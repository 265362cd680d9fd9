"""The demo province's availability probes (站点无法访问): a week of ``govscan monitor probe``.

Writes the probe log the prober would have written had it run hourly (cron ``0 * * * *``) for
the 7 Beijing days before the time point: 24 rounds a day, 168 probes per site, in the probe
log's own schema (``scanner.site.probe.ProbeLog``; rows are ``Probe`` values, failures decided
by ``is_failure`` as the prober decides them).  A round starts a few minutes after the hour
(cron, start-up, load) and reaches each site some seconds into the round; answer times are
per-site (a fast or a slow server) with the odd slow answer.  Failures are rare: most sites
none, some 1-4 (a timeout at 15 s, HTTP 502/503, a connection reset); one near miss, the
first non-special site, fails 8 of 168 (4.76%, just under the 5% veto: 9 would fail).  Every
demo site is judged and passes: the notice lists no 站点无法访问 site.

Deterministic: the same seed, sites and time point give the same rows.
"""
from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterable, Sequence
from pathlib import Path

from scanner.settings import BEIJING
from scanner.site.probe import Probe, ProbeLog, is_failure

DAYS = 7
ROUNDS_PER_DAY = 24
NEAR_MISS_FAILURES = 8  # of 168: 4.76%, passes (9 would be 5.36%, a veto)
TIMEOUT_MS = 15000


def round_starts(seed: int, as_of: dt.date, days: int = DAYS) -> list[dt.datetime]:
    """UTC start of every hourly round of the ``days`` Beijing days before ``as_of``."""
    rng = random.Random(f"{seed}:probes:{as_of.isoformat()}")
    starts = []
    for d in range(days, 0, -1):
        day = as_of - dt.timedelta(days=d)
        for hour in range(ROUNDS_PER_DAY):
            # cron fires on the hour; the round starts 5 s to 3.5 min later
            at = dt.datetime.combine(day, dt.time(hour), BEIJING) + dt.timedelta(seconds=rng.uniform(5, 210))
            starts.append(at.astimezone(dt.timezone.utc))
    return starts


def _failure(rng: random.Random) -> tuple[int | None, str, int]:
    """(status, error class, elapsed ms) of one failed probe."""
    kind = rng.random()
    if kind < 0.45:  # no complete answer within 15 s
        return None, "timeout", TIMEOUT_MS + rng.randint(1, 60)
    if kind < 0.80:  # the gateway in front of the CMS
        return rng.choice((502, 502, 503)), "http_5xx", rng.randint(25, 2500)
    return None, "network", rng.randint(40, 1800)  # connection reset by peer while reading


def site_probes(site, seed: int, starts: Sequence[dt.datetime], failures: int | None = None) -> list[Probe]:
    """One site's probes at the rounds ``starts``; ``failures`` fixes their number (else drawn)."""
    rng = random.Random(f"{seed}:probes:{site.code}")
    if failures is None:
        failures = rng.choices((0, 1, 2, 3, 4), weights=(66, 18, 9, 5, 2))[0]
    failed = set(rng.sample(range(len(starts)), failures))
    median_ms = rng.lognormvariate(5.6, 0.5)  # about 270 ms; 100-800 ms for most sites
    offset_s = rng.uniform(0.5, 45.0)  # where the site sits in a round of the whole registry
    url = site.url
    out = []
    for i, start in enumerate(starts):
        at = start + dt.timedelta(seconds=offset_s + rng.uniform(0, 4))
        at = at.replace(microsecond=at.microsecond // 1000 * 1000)
        if i in failed:
            status, error, elapsed = _failure(rng)
        else:
            status, error = 200, None
            elapsed = median_ms * rng.lognormvariate(0, 0.35)
            if rng.random() < 0.02:
                elapsed += rng.uniform(1500, 9000)  # a slow answer that still opened in time
            elapsed = min(int(elapsed), TIMEOUT_MS - 1000)
        ok = not is_failure(status, error, elapsed, timeout_ms=TIMEOUT_MS)
        out.append(Probe(site.code, site.host, url, at, ok, status, elapsed, error))
    return out


def demo_probes(sites: Iterable, seed: int, as_of: dt.date) -> list[Probe]:
    """Every site's week of probes, in round order (as the prober appends them)."""
    sites = list(sites)
    starts = round_starts(seed, as_of)
    near_miss = next((s.code for s in sites if s.kind != "special"), None)
    per_site = [site_probes(s, seed, starts, NEAR_MISS_FAILURES if s.code == near_miss else None) for s in sites]
    return [probes[r] for r in range(len(starts)) for probes in per_site]


def write_probes(sites: Iterable, seed: int, path: Path, as_of: dt.date) -> int:
    """Write the demo's probe log to ``path`` (replaced); returns the number of probes."""
    for suffix in ("", "-journal", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    log = ProbeLog(path)
    try:
        return log.append(demo_probes(sites, seed, as_of))  # one transaction, executemany
    finally:
        log.close()
