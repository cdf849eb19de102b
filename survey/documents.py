"""Printable survey documents: invitation letters with QR codes, the paper questionnaire,
and the invitation links as a table for mail merge."""
from __future__ import annotations

import io
from collections.abc import Callable

from investenv.pdf import register_font, styles, text

from . import questionnaire as qn
from .models import Invitation, SurveyRound

LINK_HEADER = ["市州", "县市区", "企业名称", "统一社会信用代码", "联系人", "联系电话", "问卷链接", "状态"]


def invitation_status(invitation: Invitation) -> str:
    if invitation.revoked:
        return "已停用"
    if invitation.used:
        return "已提交"
    return "填写中" if invitation.draft else "未开始"


def link_rows(invitations: list[Invitation], link) -> list[list[str]]:
    return [
        [
            i.enterprise.prefecture.name, i.enterprise.county.name, i.enterprise.name, i.enterprise.credit_code,
            i.enterprise.contact_name, i.enterprise.contact_phone, link(i), invitation_status(i),
        ]
        for i in invitations
    ]


def _qr(value: str, size: float):
    from reportlab.graphics.barcode.qr import QrCodeWidget
    from reportlab.graphics.shapes import Drawing

    widget = QrCodeWidget(value)
    x0, y0, x1, y1 = widget.getBounds()
    drawing = Drawing(size, size, transform=[size / (x1 - x0), 0, 0, size / (y1 - y0), 0, 0])
    drawing.add(widget)
    return drawing


def letters_pdf(survey_round: SurveyRound, invitations: list[Invitation], link,
                progress: Callable[[int], None] = lambda done: None) -> bytes:
    """One A4 letter per invitation: greeting, personal link, QR code, deadline;
    ``progress(letters made)`` is called as they are made."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.units import mm
    from reportlab.platypus import PageBreak, Paragraph, SimpleDocTemplate, Spacer

    s = styles()
    questionnaire = qn.load(survey_round.questionnaire_version)
    story = []
    for done, invitation in enumerate(invitations):
        progress(done)
        url = link(invitation)
        story += [
            Paragraph(text(questionnaire.title) + " 填写邀请", s["title"]),
            Paragraph(text(f"{invitation.enterprise.name}："), s["body"]),
            Spacer(1, 4 * mm),
            Paragraph(text(questionnaire.intro), s["body"]),
            Spacer(1, 4 * mm),
            Paragraph(
                text(f"请于 {survey_round.closes_on:%Y年%m月%d日} 前，用手机扫描下方二维码，或在浏览器中打开以下链接填写问卷。"
                     "每填完一页即自动保存，可分多次填写。"),
                s["body"],
            ),
            Spacer(1, 6 * mm),
            _qr(url, 45 * mm),
            Spacer(1, 4 * mm),
            Paragraph(text(url), s["body"]),
            Spacer(1, 6 * mm),
            Paragraph(
                text("本调查为匿名调查：提交后的答卷不记录贵企业名称，也无法与本链接对应。此链接专供贵企业使用，请勿转发。")
                if survey_round.anonymous
                else text("此链接专供贵企业使用，请勿转发。"),
                s["small"],
            ),
            Spacer(1, 10 * mm),
            Paragraph(text("湖南省经济技术协作办公室　投资企业投诉服务中心"), s["body"]),
            PageBreak(),
        ]
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(buffer, pagesize=A4, leftMargin=22 * mm, rightMargin=22 * mm,
                            topMargin=20 * mm, bottomMargin=20 * mm, title="问卷填写邀请")
    doc.build(story[:-1] if story else [Paragraph(text("（没有邀请）"), s["body"])])
    return buffer.getvalue()


def paper_pdf(survey_round: SurveyRound, codes: list[str], progress: Callable[[int], None] = lambda done: None) -> bytes:
    """The printable questionnaire, one copy per form code, with letter-coded boxes;
    ``progress(forms laid out)`` is called as the pages are made."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.units import mm
    from reportlab.platypus import KeepTogether, PageBreak, Paragraph, SimpleDocTemplate, Spacer

    s = styles()
    font = register_font()
    questionnaire = qn.load(survey_round.questionnaire_version)
    current = {"code": ""}

    def header(canvas, doc):
        canvas.saveState()
        canvas.setFont(font, 9)
        canvas.drawString(18 * mm, A4[1] - 12 * mm, f"{survey_round.title}")
        canvas.setFont(font, 11)
        canvas.drawRightString(A4[0] - 18 * mm, A4[1] - 12 * mm, f"问卷编号 {current['code']}")
        canvas.setFont(font, 8)
        canvas.drawCentredString(A4[0] / 2, 10 * mm, f"第 {doc.page} 页")
        canvas.restoreState()

    class CodeMarker(Spacer):
        def __init__(self, code, index):
            super().__init__(0, 0)
            self.code, self.index = code, index

        def draw(self):
            current["code"] = self.code
            progress(self.index)

    story = []
    for index, code in enumerate(codes):
        story += [CodeMarker(code, index), Paragraph(text(questionnaire.title), s["title"]),
                  Paragraph(text(questionnaire.intro), s["small"]),
                  Paragraph(text("填答说明：" + questionnaire.instructions + "请在选中的方框内打“√”。"), s["small"])]
        for section in questionnaire.sections:
            story.append(Paragraph(text(section.title), s["heading"]))
            for question in section.questions:
                story.append(KeepTogether(_paper_question(questionnaire, question, s)))
        footer = "　".join(f"{f.label}＿＿＿＿＿＿" for f in questionnaire.footer)
        story += [Spacer(1, 4 * mm), Paragraph(text(questionnaire.closing), s["body"]),
                  Paragraph(text(footer), s["body"]), PageBreak()]
    class PaperDoc(SimpleDocTemplate):
        def afterPage(self):  # after the page's flowables, so the form code is current
            header(self.canv, self)

    buffer = io.BytesIO()
    doc = PaperDoc(buffer, pagesize=A4, leftMargin=18 * mm, rightMargin=18 * mm,
                   topMargin=18 * mm, bottomMargin=16 * mm, title=questionnaire.title)
    doc.build(story[:-1])
    return buffer.getvalue()


def _paper_question(questionnaire: qn.Questionnaire, question: qn.Question, s) -> list:
    from reportlab.lib.units import mm
    from reportlab.platypus import Paragraph, Spacer

    head = f"{question.number}. {question.text}"
    if question.show_if:
        head += f"（{question.condition_text(questionnaire)}，否则跳过）"
    parts = [Paragraph(text(head), s["body"])]
    if question.kind == "text":
        parts += [Paragraph("＿" * 40, s["body"]) for _ in range(3)]
    else:
        boxes = "　".join(
            f"□{o.code} {text(o.text)}" + ("（请注明：＿＿＿＿＿＿）" if o.other else "") + ("（单独选）" if o.exclusive else "")
            for o in question.choices
        )
        parts.append(Paragraph(boxes, s["body"]))
    parts.append(Spacer(1, 2 * mm))
    return parts
