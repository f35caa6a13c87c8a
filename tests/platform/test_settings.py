import os
import subprocess
import sys
from pathlib import Path

from django.conf import settings
from django.db import connection

ROOT = Path(__file__).resolve().parents[2]


def test_database_follows_database_url():
    expected = (
        "postgresql" if os.environ.get("DATABASE_URL", "").startswith("postgres") else "sqlite"
    )
    assert connection.vendor == expected


def test_broker_follows_celery_broker_url():
    expected = os.environ.get("CELERY_BROKER_URL", "filesystem://")
    assert expected == settings.CELERY_BROKER_URL


def test_amsterdam_time_and_dutch_first():
    assert settings.TIME_ZONE == "Europe/Amsterdam" and settings.USE_TZ
    assert [code for code, _ in settings.LANGUAGES] == ["nl", "en"]
    assert settings.LANGUAGE_CODE == "nl"


def run_check_deploy(**environment):
    env = {**os.environ, **environment}
    for name in ("DATABASE_URL", "SECRET_KEY"):
        if name not in environment:
            env.pop(name, None)
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )


def test_production_settings_pass_check_deploy():
    result = run_check_deploy(
        DEBUG="false",
        SECRET_KEY="a-real-production-key-" + "k7Q2" * 12,
        ALLOWED_HOSTS="privacy.rezulto.nl",
    )
    assert result.returncode == 0, result.stderr


def test_production_refuses_to_start_without_a_secret_key():
    result = run_check_deploy(DEBUG="false", ALLOWED_HOSTS="privacy.rezulto.nl")
    assert result.returncode != 0
