"""Which passwords may be set: the checks of NIST SP 800-63B §5.1.1.2, and no composition rules.

A new password is refused, with the first rule it breaks, when it is blank (only whitespace),
shorter than the minimum (`access.min_password_length`, never below `FLOOR`) or longer than the
sign-in form accepts, when it holds the username (any case, spaces ignored, either way round),
when it is repetitive (one character, a repeated unit, fewer than four distinct characters) or
sequential (mostly runs like `abcd`, `4321`, `qwer`), or when it is a common or breached password
— the list `common_passwords.txt` shipped beside this module (provenance in its header and in
`scripts/common_passwords.py`), matched in any case, with digits or symbols added at either end
and with the usual letter-for-digit swaps (`p@ssw0rd`). Only new passwords are checked: existing
hashes keep working. Nothing here touches the network.
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from dataclasses import dataclass, field
from functools import cache
from importlib import resources

MIN_LENGTH = 12  # the default of the setting access.min_password_length
FLOOR = 8  # NIST SP 800-63B: a lower configured minimum counts as this
MAX_LENGTH = 256  # the sign-in form's max_chars: a longer password could never be typed there
LIST_FILE = "common_passwords.txt"

_AFFIXES = re.compile(r"^[\W\d_]+|[\W\d_]+$")  # digits, symbols, spaces at either end
_SEPARATORS = re.compile(r"[@._\-\s]+")
_LEET = str.maketrans("@4310$5!7", "aaeiossit")
_KEYBOARD_ROWS = ("1234567890", "qwertyuiop", "asdfghjkl", "zxcvbnm")
_NEIGHBOURS = frozenset(
    pair for row in _KEYBOARD_ROWS for a, b in itertools.pairwise(row) for pair in ((a, b), (b, a))
)


@dataclass(frozen=True)
class Weakness:
    """Why a password is refused: `code` (catalogue key `users.err.<code>`) and English text."""

    code: str
    message: str
    values: dict[str, object] = field(default_factory=dict)


@cache
def common_passwords() -> frozenset[str]:
    """The shipped list of common and breached passwords, lower case."""
    text = resources.files(__package__).joinpath(LIST_FILE).read_text(encoding="utf-8")
    return frozenset(w for w in text.splitlines() if w and not w.startswith("#"))


def _folded(text: str) -> str:
    return unicodedata.normalize("NFKC", text).casefold()


def _compact(text: str) -> str:
    return "".join(_folded(text).split())


def has_username(password: str, username: str) -> bool:
    """True when the password holds the username (or a 4+ part of it), or the reverse."""
    body, name = _compact(password), _compact(username)
    if len(name) < 3:
        return bool(name) and body == name
    parts = {p for p in _SEPARATORS.split(_folded(username)) if len(p) >= 4}
    return any(v in body for v in {name, name[::-1], *parts}) or body in name


def is_repetitive(password: str) -> bool:
    """True for one character repeated, a repeated unit (`abcabc…`) or under 4 distinct ones."""
    body = _compact(password)
    if len(set(body)) < 4:
        return True
    return any(
        len(body) % n == 0 and body == body[:n] * (len(body) // n)
        for n in range(1, len(body) // 2 + 1)
    )


def _continues(a: str, b: str) -> bool:
    return abs(ord(a) - ord(b)) <= 1 or (a, b) in _NEIGHBOURS


def is_sequential(password: str) -> bool:
    """True when the password is a few runs like `abcd`, `9876`, `qwer` (4+ characters a run)."""
    body = _compact(password)
    runs = 1 + sum(not _continues(a, b) for a, b in itertools.pairwise(body))
    return runs * 4 <= len(body)


def is_common(password: str) -> bool:
    """True when the password, in any case, bare or with digits/symbols around it, is listed."""
    common = common_passwords()
    folded = _folded(password).strip()
    core = _AFFIXES.sub("", folded)
    candidates = {folded, "".join(folded.split()), folded.translate(_LEET)}
    if len(core) >= 4:  # "x" + 11 random digits is not "x"
        candidates |= {core, core.translate(_LEET)}
    return not candidates.isdisjoint(common)


def weakness(password: str, username: str = "", *, min_length: int = MIN_LENGTH) -> Weakness | None:
    """The first rule `password` breaks for the account `username`, or None when it may be set."""
    text = password or ""
    length = max(int(min_length), FLOOR)
    if not text.strip():
        return Weakness("blank_password", "a password cannot be blank or only spaces")
    if len(text.strip()) < length:
        return Weakness(
            "short_password", f"a password needs at least {length} characters", {"n": length}
        )
    if len(text) > MAX_LENGTH:
        return Weakness(
            "long_password", f"a password has at most {MAX_LENGTH} characters", {"n": MAX_LENGTH}
        )
    if username and has_username(text, username):
        return Weakness("password_has_username", "a password cannot contain the username")
    if is_repetitive(text):
        return Weakness(
            "repetitive_password", "a password cannot be one character or a pattern repeated"
        )
    if is_sequential(text):
        return Weakness(
            "sequential_password", "a password cannot be a sequence such as abcd… or 1234…"
        )
    if is_common(text):
        return Weakness(
            "common_password", "this password is common or known from breaches: choose another"
        )
    return None
