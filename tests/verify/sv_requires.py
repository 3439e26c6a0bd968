"""Requirement and skip logic for suricata-verify cases.

A case (and each of its checks) may declare `requires:` conditions, and a
case may declare `skip:` conditions.  Unmet requirements and matching skip
entries raise Unsatisfied, which the runner reports as a skipped case (or
a skipped check).  Versions are judged against the Suricata version Odlar
emulates (8.0.6) with upstream's rules: `min-version: 7` means >= 7.0.0,
`lt-version: 8` means < 8.0.0, `gt-version` is a strict >, and `version: 7`
matches any 7.x.y while `version: 7.0.3` matches only 7.0.3.  A rule file
named `minX.Y.rules` applies only when the version is >= X.Y.  Engine
features come from the `Features:` line (and `... support: yes` lines) of
`odlar --build-info`, with a built-in fallback list.  A malformed
requirement raises RequiresError, which fails the case like upstream.
"""

import os
import platform
import re
import subprocess
import sys

EMULATED_VERSION = "8.0.6"

# Features assumed when `odlar --build-info` cannot be run or parsed.
FALLBACK_FEATURES = ("HAVE_JA3", "HAVE_JA4")

_VERSION_RE = re.compile(r"(?:Suricata version |^)(\d+)\.?(\d+)?\.?(\d+)?")
_MIN_RULES_RE = re.compile(r"^min(\d+(?:\.\d+){0,2})\.rules$")


class Unsatisfied(Exception):
    """A requirement is not met: the case or check is skipped."""


class RequiresError(Exception):
    """A requirement is malformed: the case fails."""


def parse_version(value, exact=False):
    """Parse "8", "8.0" or "8.0.6" into a (major, minor, patch) tuple.

    Missing components are 0, or None with exact=True (used by `version:`
    where "7" means any 7.x.y).
    """
    m = _VERSION_RE.search(str(value).strip())
    if not m:
        raise RequiresError("cannot parse version %r" % (value,))
    default = None if exact else 0
    return tuple(int(g) if g is not None else default for g in m.groups())


def version_equal(actual, wanted):
    """True when actual matches wanted, None components of wanted being
    wildcards."""
    return all(w is None or a == w for a, w in zip(actual, wanted))


def version_cmp(actual, wanted):
    """-1, 0 or 1 as actual is lower, equal or higher than wanted."""
    return (actual > wanted) - (actual < wanted)


class Engine:
    """What the requirements are judged against."""

    def __init__(self, version=EMULATED_VERSION, features=FALLBACK_FEATURES,
                 srcdir=".", config_dump=None):
        self.version = parse_version(version)
        self.features = set(features)
        self.srcdir = srcdir
        self._config_dump = config_dump
        self._config = None

    def has_feature(self, name):
        return name in self.features

    def config(self):
        """Flattened engine configuration (for `skip: config`), lazily."""
        if self._config is None:
            self._config = self._config_dump() if self._config_dump else {}
        return self._config


def parse_build_info(text):
    """Features listed by `--build-info` output."""
    features = set()
    in_config = False
    for line in text.splitlines():
        if line.startswith("Features:"):
            features.update(line.split()[1:])
        if "Suricata Configuration" in line:
            in_config = True
        if in_config and " support:" in line:
            name, value = line.split(" support:", 1)
            if value.strip().startswith("yes"):
                features.add(name.strip())
    return features


def load_features(binary, timeout=10):
    """(features, source) from `binary --build-info`, or the fallback."""
    try:
        out = subprocess.run([binary, "--build-info"], capture_output=True,
                             timeout=timeout, check=True).stdout
        text = out.decode("utf-8", "replace")
        if "Features:" in text:
            return parse_build_info(text), "build-info"
    except (OSError, subprocess.SubprocessError):
        pass
    return set(FALLBACK_FEATURES), "fallback"


def parse_config_dump(text):
    """`key = value` lines of `--dump-config` into a dict."""
    config = {}
    for line in text.splitlines():
        key, _, value = (p.strip() for p in line.partition("="))
        if key:
            config[key] = value
    return config


def _as_list(value):
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def _req_min(value, engine, env):
    if version_cmp(engine.version, parse_version(value)) < 0:
        raise Unsatisfied("requires at least version %s" % value)


def _req_lt(value, engine, env):
    if not version_cmp(engine.version, parse_version(value)) < 0:
        raise Unsatisfied("for version less than %s" % value)


def _req_gt(value, engine, env):
    if not version_cmp(engine.version, parse_version(value)) > 0:
        raise Unsatisfied("for version greater than %s" % value)


def _req_version(value, engine, env):
    if not version_equal(engine.version, parse_version(value, exact=True)):
        raise Unsatisfied("only for version %s" % value)


def _req_features(value, engine, env):
    for feature in _as_list(value):
        if not engine.has_feature(feature):
            raise Unsatisfied("requires feature %s" % feature)


def _req_env(value, engine, env):
    for name in _as_list(value):
        if name not in os.environ:
            raise Unsatisfied("requires env var %s" % name)


def _req_files(value, engine, env):
    for name in _as_list(value):
        if not os.path.exists(os.path.join(engine.srcdir, name)):
            raise Unsatisfied("requires file %s" % name)


def _req_script(value, engine, env):
    for script in _as_list(value):
        rc = subprocess.run(["bash", "-c", str(script)], cwd=engine.srcdir,
                            env=env, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL).returncode
        if rc != 0:
            raise Unsatisfied("requires script returned false: %s"
                              % str(script).strip())


def _req_lambda(value, engine, env):
    try:
        ok = eval(str(value), {"sys": sys, "os": os, "platform": platform})
    except Exception as err:  # an arbitrary expression may raise anything
        raise RequiresError("lambda %r: %s" % (value, err))
    if not ok:
        raise Unsatisfied("lambda: %s" % value)


def _req_os(value, engine, env):
    if not platform.system().lower().startswith(str(value).lower()):
        raise Unsatisfied("requires os %s" % value)


def _req_arch(value, engine, env):
    if not platform.machine().lower().startswith(str(value).lower()):
        raise Unsatisfied("requires arch %s" % value)


def _req_pcap(value, engine, env):
    """Handled by the case loader (whether a capture is needed)."""


_HANDLERS = {
    "min-version": _req_min,
    "lt-version": _req_lt,
    "gt-version": _req_gt,
    "version": _req_version,
    "features": _req_features,
    "env": _req_env,
    "files": _req_files,
    "script": _req_script,
    "lambda": _req_lambda,
    "os": _req_os,
    "arch": _req_arch,
    "pcap": _req_pcap,
}


def check_requires(requires, engine, env=None):
    """Raise Unsatisfied for the first unmet entry of a requires mapping."""
    if not requires:
        return
    if not isinstance(requires, dict):
        raise RequiresError("requires must be a mapping, got %r" % (requires,))
    for key, value in requires.items():
        handler = _HANDLERS.get(key)
        if handler is None:
            raise RequiresError("unknown requires type: %s" % key)
        handler(value, engine, env)


def check_level_requires(check):
    """The requires mapping of one check: its `requires:` plus the
    shorthand keys upstream accepts directly on a check."""
    requires = dict(check.get("requires") or {})
    for key in ("version", "min-version", "lt-version", "gt-version"):
        if check.get(key) is not None:
            requires[key] = check[key]
    if check.get("feature") is not None:
        requires["features"] = [check["feature"]]
    return requires


def check_skip(skip, engine):
    """Raise Unsatisfied when a `skip:` entry applies."""
    if skip is None or skip is False:
        return
    if skip is True:
        raise Unsatisfied("skipped by default")
    for entry in _as_list(skip):
        _check_skip_entry(entry or {}, engine)


def _check_skip_entry(entry, engine):
    msg = entry.get("msg")
    if "uid" in entry and os.getuid() == entry["uid"]:
        raise Unsatisfied(msg or "not for uid %s" % entry["uid"])
    if "feature" in entry and engine.has_feature(entry["feature"]):
        raise Unsatisfied(msg or "not for feature %s" % entry["feature"])
    for pattern, value in (entry.get("config") or {}).items():
        for key, actual in engine.config().items():
            if re.match(pattern, key) and str(value) == str(actual):
                raise Unsatisfied(msg or "not for %s = %s" % (key, value))


def rule_file_applies(filename, version):
    """Whether a rule file is used for version: `minX.Y.rules` needs
    version >= X.Y, any other name always applies."""
    m = _MIN_RULES_RE.match(os.path.basename(filename))
    if not m:
        return True
    return version_cmp(version, parse_version(m.group(1))) >= 0
