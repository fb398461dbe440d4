"""Documentation that is tested: every setting and every CLI command appears in the README."""

import re
from pathlib import Path

from steunwijzer.cli import build_parser
from steunwijzer.config import Settings

README = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")


def test_every_setting_is_documented():
    table = README.split("<!-- settings-table")[1].split("<!-- end settings-table")[0]
    documented = set(re.findall(r"`(STEUNWIJZER_[A-Z_]+)`", table))
    expected = {f"STEUNWIJZER_{name.upper()}" for name in Settings.model_fields}
    assert documented == expected


def test_every_command_is_documented():
    parser = build_parser()
    commands = parser._subparsers._group_actions[0].choices
    for name in commands:
        assert f"`{name}" in README or f"| `{name} " in README, f"command {name} is not in the README"


def test_the_two_setup_commands_are_there():
    assert "bash scripts/start.sh" in README and "bash scripts/test.sh" in README
