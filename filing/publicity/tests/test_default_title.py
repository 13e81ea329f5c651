"""The publicity form comes prefilled with a title naming the call, in the page's language."""

from django.urls import reverse

from filing.orgs.models import Authority
from filing.publicity.services import default_title
from filing.reviews.models import LevelList
from filing.reviews.tests.routing import staff

CODE = "liaoning-2021-rehearsal"


def test_the_prefilled_title_names_the_call(client, seed_calls):
    call = seed_calls[CODE]
    city = Authority.objects.get(code="ln-210100")
    lst = LevelList.objects.create(call=call, level_key="city", authority=city)
    assert default_title(lst) == f"关于{call.title}拟推荐名单的公示"

    client.force_login(staff(city, "reviewer"))
    page = client.get(reverse("publicity:open", args=[CODE, "city"])).content.decode()
    assert f'value="关于{call.title}拟推荐名单的公示"' in page
    assert "bound method" not in page
