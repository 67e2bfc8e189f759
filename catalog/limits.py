"""The bounds of every value a user can type: lengths of texts, sizes of lists, ranges of numbers.

The schemas (each feature's schemas.py, built on catalog/fields.py) declare them on their
fields, so the API, the pages and the importer enforce the same bounds; the matcher (matching/records.py) caps
what it analyses with the same figures, so a record stored before the bounds existed costs no
more to read than one stored after.
"""

from __future__ import annotations

NAME_CHARS = 100  # a company's, a product's or an event's name
CODE_CHARS = 40  # a product code, a need code
REGION_CHARS = 60  # 省/市/区, e.g. 新疆维吾尔自治区昌吉回族自治州昌吉市
DESCRIPTION_CHARS = 2_000  # a provider's or a product's description
NEED_TEXT_CHARS = 1_000  # one line of a need list, in the enterprise's own words
PERSON_CHARS = 40  # a contact's name
REMARK_CHARS = 500  # a reason, a remark, a comment
PLACE_CHARS = 200  # an event's place
LIST_ITEM_CHARS = 60  # one keyword, certification or region of a list
LIST_ITEMS = 30  # keywords, certifications, industries, scenarios per record
REGION_ITEMS = 50  # the regions a provider serves
REGION_MIN_CHARS = 2  # a bureau's region: one character (江) would match far more than meant
BUREAU_REGION_ITEMS = 20  # the regions one bureau account administers
EVENT_ITEMS = 50  # needs or products a participant brings to an event
PASSWORD_MIN_CHARS = 8  # a new password, wherever it is set (account, password change, 入驻申请)
PASSWORD_MAX_CHARS = 256

MONEY_WAN = 1_000_000.0  # 100 亿元: a budget, in 万元
CONTRACT_WAN = 100_000.0  # 10 亿元: one engagement's contract, in 万元 (and more than 0), signed or corrected
PRICE_WAN = 100_000.0  # a product's price, in 万元
CAPACITY = 10_000  # enterprises a provider can serve at once
DEPLOY_DAYS = 3_650  # ten years
BATCH = 100  # the pilot's batches
BULK_ITEMS = 200  # records one bulk action (入库, 暂停, 退出, 优秀) changes at once
MAX_ID = 2_147_483_647  # a record id: the databases' INTEGER range

# Raw input longer than this many times a field's bound is refused before it is cleaned,
# so the cost of rejecting it does not grow with its size.
RAW_FACTOR = 4
