"""Production settings: every secret from the environment, `check --deploy` clean."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PRODUCTION_ENV = {
    "DJANGO_SETTINGS_MODULE": "config.settings.production",
    "SECRET_KEY": "a-long-random-production-secret-key-for-the-deploy-check-0123456789",
    "ALLOWED_HOSTS": "clinic.example.org",
    "DATABASE_URL": "postgres://clinic:secret@127.0.0.1:5432/clinic",
    "REDIS_URL": "redis://127.0.0.1:6379/0",
    "WAGTAILADMIN_BASE_URL": "https://clinic.example.org",
}


# Test-only variables (the browser tests set DJANGO_ALLOW_ASYNC_UNSAFE) never reach production.
NOT_IN_PRODUCTION = {*PRODUCTION_ENV, "DJANGO_ALLOW_ASYNC_UNSAFE"}


def run_manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    clean = {key: value for key, value in os.environ.items() if key not in NOT_IN_PRODUCTION}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_deploy_is_clean_with_production_settings():
    result = run_manage("check", "--deploy", "--fail-level", "WARNING", env=PRODUCTION_ENV)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_missing_required_setting_stops_start_up_with_a_clear_message():
    for name in ("SECRET_KEY", "ALLOWED_HOSTS", "DATABASE_URL", "WAGTAILADMIN_BASE_URL"):
        env = {key: value for key, value in PRODUCTION_ENV.items() if key != name}
        result = run_manage("check", env=env)
        assert result.returncode != 0
        assert f"The environment variable {name} must be set for production" in result.stderr


def test_production_uses_redis_and_the_database_url():
    code = (
        "import django; django.setup(); from django.conf import settings as s; "
        "print(s.CACHES['default']['BACKEND']); print(s.DATABASES['default']['ENGINE']); "
        "print(s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SECURE_HSTS_SECONDS > 0)"
    )
    clean = {key: value for key, value in os.environ.items() if key not in NOT_IN_PRODUCTION}
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={**clean, **PRODUCTION_ENV},
        capture_output=True,
        text=True,
        timeout=60,
    )
    lines = result.stdout.split("\n")
    assert lines[0] == "config.cache.PooledRedisCache", result.stderr
    assert lines[1] == "django.db.backends.postgresql"
    assert lines[2] == "True True True"
