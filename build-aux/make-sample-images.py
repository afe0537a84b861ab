#!/usr/bin/python3
# make-sample-images.py
#
# Copyright 2026 The Verdict developers
#
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Draws the images attached to the content moderation items of the bundled
# sample queue (data/samples/attachments/*.png): one 480x270 PNG per item,
# made of simple shapes whose colours and forms match the item's description
# (a news screenshot, a guitar, a pill bottle, a review spike chart...).
# Text is drawn as grey bars. Only the Python standard library is used, and
# the output is byte-for-byte reproducible.
#
# Usage: make-sample-images.py [OUTPUT_DIR]   (default: data/samples/attachments)

import math
import os
import struct
import sys
import zlib

W, H = 480, 270


class Canvas:
    def __init__(self, background):
        self.px = bytearray(bytes(background) * (W * H))

    def set(self, x, y, colour):
        if 0 <= x < W and 0 <= y < H:
            i = (y * W + x) * 3
            self.px[i:i + 3] = bytes(colour)

    def rect(self, x, y, w, h, colour):
        x0, y0 = max(0, int(x)), max(0, int(y))
        x1, y1 = min(W, int(x + w)), min(H, int(y + h))
        if x1 <= x0:
            return
        row = bytes(colour) * (x1 - x0)
        for yy in range(y0, y1):
            i = (yy * W + x0) * 3
            self.px[i:i + len(row)] = row

    def ellipse(self, cx, cy, rx, ry, colour):
        for yy in range(int(cy - ry), int(cy + ry) + 1):
            dy = (yy - cy) / ry
            if abs(dy) > 1:
                continue
            half = rx * math.sqrt(1 - dy * dy)
            self.rect(cx - half, yy, 2 * half, 1, colour)

    def circle(self, cx, cy, r, colour):
        self.ellipse(cx, cy, r, r, colour)

    def round_rect(self, x, y, w, h, r, colour):
        self.rect(x + r, y, w - 2 * r, h, colour)
        self.rect(x, y + r, w, h - 2 * r, colour)
        for cx, cy in ((x + r, y + r), (x + w - r - 1, y + r),
                       (x + r, y + h - r - 1), (x + w - r - 1, y + h - r - 1)):
            self.circle(cx, cy, r, colour)

    def polygon(self, points, colour):
        ys = [p[1] for p in points]
        for yy in range(max(0, int(min(ys))), min(H, int(max(ys)) + 1)):
            sy = yy + 0.5
            xs = []
            for (x0, y0), (x1, y1) in zip(points, points[1:] + points[:1]):
                if (y0 <= sy < y1) or (y1 <= sy < y0):
                    xs.append(x0 + (sy - y0) * (x1 - x0) / (y1 - y0))
            xs.sort()
            for a, b in zip(xs[::2], xs[1::2]):
                self.rect(round(a), yy, round(b) - round(a), 1, colour)

    def line(self, x0, y0, x1, y1, width, colour):
        dx, dy = x1 - x0, y1 - y0
        length = math.hypot(dx, dy) or 1
        nx, ny = -dy / length * width / 2, dx / length * width / 2
        self.polygon([(x0 + nx, y0 + ny), (x1 + nx, y1 + ny),
                      (x1 - nx, y1 - ny), (x0 - nx, y0 - ny)], colour)

    def star(self, cx, cy, r, colour):
        points = []
        for k in range(10):
            radius = r if k % 2 == 0 else r * 0.42
            angle = -math.pi / 2 + k * math.pi / 5
            points.append((cx + radius * math.cos(angle), cy + radius * math.sin(angle)))
        self.polygon(points, colour)

    def text_bars(self, x, y, widths, colour, height=8, gap=7):
        """Lines of text, drawn as bars."""
        for w in widths:
            self.round_rect(x, y, w, height, height // 2 - 1, colour)
            y += height + gap
        return y

    def png(self):
        raw = b"".join(b"\0" + bytes(self.px[y * W * 3:(y + 1) * W * 3]) for y in range(H))

        def chunk(kind, data):
            body = kind + data
            return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

        return (b"\x89PNG\r\n\x1a\n"
                + chunk(b"IHDR", struct.pack(">IIBBBBB", W, H, 8, 2, 0, 0, 0))
                + chunk(b"IDAT", zlib.compress(raw, 9))
                + chunk(b"IEND", b""))


WHITE = (255, 255, 255)
PAGE = (246, 245, 244)
GREY = (192, 191, 188)
DARK = (94, 92, 100)
INK = (61, 56, 70)
BLUE = (53, 132, 228)
RED = (224, 27, 36)
ORANGE = (255, 120, 0)
YELLOW = (246, 211, 45)
GREEN = (46, 194, 126)
BROWN = (134, 94, 60)


def post_frame(c, accent, avatar):
    """A forum post screenshot: a title bar, an avatar and lines of text."""
    c.rect(0, 0, W, 34, accent)
    c.text_bars(16, 13, [140], WHITE)
    c.round_rect(12, 46, W - 24, H - 58, 8, WHITE)
    c.circle(44, 78, 18, avatar)
    c.text_bars(72, 64, [110], DARK)
    c.text_bars(72, 84, [70], GREY, height=6)


def forum_wall(c):
    post_frame(c, (38, 162, 105), (152, 106, 68))
    c.text_bars(32, 112, [410, 380, 300, 200], GREY)
    # The thread's photo: a wall with a doorway and a beam above it
    c.rect(250, 180, 200, 70, (222, 221, 218))
    c.rect(250, 180, 200, 10, BROWN)
    for row in range(4):
        for col in range(6):
            off = 16 if row % 2 else 0
            c.rect(254 + col * 33 + off, 194 + row * 14, 28, 10, (205, 171, 143))
    c.rect(330, 200, 40, 50, (119, 118, 123))


def map_pin(c):
    post_frame(c, (28, 113, 216), (192, 97, 203))
    c.text_bars(32, 112, [400, 330], GREY)
    # A street map with a pin on a corner
    c.rect(32, 150, 416, 100, (230, 240, 222))
    for x in (60, 170, 300, 410):
        c.rect(x, 150, 10, 100, WHITE)
    for y in (170, 222):
        c.rect(32, y, 416, 10, WHITE)
    c.rect(190, 186, 90, 30, (255, 190, 111))
    c.circle(305, 185, 16, RED)
    c.polygon([(292, 192), (318, 192), (305, 214)], RED)
    c.circle(305, 185, 6, WHITE)


def news_headline(c):
    c.rect(0, 0, W, 40, (192, 28, 40))
    c.text_bars(16, 16, [120], WHITE)
    c.rect(20, 56, 440, 16, INK)
    c.rect(20, 80, 300, 16, INK)
    c.text_bars(20, 110, [200, 180, 190, 160, 120], GREY)
    # Photo: a syringe with dots
    c.rect(250, 110, 210, 140, (220, 234, 246))
    c.line(280, 220, 400, 140, 16, (153, 193, 241))
    c.line(400, 140, 430, 120, 4, DARK)
    c.line(270, 228, 290, 213, 6, DARK)
    for k, (x, y) in enumerate(((300, 150), (330, 230), (430, 200), (270, 160), (360, 215))):
        c.circle(x, y, 5 + k % 3, (26, 95, 180))


def crypto_giveaway(c):
    c.rect(0, 0, W, H, (36, 31, 49))
    c.circle(140, 135, 70, (247, 147, 26))
    c.circle(140, 135, 56, (255, 190, 111))
    c.rect(126, 95, 14, 80, (247, 147, 26))
    c.round_rect(126, 95, 44, 38, 16, (247, 147, 26))
    c.round_rect(126, 135, 50, 40, 18, (247, 147, 26))
    c.rect(140, 108, 18, 12, (255, 190, 111))
    c.rect(140, 148, 22, 14, (255, 190, 111))
    c.line(225, 135, 285, 135, 14, GREEN)
    c.polygon([(285, 112), (315, 135), (285, 158)], GREEN)
    for dx in (0, 60):
        c.circle(350 + dx, 135, 30, (247, 147, 26))
        c.circle(350 + dx, 135, 22, (255, 190, 111))
    c.round_rect(150, 228, 180, 26, 12, RED)
    c.text_bars(170, 237, [140], WHITE)


def guitar(c):
    c.rect(0, 0, W, H, (61, 56, 70))
    c.rect(0, 220, W, 50, (99, 69, 44))
    # Amplifier
    c.round_rect(300, 90, 150, 130, 8, (36, 31, 49))
    c.rect(312, 102, 126, 20, (200, 200, 190))
    c.round_rect(312, 130, 126, 80, 4, (94, 92, 100))
    for k in range(6):
        c.circle(330 + k * 18, 112, 4, INK)
    # Guitar body, neck and head
    c.ellipse(150, 185, 70, 48, (237, 51, 59))
    c.ellipse(125, 140, 45, 38, (237, 51, 59))
    c.ellipse(140, 170, 18, 14, WHITE)
    c.line(160, 150, 255, 35, 14, (205, 171, 143))
    c.line(250, 42, 268, 20, 18, (99, 69, 44))
    c.rect(110, 200, 60, 8, (36, 31, 49))


def shoe_review(c):
    c.rect(0, 0, W, H, WHITE)
    for k in range(5):
        c.star(60 + k * 44, 40, 18, (245, 194, 17))
    c.text_bars(30, 76, [260, 220, 240], GREY)
    # A trail shoe: sole, upper, laces
    c.polygon([(140, 230), (150, 175), (230, 150), (290, 160), (370, 200), (420, 215),
               (425, 235), (140, 240)], ORANGE)
    c.polygon([(150, 175), (200, 130), (245, 130), (300, 165)], (198, 70, 0))
    c.rect(135, 238, 295, 14, INK)
    for k in range(7):
        c.rect(145 + k * 40, 250, 20, 8, INK)
    for k in range(4):
        c.line(215 + k * 18, 150 + k * 6, 240 + k * 18, 165 + k * 6, 4, WHITE)


def shelter_news(c):
    c.rect(0, 0, W, 36, (26, 95, 180))
    c.text_bars(16, 14, [110], WHITE)
    c.rect(20, 52, 260, 14, INK)
    c.rect(20, 74, 200, 14, INK)
    # Article photo: a shelter building
    c.rect(300, 50, 160, 110, (153, 193, 241))
    c.rect(320, 100, 120, 60, (222, 221, 218))
    c.polygon([(312, 102), (380, 66), (448, 102)], (165, 29, 45))
    for k in range(3):
        c.rect(332 + k * 38, 114, 20, 16, (26, 95, 180))
    # The reported comment
    c.round_rect(20, 176, 440, 80, 8, WHITE)
    c.circle(48, 204, 14, GREY)
    c.text_bars(72, 194, [300, 250], DARK)
    c.round_rect(380, 226, 68, 20, 8, (255, 163, 72))


def meme_podium(c):
    c.rect(0, 0, W, 210, (153, 193, 241))
    c.rect(0, 170, W, 40, (119, 118, 123))
    # A speaker at a podium, and a cheering crowd
    c.circle(240, 70, 22, (222, 170, 130))
    c.round_rect(205, 92, 70, 70, 14, INK)
    c.polygon([(200, 120), (280, 120), (270, 190), (210, 190)], BROWN)
    c.circle(240, 150, 12, YELLOW)
    for k in range(8):
        c.circle(30 + k * 60, 200, 16, (61, 56, 70))
        c.line(30 + k * 60, 190, 18 + k * 60 + (k % 2) * 24, 160, 5, (61, 56, 70))
    c.round_rect(300, 30, 150, 50, 16, WHITE)
    c.polygon([(310, 70), (340, 72), (270, 90)], WHITE)
    c.text_bars(316, 42, [110, 80], INK, height=7, gap=6)
    # Caption strip
    c.rect(0, 210, W, 60, WHITE)
    c.text_bars(120, 228, [240], INK, height=12)


def ballot_banner(c):
    c.rect(0, 0, W, H, (26, 95, 180))
    c.rect(0, 200, W, 70, (28, 113, 216))
    # A schoolhouse
    c.rect(60, 110, 150, 90, (224, 27, 36))
    c.polygon([(50, 112), (135, 55), (220, 112)], (165, 29, 45))
    c.rect(120, 150, 30, 50, WHITE)
    c.rect(128, 30, 6, 40, DARK)
    c.rect(134, 30, 26, 16, YELLOW)
    c.rect(80, 128, 24, 20, (153, 193, 241))
    c.rect(166, 128, 24, 20, (153, 193, 241))
    # A ballot box with NO ticked
    c.round_rect(270, 60, 170, 120, 10, WHITE)
    c.rect(290, 84, 30, 30, INK)
    c.rect(294, 88, 22, 22, WHITE)
    c.line(295, 99, 304, 108, 6, RED)
    c.line(304, 108, 322, 80, 6, RED)
    c.text_bars(334, 94, [80], INK, height=12)
    c.text_bars(290, 136, [130, 100], GREY)
    c.text_bars(140, 226, [200], WHITE, height=10)


def default_avatar(c):
    c.rect(0, 0, W, H, PAGE)
    c.round_rect(140, 25, 200, 220, 12, WHITE)
    c.circle(240, 100, 56, (119, 118, 123))
    c.circle(240, 88, 22, (222, 221, 218))
    c.ellipse(240, 138, 36, 20, (222, 221, 218))
    c.rect(180, 136, 120, 20, (119, 118, 123))
    c.round_rect(170, 180, 140, 14, 6, INK)
    c.round_rect(190, 206, 100, 10, 4, GREY)


def dropper_bottle(c):
    c.rect(0, 0, W, H, (249, 240, 107))
    c.circle(380, 70, 30, (233, 109, 38))
    c.text_bars(30, 30, [220, 180], (152, 106, 68))
    # A brown bottle with a dropper and drops
    c.round_rect(160, 120, 110, 130, 14, (99, 69, 44))
    c.round_rect(175, 165, 80, 50, 6, WHITE)
    c.text_bars(185, 178, [60, 40], GREY, height=6, gap=6)
    c.rect(195, 92, 40, 30, (36, 31, 49))
    c.round_rect(203, 60, 24, 36, 10, (36, 31, 49))
    for k, (x, y) in enumerate(((320, 150), (350, 190), (300, 215))):
        c.circle(x, y, 10 + k * 2, (98, 160, 234))
        c.polygon([(x - 9 - k * 2, y - 3), (x + 9 + k * 2, y - 3), (x, y - 26 - k * 2)], (98, 160, 234))


def pill_listing(c):
    c.rect(0, 0, W, H, WHITE)
    c.rect(0, 220, W, 50, PAGE)
    c.text_bars(300, 236, [140], INK, height=10)
    # Pill bottle
    c.round_rect(60, 70, 120, 170, 10, (255, 163, 72))
    c.rect(60, 50, 120, 30, WHITE)
    c.rect(60, 74, 120, 4, GREY)
    c.round_rect(76, 120, 88, 70, 4, WHITE)
    c.text_bars(86, 134, [60, 44, 52], GREY, height=6, gap=6)
    # Capsules
    for k, (x, y, a) in enumerate(((240, 120, 0.3), (300, 160, -0.5), (360, 110, 0.9),
                                    (250, 190, -1.1), (410, 170, 0.1), (330, 60, 0.6))):
        dx, dy = math.cos(a) * 18, math.sin(a) * 18
        c.line(x - dx, y - dy, x, y, 18, ORANGE)
        c.line(x, y, x + dx, y + dy, 18, (246, 245, 244) if k % 2 else (53, 132, 228))
        c.circle(x - dx, y - dy, 9, ORANGE)
        c.circle(x + dx, y + dy, 9, (246, 245, 244) if k % 2 else (53, 132, 228))


def redacted_post(c):
    post_frame(c, (97, 53, 131), (53, 132, 228))
    # The removed post: one word blacked out
    c.text_bars(32, 112, [410], GREY)
    c.round_rect(32, 134, 140, 8, 3, GREY)
    c.rect(182, 130, 70, 16, (0, 0, 0))
    c.round_rect(262, 134, 180, 8, 3, GREY)
    c.text_bars(32, 156, [380, 260], GREY)
    c.round_rect(32, 204, 230, 34, 8, (255, 220, 222))
    c.text_bars(44, 218, [200], RED)


def review_spike(c):
    c.rect(0, 0, W, H, WHITE)
    c.star(36, 30, 14, (245, 194, 17))
    c.text_bars(60, 26, [180], INK)
    # Reviews per hour: flat, then a one-star spike
    base = 240
    c.rect(30, base, 430, 2, DARK)
    counts = [2, 1, 3, 2, 1, 2, 3, 2, 1, 2, 2, 3, 37, 4]
    for k, n in enumerate(counts):
        h = n * 4.8
        c.rect(40 + k * 30, base - h, 20, h, RED if n > 10 else (98, 160, 234))
    c.circle(420, 70, 22, RED)
    c.rect(417, 56, 6, 18, WHITE)
    c.rect(417, 78, 6, 6, WHITE)


IMAGES = {
    "cm-20441": forum_wall,
    "cm-20452": map_pin,
    "cm-20460": news_headline,
    "cm-20466": crypto_giveaway,
    "cm-20471": guitar,
    "cm-20478": shoe_review,
    "cm-20483": shelter_news,
    "cm-20489": meme_podium,
    "cm-20494": ballot_banner,
    "cm-20497": default_avatar,
    "cm-20503": dropper_bottle,
    "cm-20508": pill_listing,
    "cm-20512": redacted_post,
    "cm-20517": review_spike,
}


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else os.path.join(
        os.path.dirname(os.path.abspath(__file__)), "..", "data", "samples", "attachments")
    os.makedirs(out, exist_ok=True)
    for task_id, draw in IMAGES.items():
        canvas = Canvas(PAGE)
        draw(canvas)
        data = canvas.png()
        with open(os.path.join(out, task_id + ".png"), "wb") as f:
            f.write(data)
        print(f"{task_id}.png: {len(data)} bytes")
    return 0


if __name__ == "__main__":
    sys.exit(main())
