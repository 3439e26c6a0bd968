#!/usr/bin/python3
"""Conformance runner: Odlar against the suricata-verify regression suite.

Selects cases (by name, from `@listfile`s, all of our own tests/regress
cases with --regress, every suite case with --all, or by default the
in-scope list CORE-DEV.txt of the suite), runs them in parallel with
sv_exec, prints one `FAIL case: reason` line per failing case (passes and
skips too with --verbose) and ends with the line
`N passed, N failed, N skipped`.  With --check-expected (or
--expected-fail FILE) failures listed in the expected-fail file are
tolerated: they do not count as failed, and a listed case that now passes
is reported as XPASS and makes the run fail so the list stays accurate.
--write-expected-fail FILE writes the current failures in that format.
The exit status is 0 when everything is as expected, 1 otherwise, and 2
for usage errors (such as an unknown case name).
"""

import argparse
import concurrent.futures
import json
import os
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import sv_case  # noqa: E402
import sv_exec  # noqa: E402
import sv_requires  # noqa: E402

REPO = os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__))))
DEFAULT_EXPECTED = os.path.join(REPO, "tests", "verify", "expected-fail.txt")


class UsageError(Exception):
    pass


def parse_args(argv):
    p = argparse.ArgumentParser(
        description="Run suricata-verify cases against Odlar.")
    p.add_argument("cases", nargs="*",
                   help="case names or @listfile (default: CORE-DEV.txt)")
    p.add_argument("--odlar", default=os.path.join(REPO, "build", "odlar"),
                   help="engine binary (default: %(default)s)")
    p.add_argument("--verify-dir",
                   default=os.path.normpath(os.path.join(REPO, "..", "shared",
                                                         "verify")),
                   help="suricata-verify folder (default: %(default)s)")
    p.add_argument("--outdir",
                   default=os.path.join(REPO, "build", "verify-out"),
                   help="output folders go here, one per case")
    p.add_argument("-j", "--jobs", type=int, default=2)
    p.add_argument("--timeout", type=float, default=120,
                   help="seconds per engine run (default: %(default)s)")
    p.add_argument("--regress", action="store_true",
                   help="also run every case under tests/regress")
    p.add_argument("--all", action="store_true",
                   help="run every case of the suite, not just CORE-DEV")
    p.add_argument("-v", "--verbose", action="store_true",
                   help="also print passes, skips and expected failures")
    p.add_argument("--json", metavar="FILE",
                   help="write every case's status and reason to FILE")
    p.add_argument("--check-expected", action="store_true",
                   help="tolerate failures listed in the expected-fail file")
    p.add_argument("--expected-fail", metavar="FILE",
                   help="expected-fail file (implies --check-expected; "
                        "default tests/verify/expected-fail.txt)")
    p.add_argument("--write-expected-fail", metavar="FILE",
                   help="write this run's failures to FILE")
    p.add_argument("--features",
                   help="space separated engine features (default: from "
                        "`odlar --build-info`)")
    p.add_argument("--version", default=sv_requires.EMULATED_VERSION,
                   help="Suricata version requirements are judged against")
    p.add_argument("--dry-run", action="store_true",
                   help="print the engine command of each case, run nothing")
    args = p.parse_args(argv)
    if args.expected_fail:
        args.check_expected = True
    elif args.check_expected:
        args.expected_fail = DEFAULT_EXPECTED
    return args


def case_roots(args):
    return [(os.path.join(args.verify_dir, "tests"), "suite"),
            (os.path.join(REPO, "tests", "regress"), "regress")]


def requested_names(args):
    """Case names asked for on the command line, in order, deduplicated."""
    names = []
    for item in args.cases:
        if item.startswith("@"):
            try:
                names += sv_case.read_name_list(item[1:])
            except OSError as err:
                raise UsageError("cannot read list %s: %s" % (item[1:], err))
        else:
            names.append(item.strip().rstrip("/"))
    if args.all:
        names += sv_case.discover(os.path.join(args.verify_dir, "tests"))
    if args.regress:
        regress = os.path.join(REPO, "tests", "regress")
        if os.path.isdir(regress):
            names += sv_case.discover(regress)
    if not args.cases and not args.all and not args.regress:
        names = sv_case.read_name_list(
            os.path.join(args.verify_dir, "CORE-DEV.txt"))
    return list(dict.fromkeys(names))


def select_cases(args):
    roots = case_roots(args)
    cases, unknown = [], []
    for name in requested_names(args):
        case = sv_case.resolve(name, roots)
        if case is None:
            unknown.append(name)
        else:
            cases.append(case)
    if unknown:
        raise UsageError("unknown case%s: %s" % (
            "s" if len(unknown) > 1 else "", ", ".join(unknown)))
    return cases


def load_expected(path):
    """{case name: reason} from an expected-fail file."""
    expected = {}
    if not os.path.exists(path):
        print("warning: %s does not exist, expecting no failures" % path,
              file=sys.stderr)
        return expected
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.strip()
            if not line or line.startswith("#"):
                continue
            parts = line.split(None, 1)
            expected[parts[0]] = parts[1].strip() if len(parts) > 1 else ""
    return expected


def write_expected(path, results):
    failed = sorted((r for r in results if r.status == "fail"),
                    key=lambda r: r.name)
    width = max([len(r.name) for r in failed] + [0])
    with open(path, "w", encoding="utf-8") as f:
        f.write("# Cases expected to fail: name, whitespace, reason.\n")
        for r in failed:
            reason = " ".join(r.reason.split())[:300] or "failed"
            f.write("%-*s  %s\n" % (width, r.name, reason))


def make_engine(args):
    if args.features is not None:
        features, source = set(args.features.split()), "--features"
    else:
        features, source = sv_requires.load_features(args.odlar)

    def dump_config():
        try:
            out = subprocess.run([args.odlar, "--dump-config"],
                                 capture_output=True, timeout=30).stdout
            return sv_requires.parse_config_dump(
                out.decode("utf-8", "replace"))
        except (OSError, subprocess.SubprocessError):
            return {}

    engine = sv_requires.Engine(args.version, features, REPO, dump_config)
    return engine, source


def run_safely(case, ctx):
    try:
        return sv_exec.run_case(case, ctx)
    except Exception as err:  # the runner must report, never crash
        return sv_exec.Result(case, "fail", "runner error: %r" % (err,),
                              [repr(err)])


def run_all(cases, ctx, jobs):
    """Results in case order, produced by `jobs` parallel workers."""
    pool = concurrent.futures.ThreadPoolExecutor(max_workers=max(jobs, 1))
    try:
        yield from pool.map(lambda c: run_safely(c, ctx), cases)
    except KeyboardInterrupt:
        pool.shutdown(wait=False, cancel_futures=True)
        sv_exec.kill_running()
        raise
    pool.shutdown()


class Reporter:
    """Prints per-case lines and the summary; tracks the exit status."""

    def __init__(self, verbose, expected=None, expected_path=None):
        self.verbose = verbose
        self.expected = expected
        self.expected_name = os.path.basename(expected_path or "")
        self.counts = {"pass": 0, "fail": 0, "skip": 0}
        self.xfail = 0
        self.xpass = 0

    def add(self, r):
        listed = self.expected is not None and r.name in self.expected
        if r.status == "dry":
            print("DRY %s: %s" % (r.name, r.reason))
        elif r.status == "fail" and listed:
            self.xfail += 1
            if self.verbose:
                print("XFAIL %s: %s" % (r.name, r.reason))
        elif r.status == "fail":
            self.counts["fail"] += 1
            print("FAIL %s: %s" % (r.name, r.reason))
        elif r.status == "pass":
            self.counts["pass"] += 1
            if listed:
                self.xpass += 1
                print("XPASS %s: remove from %s" % (r.name, self.expected_name))
            elif self.verbose:
                print("PASS %s" % r.name)
        else:
            self.counts["skip"] += 1
            if self.verbose:
                print("SKIP %s: %s" % (r.name, r.reason))
        sys.stdout.flush()

    def finish(self):
        if self.expected is not None:
            print("expected failures: %d" % self.xfail)
            if self.xpass:
                print("unexpected passes (XPASS, counted as failed): %d" % self.xpass)
        # an XPASS fails the run too, so the closing line counts it as failed
        print("%d passed, %d failed, %d skipped" % (
            self.counts["pass"] - self.xpass, self.counts["fail"] + self.xpass, self.counts["skip"]))
        return 1 if self.counts["fail"] or self.xpass else 0


def write_json(path, results, engine, source, reporter):
    expected = reporter.expected or {}
    doc = {"version": ".".join(str(v) for v in engine.version),
           "features": sorted(engine.features), "features_source": source,
           "summary": dict(reporter.counts, xfail=reporter.xfail,
                           xpass=reporter.xpass),
           "cases": [dict(r.as_dict(), expected_fail=r.name in expected)
                     for r in results]}
    with open(path, "w", encoding="utf-8") as f:
        json.dump(doc, f, indent=1)
        f.write("\n")


def main(argv=None):
    args = parse_args(sys.argv[1:] if argv is None else argv)
    try:
        cases = select_cases(args)
    except UsageError as err:
        print("error: %s" % err, file=sys.stderr)
        return 2
    expected = load_expected(args.expected_fail) if args.check_expected \
        else None
    engine, source = make_engine(args)
    if args.verbose:
        print("engine %s; features (%s): %s" % (
            args.odlar, source, " ".join(sorted(engine.features)) or "-"))
    ctx = sv_exec.Context(os.path.abspath(args.odlar),
                          os.path.abspath(args.verify_dir), REPO,
                          os.path.abspath(args.outdir), engine,
                          args.timeout, args.dry_run)
    reporter = Reporter(args.verbose, expected, args.expected_fail)
    results = []
    for result in run_all(cases, ctx, args.jobs):
        results.append(result)
        reporter.add(result)
    if args.json:
        write_json(args.json, results, engine, source, reporter)
    if args.write_expected_fail:
        write_expected(args.write_expected_fail, results)
    return reporter.finish()


if __name__ == "__main__":
    try:
        sys.exit(main())
    except KeyboardInterrupt:
        sys.exit(130)
