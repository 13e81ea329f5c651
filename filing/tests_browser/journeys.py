"""The steps people take along a route, each as they do it in the browser.

Applicants: an organisation registers, its admin invites a filler by e-mail, the filler fills
and sends the application to the admin, who submits it. Staff: a reviewer takes it up,
returns it for revision or records the review and decides; a leader signs off the level's list,
downloads what goes up with it and forwards it. The public: an objection to a publicity
notice, and the filed list.
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass
from datetime import date, timedelta

import openpyxl
from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect
from pypdf import PdfReader

from filing.tests_browser.people import Person

PASSWORD = "Browser-pass-2026"
LEGAL_REPRESENTATIVE = "张明"


@dataclass(frozen=True)
class Applicant:
    """What an organisation types into the registration page."""

    name: str
    credit_code: str
    province: str
    city: str
    zone: str | None
    key: str  # for account names and e-mail addresses


# ----- applicants ----------------------------------------------------------------------------


def register(visitor: Person, who: Applicant) -> None:
    """A visitor registers the organisation and becomes its admin (一级用户)."""
    visitor.visit("/")
    visitor.follow(visitor.page.locator("header").get_by_role("link", name="机构注册"))
    form = visitor.main.locator("form")
    form.locator("#id_name").fill(who.name)
    form.locator("#id_credit_code").fill(who.credit_code)
    form.locator("#id_nature").select_option(label="民营企业")
    form.locator("#id_province").select_option(label=who.province)
    form.locator("#id_city").select_option(label=f"{who.province} {who.city}")
    if who.zone:
        form.locator("#id_zone").select_option(label=who.zone)
    form.locator("#id_address").fill(f"{who.province}{who.city}创新大道88号")
    form.locator("#id_legal_representative").fill(LEGAL_REPRESENTATIVE)
    form.locator("#id_phone").fill("020-83163286")
    form.locator("#id_host_entity_name").fill("")
    form.locator("#id_host_entity_kind").select_option(label="无")
    form.locator("#id_full_name").fill("李华")
    form.locator("#id_username").fill(f"{who.key}-admin")
    form.locator("#id_email").fill(f"{who.key}-admin@example.cn")
    form.locator("#id_mobile").fill("13912345678")
    form.locator("#id_password1").fill(PASSWORD)
    form.locator("#id_password2").fill(PASSWORD)
    visitor.shot("registration-form")
    visitor.follow(visitor.button("注册"))
    visitor.told("机构已注册")
    visitor.username, visitor.password = f"{who.key}-admin", PASSWORD
    visitor.shot("registered")


def invite(admin: Person, filler: Person, who: Applicant) -> None:
    """The admin invites a filler; the filler follows the e-mailed link and sets up an account."""
    email = f"{who.key}-filler@example.cn"
    admin.nav("人员")
    admin.main.locator("#id_email").fill(email)
    admin.follow(admin.button("发送邀请"))
    admin.told(f"邀请已发送至 {email}")
    admin.shot("invited-filler")
    letter = next(m for m in reversed(mail.outbox) if email in m.to)
    path = re.search(r"/accounts/invitations/[^/\s]+/", letter.body).group(0)
    filler.visit(path)
    filler.sees(f"加入 {who.name}")
    filler.main.locator("#id_full_name").fill("王芳")
    filler.main.locator("#id_username").fill(f"{who.key}-filler")
    filler.main.locator("#id_password1").fill(PASSWORD)
    filler.main.locator("#id_password2").fill(PASSWORD)
    filler.follow(filler.button("创建账号"))
    filler.told(f"欢迎加入 {who.name}")
    filler.username, filler.password = f"{who.key}-filler", PASSWORD
    filler.shot("joined")


def start(filler: Person, call_code: str, space_name: str, track_label: str | None) -> int:
    """我的申报 → 发起申报 for the call; the new application's number."""
    filler.nav("我的申报")
    filler.follow(filler.main.locator(f"a[href$='/applications/start/{call_code}/']"))
    filler.main.locator("#id_space_name").fill(space_name)
    if track_label:
        filler.main.locator("#id_track").select_option(label=track_label)
    filler.follow(filler.button("开始填报"))
    filler.shot("started")
    return int(re.search(r"/applications/(\d+)/", filler.page.url).group(1))


def send_to_admin(filler: Person) -> None:
    filler.follow(filler.page.locator("nav.side-index").get_by_role("link", name="概况与提交"))
    filler.follow(filler.button("提交机构管理员审核"))
    filler.told("已提交机构管理员审核。")
    filler.shot("sent-to-admin")


def admin_submits(admin: Person, space_name: str) -> None:
    """The admin finds the application waiting on 我的申报 and submits it to the first level."""
    admin.log_in()
    admin.nav("我的申报")
    expect(admin.main.locator("tr", has_text=space_name)).to_contain_text("待您审核提交")
    admin.follow(admin.link(space_name))
    admin.follow(admin.link("提交至审核单位"))
    admin.sees("将提交至")
    admin.follow(admin.button("确认提交"))
    admin.told("已提交至")
    admin.shot("submitted")


# ----- staff ---------------------------------------------------------------------------------


def open_review(staff: Person, space_name: str) -> None:
    """From the workbench, search for the space and open its review."""
    staff.log_in()
    staff.nav("审核工作台")
    staff.main.locator("input[name=q]").fill(space_name)
    staff.follow(staff.button("筛选"))
    staff.follow(staff.link(space_name))


def take_up(reviewer: Person, space_name: str) -> None:
    open_review(reviewer, space_name)
    reviewer.follow(reviewer.button("受理"))
    reviewer.told("已受理。")
    reviewer.shot("taken-up", whole=False)


def return_for_revision(reviewer: Person, reasons: str) -> None:
    reviewer.main.locator("details summary", has_text="退回修改").click()
    form = reviewer.main.locator("form[action$='/return/']")
    form.locator("#reasons").fill(reasons)
    form.locator("#resubmit_by").fill((timezone.localdate() + timedelta(days=5)).isoformat())
    reviewer.shot("return-form", whole=False)
    reviewer.follow(form.get_by_role("button", name="退回修改"))
    reviewer.told("已退回申报单位修改。")
    reviewer.shot("returned", whole=False)


def record_review(reviewer: Person) -> None:
    """The formal-review checklist ticked, the site check and the level's opinion saved."""
    main = reviewer.main
    boxes = main.locator("input[name=checklist]")
    for i in range(boxes.count()):
        boxes.nth(i).check()
    main.locator("#site_check").select_option("checked")
    main.locator("#site_check_date").fill(timezone.localdate().isoformat())
    main.locator("#site_check_inspectors").fill("张三、李四")
    main.locator("#site_check_findings").fill("场地、设施与申报材料一致，运营正常。")
    main.locator("#opinion").fill("材料齐全，符合条件，同意推荐。")
    reviewer.follow(reviewer.button("保存审核记录"))
    reviewer.told("审核记录已保存。")
    expect(main.locator("#site_check")).to_have_value("checked")
    main.locator("#site_check").scroll_into_view_if_needed()
    reviewer.shot("site-check-recorded", whole=False)


def recommend(reviewer: Person) -> None:
    reviewer.follow(reviewer.main.locator("button[value=recommend]"))
    reviewer.told("已拟推荐。")
    reviewer.shot("recommended", whole=False)


def file_space(reviewer: Person) -> None:
    reviewer.follow(reviewer.main.locator("button[value=file]"))
    reviewer.told("已准予备案，已列入备案名单。")
    reviewer.shot("filed", whole=False)


def open_list(staff: Person, space_name: str) -> None:
    """The level's list, reached from the application's review."""
    open_review(staff, space_name)
    staff.follow(staff.link("本级推荐名单"))


def download_materials(leader: Person, space_name: str) -> None:
    """The recommendation letter (PDF), the summary table (Excel) where the call has one at
    this level, and the ZIP of all materials: each downloads and opens."""
    main = leader.main
    name, letter = leader.download(main.locator("a[href$='/letter.pdf']"))
    assert name.endswith(".pdf") and len(PdfReader(io.BytesIO(letter)).pages) >= 1
    summary = main.locator("a[href$='/summary.xlsx']")
    if summary.count():
        name, table = leader.download(summary)
        sheet = openpyxl.load_workbook(io.BytesIO(table)).worksheets[0]
        cells = [str(c.value) for row in sheet.iter_rows() for c in row if c.value]
        assert any(space_name in c for c in cells), cells[:40]
    leader.follow(leader.button("生成全部申报材料（ZIP）"))
    expect(main.locator("#package-progress")).to_contain_text("已完成")
    leader.shot("materials-packed")
    name, package = leader.download(leader.link("下载 ZIP"))
    with zipfile.ZipFile(io.BytesIO(package)) as archive:
        names = archive.namelist()
        assert archive.testzip() is None
    assert any(space_name in n and n.endswith(".pdf") for n in names), names
    leader.follow(leader.link("返回推荐名单"))


def sign_off(leader: Person) -> None:
    leader.follow(leader.button("负责人签发名单"))
    leader.told("推荐名单已签发。")
    leader.shot("signed-off")


def forward(leader: Person) -> None:
    leader.follow(leader.button("报送上一级"))
    leader.told("推荐名单已报送上一级。")
    leader.shot("forwarded")


# ----- publicity and objections --------------------------------------------------------------


def publicise(reviewer: Person, call_title: str) -> date:
    """From the level's list: publish the list until the end of today; the closing day."""
    reviewer.follow(reviewer.link("发布公示"))
    main = reviewer.main
    expect(main.locator("#id_title")).to_have_value(f"关于{call_title}拟推荐名单的公示")
    closes_on = timezone.localdate()
    main.locator("#id_closes_on").fill(closes_on.isoformat())
    main.locator("#id_contact").fill("科技局成果转化处 024-23983139")
    reviewer.shot("publicity-form")
    reviewer.follow(reviewer.button("发布公示"))
    reviewer.told("公示已发布。")
    reviewer.shot("publicised")
    return closes_on


def object_to(visitor: Person, space_name: str, files: list) -> str:
    """An anonymous visitor finds the notice under 公示 and objects; the reference code."""
    visitor.visit("/")
    visitor.nav("公示")
    visitor.follow(visitor.main.locator("ul.publicity-list").first.locator("a").first)
    visitor.sees(space_name)
    visitor.shot("publicity-notice")
    visitor.follow(visitor.link("提出异议"))
    main = visitor.main
    entry = main.locator("#id_entry option", has_text=space_name).get_attribute("value")
    main.locator("#id_entry").select_option(entry)
    main.locator("#id_name").fill("赵六")
    main.locator("#id_phone").fill("13900001111")
    main.locator("#id_content").fill("该空间公示的入驻企业中有一家并未实际入驻，请核查。")
    main.locator("#files").set_input_files([str(f) for f in files])
    visitor.shot("objection-form")
    visitor.follow(visitor.button("提交异议"))
    visitor.told("异议已收到")
    visitor.sees("待处理")
    visitor.shot("objection-lodged")
    return main.locator("code").first.inner_text()


def dismiss_objection(reviewer: Person, space_name: str) -> None:
    open_list(reviewer, space_name)
    reviewer.follow(reviewer.link("处理异议"))
    objection = reviewer.main.locator("article.objection").first
    expect(objection).to_contain_text("13900001111")  # staff see the contact details
    objection.locator("textarea[name=response]").fill("经现场核查，该企业已实际入驻，异议不成立。")
    reviewer.follow(objection.get_by_role("button", name="异议不成立"))
    reviewer.told("已认定异议不成立。")
    reviewer.shot("objection-dismissed")


def objection_answered(visitor: Person, reference: str) -> None:
    """The objector looks up the reference on the notice and reads the response."""
    visitor.nav("公示")
    visitor.follow(visitor.main.locator("ul.publicity-list").first.locator("a").first)
    visitor.main.locator("input[name=reference]").fill(reference)
    visitor.follow(visitor.button("查询"))
    visitor.sees("异议不成立")
    visitor.sees("该企业已实际入驻")
    expect(visitor.main).not_to_contain_text("13900001111")
    visitor.shot("objection-answered")


def forward_refused_during_publicity(leader: Person) -> None:
    leader.follow(leader.button("报送上一级"))
    leader.told("期满后才能报送")
    leader.shot("forward-waits-for-publicity")


# ----- the public filed list -----------------------------------------------------------------


def find_in_registry(visitor: Person, space_name: str) -> None:
    visitor.visit("/")
    visitor.nav("备案名单")
    visitor.main.locator("form[role=search] input[name=q]").fill(space_name)
    visitor.follow(visitor.button("查找"))
    row = visitor.main.locator("table.registry-table tbody tr", has_text=space_name)
    expect(row).to_have_count(1)
    visitor.shot("filed-list")
    visitor.follow(row.get_by_role("link", name=space_name))
    expect(visitor.main.locator("h1")).to_contain_text(space_name)
    visitor.shot("filed-space")
