"""The presidio AnalyzerEngine for Chinese, built explicitly and offline.

Presidio's default AnalyzerEngine loads an English spaCy model and may try to download
it; here the registry holds only our Chinese recognizers and the NLP engine is
``spacy.blank("zh")`` with the jieba segmenter (``scanner.text.tokenize``), so nothing
is fetched.  Built once per process, lazily.
"""
from __future__ import annotations

import functools
import importlib
import logging
import os
import sys

from ...text.tokenize import get_spacy_nlp

LANGUAGE = "zh"

# Recognizer modules: each defines one presidio recognizer class named in RECOGNIZERS.
RECOGNIZERS = (
    ("scanner.checks.pii.cn_resident_id", "CnResidentIdRecognizer"),
    ("scanner.checks.pii.cn_mobile", "CnMobileRecognizer"),
    ("scanner.checks.pii.cn_landline", "CnLandlineRecognizer"),
    ("scanner.checks.pii.cn_bank_card", "CnBankCardRecognizer"),
    ("scanner.checks.pii.cn_email", "EmailRecognizer"),
    ("scanner.checks.pii.cn_passport", "CnPassportRecognizer"),
    ("scanner.checks.pii.cn_address", "CnAddressRecognizer"),
    ("scanner.checks.pii.cn_person", "CnPersonRecognizer"),
    # not personal: organisation codes that suppress the digits they cover
    ("scanner.checks.pii.cn_uscc", "CnUsccRecognizer"),
)


def import_presidio():
    """Import presidio_analyzer without its optional Hugging Face pipeline.

    presidio imports ``transformers`` (about 1.2 s) only to offer its transformers NLP
    engine, and spaCy's thinc imports ``torch`` (about 3 s) when it is installed, both
    guarded by ``try: ... except ImportError``.  We use neither, so those imports are made
    to fail for the duration; the model code imports transformers and torch normally
    afterwards.
    """
    if "presidio_analyzer" in sys.modules:
        return sys.modules["presidio_analyzer"]
    # presidio's nlp_engine package picks a device at import by importing torch (seconds)
    # unless PRESIDIO_DEVICE is set; our engines run on the CPU.
    os.environ.setdefault("PRESIDIO_DEVICE", "cpu")
    # spaCy's thinc also imports torch when it is installed (seconds); none of our
    # presidio or spaCy use needs it, so it is blocked the same way, only for this import
    blocked = [name for name in ("transformers", "torch") if name not in sys.modules]
    for name in blocked:
        sys.modules[name] = None  # type: ignore[assignment]
    try:
        module = importlib.import_module("presidio_analyzer")
    finally:
        for name in blocked:
            if sys.modules.get(name, 0) is None:
                del sys.modules[name]
    logging.getLogger("presidio-analyzer").setLevel(logging.ERROR)
    return module


def build_nlp_engine():
    from presidio_analyzer.nlp_engine import SpacyNlpEngine

    class ChineseNlpEngine(SpacyNlpEngine):
        """presidio NLP engine over our jieba-segmented spaCy ``zh`` pipeline."""

        def __init__(self):
            super().__init__(models=[{"lang_code": LANGUAGE, "model_name": "blank-zh-jieba"}])
            self.nlp = {LANGUAGE: get_spacy_nlp()}

        def load(self) -> None:  # the pipeline is built in-process, never downloaded
            self.nlp = {LANGUAGE: get_spacy_nlp()}

        def is_loaded(self) -> bool:
            return bool(self.nlp)

    return ChineseNlpEngine()


def build_recognizers(text_names: bool = False):
    """One instance of each recognizer (cheap: no I/O; data loads on first use)."""
    out = []
    for module, name in RECOGNIZERS:
        cls = getattr(importlib.import_module(module), name)
        out.append(cls(text_names=text_names) if name == "CnPersonRecognizer" else cls())
    return out


@functools.lru_cache(maxsize=1)
def get_analyzer():
    """presidio's AnalyzerEngine set up the plain way: our Chinese recognizers, the
    spaCy ``zh`` + jieba NLP engine over the whole text and presidio's default context
    enhancer.  The checks use ``analyzer.PiiAnalyzer`` (same recognizers, context only
    near candidates); this engine is the baseline of ``benchmarks/bench_pii_speed.py``."""
    presidio = import_presidio()
    from presidio_analyzer import RecognizerRegistry

    registry = RecognizerRegistry(supported_languages=[LANGUAGE])
    for recognizer in build_recognizers():
        registry.add_recognizer(recognizer)
    return presidio.AnalyzerEngine(
        registry=registry,
        nlp_engine=build_nlp_engine(),
        supported_languages=[LANGUAGE],
    )
