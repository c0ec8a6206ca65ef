"""Model fields whose column holds only ciphertext (Fernet, AES-128-CBC + HMAC-SHA256).

Owns: SealedCharField, SealedTextField, SealedDateField, sealed_field_names(), Ciphertext.
Invariants: the Python value is a plain str / datetime.date / None; the column (text) holds a
Fernet token encrypted with the first key of settings.SEAL_KEYS, "" for an empty string and
NULL for None; a sealed column cannot be filtered in SQL (only `isnull`), indexed or unique —
look people up through a blind index (blind.py) stored next to it.
Not here: the keys (keys.py), who may read a value (access.py), re-encryption
(rotate_seal_keys).
"""

from __future__ import annotations

import datetime
from typing import Any

from cryptography.fernet import InvalidToken
from django.core import checks
from django.core.exceptions import FieldError, ImproperlyConfigured
from django.db import models
from django.db.models import Lookup, Model
from django.db.models.lookups import IsNull

from pcmd.sealing.keys import multi_fernet


class Ciphertext(str):
    """A token already encrypted: written to the column as it is (used by key rotation)."""


class SealedValueError(ImproperlyConfigured):
    """A stored token that none of settings.SEAL_KEYS decrypts: a key is missing."""


def seal_text(plain: str) -> str:
    return multi_fernet().encrypt(plain.encode("utf-8")).decode("ascii")


def unseal_text(token: str) -> str:
    try:
        return multi_fernet().decrypt(token.encode("ascii")).decode("utf-8")
    except (InvalidToken, UnicodeEncodeError) as exc:
        raise SealedValueError(
            "A sealed value cannot be decrypted with PCMD_SEAL_KEYS: a key that encrypted it "
            "is missing from the list."
        ) from exc


class SealedMixin:
    """What every sealed field shares: text column, encrypt on write, decrypt on read."""

    sealed = True
    _allowed_lookups = frozenset({"isnull"})

    def get_internal_type(self) -> str:
        return "TextField"

    def _check_sealed(self) -> list[checks.CheckMessage]:
        errors: list[checks.CheckMessage] = []
        field: Any = self
        if field.db_index or field.unique or field.primary_key:
            errors.append(
                checks.Error(
                    "A sealed field holds random ciphertext: it cannot be indexed, unique or "
                    "a primary key. Index a blind_index() column next to it instead.",
                    obj=self,
                    id="sealing.E001",
                )
            )
        return errors

    def get_lookup(self, lookup_name: str) -> type[Lookup] | None:
        if lookup_name == "isnull":
            return IsNull
        raise FieldError(
            f"{self.__class__.__name__} cannot be filtered with '{lookup_name}': its column "
            "holds ciphertext. Filter on the blind index (pcmd.sealing.blind) instead."
        )

    def _to_plain_text(self, value: Any) -> str | None:
        return str(value)

    def get_db_prep_value(self, value: Any, connection: Any, prepared: bool = False) -> Any:
        if value is None:
            return None
        if isinstance(value, Ciphertext):
            return str(value)
        if hasattr(value, "resolve_expression"):
            return value
        plain = self._to_plain_text(value)
        if plain is None:
            return None
        if plain == "":
            return ""
        return seal_text(plain)

    def from_db_value(self, value: Any, expression: Any, connection: Any) -> Any:
        if value is None or value == "":
            return self._empty_from_db(value)
        return self._from_plain_text(unseal_text(value))

    def _empty_from_db(self, value: Any) -> Any:
        return value

    def _from_plain_text(self, plain: str) -> Any:
        return plain


class SealedCharField(SealedMixin, models.CharField):  # type: ignore[misc]
    """A short string (name, ID number, phone); max_length limits the plain text."""

    description = "Sealed (encrypted) short text"

    def check(self, **kwargs: Any) -> list[checks.CheckMessage]:
        return [*super().check(**kwargs), *self._check_sealed()]

    def db_type(self, connection: Any) -> str | None:
        return models.TextField().db_type(connection)


class SealedTextField(SealedMixin, models.TextField):  # type: ignore[misc]
    """A longer text (address, free-text description naming people)."""

    description = "Sealed (encrypted) text"

    def check(self, **kwargs: Any) -> list[checks.CheckMessage]:
        return [*super().check(**kwargs), *self._check_sealed()]


class SealedDateField(SealedMixin, models.DateField):  # type: ignore[misc]
    """A date (date of birth); None is stored as NULL, so use null=True with blank=True."""

    description = "Sealed (encrypted) date"

    def check(self, **kwargs: Any) -> list[checks.CheckMessage]:
        return [*super().check(**kwargs), *self._check_sealed()]

    def db_type(self, connection: Any) -> str | None:
        return models.TextField().db_type(connection)

    def _to_plain_text(self, value: Any) -> str | None:
        parsed = self.to_python(value)
        if parsed is None:
            return None
        if isinstance(parsed, datetime.datetime):
            parsed = parsed.date()
        return parsed.isoformat()

    def _empty_from_db(self, value: Any) -> Any:
        return None

    def _from_plain_text(self, plain: str) -> Any:
        return datetime.date.fromisoformat(plain)


SEALED_FIELD_CLASSES = (SealedCharField, SealedTextField, SealedDateField)


def sealed_field_names(model: type[Model] | Model) -> list[str]:
    """Names of the sealed concrete fields of a model (class or instance), in field order."""
    return [f.name for f in model._meta.concrete_fields if isinstance(f, SealedMixin)]
