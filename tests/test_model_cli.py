"""govscan model eval / export / train: argument errors and a short evaluation run."""
from __future__ import annotations

import pytest

from scanner.cli import app
from tests.conftest import SHARED_DATA


@pytest.mark.parametrize("args, message", [
    (["model", "eval", "--set", "sighan15"], "unknown evaluation set"),
    (["model", "eval", "--model", "/nonexistent/model"], "not found"),
    (["model", "export", "/nonexistent/checkpoint"], "not a training checkpoint"),
    (["model", "train", "--stage", "3"], "must be 1, 2 or all"),
    (["model", "train", "--stage", "2"], "needs --init-from"),
])
def test_model_command_errors(cli_runner, args, message):
    if args[1] in ("export", "train"):
        pytest.importorskip("torch", reason="torch not installed: train/export refuse earlier, with an install hint")
    result = cli_runner.invoke(app, args)
    assert result.exit_code == 2
    assert message in result.output


@pytest.mark.skipif(not (SHARED_DATA / "csc").is_dir(), reason=f"evaluation data not found at {SHARED_DATA}")
def test_model_eval_prints_the_table(cli_runner):
    result = cli_runner.invoke(app, ["model", "eval", "--set", "ecspell-law", "--set", "acc_xxqg", "--limit", "40", "--threads", "1"])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0].startswith("threshold ")
    assert any(line.startswith("| ecspell-law | 40 |") for line in lines)
    assert any(line.startswith("| acc_xxqg | 40 | 0 |") for line in lines)
