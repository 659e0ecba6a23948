"""The voter registry file's layout (docs/formats/voter-import.md), read by the portal's one tabular reader
(``core.tabular.open_registry_file``: format, encoding, delimiter, header)."""

from __future__ import annotations

from core.tabular import ColumnLayout, RegistryFile, open_registry_file

REQUIRED = ("pinfl", "surname", "given_name", "birth_date", "sex", "district_code")
OPTIONAL = ("patronymic", "mahalla_code", "street", "house", "flat", "status", "passport")
COLUMNS = REQUIRED + OPTIONAL
REGISTRY_LAYOUT = ColumnLayout(COLUMNS, REQUIRED)


def open_voter_file(path: str, *, encoding: str = "auto") -> RegistryFile:
    """Open a registry file for streaming; ``FileRejected`` for a file that cannot be read as one."""
    return open_registry_file(path, layout=REGISTRY_LAYOUT, encoding=encoding)
