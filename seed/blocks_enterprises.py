"""Hand-written building blocks: the demo pilot enterprises (试点企业) and supply chains.

Each enterprise: key, name, district (appended to its city), industry code, size,
专精特新 tier, level, budget (万元), batch. Keys tie enterprises to chains and demo users.
"""

from __future__ import annotations

from typing import NamedTuple


class EnterpriseBlock(NamedTuple):
    key: str
    name: str
    district: str
    industry: str
    size: str
    srdi_tier: str
    level: str
    budget_wan: float | None
    batch: int | None


class LinkBlock(NamedTuple):
    leader: str
    member: str
    via: str | None
    relation: str
    share: float | None


CITIES: dict[str, str] = {
    "jj": "江西省九江市",
    "xx": "河南省新乡市",
    "cj": "新疆维吾尔自治区昌吉回族自治州",
}

E = EnterpriseBlock
_N, _I, _P, _G = "无", "创新型中小企业", "省级专精特新", "国家级小巨人"

ENTERPRISES: dict[str, list[EnterpriseBlock]] = {
    "jj": [
        E("jj_lead", "九江长庐化工集团股份有限公司", "湖口县", "C261", "规上", _N, "三级", 180, 1),
        E("jj_huagui", "瑞昌市华硅新材料有限公司", "瑞昌市", "C261", "规上", _P, "二级", 60, 1),
        E("jj_jiangan", "彭泽县江安精细化工有限公司", "彭泽县", "C261", "规上", _N, "二级", 40, 1),
        E("jj_yonglian", "九江永联氟化工有限公司", "永修县", "C261", "规上", _G, "三级", 90, 1),
        E("jj_runhe", "湖口县润禾催化材料有限公司", "湖口县", "C261", "规下", _I, "一级", 15, 2),
        E("jj_hengda", "永修县恒达硅业有限公司", "永修县", "C261", "规上", _N, "一级", 30, 2),
        E("jj_shuangyang", "九江柴桑双氧水有限公司", "柴桑区", "C261", "规下", _N, "一级", 12, 2),
        E("jj_mingyuan", "都昌县明远化学试剂有限公司", "都昌县", "C261", "规下", _N, "未评测", 8, 2),
        E("jj_lianchuang", "九江德安联创化学有限公司", "德安县", "C261", "规上", _I, "二级", 35, 1),
        E("jj_tianyu", "彭泽县天宇无机盐有限公司", "彭泽县", "C261", "规下", _N, "一级", 10, 2),
        E("jj_huili", "九江汇力工业气体有限公司", "濂溪区", "C261", "规下", _I, "二级", 18, 2),
        E("jj_qingshan", "武宁县青山硫化工有限公司", "武宁县", "C261", "规下", _N, "未评测", 6, 3),
        E("jj_hualun", "共青城华纶印染有限公司", "共青城市", "C171", "规上", _P, "二级", 50, 1),
        E("jj_xunmian", "九江浔棉纺织有限公司", "柴桑区", "C171", "规上", _N, "二级", 35, 1),
        E("jj_jincheng", "都昌县锦程纺织有限公司", "都昌县", "C171", "规下", _N, "一级", 10, 2),
        E("jj_hengrun", "德安县恒润棉业有限公司", "德安县", "C171", "规上", _N, "一级", 25, 1),
        E("jj_yaqi", "共青城雅琪针织印染有限公司", "共青城市", "C171", "规下", _I, "一级", 12, 2),
        E("jj_xinyuan", "九江鑫源纱业有限公司", "柴桑区", "C171", "规上", _N, "二级", 30, 2),
        E("jj_ninghong", "修水县宁红纺织有限公司", "修水县", "C171", "规下", _N, "未评测", 5, 3),
        E("jj_huada", "瑞昌市华达印染有限公司", "瑞昌市", "C171", "规上", _I, "二级", 40, 1),
        E("jj_yunju", "永修县云居棉纺有限公司", "永修县", "C171", "规下", _N, "一级", 8, 2),
        E("jj_caidie", "九江彩蝶家纺有限公司", "濂溪区", "C171", "规下", _N, "一级", 9, 3),
        E("jj_jingtai", "九江晶泰电子器件有限公司", "濂溪区", "C397", "规上", _G, "三级", 80, 1),
        E("jj_xinda", "共青城信达光电有限公司", "共青城市", "C397", "规上", _P, "二级", 45, 1),
        E("jj_hongwei", "九江鸿威电子有限公司", "浔阳区", "C397", "规下", _I, "一级", 12, 2),
        E("jj_jingcheng", "瑞昌市精诚光电器件有限公司", "瑞昌市", "C397", "规下", _N, "一级", 10, 2),
        E("jj_yingke", "九江英科功率半导体有限公司", "濂溪区", "C397", "规上", _I, "二级", 60, 1),
        E("jj_minghui", "德安县明辉照明器件有限公司", "德安县", "C397", "规下", _N, "未评测", 6, 3),
        E("jj_hongdian", "永修县宏电显示器件有限公司", "永修县", "C397", "规上", _N, "二级", 28, 2),
        E("jj_tiancheng", "九江天成电子有限公司", "柴桑区", "C397", "规下", _N, "一级", 8, 3),
    ],
    "xx": [
        E("xx_lead", "长垣恒岳起重集团股份有限公司", "长垣市", "C343", "规上", _G, "三级", 260, 1),
        E("xx_zhenyu", "长垣市振宇起重配件有限公司", "长垣市", "C343", "规下", _N, "一级", 8, 2),
        E("xx_hongli", "长垣市宏力电动葫芦有限公司", "长垣市", "C343", "规上", _P, "二级", 40, 1),
        E("xx_anda", "长垣市安达吊索具有限公司", "长垣市", "C343", "规下", _I, "一级", 10, 2),
        E("xx_dingcheng", "新乡市鼎诚减速机有限公司", "红旗区", "C34", "规上", _N, "二级", 30, 1),
        E("xx_huake", "新乡县华科起重电器有限公司", "新乡县", "C382", "规上", _I, "二级", 25, 1),
        E("xx_jinqiao", "长垣市金桥起重结构件有限公司", "长垣市", "C343", "规下", _N, "一级", 9, 2),
        E("xx_tongda", "长垣市通达起重机械有限公司", "长垣市", "C343", "规上", _N, "二级", 35, 1),
        E("xx_changsheng", "卫辉市昌盛吊装设备有限公司", "卫辉市", "C343", "规下", _N, "未评测", 6, 3),
        E("xx_yuguan", "长垣市豫冠防爆起重设备有限公司", "长垣市", "C343", "规上", _P, "二级", 45, 2),
        E("xx_liyuan", "辉县市力源制动器有限公司", "辉县市", "C343", "规下", _I, "一级", 12, 2),
        E("xx_liantai", "新乡联泰起重车轮有限公司", "卫滨区", "C343", "规下", _N, "一级", 7, 3),
        E("xx_kangjie", "长垣市康洁卫生材料有限公司", "长垣市", "C277", "规上", _P, "二级", 45, 1),
        E("xx_huakang", "长垣市华康医用敷料有限公司", "长垣市", "C277", "规上", _N, "二级", 30, 1),
        E("xx_ruifeng", "长垣市瑞丰医用耗材有限公司", "长垣市", "C277", "规下", _N, "一级", 10, 2),
        E("xx_antai", "长垣市安泰一次性医疗器械有限公司", "长垣市", "C358", "规上", _I, "二级", 38, 1),
        E("xx_yiruikang", "新乡医瑞康医疗器械有限公司", "牧野区", "C358", "规上", _G, "三级", 70, 1),
        E("xx_hengsheng", "新乡恒生医疗设备有限公司", "卫滨区", "C358", "规下", _I, "一级", 15, 2),
        E("xx_baijie", "新乡县百洁防护用品有限公司", "新乡县", "C277", "规下", _N, "未评测", 5, 3),
        E("xx_kangyuan", "原阳县康源医疗器械有限公司", "原阳县", "C358", "规下", _N, "一级", 8, 3),
        E("xx_borui", "长垣市博瑞麻醉耗材有限公司", "长垣市", "C358", "规上", _N, "二级", 26, 2),
        E("xx_hengtong", "新乡恒通转向部件有限公司", "红旗区", "C367", "规上", _G, "三级", 90, 1),
        E("xx_luda", "新乡市路达汽车滤清器有限公司", "卫滨区", "C367", "规上", _P, "二级", 40, 1),
        E("xx_hongye", "新乡宏业车桥配件有限公司", "凤泉区", "C367", "规上", _N, "二级", 28, 2),
        E("xx_xinsheng", "获嘉县鑫盛汽车铸件有限公司", "获嘉县", "C367", "规上", _N, "一级", 25, 2),
        E("xx_jinpeng", "新乡市金鹏密封件有限公司", "新乡县", "C367", "规下", _I, "一级", 10, 2),
        E("xx_lida", "延津县利达汽车线束有限公司", "延津县", "C367", "规下", _N, "一级", 8, 3),
        E("xx_zhongqi", "原阳县中汽制动部件有限公司", "原阳县", "C367", "规下", _N, "未评测", 6, 3),
        E("xx_ruichi", "新乡锐驰减振器有限公司", "牧野区", "C367", "规上", _I, "二级", 32, 1),
        E("xx_runfeng", "新乡县润丰精细化工有限公司", "新乡县", "C26", "规上", _N, "二级", 35, 1),
        E("xx_yongxing", "新乡永兴工业涂料有限公司", "凤泉区", "C26", "规上", _I, "二级", 30, 1),
        E("xx_lianhe", "获嘉县联合新材料有限公司", "获嘉县", "C26", "规下", _N, "一级", 12, 2),
        E("xx_yuxin", "卫辉市豫新电池材料有限公司", "卫辉市", "C26", "规上", _P, "二级", 55, 1),
        E("xx_hengyuan", "封丘县恒源助剂有限公司", "封丘县", "C26", "规下", _N, "未评测", 6, 3),
    ],
    "cj": [
        E("cj_lead", "昌吉西域电气集团股份有限公司", "昌吉市", "C382", "规上", _G, "三级", 220, 1),
        E("cj_tianrui", "昌吉市天瑞开关设备有限公司", "昌吉市", "C382", "规上", _P, "二级", 40, 1),
        E("cj_jinsi", "昌吉市金丝电磁线有限公司", "昌吉市", "C38", "规上", _N, "二级", 35, 1),
        E("cj_hengdian", "玛纳斯县恒电绝缘材料有限公司", "玛纳斯县", "C38", "规下", _I, "一级", 12, 2),
        E("cj_beiting", "昌吉市北庭电力电缆有限公司", "昌吉市", "C38", "规上", _N, "二级", 30, 2),
        E("cj_hongguang", "呼图壁县宏光电气成套设备有限公司", "呼图壁县", "C382", "规下", _N, "一级", 10, 2),
        E("cj_xinneng", "奇台县新能电力金具有限公司", "奇台县", "C382", "规下", _N, "未评测", 6, 3),
        E("cj_zhunbei", "吉木萨尔县准北铝业有限公司", "吉木萨尔县", "C32", "规上", _N, "三级", 150, 1),
        E("cj_yinhe", "昌吉市银河铝箔有限公司", "昌吉市", "C32", "规上", _P, "二级", 50, 1),
        E("cj_xilv", "昌吉市西铝合金棒材有限公司", "昌吉市", "C32", "规上", _N, "二级", 35, 1),
        E("cj_jinyuan", "奇台县金源铜业有限公司", "奇台县", "C32", "规上", _N, "一级", 30, 2),
        E("cj_huaxin", "阜康市华鑫镁业有限公司", "阜康市", "C32", "规下", _N, "一级", 12, 2),
        E("cj_zhongcheng", "玛纳斯县众成铝型材有限公司", "玛纳斯县", "C32", "规下", _I, "一级", 10, 2),
        E("cj_boda", "昌吉市博达铝线缆材料有限公司", "昌吉市", "C32", "规上", _I, "二级", 28, 1),
        E("cj_jingui", "准东金硅科技有限公司", "吉木萨尔县", "C32", "规下", _N, "未评测", 8, 3),
        E("cj_tianlong", "阜康市天龙煤化工有限公司", "阜康市", "C26", "规上", _N, "二级", 80, 1),
        E("cj_xinyuan", "阜康市鑫源氯碱化工有限公司", "阜康市", "C261", "规上", _N, "二级", 60, 1),
        E("cj_boya", "昌吉市博亚精细化工有限公司", "昌吉市", "C26", "规下", _I, "一级", 15, 2),
        E("cj_yatai", "玛纳斯县亚泰化肥有限公司", "玛纳斯县", "C26", "规上", _N, "一级", 25, 2),
        E("cj_runda", "奇台县润达环氧树脂有限公司", "奇台县", "C26", "规上", _P, "二级", 32, 1),
        E("cj_hongtai", "吉木萨尔县宏泰炭素有限公司", "吉木萨尔县", "C30", "规上", _N, "一级", 28, 2),
        E("cj_hengfeng", "呼图壁县恒丰化工助剂有限公司", "呼图壁县", "C26", "规下", _N, "未评测", 5, 3),
        E("cj_fanqie", "昌吉市天山番茄制品有限公司", "昌吉市", "C14", "规上", _N, "二级", 30, 1),
        E("cj_lvyuan", "呼图壁县绿原乳业有限公司", "呼图壁县", "C14", "规上", _P, "二级", 40, 1),
        E("cj_jinsui", "玛纳斯县金穗面粉有限公司", "玛纳斯县", "C13", "规上", _N, "一级", 20, 2),
        E("cj_xuemai", "奇台县雪麦农产品加工有限公司", "奇台县", "C13", "规下", _N, "一级", 8, 2),
        E("cj_mianxiang", "昌吉市棉香纺织有限公司", "昌吉市", "C17", "规上", _N, "二级", 35, 1),
        E("cj_tianmian", "呼图壁县天棉纱业有限公司", "呼图壁县", "C17", "规上", _I, "一级", 25, 2),
        E("cj_tingzhou", "吉木萨尔县庭州酱醋食品有限公司", "吉木萨尔县", "C14", "规下", _N, "未评测", 5, 3),
        E("cj_mianzi", "昌吉市丝路棉籽油脂有限公司", "昌吉市", "C13", "规下", _I, "一级", 10, 2),
    ],
}

L = LinkBlock
_SUP, _CUS, _OUT = "供应商", "客户", "外协"

# One chain per city; cj_runda is shared by the 九江 and 昌吉 chains.
LINKS: list[LinkBlock] = [
    L("jj_lead", "jj_runhe", None, _SUP, 0.4),
    L("jj_lead", "jj_huili", None, _SUP, 0.5),
    L("jj_lead", "jj_shuangyang", None, _SUP, 0.25),
    L("jj_lead", "jj_mingyuan", None, _SUP, 0.1),
    L("jj_lead", "jj_qingshan", None, _SUP, 0.2),
    L("jj_lead", "jj_huagui", None, _CUS, None),
    L("jj_lead", "jj_yonglian", None, _CUS, None),
    L("jj_lead", "jj_hualun", None, _CUS, None),
    L("jj_lead", "jj_huada", None, _CUS, None),
    L("jj_lead", "jj_jiangan", None, _OUT, None),
    L("jj_lead", "jj_lianchuang", None, _OUT, None),
    L("jj_lead", "cj_runda", None, _CUS, None),
    L("jj_lead", "jj_tianyu", "jj_shuangyang", _SUP, 0.3),
    L("jj_lead", "jj_hengda", "jj_huagui", _SUP, 0.35),
    L("jj_lead", "jj_jincheng", "jj_hualun", _SUP, 0.2),
    L("xx_lead", "xx_zhenyu", None, _SUP, 0.2),
    L("xx_lead", "xx_hongli", None, _SUP, 0.45),
    L("xx_lead", "xx_anda", None, _SUP, 0.3),
    L("xx_lead", "xx_dingcheng", None, _SUP, 0.35),
    L("xx_lead", "xx_huake", None, _SUP, 0.4),
    L("xx_lead", "xx_liyuan", None, _SUP, 0.5),
    L("xx_lead", "xx_liantai", None, _SUP, 0.6),
    L("xx_lead", "xx_yongxing", None, _SUP, 0.7),
    L("xx_lead", "xx_jinqiao", None, _OUT, None),
    L("xx_lead", "xx_tongda", None, _OUT, None),
    L("xx_lead", "xx_yuguan", None, _OUT, None),
    L("xx_lead", "xx_changsheng", None, _CUS, None),
    L("xx_lead", "xx_xinsheng", "xx_dingcheng", _SUP, 0.4),
    L("xx_lead", "xx_jinpeng", "xx_dingcheng", _SUP, 0.3),
    L("xx_lead", "xx_lida", "xx_huake", _SUP, 0.25),
    L("cj_lead", "cj_jinsi", None, _SUP, 0.5),
    L("cj_lead", "cj_hengdian", None, _SUP, 0.4),
    L("cj_lead", "cj_beiting", None, _SUP, 0.3),
    L("cj_lead", "cj_xinneng", None, _SUP, 0.25),
    L("cj_lead", "cj_runda", None, _SUP, 0.35),
    L("cj_lead", "cj_boda", None, _SUP, 0.3),
    L("cj_lead", "cj_yinhe", None, _SUP, 0.2),
    L("cj_lead", "cj_tianrui", None, _OUT, None),
    L("cj_lead", "cj_hongguang", None, _CUS, None),
    L("cj_lead", "cj_zhunbei", "cj_boda", _SUP, 0.6),
    L("cj_lead", "cj_xilv", "cj_beiting", _SUP, 0.3),
    L("cj_lead", "cj_xinyuan", "cj_runda", _SUP, 0.5),
]
