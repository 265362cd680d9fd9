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


@pytest.mark.skipif(not (SHARED_DATA / "csc").is_dir(), reason=f"evaluation data not found at {SHARED_DATA}")
def test_model_eval_dev_sets_are_the_held_out_train_pairs(cli_runner):
    """--dev scores the development sets (for choosing models), not the measured test sets."""
    from scanner.model.distill import _dev_pair
    from scanner.model.evaluate import dev_pairs

    law = dev_pairs("ecspell-law-dev")
    assert len(law) > 100 and all(_dev_pair(p.source) for p in law)
    with pytest.raises(KeyError):
        dev_pairs("ecspell-law")
    result = cli_runner.invoke(app, ["model", "eval", "--dev", "--set", "ecspell-law-dev", "--set", "ecspell-med-dev",
                                     "--limit", "30", "--threads", "1"])
    assert result.exit_code == 0, result.output
    assert any(line.startswith("| ecspell-law-dev | 30 |") for line in result.output.splitlines())
    assert any(line.startswith("| ecspell-med-dev | 30 |") for line in result.output.splitlines())


@pytest.mark.skipif(not (SHARED_DATA / "csc").is_dir(), reason=f"evaluation data not found at {SHARED_DATA}")
@pytest.mark.parametrize("base", ["ecspell-law", "ecspell-med"])
def test_unseen_dev_sets_share_nothing_with_the_training_pairs(base):
    """-dev-unseen: the development pairs whose correct sentence shares no 12-character stretch
    with any training pair (ECSpell repeats sentences with other errors)."""
    from scanner.model import data
    from scanner.model.distill import _dev_pair
    from scanner.model.evaluate import UNSEEN_OVERLAP, dev_pairs

    dev, unseen = dev_pairs(base + "-dev"), dev_pairs(base + "-dev-unseen")
    assert 0 < len(unseen) < len(dev) and set(unseen) <= set(dev)
    pairs = data.finetune_pairs()
    seen = {p.target[i:i + UNSEEN_OVERLAP] for k in ("ecspell-law", "ecspell-med") for p in pairs[k]
            if not _dev_pair(p.source) for i in range(len(p.target) - UNSEEN_OVERLAP + 1)}
    assert not any(p.target[i:i + UNSEEN_OVERLAP] in seen for p in unseen for i in range(len(p.target)))
    left_out = [p for p in dev if p not in set(unseen)]
    assert all(any(p.target[i:i + UNSEEN_OVERLAP] in seen for i in range(len(p.target))) for p in left_out)


@pytest.mark.parametrize("sentence, held_out, kept", [
    ("根据企业破产法规定，债权人会议成员中", ["债权人会议成员中下列人享有表决权"], True),  # 8 shared characters
    ("根据企业破产法规定，债权人会议成员中下列人", ["债权人会议成员中下列人享有表决权"], True),  # 11 shared
    ("根据企业破产法规定，债权人会议成员中下列人享", ["债权人会议成员中下列人享有表决权"], False),  # 12 shared
    ("当事人可以向人民法院提起诉讼", [], True),
])
def test_drop_overlapping(sentence, held_out, kept):
    from scanner.model.evaluate import drop_overlapping

    assert drop_overlapping([sentence], held_out) == ([sentence] if kept else [])


def test_model_eval_unknown_domain_is_a_usage_error(cli_runner):
    result = cli_runner.invoke(app, ["model", "eval", "--domain", "finance", "--set", "acc_xxqg", "--limit", "5"])
    assert result.exit_code == 2
    assert "--domain finance: no such word list" in result.output


@pytest.mark.skipif(not (SHARED_DATA / "ner" / "cluener2020").is_dir(), reason=f"NER data not found at {SHARED_DATA}")
def test_news_dev_is_clean_cluener_train_text():
    import json

    from scanner.model.evaluate import NEWS_DEV_SIZE, dev_pairs

    news = dev_pairs("news-dev")
    assert len(news) == NEWS_DEV_SIZE and all(p.source == p.target and not p.wrong for p in news)
    assert len({p.source for p in news}) == len(news) and all(8 <= len(p.source) <= 64 for p in news)
    assert [p.source for p in dev_pairs("news-dev")[:20]] == [p.source for p in news[:20]]  # a fixed selection
    dev_text = "".join(json.loads(line)["text"] for line in open(SHARED_DATA / "ner" / "cluener2020" / "dev.jsonl", encoding="utf-8"))
    assert sum(p.source in dev_text for p in news[:300]) == 0  # train sentences, not dev
