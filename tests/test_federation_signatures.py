"""HTTP Signatures: the fixed vectors of draft-cavage-http-signatures (its
Appendix C test key and request), and the checks the inbox relies on."""

import base64
import unittest
from datetime import UTC, datetime, timedelta

from app.federation.keys import load_private_key, load_public_key, new_key_pair
from app.federation.signatures import (
    SignatureError,
    digest_header,
    parse_signature,
    sign,
    signing_string,
    verify,
)
from tests.base import FlaskyTestCase

# The test key pair of draft-cavage-http-signatures, Appendix C.
DRAFT_PRIVATE_KEY = """-----BEGIN RSA PRIVATE KEY-----
MIICXgIBAAKBgQDCFENGw33yGihy92pDjZQhl0C36rPJj+CvfSC8+q28hxA161QF
NUd13wuCTUcq0Qd2qsBe/2hFyc2DCJJg0h1L78+6Z4UMR7EOcpfdUE9Hf3m/hs+F
UR45uBJeDK1HSFHD8bHKD6kv8FPGfJTotc+2xjJwoYi+1hqp1fIekaxsyQIDAQAB
AoGBAJR8ZkCUvx5kzv+utdl7T5MnordT1TvoXXJGXK7ZZ+UuvMNUCdN2QPc4sBiA
QWvLw1cSKt5DsKZ8UETpYPy8pPYnnDEz2dDYiaew9+xEpubyeW2oH4Zx71wqBtOK
kqwrXa/pzdpiucRRjk6vE6YY7EBBs/g7uanVpGibOVAEsqH1AkEA7DkjVH28WDUg
f1nqvfn2Kj6CT7nIcE3jGJsZZ7zlZmBmHFDONMLUrXR/Zm3pR5m0tCmBqa5RK95u
412jt1dPIwJBANJT3v8pnkth48bQo/fKel6uEYyboRtA5/uHuHkZ6FQF7OUkGogc
mSJluOdc5t6hI1VsLn0QZEjQZMEOWr+wKSMCQQCC4kXJEsHAve77oP6HtG/IiEn7
kpyUXRNvFsDE0czpJJBvL/aRFUJxuRK91jhjC68sA7NsKMGg5OXb5I5Jj36xAkEA
gIT7aFOYBFwGgQAQkWNKLvySgKbAZRTeLBacpHMuQdl1DfdntvAyqpAZ0lY0RKmW
G6aFKaqQfOXKCyWoUiVknQJAXrlgySFci/2ueKlIE1QqIiLSZ8V8OlpFLRnb1pzI
7U1yQXnTAEFYM560yJlzUpOb1V4cScGd365tiSMvxLOvTA==
-----END RSA PRIVATE KEY-----"""
DRAFT_DATE = "Sun, 05 Jan 2014 21:31:40 GMT"
DRAFT_NOW = datetime(2014, 1, 5, 21, 31, 40, tzinfo=UTC)
DRAFT_BODY = b'{"hello": "world"}'
DRAFT_PATH = "/foo?param=value&pet=dog"
DRAFT_HEADERS = {"host": "example.com", "date": DRAFT_DATE, "content-type": "application/json",
                 "digest": "SHA-256=X48E9qOokqqrvdts8nOJRJN3OWDUoyWxBf7kbu9DBPE=",
                 "content-length": "18"}
# C.2, the basic test: (request-target) host date.
BASIC_SIGNATURE = ("qdx+H7PHHDZgy4y/Ahn9Tny9V3GP6YgBPyUXMmoxWtLbHpUnXS2mg2+SbrQDMCJypxBLSPQR2a"
                   "Ajn7ndmw2iicw3HMbe8VfEdKFYRqzic+efkb3nndiv/x1xSHDJWeSWkx3ButlYSuBskLu6kd9F"
                   "swtemr3lgdDEmn04swr2Os0=")
# C.3 as draft 10 gives it: (request-target) host date content-type digest content-length.
ALL_HEADERS_SIGNATURE = ("vSdrb+dS3EceC9bcwHSo4MlyKS59iFIrhgYkz8+oVLEEzmYZZvRs8rgOp+63LEM3v+MFHB3"
                         "2NfpB2bEKBIvB1q52LaEUHFv120V01IL+TAD48XaERZFukWgHoBTLMhYS2Gb51gWxpeIq8k"
                         "nRmPnYePbF5MOkR0Zkly4zKH7s1dE=")


def _draft_private_key():
    return load_private_key(DRAFT_PRIVATE_KEY)


class DraftVectorsTestCase(unittest.TestCase):
    def test_the_body_digest_is_the_drafts(self):
        self.assertEqual(digest_header(DRAFT_BODY), DRAFT_HEADERS["digest"])

    def test_signing_the_basic_test_gives_the_drafts_signature(self):
        signed = sign("POST", "https://example.com" + DRAFT_PATH, "Test", _draft_private_key(),
                      now=DRAFT_NOW)
        parameters = parse_signature(signed["Signature"])
        self.assertEqual(signed["Date"], DRAFT_DATE)
        self.assertEqual(parameters["headers"], "(request-target) host date")
        self.assertEqual(parameters["signature"], BASIC_SIGNATURE)

    def test_the_all_headers_vector_verifies(self):
        text = signing_string("POST", DRAFT_PATH, DRAFT_HEADERS, [
            "(request-target)", "host", "date", "content-type", "digest", "content-length"])
        signature = _draft_private_key().sign(
            text.encode(), *_pkcs1_sha256())
        self.assertEqual(base64.b64encode(signature).decode(), ALL_HEADERS_SIGNATURE)
        headers = {**DRAFT_HEADERS, "signature": (
            'keyId="Test",algorithm="rsa-sha256",headers="(request-target) host date '
            f'content-type digest content-length",signature="{ALL_HEADERS_SIGNATURE}"')}
        public = _draft_private_key().public_key()
        verify("POST", DRAFT_PATH, headers, DRAFT_BODY, public, now=DRAFT_NOW)

    def test_a_changed_path_or_header_breaks_the_vector(self):
        headers = {**DRAFT_HEADERS, "signature": (
            f'keyId="Test",headers="(request-target) host date",signature="{BASIC_SIGNATURE}"')}
        public = _draft_private_key().public_key()
        verify("POST", DRAFT_PATH, headers, None, public, now=DRAFT_NOW,
               required=("(request-target)", "host", "date"))
        with self.assertRaisesRegex(SignatureError, "does not match"):
            verify("POST", "/foo?param=value&pet=cat", headers, None, public, now=DRAFT_NOW,
                   required=("(request-target)", "host", "date"))
        with self.assertRaisesRegex(SignatureError, "does not match"):
            verify("POST", DRAFT_PATH, {**headers, "host": "example.org"}, None, public,
                   now=DRAFT_NOW, required=("(request-target)", "host", "date"))


def _pkcs1_sha256():
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.asymmetric import padding

    return padding.PKCS1v15(), hashes.SHA256()


class SignAndVerifyTestCase(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        public_pem, private_pem = new_key_pair()
        cls.public, cls.private = load_public_key(public_pem), load_private_key(private_pem)

    def _signed(self, body=b'{"type": "Follow"}', now=None):
        signed = sign("POST", "https://flasky.example/federation/inbox", "https://a.example/u#k",
                      self.private, body=body, now=now)
        return {name.lower(): value for name, value in signed.items()}

    def test_a_signed_post_verifies_and_covers_the_digest(self):
        headers = self._signed()
        parameters = verify("POST", "/federation/inbox", headers, b'{"type": "Follow"}',
                            self.public)
        self.assertEqual(parameters["keyId"], "https://a.example/u#k")
        self.assertEqual(parameters["headers"], "(request-target) host date digest")

    def test_a_changed_body_is_a_digest_mismatch(self):
        with self.assertRaisesRegex(SignatureError, "Digest"):
            verify("POST", "/federation/inbox", self._signed(), b'{"type": "Undo"}', self.public)

    def test_a_date_over_twelve_hours_old_or_ahead_is_refused(self):
        for hours in (13, -13):
            headers = self._signed(now=datetime.now(UTC) - timedelta(hours=hours))
            with self.assertRaisesRegex(SignatureError, "12 hours"):
                verify("POST", "/federation/inbox", headers, b'{"type": "Follow"}', self.public)
        within = self._signed(now=datetime.now(UTC) - timedelta(hours=11))
        verify("POST", "/federation/inbox", within, b'{"type": "Follow"}', self.public)

    def test_another_key_does_not_verify(self):
        other = load_public_key(new_key_pair()[0])
        with self.assertRaisesRegex(SignatureError, "does not match"):
            verify("POST", "/federation/inbox", self._signed(), b'{"type": "Follow"}', other)

    def test_a_signature_without_the_digest_is_refused_for_a_post(self):
        headers = self._signed()
        headers["signature"] = headers["signature"].replace(" digest", "")
        with self.assertRaisesRegex(SignatureError, "does not cover digest"):
            verify("POST", "/federation/inbox", headers, b'{"type": "Follow"}', self.public)

    def test_malformed_signature_headers(self):
        for header in (None, "", "garbage", 'keyId="x"', 'keyId="x",signature="%%%"',
                       'keyId="x",algorithm="hmac-sha256",signature="AA=="', "a" * 5000):
            headers = {**self._signed(), "signature": header}
            with self.assertRaises(SignatureError, msg=header):
                verify("POST", "/federation/inbox", headers, b'{"type": "Follow"}', self.public)


class KeysTestCase(FlaskyTestCase):
    def test_each_user_gets_one_rsa_2048_key_kept_across_calls(self):
        from app.federation.keys import key_of

        user = self.create_user()
        first = key_of(user)
        self.assertEqual(key_of(user).id, first.id)
        self.assertEqual(load_public_key(first.public_pem).key_size, 2048)
        self.assertNotEqual(key_of(None).id, first.id)
        self.assertIsNone(key_of(None).user_id)
