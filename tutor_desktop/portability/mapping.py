"""Which column of a spreadsheet holds which field of an import: a guess from the header's words (a person can
change it in the Import window), and the rows as the import takes them."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping

from tutor_desktop.domain import FIELD_LABELS, ImportKind, InvalidInput
from tutor_desktop.portability.spreadsheet import Sheet

# The header words each field is recognised by, most specific first (headers are compared folded: lower case,
# no accents, words joined by "_").
SYNONYMS: dict[ImportKind, dict[str, tuple[str, ...]]] = {
    ImportKind.CLIENTS: {
        "external_id": ("external_id", "ext_id", "external_client_id", "id"),
        "name": ("name", "full_name", "client_name", "client", "student", "customer", "student_name",
                 "customer_name", "nom", "nombre"),
        "email": ("email", "e_mail", "email_address", "mail", "correo", "courriel"),
        "phone": ("phone", "phone_number", "telephone", "mobile", "tel", "cell", "telefono", "telefone"),
        "notes": ("notes", "note", "comments", "comment", "remarks", "notas"),
    },
    ImportKind.PACKAGES: {
        "external_id": ("external_id", "package_external_id", "ext_id"),
        "client_external_id": ("client_external_id", "customer_external_id"),
        "client_name": ("client_name", "client", "student", "customer", "full_name", "student_name", "name"),
        "client_email": ("client_email", "email", "e_mail", "email_address"),
        "label": ("label", "package", "package_name", "package_label", "product", "plan"),
        "sessions_total": ("sessions_total", "total_sessions", "sessions", "total", "size", "lessons"),
        "sessions_used": ("sessions_used", "used", "used_sessions", "lessons_used"),
        "purchased": ("purchased", "purchase_date", "purchased_at", "purchased_on", "bought", "sold", "date"),
        "expires": ("expires", "expiry", "expiry_date", "expires_at", "expires_on", "valid_until", "expiration"),
        "status": ("status", "state"),
    },
}


def folded_header(text: str) -> str:
    plain = "".join(c for c in unicodedata.normalize("NFD", text.lower()) if not unicodedata.combining(c))
    return re.sub(r"[^a-z0-9]+", "_", plain).strip("_")


def guess_mapping(kind: ImportKind, headers: tuple[str, ...]) -> dict[str, int | None]:
    """Field -> column index (None: not in the file). Each column is given to one field at most."""
    folded = [folded_header(h) for h in headers]
    taken: set[int] = set()
    mapping: dict[str, int | None] = {}
    for field in kind.fields:
        mapping[field] = None
        for word in SYNONYMS[kind][field]:
            index = next((i for i, h in enumerate(folded) if h == word and i not in taken), None)
            if index is not None:
                mapping[field] = index
                taken.add(index)
                break
    return mapping


def missing_fields(kind: ImportKind, mapping: Mapping[str, int | None]) -> list[str]:
    needed = list(kind.required)
    if kind is ImportKind.PACKAGES and mapping.get("client_external_id") is None:
        needed.append("client_name")
    return [f for f in needed if mapping.get(f) is None]


def rows_for_import(kind: ImportKind, sheet: Sheet, mapping: Mapping[str, int | None]) -> list[dict[str, str]]:
    """Each spreadsheet row as the import takes it: its row number and the mapped fields' text."""
    missing = missing_fields(kind, mapping)
    if missing:
        raise InvalidInput("Choose a column for: " + ", ".join(FIELD_LABELS[f] for f in missing) + ".")
    rows = []
    for number, cells in sheet.rows:
        row = {"row": str(number)}
        for field, index in mapping.items():
            if index is not None:
                row[field] = cells[index] if index < len(cells) else ""
        rows.append(row)
    return rows
