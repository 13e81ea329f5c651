"""Who sees which organisations: staff see their own area only, applicants their own body.

Outside the jurisdiction an organisation's page answers 404, as if it did not exist; a page for
another role answers 403.
"""

import pytest
from django.urls import reverse

from filing.orgs.models import Organisation
from filing.orgs.tests.factories import OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db


def visible(user):
    return set(Organisation.objects.visible_to(user).values_list("name", flat=True))


def test_a_city_reviewer_sees_only_organisations_of_the_city(cast):
    assert visible(cast.city_reviewer) == {cast.gz_org.name}
    assert visible(cast.other_city_reviewer) == {cast.sz_org.name}


def test_a_province_reviewer_sees_every_city_of_the_province_and_no_other(cast):
    assert visible(cast.province_reviewer) == {cast.gz_org.name, cast.sz_org.name}
    assert visible(cast.other_province_reviewer) == {cast.nj_org.name}


def test_a_receiving_unit_sees_what_its_province_sees(cast):
    assert visible(cast.receiving_unit_reviewer) == {cast.nj_org.name}


def test_the_ministry_sees_every_province(cast):
    assert visible(cast.ministry_reviewer) == {cast.gz_org.name, cast.sz_org.name, cast.nj_org.name}


def test_a_zone_committee_sees_only_spaces_that_declared_its_zone(db):
    in_zone = OrganisationFactory(name="园区内机构", city_code="430100", zone=None)
    in_zone.zone = in_zone.city.authorities.model.objects.get(code="hn-zone-changsha")
    in_zone.save()
    outside = OrganisationFactory(name="园区外机构", city_code="430100")
    zone_reviewer = UserFactory(reviewer=True, authority_code="hn-zone-changsha")
    city_reviewer = UserFactory(reviewer=True, authority_code="hn-430100")
    assert visible(zone_reviewer) == {in_zone.name}
    assert visible(city_reviewer) == {in_zone.name, outside.name}


def test_applicants_see_their_own_organisation_only(cast):
    assert visible(cast.filler) == {cast.gz_org.name}
    assert visible(cast.other_org_admin) == {cast.sz_org.name}


def test_the_directory_lists_only_the_reviewers_area(cast, client):
    client.force_login(cast.city_reviewer)
    page = client.get(reverse("orgs:organisation_list")).content.decode()
    assert cast.gz_org.name in page
    assert cast.sz_org.name not in page


def test_another_citys_organisation_page_is_not_found(cast, client):
    client.force_login(cast.other_city_reviewer)
    assert client.get(reverse("orgs:organisation_detail", args=[cast.gz_org.pk])).status_code == 404
    client.force_login(cast.city_reviewer)
    assert client.get(reverse("orgs:organisation_detail", args=[cast.gz_org.pk])).status_code == 200


@pytest.mark.parametrize(
    ("url_name", "role", "expected"),
    [
        ("orgs:organisation_list", "filler", 403),
        ("orgs:organisation_list", "org_admin", 403),
        ("orgs:organisation_list", "city_reviewer", 200),
        ("orgs:organisation_list", "leader", 200),
        ("orgs:members", "filler", 403),
        ("orgs:members", "org_admin", 200),
        ("orgs:members", "city_reviewer", 403),
        ("orgs:my_organisation", "filler", 200),
        ("orgs:my_organisation", "org_admin", 200),
        ("orgs:my_organisation", "city_reviewer", 403),
        ("front:dashboard", "filler", 200),
        ("front:dashboard", "city_reviewer", 200),
    ],
)
def test_each_page_answers_each_role_as_the_matrix_says(cast, client, url_name, role, expected):
    client.force_login(getattr(cast, role))
    assert client.get(reverse(url_name)).status_code == expected


@pytest.mark.parametrize(
    "url_name",
    ["orgs:organisation_list", "orgs:members", "orgs:my_organisation", "front:dashboard"],
)
def test_anonymous_visitors_are_sent_to_log_in(client, db, url_name):
    response = client.get(reverse(url_name))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_a_filler_cannot_change_the_organisation(cast, client):
    client.force_login(cast.filler)
    response = client.post(reverse("orgs:my_organisation"), {"name": "改名"}, follow=True)
    cast.gz_org.refresh_from_db()
    assert cast.gz_org.name != "改名"
    assert "只有本机构管理员" in response.content.decode()


def test_an_org_admin_cannot_deactivate_another_organisations_member(cast, client):
    client.force_login(cast.other_org_admin)
    response = client.post(reverse("orgs:deactivate_member", args=[cast.filler.pk]))
    assert response.status_code == 404
    cast.filler.refresh_from_db()
    assert cast.filler.is_active
