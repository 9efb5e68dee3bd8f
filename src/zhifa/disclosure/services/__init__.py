"""Publication services (事后公开): obligation, draft, submit, approve, redact, withdraw, annual statistics.

Rules as implemented (sources in docs/disclosure.md):

* 行政处罚法 第四十八条 and seed 001: penalty (and licence) decisions are published within **7 working days**
  of the decision, every other enforcement result within **20 working days** (``DisclosureRule`` per region
  changes both). The obligation is created in the decision's own transaction (``cases.hooks``).
* Publication is reviewed: the approver is a second person (seed 001: 采集、传递、审核、发布 each with a
  responsible person), holding ``disclosure.approve`` (the agency head or a designated role).
* 行政处罚法 第四十八条第二款 and seed 001: a published decision that is changed, revoked, confirmed
  unlawful or invalid, or to be remade is withdrawn (within 3 days), stating the reason; it leaves the
  portal, the search index and the exports in the same transaction; the reason stays here and on the ledger.
* 行政处罚法 第四十八条第一款 (具有一定社会影响的行政处罚决定应当依法公开): a result without it by the region's
  rule (a warning to a citizen, by default) is not published, its reason kept; the agency head decides
  otherwise with a reason (``impact``, ``publication_disclosure_decide``).
* seed 001: 行政强制 results (a 查封/扣押 decision, an application for court enforcement) are published like
  penalty decisions (``DisclosureRule.compulsion_working_days``, 7 by default).
* 政府信息公开条例 第十五条: trade secrets and personal privacy are not published; a trade secret is excluded
  on the party's request with a reason (``publication_redact``); personal data is removed by ``privacy``.

The services are split by aggregate (one module each, every public name re-exported here): ``deadlines``
(期限), ``impact`` (一定社会影响), ``drafts`` (公开草稿、义务), ``licensing`` (行政许可决定导入), ``workflow`` (提交、审核、发布、隐去),
``withdrawals`` (撤回), ``lifecycle`` (更正、信用修复; 公示期限 in ``deadlines``), ``statistics`` (年度统计) and ``_common``.
"""

from zhifa.disclosure.services._common import (
    CASE,
    ENFORCEMENT,
    INSPECTION,
    LICENSING,
    SECRET_REMOVED,
    SEIZURE,
    index_publication,
)
from zhifa.disclosure.services.deadlines import (
    Period,
    plus_months,
    publication_due,
    publication_period,
    rule_for,
    stats_due,
)
from zhifa.disclosure.services.drafts import (
    disclosure_sweep,
    on_case_decided,
    on_court_applied,
    on_decision_document_issued,
    on_seizure_decided,
)
from zhifa.disclosure.services.impact import default_withheld_reason
from zhifa.disclosure.services.licensing import (
    LICENSING_COLUMNS,
    LICENSING_EXAMPLE,
    LICENSING_REQUIRED,
    MAX_IMPORT_ROWS,
    OPEN_ENDED,
    LicensingImport,
    RowError,
    licensing_decisions_import,
    licensing_decisions_import_file,
    licensing_template_xlsx,
    read_licensing_table,
)
from zhifa.disclosure.services.lifecycle import (
    MAX_FILE_BYTES,
    MAX_FILES,
    Eligibility,
    ProofFile,
    credit_repair_apply,
    credit_repair_decide,
    publication_correct,
    repair_eligibility,
)
from zhifa.disclosure.services.statistics import annual_figures, annual_statistics_publish
from zhifa.disclosure.services.withdrawals import (
    CORRECTION_WITHDRAW_KINDS,
    REMEDY_WITHDRAW_KINDS,
    on_decision_corrected,
    publication_withdraw,
    publications_withdraw_for_remedy,
)
from zhifa.disclosure.services.workflow import (
    publication_approve,
    publication_disclosure_decide,
    publication_redact,
    publication_refresh,
    publication_return,
    publication_submit,
)

__all__ = [
    "CASE",
    "CORRECTION_WITHDRAW_KINDS",
    "ENFORCEMENT",
    "INSPECTION",
    "LICENSING",
    "LICENSING_COLUMNS",
    "LICENSING_EXAMPLE",
    "LICENSING_REQUIRED",
    "MAX_FILES",
    "MAX_FILE_BYTES",
    "MAX_IMPORT_ROWS",
    "OPEN_ENDED",
    "REMEDY_WITHDRAW_KINDS",
    "SECRET_REMOVED",
    "SEIZURE",
    "Eligibility",
    "LicensingImport",
    "Period",
    "ProofFile",
    "RowError",
    "annual_figures",
    "annual_statistics_publish",
    "credit_repair_apply",
    "credit_repair_decide",
    "default_withheld_reason",
    "disclosure_sweep",
    "index_publication",
    "licensing_decisions_import",
    "licensing_decisions_import_file",
    "licensing_template_xlsx",
    "on_case_decided",
    "on_court_applied",
    "on_decision_corrected",
    "on_decision_document_issued",
    "on_seizure_decided",
    "plus_months",
    "publication_approve",
    "publication_correct",
    "publication_disclosure_decide",
    "publication_due",
    "publication_period",
    "publication_redact",
    "publication_refresh",
    "publication_return",
    "publication_submit",
    "publication_withdraw",
    "publications_withdraw_for_remedy",
    "read_licensing_table",
    "repair_eligibility",
    "rule_for",
    "stats_due",
]
