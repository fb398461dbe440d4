"""Photos from groups (receipts, the activity): decoded and written again before they are stored.

Re-encoding keeps only the pixels: EXIF (GPS position, camera, owner), XMP and comments are
gone, and the stored and served type is what the picture really is (image/jpeg or image/png),
never the browser's claim. A picture whose header promises more pixels than a phone camera makes
(a decompression bomb: a few KB that unpack to gigabytes) is refused before it is unpacked.
"""

from __future__ import annotations

import io

from steunwijzer.errors import InvalidInput
from steunwijzer.i18n import N_

MAX_PIXELS = 50_000_000         # a 200-megapixel phone photo is scaled down below; above this: refused
MAX_SIDE = 4096                 # stored photos are at most this wide or high (plenty for a report)
NOT_A_PHOTO = N_("This file is not a photo we can read.")
TOO_MANY_PIXELS = N_("This photo is too large to read. Please send a smaller photo.")


def clean_photo(data: bytes) -> tuple[bytes, str]:
    """The photo re-encoded without metadata, and its media type (image/jpeg or image/png).

    Raises InvalidInput for anything that is not a readable photo or is too large to unpack."""
    from PIL import Image, ImageOps

    try:
        import pillow_heif

        pillow_heif.register_heif_opener()
    except ImportError:  # HEIC support is optional
        pass
    try:
        with Image.open(io.BytesIO(data)) as img:
            width, height = img.size  # from the header: nothing is unpacked yet
            if width * height > MAX_PIXELS or width <= 0 or height <= 0:
                raise InvalidInput(TOO_MANY_PIXELS)
            source_format = img.format
            img.load()
            img = ImageOps.exif_transpose(img)  # keep it upright once the orientation tag is gone
            img.thumbnail((MAX_SIDE, MAX_SIDE))
            out = io.BytesIO()
            if source_format == "PNG":
                if img.mode not in ("RGB", "RGBA", "L", "LA", "P"):
                    img = img.convert("RGBA")
                img.save(out, format="PNG", optimize=False)  # no pnginfo: text chunks and eXIf are dropped
                return out.getvalue(), "image/png"
            if img.mode not in ("RGB", "L"):
                img = img.convert("RGB")
            img.save(out, format="JPEG", quality=88)  # no exif= argument: the metadata stays behind
            return out.getvalue(), "image/jpeg"
    except InvalidInput:
        raise
    except Image.DecompressionBombError:
        raise InvalidInput(TOO_MANY_PIXELS) from None
    except Exception:
        raise InvalidInput(NOT_A_PHOTO) from None
