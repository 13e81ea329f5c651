"""A Guangdong 申报书 as printed, with a 200-row team roster: the documents' test material."""

from __future__ import annotations

from filing.applications.printable import (
    Printable,
    PrintAttachment,
    PrintChoice,
    PrintCommitment,
    PrintField,
    PrintRoster,
    PrintSection,
)

_PREFIXES = [
    "微光", "星河", "智芯", "鲲鹏", "海纳", "云帆", "启明", "拓维", "青禾", "锐思",
    "知行", "量子", "极客", "恒信", "北斗", "远航", "聚能", "睿图", "深瞳", "新材",
]  # fmt: skip
_SUBJECTS = [
    "视觉算法", "柔性电子", "储能材料", "工业软件", "医疗影像",
    "无人机", "传感器", "芯片设计", "机器人", "精密制造",
]  # fmt: skip
_FIELDS = [
    "电子信息/软件/基础软件",
    "电子信息/微电子技术/集成电路设计技术",
    "先进制造与自动化/工业生产过程控制系统",
    "新材料/精细和专用化学品",
    "生物与新医药/医疗仪器、设备与医学专用软件",
]
_SURNAMES = "陈林黄张李王吴刘蔡杨郑谢郭罗梁宋许邓冯韩"
_GIVEN = ["志强", "海燕", "伟", "晓明", "丽华", "建国", "文静", "子涵", "国栋", "雪梅"]

PLATFORM_SUMMARY = (
    "本众创空间依托华南智能制造研究院建设，聚焦智能传感与工业视觉细分领域，建有"
    "面积一千二百平方米的专业技术服务平台，配置高精度三坐标测量仪、光学检测实验室、"
    "电磁兼容预测试室及小批量贴片试产线，向入驻团队开放研发设计、检验检测、模型加工"
    "和中试生产服务，年服务创业团队六十余个。平台同时运营线上资源对接系统，汇集高校"
    "科研院所设备、专家和供应链资源，提供技术咨询、知识产权与投融资对接等定制化服务。"
)

NARRATIVES = {
    "建设主体基本情况": (
        "华南智能制造研究院成立于二〇一二年，是由广州市人民政府与国内重点高校共建的新型研发机构，"
        "现有科研人员三百二十人，其中博士九十六人，建有省级工程技术研究中心三个、省级重点实验室一个。"
        "研究院长期从事智能传感、机器视觉和工业自动化技术研究，累计承担国家和省级科技项目八十余项，"
        "获授权发明专利二百一十件，孵化科技型企业四十二家。\n"
        "研究院设立成果转化部和众创空间运营中心，由专职团队负责入驻评估、导师对接、投融资服务和"
        "毕业退出管理，形成了“研发—中试—孵化—产业化”的完整链条。"
    ),
    "专业化众创空间现状": (
        "众创空间位于广州市黄埔区科学城，总面积三千二百平方米，其中开放式办公区一千五百平方米、"
        "专业技术服务平台一千二百平方米、公共服务区五百平方米。现入驻创业团队二百个、入驻企业十二家，"
        "其中从事智能传感与工业视觉研发、生产的团队和企业占比超过八成。\n"
        "众创空间建立了入驻评估、季度考核和毕业退出制度，配备专职运营人员十四名，聘请创业导师三十六名，"
        "与五家创业投资机构签订合作协议并共同设立规模一亿元的天使投资基金。"
    ),
    "总体成效": (
        "近三年，众创空间累计服务创业团队三百六十个，孵化注册企业八十七家，其中二十三家获得天使轮及以上融资，"
        "融资总额四点六亿元；入驻团队和企业累计申请专利四百一十件，获得授权二百零五件。\n"
        "众创空间年均举办专业技术领域活动四十余场，包括技术沙龙、项目路演、供需对接会和创业训练营，"
        "服务创客和创业者五千余人次，带动就业一千二百余人。"
    ),
    "发展目标和重点任务": (
        "未来三年，众创空间将围绕智能传感与工业视觉产业链，重点建设芯片封装测试和光学模组中试两个公共平台，"
        "新增专业设备投入三千万元；每年引进和培育创业团队八十个以上，孵化科技型中小企业三十家以上。\n"
        "同时深化与依托主体的良性互动机制，推动研究院科研成果向入驻团队转移转化，完善创业导师服务体系，"
        "扩大天使投资基金规模，构建“众创空间—孵化器—加速器”全程孵化链条。"
    ),
}

ATTACHMENT_LABELS = [
    ("1.(1)", "运营机构法人营业执照、组织机构代码证复印件。", True),
    ("1.(2)", "广东科技企业孵化育成服务平台登记成功后生成的备案号复印件。", True),
    ("1.(3)", "与依托主体的关联性证明材料。", True),
    (
        "1.(4)",
        "众创空间服务场地的产权证明（或租赁合同）和布局平面图等场地证明材料复印件以及实景图。",
        True,
    ),
    ("1.(5)", "众创空间章程、办法、管理制度等相关文件复印件。", True),
    (
        "1.(6)",
        "专业技术服务场地或平台设备（包括专业化的研发设计、检验检测、模型加工、中试生产等研发、"
        "生产设备设施和厂房）清单及证明材料。",
        True,
    ),
    (
        "1.(7)",
        "提供符合行业特征专业领域的技术、信息、资本、供应链、市场对接等个性化、定制化服务的相关证明材料。",
        True,
    ),
    ("1.(8)", "开放式的互联网线上平台建设相关证明材料。", True),
    ("1.(9)", "与高校及科研院所等载体开展产学研合作的相关证明材料。", False),
    (
        "1.(10)",
        "拥有创业投资基金或创新基金，或与天使投资、创投机构等合作设立股权投资基金的相关证明材料复印件"
        "（如：存款证明、设立基金的文件、基金管理文件、已投资案例证明、与创投机构签订的合作协议等）。",
        True,
    ),
    (
        "1.(11)",
        "创业导师的名单，工作机制和服务体系相关文件及开展技术创新辅导、创业辅导、创业培训相关证明材料。",
        True,
    ),
]


def team_name(n: int) -> str:
    """The n-th team's name (0-based); 200 distinct names."""
    return f"{_PREFIXES[n % 20]}{_SUBJECTS[n // 20 % 10]}团队"


def _person(n: int) -> str:
    return _SURNAMES[n % len(_SURNAMES)] + _GIVEN[n * 7 % len(_GIVEN)]


def _teams(count: int) -> list[list[str]]:
    yes_no = ("是", "否")
    return [
        [
            team_name(n),
            _FIELDS[n % len(_FIELDS)],
            _person(n),
            f"1390200{n:04d}",
            f"2019-{n % 12 + 1:02d}-{n % 27 + 1:02d}",
            yes_no[n % 3 != 0],
            yes_no[n % 4 != 0],
            yes_no[n % 5 != 0],
        ]
        for n in range(count)
    ]


def _basic_fields() -> list[PrintField]:
    def text(key: str, label: str, value: str, **kw) -> PrintField:
        return PrintField(key=key, label=label, value=value, **kw)

    return [
        text("space_name", "众创空间名称", "华南智能传感专业化众创空间"),
        text("operator_name", "运营机构名称", "广州华智众创科技服务有限公司"),
        text("established_on", "注册时间", "2016-05-18", type="date"),
        text("host_entity_name", "依托主体名称", "华南智能制造研究院"),
        text("address", "众创空间地址", "广州市黄埔区科学城开源大道11号科技企业加速器C3栋"),
        text(
            "professional_field",
            "专业领域",
            "电子信息/微电子技术/集成电路设计技术",
            type="high_tech_field",
        ),
        text(
            "operator_nature",
            "机构性质（事业、国有企业、民营企业等）",
            "民营企业",
            type="choice",
            choices=[
                PrintChoice("事业单位", False),
                PrintChoice("国有企业", False),
                PrintChoice("民营企业", True),
                PrintChoice("其他", False),
            ],
        ),
        text(
            "level",
            "级别（选最高级别填写）",
            "省级",
            type="choice",
            choices=[
                PrintChoice("国家级", False),
                PrintChoice("省级", True),
                PrintChoice("其他", False),
            ],
        ),
        text("recognised_on", "认定时间", "2018-12-20", type="date"),
        text(
            "in_high_tech_zone",
            "是否在国家高新区（请注明所在高新区名称）",
            "是：广州高新技术产业开发区",
            type="yes_with_name",
            choices=[PrintChoice("是（广州高新技术产业开发区）", True), PrintChoice("否", False)],
        ),
        text("legal_representative", "法人代表", "梁志远"),
        text("contact_name", "联系人", "陈晓敏"),
        text("contact_email", "电子邮箱", "chenxm@hzzc-space.cn", type="email"),
        text("contact_mobile", "移动电话", "13802456789", type="mobile"),
        text("total_area", "众创空间总面积(m²)", "3,200", type="decimal", unit="m²"),
        text(
            "resident_area",
            "入驻创业团队和企业使用场地面积(含公共服务场地面积)(m²)",
            "2,650.5",
            type="decimal",
            unit="m²",
        ),
        text(
            "activity_count",
            "年度举办专业技术领域活动(场)",
            "42",
            type="integer",
            unit="场",
        ),
        text("team_count", "入驻创业团队数量(个)", "200", type="integer", unit="个"),
        text(
            "team_count_in_field",
            "其中细分产业领域从事研发、生产的入驻创业团队数量(个)",
            "168",
            type="integer",
            unit="个",
        ),
        text(
            "team_share_in_field",
            "细分产业领域入驻创业团队占总数的比例(%)",
            "84",
            type="computed",
            unit="%",
        ),
        text("company_count", "入驻企业数量(个)", "3", type="integer", unit="个"),
        text("mentor_count", "创业导师数量(个)", "36", type="integer", unit="个"),
        text(
            "platform_summary",
            "众创空间专业技术平台简介（200字以内）",
            PLATFORM_SUMMARY,
            type="textarea",
            long=True,
        ),
    ]


def _roster(
    *, key: str, title: str, columns: list[str], rows: list[list[str]], notes=()
) -> PrintRoster:
    # As filing.applications.printing builds it: 序号 first, rows numbered from 1.
    numbered = [[str(n), *row] for n, row in enumerate(rows, start=1)]
    return PrintRoster(key, title, ["序号", *columns], numbered, list(notes))


def sample_printable(*, draft: bool = True, team_rows: int = 200) -> Printable:
    """The Guangdong 申报书 of a sensing and vision maker space in Guangzhou."""
    outline = [
        PrintField(key=f"outline_{n}", label=label, value=value, type="textarea", long=True)
        for n, (label, value) in enumerate(NARRATIVES.items(), start=1)
    ]
    companies = [
        [
            "广州视微智能科技有限公司",
            "91440101MA5CXXK21Q",
            "电子信息/软件/基础软件",
            "林海峰",
            "13922001234",
            "2018-09-01",
            "是",
            "是",
            "否",
        ],
        [
            "广州芯感微电子有限公司",
            "91440116MA5D0L8F3A",
            "电子信息/微电子技术/集成电路设计技术",
            "黄晓东",
            "13711223344",
            "2019-03-15",
            "是",
            "否",
            "是",
        ],
        [
            "广州柔电新材料科技有限公司",
            "91440112MA9W2N6T7K",
            "新材料/精细和专用化学品",
            "郑嘉怡",
            "18620335566",
            "2020-01-06",
            "否",
            "否",
            "否",
        ],
    ]
    activities = [
        [
            "工业视觉技术沙龙（第12期）",
            "2020-03-20",
            "众创空间一楼路演厅",
            "86",
            "邀请研究院机器视觉团队讲解缺陷检测算法，入驻团队演示样机并对接制造企业需求。",
        ],
        [
            "智能传感项目路演暨投融资对接会",
            "2020-05-14",
            "广州科学城会议中心",
            "152",
            "十二个入驻团队路演，五家合作创投机构现场点评，三个项目进入尽职调查。",
        ],
        [
            "芯片设计创业训练营",
            "2020-06-08",
            "研究院培训中心",
            "64",
            "为期三天，讲授芯片设计流程、流片成本控制与知识产权布局，学员均来自入驻团队。",
        ],
    ]
    return Printable(
        call_title="第四批国家专业化众创空间备案示范广东省申报推荐",
        document_number="粤科函高字〔2020〕394号",
        issuer_name="广东省科学技术厅",
        year=2020,
        track_title="国家专业化众创空间",
        space_name="华南智能传感专业化众创空间",
        organisation_name="广州华智众创科技服务有限公司",
        cover=[
            ("众创空间名称", "华南智能传感专业化众创空间"),
            ("运营机构（盖章）", "广州华智众创科技服务有限公司"),
            ("依托主体", "华南智能制造研究院"),
            ("所属地市", "广州市"),
            ("联系人", "陈晓敏"),
            ("联系电话", "13802456789"),
        ],
        sections=[
            # A cover line the 申请表 lacks is a section of its own; it is printed on the cover only.
            PrintSection("cover", "封面", [PrintField("city", "所属地市", "广州市")]),
            PrintSection("basic", "一、国家专业化众创空间备案申请表", _basic_fields()),
            PrintSection("outline", "二、国家专业化众创空间备案申报材料提纲", outline),
        ],
        rosters=[
            _roster(
                key="teams",
                title="入驻创业团队名单",
                columns=[
                    "名称",
                    "专业领域",
                    "负责人",
                    "手机",
                    "入驻时间",
                    "是否已申请专利",
                    "是否拥有有效知识产权",
                    "是否获得投融资",
                ],
                rows=_teams(team_rows),
                notes=[
                    "须附：入驻团队与众创空间签署的孵化服务协议或入驻协议复印件",
                    "须附：入驻创业团队的商业计划书",
                    "须附：知识产权申请或拥有证书复印件",
                    "须附：投融资协议、银行流水或工商变更截屏等可说明投融资发生的材料",
                ],
            ),
            _roster(
                key="companies",
                title="入驻企业名单",
                columns=[
                    "名称",
                    "统一社会信用代码",
                    "专业领域",
                    "负责人",
                    "手机",
                    "入驻时间",
                    "是否已申请专利",
                    "是否拥有有效知识产权",
                    "是否获得投融资",
                ],
                rows=companies,
            ),
            _roster(
                key="activities",
                title="创新创业活动情况表",
                columns=[
                    "活动名称",
                    "举办时间",
                    "活动地点",
                    "参加人数",
                    "活动内容简述（重点突出活动针对专业化的创客及创业团队参与情况）",
                ],
                rows=activities,
            ),
        ],
        attachments=[
            PrintAttachment(
                number=number,
                label=label,
                required=required,
                files=[] if number == "1.(9)" else [f"附件{number}-扫描件.pdf"],
            )
            for number, label, required in ATTACHMENT_LABELS
        ],
        commitments=[
            PrintCommitment(
                title="填报单位承诺",
                text="本单位填报内容属实，若填报失实和违反规定，愿承担全部责任。",
                signer_label="单位负责人（签章）；单位（签章）",
                signer_name="" if draft else "梁志远",
                accepted_at="" if draft else "2020-07-20 10:31",
            )
        ],
        draft=draft,
        verification_code="" if draft else "GD20-7K3M-Q9XW",
        submitted_at="" if draft else "2020-07-20 10:32",
        version=0 if draft else 1,
        verify_url="" if draft else "https://filing.example.cn/verify/GD20-7K3M-Q9XW",
    )
