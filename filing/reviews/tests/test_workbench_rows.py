"""The workbench's rows written out in Python (reviews/rows.py) are the markup the template loop
wrote: compared here with that loop, kept as the reference, for rows of every kind — a declared
conflict, integrity signals, failed and undecided checks, a rank, names that need escaping — in
both languages; and the page shows them."""

import pytest
from django.http import QueryDict
from django.template import Context, Template
from django.urls import reverse
from django.utils import translation

from filing.applications.models import Application
from filing.integrity.constants import SignalKind
from filing.integrity.models import Signal
from filing.orgs.tests.factories import OrganisationFactory
from filing.reviews import workbench
from filing.reviews.models import ConflictDeclaration, Review
from filing.reviews.rows import rows_html
from filing.reviews.tests.routing import staff
from filing.reviews.tests.test_review_guards import auth
from filing.reviews.tests.test_workbench_scale import fill

REFERENCE = Template(
    """{% load i18n %}{% for r in page %}<tr{% if r.conflicted %} class="conflicted"{% endif %}>
  <td>{% if r.conflicted %}{{ r.application.space_name }} <span class="badge badge-conflicted">{% translate "已回避" %}</span>{% else %}<a href="{% url 'reviews:detail' r.pk %}">{{ r.application.space_name }}</a>{% if r.signal_count %} <span class="badge badge-integrity" title="{% translate '诚信提示' %}">{% blocktranslate with n=r.signal_count %}诚信提示 {{ n }}{% endblocktranslate %}</span>{% endif %} <small><a class="muted" href="{% url 'reviews:declare_conflict' r.pk %}">{% translate "声明回避" %}</a></small>{% endif %}</td>
  <td>{{ r.application.organisation.name }}<br><small class="muted">{{ r.application.organisation.credit_code }}</small></td>
  <td>{{ r.application.organisation.city.name }}</td>
  <td><small>{{ r.application.call.display_title|truncatechars:30 }}</small></td>
  <td><small>{{ r.authority.display_name }}</small></td>
  <td><span class="status status-{{ r.status }}">{{ r.get_status_display }}</span></td>
  <td>{{ r.rank|default:"" }}</td>
  <td>{% if r.application.rule_failures %}<span class="error">✗ {{ r.application.rule_failures }}</span>{% endif %}{% if r.application.rule_undecided %} <span class="warning">? {{ r.application.rule_undecided }}</span>{% endif %}{% if not r.application.rule_failures and not r.application.rule_undecided %}<span class="ok">✓</span>{% endif %}</td>
  <td><small>{{ r.received_at|date:"Y-m-d H:i" }}</small></td>
</tr>{% empty %}<tr><td colspan="9" class="muted">{% translate "没有符合条件的申报。" %}</td></tr>{% endfor %}"""  # noqa: E501
)


@pytest.fixture
def reviewer(seed_calls):
    organisations = [OrganisationFactory(city_code="440100") for _ in range(2)]
    organisations.append(OrganisationFactory(city_code="440300", name='<b>"甲&乙"</b> 公司'))
    fill(seed_calls, count=12, organisations=organisations)
    person = staff(auth("gd-440100"), "reviewer")
    apps = list(Application.objects.order_by("pk"))
    Application.objects.filter(pk=apps[1].pk).update(
        rule_failures=2, rule_undecided=1, space_name="<script>alert('x')</script>空间"
    )
    Application.objects.filter(pk=apps[2].pk).update(rule_failures=0, rule_undecided=3)
    Review.objects.filter(application=apps[3]).update(rank=2, status="recommended")
    ConflictDeclaration.objects.create(
        application=apps[4], user=person, authority=person.authority, reason="亲属任职"
    )
    for kind, key in ((SignalKind.SHARED_COMPANY, "a"), (SignalKind.SHARED_FILE, "b")):
        Signal.objects.create(
            application=apps[5],
            call=apps[5].call,
            kind=kind,
            key=key,
            found_at=apps[5].submitted_at,
        )
    return person


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_the_rows_are_the_markup_the_template_wrote(reviewer, language):
    with translation.override(language):
        page = workbench.filtered(reviewer, QueryDict())[0:50]
        assert len(page) == 12
        assert str(rows_html(page)) == REFERENCE.render(Context({"page": page}))
        assert str(rows_html([])) == REFERENCE.render(Context({"page": []}))


def test_the_page_shows_the_rows_escaped(client, reviewer):
    client.force_login(reviewer)
    page = client.get(reverse("reviews:workbench")).content.decode()
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;空间" in page
    assert "<script>alert" not in page
    assert "&lt;b&gt;&quot;甲&amp;乙&quot;&lt;/b&gt; 公司" in page
    assert '<span class="badge badge-integrity" title="诚信提示">诚信提示 2</span>' in page
    assert page.count('class="conflicted"') == 1
    assert '<span class="error">✗ 2</span> <span class="warning">? 1</span>' in page
