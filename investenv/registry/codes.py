"""Code lists used by the registry: industries (GB/T 4754-2017 门类) and investor origins."""

INDUSTRIES = {
    "A": "农、林、牧、渔业",
    "B": "采矿业",
    "C": "制造业",
    "D": "电力、热力、燃气及水生产和供应业",
    "E": "建筑业",
    "F": "批发和零售业",
    "G": "交通运输、仓储和邮政业",
    "H": "住宿和餐饮业",
    "I": "信息传输、软件和信息技术服务业",
    "J": "金融业",
    "K": "房地产业",
    "L": "租赁和商务服务业",
    "M": "科学研究和技术服务业",
    "N": "水利、环境和公共设施管理业",
    "O": "居民服务、修理和其他服务业",
    "P": "教育",
    "Q": "卫生和社会工作",
    "R": "文化、体育和娱乐业",
    "S": "公共管理、社会保障和社会组织",
    "T": "国际组织",
}

ABROAD = "境外"

ORIGIN_PROVINCES = (
    "北京市", "天津市", "河北省", "山西省", "内蒙古自治区", "辽宁省", "吉林省", "黑龙江省",
    "上海市", "江苏省", "浙江省", "安徽省", "福建省", "江西省", "山东省", "河南省", "湖北省",
    "湖南省", "广东省", "广西壮族自治区", "海南省", "重庆市", "四川省", "贵州省", "云南省",
    "西藏自治区", "陕西省", "甘肃省", "青海省", "宁夏回族自治区", "新疆维吾尔自治区",
    "台湾省", "香港特别行政区", "澳门特别行政区", ABROAD,
)


def industry_code(value: str) -> str | None:
    """Accept a section letter (``C``) or its name (``制造业``); None if it is neither."""
    value = value.strip()
    if value.upper() in INDUSTRIES:
        return value.upper()
    for code, name in INDUSTRIES.items():
        if value == name:
            return code
    return None


def origin_province(value: str) -> str | None:
    """Accept a full name (``广东省``) or its short form (``广东``); None if unknown."""
    value = value.strip()
    if value in ORIGIN_PROVINCES:
        return value
    matches = [p for p in ORIGIN_PROVINCES if len(value) >= 2 and p.startswith(value)]
    return matches[0] if len(matches) == 1 else None
