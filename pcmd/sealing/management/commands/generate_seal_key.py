"""`pcmd generate_seal_key [--blind-index]`: print a new random key for PCMD_SEAL_KEYS.

With --blind-index, print a key for PCMD_BLIND_INDEX_KEY instead. Nothing is stored.
"""

from __future__ import annotations

import secrets
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from pcmd.sealing.keys import generate_seal_key


class Command(BaseCommand):
    help = "In ra một khóa ngẫu nhiên mới cho PCMD_SEAL_KEYS (hoặc PCMD_BLIND_INDEX_KEY)."
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--blind-index", action="store_true", help="Khóa cho PCMD_BLIND_INDEX_KEY."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        key = secrets.token_urlsafe(48) if options["blind_index"] else generate_seal_key()
        self.stdout.write(key)
