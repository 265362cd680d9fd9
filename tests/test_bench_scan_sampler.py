"""benchmarks/bench_scan.py counts the CPU time and memory of forkserver workers (which are
not the benchmark's children, so RUSAGE_CHILDREN misses them) by sampling /proc."""
from __future__ import annotations

import importlib.util
import multiprocessing as mp
import os
import time

import pytest

from tests.conftest import ROOT


def _burn(seconds: float) -> int:
    end, n = time.process_time() + seconds, 0
    while time.process_time() < end:
        n += 1
    return n


@pytest.mark.skipif(not os.path.isdir("/proc"), reason="needs /proc (Linux)")
def test_descendants_sampler_sees_forkserver_workers():
    spec = importlib.util.spec_from_file_location("bench_scan", ROOT / "benchmarks" / "bench_scan.py")
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    with bench._Descendants(period=0.05) as watch:
        with mp.get_context("forkserver").Pool(1) as pool:
            assert pool.apply(_burn, (0.6,)) > 0
            watch.sample()  # the worker is still alive here
    assert sum(watch.cpu.values()) >= 0.4  # the worker's 0.6 s, give or take a sample
    assert max(watch.hwm_mb.values()) > 1
    assert os.getpid() not in watch.cpu  # descendants only
