"""The application as a PDF, drawn by WeasyPrint from a Django template.

Rendered from a Printable only, so a submitted version prints exactly as it was frozen. A draft
carries 草稿 on every page; a submitted copy carries its 核验码 on every page instead.
"""

from __future__ import annotations

from pathlib import Path

from django.template import Context, Engine
from weasyprint import CSS, HTML

from filing.applications.printable import Printable
from filing.documents import layout
from filing.documents.fonts import font_family, missing_glyphs, symbol_font_family
from filing.lib import collector

__all__ = ["missing_glyphs", "render_html", "render_pdf"]

TEMPLATES = Path(__file__).resolve().parent / "templates"

# The form belongs to this app, not to a site theme: a private engine finds it whether or not the
# app is installed, and no project template can override an official form by accident.
_engine = Engine(dirs=[str(TEMPLATES)], autoescape=True)


def css_string(text: str) -> str:
    """`text` as a quoted CSS string, safe inside `content:` or `font-family:`."""
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\A ")
    return f'"{escaped}"'


def _header(printable: Printable) -> str:
    return layout.DRAFT_HEADER if printable.draft else layout.verification_line(printable)


def render_html(printable: Printable) -> str:
    """The HTML WeasyPrint lays out; kept apart so that it can be looked at in a browser."""
    context = {
        "doc": layout.build_layout(printable),
        "author": printable.organisation_name,
        "draft_mark": layout.DRAFT_MARK,
        "toc_title": layout.TOC_TITLE,
        "no_rows": layout.NO_ROWS,
        "no_file": layout.NO_FILE,
    }
    return _engine.get_template("documents/application.html").render(Context(context))


def render_css(printable: Printable) -> str:
    context = {
        "font_family": css_string(font_family()),
        "symbol_font_family": css_string(symbol_font_family()),
        "header": css_string(_header(printable)),
        "draft": printable.draft,
    }
    return _engine.get_template("documents/application.css").render(Context(context))


def render_pdf(printable: Printable) -> bytes:
    """The printable as an A4 PDF.

    The garbage collector is paused while WeasyPrint works (filing/lib/collector.py): it makes
    millions of boxes, and collecting between them cost a third of the time of a long roster.
    """
    html = HTML(string=render_html(printable), base_url=str(TEMPLATES))
    with collector.paused():
        return html.write_pdf(stylesheets=[CSS(string=render_css(printable))])
