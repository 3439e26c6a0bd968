"""Running one suricata-verify case: the engine, then the checks.

For a case this module decides whether it can run at all (unsupported
features, `requires:`, `skip:`, a missing capture: all make it a skip),
prepares a fresh output folder, runs any `setup:` scripts, runs the engine
with a timeout (stdout and stderr go to files named `stdout` and `stderr`
in the output folder, the command line to `cmdline`, as upstream does so
shell checks can grep them), compares the exit code with `exit-code:`
(default 0), runs `pre-check:` and then every check in order.  Checks are
`filter` (count matching JSON records of eve.json or `filename`), `stats`
(counters of the last stats record of eve.json), `shell` (a bash command
run in the output folder; its stripped stdout must equal `expect` when
given) and `file-compare` (an output file must equal a file of the case).
A check whose own requirements are unmet is skipped; a case passes when no
check fails and at least one check passed (or there are no checks), and is
a skip when every check was skipped.  `count:` repeats the run and `retry:`
re-runs a failing case, as upstream.
"""

import json
import os
import re
import shlex
import shutil
import signal
import subprocess
import threading
import time

import sv_case
import sv_match
import sv_requires
from sv_case import CaseError
from sv_requires import RequiresError, Unsatisfied

SHELL_TIMEOUT = 60
_INTERPRETERS = {"python", "python3", "bash", "sh", "perl", "ruby", "lua"}
_SCRIPT_SUFFIX = re.compile(r"\.(sh|py|pl|rb|lua)$")
_SEPARATORS = {"|", "||", "&&", ";", "&", "(", ")"}


_RUNNING = set()
_RUNNING_LOCK = threading.Lock()


def kill_running():
    """Kill the process groups of engines still running (on interrupt)."""
    with _RUNNING_LOCK:
        procs = list(_RUNNING)
    for proc in procs:
        _killpg(proc)


def _killpg(proc):
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except OSError:
        pass


class CheckFailed(Exception):
    """A check did not hold."""


class Context:
    """Settings shared by every case of a run."""

    def __init__(self, binary, verify_dir, srcdir, outroot, engine,
                 timeout=120, dry_run=False):
        self.binary = binary
        self.verify_dir = verify_dir
        self.srcdir = srcdir
        self.outroot = outroot
        self.engine = engine
        self.timeout = timeout
        self.dry_run = dry_run


class Result:
    """Outcome of one case: status is pass, fail, skip or dry."""

    def __init__(self, case, status, reason="", failures=None, command=None,
                 outdir=None, seconds=0.0):
        self.name = case.name
        self.origin = case.origin
        self.status = status
        self.reason = reason
        self.failures = failures or []
        self.command = command
        self.outdir = outdir
        self.seconds = seconds

    def as_dict(self):
        return {"name": self.name, "origin": self.origin,
                "status": self.status, "reason": self.reason,
                "failures": self.failures, "outdir": self.outdir,
                "command": self.command, "seconds": round(self.seconds, 3)}


def run_case(case, ctx):
    """Run a case and return its Result; never raises for case problems."""
    start = time.monotonic()
    outdir = os.path.join(ctx.outroot, case.name)
    try:
        case.load()
        precheck(case, ctx)
        result = _run_with_retries(case, ctx, outdir)
    except Unsatisfied as err:
        result = Result(case, "skip", str(err))
    except (CaseError, RequiresError) as err:
        result = Result(case, "fail", str(err), [str(err)], outdir=outdir)
    result.seconds = time.monotonic() - start
    return result


def precheck(case, ctx):
    """Raise Unsatisfied when the case cannot or must not run."""
    reason = sv_case.unsupported_reason(case)
    if reason:
        raise Unsatisfied(reason)
    env = sv_case.case_env(case, "", ctx.srcdir)
    sv_requires.check_requires(case.config.get("requires"), ctx.engine, env)
    sv_requires.check_skip(case.config.get("skip"), ctx.engine)
    sv_case.check_pcap_present(case)


def _run_with_retries(case, ctx, outdir):
    tries = max(int(case.config.get("retry") or 1), 1)
    for _ in range(tries):
        result = _run_repeated(case, ctx, outdir)
        if result.status != "fail":
            break
    return result


def _run_repeated(case, ctx, outdir):
    result = None
    for _ in range(max(int(case.config.get("count") or 1), 1)):
        result = run_once(case, ctx, outdir)
        if result.status in ("fail", "dry"):
            break
    return result


def prepare_outdir(outdir):
    if os.path.isdir(outdir) and not os.path.islink(outdir):
        shutil.rmtree(outdir)
    elif os.path.lexists(outdir):
        os.unlink(outdir)
    os.makedirs(outdir)


def run_once(case, ctx, outdir):
    """One engine run plus checks, as a Result."""
    state = {}
    try:
        return _run_once(case, ctx, outdir, state)
    except CaseError as err:
        return Result(case, "fail", str(err), [str(err)],
                      command=state.get("argv"), outdir=outdir)


def _run_once(case, ctx, outdir, state):
    prepare_outdir(outdir)
    env = sv_case.case_env(case, outdir, ctx.srcdir)
    run_setup(case, outdir, env)
    argv = sv_case.build_command(case, ctx.binary, ctx.verify_dir, outdir,
                                 env, ctx.engine.version)
    state["argv"] = argv
    with open(os.path.join(outdir, "cmdline"), "w") as f:
        f.write(" ".join(shlex.quote(a) for a in argv) + "\n")
    if ctx.dry_run:
        return Result(case, "dry", shlex.join(argv), command=argv,
                      outdir=outdir)
    run_engine(case, ctx, argv, outdir, env)
    return run_checks(case, ctx, outdir, env, argv)


def run_setup(case, outdir, env):
    for entry in case.config.get("setup") or []:
        for kind, script in (entry or {}).items():
            if kind != "script":
                continue
            proc = subprocess.run(["bash", "-c", str(script)], cwd=outdir,
                                  env=env, capture_output=True)
            if proc.returncode != 0:
                raise CaseError("setup script failed (exit %d): %s"
                                % (proc.returncode, sv_match.short(script)))


def run_engine(case, ctx, argv, outdir, env):
    """Run the engine; raise CaseError on timeout or a wrong exit code."""
    if not (os.path.isfile(argv[0]) and os.access(argv[0], os.X_OK)):
        raise CaseError("engine binary not found or not executable: %s"
                        % argv[0])
    expected = case.config.get("exit-code", 0)
    with open(os.path.join(outdir, "stdout"), "wb") as out, \
            open(os.path.join(outdir, "stderr"), "wb") as err:
        try:
            proc = subprocess.Popen(argv, cwd=case.directory, env=env,
                                    stdout=out, stderr=err,
                                    stdin=subprocess.DEVNULL,
                                    start_new_session=True)
        except OSError as e:
            raise CaseError("cannot start engine: %s" % e)
        with _RUNNING_LOCK:
            _RUNNING.add(proc)
        try:
            rc = _wait(proc, ctx.timeout)
        finally:
            with _RUNNING_LOCK:
                _RUNNING.discard(proc)
    if rc is None:
        raise CaseError("timed out after %ss" % ctx.timeout)
    if rc != expected:
        raise CaseError("exit code %s, expected %s%s" % (
            describe_exit(rc), expected, stderr_tail(outdir)))


def _wait(proc, timeout):
    try:
        return proc.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        _killpg(proc)
        proc.wait()
        return None


def describe_exit(rc):
    if rc < 0:
        try:
            return "%d (%s)" % (rc, signal.Signals(-rc).name)
        except ValueError:
            return str(rc)
    return str(rc)


def stderr_tail(outdir):
    """`; stderr: <last line>` for failure messages, or ""."""
    for name in ("stderr", "stdout"):
        try:
            with open(os.path.join(outdir, name), "rb") as f:
                lines = f.read().decode("utf-8", "replace").splitlines()
        except OSError:
            continue
        lines = [l.strip() for l in lines if l.strip()]
        if lines:
            return "; %s: %s" % (name, sv_match.short(lines[-1], 160))
    return ""


def run_checks(case, ctx, outdir, env, argv):
    pre = case.config.get("pre-check")
    if pre:
        subprocess.run(["bash", "-c", str(pre)], cwd=outdir, env=env,
                       capture_output=True)
    checks = case.config.get("checks") or []
    if not isinstance(checks, list) or \
            not all(isinstance(c, dict) for c in checks):
        raise CaseError("checks must be a list of mappings")
    checker = Checker(case, ctx, outdir, env)
    passed = skipped = 0
    failures = []
    for number, item in enumerate(checks, 1):
        for kind, cfg in item.items():
            status, message = checker.run(number, kind, cfg)
            passed += status == "pass"
            skipped += status == "skip"
            if status == "fail":
                failures.append(message)
    if failures:
        status = "fail"
    elif skipped and not passed:
        status = "skip"
    else:
        status = "pass"
    reason = failures[0] if failures else (
        "all checks skipped" if status == "skip" else "")
    return Result(case, status, reason, failures, command=argv, outdir=outdir)


class Checker:
    """Runs the checks of one case against its output folder."""

    def __init__(self, case, ctx, outdir, env):
        self.case = case
        self.ctx = ctx
        self.outdir = outdir
        self.env = env
        self._events = {}

    def run(self, number, kind, cfg):
        """(status, message) for check `number` of type `kind`."""
        handler = {"filter": self.filter, "stats": self.stats,
                   "shell": self.shell,
                   "file-compare": self.file_compare}.get(kind)
        label = "check %d %s" % (number, kind)
        if handler is None:
            return "fail", "%s: unknown check type" % label
        if not isinstance(cfg, dict):
            return "fail", "%s: check is not a mapping" % label
        label = self.label(number, kind, cfg)
        try:
            handler(cfg)
            return "pass", label
        except Unsatisfied as err:
            return "skip", "%s: %s" % (label, err)
        except (CheckFailed, RequiresError, sv_match.MatchError) as err:
            return "fail", "%s: %s" % (label, err)

    @staticmethod
    def label(number, kind, cfg):
        if kind == "filter":
            detail = sv_match.describe_match(cfg.get("match"))
            if cfg.get("filename"):
                detail = "%s %s" % (cfg["filename"], detail)
        elif kind == "shell":
            detail = "`%s`" % sv_match.short(str(cfg.get("args", "")).strip())
        elif kind == "file-compare":
            detail = str(cfg.get("filename"))
        else:
            detail = ""
        return ("check %d %s %s" % (number, kind, detail)).rstrip()

    def requires(self, cfg):
        sv_requires.check_requires(sv_requires.check_level_requires(cfg),
                                   self.ctx.engine, self.env)

    def events(self, filename):
        """Parsed JSON lines of an output file (cached per case run)."""
        if filename not in self._events:
            self._events[filename] = load_json_lines(
                os.path.join(self.outdir, filename), filename)
        events = self._events[filename]
        if isinstance(events, str):
            raise CheckFailed(events)
        return events

    def filter(self, cfg):
        self.requires(cfg)
        events = self.events(cfg.get("filename") or "eve.json")
        if "count" not in cfg:
            raise CheckFailed("filter has no count")
        if cfg.get("match") is None:
            raise CheckFailed("filter has no match")
        got = sv_match.count_matches(cfg["match"], events)
        if got != cfg["count"]:
            msg = "expected count %s, got %d" % (cfg["count"], got)
            hint = None
            if isinstance(cfg["count"], int) and got < cfg["count"]:
                hint = sv_match.closest_miss(cfg["match"], events)
            raise CheckFailed(msg + ("; " + hint if hint else ""))

    def stats(self, cfg):
        stats = None
        for event in self.events("eve.json"):
            if isinstance(event, dict) and event.get("event_type") == "stats":
                stats = event.get("stats")
        if stats is None:
            raise CheckFailed("no stats record in eve.json")
        for key, expected in cfg.items():
            val = sv_match.find_value(key, stats)
            if not sv_match.compare(key, val, expected):
                raise CheckFailed("stats.%s: expected %s, got %s" % (
                    key, sv_match.short(expected), sv_match.short(val)))

    def shell(self, cfg):
        self.requires(cfg)
        if "args" not in cfg:
            raise CheckFailed("shell check missing args")
        script = missing_script(str(cfg["args"]), self.case.directory,
                                self.outdir, self.env)
        if script:
            raise Unsatisfied("needs script %s which is not in the case "
                              "folder" % script)
        try:
            proc = subprocess.run(["bash", "-c", str(cfg["args"])],
                                  cwd=self.outdir, env=self.env,
                                  capture_output=True, timeout=SHELL_TIMEOUT)
        except subprocess.TimeoutExpired:
            raise CheckFailed("timed out after %ss" % SHELL_TIMEOUT)
        out = proc.stdout.decode("utf-8", "replace").strip()
        if proc.returncode != 0:
            raise CheckFailed("command exited %d%s" % (
                proc.returncode, "; output: " + sv_match.short(out)
                if out else ""))
        if "expect" in cfg and str(cfg["expect"]) != out:
            raise CheckFailed("expected %s, got %s"
                              % sv_match.diff_pair(str(cfg["expect"]), out))

    def file_compare(self, cfg):
        if "filename" not in cfg or "expected" not in cfg:
            raise CheckFailed("file-compare needs filename and expected")
        actual = os.path.join(self.outdir, str(cfg["filename"]))
        expected = self.case.path(str(cfg["expected"]))
        for path, what in ((expected, "expected file"), (actual, "output")):
            if not os.path.isfile(path):
                raise CheckFailed("%s %s does not exist" % (what, path))
        with open(actual, "rb") as a, open(expected, "rb") as e:
            got, want = a.read(), e.read()
        if got != want:
            raise CheckFailed("differs from %s%s" % (
                cfg["expected"], first_difference(want, got)))


def load_json_lines(path, filename):
    """A list of records, or an error message string."""
    if not os.path.isfile(path):
        return "%s does not exist" % filename
    events = []
    with open(path, "rb") as f:
        for lineno, line in enumerate(f, 1):
            try:
                events.append(json.loads(line.decode("utf-8")))
            except (UnicodeDecodeError, ValueError) as err:
                return "%s line %d is not valid JSON: %s" % (
                    filename, lineno, err)
    return events


def first_difference(want, got):
    """`; first difference at line N: expected X, got Y` or ""."""
    want_lines, got_lines = want.splitlines(), got.splitlines()
    for i in range(max(len(want_lines), len(got_lines))):
        w = want_lines[i] if i < len(want_lines) else b"<end of file>"
        g = got_lines[i] if i < len(got_lines) else b"<end of file>"
        if w != g:
            return "; first difference at line %d: expected %s, got %s" % (
                i + 1, sv_match.short(w.decode("utf-8", "replace")),
                sv_match.short(g.decode("utf-8", "replace")))
    return "; line endings differ"


def _shell_tokens(line):
    lexer = shlex.shlex(line, posix=True, punctuation_chars=True)
    lexer.whitespace_split = True
    try:
        return list(lexer)
    except ValueError:
        return line.split()


def _segments(script):
    """Simple commands of a shell script, as token lists."""
    for line in script.splitlines():
        current = []
        for token in _shell_tokens(line):
            if token in _SEPARATORS:
                if current:
                    yield current
                current = []
            else:
                current.append(token)
        if current:
            yield current


def _script_of(tokens):
    """The script file a simple command runs, or None."""
    tokens = [t for t in tokens if not re.match(r"^\w+=", t)]
    if not tokens:
        return None
    command = tokens[0]
    if os.path.basename(command) in _INTERPRETERS:
        for token in tokens[1:]:
            if token in ("-c", "-e"):
                return None
            if not token.startswith("-"):
                return token if _SCRIPT_SUFFIX.search(token) else None
        return None
    return command if "/" in command else None


def missing_script(args, case_dir, outdir, env):
    """A script the shell check runs that exists nowhere, or None."""
    script = sv_case.substitute(args, env)
    for tokens in _segments(script):
        path = _script_of(tokens)
        if path is None:
            continue
        candidates = [path] if os.path.isabs(path) else [
            os.path.join(outdir, path), os.path.join(case_dir, path)]
        if not any(os.path.exists(c) for c in candidates):
            return path
    return None
