"""Photos are stored as pixels only: GPS and other EXIF gone, type from the content, bombs refused."""

from __future__ import annotations

import io
import zlib
import struct

import pytest
from PIL import Image

from steunwijzer import photos
from steunwijzer.errors import InvalidInput


def jpeg_with_gps() -> bytes:
    img = Image.new("RGB", (64, 48), (200, 30, 30))
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"                      # Make
    exif[0x0112] = 6                                 # Orientation: rotate 90°
    gps = exif.get_ifd(0x8825)
    gps[1], gps[2], gps[3], gps[4] = "N", (52.0, 5.0, 30.0), "E", (4.0, 53.0, 10.0)
    out = io.BytesIO()
    img.save(out, format="JPEG", exif=exif)
    return out.getvalue()


def png_bomb(side: int = 30_000) -> bytes:
    """A PNG whose header promises 30,000 × 30,000 pixels (900 MP), in a few hundred KB."""
    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body) & 0xFFFFFFFF)

    row = b"\x00" + bytes(side)  # filter byte + one grey byte per pixel
    compressor = zlib.compressobj(9)
    data = b"".join(compressor.compress(row) for _ in range(200)) + compressor.flush()
    header = struct.pack(">IIBBBBB", side, side, 8, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", data) + chunk(b"IEND", b"")


def test_gps_and_camera_data_are_gone_and_the_photo_stays_upright():
    original = jpeg_with_gps()
    assert Image.open(io.BytesIO(original)).getexif().get_ifd(0x8825)  # the test photo has a position
    cleaned, mime = photos.clean_photo(original)
    assert mime == "image/jpeg"
    with Image.open(io.BytesIO(cleaned)) as img:
        assert not img.getexif() and "exif" not in img.info
        assert img.size == (48, 64)  # turned as the orientation tag said, before the tag was dropped
    assert b"PhoneMaker" not in cleaned


def test_the_type_comes_from_the_content():
    out = io.BytesIO()
    Image.new("RGB", (10, 10)).save(out, format="PNG")
    assert photos.clean_photo(out.getvalue())[1] == "image/png"
    with pytest.raises(InvalidInput):
        photos.clean_photo(b"<html><script>alert(1)</script></html>")


def test_a_decompression_bomb_is_refused_before_it_is_unpacked():
    with pytest.raises(InvalidInput) as refused:
        photos.clean_photo(png_bomb())
    assert refused.value.msgid == photos.TOO_MANY_PIXELS


def test_report_photos_are_stored_cleaned(db):
    from steunwijzer import applications, funds, reports

    with db.session() as s:
        funds.save_funds(s, funds.demo_catalogue())
        app, _ = applications.start(s, "initiatievenfonds-voorbeeld", "nl", b"k")
        reports.add_photo(s, app.id, jpeg_with_gps(), "image/jpeg", "bon.jpg", 25 * 1024 * 1024)
        stored = reports.photos(s, app.id)[0]
    assert stored.mime == "image/jpeg" and b"PhoneMaker" not in stored.data
    assert not Image.open(io.BytesIO(stored.data)).getexif()
