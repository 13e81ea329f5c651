"""An instance in use, built through the pages as people would build it.

The content type of organisations is made anew first, as on an instance migrated release by
release: its id is not the one a fresh migration gives it, yet the admin's log points to it.
One Guangdong application filled (rosters, evidence, attachments, the commitment), submitted
and taken through every level to the filed list; two Shenyang applications recommended by the
city, publicised, objected to with a file, and packed into a materials ZIP; a failed login, an
edit in the admin, a group with a permission. Every kind of stored file is there, with bytes
that differ from one file to the next.
"""

from __future__ import annotations

import os

from django.contrib.auth.models import Group, Permission
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from filing.applications.constants import Status
from filing.applications.evaluation import Context
from filing.applications.models import Application
from filing.applications.tests.filling import WebFiller, start
from filing.orgs.models import User
from filing.publicity.models import Objection
from filing.reviews.models import PackageBuild, Review
from filing.reviews.tests.routing import publicise, staff, walk

LIAONING = "liaoning-2021-rehearsal"


def unique_pdf(label: str, size: int = 0) -> bytes:
    """A PDF whose bytes no other file shares (random filler up to ``size``)."""
    head = f"%PDF-1.4\n% {label}\n".encode()
    return head + os.urandom(max(0, size - len(head))) + b"\n%%EOF\n"


def upload_extra(client, app: Application, label: str, size: int) -> None:
    item = Context.of(app).attachments()[0]
    url = reverse("applications:attachment_upload", args=[app.pk, item.key])
    upload = SimpleUploadedFile(f"{label}.pdf", unique_pdf(label, size), "application/pdf")
    assert client.post(url, {"file": upload}).status_code == 302


def submitted(client, applicant, code, track, city, zone, name, n=1, extra_size=0):
    org, filler, admin = applicant(city, zone, n)
    client.force_login(filler)
    app = start(client, code, track, name)
    filler_pages = WebFiller(client, app)
    filler_pages.fill_sections()
    filler_pages.fill_rosters()
    filler_pages.upload_evidence()
    filler_pages.upload_attachments()
    upload_extra(client, app, f"补充材料{app.pk}", extra_size)
    filler_pages.sign()
    client.force_login(admin)
    response = client.post(reverse("applications:submit", args=[app.pk]), follow=True)
    app.refresh_from_db()
    assert app.status == Status.SUBMITTED, [str(m) for m in response.context["messages"]]
    return app


def content_type_made_later(app_label: str, model: str) -> int:
    """Delete a content type (its permissions go with it) and let Django make it again."""
    from django.apps import apps
    from django.contrib.auth.management import create_permissions
    from django.contrib.contenttypes.management import create_contenttypes
    from django.contrib.contenttypes.models import ContentType

    ContentType.objects.get(app_label=app_label, model=model).delete()
    ContentType.objects.clear_cache()
    config = apps.get_app_config(app_label)
    create_contenttypes(config, verbosity=0)
    create_permissions(config, verbosity=0)
    return ContentType.objects.get(app_label=app_label, model=model).pk


def populate(client, applicant, admin_client) -> None:
    cache.clear()  # objection limits per address
    content_type_made_later("orgs", "organisation")
    filed = submitted(
        client,
        applicant,
        "guangdong-2020-rehearsal",
        "professional",
        "440100",
        None,
        "智能制造专业化众创空间",
        extra_size=1_500_000,
    )
    walk(client, filed)
    filed.refresh_from_db()
    assert filed.status == Status.FILED

    shenyang = [
        submitted(client, applicant, LIAONING, "maker_space", "210100", None, name, n=n)
        for n, name in [(1, "沈阳第一众创空间"), (2, "沈阳第二众创空间")]
    ]
    reviewer = staff(Review.objects.get(application=shenyang[0]).authority, "reviewer")
    client.force_login(reviewer)
    for app in shenyang:
        review = Review.objects.get(application=app)
        assert client.post(reverse("reviews:take_up", args=[review.pk])).status_code == 302
        client.post(reverse("reviews:decide", args=[review.pk]), {"decision": "recommend"})
    assert client.post(reverse("reviews:package", args=[LIAONING, "city"])).status_code == 302
    publicity = publicise(client, LIAONING, "city")
    client.logout()
    proof = SimpleUploadedFile("证明.pdf", unique_pdf("objection", 20_000), "application/pdf")
    client.post(
        reverse("publicity:lodge", args=[publicity.pk]),
        {
            "entry": publicity.entries.get(position=1).pk,
            "name": "王五",
            "phone": "024-23983139",
            "content": "该空间场地面积与实际不符，请核查。",
            "files": [proof],
        },
    )

    client.post(reverse("login"), {"username": reviewer.username, "password": "wrong"})
    org = filed.organisation
    url = f"/admin/orgs/organisation/{org.pk}/change/"
    form = admin_client.get(url).context["adminform"].form
    data = {k: v for k, v in form.initial.items() if v is not None}
    data.update(name=f"{org.name}（更名）", province=org.province_id, city=org.city_id, zone="")
    assert admin_client.post(url, data).status_code == 302
    group = Group.objects.create(name="省级审核")
    group.permissions.add(Permission.objects.get(codename="view_auditevent"))
    User.objects.get(username=reviewer.username).groups.add(group)

    assert Objection.objects.get().files.count() == 1
    assert PackageBuild.objects.get().file
