"""Command groups that live next to their domain module. Each `register(subparsers)` adds its
commands with a `handler(args, db)` default."""

from steunwijzer import exchange, i18n_catalog

REGISTRARS = [i18n_catalog.register, exchange.register]
