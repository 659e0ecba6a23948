"""Uploaded files: what every app that keeps one needs to know of it."""

from __future__ import annotations

import hashlib


def sha256_hex(uploaded_file) -> str:
    """The SHA-256 of an uploaded file's content, read in chunks; the file is left at its start."""
    digest = hashlib.sha256()
    for chunk in uploaded_file.chunks():
        digest.update(chunk)
    uploaded_file.seek(0)
    return digest.hexdigest()
