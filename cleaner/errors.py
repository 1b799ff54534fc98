"""Exceptions with messages meant for the person running the pipeline."""


class CleanerError(Exception):
    """A data or runtime error; the CLI prints it as one paragraph and exits 1."""


class ConfigError(CleanerError):
    """The configuration is invalid; raised before any data is read."""


class MissingDependencyError(CleanerError):
    """An optional backend is not installed; the message says the command that installs it."""
