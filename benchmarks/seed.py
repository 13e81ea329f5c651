"""Data for the benchmarks, written in bulk.

One application is filled the way a person fills it (every section, roster rows, files, the
commitment: filing/applications/tests/filling.py drives the pages); the thousands the
benchmarks need are copies of it, written with bulk inserts, each with its own organisation,
space name, roster names and file digests so that no two look like duplicates to the integrity
checks.
"""

from __future__ import annotations

import hashlib
import secrets
import time
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.auth.hashers import make_password
from django.contrib.sessions.backends.db import SessionStore
from django.db import connection, transaction
from django.utils import timezone

CALL = "guangdong-2020-rehearsal"
TRACK = "professional"
CITY = "440100"
AUTHORITY = "gd-440100"
REVIEWER = "gd-city-reviewer"  # a demo account (filing/front/demo.py)
TEMPLATE_ORG = "基准测试模板运营有限公司"
TEMPLATE_SPACE = "智能制造专业化众创空间"
LEGAL_REPRESENTATIVE = "张明"
PASSWORD = "bench-pass-2026"
BATCH = 5000


def call():
    from filing.calls.models import Call

    return Call.objects.select_related("current_version").get(code=CALL)


# ----- the one application filled through the pages ------------------------------------------


def make_template() -> int:
    """Fill one application through the pages and return its id (once per template database)."""
    from django.test import Client
    from django.test.utils import setup_test_environment

    from filing.applications.evaluation import Context
    from filing.applications.models import Application
    from filing.applications.services import gaps
    from filing.applications.tests.filling import WebFiller, start
    from filing.orgs.constants import Role

    found = Application.objects.filter(organisation__name=TEMPLATE_ORG).first()
    if found:
        return found.pk
    setup_test_environment()  # the pages' context for the filler; e-mail kept in memory
    org = organisations(1, prefix="模板")[0]
    org.name = TEMPLATE_ORG
    org.save(update_fields=["name"])
    filler = users([org], Role.FILLER, prefix="bench-template-filler")[0]
    client = Client()
    client.force_login(filler)
    app = start(client, CALL, TRACK, TEMPLATE_SPACE)
    WebFiller(client, app).fill_everything()
    app.refresh_from_db()
    problems = gaps(Context.of(app))
    assert not problems, problems
    return app.pk


# ----- organisations, people, sessions --------------------------------------------------------


def organisations(count: int, *, prefix: str) -> list:
    """`count` organisations in Guangzhou, each with a valid credit code of its own."""
    from filing.applications.tests.filling import credit_code
    from filing.orgs.constants import HostEntityKind, OrganisationNature
    from filing.orgs.models import Organisation
    from filing.reference.models import Region

    city = Region.objects.get(code=CITY)
    start = Organisation.objects.count() + 1_000_000
    made = Organisation.objects.bulk_create(
        [
            Organisation(
                name=f"{prefix}测试运营机构{start + i}有限公司",
                credit_code=credit_code(start + i),
                nature=OrganisationNature.PRIVATE,
                province=city.parent,
                city=city,
                address="广州市黄埔区示范路1号",
                legal_representative=LEGAL_REPRESENTATIVE,
                phone="020-83163286",
                host_entity_kind=HostEntityKind.NONE,
            )
            for i in range(count)
        ],
        batch_size=BATCH,
    )
    if not made or not made[0].pk:
        made = list(Organisation.objects.order_by("-pk")[:count])[::-1]
    return made


def users(orgs: list, role: str, *, prefix: str) -> list:
    """One person of `role` per organisation; all share one password hash (hashing is slow)."""
    from filing.orgs.models import User

    hashed = make_password(PASSWORD)
    made = User.objects.bulk_create(
        [
            User(
                username=f"{prefix}-{org.pk}",
                email=f"{prefix}-{org.pk}@bench.example.cn",
                full_name=f"{prefix}{org.pk}",
                organisation=org,
                role=role,
                password=hashed,
            )
            for org in orgs
        ],
        batch_size=BATCH,
    )
    if not made or not made[0].pk:
        made = [User.objects.get(username=f"{prefix}-{org.pk}") for org in orgs]
    return made


def session_for(user, *, verified_device=None) -> str:
    """A logged-in session, as the login page would leave it; returns its key (the cookie)."""
    store = SessionStore()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[-1]
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    if verified_device is not None:
        store["otp_device_id"] = verified_device.persistent_id
    store.create()
    return store.session_key


def reviewer_session() -> str:
    """The Guangzhou city reviewer, past both login steps (password and authenticator code)."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from filing.orgs.models import User

    user = User.objects.get(username=REVIEWER)
    device, _ = TOTPDevice.objects.get_or_create(
        user=user, name="benchmark", defaults={"confirmed": True}
    )
    return session_for(user, verified_device=device)


# ----- copies of the template -----------------------------------------------------------------


def clone_applications(
    template_pk: int, orgs: list, *, creator_of, status: str = "draft", rows: bool = True
) -> list[int]:
    """A copy of the template application for each organisation, with rows and files."""
    from filing.applications.models import Application, Attachment, RosterRow
    from filing.applications.tests.filling import credit_code

    template = Application.objects.get(pk=template_pk)
    t_rows = list(RosterRow.objects.filter(application=template).order_by("roster", "position"))
    t_files = list(Attachment.objects.filter(application=template).order_by("pk"))
    now = timezone.now()
    apps = Application.objects.bulk_create(
        [
            Application(
                call_id=template.call_id,
                call_version_id=template.call_version_id,
                organisation=org,
                track=template.track,
                status=status,
                space_name=template.space_name,
                values=dict(template.values),
                field_code=template.field_code,
                created_by=creator_of(org),
                submitted_at=now if status != "draft" else None,
            )
            for org in orgs
        ],
        batch_size=BATCH,
    )
    if not apps or not apps[0].pk:
        ids = dict(
            Application.objects.filter(organisation__in=orgs, call_id=template.call_id).values_list(
                "organisation_id", "pk"
            )
        )
        for app, org in zip(apps, orgs, strict=True):
            app.pk = ids[org.pk]
    if not rows:
        return [a.pk for a in apps]
    new_rows = []
    for app in apps:
        for row in t_rows:
            values = dict(row.values)
            name = f"{row.name}-{app.pk}" if row.name else ""
            code = credit_code(3_000_000 + app.pk * 10 + row.position) if row.credit_code else ""
            for key, value in values.items():
                if value == row.name and name:
                    values[key] = name
                elif value == row.credit_code and code:
                    values[key] = code
            new_rows.append(
                RosterRow(
                    application=app,
                    roster=row.roster,
                    position=row.position,
                    values=values,
                    name=name,
                    credit_code=code,
                )
            )
    made_rows = RosterRow.objects.bulk_create(new_rows, batch_size=BATCH)
    if made_rows and not made_rows[0].pk:
        made_rows = list(
            RosterRow.objects.filter(application__in=apps).order_by(
                "application_id", "roster", "position"
            )
        )
    row_of = {(r.application_id, r.roster, r.position): r for r in made_rows}
    old_row = {r.pk: r for r in t_rows}
    new_files = []
    for app in apps:
        for f in t_files:
            row = None
            if f.row_id:
                t = old_row[f.row_id]
                row = row_of[(app.pk, t.roster, t.position)]
            new_files.append(
                Attachment(
                    application=app,
                    item=f.item,
                    row=row,
                    file=f.file.name,  # the same stored file; each copy has a digest of its own
                    original_name=f.original_name,
                    content_type=f.content_type,
                    size=f.size,
                    sha256=hashlib.sha256(f"{app.pk}-{f.pk}".encode()).hexdigest(),
                    uploaded_by_id=f.uploaded_by_id,
                )
            )
    Attachment.objects.bulk_create(new_files, batch_size=BATCH)
    return [a.pk for a in apps]


def analyse() -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            # What autovacuum does after a bulk insert: statistics, and the visibility map that
            # lets a count read an index alone.
            cursor.execute("VACUUM ANALYZE")


# ----- the workbench: applications arrived at one city bureau ----------------------------------


@transaction.atomic
def workbench_reviews(total: int) -> int:
    """Grow the city bureau's workbench to `total` submitted applications (bulk inserts).

    The applications carry what the workbench shows and filters by (name, organisation, field,
    rule results); their content is not needed for the list.
    """
    from filing.applications.constants import Status
    from filing.applications.models import Application
    from filing.orgs.constants import Role
    from filing.orgs.models import Authority, Organisation
    from filing.reviews.models import Review

    authority = Authority.objects.get(code=AUTHORITY)
    have = Review.objects.filter(authority=authority).count()
    if have >= total:
        return have
    orgs = list(Organisation.objects.filter(name__startswith="工作台").order_by("pk"))
    if not orgs:
        orgs = organisations(200, prefix="工作台")
        users(orgs, Role.ORG_ADMIN, prefix="bench-wb-admin")
    from filing.orgs.models import User

    creator = User.objects.filter(organisation=orgs[0]).first()
    c = call()
    now = timezone.now()
    for first in range(have, total, BATCH * 4):
        last = min(total, first + BATCH * 4)
        apps = Application.objects.bulk_create(
            [
                Application(
                    call=c,
                    call_version=c.current_version,
                    organisation=orgs[i % len(orgs)],
                    track=TRACK,
                    status=Status.SUBMITTED,
                    space_name=f"空间{i}专业化众创空间",
                    first_level=authority,
                    field_code=f"{1 + i % 8}.{1 + i % 5}.{1 + i % 3}",
                    rule_failures=int(i % 3 == 0),
                    rule_undecided=int(i % 7 == 0),
                    created_by=creator,
                    submitted_at=now,
                )
                for i in range(first, last)
            ],
            batch_size=BATCH,
        )
        if not apps[0].pk:
            apps = list(Application.objects.order_by("-pk")[: last - first])[::-1]
        Review.objects.bulk_create(
            [
                Review(
                    application=app,
                    level_key="city",
                    level_index=0,
                    authority=authority,
                    # One arrival a minute, the newest last, as submissions trickle in.
                    received_at=now - timedelta(minutes=total - i),
                    status="received" if i % 4 else "in_review",
                    call_id=app.call_id,
                    organisation_id=orgs[i % len(orgs)].pk,
                    city_id=orgs[i % len(orgs)].city_id,
                )
                for i, app in enumerate(apps, start=first)
            ],
            batch_size=BATCH,
        )
    return Review.objects.filter(authority=authority).count()


# ----- the summary table: a city bureau's recommended list -------------------------------------


@transaction.atomic
def recommended_list(template_pk: int, count: int) -> int:
    """`count` copies of the template recommended by the city bureau, ranked; the list's id."""
    from filing.orgs.constants import Role
    from filing.orgs.models import Authority, User
    from filing.reviews.models import LevelList, Review

    authority = Authority.objects.get(code=AUTHORITY)
    c = call()
    lst, _ = LevelList.objects.get_or_create(call=c, level_key="city", authority=authority)
    if Review.objects.filter(authority=authority, status="recommended").count() >= count:
        return lst.pk
    orgs = organisations(count, prefix="汇总")
    admins = users(orgs, Role.ORG_ADMIN, prefix="bench-sum-admin")
    by_org = {u.organisation_id: u for u in admins}
    ids = clone_applications(
        template_pk, orgs, creator_of=lambda o: by_org[o.pk], status="submitted"
    )
    from filing.applications.models import Application

    for n, pk in enumerate(ids, start=1):
        Application.objects.filter(pk=pk).update(space_name=f"第{n}智能制造专业化众创空间")
    now = timezone.now()
    submitted_versions(ids, by_org, now)
    app_of = Application.objects.select_related("organisation").in_bulk(ids)
    reviewer = User.objects.get(username=REVIEWER)
    Review.objects.bulk_create(
        [
            Review(
                application_id=pk,
                level_key="city",
                level_index=0,
                authority=authority,
                received_at=now,
                taken_up_at=now,
                **Review.copied_from(app_of[pk]),
                decided_at=now,
                decided_by=reviewer,
                status="recommended",
                rank=n,
                site_check="checked",
                opinion="材料齐全，情况属实，同意推荐。",
            )
            for n, pk in enumerate(ids, start=1)
        ],
        batch_size=BATCH,
    )
    return lst.pk


# Seconds spent working out each application's summary cells, as its submission does.
CELLS_SECONDS: list[float] = []


def submitted_versions(ids: list[int], admin_of: dict, now) -> None:
    """A submitted version of each application, with the summary cells a submission keeps
    (reviews.package submission_cells, timed into CELLS_SECONDS). The version's content holds
    the values only: the summary table never reads the rest."""
    from filing.applications.models import Application, Submission
    from filing.reviews.package import submission_cells

    c = call()
    version = c.versions.get(pk=Application.objects.get(pk=ids[0]).call_version_id)
    made = []
    apps = Application.objects.filter(pk__in=ids).select_related(
        "organisation", "organisation__city", "organisation__province", "organisation__zone"
    )
    for app in apps.prefetch_related("rows").iterator(chunk_size=500):
        app.call, app.call_version = c, version  # one parsed definition for all
        started = time.perf_counter()
        cells = submission_cells(app)
        CELLS_SECONDS.append(time.perf_counter() - started)
        made.append(
            Submission(
                application=app,
                number=1,
                content={"values": app.values},
                digest=hashlib.sha256(f"bench-{app.pk}".encode()).hexdigest(),
                verification_code=f"BNCH-{app.pk:012d}",
                submitted_by=admin_of[app.organisation_id],
                submitted_at=now,
                summary_cells=cells,
            )
        )
    Submission.objects.bulk_create(made, batch_size=BATCH)


# ----- the deadline surge: applicants with complete drafts -------------------------------------


def surge_plan(template_pk: int, count: int) -> list[dict[str, Any]]:
    """`count` organisations, each with an admin logged in and a complete draft to save and
    submit; returns what each simulated applicant needs (its session, pages and form)."""
    from filing.applications.evaluation import Context
    from filing.applications.models import Application
    from filing.applications.services import gaps
    from filing.applications.tests.filling import post_value
    from filing.orgs.constants import Role

    orgs = organisations(count, prefix="申报")
    admins = users(orgs, Role.ORG_ADMIN, prefix="bench-surge-admin")
    by_org = {u.organisation_id: u for u in admins}
    ids = clone_applications(template_pk, orgs, creator_of=lambda o: by_org[o.pk])
    plan = []
    for n, (pk, org) in enumerate(zip(ids, orgs, strict=True)):
        app = Application.objects.select_related("call_version").get(pk=pk)
        ctx = Context.of(app)
        if n == 0:
            assert not gaps(ctx), gaps(ctx)
        section, fields = _section_with_long_text(ctx)
        data: dict[str, Any] = {}
        for f in fields:
            if f.type == "computed":
                continue
            data.update(_as_posted(f, app.values.get(f.key)) or post_value(f, str(pk), {}))
        vary = next(f for f in fields if f.type == "textarea")
        plan.append(
            {
                "application": pk,
                "session": session_for(by_org[org.pk]),
                "section": f"/applications/{pk}/section/{section.key}/",
                "commitment": f"/applications/{pk}/commitment/",
                "submit": f"/applications/{pk}/submit/",
                "overview": f"/applications/{pk}/",
                "form": data,
                "vary": vary.key,
                "vary_limit": vary.max_chars or 2000,
                "signer": LEGAL_REPRESENTATIVE,
            }
        )
    return plan


def _section_with_long_text(ctx):
    for section, fields in ctx.sections():
        if any(f.type == "textarea" for f in fields):
            return section, fields
    raise LookupError("no section with a long text field")


def _as_posted(f, value) -> dict[str, Any] | None:
    """The form entries that post `value` back unchanged (filing/applications/forms.py reads
    them with raw_from_post)."""
    if value is None or value == "" or value == []:
        return None
    if f.type == "yes_with_name" and isinstance(value, dict):
        return {
            f"{f.key}__answer": value.get("answer", ""),
            f"{f.key}__name": value.get("name", ""),
        }
    if isinstance(value, list):
        plain = [str(v) for v in value if not str(v).startswith("other:")]
        other = [str(v)[6:] for v in value if str(v).startswith("other:")]
        return {f.key: plain, **({f"{f.key}__other": other[0]} if other else {})}
    if isinstance(value, dict):
        return None
    if isinstance(value, str) and value.startswith("other:"):
        return {f.key: "other", f"{f.key}__other": value[6:]}
    return {f.key: str(value)}


def upload_plan(template_pk: int) -> dict[str, Any]:
    """A filler with a draft application, for the upload benchmark."""
    from filing.orgs.constants import Role

    org = organisations(1, prefix="上传")[0]
    filler = users([org], Role.FILLER, prefix="bench-upload-filler")[0]
    pk = clone_applications(template_pk, [org], creator_of=lambda o: filler)[0]
    from filing.applications.evaluation import Context
    from filing.applications.models import Application

    app = Application.objects.select_related("call_version").get(pk=pk)
    item = next(iter(Context.of(app).attachments())).key
    return {
        "application": pk,
        "session": session_for(filler),
        "page": f"/applications/{pk}/attachments/",
        "upload": f"/applications/{pk}/attachments/{item}/",
        "csrf": secrets.token_hex(16),
    }
