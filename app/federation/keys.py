"""Signing keys: an RSA-2048 pair per local user, made when first needed and
kept server-side (``ActorKey``); the site's own actor has one too."""

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from sqlalchemy import select

from app.extensions import db
from app.models import ActorKey, User

KEY_SIZE = 2048


def new_key_pair() -> tuple[str, str]:
    """A fresh (public PEM, private PEM) pair."""
    private = rsa.generate_private_key(public_exponent=65537, key_size=KEY_SIZE)
    private_pem = private.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption()).decode()
    public_pem = private.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo).decode()
    return public_pem, private_pem


def key_of(user: User | None) -> ActorKey:
    """The key of ``user`` (None: the site's actor), made and added to the session
    the first time; the caller commits."""
    user_id = user.id if user is not None else None
    query = select(ActorKey).where(ActorKey.user_id.is_(None) if user_id is None
                                   else ActorKey.user_id == user_id)
    key = db.session.scalar(query)
    if key is None:
        public_pem, private_pem = new_key_pair()
        key = ActorKey(user_id=user_id, public_pem=public_pem, private_pem=private_pem)
        db.session.add(key)
        db.session.flush()
        db.session.info.setdefault("flasky_new_keys", set()).add(key.id)
    return key


def load_private_key(pem: str) -> rsa.RSAPrivateKey:
    key = serialization.load_pem_private_key(pem.encode(), password=None)
    if not isinstance(key, rsa.RSAPrivateKey):
        raise ValueError("not an RSA private key")
    return key


def load_public_key(pem: str) -> rsa.RSAPublicKey:
    """The RSA public key in ``pem``; ValueError for anything else."""
    try:
        key = serialization.load_pem_public_key(pem.encode())
    except (ValueError, TypeError) as error:
        raise ValueError("not a PEM public key") from error
    if not isinstance(key, rsa.RSAPublicKey):
        raise ValueError("not an RSA public key")
    return key


def key_before_asking(user: User | None) -> ActorKey:
    """``key_of`` for code about to wait on another server, which may fetch the
    actor back (to check the signature): a new key is committed first, so that
    fetch does not wait on this transaction. Call it before writing anything."""
    key = key_of(user)
    if key.id in db.session.info.get("flasky_new_keys", ()):
        db.session.commit()
        db.session.info.pop("flasky_new_keys", None)
    return key
