"""deploy/: the systemd unit and the nginx site pass their own tools' checks.

`systemd-analyze verify` and `nginx -t` run against the shipped files (paths that only exist on
a server swapped for this checkout's). .ci/run installs the tools from Debian's packages when
they are missing; elsewhere a missing tool skips with the package to install.
The certificate in this folder is self-signed for bot.example.com and used by `nginx -t` only.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import PROJECT

DEPLOY = PROJECT / "deploy"
HERE = Path(__file__).resolve().parent


def tool(name: str, package: str) -> str:
    found = shutil.which(name) or shutil.which(name, path="/usr/sbin:/sbin:/usr/bin")
    if found is None:
        pytest.skip(f"{name} is not installed: apt-get install -y {package} (.ci/run does)")
    return found


def directives(text: str) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for line in text.splitlines():
        if "=" in line and not line.lstrip().startswith(("#", "[")):
            key, _, value = line.partition("=")
            found.setdefault(key.strip(), []).append(value.strip())
    return found


def unit_for_this_machine(tmp_path: Path) -> Path:
    """The shipped unit with ExecStart pointing at this checkout's installed newsbot."""
    newsbot = Path(sys.executable).parent / "newsbot"
    assert newsbot.exists(), "install the project first (pip install -e .)"
    text = (DEPLOY / "newsbot.service").read_text()
    assert "/srv/newsbot/.venv/bin/newsbot" in text
    unit = tmp_path / "newsbot.service"
    unit.write_text(text.replace("/srv/newsbot/.venv/bin/newsbot", str(newsbot)))
    return unit


def test_the_systemd_unit_is_hardened() -> None:
    found = directives((DEPLOY / "newsbot.service").read_text())
    assert found["DynamicUser"] == ["yes"]
    assert found["ProtectSystem"] == ["strict"]
    assert found["Restart"] == ["on-failure"]
    assert found["EnvironmentFile"] == ["/etc/newsbot/newsbot.env"]
    assert found["NoNewPrivileges"] == ["yes"]
    assert found["CapabilityBoundingSet"] == [""]
    assert found["ExecStart"][0].endswith("newsbot --webhook")


def test_systemd_analyze_verifies_the_unit(tmp_path: Path) -> None:
    analyze = tool("systemd-analyze", "systemd")
    unit = unit_for_this_machine(tmp_path)
    checked = subprocess.run(
        [analyze, "verify", str(unit)], capture_output=True, text=True, timeout=60
    )
    # Unknown keys and bad values are only warnings (exit 0): any output at all is a failure.
    assert checked.returncode == 0 and not checked.stderr.strip(), checked.stderr
    assert not checked.stdout.strip(), checked.stdout


def test_systemd_rates_the_units_exposure_low(tmp_path: Path) -> None:
    analyze = tool("systemd-analyze", "systemd")
    unit = unit_for_this_machine(tmp_path)
    rated = subprocess.run(
        [analyze, "security", "--offline=true", "--threshold=25", "--no-pager", str(unit)],
        capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert rated.returncode == 0, rated.stdout[-600:] + rated.stderr  # exposure 2.5 at most


def test_nginx_accepts_the_site(tmp_path: Path) -> None:
    nginx = tool("nginx", "nginx")
    site = (DEPLOY / "nginx-newsbot.conf").read_text()
    certificate = "/etc/letsencrypt/live/bot.example.com/fullchain.pem"
    key = "/etc/letsencrypt/live/bot.example.com/privkey.pem"
    assert certificate in site and key in site
    site = site.replace(certificate, str(HERE / "selfsigned-cert.pem"))
    (tmp_path / "site.conf").write_text(site.replace(key, str(HERE / "selfsigned-key.pem")))
    (tmp_path / "nginx.conf").write_text(
        f"pid {tmp_path}/nginx.pid;\nerror_log {tmp_path}/error.log;\nevents {{}}\n"
        f"http {{\n    access_log off;\n    include {tmp_path}/site.conf;\n}}\n"
    )
    checked = subprocess.run(
        [nginx, "-t", "-p", str(tmp_path), "-c", str(tmp_path / "nginx.conf")],
        capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert checked.returncode == 0, checked.stderr
    assert "[warn]" not in checked.stderr and "[emerg]" not in checked.stderr, checked.stderr
    assert "test is successful" in checked.stderr


def test_the_nginx_site_limits_size_and_time() -> None:
    site = (DEPLOY / "nginx-newsbot.conf").read_text()
    for directive in (
        "client_max_body_size 1m;",
        "client_header_timeout 10s;",
        "client_body_timeout 10s;",
        "proxy_read_timeout 30s;",
        "ssl_protocols TLSv1.2 TLSv1.3;",
        "location = /telegram/hook",
    ):
        assert directive in site
