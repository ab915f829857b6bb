"""The chart palette in both modes (issue 21, point 5), pure computation (fast tier),
and one browser check that the dark page really draws the dark palette.

- Contrast (WCAG 1.4.11, non-text): every field colour, the COVID-19 wave colour (as
  drawn, at its opacity) and the grey of the kinds' legend symbols are at least
  :data:`MIN_CONTRAST` against their page: the light palette on the light page, the
  dark palette on the dark one, where the field colours reach :data:`MIN_CONTRAST_DARK`.
- Distinguishable: any two field colours are at least :data:`MIN_DELTA_E` apart
  (CIEDE2000); fields drawn next to each other (the lanes of the timeline, the stacks
  of its yearly bars, in :data:`ictstory.story.timeline.LANES` order) stay at least
  :data:`MIN_DELTA_E_CVD` apart for the three dichromacies (Machado, Oliveira and
  Fernandes 2009, severity 1), and so does the economy from every field (drawn with
  them on the targets chart).

The colour maths is here, checked against published values (Sharma, Wu and Dalal's
CIEDE2000 test data), so no colour library is needed.
"""

from __future__ import annotations

import itertools
import math
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import open_page, serve, wait_for_charts
from playwright.sync_api import Browser, Page

from ictstory.site.sphinx_ext import theme_script_text
from ictstory.story.theme import (
    BACKGROUND,
    FIELD_COLOURS,
    FIELD_COLOURS_DARK,
    HALO_COLOURS,
    WAVE_COLOURS,
    dark_colours,
    theme_config,
)
from ictstory.story.timeline import LANES, WAVE_COLOUR

#: WCAG 2.x: graphical objects that carry meaning need 3:1 against what is next to them.
MIN_CONTRAST = 3.0
#: The dark palette's field colours: more than the minimum, since thin dashed and dotted
#: strokes (estimated, derived values) are what shows of a faintly filled mark.
MIN_CONTRAST_DARK = 4.5
#: Any two field colours, normal colour vision (CIEDE2000; about 2 is "just noticeable",
#: 10 is "clearly different at a glance" for small marks).
MIN_DELTA_E = 10.0
#: Neighbouring fields and the economy against all, for each dichromacy.
MIN_DELTA_E_CVD = 8.0
#: Opacity of the wave rules (``ictstory.story.timeline``).
WAVE_OPACITY = 0.8

RGB = tuple[float, float, float]

# --- Colour maths ---------------------------------------------------------------------


def rgb(hexcode: str) -> RGB:
    text = hexcode.lstrip("#")
    if len(text) == 3:
        text = "".join(c * 2 for c in text)
    r, g, b = (int(text[i : i + 2], 16) / 255 for i in (0, 2, 4))
    return r, g, b


def _linear(c: float) -> float:
    return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4


def _gamma(c: float) -> float:
    c = min(1.0, max(0.0, c))
    return 12.92 * c if c <= 0.0031308 else 1.055 * c ** (1 / 2.4) - 0.055


def luminance(colour: RGB) -> float:
    """WCAG 2.x relative luminance."""
    r, g, b = (_linear(c) for c in colour)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: RGB, b: RGB) -> float:
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def over(colour: RGB, behind: RGB, opacity: float) -> RGB:
    r, g, b = (opacity * c + (1 - opacity) * d for c, d in zip(colour, behind, strict=True))
    return r, g, b


def lab(colour: RGB) -> RGB:
    """CIELAB (D65) of an sRGB colour."""
    r, g, b = (_linear(c) for c in colour)
    x = (0.4124564 * r + 0.3575761 * g + 0.1804375 * b) / 0.95047
    y = 0.2126729 * r + 0.7151522 * g + 0.0721750 * b
    z = (0.0193339 * r + 0.1191920 * g + 0.9503041 * b) / 1.08883

    def f(t: float) -> float:
        return t ** (1 / 3) if t > (6 / 29) ** 3 else t / (3 * (6 / 29) ** 2) + 4 / 29

    return 116 * f(y) - 16, 500 * (f(x) - f(y)), 200 * (f(y) - f(z))


def ciede2000(one: RGB, two: RGB) -> float:
    """CIEDE2000 colour difference of two CIELAB colours (kL = kC = kH = 1)."""
    (l1, a1, b1), (l2, a2, b2) = one, two
    mean_c = (math.hypot(a1, b1) + math.hypot(a2, b2)) / 2
    g = 0.5 * (1 - math.sqrt(mean_c**7 / (mean_c**7 + 25**7)))
    a1, a2 = (1 + g) * a1, (1 + g) * a2
    c1, c2 = math.hypot(a1, b1), math.hypot(a2, b2)
    h1 = math.degrees(math.atan2(b1, a1)) % 360 if c1 else 0.0
    h2 = math.degrees(math.atan2(b2, a2)) % 360 if c2 else 0.0
    dh = 0.0 if c1 * c2 == 0 else (h2 - h1 + 180) % 360 - 180
    big_dh = 2 * math.sqrt(c1 * c2) * math.sin(math.radians(dh / 2))
    mean_l, mean_cp = (l1 + l2) / 2, (c1 + c2) / 2
    if c1 * c2 == 0:
        mean_h = h1 + h2
    elif abs(h1 - h2) <= 180:
        mean_h = (h1 + h2) / 2
    else:
        mean_h = (h1 + h2 + 360) / 2 if h1 + h2 < 360 else (h1 + h2 - 360) / 2
    t = (
        1
        - 0.17 * math.cos(math.radians(mean_h - 30))
        + 0.24 * math.cos(math.radians(2 * mean_h))
        + 0.32 * math.cos(math.radians(3 * mean_h + 6))
        - 0.20 * math.cos(math.radians(4 * mean_h - 63))
    )
    rotation = 30 * math.exp(-(((mean_h - 275) / 25) ** 2))
    rc = 2 * math.sqrt(mean_cp**7 / (mean_cp**7 + 25**7))
    sl = 1 + 0.015 * (mean_l - 50) ** 2 / math.sqrt(20 + (mean_l - 50) ** 2)
    sc, sh = 1 + 0.045 * mean_cp, 1 + 0.015 * mean_cp * t
    rt = -math.sin(math.radians(2 * rotation)) * rc
    dl, dc = (l2 - l1) / sl, (c2 - c1) / sc
    dhh = big_dh / sh
    return math.sqrt(dl**2 + dc**2 + dhh**2 + rt * dc * dhh)


#: Machado, Oliveira and Fernandes (2009), severity 1.0, on linear RGB.
DICHROMACY = {
    "protanopia": (
        (0.152286, 1.052583, -0.204868),
        (0.114503, 0.786281, 0.099216),
        (-0.003882, -0.048116, 1.051998),
    ),
    "deuteranopia": (
        (0.367322, 0.860646, -0.227968),
        (0.280085, 0.672501, 0.047413),
        (-0.011820, 0.042940, 0.968881),
    ),
    "tritanopia": (
        (1.255528, -0.076749, -0.178779),
        (-0.078411, 0.930809, 0.147602),
        (0.004733, 0.691367, 0.303900),
    ),
}


def simulate(colour: RGB, deficiency: str) -> RGB:
    """How ``colour`` looks with a dichromacy."""
    linear = [_linear(c) for c in colour]
    r, g, b = (
        _gamma(sum(m * c for m, c in zip(row, linear, strict=True)))
        for row in DICHROMACY[deficiency]
    )
    return r, g, b


def delta_e(a: str, b: str, deficiency: str | None = None) -> float:
    one, two = rgb(a), rgb(b)
    if deficiency:
        one, two = simulate(one, deficiency), simulate(two, deficiency)
    return ciede2000(lab(one), lab(two))


def test_colour_maths_meets_published_values() -> None:
    # Sharma, Wu and Dalal (2005), test pairs 1, 7, 17 and 25
    pairs = [
        ((50.0, 2.6772, -79.7751), (50.0, 0.0, -82.7485), 2.0425),
        ((50.0, 0.0, 0.0), (50.0, -1.0, 2.0), 2.3669),
        ((50.0, 2.5, 0.0), (73.0, 25.0, -18.0), 27.1492),
        ((60.2574, -34.0099, 36.2677), (60.4626, -34.1751, 39.4387), 1.2644),
    ]
    for one, two, expected in pairs:
        assert ciede2000(one, two) == pytest.approx(expected, abs=1e-4)
        assert ciede2000(two, one) == pytest.approx(expected, abs=1e-4)
    assert lab(rgb("#ffffff")) == pytest.approx((100.0, 0.0, 0.0), abs=0.01)
    assert lab(rgb("#ff0000")) == pytest.approx((53.24, 80.09, 67.20), abs=0.01)
    assert contrast(rgb("#777777"), rgb("#ffffff")) == pytest.approx(4.48, abs=0.01)
    for deficiency in DICHROMACY:  # greys stay greys, red and green do not for two of them
        assert simulate(rgb("#808080"), deficiency) == pytest.approx(rgb("#808080"), abs=0.005)
    assert delta_e("#ff0000", "#00a000", "deuteranopia") < delta_e("#ff0000", "#00a000") / 3


# --- The palette ----------------------------------------------------------------------

PALETTES = {"light": FIELD_COLOURS, "dark": FIELD_COLOURS_DARK}


def test_palettes_name_the_same_fields_and_the_pages_theme_backgrounds() -> None:
    assert list(FIELD_COLOURS) == list(FIELD_COLOURS_DARK)
    from test_layout import _theme_backgrounds  # the theme's own CSS

    theme = _theme_backgrounds()
    for mode in ("light", "dark"):
        assert rgb(BACKGROUND[mode]) == rgb(theme[mode]), mode


@pytest.mark.parametrize("mode", ["light", "dark"])
def test_every_mark_colour_has_3_to_1_against_its_page(mode: str) -> None:
    page = rgb(BACKGROUND[mode])
    index = 0 if mode == "light" else 1
    drawn = {f"field {k}": rgb(v) for k, v in PALETTES[mode].items()}
    wave = rgb(WAVE_COLOURS[index])
    drawn["wave rule (at its opacity)"] = over(wave, page, WAVE_OPACITY)
    drawn["wave label"] = wave
    grey = theme_config()["config"]["legend"]["symbolStrokeColor"]
    drawn["kinds' legend grey"] = rgb(grey if mode == "light" else dark_colours()[grey.upper()])
    weak = {
        name: round(contrast(colour, page), 2)
        for name, colour in drawn.items()
        if contrast(colour, page) < MIN_CONTRAST
    }
    assert weak == {}, f"under {MIN_CONTRAST}:1 on the {mode} page {BACKGROUND[mode]}"
    if mode == "dark":
        dim = {
            k: round(contrast(rgb(v), page), 2)
            for k, v in FIELD_COLOURS_DARK.items()
            if contrast(rgb(v), page) < MIN_CONTRAST_DARK
        }
        assert dim == {}


@pytest.mark.parametrize("mode", ["light", "dark"])
def test_any_two_field_colours_are_clearly_different(mode: str) -> None:
    palette = PALETTES[mode]
    close = {
        f"{a}/{b}": round(delta_e(palette[a], palette[b]), 1)
        for a, b in itertools.combinations(palette, 2)
        if delta_e(palette[a], palette[b]) < MIN_DELTA_E
    }
    assert close == {}


@pytest.mark.parametrize("deficiency", sorted(DICHROMACY))
@pytest.mark.parametrize("mode", ["light", "dark"])
def test_neighbouring_fields_stay_apart_with_a_colour_vision_deficiency(
    mode: str, deficiency: str
) -> None:
    palette = PALETTES[mode]
    pairs = list(itertools.pairwise(LANES))
    pairs += [("economy", key) for key in palette if key != "economy"]
    close = {
        f"{a}/{b}": round(delta_e(palette[a], palette[b], deficiency), 1)
        for a, b in pairs
        if delta_e(palette[a], palette[b], deficiency) < MIN_DELTA_E_CVD
    }
    assert close == {}


def test_dark_mode_swaps_every_mark_colour_one_for_one() -> None:
    swaps = dark_colours()
    assert {FIELD_COLOURS[k].upper(): v for k, v in FIELD_COLOURS_DARK.items()}.items() <= (
        swaps.items()
    )
    assert swaps[WAVE_COLOUR.upper()] == WAVE_COLOURS[1]
    assert swaps[HALO_COLOURS[0].upper()] == BACKGROUND["dark"]
    # one for one, and no dark colour is a light one: a downloaded image turns back to light
    assert len({v.upper() for v in swaps.values()}) == len(swaps)
    assert not {v.upper() for v in swaps.values()} & set(swaps)
    # the page's theme script carries them to ictstory-charts.js
    shipped = re.search(r"window\.ICTSTORY_DARK_COLOURS = (\{.*?\});", theme_script_text())
    assert shipped is not None
    assert eval(shipped.group(1)) == swaps  # noqa: S307 (JSON of our own)


# --- In the browser -------------------------------------------------------------------


@pytest.fixture(scope="module")
def root_server(site_root: Path) -> Iterator[str]:
    with serve(site_root) as url:
        yield url


def _fills_and_strokes(page: Page, figure_id: str) -> set[str]:
    return set(
        page.evaluate(
            """id => {
              const out = new Set();
              const svg = document.querySelector('#' + id + ' .ictstory-chart__live svg');
              for (const el of svg.querySelectorAll('path, line, rect, circle')) {
                for (const a of ['fill', 'stroke']) {
                  const v = el.getAttribute(a);
                  if (v && v.startsWith('#')) out.add(v.toUpperCase());
                }
              }
              return [...out];
            }""",
            figure_id,
        )
    )


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_page_draws_the_palette_of_its_mode(
    browser: Browser, root_server: str, scheme: str
) -> None:
    """Derived bars and blue marks of the telecom chapter, and the timeline's lanes."""
    page, log = open_page(browser, root_server, "en/chapters/telecom.html", color_scheme=scheme)
    page.evaluate(f"() => document.documentElement.setAttribute('data-theme', '{scheme}')")
    wait_for_charts(page)
    page.wait_for_function(
        "() => [...document.querySelectorAll('figure.ictstory-chart')]"
        ".every(f => f.dataset.rendered === 'true')"
    )
    ids = page.evaluate(
        "() => [...document.querySelectorAll('figure.ictstory-chart')].map(f => f.id)"
    )
    used = set().union(*(_fills_and_strokes(page, i) for i in ids))
    light = {c.upper() for c in FIELD_COLOURS.values()}
    dark = {c.upper() for c in FIELD_COLOURS_DARK.values()}
    telecom = (FIELD_COLOURS if scheme == "light" else FIELD_COLOURS_DARK)["telecom"]
    assert telecom.upper() in used
    wrong = {i: _fills_and_strokes(page, i) & (dark if scheme == "light" else light) for i in ids}
    assert {i: w for i, w in wrong.items() if w} == {}
    # the derived bars: a faint fill, an outline of the field's colour of 3:1 or more
    bars = page.evaluate(
        """() => [...document.querySelectorAll('.ictstory-chart__live svg path')]
          .filter(p => p.getAttribute('stroke-dasharray') === '2,2'
                       && p.getAttribute('stroke'))
          .map(p => p.getAttribute('stroke'))"""
    )
    assert bars, "no derived (dotted) mark on the telecom page"
    background = rgb(BACKGROUND[scheme])
    assert all(contrast(rgb(s), background) >= MIN_CONTRAST for s in bars), bars
    assert log.errors == []
    page.context.close()
