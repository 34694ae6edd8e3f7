"""A real browser for the tests and the README screenshots: Debian's chromium, headless, with a
fresh profile each run and no network but loopback (./scripts/test installs it as root).

    screenshot("site/index.html", "index.png", 1280, 900)
    html = dom("file:///.../search.html#q=flaky")   # the DOM after the page's scripts ran
"""

from __future__ import annotations

import shutil
import struct
import subprocess
import tempfile
import zlib
from pathlib import Path

CANDIDATES = ("chromium", "chromium-browser", "google-chrome")
TIMEOUT = 60  # seconds: a cold start on a busy 2-core machine takes a few
FLAGS = (
    "--headless",
    "--no-sandbox",  # root in a container has no user namespace for the sandbox
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--hide-scrollbars",
    # Nothing beyond loopback: any host name fails to resolve (file:// needs none).
    "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE localhost, EXCLUDE 127.0.0.1",
)


def chromium() -> str | None:
    """The browser's path, or None when none is installed."""
    return next((path for name in CANDIDATES if (path := shutil.which(name))), None)


def screenshot(
    path_or_url: str | Path, png_path: str | Path, width: int, height: int, scale: float = 1
) -> Path:
    """Render the page at width x height CSS pixels (times `scale`) and write it as a PNG."""
    png = Path(png_path).resolve()
    png.unlink(missing_ok=True)
    _run(
        f"--screenshot={png}",
        f"--window-size={width},{height}",
        f"--force-device-scale-factor={scale}",
        _url(path_or_url),
    )
    if not png.is_file():
        raise RuntimeError(f"chromium wrote no screenshot of {path_or_url}")
    return png


def dom(url: str | Path) -> str:
    """The page's DOM as HTML after its scripts ran (three seconds of virtual time)."""
    return _run("--dump-dom", "--virtual-time-budget=3000", _url(url))


def colours(png_path: str | Path, most: int = 64) -> int:
    """How many distinct pixel values the PNG holds (up to `most`): 1 means a blank image."""
    data = Path(png_path).read_bytes()
    width, height, depth, kind = struct.unpack(">IIBB", data[16:26])
    if depth != 8 or kind not in (2, 6):
        raise ValueError(
            f"{png_path}: only 8-bit RGB(A) PNGs are read, got depth {depth} type {kind}"
        )
    chunks, at = [], 8
    while at < len(data):
        (size,) = struct.unpack(">I", data[at : at + 4])
        if data[at + 4 : at + 8] == b"IDAT":
            chunks.append(data[at + 8 : at + 8 + size])
        at += 12 + size
    pixels = _unfilter(zlib.decompress(b"".join(chunks)), width, height, 3 if kind == 2 else 4)
    seen: set[bytes] = set()
    step = 3 if kind == 2 else 4
    for row in pixels:
        for x in range(0, len(row), step * 7):  # every seventh pixel is plenty to tell
            seen.add(bytes(row[x : x + step]))
            if len(seen) >= most:
                return most
    return len(seen)


def _unfilter(raw: bytes, width: int, height: int, bpp: int) -> list[bytearray]:
    """PNG scanline filters undone (RFC 2083 section 6)."""
    stride, rows, prior = width * bpp, [], bytearray(width * bpp)
    for y in range(height):
        kind, line = (
            raw[y * (stride + 1)],
            bytearray(raw[y * (stride + 1) + 1 : (y + 1) * (stride + 1)]),
        )
        for i in range(stride):
            left = line[i - bpp] if i >= bpp else 0
            up, corner = prior[i], prior[i - bpp] if i >= bpp else 0
            if kind == 1:
                line[i] = (line[i] + left) & 0xFF
            elif kind == 2:
                line[i] = (line[i] + up) & 0xFF
            elif kind == 3:
                line[i] = (line[i] + (left + up) // 2) & 0xFF
            elif kind == 4:
                p = left + up - corner
                pa, pb, pc = abs(p - left), abs(p - up), abs(p - corner)
                near = left if pa <= pb and pa <= pc else up if pb <= pc else corner
                line[i] = (line[i] + near) & 0xFF
        rows.append(line)
        prior = line
    return rows


def _url(path_or_url: str | Path) -> str:
    text = str(path_or_url)
    return text if "://" in text else Path(text).resolve().as_uri()


def _run(*arguments: str) -> str:
    binary = chromium()
    if binary is None:
        raise RuntimeError("chromium is not installed. Fix: apt-get install -y chromium")
    with tempfile.TemporaryDirectory(prefix="mailer-chromium-") as profile:
        done = subprocess.run(
            [binary, *FLAGS, f"--user-data-dir={profile}", *arguments],
            capture_output=True,
            text=True,
            timeout=TIMEOUT,
            check=False,
        )
    if done.returncode != 0:
        tail = done.stderr.strip().splitlines()[-3:]
        raise RuntimeError(f"chromium exited {done.returncode}: {' | '.join(tail)}")
    return done.stdout
