"""Publicity: each applicant on a publicised list hears that it is public and until when; the
staff of the authority that runs it hear of each objection, without its content. The events are
written here as the publicity pages will write them."""

from filing.applications.tests.filling import start
from filing.audit.models import AuditEvent
from filing.notices.constants import NoticeKind
from filing.notices.models import Notice
from filing.notices.tests.helpers import auth, notices_of
from filing.orgs.tests.factories import UserFactory
from filing.reviews.tests.routing import staff


def opened(app_ids, pk=7, actor=None):
    return AuditEvent.objects.create(
        actor=actor,
        event="publicity.opened",
        object_type="publicity.publicity",
        object_id=str(pk),
        object_repr="广东省2026年众创空间备案公示",
        data={
            "authority": "广东省科学技术厅",
            "title": "广东省2026年众创空间备案公示",
            "closes_at": "2026-06-08T17:00:00+08:00",
            "application_ids": app_ids,
        },
    )


def test_each_listed_applicant_hears_its_space_is_publicised(
    client, seed_calls, applicant, committed, mailoutbox
):
    org1, filler1, admin1 = applicant("440100", n=1)
    org2, filler2, admin2 = applicant("440300", n=2)
    org3, filler3, admin3 = applicant("440100", n=3)
    apps = []
    for filler, name in ((filler1, "甲专业化众创空间"), (filler2, "乙专业化众创空间")):
        client.force_login(filler)
        apps.append(start(client, "guangdong-2020-rehearsal", "professional", name))
    client.force_login(filler3)
    start(client, "guangdong-2020-rehearsal", "professional", "丙专业化众创空间")
    with committed():
        opened([a.pk for a in apps], actor=staff(auth("gd"), "reviewer"))
    for person, space in ((admin1, "甲"), (filler1, "甲"), (admin2, "乙"), (filler2, "乙")):
        [notice] = notices_of(person)
        assert notice.kind == NoticeKind.PUBLICITY_OPENED
        assert space in notice.subject
        assert "广东省2026年众创空间备案公示" in notice.body
        assert "2026-06-08 17:00" in notice.body
        assert notice.link == "/publicity/7/"
        assert (notice.object_type, notice.object_id) == ("publicity.publicity", "7")
    assert notices_of(admin3) == [] and notices_of(filler3) == []
    assert len(mailoutbox) == 4


def test_the_staff_of_the_authority_hear_of_an_objection_and_nobody_else(db, committed, mailoutbox):
    reviewer = staff(auth("gd"), "reviewer")
    leader = staff(auth("gd"), "leader")
    city = staff(auth("gd-440100"), "reviewer")
    objector = UserFactory(username="objector", org_admin=True)
    with committed():
        AuditEvent.objects.create(
            actor=objector,
            event="publicity.objection_lodged",
            object_type="publicity.objection",
            object_id="3",
            data={"authority_id": auth("gd").pk, "publicity_id": 7},
        )
    for person in (reviewer, leader):
        [notice] = notices_of(person)
        assert notice.kind == NoticeKind.OBJECTION_LODGED
        assert "异议" in notice.subject
        assert notice.link == "/publicity/7/manage/"
    assert notices_of(city) == [] and notices_of(objector) == []
    assert sorted(m.to[0] for m in mailoutbox) == sorted([reviewer.email, leader.email])


def test_an_event_without_the_data_tells_nobody_and_breaks_nothing(db, committed, mailoutbox):
    staff(auth("gd"), "reviewer")
    with committed():
        AuditEvent.objects.create(event="publicity.objection_lodged", data={"publicity_id": 7})
        opened(["x", None])
    assert Notice.objects.count() == 0
    assert mailoutbox == []
