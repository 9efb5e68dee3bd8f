"""The ``zhifa`` command: ``zhifa demo``, ``zhifa serve``, ``zhifa worker``, ``zhifa import-parties``,
``zhifa push-webhooks``, ``zhifa push-outbox``, ``zhifa simulate-inspections`` and
every Django command.

``zhifa <django-command> …`` is ``django-admin`` with zhifa's settings.
"""

from __future__ import annotations

import os
import sys

from django.core.management import execute_from_command_line


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zhifa.settings")
    args = list(sys.argv if argv is None else ["zhifa", *argv])

    aliases = {
        "serve": "zhifa_serve",
        "demo": "zhifa_demo",
        "import-parties": "import_parties",
        "ledger": "ledger",
        "push-webhooks": "push_webhooks",
        "push-outbox": "push_outbox",
        "simulate-inspections": "simulate_inspections",
        "worker": "zhifa_worker",
    }
    if len(args) > 1 and args[1] in aliases:
        args[1] = aliases[args[1]]
    execute_from_command_line(args)


if __name__ == "__main__":
    main()
