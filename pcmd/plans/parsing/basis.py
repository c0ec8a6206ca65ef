"""The documents a plan rests on: "Căn cứ …", "Thực hiện Kế hoạch số …", "Xét đề nghị …".

Owns: read_basis() -> BasisRef | None; is_basis_line().
Invariants: each cited document keeps its line as written (`text`), with the number, date and
issuer found in it; a plan "implemented" by this one ("Thực hiện Kế hoạch số 39/KH-UBND …") is
marked relation "implements" so that the parent plan can be linked.
Not here: the document's own number and date (header).
"""

from __future__ import annotations

import re

from pcmd.plans.parsing.model import BasisRef
from pcmd.plans.parsing.numbers import find_dates, find_doc_number

_LEADS = (
    (re.compile(r"^Căn cứ\b", re.IGNORECASE), "basis"),
    (re.compile(r"^(Thực hiện|Triển khai|Thực thi)\b", re.IGNORECASE), "implements"),
    (re.compile(r"^(Xét đề nghị|Theo đề nghị|Xét Tờ trình)\b", re.IGNORECASE), "proposal"),
)
_ISSUER_END = re.compile(
    r"\s+(về việc|về|phê duyệt|quy định|ban hành|hướng dẫn|tại|V/v|triển khai|thực hiện|"
    r"sửa đổi|đối với|trong)\b|[,;.(]"
)
_CITED = re.compile(
    r"\b(Luật|Bộ luật|Pháp lệnh|Nghị định|Nghị quyết|Quyết định|Chỉ thị|Thông tư|Kế hoạch|"
    r"Chương trình|Công văn|Hướng dẫn|Tờ trình|Văn bản)\b",
)


def basis_relation(line: str) -> str | None:
    """ "basis", "implements" or "proposal" when the line cites a document this one rests on."""
    for pattern, relation in _LEADS:
        if pattern.match(line) and _CITED.search(line):
            return relation
    return None


def read_basis(line: str) -> BasisRef | None:
    """The cited document of a basis line, or None when the line is not one."""
    relation = basis_relation(line)
    if relation is None:
        return None
    text = line.strip().rstrip(";,.").strip()
    ref = BasisRef(text=text, relation=relation)
    number = find_doc_number(text)
    anchor = 0
    if number:
        ref.number = number[1]
        anchor = number[0]
    dates = [value for position, value in find_dates(text) if position >= anchor]
    ref.issued_on = dates[0] if dates else None
    ref.issuer = _issuer(text, anchor) or _issuer(text, 0)
    return ref


def _issuer(text: str, anchor: int) -> str | None:
    passed = re.search(r"được\s+(.+?)\s+(thông qua|ban hành)", text[anchor:])
    if passed:
        return passed.group(1).strip()
    match = re.search(r"\bcủa\s+(.+)$", text[anchor:])
    if not match:
        return None
    rest = match.group(1)
    end = _ISSUER_END.search(rest)
    issuer = (rest[: end.start()] if end else rest).strip()
    if not issuer or len(issuer.split()) > 14:
        return None
    return issuer
