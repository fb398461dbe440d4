import subprocess
import sys

import pytest

from steunwijzer.cli import build_parser


def _commands(parser, prefix=()):
    for action in parser._subparsers._group_actions if parser._subparsers else []:
        for name, sub in action.choices.items():
            yield (*prefix, name)
            if sub._subparsers:
                yield from _commands(sub, (*prefix, name))


COMMANDS = list(_commands(build_parser()))


def test_there_are_commands():
    assert ("init-db",) in COMMANDS and ("officer", "add") in COMMANDS


@pytest.mark.parametrize("command", COMMANDS, ids=" ".join)
def test_every_command_has_help(command, capsys):
    with pytest.raises(SystemExit) as exc:
        build_parser().parse_args([*command, "--help"])
    assert exc.value.code == 0
    out = capsys.readouterr().out
    assert "usage:" in out and len(out) > 60


def run(*args, stdin=None):
    return subprocess.run([sys.executable, "-m", "steunwijzer", *args], input=stdin, capture_output=True, text=True, timeout=120)


def test_init_db_and_officer_add():
    assert run("init-db").returncode == 0
    result = run("officer", "add", "cli-officer", "--admin", "--password-stdin", stdin="a long enough password\n")
    assert result.returncode == 0, result.stderr
    assert "cli-officer" in run("officer", "list").stdout
    again = run("officer", "add", "cli-officer", "--password-stdin", stdin="a long enough password\n")
    assert again.returncode == 2 and "already exists" in again.stderr and "Traceback" not in again.stderr
