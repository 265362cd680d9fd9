"""One validated settings object: packaged defaults plus a user's partial overrides.

The defaults live in ``scanner/conf/default.toml``.  A user's ``--config FILE`` (TOML)
overrides any subset of it, key by key; unknown sections or keys are an error, so a
typo never silently disables a check.  The clock (``as_of``) is a setting: checks never
call ``datetime.now()``.
"""
from __future__ import annotations

import copy
import dataclasses
import datetime as dt
import tomllib
from importlib import resources
from pathlib import Path
from typing import Any

from .errors import ConfigError

BEIJING = dt.timezone(dt.timedelta(hours=8), "Asia/Shanghai")


def today_beijing() -> dt.date:
    return dt.datetime.now(BEIJING).date()


def load_default_config() -> dict[str, Any]:
    text = resources.files("scanner.conf").joinpath("default.toml").read_text(encoding="utf-8")
    return tomllib.loads(text)


def read_toml(path: Path | str, what: str) -> dict[str, Any]:
    """A user's TOML file, or ConfigError naming the file and the reason."""
    p = Path(path)
    try:
        return tomllib.loads(p.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError(f"{p}: {what} not found") from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{p}: not valid TOML ({exc})") from None


def _merge(base: dict[str, Any], override: dict[str, Any], path: str, open_tables: set[str]) -> None:
    for key, value in override.items():
        where = f"{path}.{key}" if path else key
        if key not in base:
            if path in open_tables:
                base[key] = value
                continue
            raise ConfigError(f"unknown setting '{where}'")
        if isinstance(base[key], dict):
            if not isinstance(value, dict):
                raise ConfigError(f"setting '{where}' must be a table")
            _merge(base[key], value, where, open_tables)
        else:
            if base[key] is not None and value is not None and type(base[key]) is not type(value):
                if not (isinstance(base[key], float) and isinstance(value, int)):
                    raise ConfigError(
                        f"setting '{where}' must be {type(base[key]).__name__}, got {type(value).__name__}"
                    )
            if (isinstance(value, (int, float)) and not isinstance(value, bool) and value < 0
                    and isinstance(base[key], (int, float)) and not isinstance(base[key], bool)):
                # every number here is a count, a number of days, a threshold or a score
                raise ConfigError(f"setting '{where}' must not be negative, got {value}")
            base[key] = value


@dataclasses.dataclass
class Settings:
    as_of: dt.date
    config: dict[str, Any]

    @classmethod
    def load(cls, config_file: Path | str | None = None, as_of: dt.date | None = None,
             overrides: dict[str, Any] | None = None) -> "Settings":
        config = copy.deepcopy(load_default_config())
        open_tables = set(config.get("settings", {}).get("open_tables", []))
        if config_file is not None:
            _merge(config, read_toml(config_file, "config file"), "", open_tables)
        if overrides:
            _merge(config, overrides, "", open_tables)
        return cls(as_of=as_of or today_beijing(), config=config)

    def check_options(self, code: str) -> dict[str, Any]:
        return dict(self.config.get("checks", {}).get(code, {}))

    def enabled_checks(self) -> list[str]:
        return [code for code, opts in self.config.get("checks", {}).items() if opts.get("enabled", True)]

    def section(self, name: str) -> dict[str, Any]:
        return self.config.get(name, {})
