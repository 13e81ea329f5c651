"""E-mail settings: the console by default; SMTP as soon as EMAIL_HOST names a server; the port
follows the encryption chosen; contradictory settings stop the start."""

import os
import subprocess
import sys

from django.conf import settings

PRINT = (
    "import filing.settings as s; "
    "print(s.EMAIL_BACKEND, s.EMAIL_HOST, s.EMAIL_PORT, s.EMAIL_USE_TLS, s.EMAIL_USE_SSL)"
)
EMAIL_VARIABLES = {
    "EMAIL_BACKEND",
    "EMAIL_HOST",
    "EMAIL_PORT",
    "EMAIL_USE_TLS",
    "EMAIL_USE_SSL",
}


def settings_with(**env):
    base = {k: v for k, v in os.environ.items() if k not in EMAIL_VARIABLES}
    return subprocess.run(
        [sys.executable, "-c", PRINT],
        cwd=settings.BASE_DIR,
        env={**base, **env},
        capture_output=True,
        text=True,
        check=False,
    )


def test_mail_goes_to_the_console_unless_a_server_is_named():
    out = settings_with().stdout.split()
    assert out[0] == "django.core.mail.backends.console.EmailBackend"


def test_naming_a_server_sends_by_smtp_with_starttls_on_587():
    out = settings_with(EMAIL_HOST="smtp.example.cn", EMAIL_USE_TLS="true").stdout.split()
    assert out == [
        "django.core.mail.backends.smtp.EmailBackend",
        "smtp.example.cn",
        "587",
        "True",
        "False",
    ]


def test_ssl_defaults_to_465_and_an_explicit_port_wins():
    assert settings_with(EMAIL_HOST="mx", EMAIL_USE_SSL="1").stdout.split()[2] == "465"
    assert settings_with(EMAIL_HOST="mx", EMAIL_PORT="2525").stdout.split()[2] == "2525"


def test_an_explicit_backend_overrides_the_choice():
    out = settings_with(
        EMAIL_HOST="mx", EMAIL_BACKEND="django.core.mail.backends.filebased.EmailBackend"
    ).stdout.split()
    assert out[0] == "django.core.mail.backends.filebased.EmailBackend"


def test_tls_and_ssl_together_are_refused():
    result = settings_with(EMAIL_HOST="mx", EMAIL_USE_TLS="1", EMAIL_USE_SSL="1")
    assert result.returncode != 0
    assert "EMAIL_USE_TLS or EMAIL_USE_SSL" in result.stderr
