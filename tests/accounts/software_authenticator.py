"""A software security key for the tests: what a browser and a FIDO2 key do between them, built
from python-fido2's data types and a real P-256 key (cryptography). It answers the very options
allauth's pages hand to the browser's script (`js_data`), and gives the JSON that script posts."""

import hashlib
import json
import os
import re

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from fido2.cose import ES256
from fido2.utils import websafe_decode, websafe_encode
from fido2.webauthn import (
    Aaguid,
    AttestationObject,
    AttestedCredentialData,
    AuthenticatorData,
    CollectedClientData,
)


def js_data(page_html: str) -> dict:
    """The options allauth put on the page for navigator.credentials (json_script "js_data")."""
    found = re.search(
        r'<script id="js_data" type="application/json">(.*?)</script>', page_html, re.S
    )
    return json.loads(found.group(1))


class SoftwareAuthenticator:
    def __init__(self, origin: str = "https://testserver"):
        self.origin = origin
        self.key = ec.generate_private_key(ec.SECP256R1())
        self.credential_id = os.urandom(32)
        self.counter = 0
        self.user_handle = None

    def _flags(self) -> AuthenticatorData.FLAG:
        return AuthenticatorData.FLAG.UP | AuthenticatorData.FLAG.UV

    def create(self, options: dict) -> dict:
        """navigator.credentials.create(): a new credential for this relying party, attestation
        "none" (allauth asks for none)."""
        public_key = options["publicKey"]
        self.user_handle = public_key["user"]["id"]
        client_data = CollectedClientData.create(
            type="webauthn.create",
            challenge=websafe_decode(public_key["challenge"]),
            origin=self.origin,
        )
        credential = AttestedCredentialData.create(
            Aaguid.NONE, self.credential_id, ES256.from_cryptography_key(self.key.public_key())
        )
        rp_id_hash = hashlib.sha256(public_key["rp"]["id"].encode()).digest()
        auth_data = AuthenticatorData.create(
            rp_id_hash, self._flags() | AuthenticatorData.FLAG.AT, self.counter, credential
        )
        attestation = AttestationObject.create("none", auth_data, {})
        return {
            "id": websafe_encode(self.credential_id),
            "rawId": websafe_encode(self.credential_id),
            "type": "public-key",
            "response": {
                "clientDataJSON": websafe_encode(bytes(client_data)),
                "attestationObject": websafe_encode(bytes(attestation)),
                "transports": ["usb"],
            },
            "clientExtensionResults": {"credProps": {"rk": False}},
        }

    def get(self, options: dict) -> dict:
        """navigator.credentials.get(): sign the challenge with this credential's key."""
        public_key = options["publicKey"]
        allowed = [websafe_decode(c["id"]) for c in public_key.get("allowCredentials", [])]
        assert self.credential_id in allowed, "the server does not know this key"
        self.counter += 1
        client_data = CollectedClientData.create(
            type="webauthn.get",
            challenge=websafe_decode(public_key["challenge"]),
            origin=self.origin,
        )
        rp_id_hash = hashlib.sha256(public_key["rpId"].encode()).digest()
        auth_data = AuthenticatorData.create(rp_id_hash, self._flags(), self.counter)
        signature = self.key.sign(bytes(auth_data) + client_data.hash, ec.ECDSA(hashes.SHA256()))
        return {
            "id": websafe_encode(self.credential_id),
            "rawId": websafe_encode(self.credential_id),
            "type": "public-key",
            "response": {
                "clientDataJSON": websafe_encode(bytes(client_data)),
                "authenticatorData": websafe_encode(bytes(auth_data)),
                "signature": websafe_encode(signature),
                "userHandle": self.user_handle,
            },
            "clientExtensionResults": {},
        }
