"""Value lookup and match operators for suricata-verify style checks.

A `filter` check counts the eve.json records whose fields satisfy every
entry of its `match` mapping; a `stats` check compares counters of the last
stats record.  Both address fields with dotted paths such as
`alert.signature_id`, `smtp.rcpt_to[0]` or `dns.answers.__len`, optionally
ending in an operator suffix (`__find`, `__contains`, `__startswith`,
`__endswith`, `__gt`, `__gte`, `__lt`, `__lte`).  This module implements
that language with the same semantics as upstream suricata-verify's run.py:
a missing key (or a JSON null) reads as None, `__len` of something without
a length is -1, plain values compare with Python `==` (so 1 == 1.0 == True
but 1 != "1", lists and nested objects compare structurally), and keys are
evaluated in order with the first mismatch ending the record.  Where
upstream would crash with a Python exception (for example `__find` on a
missing field, or descending into a number) we raise MatchError, which the
runner reports as a failure of the check, just as upstream fails the case.
"""

import json
import re

STRING_OPS = ("__find", "__contains", "__startswith", "__endswith")
NUMERIC_OPS = ("__gt", "__gte", "__lt", "__lte")
OPERATORS = STRING_OPS + NUMERIC_OPS

_INDEXED = re.compile(r"^(.*)\[(\d+)\]$")


class MatchError(Exception):
    """A match expression could not be evaluated against a record."""


_MISSING = object()


def _descend(obj, name, path):
    """Return obj[name] for one path component, _MISSING when absent."""
    if isinstance(obj, dict):
        return obj[name] if name in obj else _MISSING
    if isinstance(obj, (list, str)) and name not in obj:
        return _MISSING
    # Upstream subscripts anything else (null, numbers, a list or string
    # that happens to contain the name) and crashes, failing the case.
    raise MatchError("cannot look up %r in %s while resolving %r"
                     % (name, type(obj).__name__, path))


def _index(obj, index):
    """Return obj[index], or _MISSING when it does not exist."""
    try:
        return obj[index]
    except (IndexError, KeyError, TypeError):
        return _MISSING


def find_value(path, obj):
    """Resolve a dotted path in obj.

    Returns None for missing keys and out of range indexes (a JSON null
    also reads as None).  A `__len` component returns the length of the
    value reached so far (-1 when it has no length, e.g. a number or a
    null); an operator component stops the walk and returns the value
    reached so far.
    """
    for part in path.split("."):
        if part == "__len":
            try:
                return len(obj)
            except TypeError:
                return -1
        if part in OPERATORS:
            break
        m = _INDEXED.match(part)
        name, index = (m.group(1), int(m.group(2))) if m else (part, None)
        obj = _descend(obj, name, path)
        if obj is not _MISSING and index is not None:
            obj = _index(obj, index)
        if obj is _MISSING:
            return None
    return obj


def operator_of(key):
    """Return the operator suffix a match key ends with, or None."""
    for op in OPERATORS:
        if key.endswith(op):
            return op
    return None


def _apply(op, val, expected):
    if op == "__find":
        return val.find(expected) >= 0
    if op == "__contains":
        return expected in val
    if op == "__startswith":
        return val.startswith(expected)
    if op == "__endswith":
        return val.endswith(expected)
    if op == "__gt":
        return val > expected
    if op == "__gte":
        return val >= expected
    if op == "__lt":
        return val < expected
    return val <= expected


def compare(key, val, expected):
    """Compare a resolved value with the expected one for a match key."""
    op = operator_of(key)
    if op is None:
        return val == expected
    try:
        return bool(_apply(op, val, expected))
    except (AttributeError, TypeError) as err:
        raise MatchError("%s: cannot apply %s to %s value %s (%s)"
                         % (key, op, type(val).__name__, short(val), err))


def _key_list(expected):
    return expected if isinstance(expected, list) else [expected]


def match_item(key, expected, event):
    """Return True when one `match` entry holds for event."""
    if key == "has-key":
        return all(find_value(k, event) is not None
                   for k in _key_list(expected))
    if key == "not-has-key":
        return all(find_value(k, event) is None
                   for k in _key_list(expected))
    return compare(key, find_value(key, event), expected)


def match_event(match, event):
    """Return True when every entry of a `match` mapping holds."""
    for key, expected in (match or {}).items():
        if not match_item(key, expected, event):
            return False
    return True


def count_matches(match, events):
    """Count the records of events that satisfy match."""
    return sum(1 for event in events if match_event(match, event))


def short(value, limit=60):
    """A compact one-line rendering of a value for messages."""
    text = value if isinstance(value, str) else _json_like(value)
    text = text.replace("\n", "\\n")
    return text if len(text) <= limit else text[:limit - 3] + "..."


def diff_pair(expected, got, limit=70):
    """Quoted renderings of two strings, cut around their first difference
    so the difference stays visible."""
    i = 0
    while i < min(len(expected), len(got)) and expected[i] == got[i]:
        i += 1
    start = max(i - 20, 0)

    def cut(text):
        piece = text[start:start + limit]
        return "%s%r%s" % ("..." if start else "", piece,
                           "..." if start + limit < len(text) else "")
    return cut(expected), cut(got)


def _json_like(value):
    try:
        return json.dumps(value, sort_keys=True, default=str)
    except (TypeError, ValueError):
        return repr(value)


def _item_state(key, expected, event):
    """(ok, seen) for one match entry, never raising."""
    try:
        ok = match_item(key, expected, event)
    except MatchError:
        ok = False
    if key in ("has-key", "not-has-key"):
        return ok, None
    try:
        return ok, find_value(key, event)
    except MatchError:
        return ok, None


def closest_miss(match, events):
    """Describe why the most similar record did not match, or None.

    The most similar record is the one matching the longest prefix of the
    `match` entries (entries are evaluated in order, like upstream).  Only
    records that agree on the first entry (usually event_type) count.
    """
    items = list((match or {}).items())
    best, best_len = None, 0
    for lineno, event in events_with_lines(events):
        n = 0
        for key, expected in items:
            ok, seen = _item_state(key, expected, event)
            if not ok:
                if n > best_len:
                    best, best_len = (lineno, key, expected, seen), n
                break
            n += 1
    if best is None:
        return None
    lineno, key, expected, seen = best
    if key in ("has-key", "not-has-key"):
        return "closest record #%d fails %s %s" % (lineno, key, short(expected))
    return "closest record #%d has %s = %s, expected %s" % (
        lineno, key, short(seen), short(expected))


def events_with_lines(events):
    return ((i + 1, e) for i, e in enumerate(events))


def describe_match(match, limit=3):
    """Render a match mapping as `{k: v, k: v, ...}` for messages."""
    items = list((match or {}).items())
    parts = ["%s: %s" % (k, short(v, 40)) for k, v in items[:limit]]
    if len(items) > limit:
        parts.append("...")
    return "{" + ", ".join(parts) + "}"
