"""An organisation admin invites fillers by email; a person belongs to one body only."""

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from filing.orgs import services
from filing.orgs.constants import Role
from filing.orgs.models import User

pytestmark = pytest.mark.django_db


def invite(client, cast, email="new.filler@example.cn"):
    client.force_login(cast.org_admin)
    return client.post(reverse("orgs:members"), {"email": email})


def link_in_last_mail():
    return re.search(r"http\S+/invitations/\S+/", mail.outbox[-1].body).group(0)


def test_an_invited_person_sets_up_a_filler_account_in_the_organisation(
    cast, client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        invite(client, cast)
    assert mail.outbox[-1].to == ["new.filler@example.cn"]
    path = link_in_last_mail().split("127.0.0.1:8000")[-1]
    client.logout()
    response = client.post(
        path,
        {
            "full_name": "赵六",
            "username": "zhaoliu",
            "password1": "filler-pass-2026!",
            "password2": "filler-pass-2026!",
        },
    )
    assert response.status_code == 302
    user = User.objects.get(username="zhaoliu")
    assert user.organisation == cast.gz_org
    assert user.role == Role.FILLER
    assert client.get(path).status_code == 404  # used once


def test_an_expired_invitation_is_refused(cast):
    issued = services.invite_member(
        cast.gz_org,
        actor=cast.org_admin,
        email="late@example.cn",
        now=timezone.now() - timedelta(days=8),
    )
    token = issued.url.rstrip("/").split("/")[-1]
    with pytest.raises(services.OrgError, match="过期|无效"):
        services.accept_invitation(
            token, username="late", full_name="迟到", password="x-pass-2026!"
        )


def test_a_filler_cannot_invite(cast, client):
    client.force_login(cast.filler)
    assert client.post(reverse("orgs:members"), {"email": "x@example.cn"}).status_code == 403
    with pytest.raises(services.OrgError):
        services.invite_member(cast.gz_org, actor=cast.filler, email="x@example.cn")


def test_someone_already_on_the_platform_cannot_be_invited_into_a_second_body(cast, client):
    response = invite(client, cast, email=cast.city_reviewer.email)
    assert "一个人只能属于一个机构或一个主管部门" in response.content.decode()


def test_an_admin_can_deactivate_a_filler_but_not_themself(cast, client):
    client.force_login(cast.org_admin)
    client.post(reverse("orgs:deactivate_member", args=[cast.filler.pk]))
    cast.filler.refresh_from_db()
    assert not cast.filler.is_active
    response = client.post(reverse("orgs:deactivate_member", args=[cast.org_admin.pk]), follow=True)
    assert "不能停用自己的账号" in response.content.decode()


def test_a_user_cannot_belong_to_an_organisation_and_an_authority(cast):
    from django.db import IntegrityError, transaction

    cast.filler.authority = cast.city_reviewer.authority
    with pytest.raises(IntegrityError), transaction.atomic():
        cast.filler.save()
