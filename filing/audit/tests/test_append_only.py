"""The audit trail is append-only: no page, command, ORM call or SQL statement can rewrite it."""

import pytest
from django.db import DatabaseError, connection, transaction

from filing.audit.models import AppendOnlyError, AuditEvent
from filing.audit.services import record


@pytest.fixture
def event(db):
    return record("user.login_failed", data={"username": "someone"}, ip_address="10.1.2.3")


def test_a_recorded_event_keeps_who_what_when_and_where(event):
    stored = AuditEvent.objects.get(pk=event.pk)
    assert stored.event == "user.login_failed"
    assert stored.ip_address == "10.1.2.3"
    assert stored.at is not None
    assert "someone" in stored.sentence


def test_saving_an_existing_event_is_refused(event):
    event.event = "user.logged_in"
    with pytest.raises(AppendOnlyError):
        event.save()


def test_deleting_through_the_orm_is_refused(event):
    with pytest.raises(AppendOnlyError):
        event.delete()
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.all().delete()
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.update(event="x")


@pytest.mark.django_db(transaction=True)
def test_the_database_refuses_raw_updates_and_deletes(audit_strict):
    event = record("user.login_failed", data={"username": "raw"})
    for sql in (
        f"UPDATE audit_auditevent SET event = 'forged' WHERE id = {event.pk}",
        f"DELETE FROM audit_auditevent WHERE id = {event.pk}",
    ):
        with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql)
    assert AuditEvent.objects.get(pk=event.pk).event == "user.login_failed"


def test_an_unknown_event_code_is_a_programming_error(db):
    with pytest.raises(ValueError, match="unknown audit event"):
        record("application.teleported")


def test_the_admin_offers_no_way_to_add_change_or_delete(event, admin_client):
    assert admin_client.get("/admin/audit/auditevent/").status_code == 200
    assert admin_client.get("/admin/audit/auditevent/add/").status_code == 403
    response = admin_client.post(f"/admin/audit/auditevent/{event.pk}/delete/", {"post": "yes"})
    assert response.status_code == 403
    assert AuditEvent.objects.filter(pk=event.pk).exists()


def test_an_edit_in_the_admin_is_recorded_with_what_changed(cast, admin_client):
    org = cast.gz_org
    url = f"/admin/orgs/organisation/{org.pk}/change/"
    form = admin_client.get(url).context["adminform"].form
    data = {k: v for k, v in form.initial.items() if v is not None}
    data.update(
        name="广州改名后的运营机构有限公司",
        province=org.province_id,
        city=org.city_id,
        zone="",
    )
    response = admin_client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    event = AuditEvent.objects.get(event="admin.changed")
    assert event.actor.username == "admin"
    assert "广州改名后的运营机构有限公司" in event.sentence
