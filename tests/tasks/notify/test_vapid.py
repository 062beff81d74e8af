"""The VAPID key: generated once into the data dir (0600) or given; a bad subject stops start."""

import base64
import logging
import stat

import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from pydantic import ValidationError

from tasklive.config import Settings
from tasklive.tasks.notify.vapid import KEY_FILE, VapidKeyError, VapidSigner


def _settings(tmp_path, **values) -> Settings:  # type: ignore[no-untyped-def]
    return Settings(_env_file=None, data_dir=tmp_path, **values)


def test_a_key_is_generated_once_and_kept_private(tmp_path):
    first = VapidSigner.from_settings(_settings(tmp_path))
    again = VapidSigner.from_settings(_settings(tmp_path))
    assert first.public_key == again.public_key
    assert stat.S_IMODE((tmp_path / KEY_FILE).stat().st_mode) == 0o600


@pytest.mark.parametrize("form", ["raw", "pem"])
def test_a_configured_key_is_used_raw_or_pem(tmp_path, form):
    key = ec.generate_private_key(ec.SECP256R1())
    if form == "raw":
        number = key.private_numbers().private_value.to_bytes(32, "big")
        value = base64.urlsafe_b64encode(number).rstrip(b"=").decode()
    else:
        value = key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        ).decode()
    signer = VapidSigner.from_settings(_settings(tmp_path, vapid_private_key=value))
    point = key.public_key().public_bytes(
        serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
    )
    assert signer.public_key == base64.urlsafe_b64encode(point).rstrip(b"=").decode()
    assert not (tmp_path / KEY_FILE).exists()


def test_a_key_that_is_not_a_p256_key_is_refused(tmp_path):
    with pytest.raises(VapidKeyError, match="32 bytes"):
        VapidSigner.from_settings(_settings(tmp_path, vapid_private_key="c2hvcnQ"))


@pytest.mark.parametrize("subject", ["admin@example.com", "http://example.com", "mailto:"])
def test_a_subject_push_services_refuse_stops_start_up(tmp_path, subject):
    with pytest.raises(ValidationError, match="mailto: or https://"):
        _settings(tmp_path, vapid_subject=subject)


def _subject(signer: VapidSigner) -> str:
    """The `sub` of the JWT a push service is shown."""
    token = signer.authorization("https://push.example.net").split("t=", 1)[1].split(",")[0]
    return str(jwt.decode(token, options={"verify_signature": False})["sub"])


def test_without_a_subject_the_pages_https_address_is_the_contact(tmp_path, caplog):
    signer = VapidSigner.from_settings(_settings(tmp_path, public_url="https://tasks.example.com/"))
    assert _subject(signer) == "https://tasks.example.com"
    assert "VAPID" not in caplog.text


@pytest.mark.parametrize(
    ("values", "subject"),
    [
        ({}, "mailto:tasklive@localhost"),
        ({"public_url": "http://192.168.1.20:8000"}, "mailto:tasklive@localhost"),
        ({"vapid_subject": "mailto:me@nas.local"}, "mailto:me@nas.local"),
        ({"vapid_subject": "https://tasks.invalid"}, "https://tasks.invalid"),
    ],
)
def test_a_subject_apple_refuses_is_warned_about_at_start(tmp_path, caplog, values, subject):
    with caplog.at_level(logging.WARNING):
        signer = VapidSigner.from_settings(_settings(tmp_path, **values))
    assert _subject(signer) == subject
    assert "TASKLIVE_VAPID_SUBJECT" in caplog.text and "Apple" in caplog.text


def test_a_reachable_subject_is_used_without_a_warning(tmp_path, caplog):
    with caplog.at_level(logging.WARNING):
        signer = VapidSigner.from_settings(
            _settings(tmp_path, vapid_subject="mailto:admin@example.org")
        )
    assert _subject(signer) == "mailto:admin@example.org"
    assert caplog.text == ""
