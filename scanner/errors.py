"""Errors shown to users: one line, naming the input and the reason."""


class GovscanError(Exception):
    """Base class for errors that the CLI reports as one line (exit 2)."""


class InputError(GovscanError):
    """An input that cannot be read: names the input and the reason."""

    def __init__(self, name: str, reason: str):
        super().__init__(f"{name}: {reason}")
        self.name = name
        self.reason = reason


class ConfigError(GovscanError):
    """A configuration file or value that is not valid."""


class ResourceMissingError(GovscanError):
    """A lexicon, model or other packaged resource is missing: says how to get it."""
