"""The access matrix: every named URL of the project, who may open it and who may post to it.

Rows are read by test_access_matrix.py (each role against each URL) and test_csrf.py (a POST
without a token to each URL). To add a page: add a Row with the world's parameters its URL
takes (world.py makes the objects; add one there if the page needs a new kind), the roles that
may open it (`get`), and, if it acts on POST, the roles that may post (`post`).

- `get`: the roles that may open the page. They answer 200, or redirect somewhere other than
  the login page; every other role is refused: 403, 404, or a redirect to the login page.
  `None`: the URL only acts on POST, and a GET answers 405 to everyone.
- `post`: the roles whose POST may act (answered without an error and without a refusal). Every
  other role is refused and the database is left exactly as it was. `None`: nothing to post.

The roles are named by their relation to one application of Liaoning's rehearsal call from an
organisation in Shenyang (world.py).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from filing.tests_security.world import APPLICANT_ROLES, PDF_BYTES, ROLES, STAFF_ROLES, World

ALL = frozenset(ROLES)
USERS = ALL - {"anonymous"}
APPLICANTS = frozenset(APPLICANT_ROLES)
OWN_ORG = frozenset({"filler", "org_admin"})
ORG_ADMINS = frozenset({"org_admin", "other_org_admin"})
STAFF = frozenset(STAFF_ROLES)
# Staff whose jurisdiction holds Shenyang: its city bureau, Liaoning, the ministry.
AREA = frozenset({"city_reviewer", "leader", "province_reviewer", "ministry_reviewer"})
CITY = frozenset({"city_reviewer", "leader"})
# The bureaus that hold the call's city level, each its own list there (Dalian's is empty);
# a province, another province or the ministry holds none at that level and is answered 404.
CITY_LEVEL = CITY | {"other_city_reviewer"}
ADMIN = frozenset({"platform_admin"})
NOBODY: frozenset[str] = frozenset()

# People who may never see the application's name on a page that is not public.
OUTSIDERS = frozenset(
    {"anonymous", "other_org_admin", "other_city_reviewer", "other_province_reviewer"}
)


@dataclass(frozen=True)
class Row:
    name: str
    args: tuple[str, ...] = ()
    get: frozenset[str] | None = ALL
    post: frozenset[str] | None = None
    data: dict[str, Any] = field(default_factory=dict)
    public: bool = False  # the page may name the application to anyone (publicity)

    def post_data(self) -> dict[str, Any]:
        """What is posted: the row's data, with a fresh PDF as `file` where it uploads one."""
        data = dict(self.data)
        if data.pop("upload", False):
            data.update(upload())
        return data


def upload() -> dict[str, Any]:
    from django.core.files.uploadedfile import SimpleUploadedFile

    return {"file": SimpleUploadedFile("证明.pdf", PDF_BYTES, "application/pdf")}


D = ("draft",)
LIST = ("code", "level_key")
MATRIX = [
    # applicants' pages; the draft belongs to the Shenyang organisation
    Row("applications:home", get=APPLICANTS),
    Row("applications:verify"),
    Row(
        "applications:start",
        ("code",),
        get=APPLICANTS,
        post=APPLICANTS,
        data={"space_name": "另一个众创空间", "track": "maker_space"},
    ),
    Row("applications:overview", D, get=OWN_ORG | ADMIN),
    Row(
        "applications:section",
        (*D, "section"),
        get=OWN_ORG | ADMIN,
        post=OWN_ORG,
        data={"space_name": "改名的众创空间"},
    ),
    Row("applications:computed", (*D, "section"), get=OWN_ORG | ADMIN, post=OWN_ORG | ADMIN),
    Row(
        "applications:roster",
        (*D, "roster"),
        get=OWN_ORG | ADMIN,
        post=OWN_ORG,
        data={"name": "新团队"},
    ),
    Row("applications:roster_template", (*D, "roster"), get=OWN_ORG | ADMIN),
    Row("applications:roster_upload", (*D, "roster"), get=None, post=OWN_ORG),
    Row(
        "applications:row_edit",
        (*D, "roster", "row"),
        get=OWN_ORG,
        post=OWN_ORG,
        data={"name": "改名的团队"},
    ),
    Row("applications:row_delete", (*D, "roster", "row"), get=None, post=OWN_ORG),
    Row(
        "applications:row_file_upload",
        (*D, "roster", "row", "evidence"),
        get=None,
        post=OWN_ORG,
        data={"upload": True},
    ),
    Row("applications:attachments", D, get=OWN_ORG | ADMIN),
    Row(
        "applications:attachment_upload",
        (*D, "item"),
        get=None,
        post=OWN_ORG,
        data={"upload": True},
    ),
    Row("applications:file_download", (*D, "file"), get=OWN_ORG | ADMIN),
    Row("applications:file_delete", (*D, "file"), get=None, post=OWN_ORG),
    Row(
        "applications:commitment",
        D,
        get=OWN_ORG | ADMIN,
        post=OWN_ORG,
        data={"signer_name": "张明", "confirm": "on"},
    ),
    Row("applications:check", D, get=OWN_ORG | ADMIN),
    Row("applications:send_to_admin", D, get=None, post=OWN_ORG),
    Row("applications:send_back", D, get=OWN_ORG, post=OWN_ORG, data={"reason": "请补充。"}),
    Row("applications:submit", D, get=OWN_ORG, post=OWN_ORG),
    Row("applications:withdraw", ("app",), get=OWN_ORG, post=OWN_ORG, data={"reason": "撤回。"}),
    Row("applications:print_pdf", ("app",), get=OWN_ORG | AREA | ADMIN),
    Row("applications:print_docx", ("app",), get=OWN_ORG | AREA | ADMIN),
    Row("applications:submission_pdf", ("app", "submission"), get=OWN_ORG | AREA | ADMIN),
    # calls
    Row("calls:detail", ("code",)),
    Row("calls:upload_definition", get=ADMIN, post=ADMIN),
    # front
    Row("front:home"),
    Row("front:dashboard", get=USERS),
    Row("front:health"),
    # notices; the filler's notice
    Row("notices:inbox", get=USERS),
    Row("notices:read_all", get=None, post=USERS),
    Row("notices:open", ("notice",), get=frozenset({"filler"})),
    # accounts
    Row("login", post=ALL, data={"username": "sec-filler", "password": "wrong"}),
    Row("logout", get=None, post=ALL),
    Row("password_change", get=USERS, post=USERS),
    Row("password_change_done", get=USERS),
    Row("password_reset", post=ALL, data={"email": "nobody@example.cn"}),
    Row("password_reset_done"),
    Row("password_reset_confirm", ("uidb64", "token"), post=ALL),
    Row("password_reset_complete"),
    Row("orgs:register", post=ALL),
    Row("orgs:two_factor", get=USERS, post=USERS, data={"token": "000000"}),
    Row("orgs:my_organisation", get=APPLICANTS),
    Row("orgs:members", get=ORG_ADMINS, post=ORG_ADMINS, data={"email": "x@example.cn"}),
    Row("orgs:deactivate_member", ("member",), get=None, post=frozenset({"org_admin"})),
    Row("orgs:accept_invitation", ("invitation",), post=ALL),
    Row("orgs:organisation_list", get=STAFF),
    Row("orgs:organisation_detail", ("org",), get=AREA),
    Row("set_language", post=ALL, data={"language": "en"}),
    # public pages
    Row("reference:catalogue"),
    Row("reference:field_search"),
    Row("registry:list"),
    Row("registry:detail", ("filed_space",)),
    Row("publicity:index", public=True),
    Row("publicity:notice", ("publicity",), public=True),
    Row("publicity:lodge", ("publicity",), post=ALL, public=True),
    Row("publicity:find_objection", post=ALL, data={"reference": "NOSUCHREF"}),
    Row("publicity:objection_status", ("reference",), public=True),
    # publicity, for the level that published it
    Row("publicity:open", LIST, get=CITY_LEVEL, post=CITY_LEVEL),
    Row("publicity:manage", ("publicity",), get=CITY, post=CITY),
    Row(
        "publicity:handle",
        ("objection",),
        get=None,
        post=CITY,
        data={"decision": "dismiss", "response": "经核实，异议不成立。"},
    ),
    Row("publicity:objection_file", ("objection", "objection_file"), get=CITY),
    # reviews; the application's review at the city level, and the city's list
    Row("reviews:workbench", get=STAFF),
    Row("reviews:area", get=STAFF),
    Row(
        "reviews:record_dishonesty",
        ("org",),
        get=None,
        post=AREA,
        data={"starts_on": "2026-01-01", "reason": "虚报材料。"},
    ),
    Row("reviews:detail", ("review",), get=AREA),
    Row("reviews:take_up", ("review",), get=None, post=AREA),
    Row("reviews:save", ("review",), get=None, post=AREA, data={"opinion": "改写的意见。"}),
    Row(
        "reviews:return",
        ("review",),
        get=None,
        post=AREA,
        data={"reason": "请补充。", "resubmit_by": "2099-01-01"},
    ),
    Row(
        "reviews:decide",
        ("review",),
        get=None,
        post=AREA,
        data={"decision": "not_recommend", "reason": "不符合条件。"},
    ),
    Row("reviews:decide_filing", ("review",), get=None, post=AREA, data={"decision": "file"}),
    Row("reviews:withdraw", ("review",), get=None, post=AREA, data={"reason": "弄虚作假。"}),
    Row("reviews:declare_conflict", ("review",), get=AREA, post=AREA, data={"reason": "亲属。"}),
    Row(
        "reviews:extend_application",
        ("review",),
        get=frozenset({"leader"}),
        post=frozenset({"leader"}),
        data={"new_deadline": "2099-01-01", "reason": "延期。"},
    ),
    Row("reviews:level_list", LIST, get=CITY_LEVEL),
    Row("reviews:rank", LIST, get=None, post=CITY_LEVEL),
    Row("reviews:sign_off", LIST, get=None, post=CITY_LEVEL),
    Row("reviews:forward", LIST, get=None, post=CITY_LEVEL),
    Row("reviews:letter", (*LIST, "=pdf"), get=CITY_LEVEL),
    Row("reviews:summary", (*LIST, "=xlsx"), get=CITY_LEVEL),
    Row("reviews:package", LIST, get=None, post=CITY_LEVEL),
    Row("reviews:package_build", ("build",), get=CITY),
    Row("reviews:package_download", ("build",), get=CITY),
    Row(
        "reviews:extend_list",
        LIST,
        get=frozenset({"leader"}),
        post=frozenset({"leader"}),
        data={"new_deadline": "2099-01-01", "reason": "延期。"},
    ),
    # Django's admin site, for the platform administrator only
    Row("admin:*", get=ADMIN),
]
ROWS = {row.name: row for row in MATRIX}


def url_of(world: World, row: Row) -> str:
    """The row's URL in the world; the admin site is tried at its list of people."""
    if row.name == "admin:*":
        return "/admin/orgs/user/"
    return world.url(row.name, row.args)
