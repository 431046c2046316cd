"""Key material for the test control plane: the service-account signing key and a client CA
with one `system:masters` client certificate. Made with the `openssl` CLI when present, else
with the `cryptography` package when installed (no new dependency either way)."""

from __future__ import annotations

import datetime
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Pki:
    sa_key: Path  # RSA key signing and verifying service-account tokens
    client_ca: Path  # --client-ca-file
    client_cert: Path  # CN=chartgen-admin, O=system:masters
    client_key: Path


def make_pki(directory: Path) -> Pki:
    directory.mkdir(parents=True, exist_ok=True)
    pki = Pki(*(directory / n for n in ("sa.key", "client-ca.crt", "client.crt", "client.key")))
    if shutil.which("openssl"):
        _with_openssl(directory, pki)
    else:
        _with_cryptography(pki)
    return pki


def _openssl(*args: str, cwd: Path) -> None:
    subprocess.run(["openssl", *args], cwd=cwd, check=True, capture_output=True)


def _with_openssl(directory: Path, pki: Pki) -> None:
    _openssl("genrsa", "-out", str(pki.sa_key), "2048", cwd=directory)
    _openssl(
        "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-keyout", "client-ca.key",
        "-out", str(pki.client_ca), "-subj", "/CN=chartgen-test-client-ca", cwd=directory,
    )  # fmt: skip
    _openssl(
        "req", "-newkey", "rsa:2048", "-nodes", "-keyout", str(pki.client_key),
        "-out", "client.csr", "-subj", "/O=system:masters/CN=chartgen-admin", cwd=directory,
    )  # fmt: skip
    _openssl(
        "x509", "-req", "-in", "client.csr", "-CA", str(pki.client_ca), "-CAkey", "client-ca.key",
        "-CAcreateserial", "-days", "2", "-out", str(pki.client_cert), cwd=directory,
    )  # fmt: skip


def _with_cryptography(pki: Pki) -> None:
    try:
        from cryptography import x509
        from cryptography.hazmat.primitives import hashes, serialization
        from cryptography.hazmat.primitives.asymmetric import rsa
        from cryptography.x509.oid import NameOID
    except ImportError as exc:  # pragma: no cover - depends on the machine
        raise RuntimeError(
            "neither the openssl CLI nor python 'cryptography' is available"
        ) from exc

    def key_pem(key: rsa.RSAPrivateKey) -> bytes:
        return key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.TraditionalOpenSSL,
            serialization.NoEncryption(),
        )

    def name(*parts: tuple[x509.ObjectIdentifier, str]) -> x509.Name:
        return x509.Name([x509.NameAttribute(oid, value) for oid, value in parts])

    def cert(subject: x509.Name, issuer: x509.Name, key: rsa.RSAPrivateKey, signer: rsa.RSAPrivateKey, ca: bool) -> bytes:  # fmt: skip
        now = datetime.datetime.now(datetime.timezone.utc)
        built = (
            x509.CertificateBuilder()
            .subject_name(subject)
            .issuer_name(issuer)
            .public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - datetime.timedelta(minutes=5))
            .not_valid_after(now + datetime.timedelta(days=2))
            .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True)
            .sign(signer, hashes.SHA256())
        )
        return built.public_bytes(serialization.Encoding.PEM)

    sa, ca_key, client = (rsa.generate_private_key(65537, 2048) for _ in range(3))
    ca_name = name((NameOID.COMMON_NAME, "chartgen-test-client-ca"))
    client_name = name(
        (NameOID.ORGANIZATION_NAME, "system:masters"), (NameOID.COMMON_NAME, "chartgen-admin")
    )
    pki.sa_key.write_bytes(key_pem(sa))
    pki.client_ca.write_bytes(cert(ca_name, ca_name, ca_key, ca_key, True))
    pki.client_cert.write_bytes(cert(client_name, ca_name, client, ca_key, False))
    pki.client_key.write_bytes(key_pem(client))
