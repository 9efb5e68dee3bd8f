"""What the law says of each kind of act: time limits with their articles, fees, remedies and the procedure's
steps — the fixed part of every service guide (服务指南) — and the defaults an agency's own part starts from.

The articles were checked against the statutes (行政处罚法 2021, 行政强制法 2011, 行政许可法 2019, 行政复议法 2023,
行政诉讼法 2017); the numbers come from ``zhifa.cases.limits`` where cases use them too, so a guide and the
deadlines the system computes never disagree.
"""

from __future__ import annotations

from dataclasses import dataclass

from zhifa.cases import limits
from zhifa.guides.models import GuideKind

PENALTY_LAW = "《中华人民共和国行政处罚法》"
COMPULSION_LAW = "《中华人民共和国行政强制法》"
LICENSING_LAW = "《中华人民共和国行政许可法》"
RECONSIDERATION_LAW = "《中华人民共和国行政复议法》"
LITIGATION_LAW = "《中华人民共和国行政诉讼法》"


@dataclass(frozen=True)
class Cited:
    """A rule stated in plain words with the article it comes from."""

    text: str
    basis: str


@dataclass(frozen=True)
class Step:
    """One step of a procedure's flow chart; ``optional`` steps happen only in some cases (dashed on the chart)."""

    title: str
    detail: str
    basis: str
    limit: str = ""
    optional: bool = False


@dataclass(frozen=True)
class Statute:
    kind: str
    catalog_kind: str  # zhifa.catalog.models.ItemKind value of the items this guide covers
    summary: str
    basis: str
    time_limits: tuple[Cited, ...]
    fees: Cited
    steps: tuple[Step, ...]
    # the defaults of the agency's own part
    conditions: str
    materials: str


# 行政复议法 第二十条; 行政诉讼法 第四十五条、第四十六条 — the same for every kind of act.
REMEDIES: tuple[Cited, ...] = (
    Cited(
        f"申请行政复议：自知道或者应当知道该行政行为之日起 {limits.RECONSIDERATION_DAYS} 日内提出；"
        "法律规定的申请期限超过 60 日的除外。",
        f"{RECONSIDERATION_LAW}第二十条",
    ),
    Cited(
        f"提起行政诉讼：直接向人民法院起诉的，自知道或者应当知道作出行政行为之日起 {limits.REMEDY_MONTHS} 个月内提出；"
        "法律另有规定的除外。",
        f"{LITIGATION_LAW}第四十六条",
    ),
    Cited(
        "对行政复议决定不服的，可以在收到复议决定书之日起 15 日内向人民法院起诉；复议机关逾期不作决定的，"
        "在复议期满之日起 15 日内起诉。",
        f"{LITIGATION_LAW}第四十五条",
    ),
)

# 行政处罚法 第七十五条 — the right to complain and report.
COMPLAINT_RIGHT = Cited(
    "公民、法人或者其他组织对行政机关实施行政处罚的行为，有权申诉或者检举；行政机关应当认真审查，发现有错误的，"
    "应当主动改正。",
    f"{PENALTY_LAW}第七十五条",
)

DEFAULT_HOURS = "法定工作日 上午 9:00—12:00，下午 14:00—17:00（法定节假日除外）"
DEFAULT_SUPERVISION = (
    "12345 政务服务便民热线；\n"
    "向本机关法制机构或者纪检监察机构投诉、举报；\n"
    "向本级人民政府司法行政部门（行政执法监督机构）投诉、举报，联系方式见下方执法监督机构名单。"
)
DEFAULT_REMEDY_BODIES = "行政复议机关：本级人民政府；行政诉讼：本机关所在地有管辖权的人民法院。"
NO_FEE = "不收费。"


STATUTES: dict[str, Statute] = {
    GuideKind.PENALTY_GENERAL: Statute(
        kind=GuideKind.PENALTY_GENERAL,
        catalog_kind="penalty",
        summary="对违反行政管理秩序、依法应当给予行政处罚，且不适用简易程序的行为，立案调查后作出处罚决定。",
        basis=f"{PENALTY_LAW}第五十四条至第六十五条",
        time_limits=(
            Cited(
                f"自立案之日起 {limits.DECISION_DAYS} 日内作出行政处罚决定；法律、法规、规章另有规定的，从其规定。",
                f"{PENALTY_LAW}第六十条",
            ),
            Cited(
                f"当事人要求听证的，应当在行政机关告知后 {limits.HEARING_REQUEST_WORKING_DAYS} 日内提出；"
                f"行政机关在举行听证的 {limits.HEARING_NOTICE_WORKING_DAYS} 日前通知时间、地点。",
                f"{PENALTY_LAW}第六十四条",
            ),
            Cited(
                f"处罚决定书在宣告后当场交付；当事人不在场的，{limits.SERVICE_WORKING_DAYS} 日内送达。",
                f"{PENALTY_LAW}第六十一条",
            ),
            Cited(
                f"当事人自收到行政处罚决定书之日起 {limits.PAYMENT_DAYS} 日内缴纳罚款；逾期不缴纳的，每日按罚款数额的 3% "
                "加处罚款，加处罚款的数额不超出罚款的数额。",
                f"{PENALTY_LAW}第六十七条、第七十二条",
            ),
        ),
        fees=Cited(NO_FEE + "当事人不承担行政机关组织听证的费用。", f"{PENALTY_LAW}第六十三条"),
        steps=(
            Step("立案", "发现违法线索，经核查符合立案标准的，及时立案。", f"{PENALTY_LAW}第五十四条"),
            Step(
                "调查取证",
                "执法人员不少于两人，出示执法证件；全面、客观、公正地调查，收集证据。",
                f"{PENALTY_LAW}第四十二条、第五十五条",
            ),
            Step(
                "告知",
                "作出决定前，告知拟处罚的内容及事实、理由、依据，以及陈述、申辩、要求听证的权利。",
                f"{PENALTY_LAW}第四十四条",
            ),
            Step(
                "陈述申辩、听证",
                "当事人陈述、申辩；较大数额罚款、吊销许可证件等情形，当事人可以要求听证。",
                f"{PENALTY_LAW}第四十五条、第六十三条、第六十四条",
                limit=f"告知后 {limits.HEARING_REQUEST_WORKING_DAYS} 日内申请听证",
                optional=True,
            ),
            Step(
                "法制审核",
                "涉及重大公共利益、情节复杂、经过听证等重大案件，决定前须经法制审核。",
                f"{PENALTY_LAW}第五十八条",
                optional=True,
            ),
            Step(
                "作出决定",
                "行政机关负责人审查后作出处罚、不予处罚或者移送等决定；情节复杂或者重大的，集体讨论决定。",
                f"{PENALTY_LAW}第五十七条、第六十条",
                limit=f"立案之日起 {limits.DECISION_DAYS} 日内",
            ),
            Step(
                "送达",
                "决定书宣告后当场交付；当事人不在场的，依照民事诉讼法的有关规定送达。",
                f"{PENALTY_LAW}第六十一条",
                limit=f"{limits.SERVICE_WORKING_DAYS} 日内",
            ),
            Step(
                "执行",
                "当事人按决定履行；罚款到指定银行或者通过电子支付系统缴纳。",
                f"{PENALTY_LAW}第六十七条",
                limit=f"收到决定书之日起 {limits.PAYMENT_DAYS} 日内缴纳罚款",
            ),
        ),
        conditions=(
            "监督检查、投诉举报、上级交办、其他机关移送等发现公民、法人或者其他组织有依法应当给予行政处罚的违法行为，"
            "且不适用简易程序的，依法立案调查。"
        ),
        materials=(
            "当事人无需提交申请材料。调查中，当事人应当如实回答询问、协助调查，可以提交陈述、申辩意见和证据；"
            "委托代理人的，提交授权委托书和代理人身份证明。"
        ),
    ),
    GuideKind.PENALTY_SIMPLE: Statute(
        kind=GuideKind.PENALTY_SIMPLE,
        catalog_kind="penalty",
        summary="违法事实确凿、有法定依据，罚款数额较小或者警告的，当场作出行政处罚决定。",
        basis=f"{PENALTY_LAW}第五十一条至第五十三条",
        time_limits=(
            Cited("当场作出行政处罚决定，当场交付决定书。", f"{PENALTY_LAW}第五十二条"),
            Cited(
                f"当事人自收到行政处罚决定书之日起 {limits.PAYMENT_DAYS} 日内缴纳罚款；依法当场收缴的除外。",
                f"{PENALTY_LAW}第六十七条、第六十八条",
            ),
            Cited(
                "执法人员当场收缴的罚款，自收缴之日起 2 日内交至行政机关。",
                f"{PENALTY_LAW}第七十一条",
            ),
        ),
        fees=Cited(
            NO_FEE + "当场收缴罚款的，出具专用票据；不出具的，当事人有权拒绝缴纳。", f"{PENALTY_LAW}第七十条"
        ),
        steps=(
            Step("出示证件", "执法人员向当事人出示执法证件。", f"{PENALTY_LAW}第五十二条"),
            Step(
                "告知",
                "告知违法事实、处罚理由和依据，以及陈述、申辩的权利。",
                f"{PENALTY_LAW}第四十四条",
            ),
            Step(
                "陈述申辩",
                "听取当事人的陈述、申辩，对事实、理由和证据进行复核。",
                f"{PENALTY_LAW}第四十五条",
            ),
            Step(
                "当场决定",
                "填写预定格式、编有号码的行政处罚决定书，由执法人员签名或者盖章，当场交付当事人。",
                f"{PENALTY_LAW}第五十二条",
                limit="当场",
            ),
            Step(
                "备案",
                "执法人员当场作出的行政处罚决定，报所属行政机关备案。",
                f"{PENALTY_LAW}第五十二条",
            ),
            Step(
                "缴纳罚款",
                "到指定银行或者通过电子支付系统缴纳；符合法定情形的，可以当场收缴。",
                f"{PENALTY_LAW}第六十七条、第六十八条",
                limit=f"{limits.PAYMENT_DAYS} 日内",
            ),
        ),
        conditions=(
            f"违法事实确凿并有法定依据，对公民处以 {limits.SIMPLE_FINE_CITIZEN_YUAN} 元以下、对法人或者其他组织处以 "
            f"{limits.SIMPLE_FINE_ORGANISATION_YUAN} 元以下罚款或者警告的，可以当场作出行政处罚决定"
            f"（{PENALTY_LAW}第五十一条）；法律另有规定的，从其规定。"
        ),
        materials="当事人无需提交材料；执法人员核对当事人身份。",
    ),
    GuideKind.COMPULSION_MEASURE: Statute(
        kind=GuideKind.COMPULSION_MEASURE,
        catalog_kind="compulsion",
        summary="为制止违法行为、防止证据损毁、避免危害发生、控制危险扩大等，依法对财物实施查封、扣押等暂时性控制。",
        basis=f"{COMPULSION_LAW}第十八条至第二十八条",
        time_limits=(
            Cited(
                f"查封、扣押的期限不得超过 {limits.SEIZURE_DAYS} 日；情况复杂的，经行政机关负责人批准可以延长，"
                f"延长期限不得超过 {limits.SEIZURE_EXTENSION_MAX_DAYS} 日；检测、检验、检疫或者技术鉴定的期间不计算在内。",
                f"{COMPULSION_LAW}第二十五条",
            ),
            Cited(
                "情况紧急、需要当场实施的，执法人员在 24 小时内向行政机关负责人报告，并补办批准手续。",
                f"{COMPULSION_LAW}第十九条",
            ),
        ),
        fees=Cited(
            NO_FEE + "因查封、扣押发生的保管费用，以及检测、检验、检疫或者技术鉴定的费用，由行政机关承担。",
            f"{COMPULSION_LAW}第二十五条、第二十六条",
        ),
        steps=(
            Step(
                "报告批准",
                "实施前向行政机关负责人报告并经批准；情况紧急当场实施的，事后补办批准。",
                f"{COMPULSION_LAW}第十八条、第十九条",
                limit="紧急时 24 小时内补办",
            ),
            Step(
                "出示证件、通知到场",
                "由两名以上执法人员实施，出示执法证件，通知当事人到场。",
                f"{COMPULSION_LAW}第十八条",
            ),
            Step(
                "告知、听取陈述申辩",
                "当场告知采取措施的理由、依据以及依法享有的权利、救济途径，听取当事人的陈述和申辩。",
                f"{COMPULSION_LAW}第十八条",
            ),
            Step(
                "笔录、决定书和清单",
                "制作现场笔录；查封、扣押的，当场交付查封、扣押决定书和清单。",
                f"{COMPULSION_LAW}第十八条、第二十四条",
            ),
            Step(
                "延长",
                "情况复杂的，经行政机关负责人批准延长，并书面告知当事人。",
                f"{COMPULSION_LAW}第二十五条",
                limit=f"延长不超过 {limits.SEIZURE_EXTENSION_MAX_DAYS} 日",
                optional=True,
            ),
            Step(
                "处理或者解除",
                "期限内查清事实，作出没收、销毁或者解除的决定；解除后立即返还财物。",
                f"{COMPULSION_LAW}第二十七条、第二十八条",
                limit=f"{limits.SEIZURE_DAYS} 日内",
            ),
        ),
        conditions=(
            "在行政管理过程中，为制止违法行为、防止证据损毁、避免危害发生、控制危险扩大等情形，依照法律、法规的规定，"
            "对公民的人身自由实施暂时性限制，或者对公民、法人或者其他组织的财物实施暂时性控制"
            f"（{COMPULSION_LAW}第二条、第九条）。"
        ),
        materials="当事人无需提交材料；到场时请携带身份证明，核对查封、扣押清单后签名或者盖章。",
    ),
    GuideKind.COMPULSION_ENFORCEMENT: Statute(
        kind=GuideKind.COMPULSION_ENFORCEMENT,
        catalog_kind="compulsion",
        summary="当事人在决定的期限内不履行义务的，经催告后依法强制执行，或者申请人民法院强制执行。",
        basis=f"{COMPULSION_LAW}第三十四条至第三十七条、第五十三条、第五十四条",
        time_limits=(
            Cited(
                f"申请人民法院强制执行前应当催告；催告书送达 {limits.DEMAND_WORKING_DAYS} 日后当事人仍未履行的，方可申请。",
                f"{COMPULSION_LAW}第五十四条",
            ),
            Cited(
                f"没有行政强制执行权的行政机关，自当事人申请复议、提起诉讼的期限届满之日起 "
                f"{limits.COURT_APPLICATION_MONTHS} 个月内申请人民法院强制执行。",
                f"{COMPULSION_LAW}第五十三条",
            ),
        ),
        fees=Cited(
            NO_FEE + "代履行的费用按照成本合理确定，由当事人承担；法律另有规定的除外。",
            f"{COMPULSION_LAW}第五十一条",
        ),
        steps=(
            Step(
                "催告",
                "书面催告当事人履行义务，载明履行期限、方式、金额和当事人的权利。",
                f"{COMPULSION_LAW}第三十五条",
            ),
            Step(
                "陈述申辩",
                "当事人收到催告书后有权陈述和申辩，行政机关记录、复核；理由成立的，应当采纳。",
                f"{COMPULSION_LAW}第三十六条",
            ),
            Step(
                "执行协议",
                "不损害公共利益和他人合法权益的，可以与当事人达成执行协议，分阶段履行。",
                f"{COMPULSION_LAW}第四十二条",
                optional=True,
            ),
            Step(
                "强制执行决定",
                "经催告逾期仍不履行且无正当理由的，书面作出强制执行决定并送达。",
                f"{COMPULSION_LAW}第三十七条",
            ),
            Step(
                "执行或者申请法院执行",
                "有强制执行权的依法执行；没有的，向有管辖权的人民法院申请强制执行。",
                f"{COMPULSION_LAW}第五十三条、第五十四条",
                limit=f"催告送达 {limits.DEMAND_WORKING_DAYS} 日后、期限届满起 {limits.COURT_APPLICATION_MONTHS} 个月内",
            ),
        ),
        conditions=(
            "行政机关依法作出行政决定后，当事人在决定的期限内不履行义务，且在法定期限内不申请行政复议、"
            f"不提起行政诉讼的（{COMPULSION_LAW}第三十四条、第五十三条）。"
        ),
        materials="当事人无需提交材料；已经履行的，请向行政机关提交缴款凭证等履行证明。",
    ),
    GuideKind.INSPECTION: Statute(
        kind=GuideKind.INSPECTION,
        catalog_kind="inspection",
        summary="依照法律、法规、规章和公布的检查事项，对公民、法人或者其他组织遵守法律和执行决定的情况进行检查。",
        basis=f"{PENALTY_LAW}第四十二条、第五十五条；国务院办公厅关于严格规范涉企行政检查的意见（国办发〔2024〕54号）",
        time_limits=(
            Cited(
                f"证据可能灭失或者以后难以取得的，经负责人批准先行登记保存，{limits.PRESERVATION_WORKING_DAYS} 日内作出处理决定。",
                f"{PENALTY_LAW}第五十六条",
            ),
            Cited(
                f"检查发现违法行为立案处理的，自立案之日起 {limits.DECISION_DAYS} 日内作出行政处罚决定。",
                f"{PENALTY_LAW}第六十条",
            ),
            Cited(
                "同一企业年度检查频次上限、检查计划和随机抽查事项清单依照各地公布执行；能合并、联合检查的不重复检查。",
                "国务院办公厅关于严格规范涉企行政检查的意见（国办发〔2024〕54号）",
            ),
        ),
        fees=Cited(
            NO_FEE + "行政机关对行政许可事项进行监督检查，不得收取任何费用。",
            f"{LICENSING_LAW}第五十八条",
        ),
        steps=(
            Step(
                "确定检查事项",
                "依照公布的行政检查事项和随机抽查事项清单，制定检查计划或者经批准开展检查。",
                "国务院办公厅关于严格规范涉企行政检查的意见（国办发〔2024〕54号）",
            ),
            Step(
                "出示证件",
                "执法人员不少于两人，主动出示执法证件；被检查人可以当场核验。",
                f"{PENALTY_LAW}第四十二条、第五十五条",
            ),
            Step(
                "告知",
                "告知检查依据、事项，以及被检查人申请回避、陈述申辩等权利。",
                f"{PENALTY_LAW}第五十五条",
            ),
            Step(
                "现场检查",
                "查阅资料、询问、勘验、抽样；制作现场检查笔录，由被检查人核对签名。",
                f"{PENALTY_LAW}第五十五条",
            ),
            Step(
                "先行登记保存",
                "证据可能灭失或者以后难以取得的，经负责人批准先行登记保存。",
                f"{PENALTY_LAW}第五十六条",
                limit=f"{limits.PRESERVATION_WORKING_DAYS} 日内作出处理决定",
                optional=True,
            ),
            Step(
                "告知结果、依法处理",
                "检查结束告知检查结果；发现违法的，责令改正或者立案查处；检查结果依法公示。",
                f"{PENALTY_LAW}第五十四条",
            ),
        ),
        conditions=(
            "依照法律、法规、规章和向社会公布的行政检查事项，通过随机抽查（双随机、一公开）、重点检查，"
            "或者核查投诉举报、转办交办线索等方式实施检查；行政检查事项未经公布的，不得实施。"
        ),
        materials=(
            "被检查人无需提交申请材料；检查时依法提供与检查事项有关的证照、台账、票据等资料，如实回答询问。"
        ),
    ),
    GuideKind.LICENSING: Statute(
        kind=GuideKind.LICENSING,
        catalog_kind="licensing",
        summary="公民、法人或者其他组织申请从事依法需经许可的特定活动，行政机关受理、审查并作出是否准予的决定。",
        basis=f"{LICENSING_LAW}第二十九条至第四十五条",
        time_limits=(
            Cited(
                "申请材料不齐全或者不符合法定形式的，当场或者在 5 日内一次告知需要补正的全部内容；逾期不告知的，"
                "自收到申请材料之日起即为受理。",
                f"{LICENSING_LAW}第三十二条",
            ),
            Cited(
                "除当场作出决定的外，自受理之日起 20 日内作出行政许可决定；经本机关负责人批准可以延长 10 日，"
                "并告知申请人延长理由；法律、法规另有规定的，依照其规定。",
                f"{LICENSING_LAW}第四十二条第一款",
            ),
            Cited(
                "统一办理或者联合办理、集中办理的，不超过 45 日；经本级人民政府负责人批准可以延长 15 日。",
                f"{LICENSING_LAW}第四十二条第二款",
            ),
            Cited(
                "作出准予行政许可决定的，自决定之日起 10 日内颁发、送达行政许可证件。",
                f"{LICENSING_LAW}第四十四条",
            ),
            Cited(
                "依法需要听证、招标、拍卖、检验、检测、检疫、鉴定和专家评审的，所需时间不计算在上述期限内，并书面告知申请人。",
                f"{LICENSING_LAW}第四十五条",
            ),
        ),
        fees=Cited(
            "不收费。实施行政许可和对行政许可事项进行监督检查，不得收取任何费用；提供申请书格式文本，不得收费。"
            "法律、行政法规另有规定的，依照其规定。",
            f"{LICENSING_LAW}第五十八条",
        ),
        steps=(
            Step(
                "申请",
                "申请人向行政机关提出申请，如实提交有关材料；可以通过信函、电子数据交换和电子邮件等方式提出。",
                f"{LICENSING_LAW}第二十九条、第三十一条",
            ),
            Step(
                "受理",
                "属于本机关职权、材料齐全且符合法定形式的，予以受理；出具加盖专用印章、注明日期的书面凭证。",
                f"{LICENSING_LAW}第三十二条",
            ),
            Step(
                "一次告知补正",
                "材料不齐全或者不符合法定形式的，一次告知需要补正的全部内容；不属于本机关职权的，不予受理并告知向有关机关申请。",
                f"{LICENSING_LAW}第三十二条",
                limit="当场或者 5 日内",
                optional=True,
            ),
            Step(
                "审查",
                "对申请材料进行审查；需要核实实质内容的，指派两名以上工作人员核查。",
                f"{LICENSING_LAW}第三十四条",
            ),
            Step(
                "听证",
                "法律规定应当听证或者涉及重大利益关系的，告知申请人、利害关系人要求听证的权利。",
                f"{LICENSING_LAW}第四十六条、第四十七条",
                optional=True,
            ),
            Step(
                "决定",
                "作出准予或者不予行政许可的书面决定；不予许可的，说明理由并告知救济途径。",
                f"{LICENSING_LAW}第三十八条、第四十二条",
                limit="受理之日起 20 日内（可延长 10 日）",
            ),
            Step(
                "颁证送达",
                "准予许可的，颁发、送达行政许可证件。",
                f"{LICENSING_LAW}第四十四条",
                limit="决定之日起 10 日内",
            ),
        ),
        conditions=(
            "申请事项依法需要取得行政许可、属于本机关职权范围，申请人具备法定条件，申请材料齐全、符合法定形式"
            f"（{LICENSING_LAW}第十二条、第三十二条）。各事项的具体条件见下方本机关的许可事项及其依据。"
        ),
        materials=(
            "1. 行政许可申请书（本机关免费提供格式文本）；\n"
            "2. 申请人身份证明（营业执照或者居民身份证）；\n"
            "3. 各许可事项依法要求的其他材料；\n"
            "4. 委托他人办理的，提交授权委托书和受托人身份证明。\n"
            f"行政机关不得要求申请人提交与其申请的行政许可事项无关的技术资料和其他材料（{LICENSING_LAW}第三十一条）。"
        ),
    ),
}


def statute(kind: str) -> Statute:
    return STATUTES[kind]
