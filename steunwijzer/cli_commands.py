"""Command groups that live next to their domain module. Each `register(subparsers)` adds its
commands with a `handler(args, db)` default."""

from steunwijzer import documents_cli, exchange, funds, i18n_catalog, jobs, outbox, retention
from steunwijzer.speech import cli as speech_cli

REGISTRARS = [i18n_catalog.register, exchange.register, documents_cli.register, retention.register, funds.register,
              outbox.register, speech_cli.register, jobs.register]
