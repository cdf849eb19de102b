"""The packaged list of the 14 prefectures and their county-level divisions."""
from investenv.registry.divisions import divisions

EXPECTED = {
    "430100": ("长沙市", 9), "430200": ("株洲市", 9), "430300": ("湘潭市", 5),
    "430400": ("衡阳市", 12), "430500": ("邵阳市", 12), "430600": ("岳阳市", 9),
    "430700": ("常德市", 9), "430800": ("张家界市", 4), "430900": ("益阳市", 6),
    "431000": ("郴州市", 11), "431100": ("永州市", 11), "431200": ("怀化市", 12),
    "431300": ("娄底市", 5), "433100": ("湘西土家族苗族自治州", 8),
}


def test_fourteen_prefectures_with_their_codes_names_and_county_counts():
    found = {p["code"]: (p["name"], len(p["counties"])) for p in divisions()["prefectures"]}
    assert found == EXPECTED


def test_county_codes_are_unique_six_digit_and_inside_their_prefecture():
    codes = []
    for p in divisions()["prefectures"]:
        for c in p["counties"]:
            assert len(c["code"]) == 6 and c["code"].isdigit()
            assert c["code"][:4] == p["code"][:4]
            codes.append(c["code"])
    assert len(codes) == len(set(codes)) == 122


def test_recent_boundary_changes_are_in_the_list():
    names = {c["code"]: c["name"] for p in divisions()["prefectures"] for c in p["counties"]}
    assert names["430212"] == "渌口区"  # 株洲县 → 渌口区, 2018
    assert names["430182"] == "宁乡市"  # 2017
    assert names["430582"] == "邵东市"  # 2019
    assert names["431181"] == "祁阳市"  # 2021


def test_reference_data_is_loaded_into_the_database(app, prefecture):
    zhuzhou = prefecture("株洲市")
    assert zhuzhou.code == "430200"
    assert [c.name for c in zhuzhou.counties][:2] == ["荷塘区", "芦淞区"]
    assert prefecture("湘西土家族苗族自治州").short_code == "4331"
