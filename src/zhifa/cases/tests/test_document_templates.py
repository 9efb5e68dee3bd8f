"""执法文书 templates: every document type renders for a case that went through every step, carries the key
fields of the case (parties, officers with certificate numbers, facts, basis, penalty, dates, inventory, rights
with their periods), is numbered gaplessly per agency, type and year, and is refused before its step."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from zhifa.cases import documents, services
from zhifa.cases.models import Case, CaseDocument, DocumentType, Seizure
from zhifa.cases.tests.helpers import D0, CaseWorld, attach, opened, reload
from zhifa.core.errors import InvalidInput, RuleViolation

pytestmark = pytest.mark.django_db

ARTIFACTS = Path(__file__).resolve().parents[4] / "test-artifacts" / "documents"
D = dt.date
FACTS = (
    "于2025年2月在其经营场所销售超过保质期的食品（婴幼儿配方奶粉）共计24箱，货值金额人民币12,000元，"
    "违法所得人民币3,000元；经营者未建立进货查验记录，且在执法人员现场检查时拒不提供供货者的许可证和"
    "食品合格证明文件，情节较重"
)
BASIS = (
    "《中华人民共和国食品安全法》第三十四条第十项；处罚依据：《中华人民共和国食品安全法》第一百二十四条第一款"
)


@dataclass
class FullCase:
    case: Case
    preservation: Seizure
    seizure: Seizure


@pytest.fixture(autouse=True)
def signing_key(settings: Any) -> None:
    settings.ZHIFA_LEDGER_SIGNING_KEY_FILE = ""


def full_case(world: CaseWorld) -> FullCase:
    """A case through every step that has a document: preservation → seizure (extended, released), an
    extended deadline, notice with a hearing, hearing, legal review, discussion, decision, service, demand,
    court application, closing."""
    user, head = world.officer_user, world.head
    world.citizen.address = (
        "测县人民路 88 号（长地址用于检查折行：测县城关镇人民路八十八号临街门面房一楼东侧第二间）"
    )
    world.citizen.save(update_fields=["address"])
    case = opened(world, party=world.citizen, facts=FACTS)
    case = services.case_start_investigation(actor=user, case=case, on=D0)
    preservation = services.seizure_decide(
        actor=user,
        case=case,
        kind="preserve",
        items=["过期婴幼儿配方奶粉（900 克/罐，12 罐/箱）24 箱", "进货单据 3 张"],
        place="测县人民路 88 号门店仓库",
        approved_by=head,
        on=D0,
    )
    attach(user, case, "service_execution", kind="video")
    seizure = services.seizure_decide(
        actor=user,
        case=case,
        kind="detain",
        items=preservation.items,
        place="测县市场监管局物证室",
        from_preservation=preservation,
        approved_by=head,
        on=D(2025, 3, 5),
    )
    services.seizure_extend(actor=head, seizure=seizure, days=30, reason="需要检验", on=D(2025, 4, 1))
    services.case_extend_deadline(
        actor=head,
        case=case,
        days=30,
        reason="案情复杂，需检验",
        basis="《市场监督管理行政处罚程序规定》",
        on=D(2025, 5, 20),
    )
    attach(user, case, "investigation")
    case = services.case_end_investigation(actor=user, case=case, on=D(2025, 5, 26))
    case = services.case_notify_rights(
        actor=user,
        case=case,
        kinds=["fine", "confiscate_income"],
        fine_yuan="60000",
        confiscation_yuan="3000",
        basis=BASIS,
        on=D(2025, 5, 26),
    )
    case = services.case_request_hearing(actor=user, case=case, on=D(2025, 5, 27))
    case = services.case_schedule_hearing(actor=user, case=case, hearing_on=D(2025, 6, 9), on=D(2025, 5, 28))
    case = services.case_hold_hearing(actor=user, case=case, host=world.officers[2], on=D(2025, 6, 9))
    case = services.case_submit_legal_review(actor=user, case=case, on=D(2025, 6, 10))
    services.case_record_legal_review(
        actor=world.reviewer, case=case, agreed=True, opinion="同意", on=D(2025, 6, 11)
    )
    services.case_collective_discussion(
        actor=head, case=case, participants="局长、副局长", conclusion="同意", on=D(2025, 6, 12)
    )
    services.seizure_release(actor=user, seizure=seizure, reason="decided", on=D(2025, 6, 13))
    case = services.case_decide(
        actor=head,
        case=case,
        kinds=["fine", "confiscate_income"],
        fine_yuan="60000",
        confiscation_yuan="3000",
        basis=BASIS,
        text="没收的过期奶粉依法销毁。",
        on=D(2025, 6, 13),
    )
    case = services.case_serve(actor=user, case=case, method="direct", on=D(2025, 6, 16))
    services.enforcement_demand(actor=user, case=case, on=D(2025, 7, 2))
    services.court_application(actor=head, case=case, court_name="测县人民法院", on=D(2025, 12, 17))
    attach(user, case, "service_execution")
    case = services.case_close(actor=head, case=case, on=D(2025, 12, 18))
    return FullCase(reload(case), Seizure.objects.get(pk=preservation.pk), Seizure.objects.get(pk=seizure.pk))


# The texts each type must carry (besides the agency, title and number).
def _expected(full: FullCase, world: CaseWorld) -> dict[str, list[str]]:
    case = full.case
    cert = world.officers[0].certificates.first().number
    common = [world.citizen.name]
    return {
        DocumentType.FILING_APPROVAL: [
            *common,
            case.number,
            "投诉举报",
            cert,
            "2025年03月03日",
            "负责人审批意见",
        ],
        DocumentType.INQUIRY_RECORD: [*common, cert, "申请回避", "问答记录", "被询问人签名"],
        DocumentType.INSPECTION_RECORD: [*common, cert, "现场检查（勘验）情况", "见证人"],
        DocumentType.PRESERVATION_NOTICE: [*common, "第五十六条", "七个工作日", "2025年03月12日", "24 箱"],
        DocumentType.SEIZURE_DECISION: [
            *common,
            "扣押",
            "第二十五条",
            "2025年04月04日",
            "六十日",
            "六个月",
            cert,
        ],
        DocumentType.SEIZURE_INVENTORY: [*common, "进货单据 3 张", "清点核对"],
        DocumentType.SEIZURE_EXTENSION: [*common, "延长 30 日", "2025年05月04日", "需要检验"],
        DocumentType.SEIZURE_RELEASE: [*common, "第二十八条", "2025年06月13日", "已对违法行为作出处理决定"],
        DocumentType.EXTENSION_APPROVAL: [*common, "案情复杂", "30 日", "第六十条"],
        DocumentType.PRIOR_NOTICE: [*common, "60000", "第四十四条", "听证", "食品安全法", "销售超过保质期"],
        DocumentType.HEARING_NOTICE: [*common, "2025年06月09日", "七个工作日", "回避"],
        DocumentType.HEARING_RECORD: [*common, "主持人", "听证记录"],
        DocumentType.DECISION: [
            *common,
            "罚款人民币 60000.00 元",
            "没收违法所得",
            "食品安全法",
            "十五日",
            "百分之三",
            "六十日内",
            "六个月内",
            "第七十三条",
            "2025年07月01日",
        ],
        DocumentType.SERVICE_RECEIPT: [*common, "直接送达", "2025年06月16日", "罚〔2025〕"],
        DocumentType.DEMAND: [*common, "十个工作日", "第五十四条", "罚〔2025〕"],
        DocumentType.COURT_APPLICATION: ["测县人民法院", world.agency.name, "第五十三条", "2025年12月17日"],
        DocumentType.CLOSING_APPROVAL: [*common, "申请法院强制执行", "2025年12月18日"],
    }


@pytest.mark.slow  # every document type to PDF with the CJK font: ≈ 14 s (docs/performance.md)
def test_every_document_type_renders_with_the_case_data_and_gapless_numbers(world: CaseWorld) -> None:
    full = full_case(world)
    expected = _expected(full, world)
    assert set(expected) == set(DocumentType.values) - {DocumentType.NOT_PUNISH_DECISION}
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    on = D(2025, 12, 19)
    # the decision first, so that later documents can quote its number
    order = [DocumentType.DECISION, *[t for t in expected if t != DocumentType.DECISION]]
    for doc_type in order:
        seizure = full.preservation if doc_type == DocumentType.SEIZURE_INVENTORY else None
        document = services.document_issue(
            actor=world.officer_user, case=full.case, doc_type=doc_type, on=on, seizure=seizure
        )
        measure = documents.seizure_for(full.case, doc_type, seizure)
        text = documents.body_text(documents.body_of(full.case, doc_type, measure))
        missing = [t for t in expected[doc_type] if t not in text]
        assert not missing, (doc_type, missing)
        pdf = bytes(document.pdf)
        assert pdf.startswith(b"%PDF") and b"NotoSerifCJK" in pdf
        assert document.number == f"测县市监{documents.NUMBER_WORD[DocumentType(doc_type)]}〔2025〕1号"
        (ARTIFACTS / f"{doc_type}.pdf").write_bytes(pdf)
    assert CaseDocument.objects.get(doc_type="seizure_inventory").seizure_id == full.preservation.pk
    assert CaseDocument.objects.get(doc_type="seizure_decision").seizure_id == full.seizure.pk
    # a second one of a type takes the next number; a voided number is never issued again
    again = services.document_issue(
        actor=world.officer_user, case=full.case, doc_type="inquiry_record", on=on
    )
    services.document_void(actor=world.head, document=again, reason="重新制作", on=on)
    third = services.document_issue(
        actor=world.officer_user, case=full.case, doc_type="inquiry_record", on=on
    )
    assert (again.number, third.number) == ("测县市监询〔2025〕2号", "测县市监询〔2025〕3号")


def test_not_punish_decision_states_the_reason_and_remedies(world: CaseWorld) -> None:
    user = world.officer_user
    case = services.case_start_investigation(actor=user, case=opened(world, facts="销售少量临期食品"), on=D0)
    attach(user, case, "investigation")
    case = services.case_end_investigation(actor=user, case=case, on=D(2025, 3, 5))
    with pytest.raises(RuleViolation) as refusal:
        services.document_issue(actor=user, case=case, doc_type="not_punish_decision", on=D(2025, 3, 6))
    assert refusal.value.code == "document_not_ready"
    case = services.case_not_punish(actor=world.head, case=case, reason="first_minor", on=D(2025, 3, 6))
    document = services.document_issue(
        actor=user, case=case, doc_type="not_punish_decision", on=D(2025, 3, 6)
    )
    text = documents.body_text(documents.body_of(reload(case), "not_punish_decision"))
    for needle in ("初次违法", "第三十三条", "六十日内", "六个月内", "不予行政处罚"):
        assert needle in text
    assert document.number == "测县市监不罚〔2025〕1号"
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    (ARTIFACTS / "not_punish_decision.pdf").write_bytes(bytes(document.pdf))


@pytest.mark.parametrize(
    "doc_type",
    [
        "preservation_notice",
        "seizure_decision",
        "seizure_inventory",
        "seizure_extension",
        "seizure_release",
        "extension_approval",
        "hearing_notice",
        "hearing_record",
        "service_receipt",
        "demand",
        "court_application",
        "closing_approval",
    ],
)
def test_a_document_before_its_step_is_refused_without_using_a_number(
    world: CaseWorld, doc_type: str
) -> None:
    case = services.case_start_investigation(actor=world.officer_user, case=opened(world), on=D0)
    with pytest.raises(RuleViolation) as refusal:
        services.document_issue(actor=world.officer_user, case=case, doc_type=doc_type, on=D0)
    assert refusal.value.code == "document_not_ready"
    assert not CaseDocument.objects.exists()


def test_a_seizure_document_for_a_measure_of_another_case_is_refused(world: CaseWorld) -> None:
    user = world.officer_user
    case = services.case_start_investigation(actor=user, case=opened(world), on=D0)
    other = services.case_start_investigation(actor=user, case=opened(world), on=D0)
    preservation = services.seizure_decide(
        actor=user, case=other, kind="preserve", items=["账簿"], approved_by=world.head, on=D0
    )
    with pytest.raises(InvalidInput):
        services.document_issue(
            actor=user, case=case, doc_type="preservation_notice", seizure=preservation, on=D0
        )
    # the preservation notice is not a seizure decision: that type waits for a 查封/扣押
    with pytest.raises(RuleViolation):
        services.document_issue(actor=user, case=other, doc_type="seizure_decision", on=D0)
    assert services.document_issue(
        actor=user, case=other, doc_type="preservation_notice", on=D0
    ).seizure_id == (preservation.pk)


def test_chinese_numerals_of_the_remedy_periods() -> None:
    assert [documents._cn(n) for n in (6, 10, 15, 60, 7)] == ["六", "十", "十五", "六十", "七"]
    assert "六十日内" in documents.remedies("决定书") and "六个月内" in documents.remedies("决定书")
