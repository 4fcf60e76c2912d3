"""Image Delivery API URL builder: exact encodings, validation, immutability, security, srcset."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any, assert_type
from urllib.parse import parse_qsl, quote, urlsplit

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from contentstack_client._generated.cda.models import Asset
from contentstack_client._images import (
    HasUrl,
    ImageTransform,
    Percent,
    image,
    srcset,
)

# The example asset of the Image Delivery API reference.
OWL = (
    "https://images.contentstack.io/v3/assets/blteae40eb499811073/"
    "bltc5064f36b5855343/59e0c41ac0eddd140d5a8e3e/owl.jpg"
)
LOGO_PATH = "/v3/assets/blteae40eb499811073/blt0000000000000001/5a00000000000000000001/logo.png"

Build = Callable[[ImageTransform], ImageTransform]


def _call(method: str, *args: Any, **kwargs: Any) -> Build:
    """A builder calling one method, for cases generated in a loop."""

    def build(t: ImageTransform) -> ImageTransform:
        result: ImageTransform = getattr(t, method)(*args, **kwargs)
        return result

    return build


def query(t: ImageTransform) -> str:
    return urlsplit(t.url).query


# ---------------------------------------------------------------------------------------
# Exact encoded output of every parameter
# ---------------------------------------------------------------------------------------

ENCODINGS: list[tuple[str, Build, str]] = [
    # size
    ("width px", lambda t: t.width(100), "width=100"),
    ("width max", lambda t: t.width(8192), "width=8192"),
    ("width fraction", lambda t: t.width(0.5), "width=0.5"),
    ("width percent (reference: 300p)", lambda t: t.width(Percent(300)), "width=300p"),
    ("width percent float", lambda t: t.width(Percent(33.5)), "width=33.5p"),
    ("height px", lambda t: t.height(550), "height=550"),
    ("height fraction", lambda t: t.height(0.25), "height=0.25"),
    ("height percent", lambda t: t.height(Percent(150)), "height=150p"),
    ("dpr int", lambda t: t.width(300).dpr(2), "width=300&dpr=2"),
    ("dpr float", lambda t: t.width(300).dpr(1.5), "width=300&dpr=1.5"),
    ("dpr integral float", lambda t: t.width(300).dpr(2.0), "width=300&dpr=2"),
    ("dpr tiny (no exponent)", lambda t: t.width(300).dpr(1e-05), "width=300&dpr=0.00001"),
    ("dpr max", lambda t: t.height(10).dpr(10000), "height=10&dpr=10000"),
    ("fit bounds", lambda t: t.width(10).height(20).fit("bounds"), "width=10&height=20&fit=bounds"),
    ("fit crop", lambda t: t.fit("crop"), "fit=crop"),
    ("fit cover", lambda t: t.fit("cover"), "fit=cover"),
    ("disable upscale", lambda t: t.disable_upscale(), "disable=upscale"),
    ("resize-filter nearest", lambda t: t.resize_filter("nearest"), "resize-filter=nearest"),
    ("resize-filter bilinear", lambda t: t.resize_filter("bilinear"), "resize-filter=bilinear"),
    ("resize-filter bicubic", lambda t: t.resize_filter("bicubic"), "resize-filter=bicubic"),
    ("resize-filter lanczos2", lambda t: t.resize_filter("lanczos2"), "resize-filter=lanczos2"),
    ("resize-filter lanczos3", lambda t: t.resize_filter("lanczos3"), "resize-filter=lanczos3"),
    # format and quality
    *[
        (f"format {f}", _call("format", f), f"format={f}")
        for f in ("auto", "gif", "png", "jpg", "pjpg", "webp", "webpll", "webply", "avif")
    ],
    ("auto default webp", lambda t: t.auto(), "auto=webp"),
    ("auto avif", lambda t: t.auto("avif"), "auto=avif"),
    (
        "auto with progressive jpeg fallback",
        lambda t: t.format("pjpg").auto("webp"),
        "auto=webp&format=pjpg",
    ),
    ("quality min", lambda t: t.quality(1), "quality=1"),
    ("quality max", lambda t: t.quality(100), "quality=100"),
    # crop (reference examples)
    ("crop px", lambda t: t.crop(300, 400), "crop=300,400"),
    ("crop fractions", lambda t: t.crop(0.5, 0.6), "crop=0.5,0.6"),
    ("crop mixed", lambda t: t.crop(300, 0.6), "crop=300,0.6"),
    ("crop percent", lambda t: t.crop(Percent(100), 400), "crop=100p,400"),
    ("crop ratio", lambda t: t.crop_ratio(1, 3), "crop=1:3"),
    ("crop ratio float", lambda t: t.crop_ratio(1.91, 1), "crop=1.91:1"),
    ("crop region px", lambda t: t.crop(300, 400, x=150, y=75), "crop=300,400,x150,y75"),
    ("crop region fraction", lambda t: t.crop(300, 400, x=0.5, y=0.6), "crop=300,400,x0.5,y0.6"),
    ("crop region zero", lambda t: t.crop(300, 400, x=0, y=0), "crop=300,400,x0,y0"),
    (
        "crop offsets",
        lambda t: t.crop(300, 400, offset_x=10.5, offset_y=50),
        "crop=300,400,offset-x10.5,offset-y50",
    ),
    ("crop x only", lambda t: t.crop(300, 400, x=10), "crop=300,400,x10"),
    (
        "crop mixed axes",
        lambda t: t.crop(300, 400, x=10, offset_y=20),
        "crop=300,400,x10,offset-y20",
    ),
    ("crop safe", lambda t: t.crop(300, 400, safe=True), "crop=300,400,safe"),
    ("crop smart", lambda t: t.crop_ratio(16, 9, smart=True), "crop=16:9,smart"),
    (
        "crop region safe smart",
        lambda t: t.crop(300, 400, x=1, y=2, safe=True, smart=True),
        "crop=300,400,x1,y2,safe,smart",
    ),
    ("crop ratio offset", lambda t: t.crop_ratio(4, 3, offset_y=0), "crop=4:3,offset-y0"),
    # canvas (same forms as crop; reference examples)
    ("canvas px", lambda t: t.canvas(700, 800), "canvas=700,800"),
    ("canvas fractions", lambda t: t.canvas(0.7, 0.8), "canvas=0.7,0.8"),
    ("canvas mixed", lambda t: t.canvas(700, 0.8), "canvas=700,0.8"),
    ("canvas ratio", lambda t: t.canvas_ratio(2, 3), "canvas=2:3"),
    ("canvas region", lambda t: t.canvas(700, 800, x=10, y=20), "canvas=700,800,x10,y20"),
    (
        "canvas offsets",
        lambda t: t.canvas(700, 800, offset_x=25, offset_y=75),
        "canvas=700,800,offset-x25,offset-y75",
    ),
    ("canvas ratio safe", lambda t: t.canvas_ratio(2, 3, safe=True), "canvas=2:3,safe"),
    # trim and pad (reference examples: CSS shorthand)
    ("trim 4", lambda t: t.trim(25, 50, 75, 100), "trim=25,50,75,100"),
    ("trim 3", lambda t: t.trim(25, 50, 75), "trim=25,50,75"),
    ("trim 2", lambda t: t.trim(50, 100), "trim=50,100"),
    ("trim 1", lambda t: t.trim(50), "trim=50"),
    ("trim fraction", lambda t: t.trim(0.25), "trim=0.25"),
    ("trim zero side", lambda t: t.trim(0, 10), "trim=0,10"),
    ("trim percent", lambda t: t.trim(Percent(10), 5), "trim=10p,5"),
    ("pad 4", lambda t: t.pad(25, 50, 75, 100), "pad=25,50,75,100"),
    ("pad 3", lambda t: t.pad(25, 50, 75), "pad=25,50,75"),
    ("pad 2", lambda t: t.pad(50, 100), "pad=50,100"),
    ("pad 1", lambda t: t.pad(50), "pad=50"),
    # orient
    *[(f"orient {n}", _call("orient", n), f"orient={n}") for n in (1, 2, 3, 4, 5, 6, 7, 8)],
    # bg-color (reference: cccccc)
    ("bg-color hex6", lambda t: t.bg_color("cccccc"), "bg-color=cccccc"),
    ("bg-color hex3 with #", lambda t: t.bg_color("#CCC"), "bg-color=ccc"),
    ("bg-color rgb", lambda t: t.bg_color((0, 255, 0)), "bg-color=0,255,0"),
    ("bg-color rgba", lambda t: t.bg_color((0, 255, 0, 0.5)), "bg-color=0,255,0,0.5"),
    ("bg-color rgba opaque int", lambda t: t.bg_color((1, 2, 3, 1)), "bg-color=1,2,3,1"),
    ("bg-color hex8 as rgba", lambda t: t.bg_color("ff000080"), "bg-color=255,0,0,0.502"),
    ("bg-color hex8 opaque", lambda t: t.bg_color("#00FF00FF"), "bg-color=0,255,0,1"),
    # overlay and its settings
    ("overlay path", lambda t: t.overlay(LOGO_PATH), f"overlay={LOGO_PATH}"),
    (
        "overlay same-host URL becomes root-relative",
        lambda t: t.overlay("https://images.contentstack.io" + LOGO_PATH),
        f"overlay={LOGO_PATH}",
    ),
    (
        "overlay with its own query is one value",
        lambda t: t.overlay(LOGO_PATH + "?width=50&height=20"),
        f"overlay={LOGO_PATH}%3Fwidth%3D50%26height%3D20",
    ),
    (
        "overlay space",
        lambda t: t.overlay("/v3/a/Overlay small.jpg"),
        "overlay=/v3/a/Overlay%20small.jpg",
    ),
    ("overlay fragment dropped", lambda t: t.overlay("/v3/a/x.png#f"), "overlay=/v3/a/x.png"),
    *[
        (
            f"overlay-align {a}",
            _call("overlay", LOGO_PATH, align=a),
            f"overlay={LOGO_PATH}&overlay-align={a}",
        )
        for a in ("top", "bottom", "left", "right", "middle", "center", "bottom,right", "top,left")
    ],
    *[
        (
            f"overlay-repeat {r}",
            _call("overlay", LOGO_PATH, repeat=r),
            f"overlay={LOGO_PATH}&overlay-repeat={r}",
        )
        for r in ("x", "y", "both")
    ],
    (
        "overlay size",
        lambda t: t.overlay(LOGO_PATH, width=100, height=Percent(50)),
        f"overlay={LOGO_PATH}&overlay-width=100&overlay-height=50p",
    ),
    (
        "overlay size fractions",
        lambda t: t.overlay(LOGO_PATH, width=0.5, height=0.25),
        f"overlay={LOGO_PATH}&overlay-width=0.5&overlay-height=0.25",
    ),
    (
        "overlay-pad 3 (reference)",
        lambda t: t.overlay(LOGO_PATH, pad=(30, 25, 50)),
        f"overlay={LOGO_PATH}&overlay-pad=30,25,50",
    ),
    (
        "overlay-pad single",
        lambda t: t.overlay(LOGO_PATH, pad=25),
        f"overlay={LOGO_PATH}&overlay-pad=25",
    ),
    (
        "overlay everything",
        lambda t: t.overlay(
            LOGO_PATH, align="middle,center", repeat="both", width=10, height=20, pad=[1, 2, 3, 4]
        ),
        f"overlay={LOGO_PATH}&overlay-align=middle,center&overlay-repeat=both"
        "&overlay-width=10&overlay-height=20&overlay-pad=1,2,3,4",
    ),
    # effects
    ("blur min", lambda t: t.blur(1), "blur=1"),
    ("blur reference 40", lambda t: t.blur(40), "blur=40"),
    ("blur float", lambda t: t.blur(2.5), "blur=2.5"),
    ("blur max", lambda t: t.blur(1000), "blur=1000"),
    ("sharpen (Fastly example)", lambda t: t.sharpen(5, 2, 1), "sharpen=a5,r2,t1"),
    ("sharpen bounds", lambda t: t.sharpen(0, 0.5, 255), "sharpen=a0,r0.5,t255"),
    ("sharpen float amount", lambda t: t.sharpen(2.5, 1000, 0), "sharpen=a2.5,r1000,t0"),
    ("saturation +", lambda t: t.saturation(50), "saturation=50"),
    ("saturation -", lambda t: t.saturation(-100), "saturation=-100"),
    ("saturation float", lambda t: t.saturation(-20.25), "saturation=-20.25"),
    ("contrast", lambda t: t.contrast(100), "contrast=100"),
    ("contrast -", lambda t: t.contrast(-0.5), "contrast=-0.5"),
    ("brightness", lambda t: t.brightness(-100), "brightness=-100"),
    ("brightness float", lambda t: t.brightness(99.99), "brightness=99.99"),
    ("frame", lambda t: t.frame(), "frame=1"),
    ("frame explicit", lambda t: t.frame(1), "frame=1"),
    # delivery
    ("disposition attachment", lambda t: t.disposition("attachment"), "disposition=attachment"),
    ("disposition inline", lambda t: t.disposition("inline"), "disposition=inline"),
    ("environment", lambda t: t.environment("production"), "environment=production"),
    ("environment encoded", lambda t: t.environment("a b&c"), "environment=a%20b%26c"),
    ("param str", lambda t: t.param("download", "true"), "download=true"),
    ("param int", lambda t: t.param("x-new", 3), "x-new=3"),
    ("param brackets encoded", lambda t: t.param("a[]", "1"), "a%5B%5D=1"),
]


@pytest.mark.parametrize(
    ("build", "expected"),
    [pytest.param(build, expected, id=name) for name, build, expected in ENCODINGS],
)
def test_exact_encoding(build: Build, expected: str) -> None:
    t = build(image(OWL))
    assert t.url == f"{OWL}?{expected}"
    assert str(t) == t.url


def test_reference_multi_parameter_example() -> None:
    # "…/owl.jpg?width=500&height=550&resize-filter=nearest" in the reference introduction.
    t = image(OWL).resize_filter("nearest").height(550).width(500)
    assert t.url == f"{OWL}?width=500&height=550&resize-filter=nearest"


def test_params_are_unencoded_pairs_in_send_order() -> None:
    t = image(OWL).overlay("/v3/a b.png").environment("prod").width(10)
    assert t.params == (("environment", "prod"), ("width", "10"), ("overlay", "/v3/a b.png"))
    assert parse_qsl(query(t)) == list(t.params)


def test_no_params_gives_the_source_url() -> None:
    assert image(OWL).url == OWL
    assert image(OWL).params == ()


# ---------------------------------------------------------------------------------------
# Validation
# ---------------------------------------------------------------------------------------

BAD: list[tuple[str, Callable[[ImageTransform], object], type[Exception], str]] = [
    ("width 0", lambda t: t.width(0), ValueError, r"width: .*1 to 8192"),
    ("width too big", lambda t: t.width(8193), ValueError, r"width: .*8192"),
    ("width negative", lambda t: t.width(-1), ValueError, r"width"),
    ("width float 1.0", lambda t: t.width(1.0), ValueError, r"width: .*fraction"),
    ("width float 0", lambda t: t.width(0.0), ValueError, r"width"),
    ("width nan", lambda t: t.width(float("nan")), ValueError, r"width"),
    ("width bool", lambda t: t.width(True), TypeError, r"width: .*bool"),
    ("width str", lambda t: t.width("300p"), TypeError, r"width"),  # type: ignore[arg-type]
    ("height 0", lambda t: t.height(0), ValueError, r"height"),
    ("height str", lambda t: t.height("1"), TypeError, r"height"),  # type: ignore[arg-type]
    ("dpr 0", lambda t: t.dpr(0), ValueError, r"dpr: .*above 0 to 10000"),
    ("dpr too big", lambda t: t.dpr(10000.5), ValueError, r"dpr"),
    ("dpr inf", lambda t: t.dpr(float("inf")), ValueError, r"dpr"),
    ("dpr str", lambda t: t.dpr("2"), TypeError, r"dpr"),  # type: ignore[arg-type]
    ("fit", lambda t: t.fit("fill"), ValueError, r"fit: .*'bounds'"),  # type: ignore[arg-type]
    ("resize-filter", lambda t: t.resize_filter("lanczos"), ValueError, r"resize-filter"),  # type: ignore[arg-type]
    ("format", lambda t: t.format("jpeg"), ValueError, r"format: .*'pjpg'"),  # type: ignore[arg-type]
    ("auto", lambda t: t.auto("jpg"), ValueError, r"auto: .*'avif'"),  # type: ignore[arg-type]
    ("quality 0", lambda t: t.quality(0), ValueError, r"quality: .*1 to 100"),
    ("quality 101", lambda t: t.quality(101), ValueError, r"quality: .*1 to 100"),
    ("quality float", lambda t: t.quality(50.0), TypeError, r"quality: expected an int"),  # type: ignore[arg-type]
    ("quality bool", lambda t: t.quality(True), TypeError, r"quality"),
    ("crop 0", lambda t: t.crop(0, 10), ValueError, r"crop width"),
    ("crop height float", lambda t: t.crop(10, 1.5), ValueError, r"crop height"),
    (
        "crop x and offset_x",
        lambda t: t.crop(1, 1, x=1, offset_x=1),
        ValueError,
        r"crop: give x or offset_x",
    ),
    (
        "crop y and offset_y",
        lambda t: t.crop(1, 1, y=1, offset_y=1),
        ValueError,
        r"crop: give y or offset_y",
    ),
    ("crop x negative", lambda t: t.crop(1, 1, x=-1), ValueError, r"crop x"),
    ("crop y fraction 1", lambda t: t.crop(1, 1, y=1.0), ValueError, r"crop y"),
    ("crop x str", lambda t: t.crop(1, 1, x="1"), TypeError, r"crop x"),  # type: ignore[arg-type]
    (
        "crop offset > 100",
        lambda t: t.crop(1, 1, offset_x=101),
        ValueError,
        r"crop offset_x: .*0 to 100",
    ),
    ("crop offset < 0", lambda t: t.crop(1, 1, offset_y=-1), ValueError, r"crop offset_y"),
    ("crop safe not bool", lambda t: t.crop(1, 1, safe=1), TypeError, r"crop safe"),  # type: ignore[arg-type]
    ("crop ratio 0", lambda t: t.crop_ratio(0, 1), ValueError, r"crop ratio width"),
    ("crop ratio negative", lambda t: t.crop_ratio(1, -2), ValueError, r"crop ratio height"),
    ("canvas 0", lambda t: t.canvas(10, 0), ValueError, r"canvas height"),
    ("canvas ratio", lambda t: t.canvas_ratio(1, 0), ValueError, r"canvas ratio height"),
    ("canvas offsets", lambda t: t.canvas(1, 1, x=1, offset_x=2), ValueError, r"canvas: give x"),
    ("trim none", lambda t: t.trim(), ValueError, r"trim: expected 1 to 4 values"),
    ("trim five", lambda t: t.trim(1, 2, 3, 4, 5), ValueError, r"trim: expected 1 to 4"),
    ("trim negative", lambda t: t.trim(-1), ValueError, r"trim"),
    ("pad none", lambda t: t.pad(), ValueError, r"pad: expected 1 to 4"),
    ("pad str", lambda t: t.pad("1"), TypeError, r"pad"),  # type: ignore[arg-type]
    ("orient 0", lambda t: t.orient(0), ValueError, r"orient: .*1 to 8"),  # type: ignore[arg-type]
    ("orient 9", lambda t: t.orient(9), ValueError, r"orient: .*1 to 8"),  # type: ignore[arg-type]
    ("orient str", lambda t: t.orient("r"), TypeError, r"orient"),  # type: ignore[arg-type]
    ("bg-color hex 4", lambda t: t.bg_color("abcd"), ValueError, r"bg-color: .*3, 6 or 8"),
    ("bg-color hex junk", lambda t: t.bg_color("zzzzzz"), ValueError, r"bg-color"),
    ("bg-color inject", lambda t: t.bg_color("fff&width=1"), ValueError, r"bg-color"),
    (
        "bg-color channel 256",
        lambda t: t.bg_color((256, 0, 0)),
        ValueError,
        r"bg-color channel: .*0 to 255",
    ),
    ("bg-color channel float", lambda t: t.bg_color((1.5, 0, 0)), TypeError, r"bg-color channel"),  # type: ignore[arg-type]
    (
        "bg-color alpha",
        lambda t: t.bg_color((0, 0, 0, 1.5)),
        ValueError,
        r"bg-color alpha: .*0 to 1",
    ),
    ("bg-color length", lambda t: t.bg_color((0, 0)), TypeError, r"bg-color"),  # type: ignore[arg-type]
    (
        "overlay relative",
        lambda t: t.overlay("logo.png"),
        ValueError,
        r"overlay: expected a root-relative",
    ),
    (
        "overlay other host",
        lambda t: t.overlay("https://evil.example/x.png"),
        ValueError,
        r"overlay: .*own host",
    ),
    (
        "overlay other port",
        lambda t: t.overlay("https://images.contentstack.io:8443/x.png"),
        ValueError,
        r"overlay",
    ),
    (
        "overlay protocol-relative",
        lambda t: t.overlay("//evil.example/x.png"),
        ValueError,
        r"overlay",
    ),
    ("overlay javascript", lambda t: t.overlay("javascript:alert(1)"), ValueError, r"overlay"),
    (
        "overlay backslash",
        lambda t: t.overlay("/\\evil.example/x.png"),
        ValueError,
        r"overlay: backslash",
    ),
    ("overlay CRLF", lambda t: t.overlay("/x.png\r\nX: y"), ValueError, r"overlay: control"),
    ("overlay empty", lambda t: t.overlay(""), ValueError, r"overlay: must not be empty"),
    ("overlay int", lambda t: t.overlay(3), TypeError, r"URL string"),  # type: ignore[arg-type]
    ("overlay-align", _call("overlay", LOGO_PATH, align="left,top"), ValueError, r"overlay-align"),
    ("overlay-repeat", lambda t: t.overlay(LOGO_PATH, repeat="xy"), ValueError, r"overlay-repeat"),  # type: ignore[arg-type]
    ("overlay-width", lambda t: t.overlay(LOGO_PATH, width=0), ValueError, r"overlay-width"),
    ("overlay-height", lambda t: t.overlay(LOGO_PATH, height=9000), ValueError, r"overlay-height"),
    (
        "overlay-pad",
        lambda t: t.overlay(LOGO_PATH, pad=()),
        ValueError,
        r"overlay-pad: expected 1 to 4",
    ),
    ("overlay-pad str", lambda t: t.overlay(LOGO_PATH, pad="5"), TypeError, r"overlay-pad"),  # type: ignore[arg-type]
    (
        "param inf",
        lambda t: t.param("x", float("inf")),
        ValueError,
        r"x: expected a number \(finite\)",
    ),
    ("blur 0", lambda t: t.blur(0), ValueError, r"blur: .*1 to 1000"),
    ("blur 1001", lambda t: t.blur(1001), ValueError, r"blur"),
    ("sharpen amount", lambda t: t.sharpen(11, 1, 1), ValueError, r"sharpen amount: .*0 to 10"),
    (
        "sharpen radius",
        lambda t: t.sharpen(1, 0.4, 1),
        ValueError,
        r"sharpen radius: .*0.5 to 1000",
    ),
    (
        "sharpen threshold",
        lambda t: t.sharpen(1, 1, 256),
        ValueError,
        r"sharpen threshold: .*0 to 255",
    ),
    ("sharpen threshold float", lambda t: t.sharpen(1, 1, 1.5), TypeError, r"sharpen threshold"),  # type: ignore[arg-type]
    ("saturation", lambda t: t.saturation(101), ValueError, r"saturation: .*-100 to 100"),
    ("contrast", lambda t: t.contrast(-101), ValueError, r"contrast: .*-100 to 100"),
    ("brightness", lambda t: t.brightness(100.01), ValueError, r"brightness: .*-100 to 100"),
    ("brightness str", lambda t: t.brightness("1"), TypeError, r"brightness"),  # type: ignore[arg-type]
    ("frame 2", lambda t: t.frame(2), ValueError, r"frame: .*1 to 1"),  # type: ignore[arg-type]
    ("disposition", lambda t: t.disposition("download"), ValueError, r"disposition"),  # type: ignore[arg-type]
    (
        "environment empty",
        lambda t: t.environment(""),
        ValueError,
        r"environment: must not be empty",
    ),
    ("environment LF", lambda t: t.environment("prod\nx"), ValueError, r"environment: control"),
    ("environment NUL", lambda t: t.environment("a\x00"), ValueError, r"environment: control"),
    (
        "environment surrogate",
        lambda t: t.environment("\ud800"),
        ValueError,
        r"environment: not encodable",
    ),
    ("environment int", lambda t: t.environment(1), TypeError, r"environment"),  # type: ignore[arg-type]
    ("param bad name", lambda t: t.param("a=b", "1"), ValueError, r"param: invalid name"),
    ("param name &", lambda t: t.param("a&b", "1"), ValueError, r"param: invalid name"),
    (
        "param typed name",
        lambda t: t.param("width", "9999"),
        ValueError,
        r"param: 'width' has its own method",
    ),
    ("param CR", lambda t: t.param("x", "1\r2"), ValueError, r"x: control"),
    ("param nan", lambda t: t.param("x", float("nan")), ValueError, r"x"),
    ("param bool", lambda t: t.param("x", True), TypeError, r"x"),
    ("Percent 0", lambda t: Percent(0), ValueError, r"Percent: .*above 0"),
    ("Percent str", lambda t: Percent("5"), TypeError, r"Percent"),  # type: ignore[arg-type]
]


@pytest.mark.parametrize(
    ("call", "error", "message"),
    [pytest.param(call, error, message, id=name) for name, call, error, message in BAD],
)
def test_bad_values_are_refused(
    call: Callable[[ImageTransform], object], error: type[Exception], message: str
) -> None:
    t = image(OWL)
    with pytest.raises(error, match=message):
        call(t)
    assert t.params == ()


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("/v3/assets/a/b/c.png", r"relative asset URL"),
        ("v3/assets/a.png", r"absolute http\(s\)"),
        ("ftp://images.contentstack.io/a.png", r"absolute http\(s\)"),
        ("javascript:alert(1)", r"absolute http\(s\)"),
        ("data:image/png;base64,AAAA", r"absolute http\(s\)"),
        ("https:///a.png", r"no host"),
        ("https://", r"no host"),
        ("https://images.contentstack.io:99999/a.png", r"port"),
        ("https://images.contentstack.io:x/a.png", r"port"),
        ("https://images.contentstack.io/a\r\nb.png", r"control"),
        ("https://images.contentstack.io/a\tb.png", r"control"),
        (" https://images.contentstack.io/a.png", r"whitespace"),
        ("https://images.contentstack.io/a.png ", r"whitespace"),
        ("", r"must not be empty"),
    ],
)
def test_bad_source_urls_are_refused(url: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        image(url)


def test_bad_source_types_are_refused() -> None:
    with pytest.raises(TypeError, match="URL string"):
        image(42)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match=r"Asset\.url is not a URL string"):
        image(Asset.from_dict({"uid": "blt1"}))
    with pytest.raises(TypeError, match="URL string"):
        ImageTransform(b"https://images.contentstack.io/a.png")  # type: ignore[arg-type]


# ---------------------------------------------------------------------------------------
# Immutability, equality, order independence
# ---------------------------------------------------------------------------------------


def test_every_call_returns_a_new_object() -> None:
    base = image(OWL)
    sized = base.width(100)
    assert sized is not base
    assert base.params == ()
    assert base.url == OWL
    smaller = sized.width(50)
    assert sized.params == (("width", "100"),)
    assert smaller.params == (("width", "50"),)


def test_attributes_cannot_be_assigned() -> None:
    t = image(OWL).width(1)
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        t._values = ()  # type: ignore[misc]
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        t._url = "https://evil.example/"  # type: ignore[misc]
    with pytest.raises(AttributeError):
        t.url = "https://evil.example/"  # type: ignore[misc]


def test_equal_transforms_are_equal_and_hashable() -> None:
    a = image(OWL).width(100).quality(80)
    b = image(OWL).quality(80).width(100)
    assert a == b
    assert hash(a) == hash(b)
    assert len({a, b}) == 1
    assert a != image(OWL).width(100)


ORDER_BUILDERS: list[Build] = [
    lambda t: t.width(300),
    lambda t: t.height(200),
    lambda t: t.format("webp"),
    lambda t: t.quality(70),
    lambda t: t.crop(100, 100, smart=True),
    lambda t: t.bg_color("fff"),
    lambda t: t.overlay(LOGO_PATH, align="top"),
    lambda t: t.blur(3),
    lambda t: t.environment("prod"),
    lambda t: t.param("zz", "1"),
    lambda t: t.param("aa", "2"),
]


@settings(max_examples=40, deadline=None)
@given(st.permutations(range(len(ORDER_BUILDERS))))
def test_chaining_order_does_not_change_the_url(order: list[int]) -> None:
    forward = image(OWL)
    for build in ORDER_BUILDERS:
        forward = build(forward)
    shuffled = image(OWL)
    for i in order:
        shuffled = ORDER_BUILDERS[i](shuffled)
    assert shuffled.url == forward.url
    assert shuffled == forward


def test_last_value_of_a_parameter_wins() -> None:
    t = image(OWL).width(100).quality(10).width(200)
    assert t.url == f"{OWL}?quality=10&width=200"


def test_a_new_overlay_replaces_all_overlay_settings() -> None:
    t = image(OWL).overlay(LOGO_PATH, align="top", repeat="x", width=10, pad=1)
    t = t.overlay("/v3/other.png")
    assert t.params == (("overlay", "/v3/other.png"),)


def test_crop_and_crop_ratio_share_one_parameter() -> None:
    assert image(OWL).crop(1, 2).crop_ratio(3, 4).params == (("crop", "3:4"),)


def test_repr_is_readable() -> None:
    t = image(OWL).width(300).bg_color("ccc")
    assert repr(t) == f"ImageTransform({OWL!r}, {{'width': '300', 'bg-color': 'ccc'}})"
    assert repr(Percent(50)) == "Percent(value=50)"
    assert str(Percent(50)) == "50p"


# ---------------------------------------------------------------------------------------
# Existing query strings, fragments and hosts
# ---------------------------------------------------------------------------------------


def test_existing_query_is_kept_and_joined_with_ampersand() -> None:
    t = image(OWL + "?environment=production&v=2").width(10)
    assert t.url == f"{OWL}?environment=production&v=2&width=10"
    assert t.url.count("?") == 1


def test_existing_raw_query_segments_are_not_reencoded() -> None:
    t = image(OWL + "?a=%2F%20x&b").width(10)
    assert t.url == f"{OWL}?a=%2F%20x&b&width=10"


def test_existing_parameters_set_again_are_replaced() -> None:
    t = image(OWL + "?width=5&keep=1&WIDTH=7&wid%74h=6").width(10)
    # ``wid%74h`` decodes to ``width``; ``WIDTH`` is another name.
    assert t.url == f"{OWL}?keep=1&WIDTH=7&width=10"


def test_empty_query_and_empty_segments() -> None:
    assert image(OWL + "?").width(1).url == f"{OWL}?width=1"
    assert image(OWL + "?a=1&&b=2&").width(1).url == f"{OWL}?a=1&b=2&width=1"


def test_fragment_is_kept_after_the_query() -> None:
    assert image(OWL + "?a=1#part").width(1).url == f"{OWL}?a=1&width=1#part"
    assert image(OWL + "#part").width(1).url == f"{OWL}?width=1#part"


def test_path_is_never_touched() -> None:
    url = "https://images.contentstack.io/v3/assets/k/u/v/Change BG Color%2B.png"
    t = image(url).width(100)
    assert t.url == url + "?width=100"
    assert t.source_url == url


def test_http_port_and_uppercase_scheme_are_accepted() -> None:
    # urlsplit lowercases the scheme; schemes are case-insensitive, the path is untouched.
    t = image("HTTP://localhost:8080/A.png").width(1)
    assert t.url == "http://localhost:8080/A.png?width=1"
    assert image("http://localhost:8080/a.png").overlay("http://LOCALHOST:8080/o.png").params == (
        ("overlay", "/o.png"),
    )
    # Default ports are the same origin.
    assert image("https://h.example/a.png").overlay("https://h.example:443/o.png").params == (
        ("overlay", "/o.png"),
    )


@pytest.mark.parametrize(
    "payload",
    [
        "prod&width=9999",
        "prod#frag",
        "a=b",
        "?x=1",
        "x;y=1",
        "100%",
        "a+b",
        "\u00e9t\u00e9",
    ],
)
def test_values_cannot_inject_parameters(payload: str) -> None:
    for t in (
        image(OWL).environment(payload),
        image(OWL).param("x", payload),
        image(OWL).overlay("/v3/" + payload),
    ):
        parts = urlsplit(t.url)
        assert parts.fragment == ""
        assert (parts.scheme, parts.netloc, parts.path) == urlsplit(OWL)[:3]
        assert parse_qsl(parts.query, strict_parsing=True) == list(t.params)
        assert len(parse_qsl(parts.query)) == 1


def test_overlay_of_an_asset_model_or_transform() -> None:
    logo = Asset.from_dict({"uid": "blt2", "url": "https://images.contentstack.io" + LOGO_PATH})
    assert image(OWL).overlay(logo).params == (("overlay", LOGO_PATH),)
    small = image(logo).width(50)
    assert image(OWL).overlay(small).url == f"{OWL}?overlay={LOGO_PATH}%3Fwidth%3D50"


# ---------------------------------------------------------------------------------------
# Asset models and other sources
# ---------------------------------------------------------------------------------------


def test_asset_model_input() -> None:
    asset = Asset.from_dict(
        {
            "uid": "bltc5064f36b5855343",
            "title": "owl.jpg",
            "filename": "owl.jpg",
            "content_type": "image/jpeg",
            "url": OWL,
        }
    )
    assert ImageTransform.of(asset).width(100).url == f"{OWL}?width=100"
    assert image(asset) == image(OWL)
    assert ImageTransform(asset) == image(OWL)


def test_any_object_with_a_url_attribute() -> None:
    @attrs.frozen
    class Thing:
        url: str

    assert image(Thing(OWL)).quality(5).url == f"{OWL}?quality=5"


def test_a_transform_is_a_source_too() -> None:
    first = image(OWL).width(100).quality(50)
    second = image(first).width(200)
    assert second.url == f"{OWL}?quality=50&width=200"


class MyTransform(ImageTransform):
    """A subclass keeps its type through the chain."""


def test_typing() -> None:
    t = image(OWL)
    assert_type(t, ImageTransform)
    assert_type(t.width(1).quality(2), ImageTransform)
    assert_type(ImageTransform.of(OWL), ImageTransform)
    assert_type(t.url, str)
    assert_type(t.params, tuple[tuple[str, str], ...])
    assert_type(srcset(OWL, widths=[1]), str)
    assert_type(t.srcset(widths=[1]), str)
    mine = MyTransform.of(OWL).width(10).overlay(LOGO_PATH)
    assert_type(mine, MyTransform)
    assert type(mine) is MyTransform
    source: HasUrl = Asset.from_dict({"uid": "x", "url": OWL})
    assert_type(image(source), ImageTransform)


# ---------------------------------------------------------------------------------------
# srcset
# ---------------------------------------------------------------------------------------


def test_srcset_widths_sorted() -> None:
    got = image(OWL).format("webp").srcset(widths=[640, 320, 1280])
    assert got == (
        f"{OWL}?format=webp&width=320 320w, "
        f"{OWL}?format=webp&width=640 640w, "
        f"{OWL}?format=webp&width=1280 1280w"
    )


def test_srcset_widths_replace_an_existing_width() -> None:
    assert image(OWL).width(10).srcset(widths=(20,)) == f"{OWL}?width=20 20w"


def test_srcset_densities() -> None:
    got = image(OWL).width(300).srcset(densities=[2, 1, 1.5])
    assert got == (
        f"{OWL}?width=300&dpr=1 1x, {OWL}?width=300&dpr=1.5 1.5x, {OWL}?width=300&dpr=2 2x"
    )


def test_srcset_function_accepts_asset_url_and_transform() -> None:
    asset = Asset.from_dict({"uid": "x", "url": OWL})
    expected = f"{OWL}?width=1 1w, {OWL}?width=2 2w"
    assert srcset(asset, widths=[2, 1]) == expected
    assert srcset(OWL, widths=[2, 1]) == expected
    assert srcset(image(OWL), widths=[1, 2]) == expected
    assert srcset(image(OWL).height(10), densities=[1]) == f"{OWL}?height=10&dpr=1 1x"


def test_srcset_escapes_spaces_in_the_path() -> None:
    url = "https://images.contentstack.io/v3/assets/k/u/v/Change BG Color.png"
    got = srcset(url, widths=[100])
    assert (
        got
        == "https://images.contentstack.io/v3/assets/k/u/v/Change%20BG%20Color.png?width=100 100w"
    )
    _, descriptor = got.split(" ")
    assert descriptor == "100w"


@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [
        ({}, ValueError, "exactly one"),
        ({"widths": [1], "densities": [1]}, ValueError, "exactly one"),
        ({"widths": []}, ValueError, "no widths"),
        ({"widths": [100, 100]}, ValueError, "duplicate"),
        ({"widths": [0]}, ValueError, r"srcset width: .*1 to 8192"),
        ({"widths": [-5]}, ValueError, "srcset width"),
        ({"widths": [9000]}, ValueError, "srcset width"),
        ({"widths": [1.5]}, TypeError, "srcset width"),
        ({"widths": [True]}, TypeError, "srcset width"),
        ({"densities": [0]}, ValueError, "srcset density"),
        ({"densities": [-1]}, ValueError, "srcset density"),
        ({"densities": [1, 1.0]}, ValueError, "duplicate"),
        ({"densities": []}, ValueError, "no densities"),
    ],
)
def test_srcset_validation(kwargs: dict[str, Any], error: type[Exception], message: str) -> None:
    with pytest.raises(error, match=message):
        image(OWL).width(100).srcset(**kwargs)


def test_srcset_densities_need_a_size() -> None:
    with pytest.raises(ValueError, match="densities need width or height"):
        image(OWL).srcset(densities=[1, 2])
    # A size already in the source URL's query counts.
    assert image(OWL + "?height=9").srcset(densities=[2]) == f"{OWL}?height=9&dpr=2 2x"


# ---------------------------------------------------------------------------------------
# Properties
# ---------------------------------------------------------------------------------------

HOSTS = st.sampled_from(
    [
        "https://images.contentstack.io",
        "https://eu-images.contentstack.com",
        "http://localhost:8080",
        "https://azure-na-images.contentstack.com",
    ]
)
PATH_TEXT = st.text(
    alphabet=st.characters(blacklist_categories=("Cc", "Cs"), blacklist_characters="?#\\"),
    max_size=40,
).map(lambda s: "/" + s.strip())
EXISTING = st.lists(
    st.tuples(
        st.from_regex(r"[a-z]{1,5}", fullmatch=True)
        | st.sampled_from(["width", "quality", "environment", "overlay", "custom"]),
        st.from_regex(r"[a-z0-9]{1,5}", fullmatch=True),
    ),
    max_size=3,
)
ANY_TEXT = st.text(max_size=30)


def _source(host: str, path: str, existing: list[tuple[str, str]]) -> str:
    q = "&".join(f"{k}={v}" for k, v in existing)
    return f"{host}{path}" + (f"?{q}" if q else "")


def _assert_only_query_changed(
    source: str, t: ImageTransform, existing: list[tuple[str, str]]
) -> None:
    before, after = urlsplit(source), urlsplit(t.url)
    assert (after.scheme, after.netloc, after.path) == (before.scheme, before.netloc, before.path)
    assert after.fragment == before.fragment
    ours = {k for k, _ in t.params}
    kept = [(k, v) for k, v in existing if k not in ours]
    assert parse_qsl(after.query, keep_blank_values=True) == kept + list(t.params)


@settings(max_examples=200, deadline=None)
@given(HOSTS, PATH_TEXT, EXISTING, ANY_TEXT, ANY_TEXT, ANY_TEXT)
def test_property_strings_never_escape_their_value(
    host: str, path: str, existing: list[tuple[str, str]], env: str, value: str, overlay: str
) -> None:
    source = _source(host, path, existing)
    t = image(source)
    calls = [
        _call("environment", env),
        _call("param", "custom", value),
        _call("overlay", "/" + overlay),
    ]
    for call in calls:
        try:
            t = call(t)
        except ValueError as exc:
            # Only empty values, control characters and unencodable text are refused.
            assert re.search(
                r"must not be empty|control characters|not encodable|backslash|own host", str(exc)
            )
    _assert_only_query_changed(source, t, existing)
    assert t.url.count("#") == 0
    assert "\r" not in t.url and "\n" not in t.url


@settings(max_examples=200, deadline=None)
@given(HOSTS, PATH_TEXT, EXISTING, st.integers(), st.integers(), st.integers(), st.integers())
def test_property_integers_are_validated_or_sent_exactly(
    host: str, path: str, existing: list[tuple[str, str]], w: int, q: int, b: int, o: int
) -> None:
    source = _source(host, path, existing)
    t = image(source)
    cases: list[tuple[str, Build, int, bool]] = [
        ("width", _call("width", w), w, 1 <= w <= 8192),
        ("quality", _call("quality", q), q, 1 <= q <= 100),
        ("brightness", _call("brightness", b), b, -100 <= b <= 100),
        ("orient", _call("orient", o), o, 1 <= o <= 8),
    ]
    for name, call, _, ok in cases:
        if ok:
            t = call(t)
        else:
            with pytest.raises(ValueError, match=name):
                call(t)
    expected = {name: str(value) for name, _, value, ok in cases if ok}
    assert dict(t.params) == expected
    _assert_only_query_changed(source, t, existing)


@settings(max_examples=100, deadline=None)
@given(HOSTS, PATH_TEXT, st.floats(allow_nan=True, allow_infinity=True))
def test_property_floats_render_without_exponent(host: str, path: str, x: float) -> None:
    t = image(host + path)
    try:
        t = t.dpr(x)
    except ValueError:
        assert not (0 < x <= 10000)
        return
    value = dict(t.params)["dpr"]
    assert re.fullmatch(r"\d+(\.\d+)?", value)
    assert float(value) == x
    _assert_only_query_changed(host + path, t, [])


@settings(max_examples=100, deadline=None)
@given(st.lists(st.integers(min_value=1, max_value=8192), min_size=1, max_size=8, unique=True))
def test_property_srcset_lists_each_width_once_in_order(widths: list[int]) -> None:
    got = image(OWL).srcset(widths=widths)
    candidates = got.split(", ")
    assert [int(c.rsplit(" ", 1)[1][:-1]) for c in candidates] == sorted(widths)
    for candidate in candidates:
        url, descriptor = candidate.split(" ")
        assert dict(parse_qsl(urlsplit(url).query))["width"] == descriptor[:-1]


def test_quote_matches_the_query_encoding() -> None:
    # The readable characters kept by the encoder are exactly the reference's own.
    value = "a,b:c/d e&f=g#h?i;j+k%l"
    t = image(OWL).param("x", value)
    assert query(t) == "x=" + quote(value, safe=",:/")
