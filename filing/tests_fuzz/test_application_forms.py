"""Arbitrary input to every form an applicant fills: no 500, and a refusal changes nothing.

The draft's section pages are the exception the platform makes on purpose: what is typed is
kept as typed even when it is refused, so there the rule is that the draft can still be shown,
checked and printed as a Word file afterwards.
"""

from __future__ import annotations

import pytest
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from filing.applications.evaluation import Context
from filing.applications.models import Application
from filing.applications.tests.filling import post_value, start
from filing.tests_fuzz.fuzzing import (
    FUZZ,
    Target,
    check_each,
    check_one,
    field_names,
    form_data,
)

pytestmark = pytest.mark.fuzz

# (call, track index, city, zone, space name) for each seed call and track
DRAFTS = {
    "guangdong": ("guangdong-2020-rehearsal", 0, "440100", None, "广州智能装备专业化众创空间"),
    "jiangsu": ("jiangsu-2020-rehearsal", 0, "320100", None, "南京集成电路专业化众创空间"),
    "national": ("national-2020-4th-rehearsal", 0, "440300", None, "深圳智能硬件专业化众创空间"),
    "liaoning": ("liaoning-2021-rehearsal", 0, "210100", None, "沈阳创客汇众创空间"),
    "liaoning-professional": (
        "liaoning-2021-rehearsal",
        1,
        "210200",
        "ln-shenfu",
        "沈抚数字经济专业化众创空间",
    ),
    "hunan": ("hunan-2016-2-rehearsal", 0, "430100", "hn-zone-changsha", "长沙麓谷创业众创空间"),
}


@pytest.fixture
def draft(request, client, seed_calls, applicant):
    """A fresh draft of the call, its filler logged in; returns (application, filler, admin)."""
    code, track_index, city, zone, name = DRAFTS[request.param]
    _org, filler, admin = applicant(city, zone)
    client.force_login(filler)
    track = seed_calls[code].definition.tracks[track_index].key
    return start(client, code, track, name), filler, admin


def sound_section(app: Application, fields) -> dict[str, object]:
    data: dict[str, object] = {}
    for f in fields:
        data.update(post_value(f, str(app.pk), {}))
    return data


def section_targets(client, app: Application) -> list[Target]:
    targets = []
    for section, fields in Context.of(app).sections():
        url = reverse("applications:section", args=[app.pk, section.key])
        page = client.get(url)
        baseline = {
            **sound_section(app, fields),
            "_revision": page.context["revision"],
            "_base": page.context["base_json"],
        }
        targets.append(
            Target(
                url,
                baseline=baseline,
                names=field_names(page.content.decode()),
                refusal_keeps_input=True,
            )
        )
    return targets


@pytest.mark.parametrize("draft", list(DRAFTS), indirect=True)
@FUZZ
@given(data=st.data())
def test_section_pages_take_any_input(client, draft, data):
    app, _filler, _admin = draft
    targets = section_targets(client, app)
    target = data.draw(st.sampled_from(targets), label="section")
    check_one(client, target, data.draw(form_data(target.names, target.baseline)))
    for name in ("overview", "check", "print_docx"):
        response = client.get(reverse(f"applications:{name}", args=[app.pk]))
        assert response.status_code == 200, name
    target.method = "get"  # the section page again, with what was kept
    assert client.get(target.url).status_code == 200


def roster_targets(client, app: Application) -> list[Target]:
    ctx = Context.of(app)
    targets = []
    for roster in ctx.rosters():
        url = reverse("applications:roster", args=[app.pk, roster.key])
        baseline: dict[str, object] = {}
        for col in ctx.columns(roster):
            baseline.update(post_value(col, roster.key, {}))
        targets.append(
            Target(
                url,
                baseline=baseline,
                watched=lambda: [app, *app.rows.all()],
            )
        )
    return targets


@pytest.mark.parametrize("draft", ["liaoning", "hunan"], indirect=True)
@FUZZ
@given(data=st.data())
def test_roster_rows_take_any_input(client, draft, data):
    app, _filler, _admin = draft
    target = data.draw(st.sampled_from(roster_targets(client, app)), label="roster")
    check_one(client, target, data.draw(form_data(target.names, target.baseline)))
    row = app.rows.first()
    if row is not None:
        edit = Target(
            reverse("applications:row_edit", args=[app.pk, row.roster, row.pk]),
            baseline=target.baseline,
            names=target.names,
            watched=lambda: [app, row],
        )
        check_one(client, edit, data.draw(form_data(edit.names, edit.baseline)))


@pytest.mark.parametrize("draft", ["liaoning"], indirect=True)
@FUZZ
@given(data=st.data())
def test_the_applicants_other_forms_take_any_input(client, draft, data):
    app, filler, admin = draft
    legal = app.organisation.legal_representative
    targets = {
        "start": (
            filler,
            Target(
                reverse("applications:start", args=[app.call.code]),
                baseline={"space_name": "另一个众创空间", "track": app.track},
            ),
        ),
        "commitment": (
            filler,
            Target(
                reverse("applications:commitment", args=[app.pk]),
                baseline={"signer_name": legal, "confirm": "on"},
                watched=lambda: [app],
            ),
        ),
        "send_back": (
            admin,
            Target(
                reverse("applications:send_back", args=[app.pk]),
                baseline={"comment": "请补充材料。"},
                watched=lambda: [app],
            ),
        ),
        "withdraw": (
            admin,
            Target(
                reverse("applications:withdraw", args=[app.pk]),
                baseline={"reason": "材料有误。"},
                watched=lambda: [app],
            ),
        ),
        "submit": (admin, Target(reverse("applications:submit", args=[app.pk]))),
        "send_to_admin": (filler, Target(reverse("applications:send_to_admin", args=[app.pk]))),
        "verify": (filler, Target(reverse("applications:verify"), method="get")),
        "file_delete": (
            filler,
            Target(reverse("applications:file_delete", args=[app.pk, 10**9])),
        ),
        "upload": (
            filler,
            Target(
                reverse(
                    "applications:attachment_upload",
                    args=[app.pk, app.definition.attachments[0].key],
                )
            ),
        ),
    }
    check_each(client, data, targets)
