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


def test_officer_commands_change_an_account(tmp_path):
    import os

    env = {**os.environ, "STEUNWIJZER_DATA_DIR": str(tmp_path)}

    def cli(*args, stdin=None):
        return subprocess.run([sys.executable, "-m", "steunwijzer", "officer", *args], input=stdin, capture_output=True,
                              text=True, timeout=120, env=env)

    assert cli("add", "boss", "--admin", "--password-stdin", stdin="a long enough password\n").returncode == 0
    assert cli("add", "ann", "--password-stdin", stdin="a long enough password\n").returncode == 0
    done = cli("set", "ann", "--admin", "--funds", "b,a", "--name", "Ann de Vries", "--title", "Beleidsmedewerker")
    assert done.returncode == 0 and done.stdout == "ann\tadmin\ta,b\tAnn de Vries\tBeleidsmedewerker\n"
    assert cli("set", "ann", "--no-admin", "--funds", "").stdout.startswith("ann\tofficer\t*\t")
    assert cli("set", "ann").returncode == 2  # nothing to change
    assert cli("disable", "ann").stdout == "Disabled ann\n"
    assert "ann\tofficer\t*\tdisabled" in cli("list").stdout
    assert cli("enable", "ann").stdout == "Enabled ann\n"
    short = cli("set-password", "ann", "--password-stdin", stdin="short\n")
    assert short.returncode == 2 and "at least 12" in short.stderr
    assert cli("set-password", "ann", "--password-stdin", stdin="another long password\n").returncode == 0
    assert cli("unlock", "ann").returncode == 0

    from steunwijzer import audit, auth
    from steunwijzer.config import Settings
    from steunwijzer.store import open_database

    db = open_database(Settings(data_dir=tmp_path))
    with db.session() as s:
        assert auth.login(s, "ann", "another long password", "192.0.2.1").full_name == "Ann de Vries"
        actions = [(e.action, e.detail.get("officer")) for e in audit.entries(s)]
    db.dispose()
    for action in ("officer.change", "officer.disable", "officer.enable", "officer.set_password", "officer.unlock"):
        assert (action, "ann") in actions
