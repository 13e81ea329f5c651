"""People at their browsers: each has a browser context of their own (cookies, downloads),
logs in through the login page, clicks, types, uploads and downloads, and leaves a
screenshot of what they see after each step."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from playwright.sync_api import Browser, Locator, Page, expect

TIMEOUT_MS = 20_000


@dataclass
class Album:
    """The numbered screenshots of one route: NN-step.png in one folder."""

    folder: Path
    count: int = 0

    def take(self, page: Page, step: str, *, whole: bool = True) -> Path:
        """`whole`: the whole page, else what the window shows (a review's page, with the
        application printed in full below the decisions, is long and slow to capture)."""
        self.count += 1
        name = re.sub(r"[^a-z0-9-]+", "-", step.lower()).strip("-")
        path = self.folder / f"{self.count:02d}-{name}.png"
        page.screenshot(path=str(path), full_page=whole)
        return path


@dataclass
class Person:
    """One person with a browser of their own; `username` and `password` once they have an
    account (a visitor has none)."""

    role: str
    browser: Browser
    base_url: str
    album: Album
    username: str = ""
    password: str = ""
    page: Page = field(init=False)
    errors: list[str] = field(default_factory=list)  # JavaScript errors on any page

    def __post_init__(self) -> None:
        self.context = self.browser.new_context(
            base_url=self.base_url,
            viewport={"width": 1280, "height": 900},
            locale="zh-CN",
            timezone_id="Asia/Shanghai",
            accept_downloads=True,
        )
        self.context.set_default_timeout(TIMEOUT_MS)
        # Nothing on the site asks for a favicon; keep Chromium from asking either.
        self.context.route("**/favicon.ico", lambda route: route.abort())
        self.page = self.context.new_page()
        self.page.on("pageerror", lambda error: self.errors.append(f"{self.page.url}: {error}"))

    # ----- moving around ---------------------------------------------------------------------

    @property
    def main(self) -> Locator:
        """The page's content: the header has buttons too (the language switch, 退出)."""
        return self.page.locator("main")

    def visit(self, path: str) -> None:
        """Open a page by its address; log in again first if the session has ended."""
        response = self.page.goto(path)
        if "/accounts/login/" in self.page.url and "/accounts/login/" not in path:
            self._log_in_here()
        else:
            assert response is not None and response.ok, (path, response and response.status)

    def follow(self, target: Locator | str) -> None:
        """Click something that leads to another page, and wait until that page has loaded."""
        locator = self.main.locator(target) if isinstance(target, str) else target
        with self.page.expect_navigation() as navigation:
            locator.click()
        response = navigation.value
        assert response is not None and response.status < 400, (
            self.page.url,
            response and response.status,
            self.page.locator("main").inner_text()[:1000],
        )

    def link(self, name: str) -> Locator:
        return self.main.get_by_role("link", name=name, exact=True)

    def button(self, name: str) -> Locator:
        return self.main.get_by_role("button", name=name, exact=True)

    def nav(self, name: str) -> None:
        """Follow a link of the site header's navigation."""
        self.follow(self.page.locator("header").get_by_role("link", name=name, exact=True))

    def sees(self, text: str) -> None:
        expect(self.main).to_contain_text(text)

    def told(self, text: str) -> None:
        """The page's message (success, error or warning) says this."""
        expect(self.main.locator("ul.messages")).to_contain_text(text)

    def shot(self, step: str, *, whole: bool = True) -> None:
        self.album.take(self.page, f"{self.role}-{step}", whole=whole)

    # ----- logging in ------------------------------------------------------------------------

    def log_in(self) -> None:
        """Log in, unless still logged in (the login page then leads to the dashboard)."""
        self.visit("/accounts/login/")
        if "/accounts/login/" in self.page.url:
            self._log_in_here()

    def _log_in_here(self) -> None:
        self.page.locator("#id_username").fill(self.username)
        self.page.locator("#id_password").fill(self.password)
        self.follow(self.button("登录"))
        assert "/accounts/login/" not in self.page.url, self.main.inner_text()[:500]

    # ----- files -----------------------------------------------------------------------------

    def download(self, target: Locator | str) -> tuple[str, bytes]:
        """Click a download link or button; the file's suggested name and its bytes."""
        locator = self.main.locator(target) if isinstance(target, str) else target
        with self.page.expect_download() as info:
            locator.click()
        download = info.value
        assert download.failure() is None, download.failure()
        return download.suggested_filename, Path(download.path()).read_bytes()

    def upload(self, file_input: Locator, files: list[Path], submit: Locator) -> None:
        file_input.set_input_files([str(f) for f in files])
        self.follow(submit)

    def close(self) -> None:
        self.context.close()
