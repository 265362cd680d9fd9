"""The optional distributional character-cluster features of the running-text name CRF
(scanner.checks.pii.names_crf, off in the shipped model) and their builder
(corpora.pii.build_char_clusters)."""
import random

import numpy as np
import pytest

from corpora.pii import build_char_clusters as builder
from scanner.checks.pii import names_crf
from scanner.errors import ResourceMissingError


@pytest.fixture
def table(tmp_path, monkeypatch):
    """A small cluster table in place of models/pii-names-crf/char_clusters.tsv."""
    def use(rows, groups=("clusters",)):
        path = tmp_path / "char_clusters.tsv"
        path.write_text("# header\n" + "".join(f"{ch}\t{cl}\n" for ch, cl in rows), encoding="utf-8")
        monkeypatch.setattr(names_crf, "CLUSTERS_NAME", str(path))
        monkeypatch.setattr(names_crf, "EXTRA_FEATURES", frozenset(groups))
        names_crf.char_clusters.cache_clear()
        return path
    yield use
    names_crf.char_clusters.cache_clear()


def test_shipped_model_uses_no_cluster_features():
    assert "clusters" not in names_crf.EXTRA_FEATURES
    feats = names_crf.char_features("昨天王建国来到北京")
    assert not any(f.startswith(("k0=", "k-1=", "kb")) for fs in feats for f in fs)


def test_cluster_table_loads_with_space_and_comments(table):
    table([("王", 3), ("说", 7), (" ", 1)])
    assert names_crf.char_clusters() == {"王": "3", "说": "7", " ": "1"}


def test_cluster_features_with_fallback_and_padding(table):
    table([("王", 3), ("说", 7)])
    feats = names_crf.char_features("王\U00020000说")  # a rare character has no cluster
    assert {"k0=3", "k-1=<", "k-2=<", "k+1=" + names_crf.CLUSTER_UNKNOWN, "kb+1=3|?"} <= set(feats[0])
    assert {"k0=" + names_crf.CLUSTER_UNKNOWN, "k-1=3", "k+1=7", "kb-1=3|?"} <= set(feats[1])
    assert {"k0=7", "k+1=>", "k+2=>", "k-2=3"} <= set(feats[2])
    # every character gets exactly one cluster feature: its cluster or the explicit fallback
    assert [sum(f.startswith("k0=") for f in fs) for fs in feats] == [1, 1, 1]


def test_missing_cluster_table_names_the_builder(table, tmp_path, monkeypatch):
    table([])
    monkeypatch.setattr(names_crf, "CLUSTERS_NAME", str(tmp_path / "absent.tsv"))
    names_crf.char_clusters.cache_clear()
    with pytest.raises(ResourceMissingError, match="build_char_clusters"):
        names_crf.char_features("王建国说")


def test_builder_groups_characters_that_share_neighbours():
    rng = random.Random(3)
    surnames, digits = "王李张赵", "一二三四"
    parts = []
    for _ in range(400):
        parts.append("老" + rng.choice(surnames) + "说")
        parts.append("第" + rng.choice(digits) + "个")
    chars, counts, freq = builder.neighbour_counts("\n".join(parts), min_count=5, contexts=50)
    assert set(surnames + digits) <= set(chars) and "\n" not in chars
    gen = np.random.default_rng(13)
    x = builder.truncated_svd(builder.ppmi(counts), 3, gen)
    x /= np.linalg.norm(x, axis=1, keepdims=True)
    assign = dict(zip(chars, builder.kmeans(x, 4, gen)))
    assert len({assign[c] for c in surnames}) == 1
    assert len({assign[c] for c in digits}) == 1
    assert assign["王"] != assign["一"]
