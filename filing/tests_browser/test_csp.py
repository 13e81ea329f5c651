"""The Content-Security-Policy refuses nothing the platform itself does: the main pages, opened
in Chromium with their scripts and htmx running, report no violation — neither on the console
("Content Security Policy") nor as a `securitypolicyviolation` event. A script injected on
purpose is reported, so the listening itself is checked."""

from __future__ import annotations

import pytest
from django.urls import reverse

from filing.orgs.tests.factories import PASSWORD
from filing.tests_browser.people import Album, Person
from filing.tests_security.world import build_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Collects the violation events of each page, from before its own scripts run.
LISTEN = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__cspViolations.push(`${e.violatedDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber}`);
});
"""


class Watched(Person):
    """A person whose browser reports every CSP violation of every page."""

    def __post_init__(self) -> None:
        super().__post_init__()
        self.console: list[str] = []
        self.context.add_init_script(LISTEN)
        self.page.on(
            "console",
            lambda m: (
                self.console.append(f"{self.page.url}: {m.text}")
                if "Content Security Policy" in m.text
                else None
            ),
        )

    def violations(self) -> list[str]:
        events = self.page.evaluate("window.__cspViolations || []")
        return [*self.console, *(f"{self.page.url}: {e}" for e in events)]


def test_the_main_pages_break_no_rule_of_the_policy(stage, chromium, screenshots):
    with stage.quiet():
        world = build_world(load_calls=False)
    album = Album(screenshots("csp"))
    found: list[str] = []

    def look(person: Watched, path: str, step: str) -> None:
        person.visit(path)
        person.page.wait_for_load_state("networkidle")
        person.shot(step)
        found.extend(person.violations())

    visitor = Watched("visitor", chromium, stage.url, album)
    look(visitor, reverse("front:home"), "home")
    look(visitor, reverse("login"), "login")
    look(visitor, reverse("publicity:index"), "publicity")
    look(visitor, reverse("publicity:notice", args=[world.params["publicity"]]), "publicity-notice")
    look(visitor, reverse("publicity:lodge", args=[world.params["publicity"]]), "objection-form")
    look(visitor, reverse("registry:list"), "filed-list")

    filler = Watched("filler", chromium, stage.url, album, world.users["filler"].username, PASSWORD)
    filler.log_in()
    draft = world.draft.pk
    look(filler, reverse("applications:overview", args=[draft]), "application")
    look(filler, reverse("applications:section", args=[draft, world.params["section"]]), "section")
    # The field picker and the computed values answer through htmx while one types.
    for field in filler.main.locator("input.field-picker-input, input[data-max-chars]").all()[:2]:
        field.fill("智能")
    filler.page.wait_for_load_state("networkidle")
    found.extend(filler.violations())
    look(filler, reverse("applications:roster", args=[draft, world.params["roster"]]), "roster")

    reviewer = Watched(
        "reviewer", chromium, stage.url, album, world.users["city_reviewer"].username, PASSWORD
    )
    reviewer.log_in()
    look(reviewer, reverse("reviews:workbench"), "workbench")
    look(reviewer, reverse("reviews:detail", args=[world.params["review"]]), "review")
    look(reviewer, reverse("reviews:level_list", args=[world.call, world.level_key]), "list")
    look(reviewer, reverse("reviews:package_build", args=[world.params["build"]]), "package")
    look(reviewer, reverse("publicity:manage", args=[world.params["publicity"]]), "publicity")
    for person in (visitor, filler, reviewer):
        assert not person.errors, person.errors
    assert not found, "\n".join(found)

    # The listening works: an inline script added by hand is refused and reported.
    visitor.page.evaluate(
        "() => { const s = document.createElement('script');"
        " s.textContent = 'window.ran = 1'; document.head.appendChild(s); }"
    )
    visitor.page.wait_for_timeout(300)
    assert visitor.page.evaluate("window.ran") is None
    assert any("script-src" in v for v in visitor.violations())
    for person in (visitor, filler, reviewer):
        person.close()
