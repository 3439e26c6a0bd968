"""Finding suricata-verify cases and building the engine command for them.

A case is a folder holding a test.yaml or a capture; its name is its path
relative to the suite's tests/ folder (e.g. `alert-max/alert-max-20`) or to
our own tests/regress/ folder.  The engine command mirrors upstream run.py:
the case's `args` (split on whitespace, with $TEST_DIR, $OUTPUT_DIR and
$SRCDIR substituted), the classification and reference configs,
`--init-errors-fatal`, `-l OUTDIR`, `--simulate-ips` when the folder name
contains "ips", `-c` the case's suricata.yaml when it has one, `-r` the
capture (`pcap:` or the single .pcap/.pcapng in the folder) and `-S` the
rules (`rules:`, a path or inline rule text, or the single .rules file, a
`minX.Y.rules` only for versions >= X.Y) or `--disable-detection` when
there are none.  The engine runs with the case folder as working directory.
Cases needing things Odlar does not do (a custom `command:`, Lua, firewall
rule files) are reported as unsupported so the runner can skip them.
"""

import glob
import os
import re
import string

import yaml

import sv_requires
from sv_requires import Unsatisfied

_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_INLINE_RULE = re.compile(r"^\s*(#|(alert|drop|pass|reject\w*|config)\s)")
_LUA_KEYWORD = re.compile(r"(^|[;(\s])lua(jit)?\s*:", re.MULTILINE)
_LUA_CONFIG = re.compile(r"\.lua\b|^\s*-\s*lua\s*:", re.MULTILINE)
INLINE_RULES_NAME = "inline-test.rules"


class CaseError(Exception):
    """The case cannot be run as described: it fails."""


class Case:
    """One test case folder and its parsed test.yaml."""

    def __init__(self, name, directory, origin):
        self.name = name
        self.directory = directory
        self.origin = origin
        self.config = None

    @property
    def basename(self):
        return os.path.basename(self.directory)

    def load(self):
        """Parse test.yaml (an absent or empty file is an empty config)."""
        path = os.path.join(self.directory, "test.yaml")
        if not os.path.exists(path):
            self.config = {}
            return self.config
        try:
            with open(path, "rb") as f:
                config = yaml.load(f, Loader=_LOADER)
        except yaml.YAMLError as err:
            raise CaseError("test.yaml: %s" % str(err).replace("\n", " "))
        if config is not None and not isinstance(config, dict):
            raise CaseError("test.yaml is not a mapping")
        self.config = config or {}
        return self.config

    def files(self, *patterns):
        found = []
        for pattern in patterns:
            found += glob.glob(os.path.join(self.directory, pattern))
        return sorted(found)

    def path(self, relative):
        return os.path.normpath(os.path.join(self.directory, relative))


def is_case_dir(path):
    if os.path.isfile(os.path.join(path, "test.yaml")):
        return True
    return any(glob.glob(os.path.join(path, p)) for p in ("*.pcap", "*.pcapng"))


def discover(root):
    """Names of all cases under root; case folders are not descended."""
    names = []
    for dirpath, dirnames, _ in os.walk(root, followlinks=True):
        dirnames.sort()
        if dirpath != root and is_case_dir(dirpath):
            names.append(os.path.relpath(dirpath, root))
            dirnames[:] = []
    return sorted(names)


def valid_name(name):
    parts = name.split("/")
    return bool(name) and not os.path.isabs(name) and ".." not in parts


def resolve(name, roots):
    """The Case for name from the first (root, origin) holding it."""
    name = name.strip().rstrip("/")
    if not valid_name(name):
        return None
    for root, origin in roots:
        directory = os.path.join(root, name)
        if os.path.isdir(directory) and is_case_dir(directory):
            return Case(name, directory, origin)
    return None


def read_name_list(path):
    """Case names from a list file: one per line, `#` comments."""
    names = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.split("#", 1)[0].strip()
            if line:
                names.append(line.split()[0])
    return names


def case_env(case, outdir, srcdir, base=None):
    """Environment for the engine and shell checks of a case."""
    env = dict(os.environ if base is None else base)
    env.update({"SRCDIR": srcdir, "TZ": "UTC", "TEST_DIR": case.directory,
                "OUTPUT_DIR": outdir})
    for key, value in (case.config.get("env") or {}).items():
        env[str(key)] = str(value)
    return env


def substitute(text, env):
    """Expand $NAME and ${NAME} from env, leaving unknown names alone."""
    return string.Template(text).safe_substitute(env)


def split_args(args, env):
    """The `args` list of test.yaml as argv tokens."""
    if args is None:
        return []
    if not isinstance(args, list):
        raise CaseError("args must be a list")
    tokens = []
    for arg in args:
        tokens += [substitute(t, env) for t in re.split(r"\s", str(arg)) if t]
    return tokens


def pcap_required(case):
    """Whether the case needs a capture (upstream: unless pcap: false)."""
    requires = case.config.get("requires") or {}
    required = requires.get("pcap", True)
    if "pcap" in case.config and not case.config["pcap"]:
        required = False
    return bool(required)


def find_pcap(case):
    """Absolute path of the capture to replay, or None."""
    pcap = case.config.get("pcap")
    if pcap:
        path = case.path(str(pcap))
        if not os.path.exists(path):
            raise CaseError("pcap file does not exist: %s" % pcap)
        return os.path.realpath(path)
    pcaps = case.files("*.pcap", "*.pcapng")
    if len(pcaps) > 1:
        raise CaseError("more than 1 pcap file found")
    return pcaps[0] if pcaps else None


def check_pcap_present(case):
    if pcap_required(case) and not case.config.get("pcap") \
            and not case.files("*.pcap", "*.pcapng"):
        raise Unsatisfied("No pcap file found")


def _rules_from_config(case, outdir):
    """Rule file named or given inline by `rules:` in test.yaml."""
    rules = case.config["rules"]
    if isinstance(rules, list):
        rules = "\n".join(str(r) for r in rules)
    rules = str(rules)
    if "\n" in rules.strip() or _INLINE_RULE.match(rules):
        path = os.path.join(outdir, INLINE_RULES_NAME)
        with open(path, "w", encoding="utf-8") as f:
            f.write(rules if rules.endswith("\n") else rules + "\n")
        return path
    path = case.path(rules)
    if not os.path.exists(path):
        raise CaseError("rules file does not exist: %s" % rules)
    return path


def rules_file(case, version, outdir):
    """The rule file to load with -S, or None for --disable-detection.

    Follows upstream: a single .rules file is used (a minX.Y.rules one only
    when version >= X.Y); more rule files is an error (upstream allows
    firewall.rules plus td.rules, but firewall cases are unsupported).
    """
    if case.config.get("rules"):
        return _rules_from_config(case, outdir)
    rules = case.files("*.rules")
    if len(rules) > 1:
        raise CaseError("more than 1 rule file found")
    if rules and sv_requires.rule_file_applies(rules[0], version):
        return rules[0]
    return None


def _read(path):
    try:
        with open(path, encoding="utf-8", errors="replace") as f:
            return f.read()
    except OSError:
        return ""


def unsupported_reason(case):
    """Why Odlar cannot run this case at all, or None."""
    if "command" in case.config:
        return "custom command: not supported"
    features = (case.config.get("requires") or {}).get("features") or []
    if "HAVE_LUA" in (features if isinstance(features, list) else [features]):
        return "requires Lua (HAVE_LUA)"
    if not case.config.get("rules") and case.files("firewall.rules"):
        return "firewall rules (firewall.rules) not supported"
    if case.files("*.lua"):
        return "uses Lua scripts (.lua files)"
    if any(_LUA_KEYWORD.search(_read(r)) for r in case.files("*.rules")):
        return "rules use the lua keyword"
    yaml_path = os.path.join(case.directory, "suricata.yaml")
    if os.path.exists(yaml_path) and _LUA_CONFIG.search(_read(yaml_path)):
        return "configuration uses Lua"
    return None


def build_command(case, binary, verify_dir, outdir, env, version):
    """argv for running the engine on case (may write inline rules)."""
    argv = [binary] + split_args(case.config.get("args"), env)
    etc = os.path.join(verify_dir, "etc")
    argv += ["--set", "classification-file=%s"
             % os.path.join(etc, "classification.config")]
    argv += ["--set", "reference-config-file=%s"
             % os.path.join(etc, "reference.config")]
    argv += ["--init-errors-fatal", "-l", outdir]
    if "ips" in case.basename:
        argv.append("--simulate-ips")
    yaml_path = os.path.join(case.directory, "suricata.yaml")
    if os.path.exists(yaml_path):
        argv += ["-c", yaml_path]
    pcap = find_pcap(case)
    if pcap:
        argv += ["-r", pcap]
    rules = rules_file(case, version, outdir)
    argv += ["-S", rules] if rules else ["--disable-detection"]
    return argv
