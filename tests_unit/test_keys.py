import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa

from tools import keys


def _pem(key, password=None):
    encryption = (
        serialization.BestAvailableEncryption(password)
        if password
        else serialization.NoEncryption()
    )
    return key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, encryption
    ).decode()


@pytest.fixture(scope="module")
def rsa_pem():
    return _pem(rsa.generate_private_key(public_exponent=65537, key_size=2048))


def test_valid_rsa_key_loads_and_gives_its_public_half(rsa_pem):
    assert keys.load_rsa_private_key(rsa_pem).key_size == 2048
    public = keys.public_key_pem(rsa_pem)
    assert public.startswith("-----BEGIN PUBLIC KEY-----")
    assert "PRIVATE" not in public


@pytest.mark.parametrize(
    ("pem", "reason"),
    [
        ("", "empty"),
        ("   \n", "empty"),
        ("-----BEGIN PRIVATE KEY-----\nnot base64\n-----END PRIVATE KEY-----", "format"),
        ("just some text", "format"),
    ],
)
def test_malformed_keys_are_refused_with_a_reason(pem, reason):
    with pytest.raises(keys.InvalidKey) as info:
        keys.load_rsa_private_key(pem)
    assert info.value.reason == reason


def test_encrypted_small_and_non_rsa_keys_are_refused():
    encrypted = _pem(rsa.generate_private_key(65537, 2048), password=b"secret")
    with pytest.raises(keys.InvalidKey) as info:
        keys.load_rsa_private_key(encrypted)
    assert info.value.reason == "encrypted"

    small = _pem(rsa.generate_private_key(65537, 1024))
    with pytest.raises(keys.InvalidKey) as info:
        keys.load_rsa_private_key(small)
    assert (info.value.reason, info.value.bits) == ("too_small", 1024)

    with pytest.raises(keys.InvalidKey) as info:
        keys.load_rsa_private_key(_pem(ec.generate_private_key(ec.SECP256R1())))
    assert info.value.reason == "not_rsa"


@pytest.mark.parametrize(
    ("client_id", "valid"),
    [
        ("2f6c7a4e-1b3d-4c5e-9f00-112233445566", True),
        (" 2F6C7A4E-1B3D-4C5E-9F00-112233445566 ", True),
        ("", False),
        (None, False),
        ("my-client", False),
        ("2f6c7a4e1b3d4c5e9f00112233445566", False),
    ],
)
def test_client_id_must_be_a_uuid(client_id, valid):
    assert keys.is_valid_client_id(client_id) is valid
