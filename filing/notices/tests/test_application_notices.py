"""An applicant's own steps tell the next person who must act: a filler's request for approval
reaches the organisation's admins; a submission reaches the reviewers of the receiving level.
Nobody is told of their own step."""

from django.urls import reverse

from filing.applications.tests.filling import start
from filing.notices.constants import SUBJECT_PREFIX, NoticeKind
from filing.notices.tests.helpers import auth, notices_of, submit
from filing.orgs.tests.factories import UserFactory
from filing.reviews.models import Review
from filing.reviews.tests.routing import staff


def test_the_admins_hear_when_a_filler_asks_for_approval(
    client, seed_calls, applicant, committed, mailoutbox
):
    org, filler, admin = applicant("440100")
    second_admin = UserFactory(username="second-admin", org_admin=True, organisation=org)
    stranger = UserFactory(username="stranger-admin", org_admin=True)
    client.force_login(filler)
    app = start(client, "guangdong-2020-rehearsal", "professional", "广州测试专业化众创空间")
    with committed():
        response = client.post(reverse("applications:send_to_admin", args=[app.pk]))
    assert response.status_code == 302
    for person in (admin, second_admin):
        [notice] = notices_of(person)
        assert notice.kind == NoticeKind.AWAITING_APPROVAL
        assert "广州测试专业化众创空间" in notice.subject and "待您审核" in notice.subject
        assert "申报截止时间" in notice.body
        assert notice.link == reverse("applications:overview", args=[app.pk])
    assert notices_of(filler) == [] and notices_of(stranger) == []
    assert sorted(m.to[0] for m in mailoutbox) == sorted([admin.email, second_admin.email])
    assert all(m.subject.startswith(SUBJECT_PREFIX) for m in mailoutbox)


def test_the_receiving_levels_reviewers_hear_of_a_new_application(
    client, seed_calls, applicant, committed, mailoutbox
):
    reviewer = staff(auth("gd-440100"), "reviewer")
    leader = staff(auth("gd-440100"), "leader")
    elsewhere = staff(auth("gd-440300"), "reviewer")
    province = staff(auth("gd"), "reviewer")
    with committed():
        app, filler, admin = submit(client, applicant)
    review = Review.objects.get(application=app)
    [notice] = notices_of(reviewer)
    assert notice.kind == NoticeKind.APPLICATION_RECEIVED
    assert "收到新申报" in notice.subject and app.space_name in notice.subject
    assert app.organisation.name in notice.body and "请及时受理" in notice.body
    assert notice.link == reverse("reviews:detail", args=[review.pk])
    assert notices_of(leader) == [] and notices_of(elsewhere) == [] and notices_of(province) == []
    assert notices_of(admin) == []  # the admin submitted it
    assert [m.to for m in mailoutbox] == [[reviewer.email]]


def test_the_reviewer_opens_the_new_application_from_the_notice(client, seed_calls, applicant):
    reviewer = staff(auth("gd-440100"), "reviewer")
    app, *_ = submit(client, applicant)
    [notice] = notices_of(reviewer)
    client.force_login(reviewer)
    response = client.get(reverse("notices:open", args=[notice.pk]))
    assert response.status_code == 302
    assert client.get(response["Location"]).status_code == 200
