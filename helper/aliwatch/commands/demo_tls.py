"""A throwaway TLS certificate for the demo's and the e2e tests' sample server (issue 13: the content script
runs on https pages only). Self-signed, made fresh for each run in a temp dir, for the AliExpress names the
browser maps to 127.0.0.1; the browser is told to accept it (Chromium --ignore-certificate-errors, Firefox
acceptInsecureCerts) and resolves every other name to nothing, so it is never trusted for a real site."""
from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

NAMES = ("aliexpress.com", "*.aliexpress.com", "aliexpress.ru", "*.aliexpress.ru")


class CertificateError(RuntimeError):
    pass


def make_certificate(directory: Path | None = None) -> tuple[Path, Path]:
    """(certificate file, key file), PEM, valid for NAMES for one day."""
    directory = Path(directory or tempfile.mkdtemp(prefix="aliwatch-demo-tls-"))
    cert, key = directory / "sample-server.crt", directory / "sample-server.key"
    try:
        _with_cryptography(cert, key)
    except ImportError:
        _with_openssl(cert, key)
    key.chmod(0o600)
    return cert, key


def _with_cryptography(cert: Path, key: Path) -> None:
    from datetime import datetime, timedelta, timezone

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    private = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "AliWatch sample server")])
    now = datetime.now(timezone.utc)
    built = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(private.public_key())
             .serial_number(x509.random_serial_number()).not_valid_before(now - timedelta(minutes=5))
             .not_valid_after(now + timedelta(days=1))
             .add_extension(x509.SubjectAlternativeName([x509.DNSName(n) for n in NAMES]), critical=False)
             .sign(private, hashes.SHA256()))
    key.write_bytes(private.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                          serialization.NoEncryption()))
    cert.write_bytes(built.public_bytes(serialization.Encoding.PEM))


def _with_openssl(cert: Path, key: Path) -> None:
    openssl = shutil.which("openssl")
    if openssl is None:
        raise CertificateError("the sample server needs a TLS certificate: install the `cryptography` package "
                               "or the `openssl` command")
    san = ",".join(f"DNS:{n}" for n in NAMES)
    proc = subprocess.run([openssl, "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256",
                           "-nodes", "-days", "1", "-subj", "/CN=AliWatch sample server", "-addext",
                           f"subjectAltName={san}", "-keyout", str(key), "-out", str(cert)],
                          capture_output=True, text=True)
    if proc.returncode != 0:
        raise CertificateError(f"openssl could not make the sample server's certificate: {proc.stderr[-500:]}")
