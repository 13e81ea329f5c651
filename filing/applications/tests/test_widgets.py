"""Every kind of field of every seed call is drawn with what was typed escaped, under the id and
names the page scripts and raw_from_post read, and read-only where the page is."""

import re

import pytest
from django.utils import translation

from filing.applications.forms import FieldView
from filing.applications.widgets import field_row

HOSTILE = '"><script>alert(1)</script>'


def every_field(seed_calls):
    for call in seed_calls.values():
        definition = call.definition
        yield from definition.all_fields()
        for roster in definition.rosters:
            yield from roster.columns


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_typed_text_is_escaped_everywhere_it_is_shown(seed_calls, language):
    seen = set()
    for f in every_field(seed_calls):
        seen.add(f.type)
        raw = {"answer": "yes", "name": HOSTILE} if f.type == "yes_with_name" else HOSTILE
        view = FieldView(field=f, raw=raw, error=HOSTILE, conflict=HOSTILE, computed=HOSTILE)
        with translation.override(language):
            html = field_row(view)
        assert "<script>" not in html, f.type
        assert f'id="field-{f.key}"' in html
        if f.type not in {"multichoice", "boolean"}:
            assert f'id="id_{f.key}"' in html, f.type
    assert {"text", "textarea", "choice", "high_tech_field", "computed"} <= seen


def test_a_read_only_page_draws_inputs_that_cannot_be_changed(seed_calls):
    for f in every_field(seed_calls):
        if f.type in {"computed", "yes_with_name", "boolean", "high_tech_field"}:
            continue  # shown as text, or not changed on a read-only page by its script
        html = field_row(FieldView(field=f, raw=""), readonly=True)
        assert re.search(r"\s(readonly|disabled)[\s>]", html), f.type
        assert not re.search(r"\s(readonly|disabled)[\s>]", field_row(FieldView(field=f, raw="")))


def test_the_chosen_answer_is_selected_and_a_required_field_is_marked(seed_calls):
    f = next(f for f in every_field(seed_calls) if f.type == "choice" and f.required)
    first, second = f.choices[0].value, f.choices[1].value
    html = field_row(FieldView(field=f, raw=second))
    assert f'<option value="{second}" selected>' in html
    assert f'<option value="{first}">' in html
    assert 'class="form-row required"' in html and 'class="req"' in html


def test_the_words_of_the_markup_are_in_the_page_language(seed_calls):
    f = next(f for f in every_field(seed_calls) if f.type == "choice")
    with translation.override("en"):
        assert "Please choose" in field_row(FieldView(field=f, raw=""))
    with translation.override("zh-hans"):
        assert "请选择" in field_row(FieldView(field=f, raw=""))
