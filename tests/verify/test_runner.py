"""Unit tests for the suricata-verify runner.

These pin down the semantics the conformance results depend on: how match
keys resolve values in eve records (dotted paths, indexes, `__len`,
operators, missing keys and nulls), how values compare (Python equality:
1 == 1.0 == True but 1 != "1"), has-key/not-has-key, version requirements
judged against 8.0.6, `minX.Y.rules` selection, argument substitution and
command construction, the shell-script detection, and the expected-fail
bookkeeping of run.py.  Run with `/usr/bin/python3 -m pytest -q tests/verify`.
"""

import os
import sys

import pytest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import run  # noqa: E402
import sv_case  # noqa: E402
import sv_exec  # noqa: E402
import sv_match  # noqa: E402
import sv_requires  # noqa: E402
from sv_match import MatchError, find_value, match_event  # noqa: E402
from sv_requires import RequiresError, Unsatisfied  # noqa: E402

EVENT = {
    "event_type": "alert",
    "src_port": 80,
    "alert": {"signature_id": 10, "signature": "ET POLICY test",
              "metadata": {"tag": ["one", "two", "three"]}},
    "dns": {"answers": [{"rrname": "a.example"}, {"rrname": "b.example"}]},
    "flow": {"age": 5, "bytes": 1.5, "alerted": True},
    "empty": None,
    "vlan": [1, 10],
    "nested": {"a": {"b": 1}},
}


def m(match):
    return match_event(match, EVENT)


# --- value lookup -----------------------------------------------------------

class TestFindValue:
    def test_dotted_path(self):
        assert find_value("alert.signature_id", EVENT) == 10

    def test_top_level(self):
        assert find_value("event_type", EVENT) == "alert"

    def test_index(self):
        assert find_value("alert.metadata.tag[1]", EVENT) == "two"
        assert find_value("dns.answers[1].rrname", EVENT) == "b.example"

    def test_index_out_of_range_is_none(self):
        assert find_value("alert.metadata.tag[3]", EVENT) is None
        assert find_value("dns.answers[5].rrname", EVENT) is None

    def test_index_on_dict_is_none(self):
        assert find_value("flow[0]", EVENT) is None

    def test_missing_key_is_none(self):
        assert find_value("alert.nope", EVENT) is None
        assert find_value("nope.deeper.still", EVENT) is None

    def test_null_value_is_none(self):
        assert find_value("empty", EVENT) is None

    def test_descending_into_null_is_an_error(self):
        with pytest.raises(MatchError):
            find_value("empty.x", EVENT)

    def test_descending_into_number_is_an_error(self):
        with pytest.raises(MatchError):
            find_value("src_port.x", EVENT)

    def test_descending_into_list_without_that_element_is_none(self):
        assert find_value("vlan.x", EVENT) is None

    def test_len_of_list_string_dict(self):
        assert find_value("alert.metadata.tag.__len", EVENT) == 3
        assert find_value("alert.signature.__len", EVENT) == 14
        assert find_value("flow.__len", EVENT) == 3

    def test_len_of_number_or_null_is_minus_one(self):
        assert find_value("src_port.__len", EVENT) == -1
        assert find_value("empty.__len", EVENT) == -1

    def test_len_of_missing_is_none(self):
        assert find_value("nope.__len", EVENT) is None

    def test_operator_suffix_stops_walk(self):
        assert find_value("alert.signature.__find", EVENT) == "ET POLICY test"
        assert find_value("flow.age.__gte", EVENT) == 5


# --- equality ---------------------------------------------------------------

class TestEquality:
    def test_int_matches_int(self):
        assert m({"alert.signature_id": 10})

    def test_int_does_not_match_string(self):
        assert not m({"alert.signature_id": "10"})
        assert not m({"event_type": 1})

    def test_python_numeric_equality(self):
        assert m({"src_port": 80.0})
        assert m({"flow.alerted": 1})
        assert m({"flow.bytes": 1.5})

    def test_list_equality(self):
        assert m({"vlan": [1, 10]})
        assert not m({"vlan": [10, 1]})
        assert not m({"vlan": [1]})

    def test_nested_dict_equality(self):
        assert m({"nested": {"a": {"b": 1}}})
        assert not m({"nested": {"a": {"b": 2}}})
        assert not m({"nested": {"a": {}}})

    def test_none_matches_missing_and_null(self):
        assert m({"nope": None})
        assert m({"empty": None})
        assert not m({"src_port": None})

    def test_missing_never_equals_a_value(self):
        assert not m({"alert.nope": 0})
        assert not m({"alert.nope": ""})

    def test_len_compares_as_integer(self):
        assert m({"alert.metadata.tag.__len": 3})
        assert not m({"alert.metadata.tag.__len": 2})
        assert not m({"alert.metadata.tag.__len": "3"})

    def test_all_entries_must_hold(self):
        assert m({"event_type": "alert", "src_port": 80})
        assert not m({"event_type": "alert", "src_port": 81})


# --- operators --------------------------------------------------------------

class TestOperators:
    def test_find(self):
        assert m({"alert.signature.__find": "POLICY"})
        assert not m({"alert.signature.__find": "policy"})

    def test_contains_string_list_dict(self):
        assert m({"alert.signature.__contains": "test"})
        assert m({"alert.metadata.tag.__contains": "two"})
        assert not m({"alert.metadata.tag.__contains": "tw"})
        assert m({"flow.__contains": "age"})

    def test_startswith_endswith(self):
        assert m({"alert.signature.__startswith": "ET "})
        assert not m({"alert.signature.__startswith": "test"})
        assert m({"alert.signature.__endswith": "test"})
        assert not m({"alert.signature.__endswith": "ET"})

    def test_numeric_comparisons(self):
        assert m({"flow.age.__gt": 4})
        assert not m({"flow.age.__gt": 5})
        assert m({"flow.age.__gte": 5})
        assert not m({"flow.age.__gte": 6})
        assert m({"flow.age.__lt": 6})
        assert not m({"flow.age.__lt": 5})
        assert m({"flow.age.__lte": 5})
        assert not m({"flow.age.__lte": 4})

    def test_operator_on_missing_value_is_an_error(self):
        with pytest.raises(MatchError):
            m({"alert.nope.__find": "x"})
        with pytest.raises(MatchError):
            m({"alert.nope.__gt": 1})
        with pytest.raises(MatchError):
            m({"alert.nope.__contains": "x"})

    def test_string_operator_on_number_is_an_error(self):
        with pytest.raises(MatchError):
            m({"src_port.__startswith": "8"})

    def test_numeric_comparison_of_string_and_int_is_an_error(self):
        with pytest.raises(MatchError):
            m({"event_type.__gt": 1})

    def test_earlier_mismatch_prevents_later_error(self):
        # Entries are evaluated in order, as upstream: event_type differs,
        # so the broken __find on a missing field is never evaluated.
        assert not m({"event_type": "dns", "alert.nope.__find": "x"})


# --- has-key / not-has-key --------------------------------------------------

class TestHasKey:
    def test_has_key(self):
        assert m({"has-key": "alert.signature"})
        assert not m({"has-key": "alert.nope"})

    def test_has_key_index(self):
        assert m({"has-key": "alert.metadata.tag[2]"})
        assert not m({"has-key": "alert.metadata.tag[3]"})

    def test_has_key_null_counts_as_absent(self):
        assert not m({"has-key": "empty"})
        assert m({"not-has-key": "empty"})

    def test_not_has_key(self):
        assert m({"not-has-key": "http"})
        assert not m({"not-has-key": "flow"})

    def test_lists_require_all(self):
        assert m({"has-key": ["flow", "alert.signature"]})
        assert not m({"has-key": ["flow", "http"]})
        assert m({"not-has-key": ["http", "tls"]})
        assert not m({"not-has-key": ["http", "flow"]})


class TestCounting:
    EVENTS = [{"event_type": "dns", "dns": {"rrname": "a"}},
              {"event_type": "dns", "dns": {"rrname": "b"}},
              {"event_type": "flow"}]

    def test_count_matches(self):
        assert sv_match.count_matches({"event_type": "dns"}, self.EVENTS) == 2
        assert sv_match.count_matches({}, self.EVENTS) == 3

    def test_closest_miss_names_the_differing_key(self):
        hint = sv_match.closest_miss(
            {"event_type": "dns", "dns.rrname": "c"}, self.EVENTS)
        assert "#1" in hint and "dns.rrname" in hint and "'c'" not in hint
        assert "= a" in hint and "expected c" in hint

    def test_closest_miss_none_when_first_key_never_matches(self):
        assert sv_match.closest_miss({"event_type": "tls"}, self.EVENTS) is None

    def test_describe_match_truncates(self):
        text = sv_match.describe_match({"a": 1, "b": "x", "c": [1], "d": 2})
        assert text == "{a: 1, b: x, c: [1], ...}"


# --- versions and requirements ----------------------------------------------

ENGINE = sv_requires.Engine("8.0.6", ["HAVE_JA3"], srcdir="/")


def satisfied(requires, engine=ENGINE):
    try:
        sv_requires.check_requires(requires, engine)
        return True
    except Unsatisfied:
        return False


class TestVersions:
    def test_parse(self):
        assert sv_requires.parse_version("8") == (8, 0, 0)
        assert sv_requires.parse_version(8.0) == (8, 0, 0)
        assert sv_requires.parse_version("7.0.12") == (7, 0, 12)
        assert sv_requires.parse_version("8.1.0-dev") == (8, 1, 0)
        assert sv_requires.parse_version("7", exact=True) == (7, None, None)
        assert sv_requires.parse_version(
            "This is Suricata version 8.0.6 RELEASE") == (8, 0, 6)

    def test_parse_garbage(self):
        with pytest.raises(RequiresError):
            sv_requires.parse_version("latest")

    def test_min_version(self):
        assert satisfied({"min-version": 7})
        assert satisfied({"min-version": 8})
        assert satisfied({"min-version": "8.0.6"})
        assert not satisfied({"min-version": "8.0.7"})
        assert not satisfied({"min-version": "8.1"})
        assert not satisfied({"min-version": 9})

    def test_lt_version(self):
        assert not satisfied({"lt-version": 8})
        assert not satisfied({"lt-version": 8.0})
        assert not satisfied({"lt-version": "8.0.6"})
        assert satisfied({"lt-version": "8.0.7"})
        assert satisfied({"lt-version": "8.1"})
        assert satisfied({"lt-version": 9})

    def test_gt_version(self):
        assert satisfied({"gt-version": "6.0.11"})
        assert satisfied({"gt-version": "8.0.5"})
        assert not satisfied({"gt-version": "8.0.6"})
        assert not satisfied({"gt-version": 9})

    def test_exact_version(self):
        assert satisfied({"version": 8})
        assert satisfied({"version": "8.0"})
        assert satisfied({"version": "8.0.6"})
        assert not satisfied({"version": "8.0.5"})
        assert not satisfied({"version": 7})
        assert not satisfied({"version": "8.1"})

    def test_combined(self):
        assert satisfied({"min-version": 8, "lt-version": "8.0.7"})
        assert not satisfied({"min-version": 8, "lt-version": "8.0.2"})

    def test_reason_names_the_requirement(self):
        with pytest.raises(Unsatisfied, match="at least version 9"):
            sv_requires.check_requires({"min-version": 9}, ENGINE)
        with pytest.raises(Unsatisfied, match="less than 8"):
            sv_requires.check_requires({"lt-version": 8}, ENGINE)


class TestRequirements:
    def test_features(self):
        assert satisfied({"features": ["HAVE_JA3"]})
        with pytest.raises(Unsatisfied, match="requires feature HAVE_LUA"):
            sv_requires.check_requires({"features": ["HAVE_JA3", "HAVE_LUA"]},
                                       ENGINE)

    def test_empty_requires(self):
        assert satisfied(None)
        assert satisfied({})

    def test_pcap_key_is_accepted(self):
        assert satisfied({"pcap": False})

    def test_unknown_key_is_an_error(self):
        with pytest.raises(RequiresError):
            sv_requires.check_requires({"bogus": 1}, ENGINE)

    def test_env(self, monkeypatch):
        monkeypatch.setenv("SV_TEST_PRESENT", "1")
        monkeypatch.delenv("SV_TEST_ABSENT", raising=False)
        assert satisfied({"env": ["SV_TEST_PRESENT"]})
        assert not satisfied({"env": ["SV_TEST_ABSENT"]})

    def test_files_relative_to_srcdir(self, tmp_path):
        (tmp_path / "src").mkdir()
        (tmp_path / "src" / "x.c").write_text("")
        engine = sv_requires.Engine(srcdir=str(tmp_path))
        assert satisfied({"files": ["src/x.c"]}, engine)
        assert not satisfied({"files": ["src/y.c"]}, engine)

    def test_script_runs_in_srcdir(self, tmp_path):
        (tmp_path / "marker").write_text("IPV4_OPT_ESEC\n")
        engine = sv_requires.Engine(srcdir=str(tmp_path))
        assert satisfied({"script": ["grep -q ESEC marker"]}, engine)
        assert not satisfied({"script": ["grep -q NOPE marker"]}, engine)

    def test_lambda_os_arch(self):
        assert satisfied({"lambda": 'sys.platform != "win32"'})
        assert not satisfied({"lambda": 'sys.platform == "win32"'})
        assert satisfied({"os": "linux"})
        assert not satisfied({"os": "windows"})
        assert not satisfied({"arch": "no-such-arch"})

    def test_check_level_shorthands(self):
        req = sv_requires.check_level_requires(
            {"requires": {"features": ["A"]}, "min-version": 7,
             "lt-version": 8, "count": 1})
        assert req == {"features": ["A"], "min-version": 7, "lt-version": 8}
        req = sv_requires.check_level_requires({"feature": "HAVE_JA4"})
        assert req == {"features": ["HAVE_JA4"]}

    def test_skip(self):
        sv_requires.check_skip(None, ENGINE)
        sv_requires.check_skip(False, ENGINE)
        with pytest.raises(Unsatisfied):
            sv_requires.check_skip(True, ENGINE)
        with pytest.raises(Unsatisfied, match="no ja3 please"):
            sv_requires.check_skip(
                [{"feature": "HAVE_JA3", "msg": "no ja3 please"}], ENGINE)
        sv_requires.check_skip([{"feature": "HAVE_LUA"}], ENGINE)
        with pytest.raises(Unsatisfied):
            sv_requires.check_skip([{"uid": os.getuid()}], ENGINE)

    def test_skip_config(self):
        engine = sv_requires.Engine(config_dump=lambda: {"a.b": "yes"})
        with pytest.raises(Unsatisfied):
            sv_requires.check_skip([{"config": {r"a\..*": "yes"}}], engine)
        sv_requires.check_skip([{"config": {r"a\..*": "no"}}], engine)

    def test_parse_build_info(self):
        text = ("This is Suricata version 8.0.6\n"
                "Features: PCAP_SET_BUFF HAVE_JA3 HAVE_JA4\n"
                "Suricata Configuration:\n"
                "  LUA support:         no\n"
                "  GeoIP2 support:      yes\n")
        assert sv_requires.parse_build_info(text) == {
            "PCAP_SET_BUFF", "HAVE_JA3", "HAVE_JA4", "GeoIP2"}

    def test_load_features_fallback(self, tmp_path):
        features, source = sv_requires.load_features(str(tmp_path / "none"))
        assert source == "fallback"
        assert features == set(sv_requires.FALLBACK_FEATURES)


class TestRuleFileVersions:
    V = sv_requires.parse_version("8.0.6")

    def test_plain_names_always_apply(self):
        assert sv_requires.rule_file_applies("test.rules", self.V)
        assert sv_requires.rule_file_applies("minimal.rules", self.V)

    def test_min_versions(self):
        assert sv_requires.rule_file_applies("min7.rules", self.V)
        assert sv_requires.rule_file_applies("/x/min8.rules", self.V)
        assert sv_requires.rule_file_applies("min8.0.6.rules", self.V)
        assert not sv_requires.rule_file_applies("min8.0.7.rules", self.V)
        assert not sv_requires.rule_file_applies("min8.1.rules", self.V)
        assert not sv_requires.rule_file_applies("min9.rules", self.V)


# --- cases and commands -----------------------------------------------------

def make_case(tmp_path, name="case", config=None, files=()):
    directory = tmp_path / "tests" / name
    directory.mkdir(parents=True)
    for f in files:
        (directory / f).write_text("alert ip any any -> any any (sid:1;)\n")
    case = sv_case.Case(name, str(directory), "suite")
    case.config = config or {}
    return case


class TestRuleSelection:
    def test_single_rule_file(self, tmp_path):
        case = make_case(tmp_path, files=["test.rules"])
        assert sv_case.rules_file(case, ENGINE.version, str(tmp_path)) \
            .endswith("/test.rules")

    def test_no_rules(self, tmp_path):
        case = make_case(tmp_path)
        assert sv_case.rules_file(case, ENGINE.version, str(tmp_path)) is None

    def test_min_rules_too_new_disables_detection(self, tmp_path):
        case = make_case(tmp_path, files=["min9.rules"])
        assert sv_case.rules_file(case, ENGINE.version, str(tmp_path)) is None

    def test_min_rules_old_enough(self, tmp_path):
        case = make_case(tmp_path, files=["min7.rules"])
        assert sv_case.rules_file(case, ENGINE.version, str(tmp_path)) \
            .endswith("/min7.rules")

    def test_several_rule_files_is_an_error(self, tmp_path):
        case = make_case(tmp_path, files=["a.rules", "b.rules"])
        with pytest.raises(sv_case.CaseError):
            sv_case.rules_file(case, ENGINE.version, str(tmp_path))

    def test_rules_path_from_config(self, tmp_path):
        other = make_case(tmp_path, "other", files=["test.rules"])
        case = make_case(tmp_path, config={"rules": "../other/test.rules"},
                         files=["ignored.rules"])
        path = sv_case.rules_file(case, ENGINE.version, str(tmp_path))
        assert path == os.path.join(other.directory, "test.rules")

    def test_inline_rules_written_to_outdir(self, tmp_path):
        text = 'alert ip any any -> any any (msg:"x"; sid:1;)\n'
        case = make_case(tmp_path, config={"rules": text})
        out = tmp_path / "out"
        out.mkdir()
        path = sv_case.rules_file(case, ENGINE.version, str(out))
        assert os.path.dirname(path) == str(out)
        assert open(path).read() == text

    def test_firewall_rules_unsupported(self, tmp_path):
        case = make_case(tmp_path, files=["firewall.rules", "td.rules"])
        assert "firewall" in sv_case.unsupported_reason(case)


class TestArgs:
    ENV = {"TEST_DIR": "/t", "OUTPUT_DIR": "/o", "SRCDIR": "/s"}

    def test_substitution_forms(self):
        assert sv_case.split_args(
            ["--set a=${TEST_DIR}/x", "--data-dir=$OUTPUT_DIR",
             "--set b=${SRCDIR}"], self.ENV) == [
            "--set", "a=/t/x", "--data-dir=/o", "--set", "b=/s"]

    def test_unknown_variables_left_alone(self):
        assert sv_case.split_args(["--set x=${NOPE}"], self.ENV) == [
            "--set", "x=${NOPE}"]

    def test_whitespace_splitting_drops_empty_tokens(self):
        assert sv_case.split_args(["-k none  --no-random"], self.ENV) == [
            "-k", "none", "--no-random"]

    def test_no_args(self):
        assert sv_case.split_args(None, self.ENV) == []

    def test_args_must_be_a_list(self):
        with pytest.raises(sv_case.CaseError):
            sv_case.split_args("-k none", self.ENV)


class TestBuildCommand:
    def test_full_command(self, tmp_path):
        case = make_case(tmp_path, "x-ips", {"args": ["-k none"]},
                         files=["test.rules"])
        (tmp_path / "tests" / "x-ips" / "input.pcap").write_text("")
        (tmp_path / "tests" / "x-ips" / "suricata.yaml").write_text("")
        env = sv_case.case_env(case, "/out", "/src", base={})
        argv = sv_case.build_command(case, "/bin/odlar", "/v", "/out", env,
                                     ENGINE.version)
        d = case.directory
        assert argv == [
            "/bin/odlar", "-k", "none",
            "--set", "classification-file=/v/etc/classification.config",
            "--set", "reference-config-file=/v/etc/reference.config",
            "--init-errors-fatal", "-l", "/out", "--simulate-ips",
            "-c", d + "/suricata.yaml", "-r", d + "/input.pcap",
            "-S", d + "/test.rules"]

    def test_minimal_command(self, tmp_path):
        case = make_case(tmp_path, "plain", {"pcap": False})
        argv = sv_case.build_command(case, "o", "/v", "/out", {},
                                     ENGINE.version)
        assert "--simulate-ips" not in argv and "-c" not in argv
        assert "-r" not in argv and argv[-1] == "--disable-detection"

    def test_pcap_from_config(self, tmp_path):
        other = make_case(tmp_path, "other")
        (tmp_path / "tests" / "other" / "cap.pcap").write_text("")
        case = make_case(tmp_path, "c", {"pcap": "../other/cap.pcap"})
        assert sv_case.find_pcap(case) == os.path.join(
            other.directory, "cap.pcap")

    def test_missing_pcap_is_an_error(self, tmp_path):
        case = make_case(tmp_path, "c", {"pcap": "nope.pcap"})
        with pytest.raises(sv_case.CaseError):
            sv_case.find_pcap(case)

    def test_pcap_requirement(self, tmp_path):
        case = make_case(tmp_path, "c", {})
        with pytest.raises(Unsatisfied):
            sv_case.check_pcap_present(case)
        case.config = {"requires": {"pcap": False}}
        sv_case.check_pcap_present(case)
        case.config = {"pcap": False}
        sv_case.check_pcap_present(case)

    def test_env(self, tmp_path):
        case = make_case(tmp_path, "c", {"env": {"SURICATA_EVE_DNS_VERSION": 2}})
        env = sv_case.case_env(case, "/o", "/s", base={"ASAN_OPTIONS": "x"})
        assert env["TZ"] == "UTC" and env["ASAN_OPTIONS"] == "x"
        assert env["SURICATA_EVE_DNS_VERSION"] == "2"
        assert env["TEST_DIR"] == case.directory and env["OUTPUT_DIR"] == "/o"


class TestCaseLookup:
    def test_resolve_and_discover(self, tmp_path):
        suite, regress = tmp_path / "suite", tmp_path / "regress"
        (suite / "group" / "inner").mkdir(parents=True)
        (suite / "group" / "inner" / "test.yaml").write_text("")
        (regress / "mine").mkdir(parents=True)
        (regress / "mine" / "a.pcap").write_text("")
        roots = [(str(suite), "suite"), (str(regress), "regress")]
        assert sv_case.resolve("group/inner", roots).origin == "suite"
        assert sv_case.resolve("mine/", roots).origin == "regress"
        assert sv_case.resolve("group", roots) is None
        assert sv_case.resolve("../suite/group/inner", roots) is None
        assert sv_case.discover(str(suite)) == ["group/inner"]

    def test_name_list(self, tmp_path):
        path = tmp_path / "list"
        path.write_text("# comment\na\n\nb  # why\n  c/d\n")
        assert sv_case.read_name_list(str(path)) == ["a", "b", "c/d"]


class TestShellScripts:
    def test_detects_missing_scripts(self, tmp_path):
        case_dir, out = str(tmp_path), str(tmp_path / "out")
        env = {"TEST_DIR": case_dir}
        assert sv_exec.missing_script("./check.sh", case_dir, out, env) \
            == "./check.sh"
        assert sv_exec.missing_script("python3 ${TEST_DIR}/v.py eve.json",
                                      case_dir, out, env) == case_dir + "/v.py"
        (tmp_path / "v.py").write_text("")
        assert sv_exec.missing_script("python3 ${TEST_DIR}/v.py", case_dir,
                                      out, env) is None

    def test_ordinary_commands_are_not_scripts(self, tmp_path):
        for args in ['grep "x.py" suricata.log | wc -l | xargs',
                     'python3 -c "import json; print(1)"',
                     'test -e filestore/aa/bb', 'cat ${TEST_DIR}/a.csv']:
            assert sv_exec.missing_script(args, str(tmp_path), str(tmp_path),
                                          {"TEST_DIR": "/t"}) is None


# --- run.py bookkeeping -----------------------------------------------------

class FakeResult:
    def __init__(self, name, status, reason=""):
        self.name, self.status, self.reason = name, status, reason


class TestExpectedFail:
    def test_load(self, tmp_path):
        path = tmp_path / "xf.txt"
        path.write_text("# header\n\ndns/a   reason one\nb\tsecond reason\nc\n")
        assert run.load_expected(str(path)) == {
            "dns/a": "reason one", "b": "second reason", "c": ""}

    def test_expected_failure_is_tolerated(self, capsys):
        rep = run.Reporter(False, {"a": "known"}, "xf.txt")
        rep.add(FakeResult("a", "fail", "boom"))
        rep.add(FakeResult("b", "pass"))
        assert rep.finish() == 0
        out = capsys.readouterr().out.splitlines()
        assert out == ["expected failures: 1", "1 passed, 0 failed, 0 skipped"]

    def test_unexpected_failure_and_xpass_fail_the_run(self, capsys):
        rep = run.Reporter(False, {"a": "known"}, "xf.txt")
        rep.add(FakeResult("a", "pass"))
        assert rep.finish() == 1
        assert "XPASS a: remove from xf.txt" in capsys.readouterr().out
        rep = run.Reporter(False, {}, "xf.txt")
        rep.add(FakeResult("c", "fail", "why"))
        assert rep.finish() == 1
        out = capsys.readouterr().out.splitlines()
        assert out[0] == "FAIL c: why"
        assert out[-1] == "0 passed, 1 failed, 0 skipped"

    def test_plain_mode_summary(self, capsys):
        rep = run.Reporter(True)
        rep.add(FakeResult("s", "skip", "requires feature X"))
        assert rep.finish() == 0
        out = capsys.readouterr().out.splitlines()
        assert out == ["SKIP s: requires feature X",
                       "0 passed, 0 failed, 1 skipped"]

    def test_write_sorted(self, tmp_path):
        path = tmp_path / "out.txt"
        run.write_expected(str(path), [
            FakeResult("z", "fail", "late\nreason"), FakeResult("p", "pass"),
            FakeResult("a", "fail", "early")])
        lines = [l for l in path.read_text().splitlines()
                 if not l.startswith("#")]
        assert lines == ["a  early", "z  late reason"]
        assert run.load_expected(str(path)) == {"a": "early",
                                                "z": "late reason"}
