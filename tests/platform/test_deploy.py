"""The deploy/ folder: each systemd unit parses (systemd-analyze verify), the Compose file is valid
YAML naming every process, and the checklist names every setting the units rely on."""

import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

DEPLOY = Path(__file__).resolve().parents[2] / "deploy"
UNITS = sorted((DEPLOY / "systemd").glob("*.service"))


def test_there_is_a_unit_per_process():
    assert [unit.stem for unit in UNITS] == [
        "privacy-office-beat",
        "privacy-office-web",
        "privacy-office-worker",
    ]


@pytest.mark.parametrize("unit", UNITS, ids=lambda unit: unit.name)
def test_each_systemd_unit_verifies(unit, tmp_path):
    if not shutil.which("systemd-analyze"):
        pytest.skip("systemd-analyze is not installed on this machine (apt-get install systemd)")
    # verify checks that ExecStart's program exists: give it the layout the unit expects.
    text = unit.read_text().replace("/opt/privacy-office/.venv/bin/", f"{tmp_path}/bin/")
    (tmp_path / "bin").mkdir()
    for program in ("gunicorn", "celery"):
        (tmp_path / "bin" / program).write_text("#!/bin/sh\n")
        (tmp_path / "bin" / program).chmod(0o755)
    copy = tmp_path / unit.name
    copy.write_text(text)
    result = subprocess.run(
        ["systemd-analyze", "verify", "--man=no", str(copy)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    problems = [
        line
        for line in (result.stdout + result.stderr).splitlines()
        if unit.name in line or "Unknown" in line
    ]
    assert result.returncode == 0 and not problems, result.stdout + result.stderr


def test_the_compose_file_runs_every_process_twice_on_one_database():
    compose = yaml.safe_load((DEPLOY / "compose.yaml").read_text())
    services = compose["services"]
    assert {"db", "redis", "web1", "web2", "worker1", "worker2", "beat1", "beat2"} <= set(services)
    assert "gunicorn" in services["web2"]["command"]
    assert services["beat2"]["environment"]["CELERY_BROKER_URL"].startswith("redis://")


def test_the_checklist_names_every_production_setting():
    checklist = (DEPLOY / "CHECKLIST.md").read_text()
    for variable in (
        "SECRET_KEY",
        "STORAGE_URL",
        "FILE_ENCRYPTION_KEYS",
        "METRICS_TOKEN",
        "CELERY_BROKER_URL",
        "DATABASE_URL",
        "/health/",
    ):
        assert variable in checklist
