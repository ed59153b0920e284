"""Classic ``img_utils``: tag formatting, image loading and data URIs."""

from __future__ import annotations

import base64
import random
import sys
from pathlib import Path
from typing import Any

import pytest

from convogen.agentchat.contrib import img_utils

Image: Any = pytest.importorskip("PIL.Image")
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


@pytest.fixture
def blue_png(tmp_path: Path) -> Path:
    path = tmp_path / "blue.png"
    Image.new("RGB", (2, 2), (0, 0, 255)).save(path)
    return path


def test_gpt4v_formatter_uri_makes_data_uris_of_files(blue_png: Path) -> None:
    parts = img_utils.gpt4v_formatter(f"a <img {blue_png}> b")
    assert [p["type"] for p in parts] == ["text", "image_url", "text"]
    assert parts[1]["image_url"]["url"].startswith("data:image/png;base64,")


def test_gpt4v_formatter_url_keeps_the_source_as_written() -> None:
    parts = img_utils.gpt4v_formatter("<img https://x.org/a.png>", img_format="url")
    assert parts[1]["image_url"]["url"] == "https://x.org/a.png"


def test_gpt4v_formatter_pil_holds_image_objects(blue_png: Path) -> None:
    parts = img_utils.gpt4v_formatter(f"<img {blue_png}>", img_format="pil")
    assert isinstance(parts[1]["image_url"]["url"], Image.Image)


def test_gpt4v_formatter_rejects_an_unknown_format() -> None:
    with pytest.raises(ValueError, match="img_format"):
        img_utils.gpt4v_formatter("x", img_format="jpeg")


def test_gpt4v_formatter_reads_a_quoted_src_attribute(blue_png: Path) -> None:
    parts = img_utils.gpt4v_formatter(f'<img src="{blue_png}">', img_format="url")
    assert parts[1]["image_url"]["url"] == str(blue_png)


def test_llava_formatter_numbers_image_tokens_when_asked(blue_png: Path) -> None:
    prompt, images = img_utils.llava_formatter(
        f"<img {blue_png}> and <img {blue_png}>", order_image_tokens=True
    )
    assert prompt == "<image 0> and <image 1>"
    assert len(images) == 2
    assert base64.b64decode(images[0]).startswith(PNG_MAGIC)


def test_get_image_data_returns_png_as_base64_or_bytes(blue_png: Path) -> None:
    assert base64.b64decode(img_utils.get_image_data(blue_png.as_posix())).startswith(PNG_MAGIC)
    raw = img_utils.get_image_data(blue_png.as_posix(), use_b64=False)
    assert isinstance(raw, bytes) and raw.startswith(PNG_MAGIC)


def test_get_pil_image_decodes_a_data_uri(blue_png: Path) -> None:
    uri = img_utils.pil_to_data_uri(Image.open(blue_png))
    image = img_utils.get_pil_image(uri)
    assert image.size == (2, 2)
    assert image.getpixel((0, 0)) == (0, 0, 255)


def test_get_pil_image_names_a_source_that_is_not_an_image() -> None:
    with pytest.raises(ValueError, match="not-an-image"):
        img_utils.get_pil_image("not-an-image")


def test_convert_base64_to_data_uri_reads_the_mime_type() -> None:
    jpeg = base64.b64encode(b"\xff\xd8\xff\xe0rest").decode()
    png = base64.b64encode(PNG_MAGIC + b"rest").decode()
    assert img_utils.convert_base64_to_data_uri(jpeg).startswith("data:image/jpeg;base64,")
    assert img_utils.convert_base64_to_data_uri(png).startswith("data:image/png;base64,")


def test_extract_img_paths_finds_urls_and_files() -> None:
    text = "See https://a.org/x.png and pics/y.JPG, not z.txt"
    assert img_utils.extract_img_paths(text) == ["https://a.org/x.png", "pics/y.JPG"]


def test_message_formatter_pil_to_b64_converts_only_image_objects(blue_png: Path) -> None:
    image_part = {"type": "image_url", "image_url": {"url": Image.open(blue_png)}}
    text_part = {"type": "text", "text": "hi"}
    messages = [{"role": "user", "content": [text_part, image_part]}, {"content": "plain"}]
    converted = img_utils.message_formatter_pil_to_b64(messages)
    assert converted[0]["content"][0] == text_part
    assert converted[0]["content"][1]["image_url"]["url"].startswith("data:image/png;base64,")
    assert converted[1] is messages[1]
    assert isinstance(image_part["image_url"]["url"], Image.Image)  # the input is not changed


def test_without_pillow_loading_an_image_says_how_to_install_it(
    blue_png: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "PIL", None)
    with pytest.raises(ImportError, match="pip install pillow"):
        img_utils.get_pil_image(str(blue_png))


def test_url_format_needs_no_pillow(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "PIL", None)
    parts = img_utils.gpt4v_formatter("<img https://x.org/a.png>", img_format="url")
    assert parts[1]["image_url"]["url"] == "https://x.org/a.png"


def test_get_pil_image_decodes_a_long_base64_string() -> None:
    noise = Image.frombytes("RGB", (32, 32), random.Random(0).randbytes(32 * 32 * 3))
    encoded = img_utils.pil_to_data_uri(noise).split(",", 1)[1]
    assert len(encoded) > 255  # longer than any file name
    assert img_utils.get_pil_image(encoded).tobytes() == noise.tobytes()
