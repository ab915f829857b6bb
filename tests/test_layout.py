"""Pages that fit a phone, print well and have enough contrast.

- Contrast (pure computation): every field colour, and the theme's default mark
  colour, is at least 3:1 (WCAG 2.x, non-text contrast) against the light and the
  dark page background of pydata-sphinx-theme.
- Phones (browser): no page of either edition scrolls sideways at 320 and 375 px.
- The "⋯" menu of every chart is at least 3:1 against what is behind it, in both modes.
- Print (browser): the A4 PDF of a chapter has no nearly empty page but the last.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pydata_sphinx_theme
import pytest
from conftest import serve, site_pages, wait_for_charts
from playwright.sync_api import Browser

from ictstory.theme import FIELD_COLOURS, theme_config

#: WCAG 2.x: graphical objects that carry meaning need 3:1 against what is next to them.
MIN_CONTRAST = 3.0
PHONE_WIDTHS = (320, 375)


def _theme_backgrounds() -> dict[str, str]:
    """``--pst-color-background`` of the theme's light and dark mode, from its own CSS."""
    css = (
        Path(pydata_sphinx_theme.__file__).parent
        / "theme/pydata_sphinx_theme/static/styles/pydata-sphinx-theme.css"
    ).read_text(encoding="utf-8")
    found = {}
    for mode in ("light", "dark"):
        block = re.search(r"html\[data-theme=" + mode + r"\]\{([^}]*)\}", css)
        assert block, f"no {mode} block in the theme's CSS"
        colour = re.search(r"--pst-color-background:(#[0-9a-fA-F]{3,6})", block.group(1))
        assert colour, f"no page background in the theme's {mode} mode"
        found[mode] = colour.group(1)
    return found


def _rgb(colour: str) -> tuple[float, float, float]:
    text = colour.lstrip("#")
    if len(text) == 3:
        text = "".join(c * 2 for c in text)
    r, g, b = (int(text[i : i + 2], 16) / 255 for i in (0, 2, 4))
    return r, g, b


def _css_rgb(colour: str) -> tuple[float, float, float]:
    """``rgb(1, 2, 3)`` or ``rgba(1, 2, 3, 1)`` as computed by the browser."""
    parts = [float(x) for x in re.findall(r"[\d.]+", colour)[:3]]
    return parts[0] / 255, parts[1] / 255, parts[2] / 255


def _over(
    colour: tuple[float, float, float], behind: tuple[float, float, float], opacity: float
) -> tuple[float, float, float]:
    """``colour`` drawn at ``opacity`` over ``behind``."""
    r, g, b = (opacity * c + (1 - opacity) * d for c, d in zip(colour, behind, strict=True))
    return r, g, b


def luminance(rgb: tuple[float, float, float]) -> float:
    """WCAG 2.x relative luminance."""

    def linear(c: float) -> float:
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (linear(c) for c in rgb)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: tuple[float, float, float], b: tuple[float, float, float]) -> float:
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def test_contrast_formula() -> None:
    assert contrast(_rgb("#000"), _rgb("#fff")) == pytest.approx(21.0)
    assert contrast(_rgb("#777777"), _rgb("#ffffff")) == pytest.approx(4.48, abs=0.01)


def test_theme_backgrounds_are_read() -> None:
    backgrounds = _theme_backgrounds()
    assert luminance(_rgb(backgrounds["light"])) > 0.9
    assert luminance(_rgb(backgrounds["dark"])) < 0.05


def test_every_mark_colour_stands_out_in_light_and_dark_mode() -> None:
    colours = {f"field {k}": v for k, v in FIELD_COLOURS.items()}
    config = theme_config()["config"]
    colours["default mark"] = config["mark"]["color"]
    colours |= {f"category {i}": c for i, c in enumerate(config["range"]["category"])}
    weak = [
        f"{name} {colour}: {contrast(_rgb(colour), _rgb(bg)):.2f}:1 on {mode} {bg}"
        for name, colour in colours.items()
        for mode, bg in _theme_backgrounds().items()
        if contrast(_rgb(colour), _rgb(bg)) < MIN_CONTRAST
    ]
    assert weak == []


# --- In the browser ------------------------------------------------------------------


@pytest.fixture(scope="module")
def both_editions(site_root: Path) -> Iterator[tuple[str, list[str]]]:
    """The published site served, and every page of both editions."""
    pages = [
        p.relative_to(site_root).as_posix()
        for edition in ("en", "vi")
        for p in site_pages(site_root / edition)
    ]
    with serve(site_root) as url:
        yield url, pages


OVERFLOW_CULPRITS = """() => {
  const width = document.documentElement.clientWidth, out = [];
  for (const e of document.querySelectorAll('body *')) {
    const r = e.getBoundingClientRect();
    if (r.width === 0 || r.right <= width + 1) continue;
    let p = e.parentElement, clipped = false;
    for (; p; p = p.parentElement) {
      if (['auto', 'scroll', 'hidden', 'clip'].includes(getComputedStyle(p).overflowX)) {
        clipped = true; break;
      }
    }
    if (!clipped) out.push(`${e.tagName}.${e.className}: right edge ${Math.round(r.right)}`);
  }
  return out.slice(0, 3);
}"""


@pytest.mark.browser
@pytest.mark.parametrize("width", PHONE_WIDTHS)
def test_no_page_scrolls_sideways_on_a_phone(
    browser: Browser, both_editions: tuple[str, list[str]], width: int
) -> None:
    url, pages = both_editions
    context = browser.new_context(viewport={"width": width, "height": 740})
    page = context.new_page()
    wide = []
    for path in pages:
        page.goto(f"{url}/{path}", wait_until="load")
        wait_for_charts(page)
        scroll, inner = page.evaluate(
            "() => [document.documentElement.scrollWidth, window.innerWidth]"
        )
        if scroll > inner:
            wide.append(f"{path}: {scroll} px wide at {inner}: {page.evaluate(OVERFLOW_CULPRITS)}")
    context.close()
    assert wide == []


@pytest.mark.browser
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_chart_actions_stand_out(
    browser: Browser, both_editions: tuple[str, list[str]], scheme: str
) -> None:
    """A chart's own actions (link, CSV, PNG, SVG) are text with 4.5:1 contrast against
    the page, and Vega-Embed's faint "⋯" menu is not shown."""
    url, _ = both_editions
    context = browser.new_context(color_scheme=scheme)
    page = context.new_page()
    page.goto(f"{url}/en/chapters/telecom.html", wait_until="load")
    wait_for_charts(page)
    found = page.evaluate(
        """() => {
          const page = getComputedStyle(document.body).backgroundColor;
          const items = [...document.querySelectorAll(
            '.ictstory-chart__actions a, .ictstory-chart__actions button')];
          return {
            menus: document.querySelectorAll('.vega-embed details summary').length,
            page,
            items: items.map(e => [e.textContent.trim(), getComputedStyle(e).color,
                                   getComputedStyle(e).backgroundColor]),
          };
        }"""
    )
    context.close()
    assert found["menus"] == 0
    assert len(found["items"]) >= 3
    page_colour = _css_rgb(found["page"])
    for text, colour, face in found["items"]:
        alpha = re.findall(r"[\d.]+", face)
        behind = page_colour if len(alpha) == 4 and float(alpha[3]) == 0 else _css_rgb(face)
        assert contrast(_css_rgb(colour), behind) >= 4.5, (text, colour, face, found["page"])


def _page_words(pdf: Path) -> list[int]:
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True)
    pages = int(re.search(r"^Pages:\s+(\d+)", info.stdout, re.M).group(1))  # type: ignore[union-attr]
    return [
        len(
            subprocess.run(
                ["pdftotext", "-f", str(n), "-l", str(n), str(pdf), "-"],
                capture_output=True,
                text=True,
                check=True,
            ).stdout.split()
        )
        for n in range(1, pages + 1)
    ]


@pytest.mark.browser
@pytest.mark.parametrize("path", ["en/chapters/telecom.html", "vi/chapters/telecom.html"])
def test_printed_chapter_has_no_nearly_empty_page(
    browser: Browser, both_editions: tuple[str, list[str]], path: str, tmp_path: Path
) -> None:
    if not (shutil.which("pdftotext") and shutil.which("pdfinfo")):
        pytest.fail("pdftotext not installed: run `make browser` (Debian: poppler-utils)")
    url, _ = both_editions
    context = browser.new_context()
    page = context.new_page()
    page.goto(f"{url}/{path}", wait_until="load")
    wait_for_charts(page)
    pdf = tmp_path / "chapter.pdf"
    page.pdf(path=str(pdf), format="A4")
    context.close()
    words = _page_words(pdf)
    average = sum(words) / len(words)
    sparse = [n + 1 for n, count in enumerate(words[:-1]) if count < 0.2 * average]
    assert sparse == [], f"words per page: {words}"
