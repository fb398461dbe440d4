"""The speech model's side files (config.json, tokenizer.json, vocabulary.json) are checked like
model.bin: a damaged cached copy is rebuilt, a damaged package gives a clear, translatable error
instead of a JSON traceback from inside faster-whisper."""

from __future__ import annotations

import io
import json
import shutil

import pytest

from steunwijzer.errors import ConfigurationError
from steunwijzer.i18n import gettext_for
from steunwijzer.speech import model
from steunwijzer.speech.model import SIDE_FILE_SHA256, bundled_model_folder, verify_side_file, verify_side_files

pytestmark = pytest.mark.speech


@pytest.fixture
def copy(tmp_path):
    folder = tmp_path / model.BUNDLED_FOLDER_NAME
    shutil.copytree(bundled_model_folder(), folder, ignore=shutil.ignore_patterns("*.pt"))
    return folder


@pytest.mark.parametrize("name", sorted(SIDE_FILE_SHA256))
def test_a_damaged_cached_side_file_is_refused_and_rebuilt(copy, name):
    path = copy / name
    data = json.loads(path.read_text(encoding="utf-8"))
    path.write_text(json.dumps(data)[:-1], encoding="utf-8")  # cut off: no longer valid JSON
    with pytest.raises(ConfigurationError, match="damaged"):
        verify_side_file(path)
    assert bundled_model_folder(copy.parent) == copy
    verify_side_files(copy)


def test_a_damaged_package_file_gives_a_translated_error(copy, monkeypatch):
    (copy / "tokenizer.json").write_text("{", encoding="utf-8")
    original = model._package_file

    def damaged(package, name):
        if name == "tokenizer.json":
            return io.BytesIO(b'{"truncated": ')
        return original(package, name)

    monkeypatch.setattr(model, "_package_file", damaged)
    with pytest.raises(ConfigurationError) as refused:
        bundled_model_folder(copy.parent)
    message = refused.value.translated(gettext_for("nl"))
    assert "tokenizer.json" in message and message != refused.value.msgid  # Dutch, naming the file
