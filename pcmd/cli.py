"""The `pcmd` console script: Django's management commands under the project's settings.

Entry point: main(). `pcmd migrate`, `pcmd demo`, `pcmd load_orgunits`, `pcmd serve` ...
"""

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pcmd.config.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["pcmd", *sys.argv[1:]])


if __name__ == "__main__":
    main()
