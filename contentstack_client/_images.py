"""Image Delivery API: an immutable, validated URL builder and a ``srcset`` helper.

Contentstack transforms images on the fly from query parameters appended to an asset URL
(``https://images.contentstack.io/v3/assets/...?width=300&format=webp``). This module only
builds such URLs; it never performs HTTP. Every value is checked against the ranges of the
Image Delivery API reference before it can reach a URL, and the produced URL differs from
the input only in its query string, so it can never point at another host.

The service behind the API is Fastly Image Optimizer (the reference links to Fastly's
documentation); where Contentstack's pages are silent or cut short, Fastly's reference for
the same parameter decided the accepted forms, and the comment at that place says so.
"""

from __future__ import annotations

import copy
import math
import re
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal
from typing import Final, Literal, Protocol, Self, TypeAlias, get_args
from urllib.parse import quote, unquote_plus, urlsplit, urlunsplit

import attrs

__all__ = [
    "AutoFormat",
    "Disposition",
    "Fit",
    "HasUrl",
    "ImageFormat",
    "ImageSource",
    "ImageTransform",
    "Length",
    "Orientation",
    "OverlayAlign",
    "OverlayRepeat",
    "Percent",
    "ResizeFilter",
    "image",
    "srcset",
]

Fit = Literal["bounds", "crop", "cover"]
"""How ``width`` and ``height`` together constrain the image (``fit``)."""

ImageFormat = Literal["auto", "gif", "png", "jpg", "pjpg", "webp", "webpll", "webply", "avif"]
"""Output formats of ``format`` (``pjpg`` progressive JPEG, ``webpll``/``webply`` lossless/lossy WebP)."""

AutoFormat = Literal["webp", "avif"]
"""Formats ``auto`` may negotiate with the browser."""

ResizeFilter = Literal["nearest", "bilinear", "bicubic", "lanczos2", "lanczos3"]
"""Resampling filters of ``resize-filter``."""

Orientation = Literal[1, 2, 3, 4, 5, 6, 7, 8]
"""EXIF orientations of ``orient``: 1 default, 2-4 flips, 5-8 rotations (with flips)."""

# The reference lists six single values; its SDKs add the four corners, and Fastly's
# reference gives the general form "{vertical},{horizontal}". All nine pairs are offered,
# always vertical first, so the one accepted spelling of each position is the only one sent.
OverlayAlign = Literal[
    "top",
    "bottom",
    "left",
    "right",
    "middle",
    "center",
    "top,left",
    "top,center",
    "top,right",
    "middle,left",
    "middle,center",
    "middle,right",
    "bottom,left",
    "bottom,center",
    "bottom,right",
]
"""Position of an overlay: one side, or ``"{vertical},{horizontal}"``."""

OverlayRepeat = Literal["x", "y", "both"]
"""Axes along which an overlay is tiled."""

Disposition = Literal["attachment", "inline"]
"""``Content-Disposition`` asked of the asset host (download or display)."""


class HasUrl(Protocol):
    """Anything with a ``url`` attribute, such as the generated ``Asset`` model."""

    @property
    def url(self) -> object:
        """The absolute URL of the asset."""
        ...


ImageSource: TypeAlias = str | HasUrl
"""An absolute asset URL, or an object carrying one in ``url``."""


def _reject_bool(name: str, value: object) -> None:
    # bool is an int subclass: width(True) would silently mean one pixel.
    if isinstance(value, bool):
        raise TypeError(f"{name}: expected a number, got a bool ({value!r})")


def _fmt(value: int | float) -> str:
    """Render a number without exponent or needless ``.0`` so URLs are stable and short."""
    if isinstance(value, int):
        return str(value)
    if value.is_integer():
        return str(int(value))
    text = repr(value)
    if "e" in text or "E" in text:
        text = format(Decimal(text), "f")
    return text


def _number(
    name: str,
    value: object,
    low: float,
    high: float,
    *,
    integer: bool = False,
    low_open: bool = False,
) -> str:
    _reject_bool(name, value)
    kind = "an int" if integer else "a number"
    if math.isinf(low) and math.isinf(high):
        span = "finite"
    elif math.isinf(high):
        span = f"{'above' if low_open else 'at least'} {_fmt(low)}"
    elif math.isinf(low):
        span = f"at most {_fmt(high)}"
    else:
        span = f"{'above ' if low_open else ''}{_fmt(low)} to {_fmt(high)}"
    if integer:
        if not isinstance(value, int):
            raise TypeError(f"{name}: expected an int ({span}), got {value!r}")
    elif not isinstance(value, int | float):
        raise TypeError(f"{name}: expected a number ({span}), got {value!r}")
    if not math.isfinite(value) or value < low or value > high or (low_open and value == low):
        raise ValueError(f"{name}: expected {kind} ({span}), got {value!r}")
    return _fmt(value)


def _choice(name: str, value: object, allowed: tuple[object, ...]) -> str:
    _reject_bool(name, value)
    if value not in allowed:
        listed = ", ".join(repr(a) for a in allowed)
        raise ValueError(f"{name}: expected one of {listed}; got {value!r}")
    return str(value)


@attrs.frozen
class Percent:
    """A percentage of the source dimension, sent with the ``p`` suffix (``Percent(250)`` is ``250p``).

    Pixels are given as ``int`` and fractions below 1 as ``float`` (``0.5`` is half); use
    ``Percent`` for 100 % and above, which neither of those can express.
    """

    value: int | float

    def __attrs_post_init__(self) -> None:
        _number("Percent", self.value, 0, math.inf, low_open=True)

    def __str__(self) -> str:
        return f"{_fmt(self.value)}p"


Length: TypeAlias = int | float | Percent
"""A size: ``int`` pixels, ``float`` fraction below 1, or a :class:`Percent`."""

_MAX_PX: Final = 8192  # the largest output dimension the reference allows


def _length(name: str, value: object, *, zero: bool = False, max_px: int | None = None) -> str:
    """Validate one size in the three forms the reference accepts for dimensions."""
    _reject_bool(name, value)
    low = 0 if zero else 1
    top = f" to {max_px}" if max_px is not None else " or more"
    expected = (
        f"{name}: expected int pixels from {low}{top}, a float fraction "
        f"{'0 <=' if zero else '0 <'} f < 1, or Percent(...)"
    )
    if isinstance(value, Percent):
        return str(value)
    if isinstance(value, int):
        if value < low or (max_px is not None and value > max_px):
            raise ValueError(f"{expected}; got {value!r}")
        return str(value)
    if isinstance(value, float):
        # A float is always a fraction: 2.0 must not quietly become 2 pixels, and 1.0 would be
        # read back as one pixel, so 100 % and more are spelled Percent(...).
        if not math.isfinite(value) or value < 0 or value >= 1 or (value == 0 and not zero):
            raise ValueError(f"{expected}; got {value!r}")
        return _fmt(value)
    raise TypeError(f"{expected}; got {value!r}")


def _sides(name: str, values: Sequence[object]) -> str:
    """CSS-style shorthand: 1 to 4 edge sizes (top, right, bottom, left)."""
    if not 1 <= len(values) <= 4:
        raise ValueError(
            f"{name}: expected 1 to 4 values (top, right, bottom, left), got {len(values)}"
        )
    return ",".join(_length(name, v, zero=True) for v in values)


def _coordinate(name: str, value: object) -> str:
    _reject_bool(name, value)
    if isinstance(value, int) and value >= 0:
        return str(value)
    if isinstance(value, float) and math.isfinite(value) and 0 <= value < 1:
        return _fmt(value)
    if isinstance(value, int | float):
        raise ValueError(
            f"{name}: expected int pixels >= 0 or a float fraction 0 <= f < 1; got {value!r}"
        )
    raise TypeError(f"{name}: expected int pixels or a float fraction; got {value!r}")


def _region(
    name: str,
    size: str,
    x: int | float | None,
    y: int | float | None,
    offset_x: int | float | None,
    offset_y: int | float | None,
    safe: bool,
    smart: bool,
) -> str:
    """The value shared by ``crop`` and ``canvas``: size, then placement, then modes."""
    if x is not None and offset_x is not None:
        raise ValueError(f"{name}: give x or offset_x, not both")
    if y is not None and offset_y is not None:
        raise ValueError(f"{name}: give y or offset_y, not both")
    parts = [size]
    # Fastly's reference lets each axis be placed independently and in any order; a fixed
    # order (x axis first) keeps URLs, and so CDN cache keys, identical for equal requests.
    if x is not None:
        parts.append("x" + _coordinate(f"{name} x", x))
    if offset_x is not None:
        parts.append("offset-x" + _number(f"{name} offset_x", offset_x, 0, 100))
    if y is not None:
        parts.append("y" + _coordinate(f"{name} y", y))
    if offset_y is not None:
        parts.append("offset-y" + _number(f"{name} offset_y", offset_y, 0, 100))
    for flag, word in ((safe, "safe"), (smart, "smart")):
        if not isinstance(flag, bool):
            raise TypeError(f"{name} {word}: expected a bool, got {flag!r}")
        if flag:
            parts.append(word)
    return ",".join(parts)


def _ratio(name: str, width: object, height: object) -> str:
    return f"{_number(f'{name} ratio width', width, 0, math.inf, low_open=True)}:" + _number(
        f"{name} ratio height", height, 0, math.inf, low_open=True
    )


_HEX = re.compile(r"#?([0-9a-fA-F]{3}|[0-9a-fA-F]{6}|[0-9a-fA-F]{8})")


def _color(value: object) -> str:
    if isinstance(value, str):
        match = _HEX.fullmatch(value)
        if match is None:
            raise ValueError(
                f"bg-color: expected hex RGB of 3, 6 or 8 digits (optional '#'), got {value!r}"
            )
        digits = match.group(1).lower()
        if len(digits) != 8:
            return digits
        # The reference documents 3- and 6-digit hex only; an alpha channel is documented in
        # the r,g,b,a form, so RRGGBBAA is sent in that form rather than hoping it is parsed.
        r, g, b, a = (int(digits[i : i + 2], 16) for i in range(0, 8, 2))
        return f"{r},{g},{b},{_fmt(round(a / 255, 3))}"
    if isinstance(value, tuple | list) and len(value) in (3, 4):
        channels = [_number("bg-color channel", c, 0, 255, integer=True) for c in value[:3]]
        if len(value) == 4:
            channels.append(_number("bg-color alpha", value[3], 0, 1))
        return ",".join(channels)
    raise TypeError(
        "bg-color: expected a hex string, an (r, g, b) tuple of ints 0-255 or "
        f"(r, g, b, alpha) with alpha 0-1; got {value!r}"
    )


_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def _text(name: str, value: object) -> str:
    if not isinstance(value, str):
        raise TypeError(f"{name}: expected a str, got {value!r}")
    if not value:
        raise ValueError(f"{name}: must not be empty")
    if _CONTROL.search(value):
        raise ValueError(
            f"{name}: control characters (CR, LF, NUL, ...) are not allowed: {value!r}"
        )
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise ValueError(f"{name}: not encodable as UTF-8: {value!r}") from None
    return value


def _source_url(source: object) -> str:
    """The URL string of a source: the string itself or its ``url`` attribute."""
    if isinstance(source, str):
        return source
    url = getattr(source, "url", None)
    if isinstance(url, str):
        return url
    if url is None and not hasattr(source, "url"):
        raise TypeError(f"expected a URL string or an object with a url attribute, got {source!r}")
    raise TypeError(f"{type(source).__name__}.url is not a URL string (got {url!r})")


def _base_url(source: ImageSource) -> str:
    """Validate the asset URL: absolute http(s) with a host and no control characters."""
    url = _text("url", _source_url(source))
    # Checked before urlsplit, which silently deletes tabs and newlines.
    if url != url.strip():
        raise ValueError(f"url: leading or trailing whitespace is not allowed: {url!r}")
    parts = urlsplit(url)
    if parts.scheme.lower() not in ("http", "https"):
        hint = " (a relative asset URL needs its images host)" if url.startswith("/") else ""
        raise ValueError(f"url: expected an absolute http(s) URL{hint}, got {url!r}")
    try:
        parts.port  # noqa: B018 - evaluated for its validation
    except ValueError:
        raise ValueError(f"url: invalid port in {url!r}") from None
    if not parts.hostname:
        raise ValueError(f"url: has no host: {url!r}")
    if "\\" in parts.netloc:
        raise ValueError(f"url: backslash in the host part: {url!r}")
    return url


def _same_origin(a: str, b: str) -> bool:
    pa, pb = urlsplit(a), urlsplit(b)
    default = {"http": 80, "https": 443}
    return pa.hostname == pb.hostname and (pa.port or default.get(pa.scheme.lower())) == (
        pb.port or default.get(pb.scheme.lower())
    )


def _overlay_path(base: str, image: object) -> str:
    """Root-relative path (with query) of an overlay image on the base image's host."""
    raw = _text("overlay", _source_url(image))
    if "\\" in raw:
        raise ValueError(f"overlay: backslashes are not allowed: {raw!r}")
    parts = urlsplit(raw)
    if parts.scheme or parts.netloc:
        # The service resolves overlays against its own origin (Fastly documents a
        # root-relative URL), so an absolute URL is usable only when it names that origin.
        if parts.scheme.lower() not in ("http", "https") or not _same_origin(base, raw):
            raise ValueError(
                f"overlay: an absolute URL must be on the image's own host ({urlsplit(base).hostname}); got {raw!r}"
            )
    elif not raw.startswith("/"):
        raise ValueError(
            f"overlay: expected a root-relative path ('/v3/assets/...') or a URL; got {raw!r}"
        )
    path = parts.path or "/"
    return f"{path}?{parts.query}" if parts.query else path


# Parameters are emitted in this order whatever order the methods were called in, so
# equal transforms give byte-identical URLs (one CDN cache entry, stable tests).
_ORDER: Final[tuple[str, ...]] = (
    "environment",
    "auto",
    "format",
    "quality",
    "width",
    "height",
    "dpr",
    "fit",
    "disable",
    "resize-filter",
    "orient",
    "crop",
    "trim",
    "pad",
    "bg-color",
    "canvas",
    "overlay",
    "overlay-align",
    "overlay-repeat",
    "overlay-width",
    "overlay-height",
    "overlay-pad",
    "blur",
    "sharpen",
    "saturation",
    "contrast",
    "brightness",
    "frame",
    "disposition",
)
_RANK: Final = {name: i for i, name in enumerate(_ORDER)}
_OVERLAY_KEYS: Final = (
    "overlay-align",
    "overlay-repeat",
    "overlay-width",
    "overlay-height",
    "overlay-pad",
)
_PARAM_NAME = re.compile(r"[A-Za-z0-9_.\-\[\]]+")
# Characters left readable in query values: the reference's own examples use them
# (crop=300,400 crop=4:3 overlay=/v3/...) and none of them separates query parameters.
_SAFE: Final = ",:/"


def _segment_name(segment: str) -> str:
    return unquote_plus(segment.partition("=")[0])


def _query_names(url: str) -> set[str]:
    return {_segment_name(seg) for seg in urlsplit(url).query.split("&") if seg}


def _sort_key(item: tuple[str, str]) -> tuple[int, str]:
    return (_RANK.get(item[0], len(_ORDER)), item[0])


@attrs.frozen(repr=False)
class ImageTransform:
    """An immutable Image Delivery API URL: every method returns a new transform.

    Build one from an asset model or an absolute asset URL and chain the parameters::

        ImageTransform.of(asset).width(640).format("webp").quality(80).url

    Values are validated when set (``TypeError`` for a wrong type, ``ValueError`` for an
    out-of-range value, naming the parameter). Setting a parameter twice keeps the last
    value. Only the query string of the URL changes: an existing query is kept (minus
    parameters this transform sets) and joined with ``&``; the fragment is kept.
    """

    _url: str = attrs.field(converter=_base_url, alias="source")
    _values: tuple[tuple[str, str], ...] = attrs.field(init=False, default=())

    @classmethod
    def of(cls, source: ImageSource) -> Self:
        """Start a transform of an asset (any object with ``url``) or an absolute URL."""
        return cls(source)

    # -- internals -----------------------------------------------------------------

    def _set(self, updates: Mapping[str, str | None]) -> Self:
        values = {k: v for k, v in self._values if k not in updates}
        values.update({k: v for k, v in updates.items() if v is not None})
        new = copy.copy(self)
        object.__setattr__(new, "_values", tuple(sorted(values.items(), key=_sort_key)))
        return new

    def _names(self) -> set[str]:
        return {name for name, _ in self._values}

    # -- output --------------------------------------------------------------------

    @property
    def source_url(self) -> str:
        """The asset URL the transform started from, unchanged."""
        return self._url

    @property
    def params(self) -> tuple[tuple[str, str], ...]:
        """The ``(name, value)`` pairs this transform adds, unencoded, in the order sent."""
        return self._values

    @property
    def url(self) -> str:
        """The transformed URL: the source URL with the parameters added to its query."""
        parts = urlsplit(self._url)
        names = self._names()
        kept = [
            segment
            for segment in parts.query.split("&")
            if segment and _segment_name(segment) not in names
        ]
        added = [f"{quote(k, safe=_SAFE)}={quote(v, safe=_SAFE)}" for k, v in self._values]
        return urlunsplit(parts._replace(query="&".join(kept + added)))

    def __str__(self) -> str:
        return self.url

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self._url!r}, {dict(self._values)!r})"

    def srcset(
        self, *, widths: Iterable[int] | None = None, densities: Iterable[int | float] | None = None
    ) -> str:
        """The ``srcset`` attribute value for these widths (``w``) or pixel densities (``x``).

        Give exactly one of ``widths`` (ints 1 to 8192, each replacing ``width``) or
        ``densities`` (each setting ``dpr``, which needs ``width`` or ``height``). Values
        must be unique; candidates are listed in ascending order.
        """
        if (widths is None) == (densities is None):
            raise ValueError("srcset: give exactly one of widths or densities")
        if widths is not None:
            items: list[int | float] = list(widths)
            for w in items:
                _number("srcset width", w, 1, _MAX_PX, integer=True)
            name, descriptor = "width", "w"
        else:
            assert densities is not None
            items = list(densities)
            for d in items:
                _number("srcset density", d, 0, 10000, low_open=True)
            if not {"width", "height"} & (self._names() | _query_names(self._url)):
                raise ValueError("srcset: densities need width or height set (dpr scales them)")
            name, descriptor = "dpr", "x"
        if not items:
            raise ValueError(f"srcset: no {'widths' if descriptor == 'w' else 'densities'} given")
        if len(set(items)) != len(items):
            raise ValueError(f"srcset: duplicate values in {items!r}")
        candidates = []
        for item in sorted(items):
            # A space would end the URL inside srcset; %20 names the same resource.
            url = self._set({name: _fmt(item)}).url.replace(" ", "%20")
            candidates.append(f"{url} {_fmt(item)}{descriptor}")
        return ", ".join(candidates)

    # -- size ----------------------------------------------------------------------

    def width(self, value: Length) -> Self:
        """Output width: int pixels 1 to 8192, float fraction below 1, or ``Percent``."""
        return self._set({"width": _length("width", value, max_px=_MAX_PX)})

    def height(self, value: Length) -> Self:
        """Output height: int pixels 1 to 8192, float fraction below 1, or ``Percent``."""
        return self._set({"height": _length("height", value, max_px=_MAX_PX)})

    def dpr(self, ratio: int | float) -> Self:
        """Device pixel ratio, above 0 up to 10000; scales ``width``/``height``, which it needs."""
        return self._set({"dpr": _number("dpr", ratio, 0, 10000, low_open=True)})

    def fit(self, mode: Fit) -> Self:
        """How the image fits ``width`` x ``height`` (both needed): bounds, crop or cover."""
        return self._set({"fit": _choice("fit", mode, get_args(Fit))})

    def disable_upscale(self) -> Self:
        """Never enlarge beyond the source dimensions (``disable=upscale``)."""
        return self._set({"disable": "upscale"})

    def resize_filter(self, name: ResizeFilter) -> Self:
        """Resampling filter used when resizing."""
        return self._set({"resize-filter": _choice("resize-filter", name, get_args(ResizeFilter))})

    # -- format and quality --------------------------------------------------------

    def format(self, value: ImageFormat) -> Self:
        """Convert to this output format; ``auto`` lets the service pick WebP/AVIF per browser."""
        return self._set({"format": _choice("format", value, get_args(ImageFormat))})

    def auto(self, value: AutoFormat = "webp") -> Self:
        """Serve WebP or AVIF to browsers that accept it (``auto=webp``/``auto=avif``)."""
        return self._set({"auto": _choice("auto", value, get_args(AutoFormat))})

    def quality(self, value: int) -> Self:
        """Compression quality 1 to 100 for lossy formats (JPEG, progressive JPEG, lossy WebP, AVIF)."""
        return self._set({"quality": _number("quality", value, 1, 100, integer=True)})

    # -- crop, trim, canvas, orientation -------------------------------------------

    def crop(
        self,
        width: Length,
        height: Length,
        *,
        x: int | float | None = None,
        y: int | float | None = None,
        offset_x: int | float | None = None,
        offset_y: int | float | None = None,
        safe: bool = False,
        smart: bool = False,
    ) -> Self:
        """Crop to ``width`` x ``height`` (from the centre unless placed).

        Place the region by its top-left corner (``x``, ``y``: int pixels or float
        fraction) or by an offset percentage 0 to 100 (``offset_x``, ``offset_y``; 50 is
        centred), one method per axis. ``safe`` returns the intersection instead of an
        error when the region leaves the image; ``smart`` crops around detected content.
        """
        size = f"{_length('crop width', width)},{_length('crop height', height)}"
        return self._set({"crop": _region("crop", size, x, y, offset_x, offset_y, safe, smart)})

    def crop_ratio(
        self,
        width: int | float,
        height: int | float,
        *,
        x: int | float | None = None,
        y: int | float | None = None,
        offset_x: int | float | None = None,
        offset_y: int | float | None = None,
        safe: bool = False,
        smart: bool = False,
    ) -> Self:
        """Crop to an aspect ratio ``width:height`` (e.g. 16, 9); placement as in :meth:`crop`."""
        size = _ratio("crop", width, height)
        return self._set({"crop": _region("crop", size, x, y, offset_x, offset_y, safe, smart)})

    def canvas(
        self,
        width: Length,
        height: Length,
        *,
        x: int | float | None = None,
        y: int | float | None = None,
        offset_x: int | float | None = None,
        offset_y: int | float | None = None,
        safe: bool = False,
        smart: bool = False,
    ) -> Self:
        """Enlarge the canvas around the image to ``width`` x ``height``; placement as in :meth:`crop`."""
        size = f"{_length('canvas width', width)},{_length('canvas height', height)}"
        return self._set({"canvas": _region("canvas", size, x, y, offset_x, offset_y, safe, smart)})

    def canvas_ratio(
        self,
        width: int | float,
        height: int | float,
        *,
        x: int | float | None = None,
        y: int | float | None = None,
        offset_x: int | float | None = None,
        offset_y: int | float | None = None,
        safe: bool = False,
        smart: bool = False,
    ) -> Self:
        """Enlarge the canvas to an aspect ratio ``width:height``; placement as in :meth:`crop`."""
        size = _ratio("canvas", width, height)
        return self._set({"canvas": _region("canvas", size, x, y, offset_x, offset_y, safe, smart)})

    def trim(self, *sides: Length) -> Self:
        """Remove edges: 1 to 4 sizes in CSS order (top, right, bottom, left)."""
        return self._set({"trim": _sides("trim", sides)})

    def orient(self, value: Orientation) -> Self:
        """Re-orient by EXIF number: 1 default, 2 flip H, 3 flip H+V, 4 flip V, 5-8 rotations."""
        return self._set({"orient": _number("orient", value, 1, 8, integer=True)})

    # -- padding and background ----------------------------------------------------

    def pad(self, *sides: Length) -> Self:
        """Add edges: 1 to 4 sizes in CSS order (top, right, bottom, left)."""
        return self._set({"pad": _sides("pad", sides)})

    def bg_color(
        self, color: str | tuple[int, int, int] | tuple[int, int, int, int | float]
    ) -> Self:
        """Background for padding and transparency: hex (3, 6 or 8 digits) or (r, g, b[, alpha 0-1])."""
        return self._set({"bg-color": _color(color)})

    # -- overlay -------------------------------------------------------------------

    def overlay(
        self,
        image: ImageSource,
        *,
        align: OverlayAlign | None = None,
        repeat: OverlayRepeat | None = None,
        width: Length | None = None,
        height: Length | None = None,
        pad: Length | Sequence[Length] | None = None,
    ) -> Self:
        """Draw another image of the same host on top; replaces any previous overlay.

        ``image`` is a root-relative path (``/v3/assets/...``), an absolute URL on this
        image's host, or an asset model; it is sent as one encoded value. ``align``
        defaults to the centre; ``pad`` takes 1 to 4 sizes like :meth:`pad`.
        """
        updates: dict[str, str | None] = dict.fromkeys(_OVERLAY_KEYS)
        updates["overlay"] = _overlay_path(self._url, image)
        if align is not None:
            updates["overlay-align"] = _choice("overlay-align", align, get_args(OverlayAlign))
        if repeat is not None:
            updates["overlay-repeat"] = _choice("overlay-repeat", repeat, get_args(OverlayRepeat))
        if width is not None:
            updates["overlay-width"] = _length("overlay-width", width, max_px=_MAX_PX)
        if height is not None:
            updates["overlay-height"] = _length("overlay-height", height, max_px=_MAX_PX)
        if pad is not None:
            seq = pad if isinstance(pad, Sequence) and not isinstance(pad, str) else (pad,)
            updates["overlay-pad"] = _sides("overlay-pad", seq)
        return self._set(updates)

    # -- effects -------------------------------------------------------------------

    def blur(self, amount: int | float) -> Self:
        """Blur strength, 1 to 1000."""
        return self._set({"blur": _number("blur", amount, 1, 1000)})

    def sharpen(self, amount: int | float, radius: int | float, threshold: int) -> Self:
        """Unsharp mask: amount 0 to 10, radius 0.5 to 1000, threshold int 0 to 255."""
        # Contentstack's page names a, r and t without ranges; these are Fastly's.
        value = ",".join(
            (
                "a" + _number("sharpen amount", amount, 0, 10),
                "r" + _number("sharpen radius", radius, 0.5, 1000),
                "t" + _number("sharpen threshold", threshold, 0, 255, integer=True),
            )
        )
        return self._set({"sharpen": value})

    def saturation(self, value: int | float) -> Self:
        """Colour intensity change, -100 to 100."""
        return self._set({"saturation": _number("saturation", value, -100, 100)})

    def contrast(self, value: int | float) -> Self:
        """Contrast change, -100 to 100."""
        return self._set({"contrast": _number("contrast", value, -100, 100)})

    def brightness(self, value: int | float) -> Self:
        """Brightness change, -100 to 100."""
        return self._set({"brightness": _number("brightness", value, -100, 100)})

    def frame(self, index: Literal[1] = 1) -> Self:
        """Only this frame of an animated GIF; the service supports the first frame only."""
        return self._set({"frame": _number("frame", index, 1, 1, integer=True)})

    # -- delivery ------------------------------------------------------------------

    def disposition(self, value: Disposition) -> Self:
        """Ask the host to send the file as a download (``attachment``) or for display (``inline``)."""
        return self._set({"disposition": _choice("disposition", value, get_args(Disposition))})

    def environment(self, name: str) -> Self:
        """The publishing environment, which the reference lists on every request."""
        return self._set({"environment": _text("environment", name)})

    def param(self, name: str, value: str | int | float) -> Self:
        """Any other query parameter, percent-encoded as one value.

        For parameters the typed methods do not cover yet; names the methods cover are
        refused so that their validation cannot be bypassed.
        """
        if not isinstance(name, str) or not _PARAM_NAME.fullmatch(name):
            raise ValueError(f"param: invalid name {name!r} (letters, digits, _ . - [ ])")
        if name in _RANK:
            raise ValueError(f"param: {name!r} has its own method; use it to get validation")
        if isinstance(value, int | float) and not isinstance(value, bool):
            text = _number(name, value, -math.inf, math.inf)
        else:
            text = _text(name, value)
        return self._set({name: text})


def image(source: ImageSource) -> ImageTransform:
    """Start an :class:`ImageTransform` of an asset (any object with ``url``) or an absolute URL."""
    return ImageTransform(source)


def srcset(
    source: ImageSource,
    *,
    widths: Iterable[int] | None = None,
    densities: Iterable[int | float] | None = None,
) -> str:
    """The ``srcset`` value for an asset, URL or transform; see :meth:`ImageTransform.srcset`."""
    transform = source if isinstance(source, ImageTransform) else ImageTransform(source)
    return transform.srcset(widths=widths, densities=densities)
