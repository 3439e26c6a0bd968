"""`make install` into a staging folder (DESTDIR), and what it puts there.

Checks that the binaries, /etc/odlar/odlar.yaml, classification.config,
reference.config, /etc/default/odlar, the logrotate file, the systemd unit
and the man page are installed; that odlar.yaml is the built-in defaults
(`--dump-config` gives the same tree, plus the control socket section);
that the man page renders with `man -l`; that the unit passes
`systemd-analyze verify` (its ExecStart pointed at the staged binary); and
that a re-install keeps a changed odlar.yaml. A tool that is missing skips
its check with the reason. The build folder is the one of $ODLAR (default
build/odlar)."""
import os
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
ODLAR = Path(os.environ.get("ODLAR", ROOT / "build" / "odlar")).resolve()
PREFIX = "/usr/local"


@pytest.fixture(scope="module")
def staged(tmp_path_factory):
    dest = tmp_path_factory.mktemp("destdir")
    build = os.path.relpath(ODLAR.parent, ROOT)
    r = subprocess.run(["make", "-s", "install", f"BUILD={build}", f"DESTDIR={dest}", f"PREFIX={PREFIX}"],
                       cwd=ROOT, capture_output=True, text=True, timeout=1200)
    assert r.returncode == 0, r.stdout + r.stderr
    return dest


def test_files_installed(staged):
    for rel in ("usr/local/bin/odlar", "usr/local/bin/odlarctl"):
        assert os.access(staged / rel, os.X_OK), rel
    for rel in ("etc/odlar/odlar.yaml", "etc/odlar/classification.config", "etc/odlar/reference.config",
                "etc/default/odlar", "etc/logrotate.d/odlar", "usr/local/lib/systemd/system/odlar.service",
                "usr/local/share/man/man8/odlar.8"):
        assert (staged / rel).is_file(), rel
    assert (staged / "var/lib/odlar/rules").is_dir()
    unit = (staged / "usr/local/lib/systemd/system/odlar.service").read_text()
    assert "ExecStart=/usr/local/bin/odlar -c /etc/odlar/odlar.yaml -i ${ODLAR_IFACE}" in unit
    assert "ExecReload=/bin/kill -USR2 $MAINPID" in unit and "--pidfile /run/odlar/odlar.pid" in unit
    assert "@" not in unit.replace("@YAML", "")
    rotate = (staged / "etc/logrotate.d/odlar").read_text()
    assert "postrotate" in rotate and "kill -HUP" in rotate


def test_config_is_the_defaults(staged):
    odlar = staged / "usr/local/bin/odlar"
    plain = subprocess.run([str(odlar), "--dump-config"], capture_output=True, text=True, check=True).stdout
    conf = subprocess.run([str(odlar), "-c", str(staged / "etc/odlar/odlar.yaml"), "--dump-config"],
                          capture_output=True, text=True, check=True).stdout
    extra = [line for line in conf.splitlines() if line not in plain.splitlines()]
    assert conf.splitlines()[:len(plain.splitlines())] == plain.splitlines()
    assert extra == ["unix-command = (null)", "unix-command.enabled = auto",
                     "unix-command.filename = odlar-command.socket"]
    assert "default-rule-path = /var/lib/odlar/rules" in conf


def test_man_page_renders(staged):
    if not shutil.which("man"):
        pytest.skip("man is not installed")
    r = subprocess.run(["man", "-l", str(staged / "usr/local/share/man/man8/odlar.8")], capture_output=True,
                       text=True, env={**os.environ, "MANPAGER": "cat", "PAGER": "cat", "MANWIDTH": "80"})
    assert r.returncode == 0, r.stderr
    assert "odlarctl" in r.stdout and "SIGUSR2" in r.stdout


def test_unit_verifies(staged, tmp_path):
    if not shutil.which("systemd-analyze"):
        pytest.skip("systemd-analyze is not installed")
    unit = (staged / "usr/local/lib/systemd/system/odlar.service").read_text()
    (tmp_path / "odlar.service").write_text(unit.replace("/usr/local/bin/", f"{staged}/usr/local/bin/"))
    env = {**os.environ, "MANPATH": str(staged / "usr/local/share/man")}
    r = subprocess.run(["systemd-analyze", "verify", str(tmp_path / "odlar.service")], capture_output=True,
                       text=True, env=env, timeout=60)
    assert r.returncode == 0, r.stdout + r.stderr


def test_reinstall_keeps_changed_config(staged):
    conf = staged / "etc/odlar/odlar.yaml"
    conf.write_text(conf.read_text() + "\n# changed by the admin\n")
    build = os.path.relpath(ODLAR.parent, ROOT)
    r = subprocess.run(["make", "-s", "install", f"BUILD={build}", f"DESTDIR={staged}", f"PREFIX={PREFIX}"],
                       cwd=ROOT, capture_output=True, text=True, timeout=1200)
    assert r.returncode == 0, r.stderr
    assert conf.read_text().endswith("# changed by the admin\n")
