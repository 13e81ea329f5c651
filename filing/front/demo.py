"""Demo data for a newcomer's first look: the seed calls, rehearsal copies and a cast of accounts.

Everything here is idempotent: running it again changes nothing that is already there.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from django.conf import settings
from django.db import transaction
from stdnum.cn import uscc

from filing.calls.loading import definition_files, load_paths, make_rehearsals
from filing.calls.models import Call
from filing.orgs.constants import HostEntityKind, OrganisationNature, Role
from filing.orgs.models import Authority, Organisation, User
from filing.reference.models import Region

DEMO_PASSWORD = "demo-pass-2026"


def credit_code(body17: str) -> str:
    return body17 + uscc.calc_check_digit(body17)


@dataclass
class DemoOrg:
    key: str
    name: str
    code17: str
    city: str
    zone: str | None
    host: str
    host_kind: str


DEMO_ORGS = [
    DemoOrg(
        "gd",
        "广州智造创新孵化有限公司",
        "91440101MA5F1A2B3",
        "440100",
        None,
        "广州智能装备集团有限公司",
        HostEntityKind.LEADING_ENTERPRISE,
    ),
    DemoOrg(
        "js",
        "南京芯创空间运营管理有限公司",
        "91320100MA1Q2W3E4",
        "320100",
        None,
        "东南大学",
        HostEntityKind.UNIVERSITY,
    ),
    DemoOrg(
        "ln",
        "沈阳创客汇科技服务有限公司",
        "91210100MA0X1Y2W3",
        "210100",
        None,
        "",
        HostEntityKind.NONE,
    ),
    DemoOrg(
        "hn",
        "长沙麓谷众创科技有限公司",
        "91430100MA4L5K6J7",
        "430100",
        "hn-zone-changsha",
        "",
        HostEntityKind.NONE,
    ),
]

# (username, role, authority code) for staff.
DEMO_STAFF = [
    ("most-reviewer", Role.REVIEWER, "most"),
    ("most-leader", Role.LEADER, "most"),
    ("torch-reviewer", Role.REVIEWER, "most-torch"),
    ("gd-province-reviewer", Role.REVIEWER, "gd"),
    ("gd-province-leader", Role.LEADER, "gd"),
    ("gd-city-reviewer", Role.REVIEWER, "gd-440100"),
    ("gd-city-leader", Role.LEADER, "gd-440100"),
    ("gd-shenzhen-reviewer", Role.REVIEWER, "gd-440300"),
    ("js-province-reviewer", Role.REVIEWER, "js"),
    ("js-center-reviewer", Role.REVIEWER, "js-startup-center"),
    ("js-city-reviewer", Role.REVIEWER, "js-320100"),
    ("js-city-leader", Role.LEADER, "js-320100"),
    ("ln-province-reviewer", Role.REVIEWER, "ln"),
    ("ln-province-leader", Role.LEADER, "ln"),
    ("ln-city-reviewer", Role.REVIEWER, "ln-210100"),
    ("ln-city-leader", Role.LEADER, "ln-210100"),
    ("ln-shenfu-reviewer", Role.REVIEWER, "ln-shenfu"),
    ("hn-province-reviewer", Role.REVIEWER, "hn"),
    ("hn-center-reviewer", Role.REVIEWER, "hn-productivity-center"),
    ("hn-city-reviewer", Role.REVIEWER, "hn-430100"),
    ("hn-zone-reviewer", Role.REVIEWER, "hn-zone-changsha"),
    ("hn-zone-leader", Role.LEADER, "hn-zone-changsha"),
]


def _user(username: str, **fields) -> User:
    user = User.objects.filter(username=username).first()
    if user is None:
        user = User(username=username, email=f"{username}@demo.example.cn", **fields)
        user.set_password(DEMO_PASSWORD)
        user.save()
    return user


@transaction.atomic
def create_accounts() -> list[tuple[str, str, str]]:
    """Demo accounts for every role; returns (username, role, body) rows to print."""
    rows: list[tuple[str, str, str]] = []
    admin = User.objects.filter(username="admin").first()
    if admin is None:
        User.objects.create_superuser("admin", "admin@demo.example.cn", DEMO_PASSWORD)
    rows.append(("admin", "superuser", "—"))
    for spec in DEMO_ORGS:
        city = Region.objects.get(code=spec.city)
        org, _ = Organisation.objects.get_or_create(
            credit_code=credit_code(spec.code17),
            defaults={
                "name": spec.name,
                "nature": OrganisationNature.PRIVATE,
                "province": city.parent,
                "city": city,
                "zone": Authority.objects.get(code=spec.zone) if spec.zone else None,
                "address": f"{city.parent.name}{city.name}示范路1号",
                "legal_representative": "张明",
                "phone": "020-83163286" if spec.key == "gd" else "13800000000",
                "host_entity_name": spec.host,
                "host_entity_kind": spec.host_kind,
            },
        )
        for suffix, role in (("applicant-admin", Role.ORG_ADMIN), ("filler", Role.FILLER)):
            username = f"{spec.key}-{suffix}"
            _user(
                username,
                organisation=org,
                role=role,
                full_name=f"{org.name[:4]}{Role(role).label[:3]}",
            )
            rows.append((username, str(Role(role).label), org.name))
    for username, role, code in DEMO_STAFF:
        authority = Authority.objects.get(code=code)
        _user(username, authority=authority, role=role, full_name=username)
        rows.append((username, str(Role(role).label), authority.name))
    return rows


def load_calls_and_rehearsals(today: date) -> tuple[int, int]:
    result = load_paths(definition_files(Path(settings.CALL_DEFINITIONS_DIR)))
    originals = list(
        Call.objects.filter(is_rehearsal=False).select_related("feeds", "current_version")
    )
    rehearsals = make_rehearsals(originals, today)
    return len(result.loaded), len(rehearsals.loaded)
