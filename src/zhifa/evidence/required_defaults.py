"""Default 执法记录要求清单 seeded by migration 0004; administrators adjust them in the admin.

Each rule cites its source: the seed plan's file, line and words (in ``/work/shared/seeds/``), or the article
of national law. Changing a default later takes a new data migration that adds a new version of the rule
(same ``code``, later ``effective_from``); rows already in a database are never rewritten by code.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, NamedTuple

# The date the defaults take effect: the seed plans implement 国办发〔2018〕118号 (issued December 2018).
DEFAULTS_EFFECTIVE_FROM = dt.date(2019, 1, 1)

_S001 = "seeds/001_8812eface49bfbf8.txt"
_S003 = "seeds/003_47aea46789e37d02.txt"
_S004 = "seeds/004_b849052bce9ffb82.txt"

WHOLE_PROCESS = (
    f"{_S001} 第42行：“执法部门要通过文字、音像等记录形式,对行政执法的启动、调查取证、审核决定、送达执行等全部过程"
    "进行记录,并全面系统归档保存,做到执法全过程留痕和可回溯管理。”；"
    f"{_S003} 第33行：“要规范行政执法的重要事项和关键环节,做到文字记录合法规范、客观全面、及时准确”"
)
FULL_AV_001 = (
    f"{_S001} 第46行：“对查封扣押财产、强制拆除等直接涉及公民生命健康、重大财产权益的现场执法活动和执法办案场所,"
    "推行全程音像记录”"
)
FULL_AV_003 = (
    f"{_S003} 第35行：“对涉及人身自由、生命健康、重大财产权益的现场执法活动和执法办案场所,要推行全程音像记录”"
)
RECOMMENDED_AV = (
    f"{_S001} 第46行：“对现场执法、调查取证、举行听证、留置送达和公告送达等容易引发争议的行政执法过程,"
    "根据实际情况进行音像记录”"
)
LIEN_PHOTO = (
    f"{_S001} 第46行：“受送达人拒绝接受行政执法文书的,可以将执法文书留在受送达人的住所,并采用拍照、录像等方式"
    "记录送达过程”"
)
INSPECTION_FILING = (
    f"{_S004} 第31行：“应当严格落实“线上审批备案、扫码进企检查”程序要求,未经报备的执法机关不得随意入企检查”"
)
HEARING_AV = (
    "issue 4 §5：计划要求对听证全程音像记录（“full audio-video recording … of hearings”），平台默认设为必须。"
    f"注意：{_S001} 第46行将“举行听证”列入“根据实际情况进行音像记录”（建议）；"
    "地方方案如仅作建议，管理员可将本条改为建议。"
)
PENALTY_LAW_ART47 = (
    "《中华人民共和国行政处罚法》第四十七条：行政机关应当依法以文字、音像等形式，对行政处罚的启动、调查取证、"
    "审核、决定、送达、执行等进行全过程记录，归档保存。"
)
COMPULSION_LAW_ART18 = (
    "《中华人民共和国行政强制法》第十八条：实施前须向行政机关负责人报告并经批准……制作现场笔录；现场笔录由当事人"
    "和行政执法人员签名或者盖章，当事人拒绝的，在笔录中予以注明；当事人不到场的，邀请见证人到场……"
)


class DefaultRule(NamedTuple):
    code: str
    act_type: str
    stage: str
    requirement: str
    mandatory: bool
    description: str
    source: str


def _seizure_like(act: str, name: str, handling: str) -> list[DefaultRule]:
    """查封 / 扣押 — 行政强制措施 on property; the on-site act is the execution stage."""
    return [
        DefaultRule(
            f"{act}.initiation.text",
            act,
            "initiation",
            "text",
            True,
            f"实施{name}的审批记录（报行政机关负责人批准；情况紧急当场实施的，二十四小时内补办批准手续）",
            f"{COMPULSION_LAW_ART18}；《中华人民共和国行政强制法》第十九条。",
        ),
        DefaultRule(
            f"{act}.decision.text",
            act,
            "decision",
            "text",
            True,
            f"{name}决定书和{name}清单",
            f"《中华人民共和国行政强制法》第二十四条：制作并当场交付查封、扣押决定书和清单。{WHOLE_PROCESS}",
        ),
        DefaultRule(
            f"{act}.execution.av",
            act,
            "service_execution",
            "audio_video",
            True,
            f"{name}现场全程音像记录（出示证件、告知理由依据和权利、听取陈述申辩、{handling}）",
            f"{FULL_AV_001}；{FULL_AV_003}",
        ),
        DefaultRule(
            f"{act}.execution.text",
            act,
            "service_execution",
            "text",
            True,
            f"{name}现场笔录（当事人和执法人员签名或盖章；当事人拒绝的注明，不到场的由见证人签名）",
            COMPULSION_LAW_ART18,
        ),
    ]


DEFAULT_RULES: list[DefaultRule] = [
    # 一般程序行政处罚 — a text record at every stage, audio-video recommended for evidence taking.
    DefaultRule(
        "penalty.general.initiation.text",
        "penalty.general",
        "initiation",
        "text",
        True,
        "立案审批表（立案依据与机关负责人批准意见）",
        f"{WHOLE_PROCESS}；《中华人民共和国行政处罚法》第五十四条（符合立案标准的，应当及时立案）；{PENALTY_LAW_ART47}",
    ),
    DefaultRule(
        "penalty.general.investigation.text",
        "penalty.general",
        "investigation",
        "text",
        True,
        "调查取证笔录（询问笔录、现场检查（勘验）笔录、证据清单）",
        f"{WHOLE_PROCESS}；《中华人民共和国行政处罚法》第五十五条：询问或者检查应当制作笔录。",
    ),
    DefaultRule(
        "penalty.general.investigation.av",
        "penalty.general",
        "investigation",
        "audio_video",
        False,
        "调查取证过程音像记录（现场执法、询问、提取证据）",
        RECOMMENDED_AV,
    ),
    DefaultRule(
        "penalty.general.decision.notice",
        "penalty.general",
        "decision",
        "text",
        True,
        "行政处罚事先告知书及当事人陈述、申辩记录",
        f"{WHOLE_PROCESS}；《中华人民共和国行政处罚法》第四十四条、第四十五条。",
    ),
    DefaultRule(
        "penalty.general.decision.review",
        "penalty.general",
        "decision",
        "text",
        True,
        "审查记录（调查终结报告、机关负责人审查意见；重大执法决定附法制审核意见）",
        f"{WHOLE_PROCESS}；《中华人民共和国行政处罚法》第五十七条、第五十八条。",
    ),
    DefaultRule(
        "penalty.general.decision.text",
        "penalty.general",
        "decision",
        "text",
        True,
        "行政处罚决定书",
        f"{WHOLE_PROCESS}；《中华人民共和国行政处罚法》第五十九条。",
    ),
    DefaultRule(
        "penalty.general.service.text",
        "penalty.general",
        "service_execution",
        "text",
        True,
        "送达回证（送达方式、时间，受送达人签收或拒收情况）",
        f"{WHOLE_PROCESS}；《中华人民共和国行政处罚法》第六十一条。",
    ),
    # 简易程序 (当场处罚).
    DefaultRule(
        "penalty.simple.investigation.av",
        "penalty.simple",
        "investigation",
        "audio_video",
        False,
        "现场执法音像记录",
        RECOMMENDED_AV,
    ),
    DefaultRule(
        "penalty.simple.decision.text",
        "penalty.simple",
        "decision",
        "text",
        True,
        "当场行政处罚决定书（预定格式、编有号码）",
        f"《中华人民共和国行政处罚法》第五十二条。{WHOLE_PROCESS}",
    ),
    DefaultRule(
        "penalty.simple.service.text",
        "penalty.simple",
        "service_execution",
        "text",
        True,
        "当场交付决定书的记录（当事人签收）",
        f"《中华人民共和国行政处罚法》第五十二条：当场交付当事人。{WHOLE_PROCESS}",
    ),
    # 行政强制措施 and 行政强制执行 touching life, health, liberty, major property: full audio-video.
    *_seizure_like("compulsion.seizure", "查封", "清点财物、张贴封条"),
    *_seizure_like("compulsion.detention", "扣押", "清点、封存或运离财物"),
    DefaultRule(
        "compulsion.demolition.initiation.text",
        "compulsion.demolition",
        "initiation",
        "text",
        True,
        "强制执行催告书（书面催告当事人履行义务）",
        "《中华人民共和国行政强制法》第三十五条。",
    ),
    DefaultRule(
        "compulsion.demolition.decision.text",
        "compulsion.demolition",
        "decision",
        "text",
        True,
        "强制执行决定书及限期当事人自行拆除的公告",
        "《中华人民共和国行政强制法》第三十七条、第四十四条。",
    ),
    DefaultRule(
        "compulsion.demolition.execution.av",
        "compulsion.demolition",
        "service_execution",
        "audio_video",
        True,
        "强制拆除现场全程音像记录",
        FULL_AV_001,
    ),
    DefaultRule(
        "compulsion.demolition.execution.text",
        "compulsion.demolition",
        "service_execution",
        "text",
        True,
        "强制拆除现场笔录（在场人员、拆除过程、物品清点登记）",
        WHOLE_PROCESS,
    ),
    DefaultRule(
        "compulsion.restrict_liberty.execution.av",
        "compulsion.restrict_liberty",
        "service_execution",
        "audio_video",
        True,
        "限制人身自由的行政强制措施现场全程音像记录",
        FULL_AV_003,
    ),
    DefaultRule(
        "compulsion.restrict_liberty.execution.text",
        "compulsion.restrict_liberty",
        "service_execution",
        "text",
        True,
        "现场笔录及通知当事人家属的记录",
        f"{COMPULSION_LAW_ART18}；《中华人民共和国行政强制法》第二十条。",
    ),
    # 执法办案场所 (询问室) — full audio-video.
    DefaultRule(
        "inquiry.case_premises.investigation.av",
        "inquiry.case_premises",
        "investigation",
        "audio_video",
        True,
        "执法办案场所（询问室）询问全程音像记录",
        f"{FULL_AV_001}；{FULL_AV_003}",
    ),
    DefaultRule(
        "inquiry.case_premises.investigation.text",
        "inquiry.case_premises",
        "investigation",
        "text",
        True,
        "询问笔录（被询问人核对后签名）",
        "《中华人民共和国行政处罚法》第五十五条：询问或者检查应当制作笔录。",
    ),
    # 听证 — held before the decision.
    DefaultRule(
        "hearing.decision.notice",
        "hearing",
        "decision",
        "text",
        True,
        "听证通知书（举行听证七日前通知当事人）",
        "《中华人民共和国行政处罚法》第六十四条第二项。",
    ),
    DefaultRule(
        "hearing.decision.transcript",
        "hearing",
        "decision",
        "text",
        True,
        "听证笔录（交当事人或其代理人核对无误后签字或者盖章）",
        "《中华人民共和国行政处罚法》第六十四条第八项。",
    ),
    DefaultRule(
        "hearing.decision.av", "hearing", "decision", "audio_video", True, "听证全程音像记录", HEARING_AV
    ),
    # 留置送达 and 公告送达 — text mandatory, pictures recommended.
    DefaultRule(
        "service.lien.text",
        "service.lien",
        "service_execution",
        "text",
        True,
        "留置送达记录（送达回证记明拒收事由和日期，送达人、见证人签名或盖章）",
        "《中华人民共和国行政处罚法》第六十一条（依照《中华人民共和国民事诉讼法》有关规定送达）。",
    ),
    DefaultRule(
        "service.lien.photo",
        "service.lien",
        "service_execution",
        "photo",
        False,
        "拍照或录像记录将文书留在受送达人住所的过程",
        LIEN_PHOTO,
    ),
    DefaultRule(
        "service.lien.av",
        "service.lien",
        "service_execution",
        "audio_video",
        False,
        "留置送达过程音像记录",
        RECOMMENDED_AV,
    ),
    DefaultRule(
        "service.public_notice.text",
        "service.public_notice",
        "service_execution",
        "text",
        True,
        "公告送达记录（公告原文、刊登或张贴的载体、地点和日期）",
        "《中华人民共和国行政处罚法》第六十一条（依照《中华人民共和国民事诉讼法》有关规定送达）。",
    ),
    DefaultRule(
        "service.public_notice.av",
        "service.public_notice",
        "service_execution",
        "audio_video",
        False,
        "公告送达过程音像记录（张贴公告现场）",
        RECOMMENDED_AV,
    ),
    # 现场检查 (行政检查).
    DefaultRule(
        "inspection.onsite.initiation.text",
        "inspection.onsite",
        "initiation",
        "text",
        True,
        "检查报备与审批记录（线上审批备案，检查方案经批准）",
        INSPECTION_FILING,
    ),
    DefaultRule(
        "inspection.onsite.investigation.text",
        "inspection.onsite",
        "investigation",
        "text",
        True,
        "现场检查笔录",
        f"{WHOLE_PROCESS}；《中华人民共和国行政处罚法》第五十五条：询问或者检查应当制作笔录。",
    ),
    DefaultRule(
        "inspection.onsite.investigation.av",
        "inspection.onsite",
        "investigation",
        "audio_video",
        False,
        "现场检查音像记录（执法记录仪）",
        RECOMMENDED_AV,
    ),
]


def ensure_default_rules(rule_model: Any = None) -> int:
    """Create the default rules that are missing (by code and effective date); returns how many were added.

    Used by the data migration (with the historical model) and after a test flush emptied the table.
    """
    if rule_model is None:
        # local import: migration 0004 imports this module and passes the historical model
        from zhifa.evidence.models import RequiredRecordRule as rule_model
    existing = set(rule_model.objects.values_list("code", "effective_from"))
    missing = [
        rule_model(**rule._asdict(), active=True, effective_from=DEFAULTS_EFFECTIVE_FROM)
        for rule in DEFAULT_RULES
        if (rule.code, DEFAULTS_EFFECTIVE_FROM) not in existing
    ]
    rule_model.objects.bulk_create(missing)
    return len(missing)
