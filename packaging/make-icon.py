#!/usr/bin/env python3
"""Draws packaging/moescope.png (256x256), the app icon: a tokens x experts routing grid, as the window shows it.

Standard library only (zlib + struct write the PNG), so it runs anywhere: python3 packaging/make-icon.py
"""
import struct
import zlib
from pathlib import Path

SIZE = 256
ROWS, COLS = 8, 8                       # tokens x experts
MARGIN, GAP, RADIUS = 24, 6, 40
BACKGROUND = (11, 11, 43)               # the dark theme's background
RAMP = [(59, 76, 192), (221, 221, 221), (247, 247, 161), (180, 4, 38)]  # cold -> hot


def ramp(t):
    """A colour on the piecewise-linear ramp, t in [0, 1]."""
    t = max(0.0, min(1.0, t)) * (len(RAMP) - 1)
    i = min(int(t), len(RAMP) - 2)
    f = t - i
    return tuple(round(a + (b - a) * f) for a, b in zip(RAMP[i], RAMP[i + 1]))


def weight(row, col):
    """Two experts per token (top-2), drifting across the experts the way a routed prompt does."""
    first = (row * 3) % COLS
    second = (row * 5 + 2) % COLS
    if col == first:
        return 1.0
    if col == second:
        return 0.62
    return 0.08 + 0.05 * ((row + col) % 3)


def inside_rounded(x, y):
    """Whether a pixel lies inside the icon's rounded square."""
    cx = min(max(x, RADIUS), SIZE - 1 - RADIUS)
    cy = min(max(y, RADIUS), SIZE - 1 - RADIUS)
    return (x - cx) ** 2 + (y - cy) ** 2 <= RADIUS ** 2


def pixel(x, y):
    if not inside_rounded(x, y):
        return (0, 0, 0, 0)
    cell = (SIZE - 2 * MARGIN + GAP) / COLS
    col, ox = divmod(x - MARGIN, cell)
    row, oy = divmod(y - MARGIN, cell)
    if 0 <= col < COLS and 0 <= row < ROWS and ox < cell - GAP and oy < cell - GAP:
        return ramp(weight(int(row), int(col))) + (255,)
    return BACKGROUND + (255,)


def png(width, height, rgba_rows):
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    raw = b"".join(b"\x00" + bytes(v for p in row for v in p) for row in rgba_rows)
    header = struct.pack(">IIBBBBB", width, height, 8, 6, 0, 0, 0)  # 8-bit RGBA
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(raw, 9)) + chunk(b"IEND", b"")


if __name__ == "__main__":
    rows = [[pixel(x, y) for x in range(SIZE)] for y in range(SIZE)]
    out = Path(__file__).with_name("moescope.png")
    out.write_bytes(png(SIZE, SIZE, rows))
    print(out, out.stat().st_size, "bytes")
