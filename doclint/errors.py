"""Errors that end a run with exit code 2 and one line on stderr."""


class DoclintError(Exception):
    """A usage or configuration problem the user can fix; never shown as a traceback."""

    def __init__(self, message: str, path: str | None = None):
        super().__init__(message)
        self.path = path

    def __str__(self) -> str:
        message = super().__str__()
        return f"{self.path}: {message}" if self.path else message


class ConfigError(DoclintError):
    pass
