"""The case list's search by part of a case number or of the complainant's name: on PostgreSQL it
goes through the substring indexes of migration 0026 (investenv.listing.contains), and finds exactly the rows, in the same
order, that LIKE '%…%' alone finds (as on SQLite)."""
from sqlalchemy import or_, select, text

from complaints import queries
from complaints.models import Complaint
from investenv import listing
from investenv.extensions import db

ORDER = (Complaint.deadline_on.nulls_last(), Complaint.id)


def _found(search: str) -> list[int]:
    clauses = queries.CaseFilter(queue="all", search=search).narrowed()
    return list(db.session.scalars(select(Complaint.id).where(*clauses).order_by(*ORDER)))


def _liked(search: str) -> list[int]:
    pattern = f"%{search}%"
    return list(db.session.scalars(select(Complaint.id).where(
        or_(Complaint.case_no.like(pattern), Complaint.complainant.like(pattern))).order_by(*ORDER)))


def test_search_grams_are_the_ngrams_or_the_text_itself():
    assert listing.search_grams("华天", 2) == ["华天"]
    assert listing.search_grams("华", 2) == ["华"]
    assert listing.search_grams("华天实业", 2) == ["华天", "天实", "实业"]
    assert listing.search_grams("000012", 3) == ["000", "001", "012"]


def test_the_database_function_holds_every_substring_of_up_to_n_characters(app):
    """PostgreSQL's ``search_grams`` (migration 0026); SQLite has no such index and searches by LIKE."""
    statement = str(select(Complaint.id).where(*queries.CaseFilter(queue="all", search="华天").narrowed())
                    .compile(db.engine))
    assert ("search_grams" in statement) == (db.engine.dialect.name == "postgresql")
    if db.engine.dialect.name == "sqlite":
        return
    for value, n in (("长沙华天实业有限公司", 2), ("2026-4301-000012", 3), ("", 2), ("ab", 3)):
        grams = db.session.scalar(text("SELECT search_grams(:v, :n)"), {"v": value, "n": n})
        assert sorted(grams) == sorted({value[i:i + k] for i in range(len(value)) for k in range(1, n + 1)
                                        if i + k <= len(value)})


def test_every_kind_of_search_finds_what_like_finds_in_the_same_order(app, demo_database):
    names = list(db.session.scalars(select(Complaint.complainant).order_by(Complaint.id).limit(40)))
    numbers = list(db.session.scalars(select(Complaint.case_no).order_by(Complaint.id.desc()).limit(3)))
    name, number = names[7], numbers[0]
    searches = {
        name[0], name[1:3], name[:4], name, name[2:], "有限", "公司", "司", "华天", "鑫淼",  # 1, 2, more characters
        number[-6:], number[-3:], number[5:12], number[:4], "12", "1", "-",  # parts of case numbers
        "cshtsy", "ABC", "%", "_", "2026_4", "有_公司", "a\\b", "'", "公司 ",  # initials, LIKE's own characters
    }
    matched = 0
    for search in sorted(searches):
        found = _found(search)
        assert found == _liked(search), search
        if not set(search) & listing.LIKE_SPECIAL:
            expected = {c.id for c in db.session.scalars(select(Complaint))
                        if search in c.case_no or search in c.complainant}
            assert set(found) == expected, search
        matched += bool(found)
    assert matched > 10


def test_a_new_case_is_found_at_once(app, demo_database):
    """The index follows every write (it is the database's own)."""
    case = db.session.scalar(select(Complaint).order_by(Complaint.id))
    case.complainant = "鑫淼测试科技有限公司"
    db.session.commit()
    for search in ("鑫", "鑫淼", "淼测试", "鑫淼测试科技有限公司"):
        assert case.id in _found(search)
    assert _found("鑫淼") == _liked("鑫淼")
