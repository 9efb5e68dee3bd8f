"""The demo county's enforcement catalog and four lists (``zhifa demo``, step 50).

Real laws and article numbers, the article text abbreviated. The catalog takes effect on the day the demo is
built, so cases the demo and the tests back-date are not gated; a new version of one item takes effect on
the next 1 January, to show versioning.

Every item's law belongs to its agency's domain (``zhifa.org.demo_laws.DOMAIN_LAWS``, checked by
``cases/tests/test_demo_law.py``). The article numbers marked "verified" were checked against the current
text of the law; the others are as first written and not re-checked.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from zhifa.catalog import selectors, services
from zhifa.catalog.models import LENIENT_BASIS, ItemKind, LenientKind
from zhifa.catalog.services import EntryData, ItemData, _write_version, write_entry
from zhifa.org.demo import COUNTY, COUNTY_AGENCIES
from zhifa.org.models import Agency, Domain, Region, User

P, C, INS, L = ItemKind.PENALTY, ItemKind.COMPULSION, ItemKind.INSPECTION, ItemKind.LICENSING
FSL = "中华人民共和国食品安全法"
SAFETY = "中华人民共和国安全生产法"

# agency key → [(code, name, kind, law, article, text)]
ITEMS: dict[str, list[tuple[str, str, str, str, str, str]]] = {
    # verified: 食品安全法 (2021 text; its 2025-09-12 amendment, in force 2025-12-01, was not available to check
    # for renumbering) 第三十五条、第一百一十条、第一百二十二条、第一百二十四条、第一百二十五条、第一百二十六条;
    # 价格法 第四十二条; 产品质量法 第四十九条、第五十条; 市场主体登记管理条例 第四十三条、第四十八条.
    # Not re-checked: 广告法 第五十五条第一款 (its penalty text only), 消费者权益保护法 第五十六条.
    "market": [
        (
            "SJ-CF-001",
            "对未取得食品生产经营许可从事食品生产经营活动的行政处罚",
            P,
            FSL,
            "第一百二十二条第一款",
            "违反本法规定，未取得食品生产经营许可从事食品生产经营活动……由县级以上人民政府食品安全监督管理部门没收违法所得和违法生产经营的食品……并处罚款。",
        ),
        (
            "SJ-CF-002",
            "对生产经营超过保质期的食品的行政处罚",
            P,
            FSL,
            "第一百二十四条第一款第（五）项",
            "生产经营……超过保质期的食品、食品添加剂……尚不构成犯罪的，由县级以上人民政府食品安全监督管理部门没收违法所得……并处罚款。",
        ),
        (
            "SJ-CF-003",
            "对生产经营标签、说明书不符合规定的食品的行政处罚",
            P,
            FSL,
            "第一百二十五条第一款第（二）项",
            "生产经营无标签的预包装食品、食品添加剂或者标签、说明书不符合本法规定的食品、食品添加剂……",
        ),
        (
            "SJ-CF-004",
            "对食品标签、说明书存在瑕疵的行政处罚",
            P,
            FSL,
            "第一百二十五条第二款",
            "生产经营的食品、食品添加剂的标签、说明书存在瑕疵但不影响食品安全且不会对消费者造成误导的，由县级以上人民政府食品安全监督管理部门责令改正；拒不改正的，处二千元以下罚款。",
        ),
        (
            "SJ-CF-005",
            "对食品经营者未按规定查验记录进货的行政处罚",
            P,
            FSL,
            "第一百二十六条第一款第（三）项",
            "食品、食品添加剂生产经营者进货时未查验许可证和相关证明文件，或者未按规定建立并遵守进货查验记录、出厂检验记录和销售记录制度……责令改正，给予警告；拒不改正的，处五千元以上五万元以下罚款……",
        ),
        (
            "SJ-CF-006",
            "对发布虚假广告的行政处罚",
            P,
            "中华人民共和国广告法",
            "第五十五条第一款",
            "违反本法规定，发布虚假广告的，由市场监督管理部门责令停止发布广告，责令广告主在相应范围内消除影响，处广告费用三倍以上五倍以下的罚款……",
        ),
        (
            "SJ-CF-007",
            "对经营者不按规定明码标价的行政处罚",
            P,
            "中华人民共和国价格法",
            "第四十二条",
            "经营者违反明码标价规定的，责令改正，没收违法所得，可以并处五千元以下的罚款。",
        ),
        # 商标法 第五十七条第（三）项、第六十条第二款 (2019 text, verified). This code named the 虚假宣传 item of the
        # 反不正当竞争法 (2019: 第八条/第二十条); the law was revised on 2025-06-27 (in force 2025-10-15) and
        # renumbered (虚假宣传 is now 第九条), and the new penalty article could not be verified, so it is not listed.
        (
            "SJ-CF-008",
            "对销售侵犯注册商标专用权的商品的行政处罚",
            P,
            "中华人民共和国商标法",
            "第六十条第二款",
            "工商行政管理部门处理时，认定侵权行为成立的，责令立即停止侵权行为，没收、销毁侵权商品……违法经营额五万元以上的，可以处违法经营额五倍以下的罚款，没有违法经营额或者违法经营额不足五万元的，可以处二十五万元以下的罚款……",
        ),
        (
            "SJ-CF-009",
            "对销售不符合保障人体健康和人身、财产安全标准的产品的行政处罚",
            P,
            "中华人民共和国产品质量法",
            "第四十九条",
            "生产、销售不符合保障人体健康和人身、财产安全的国家标准、行业标准的产品的，责令停止生产、销售，没收违法生产、销售的产品，并处……罚款。",
        ),
        (
            "SJ-CF-010",
            "对在产品中掺杂、掺假，以假充真、以次充好的行政处罚",
            P,
            "中华人民共和国产品质量法",
            "第五十条",
            "在产品中掺杂、掺假，以假充真，以次充好，或者以不合格产品冒充合格产品的，责令停止生产、销售……",
        ),
        (
            "SJ-CF-011",
            "对未经设立登记从事经营活动的行政处罚",
            P,
            "中华人民共和国市场主体登记管理条例",
            "第四十三条",
            "未经设立登记从事经营活动的，由登记机关责令改正，没收违法所得；拒不改正的，处1万元以上10万元以下的罚款……",
        ),
        (
            "SJ-CF-012",
            "对未将营业执照置于住所或者主要经营场所醒目位置的行政处罚",
            P,
            "中华人民共和国市场主体登记管理条例",
            "第四十八条第一款",
            "市场主体未依照本条例将营业执照置于住所或者主要经营场所醒目位置的，由登记机关责令改正；拒不改正的，处3万元以下的罚款。",
        ),
        (
            "SJ-CF-013",
            "对经营者侵害消费者权益的行政处罚",
            P,
            "中华人民共和国消费者权益保护法",
            "第五十六条第一款",
            "经营者有下列情形之一……由工商行政管理部门或者其他有关行政部门责令改正，可以根据情节单处或者并处警告、没收违法所得、处以违法所得一倍以上十倍以下的罚款……",
        ),
        # 计量法 第九条第一款（强制检定）、第二十五条 (2018 text, verified); the amount: 计量法实施细则 第四十三条
        # (1000 元以下, verified).
        (
            "SJ-CF-014",
            "对使用未经检定的强制检定计量器具的行政处罚",
            P,
            "中华人民共和国计量法",
            "第二十五条",
            "属于强制检定范围的计量器具，未按照规定申请检定或者检定不合格继续使用的，责令停止使用，可以并处罚款。",
        ),
        # 价格法 第十四条第（四）项、第四十条第一款 (verified).
        (
            "SJ-CF-015",
            "对经营者利用虚假的或者使人误解的价格手段诱骗交易的行政处罚",
            P,
            "中华人民共和国价格法",
            "第四十条第一款",
            "经营者有本法第十四条所列行为之一的，责令改正，没收违法所得，可以并处违法所得五倍以下的罚款；没有违法所得的，予以警告，可以并处罚款；情节严重的，责令停业整顿……",
        ),
        (
            "SJ-QZ-001",
            "查封、扣押不符合食品安全标准的食品及有关物品",
            C,
            FSL,
            "第一百一十条第（四）项",
            "县级以上人民政府食品安全监督管理部门……有权采取下列措施……（四）查封、扣押有证据证明不符合食品安全标准或者有证据证明存在安全隐患以及用于违法生产经营的食品……",
        ),
        (
            "SJ-JC-001",
            "食品生产经营监督检查",
            INS,
            FSL,
            "第一百一十条第（一）项",
            "进入生产经营场所实施现场检查。",
        ),
        (
            "SJ-XK-001",
            "食品经营许可",
            L,
            FSL,
            "第三十五条第一款",
            "国家对食品生产经营实行许可制度。从事食品生产、食品销售、餐饮服务，应当依法取得许可。",
        ),
    ],
    # not re-checked: 建设工程质量管理条例, 建筑法, 建设工程安全生产管理条例.
    "housing": [
        (
            "ZJ-CF-001",
            "对未取得施工许可证擅自施工的行政处罚",
            P,
            "建设工程质量管理条例",
            "第五十七条",
            "违反本条例规定，建设单位未取得施工许可证或者开工报告未经批准，擅自施工的，责令停止施工，限期改正，处工程合同价款百分之一以上百分之二以下的罚款。",
        ),
        (
            "ZJ-CF-002",
            "对建设单位未组织竣工验收擅自交付使用的行政处罚",
            P,
            "建设工程质量管理条例",
            "第五十八条第（一）项",
            "未组织竣工验收，擅自交付使用的……责令改正，处工程合同价款百分之二以上百分之四以下的罚款。",
        ),
        (
            "ZJ-CF-003",
            "对超越本单位资质等级承揽工程的行政处罚",
            P,
            "中华人民共和国建筑法",
            "第六十五条第二款",
            "超越本单位资质等级承揽工程的，责令停止违法行为，处以罚款，可以责令停业整顿，降低资质等级……",
        ),
        (
            "ZJ-CF-004",
            "对施工单位未按规定设置安全生产管理机构的行政处罚",
            P,
            "建设工程安全生产管理条例",
            "第六十二条第（一）项",
            "未设立安全生产管理机构、配备专职安全生产管理人员或者分部分项工程施工时无专职安全生产管理人员现场监督的……责令限期改正；逾期未改正的，责令停业整顿……",
        ),
        (
            "ZJ-CF-005",
            "对未取得施工许可证擅自施工的行政处罚（建筑法）",
            P,
            "中华人民共和国建筑法",
            "第六十四条",
            "违反本法规定，未取得施工许可证或者开工报告未经批准擅自施工的，责令改正，对不符合开工条件的责令停止施工，可以处以罚款。",
        ),
        # 大气污染防治法 第六十九条第三款、第一百一十五条第一款第（一）项 (verified): dust on building sites is
        # punished by 住房城乡建设等主管部门, so the law belongs to this domain too.
        (
            "ZJ-CF-006",
            "对施工工地未采取有效防尘降尘措施的行政处罚",
            P,
            "中华人民共和国大气污染防治法",
            "第一百一十五条第一款第（一）项",
            "施工工地未设置硬质围挡，或者未采取覆盖、分段作业、择时施工、洒水抑尘、冲洗地面和车辆等有效防尘降尘措施的，由县级以上人民政府住房城乡建设等主管部门按照职责责令改正，处一万元以上十万元以下的罚款；拒不改正的，责令停工整治。",
        ),
        (
            "ZJ-XK-001",
            "建筑工程施工许可",
            L,
            "中华人民共和国建筑法",
            "第七条第一款",
            "建筑工程开工前，建设单位应当按照国家有关规定向工程所在地县级以上人民政府建设行政主管部门申请领取施工许可证……",
        ),
        (
            "ZJ-JC-001",
            "建设工程质量监督检查",
            INS,
            "建设工程质量管理条例",
            "第四十八条",
            "县级以上人民政府建设行政主管部门和其他有关部门履行监督检查职责时，有权采取下列措施……",
        ),
    ],
    # verified (2021 text): 安全生产法 第六十五条、第九十七条、第九十九条、第一百零二条、第一百零五条.
    "emergency": [
        (
            "YJ-CF-001",
            "对未按规定设置安全生产管理机构或者配备安全生产管理人员的行政处罚",
            P,
            SAFETY,
            "第九十七条第（一）项",
            "未按照规定设置安全生产管理机构或者配备安全生产管理人员、注册安全工程师的……责令限期改正，处十万元以下的罚款……",
        ),
        (
            "YJ-CF-002",
            "对未如实记录安全生产教育和培训情况的行政处罚",
            P,
            SAFETY,
            "第九十七条第（四）项",
            "未如实记录安全生产教育和培训情况的……",
        ),
        (
            "YJ-CF-003",
            "对安全设备的安装、使用、检测、改造和报废不符合标准的行政处罚",
            P,
            SAFETY,
            "第九十九条第（二）项",
            "安全设备的安装、使用、检测、改造和报废不符合国家标准或者行业标准的……责令限期改正，处五万元以下的罚款……",
        ),
        (
            "YJ-CF-004",
            "对未采取措施消除事故隐患的行政处罚",
            P,
            SAFETY,
            "第一百零二条",
            "生产经营单位未采取措施消除事故隐患的，责令立即消除或者限期消除，处五万元以下的罚款……",
        ),
        (
            "YJ-CF-005",
            "对生产经营场所和员工宿舍未设有符合紧急疏散要求的出口的行政处罚",
            P,
            SAFETY,
            "第一百零五条第（二）项",
            "生产经营场所和员工宿舍未设有符合紧急疏散需要、标志明显、保持畅通的出口、疏散通道……",
        ),
        (
            "YJ-QZ-001",
            "查封、扣押不符合保障安全生产标准的设施、设备、器材",
            C,
            SAFETY,
            "第六十五条第一款第（四）项",
            "对有根据认为不符合保障安全生产的国家标准或者行业标准的设施、设备、器材以及违法生产、储存、使用、经营、运输的危险物品予以查封或者扣押……",
        ),
        (
            "YJ-JC-001",
            "安全生产监督检查",
            INS,
            SAFETY,
            "第六十五条第一款",
            "应急管理部门和其他负有安全生产监督管理职责的部门依法开展安全生产行政执法工作，对生产经营单位执行有关安全生产的法律、法规和国家标准或者行业标准的情况进行监督检查……",
        ),
    ],
    # verified: 大气污染防治法 第九十九条、水污染防治法 第八十三条; not re-checked: 环境影响评价法, 排污许可管理条例,
    # 环境保护法.
    "ecology": [
        (
            "HJ-CF-001",
            "对超过大气污染物排放标准排放大气污染物的行政处罚",
            P,
            "中华人民共和国大气污染防治法",
            "第九十九条第（二）项",
            "超过大气污染物排放标准或者超过重点大气污染物排放总量控制指标排放大气污染物的……责令改正或者限制生产、停产整治，并处十万元以上一百万元以下的罚款……",
        ),
        (
            "HJ-CF-002",
            "对超过水污染物排放标准排放水污染物的行政处罚",
            P,
            "中华人民共和国水污染防治法",
            "第八十三条第（二）项",
            "超过水污染物排放标准或者超过重点水污染物排放总量控制指标排放水污染物的……",
        ),
        (
            "HJ-CF-003",
            "对建设项目未依法报批环境影响评价文件擅自开工建设的行政处罚",
            P,
            "中华人民共和国环境影响评价法",
            "第三十一条第一款",
            "建设单位未依法报批建设项目环境影响报告书、报告表……擅自开工建设的……责令停止建设，根据违法情节和危害后果，处建设项目总投资额百分之一以上百分之五以下的罚款……",
        ),
        (
            "HJ-CF-004",
            "对未取得排污许可证排放污染物的行政处罚",
            P,
            "排污许可管理条例",
            "第三十三条第（一）项",
            "未取得排污许可证排放污染物……责令改正或者限制生产、停产整治，处20万元以上100万元以下的罚款……",
        ),
        (
            "HJ-QZ-001",
            "查封、扣押造成污染物排放的设施、设备",
            C,
            "中华人民共和国环境保护法",
            "第二十五条",
            "企业事业单位和其他生产经营者违反法律法规规定排放污染物，造成或者可能造成严重污染的……可以查封、扣押造成污染物排放的设施、设备。",
        ),
    ],
    # verified: 城市市容和环境卫生管理条例 第三十四条、第三十六条; not re-checked: 城乡规划法, 城镇排水与污水处理条例.
    "comprehensive": [
        (
            "ZF-CF-001",
            "对在城市建筑物、设施以及树木上涂写、刻画的行政处罚",
            P,
            "城市市容和环境卫生管理条例",
            "第三十四条第（二）项",
            "在城市建筑物、设施以及树木上涂写、刻画的……城市人民政府市容环境卫生行政主管部门或者其委托的单位除责令其纠正违法行为、采取补救措施外，可以并处警告、罚款。",
        ),
        (
            "ZF-CF-002",
            "对未经批准擅自设置大型户外广告影响市容的行政处罚",
            P,
            "城市市容和环境卫生管理条例",
            "第三十六条第（一）项",  # verified: 大型户外广告 is item (一); (二) is 堆放物料、搭建设施
            "未经城市人民政府市容环境卫生行政主管部门同意，擅自设置大型户外广告，影响市容的……",
        ),
        (
            "ZF-CF-003",
            "对未取得建设工程规划许可证进行建设的行政处罚",
            P,
            "中华人民共和国城乡规划法",
            "第六十四条",
            "未取得建设工程规划许可证或者未按照建设工程规划许可证的规定进行建设的，由县级以上地方人民政府城乡规划主管部门责令停止建设……",
        ),
        (
            "ZF-CF-004",
            "对排水户未取得污水排入排水管网许可证排放污水的行政处罚",
            P,
            "城镇排水与污水处理条例",
            "第五十条第一款",
            "违反本条例规定，排水户未取得污水排入排水管网许可证向城镇排水设施排放污水的，由城镇排水主管部门责令停止违法行为，限期采取治理措施，补办污水排入排水管网许可证，可以处50万元以下罚款……",
        ),
        # 城市市容和环境卫生管理条例 第十四条、第三十六条第（二）项 (verified): 占道经营 is this agency's, not the
        # market regulator's.
        (
            "ZF-CF-005",
            "对擅自在街道两侧和公共场地堆放物料、搭建设施的行政处罚",
            P,
            "城市市容和环境卫生管理条例",
            "第三十六条第（二）项",
            "未经城市人民政府市容环境卫生行政主管部门批准，擅自在街道两侧和公共场地堆放物料，搭建建筑物、构筑物或者其他设施，影响市容的……责令其停止违法行为，限期清理、拆除或者采取其他补救措施，并可处以罚款。",
        ),
    ],
    # verified: 土地管理法 第七十五条、第七十七条; 矿产资源法 (2024) 第六十四条.
    "natural_resources": [
        (
            "ZR-CF-001",
            "对未经批准非法占用土地的行政处罚",
            P,
            "中华人民共和国土地管理法",
            "第七十七条第一款",
            "未经批准或者采取欺骗手段骗取批准，非法占用土地的，由县级以上人民政府自然资源主管部门责令退还非法占用的土地……可以并处罚款……",
        ),
        (
            "ZR-CF-002",
            "对占用耕地建窑、建坟或者擅自在耕地上建房、挖砂、采石、采矿、取土等破坏种植条件的行政处罚",
            P,
            "中华人民共和国土地管理法",
            "第七十五条",
            "违反本法规定，占用耕地建窑、建坟或者擅自在耕地上建房、挖砂、采石、采矿、取土等，破坏种植条件的……责令限期改正或者治理，可以并处罚款……",
        ),
        # 矿产资源法 as revised on 2024-11-08 (in force 2025-07-01; verified): the former 第三十九条 is now 第六十四条.
        (
            "ZR-CF-003",
            "对未取得采矿权开采矿产资源的行政处罚",
            P,
            "中华人民共和国矿产资源法",
            "第六十四条第一款",
            "违反本法规定，未取得采矿权开采矿产资源的，由县级以上人民政府自然资源主管部门责令停止违法行为，没收直接用于违法开采的工具、设备以及违法采出的矿产品，并处违法采出的矿产品市场价值三倍以上五倍以下罚款……",
        ),
    ],
    # verified: 水法 第六十五条、第六十九条.
    "water": [
        (
            "SL-CF-001",
            "对在河道管理范围内建设妨碍行洪的建筑物、构筑物的行政处罚",
            P,
            "中华人民共和国水法",
            "第六十五条第一款",
            "在河道管理范围内建设妨碍行洪的建筑物、构筑物……由县级以上人民政府水行政主管部门或者流域管理机构依据职权，责令停止违法行为，限期拆除违法建筑物、构筑物，恢复原状……并处一万元以上十万元以下的罚款。",
        ),
        (
            "SL-CF-002",
            "对未经批准擅自取水的行政处罚",
            P,
            "中华人民共和国水法",
            "第六十九条第（一）项",
            "未经批准擅自取水的……责令停止违法行为，限期采取补救措施，处二万元以上十万元以下的罚款……",
        ),
    ],
    # verified: 公路法 第七十六条; not re-checked: 公路安全保护条例.
    "transport": [
        (
            "JT-CF-001",
            "对擅自占用、挖掘公路的行政处罚",
            P,
            "中华人民共和国公路法",
            "第七十六条第（一）项",  # verified: (一) 擅自占用、挖掘公路 (第四十四条第一款); (二) is 修建桥梁、管线
            "违反本法第四十四条第一款规定，擅自占用、挖掘公路的……由交通主管部门责令停止违法行为，可以处三万元以下的罚款。",
        ),
        (
            "JT-CF-002",
            "对车辆超限使用汽车渡船或者在公路上擅自超限行驶的行政处罚",
            P,
            "公路安全保护条例",
            "第六十四条",
            "违反本条例的规定，在公路上行驶的车辆，车货总体的外廓尺寸、轴荷或者总质量超过公路、公路桥梁、公路隧道、汽车渡船限定标准的，由公路管理机构责令改正，可以处3万元以下的罚款。",
        ),
    ],
    # verified: 互联网上网服务营业场所管理条例 第三十一条; not re-checked: 旅游法 第九十五条.
    "culture_tourism": [
        (
            "WL-CF-001",
            "对互联网上网服务营业场所接纳未成年人的行政处罚",
            P,
            "互联网上网服务营业场所管理条例",
            "第三十一条第（二）项",
            "接纳未成年人进入营业场所的……由文化行政部门给予警告，可以并处15000元以下的罚款……",
        ),
        (
            "WL-CF-002",
            "对未经许可经营旅行社业务的行政处罚",
            P,
            "中华人民共和国旅游法",
            "第九十五条第一款",
            "违反本法规定，未经许可经营旅行社业务的，由旅游主管部门或者市场监督管理部门责令改正，没收违法所得，并处一万元以上十万元以下罚款……",
        ),
    ],
}

# (list, number, title, item code, conditions text, checklist, basis suffix)
ENTRIES: list[tuple[str, str, str, str, str, list[str], str]] = [
    (
        LenientKind.NO_PENALTY,
        "1",
        "食品标签、说明书存在瑕疵",
        "SJ-CF-004",
        "初次违法，标签瑕疵不影响食品安全且不会对消费者造成误导，在责令改正期限内改正，没有造成危害后果。",
        ["首次违法", "不影响食品安全且不会误导消费者", "及时改正", "没有造成危害后果"],
        "第一款",
    ),
    (
        LenientKind.NO_PENALTY,
        "2",
        "未将营业执照置于经营场所醒目位置",
        "SJ-CF-012",
        "首次被发现，责令改正后当场或者在限期内改正。",
        ["首次违法", "及时改正", "没有造成危害后果"],
        "第一款",
    ),
    (
        LenientKind.NO_PENALTY,
        "3",
        "未按规定明码标价，首次违法且及时改正",
        "SJ-CF-007",
        "首次违法，违法所得低于 500 元，及时改正，危害后果轻微。",
        ["首次违法", "违法所得低于 500 元", "及时改正", "危害后果轻微"],
        "第一款",
    ),
    (
        LenientKind.LIGHTER,
        "1",
        "销售超过保质期的食品，主动消除或者减轻危害后果",
        "SJ-CF-002",
        "主动召回、销毁涉案食品，主动消除或者减轻违法行为危害后果，如实陈述。",
        ["主动消除或者减轻危害后果", "如实陈述违法事实"],
        "第一款第（一）项",
    ),
    (
        LenientKind.MITIGATED,
        "1",
        "受他人诱骗发布虚假广告",
        "SJ-CF-006",
        "有证据证明受他人胁迫或者诱骗实施违法行为，且已停止发布、消除影响。",
        ["受他人胁迫或者诱骗", "已停止违法行为"],
        "第一款第（二）项",
    ),
    (
        LenientKind.NO_COMPULSION,
        "1",
        "标签瑕疵食品不予查封、扣押",
        "SJ-QZ-001",
        "标签瑕疵不影响食品安全、不会对消费者造成误导，情节显著轻微，没有明显社会危害。",
        ["情节显著轻微", "没有明显社会危害"],
        "",
    ),
    (
        LenientKind.LIGHTER,
        "1",
        "未如实记录安全生产教育和培训情况，及时补正",
        "YJ-CF-002",
        "在检查中主动补正培训记录，配合查处，如实陈述。",
        ["主动消除或者减轻危害后果", "如实陈述违法事实"],
        "第一款第（一）项",
    ),
]
# Issued by the county government for every agency of the county: 综合行政执法 (市容).
COUNTY_ENTRIES: list[tuple[str, str, str, str, str, list[str], str]] = [
    (
        LenientKind.NO_PENALTY,
        "县-1",
        "在建筑物、设施上涂写、刻画，首次且及时清除",
        "ZF-CF-001",
        "首次违法，面积较小，在责令期限内自行清除，没有造成危害后果。",
        ["首次违法", "及时改正", "没有造成危害后果"],
        "第一款",
    ),
]


def _basis(kind: str, suffix: str) -> str:
    return LENIENT_BASIS[kind] + suffix


def build_catalog_demo(context: Any) -> None:
    start: dt.date = context.today
    names = {spec.key: spec.name for spec in COUNTY_AGENCIES}
    agencies = {a.name: a for a in Agency.objects.filter(region__code=COUNTY[0], name__in=names.values())}
    domains = {d.code: d for d in Domain.objects.all()}
    written = 0
    for key, rows in ITEMS.items():
        agency = agencies.get(names.get(key, ""))
        domain = domains.get(key)
        if agency is None or domain is None:
            continue
        for code, name, kind, law, article, text in rows:
            data = ItemData(code, name, kind, domain, law, article, text, start)
            _write_version(None, agency, data, source="demo")
            written += 1
    market = agencies.get(names["market"])
    if market is not None:
        # 新版本: the price-marking item follows the 明码标价和禁止价格欺诈规定 from next 1 January.
        v2 = dt.date(start.year + 1, 1, 1)
        code, name, kind, law, article, text = next(r for r in ITEMS["market"] if r[0] == "SJ-CF-007")
        _write_version(
            None,
            market,
            ItemData(
                code,
                name,
                kind,
                domains["market"],
                law,
                article,
                # the rule's own article is not cited: its number could not be verified against the current text
                text + "（自下一年度起同时依据《明码标价和禁止价格欺诈规定》执行）",
                v2,
            ),
            source="demo",
        )
        written += 1
    by_code = {code: key for key, rows in ITEMS.items() for code, *_ in rows}
    entries = 0
    for kind, number, title, code, text, checks, suffix in ENTRIES:
        agency = agencies.get(names[by_code[code]])
        if agency is None:
            continue
        write_entry(
            None,
            EntryData(kind, number, title, [code], text, checks, _basis(kind, suffix), start),
            agency=agency,
            region=None,
            source="demo",
        )
        entries += 1
    county = Region.objects.filter(code=COUNTY[0]).first()
    if county is not None:
        for kind, number, title, code, text, checks, suffix in COUNTY_ENTRIES:
            write_entry(
                None,
                EntryData(kind, number, title, [code], text, checks, _basis(kind, suffix), start),
                agency=None,
                region=county,
                source="demo",
            )
            entries += 1
    context.say(f"执法事项目录：{written} 个事项版本；四张清单：{entries} 项")


# 主体资格确认 (step 51): every enforcing agency of the demo county confirmed for the demo year by 示范县司法局,
# except one whose request still waits (水利局) and one that never asked (自然资源局) — after 31 March both are
# flagged; 交通运输局's 权责清单 was returned once (a code without its basis) and confirmed on the second request.
CONFIRMATION_PENDING = "示范县水利局"
CONFIRMATION_MISSING = "示范县自然资源局"
CONFIRMATION_RETURNED = "示范县交通运输局"


def build_confirmation_demo(context: Any) -> None:
    today: dt.date = context.today
    users = {
        u.username: u
        for u in User.objects.filter(username__in=["demo_head", "demo_admin", "demo_supervisor"])
    }
    if len(users) < 3:
        return
    head, admin, bureau = users["demo_head"], users["demo_admin"], users["demo_supervisor"]
    requested_on = min(today, dt.date(today.year, 3, 10))
    returned_on = min(today, dt.date(today.year, 3, 14))
    again_on = min(today, dt.date(today.year, 3, 17))
    confirmed_on = min(today, dt.date(today.year, 3, 24))
    county = Region.objects.filter(code=COUNTY[0]).first()
    if county is None:
        return
    agencies = list(  # the county's agencies and those of its townships (the market bureau's 派出所)
        Agency.objects.filter(
            region__path__startswith=county.path, is_active=True, is_supervision_organ=False
        )
        .select_related("region", "parent")
        .order_by("name")
    )
    needed = selectors.required_kinds([a.pk for a in agencies])
    confirmed = 0
    for agency in agencies:
        if agency.name == CONFIRMATION_MISSING:
            continue
        actor = head if agency.path.startswith(_market_path(agencies)) else admin
        for kind in needed[agency.pk]:
            if agency.name == CONFIRMATION_RETURNED and kind == "catalog":
                first = services.confirmation_request(
                    actor=actor, agency=agency, year=today.year, kind=kind, on=requested_on
                )
                services.confirmation_return(
                    actor=bureau,
                    confirmation=first,
                    reason="事项编码 JT-CF-002 的条文内容与法律依据不一致，请核对后重新提交。",
                    on=returned_on,
                )
                row = services.confirmation_request(
                    actor=actor,
                    agency=agency,
                    year=today.year,
                    kind=kind,
                    note="已按退回意见核对。",
                    on=again_on,
                )
            else:
                row = services.confirmation_request(
                    actor=actor, agency=agency, year=today.year, kind=kind, on=requested_on
                )
            if agency.name == CONFIRMATION_PENDING:
                continue
            services.confirmation_confirm(
                actor=bureau,
                confirmation=row,
                remarks="经审查，予以确认。",
                on=max(confirmed_on, row.requested_on),
            )
            confirmed += 1
    context.say(
        f"主体资格确认：{confirmed} 项已确认，{CONFIRMATION_PENDING}待确认，{CONFIRMATION_MISSING}未申请"
    )


def _market_path(agencies: list[Agency]) -> str:
    market = next((a for a in agencies if a.name == COUNTY_AGENCIES[0].name), None)
    return market.path if market is not None else "\x00"
