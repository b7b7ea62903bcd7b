"""A short string a regular expression matches, for custom tools whose input format is a regex grammar: the
pattern's parse tree walked once, taking the first branch, the first member of a class, the fewest repeats."""
from __future__ import annotations

import re

try:                                   # (the parser's module was renamed in Python 3.11)
    import re._parser as _parser
    import re._constants as _c
except ImportError:                    # pragma: no cover
    import sre_parse as _parser        # type: ignore[no-redef]
    import sre_constants as _c         # type: ignore[no-redef]

_CATEGORIES = {_c.CATEGORY_DIGIT: "0", _c.CATEGORY_SPACE: " ", _c.CATEGORY_WORD: "a",
               _c.CATEGORY_NOT_DIGIT: "a", _c.CATEGORY_NOT_SPACE: "a", _c.CATEGORY_NOT_WORD: " "}


def sample(pattern: str) -> str | None:
    """A string `pattern` fully matches, or None when the walk cannot make one (lookarounds, backreferences...)."""
    try:
        text = _walk(_parser.parse(pattern))
        return text if re.fullmatch(pattern, text) else None
    except (re.error, ValueError, TypeError, RecursionError):
        return None


def _walk(items) -> str:
    return "".join(_one(op, av) for op, av in items)


def _one(op, av) -> str:
    if op == _c.LITERAL:
        return chr(av)
    if op == _c.NOT_LITERAL:
        return "a" if av != ord("a") else "b"
    if op == _c.ANY:
        return "a"
    if op == _c.AT:
        return ""
    if op == _c.IN:
        return _member(av)
    if op == _c.BRANCH:
        return _walk(av[1][0])
    if op == _c.SUBPATTERN:
        return _walk(av[-1])
    if op in (_c.MAX_REPEAT, _c.MIN_REPEAT, getattr(_c, "POSSESSIVE_REPEAT", None)):
        low, _, body = av
        return _walk(body) * low
    if op == getattr(_c, "ATOMIC_GROUP", None):
        return _walk(av)
    raise ValueError(f"unsupported regex construct {op}")


def _member(av) -> str:
    if av and av[0][0] == _c.NEGATE:
        raise ValueError("negated class")
    op, value = av[0]
    if op == _c.LITERAL:
        return chr(value)
    if op == _c.RANGE:
        return chr(value[0])
    if op == _c.CATEGORY:
        return _CATEGORIES[value]
    raise ValueError(f"unsupported class member {op}")
