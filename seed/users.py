"""The demo users: at least one per role, bound to named demo records.

Bindings name a provider or an enterprise by its company name as it appears in seed/data;
the loader resolves the name to the USCC, then to the stored record. All demo accounts
share one demo password (listed in the README); change them before any real use.
"""

from __future__ import annotations

from typing import NamedTuple

from catalog.users.models import Role

DEMO_PASSWORD = "demo12345"

JIUJIANG = "江西省九江市"
XINXIANG = "河南省新乡市"
CHANGJI = "新疆维吾尔自治区昌吉回族自治州"


class DemoUser(NamedTuple):
    username: str
    role: Role
    display_name: str
    regions: tuple[str, ...] = ()
    provider: str | None = None  # provider name in seed/data/catalog.json
    enterprise: str | None = None  # enterprise name in seed/data/enterprises.json
    password: str = DEMO_PASSWORD


DEMO_USERS: list[DemoUser] = [
    DemoUser("jiujiang_bureau", Role.BUREAU, "九江市工信局数字化转型专班", (JIUJIANG,)),
    DemoUser("xinxiang_bureau", Role.BUREAU, "新乡市工信局数字化转型专班", (XINXIANG,)),
    DemoUser("changji_bureau", Role.BUREAU, "昌吉州工信局数字化转型专班", (CHANGJI,)),
    DemoUser("admin_bureau", Role.BUREAU, "试点城市联合管理员", (JIUJIANG, XINXIANG, CHANGJI)),
    DemoUser("provider_xunzhi", Role.PROVIDER, "九江浔阳智造科技 · 周经理",
             provider="九江浔阳智造科技有限公司"),
    DemoUser("provider_weihe", Role.PROVIDER, "新乡卫河数智科技 · 项目经理",
             provider="新乡卫河数智科技有限公司"),
    DemoUser("provider_tianshan", Role.PROVIDER, "昌吉天山数智科技 · 项目经理",
             provider="昌吉天山数智科技有限公司"),
    DemoUser("provider_qingfan", Role.PROVIDER, "杭州轻帆云工业软件 · 渠道经理",
             provider="杭州轻帆云工业软件有限公司"),
    DemoUser("provider_pending", Role.PROVIDER, "新乡牧原汇智信息科技（待审核）",
             provider="新乡牧原汇智信息科技有限公司"),
    DemoUser("enterprise_hualun", Role.ENTERPRISE, "共青城华纶印染 · 信息化负责人",
             enterprise="共青城华纶印染有限公司"),
    DemoUser("enterprise_kangjie", Role.ENTERPRISE, "长垣市康洁卫生材料 · 生产副总",
             enterprise="长垣市康洁卫生材料有限公司"),
    DemoUser("enterprise_yinhe", Role.ENTERPRISE, "昌吉市银河铝箔 · 总经理办公室",
             enterprise="昌吉市银河铝箔有限公司"),
    DemoUser("enterprise_hongli", Role.ENTERPRISE, "长垣市宏力电动葫芦 · 厂长",
             enterprise="长垣市宏力电动葫芦有限公司"),
    DemoUser("leader_changlu", Role.CHAIN_LEADER, "九江长庐化工集团 · 链主协同办",
             enterprise="九江长庐化工集团股份有限公司"),
    DemoUser("leader_hengyue", Role.CHAIN_LEADER, "长垣恒岳起重集团 · 供应链管理部",
             enterprise="长垣恒岳起重集团股份有限公司"),
    DemoUser("leader_xiyu", Role.CHAIN_LEADER, "昌吉西域电气集团 · 链主协同办",
             enterprise="昌吉西域电气集团股份有限公司"),
]
