"""Errors that belong to one input: the batch reports them and goes on."""

from __future__ import annotations


class InputError(Exception):
    """An input that cannot be made into a record; the message names the input."""

    def __init__(self, name: str, reason: str) -> None:
        super().__init__(f"{name}: {reason}")
        self.name = name
        self.reason = reason

    def __reduce__(self) -> tuple[type, tuple[str, str]]:
        return type(self), (self.name, self.reason)  # picklable: errors cross process pools
