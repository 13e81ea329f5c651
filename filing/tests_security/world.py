"""One small platform with something behind every URL, for the access matrix and the CSRF walk.

Everything is made the way people make it: through the pages and the services, starting from the
seed calls. Liaoning's rehearsal call is used because its city level publishes its list
(公示), so one application reaches every kind of object the URLs name: sections, roster rows,
files, a submitted version, a review, a ranked and signed level list, a publicity with an
objection and its file, and a built ZIP of materials.

The people are named by their relation to that application (in Shenyang, 210100):
the organisation's filler and admin, the admin of an organisation in Dalian, reviewers of the
city, of Dalian, of the province, of Guangdong and of the ministry, the city's leader and the
platform administrator.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

CALL = "liaoning-2021-rehearsal"
CITY = "210100"  # Shenyang
OTHER_CITY = "210200"  # Dalian
PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"

# The roles of the matrix, in the order its table lists them.
APPLICANT_ROLES = ["filler", "org_admin", "other_org_admin"]
STAFF_ROLES = [
    "city_reviewer",
    "other_city_reviewer",
    "province_reviewer",
    "other_province_reviewer",
    "ministry_reviewer",
    "leader",
]
ROLES = ["anonymous", *APPLICANT_ROLES, *STAFF_ROLES, "platform_admin"]


@dataclass
class World:
    """The people (by role) and the ids that fill the URLs' path parameters."""

    users: dict[str, object]
    call: str
    level_key: str
    app: object  # submitted, recommended, on a signed list under publicity
    draft: object  # another application of the organisation, still a draft
    params: dict[str, object] = field(default_factory=dict)
    sessions: dict[str, str] = field(default_factory=dict)
    baseline: dict[str, list] = field(default_factory=dict)  # state() once it was made

    def client_for(self, role: str, **kwargs) -> Client:
        """A test client logged in as the role (anonymous: not logged in).

        Each role logged in once, when the world was made; a client is given a copy of that
        session's cookie, so a request that logs out or changes the password spoils no other
        test (the session row itself is restored by the test's rollback)."""
        client = Client(**kwargs)
        if role != "anonymous":
            client.cookies[settings.SESSION_COOKIE_NAME] = self.sessions[role]
        return client

    def log_in_everyone(self) -> None:
        for role, user in self.users.items():
            client = Client()
            client.force_login(user)
            self.sessions[role] = client.cookies[settings.SESSION_COOKIE_NAME].value

    def url(self, name: str, args: tuple[str, ...]) -> str:
        """The URL with its parameters taken from the world ("=pdf" stands for itself)."""
        return reverse(name, args=[a[1:] if a.startswith("=") else self.params[a] for a in args])


def state() -> dict[str, list]:
    """Every row of the platform's own tables (reference data aside), to compare before and
    after a request that must change nothing."""
    from django.apps import apps

    found = {}
    for model in apps.get_models():
        label = model._meta.label
        if not model.__module__.startswith("filing.") or model._meta.app_label == "reference":
            continue
        if label in ADDED_ONLY:
            found[label] = [model.objects.count()]
            continue
        fields = [f.attname for f in model._meta.concrete_fields]
        found[label] = list(model.objects.order_by("pk").values_list(*fields))
    return found


# Rows that are never changed, only added (the audit trail, loaded definitions): counted.
ADDED_ONLY = {"audit.AuditEvent", "calls.CallVersion"}


def changed(before: dict[str, list], after: dict[str, list]) -> list[str]:
    """The tables whose rows differ."""
    return [label for label in before if before[label] != after[label]]


def build_world(*, load_calls: bool = True) -> World:
    """Make the platform; takes seconds (the application is filled through the pages).
    `load_calls=False` where the seed calls and their rehearsal copies are already loaded."""
    from filing.applications.models import Attachment, Submission
    from filing.applications.tests.filling import WebFiller, start
    from filing.calls.loading import definition_files, load_paths, make_rehearsals
    from filing.calls.models import Call
    from filing.notices.models import Notice
    from filing.orgs.models import Authority, User
    from filing.orgs.services import invite_member
    from filing.orgs.tests.factories import OrganisationFactory, UserFactory
    from filing.publicity.models import ObjectionFile
    from filing.publicity.services import lodge_objection
    from filing.registry.models import FiledSpace
    from filing.reviews.constants import JobStatus, ReviewStatus
    from filing.reviews.jobs import request_package, run_package_build
    from filing.reviews.models import LevelList, Review
    from filing.reviews.tests.routing import publicise

    if load_calls:
        load_paths(definition_files(Path(settings.CALL_DEFINITIONS_DIR)))
        make_rehearsals(list(Call.objects.filter(is_rehearsal=False)), timezone.localdate())

    org = OrganisationFactory(name="沈阳安全测试众创运营有限公司", city_code=CITY)
    other_org = OrganisationFactory(name="大连安全测试众创运营有限公司", city_code=OTHER_CITY)

    def staff(name: str, code: str, **trait) -> User:
        return UserFactory(username=name, authority_code=code, **trait)

    users = {
        "filler": UserFactory(username="sec-filler", filler=True, organisation=org),
        "org_admin": UserFactory(username="sec-admin", org_admin=True, organisation=org),
        "other_org_admin": UserFactory(
            username="sec-other-admin", org_admin=True, organisation=other_org
        ),
        "city_reviewer": staff("sec-sy-reviewer", f"ln-{CITY}", reviewer=True),
        "other_city_reviewer": staff("sec-dl-reviewer", f"ln-{OTHER_CITY}", reviewer=True),
        "province_reviewer": staff("sec-ln-reviewer", "ln", reviewer=True),
        "other_province_reviewer": staff("sec-gd-reviewer", "gd", reviewer=True),
        "ministry_reviewer": staff("sec-most-reviewer", "most", reviewer=True),
        "leader": staff("sec-sy-leader", f"ln-{CITY}", leader=True),
        "platform_admin": User.objects.create_superuser(
            "sec-platform-admin", "sec-platform-admin@example.cn", "pw-for-tests-1"
        ),
    }
    assert Authority.objects.filter(code=f"ln-{CITY}").exists()

    client = Client()
    client.force_login(users["filler"])
    app = start(client, CALL, "maker_space", "沈阳安全测试众创空间")
    WebFiller(client, app).fill_everything()
    draft = start(client, CALL, "professional", "沈阳安全测试专业化众创空间")
    filler = WebFiller(client, draft)
    filler.fill_sections()
    filler.fill_rosters()
    filler.upload_evidence()
    filler.upload_attachments()

    client.force_login(users["org_admin"])
    assert client.post(reverse("applications:submit", args=[app.pk])).status_code == 302
    review = Review.objects.get(application=app)
    level_key = review.level_key

    client.force_login(users["city_reviewer"])
    client.post(reverse("reviews:take_up", args=[review.pk]))
    client.post(
        reverse("reviews:save", args=[review.pk]),
        {
            "site_check": "checked",
            "site_check_date": timezone.localdate().isoformat(),
            "site_check_inspectors": "王五",
            "opinion": "同意推荐。",
        },
    )
    client.post(reverse("reviews:decide", args=[review.pk]), {"decision": "recommend"})
    publicity = publicise(client, CALL, level_key)
    entry = publicity.entries.first()
    objection = lodge_objection(
        publicity,
        entry_id=entry.pk,
        name="赵六",
        phone="13812345678",
        email="zhao@example.cn",
        content="申报材料中的场地面积与实际不符。",
        files=[SimpleUploadedFile("证据.pdf", PDF_BYTES, "application/pdf")],
    )
    client.force_login(users["leader"])
    client.post(reverse("reviews:sign_off", args=[CALL, level_key]))
    level_list = LevelList.objects.get(call__code=CALL, authority=review.authority)
    build = request_package(level_list, actor=users["city_reviewer"])
    run_package_build(build.pk)
    build.refresh_from_db()
    # Each step above went through: the URLs below name objects in these states.
    review.refresh_from_db()
    assert review.status == ReviewStatus.RECOMMENDED, review.status
    assert level_list.signed_off_at is not None and build.status == JobStatus.DONE

    invitation = invite_member(org, actor=users["org_admin"], email="new-filler@example.cn")
    row = draft.rows.filter(files__isnull=False).order_by("pk").first()
    row_file = Attachment.objects.filter(application=draft, row=row).order_by("pk").first()
    item_file = (
        Attachment.objects.filter(application=draft, row__isnull=True).order_by("pk").first()
    )
    reset_user = users["filler"]
    params = {
        "code": CALL,
        "level_key": level_key,
        "review": review.pk,
        "app": app.pk,
        "draft": draft.pk,
        "section": _first_section(draft),
        "roster": row.roster,
        "row": row.pk,
        "evidence": row_file.item,
        "item": item_file.item,
        "file": item_file.pk,
        "app_file": Attachment.objects.filter(application=app).order_by("pk").first().pk,
        "submission": Submission.objects.filter(application=app).order_by("number").first().number,
        "publicity": publicity.pk,
        "objection": objection.pk,
        "reference": objection.reference,
        "objection_file": ObjectionFile.objects.get(objection=objection).pk,
        "build": build.pk,
        "invitation": invitation.url.rstrip("/").rsplit("/", 1)[-1],
        "uidb64": urlsafe_base64_encode(force_bytes(reset_user.pk)),
        "token": default_token_generator.make_token(reset_user),
        "notice": Notice.objects.filter(recipient=users["filler"]).order_by("pk").first().pk,
        "org": org.pk,
        "filed_space": FiledSpace.objects.order_by("pk").first().pk,
        "member": users["filler"].pk,
        "level_list": level_list.pk,
    }
    made = World(users=users, call=CALL, level_key=level_key, app=app, draft=draft, params=params)
    made.log_in_everyone()
    made.baseline = state()
    return made


def _first_section(application) -> str:
    from filing.applications.evaluation import Context

    section, _fields = next(iter(Context.of(application).sections()))
    return section.key
