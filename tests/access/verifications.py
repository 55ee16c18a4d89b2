"""Counting the argon2 verifications a sign-in performs, instead of timing it.

A sign-in that costs one verification whatever the reason it fails takes as long whatever the
reason, on any machine and under any load: the tests count, they never read a clock.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import argon2
import pytest

from warehouse.portal import sign_in


@dataclass
class CountingHasher:
    """Stands in for `warehouse.portal.sign_in.HASHER`; records the parameters of each verify."""

    real: argon2.PasswordHasher
    verified: list[argon2.Parameters] = field(default_factory=list)

    def verify(self, password_hash: str, password: str) -> bool:
        """Count, then verify with the real hasher."""
        self.verified.append(argon2.extract_parameters(password_hash))
        return self.real.verify(password_hash, password)

    def __getattr__(self, name: str) -> object:
        return getattr(self.real, name)

    def take(self) -> list[argon2.Parameters]:
        """The parameters of the verifications since the last call, and start again."""
        done, self.verified = self.verified, []
        return done


def count_verifications(monkeypatch: pytest.MonkeyPatch) -> CountingHasher:
    """Wrap the sign-in's hasher for the test (undone by `monkeypatch`)."""
    counter = CountingHasher(sign_in.HASHER)
    monkeypatch.setattr(sign_in, "HASHER", counter)
    return counter
