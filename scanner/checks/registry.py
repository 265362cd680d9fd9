"""The one place checks are registered, and built from the settings.

Each check is a small class in its own module under ``scanner/checks/<family>/``.  The
modules are listed here, imported on first use; ``@register`` records each class under
its ``CODE``.  The settings decide which are switched on and with which options.
"""
from __future__ import annotations

import importlib

from ..errors import ConfigError
from .base import Check

CHECK_MODULES = (
    "scanner.checks.pii.checks",
    "scanner.checks.wording.leader_name",
    "scanner.checks.wording.leader_office",
    "scanner.checks.wording.leader_order",
    "scanner.checks.wording.formulation",
    "scanner.checks.wording.formulation_members",
    "scanner.checks.wording.sovereignty",
    "scanner.checks.wording.anniversary",
    "scanner.checks.wording.congress_number",
    "scanner.checks.wording.xinhua_caution",
    "scanner.checks.wording.misspelling",
    "scanner.checks.wording.classifier",  # issue 5: the trained wording model
    # unit checks (issue 6): judged per website or account, not per document
    "scanner.checks.freshness.home_not_updated",
    "scanner.checks.freshness.columns_not_updated",
    "scanner.checks.freshness.columns_long_unupdated",
    "scanner.checks.freshness.blank_columns",
    "scanner.checks.freshness.account_not_updated",
    "scanner.checks.site.consultation_channel",
    "scanner.checks.site.letters_overdue",
    "scanner.checks.site.letters_cut_off",
    "scanner.checks.site.identifier",
    "scanner.checks.site.test_content",
    "scanner.checks.site.unreachable",
    "scanner.checks.account.news_as_message",
    "scanner.checks.account.bare_link",
    "scanner.checks.account.renamed",
)

_REGISTRY: dict[str, type[Check]] = {}
_LOADED = False


def register(cls: type[Check]) -> type[Check]:
    """Class decorator: make ``cls`` available under ``cls.CODE``."""
    if not cls.CODE:
        raise TypeError(f"{cls.__name__} has no CODE")
    existing = _REGISTRY.get(cls.CODE)
    if existing is not None and existing is not cls:
        raise TypeError(f"check code {cls.CODE} registered twice ({existing.__name__}, {cls.__name__})")
    _REGISTRY[cls.CODE] = cls
    return cls


def all_checks() -> dict[str, type[Check]]:
    global _LOADED
    if not _LOADED:
        for module in CHECK_MODULES:
            importlib.import_module(module)
        _LOADED = True
    return dict(_REGISTRY)


def build_checks(settings, families: tuple[str, ...] | None = None) -> list[Check]:
    """Instantiate the checks the settings switch on (optionally only some families)."""
    available = all_checks()
    checks: list[Check] = []
    for code in settings.enabled_checks():
        cls = available.get(code)
        if cls is None:
            raise ConfigError(f"unknown check '{code}' in the configuration; known: {', '.join(sorted(available))}")
        if families and cls.CATEGORY not in families:
            continue
        try:
            checks.append(cls(**settings.check_options(code)))
        except (TypeError, ValueError) as exc:
            raise ConfigError(f"check '{code}': {exc}") from None
    return checks
