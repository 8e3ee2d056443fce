from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from odoo.tests import new_test_user

_KEY_CACHE = {}


def rsa_private_pem(bits=2048, name="default"):
    """A fresh RSA key in PEM, generated once per test run and name."""
    if (name, bits) not in _KEY_CACHE:
        key = rsa.generate_private_key(public_exponent=65537, key_size=bits)
        _KEY_CACHE[name, bits] = key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        ).decode()
    return _KEY_CACHE[name, bits]


CLIENT_ID = "2f6c7a4e-1b3d-4c5e-9f00-112233445566"
OTHER_CLIENT_ID = "9a8b7c6d-5e4f-4a3b-8c2d-1e0f99887766"


def create_accountant(env, login, companies, manager=False):
    """An accountant (or accounting manager) who is not a system administrator."""
    group = "account.group_account_manager" if manager else "account.group_account_user"
    return new_test_user(
        env,
        login=login,
        groups=f"base.group_user,{group}",
        company_id=companies[0].id,
        company_ids=[(6, 0, companies.ids)],
    )
