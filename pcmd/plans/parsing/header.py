"""The document's own particulars: kind, number, place and date, issuer, title, signer, recipients.

Owns: read_header() -> Header; find_attached_plan() (a decision followed by the plan it issues);
take_footer() -> Footer ("Nơi nhận" and the signature block); find_period(); issuer_from_text().
Invariants: only the header zone (the lines before the body starts) is read for the number, date
and place, so a date cited in the body is never taken for the document's own; the portal's
metadata is never a source, only a cross-check (the caller compares and warns).
Not here: the cited documents (basis), the body (structure and the modules after it).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from pcmd.common.text import search_key
from pcmd.plans.parsing.cleaning import MARKER
from pcmd.plans.parsing.numbers import find_doc_number, parse_date

TYPE_NAMES = {
    "KẾ HOẠCH": "plan",
    "QUYẾT ĐỊNH": "decision",
    "BÁO CÁO": "report",
    "CÔNG VĂN": "letter",
    "TỜ TRÌNH": "other",
    "THÔNG BÁO": "other",
    "HƯỚNG DẪN": "other",
    "CHƯƠNG TRÌNH": "other",
    "CHỈ THỊ": "other",
    "NGHỊ QUYẾT": "other",
    "ĐỀ ÁN": "other",
    "QUY CHẾ": "other",
}
SYMBOL_KINDS = {"KH": "plan", "QĐ": "decision", "BC": "report"}
_BODY_START = re.compile(
    r"^(Căn cứ|Thực hiện|Xét đề nghị|Theo đề nghị|Kính gửi|I\.\s|\(Ban hành kèm)", re.IGNORECASE
)
_MOTTO = re.compile(r"^(CỘNG HÒA|CỘNG HOÀ|Độc lập\s*-)", re.IGNORECASE)
_NUMBER_LINE = re.compile(r"^Số\s*:?\s*(.*)$")
_PLACE_DATE = re.compile(r"^(?P<place>[^\d,;:()]{2,40}?)\s*,\s*(?:ngày|ngay)\b", re.IGNORECASE)
_AUTHORITY = re.compile(r"^(CHỦ TỊCH|GIÁM ĐỐC|TRƯỞNG BAN|BỘ TRƯỞNG|THỦ TƯỚNG)\b")
_RULE = re.compile(r"^[-_=.*~]{3,}$")
_ISSUER_HEADS = re.compile(
    r"(ỦY BAN NHÂN DÂN|UỶ BAN NHÂN DÂN|UBND|HỘI ĐỒNG NHÂN DÂN|HĐND|SỞ |CÔNG AN |BAN CHỈ ĐẠO|"
    r"PHÒNG |BỘ |ĐẢNG ỦY|ĐẢNG UỶ)"
)
_LEVELS = ("THÀNH PHỐ", "THỊ TRẤN", "THỊ XÃ", "ĐẶC KHU", "TỈNH", "HUYỆN", "QUẬN", "XÃ", "PHƯỜNG")
_SIGN_TITLE = re.compile(
    r"^(?:(?:TM|KT|TL|TUQ|Q)\s*\.\s*.*|(?:PHÓ\s+)?(?:CHỦ TỊCH|GIÁM ĐỐC|TRƯỞNG BAN|TRƯỞNG PHÒNG|"
    r"CHÁNH VĂN PHÒNG|BÍ THƯ|TRƯỞNG CÔNG AN|BỘ TRƯỞNG|THỦ TRƯỞNG)(?:\s+\S+){0,4})$"
)
_SIGN_NOISE = re.compile(r"^\(?(đã ký|ký tên|ký, ghi rõ|ký và đóng dấu|ký tên, đóng dấu)", re.I)
_RECIPIENTS = re.compile(r"^Nơi nhận\s*:?\s*(.*)$", re.IGNORECASE)


@dataclass
class Header:
    kind: str = "other"
    number: str | None = None
    issued_on: date | None = None
    place: str | None = None
    issuer: str | None = None
    title: str | None = None
    body_start: int = 0  # index of the first line after the header and title
    used: set[int] = field(default_factory=set)  # header lines read (for "nothing dropped")


@dataclass
class Footer:
    signer_name: str | None = None
    signer_title: str | None = None
    recipients: list[str] = field(default_factory=list)
    used: set[int] = field(default_factory=set)


def read_header(lines: list[str]) -> Header:
    """The header of a document whose first lines are `lines`."""
    header = Header()
    zone_end = _zone_end(lines)
    type_index = None
    for index in range(zone_end):
        line = lines[index]
        if not line:
            continue
        upper = line.rstrip(":").strip()
        if upper in TYPE_NAMES and type_index is None:
            type_index = index
            header.kind = TYPE_NAMES[upper]
            header.used.add(index)
            continue
        if _MOTTO.match(line) or _RULE.match(line):
            header.used.add(index)
            continue
        number_match = _NUMBER_LINE.match(line)
        if number_match and header.number is None and type_index is None:
            found = find_doc_number(number_match.group(1))
            header.number = found[1] if found else None
            header.used.add(index)
            continue
        place_match = _PLACE_DATE.match(line)
        if place_match and header.issued_on is None and type_index is None:
            header.place = place_match.group("place").strip()
            header.issued_on = parse_date(line)
            header.used.add(index)
            continue
    header.issuer = _issuer_from_lines(
        [lines[i] for i in range(type_index if type_index is not None else zone_end)
         if lines[i] and i not in header.used]
    )  # fmt: skip
    for index in range(type_index if type_index is not None else zone_end):
        if lines[index] and lines[index].isupper():
            header.used.add(index)
    start = (type_index + 1) if type_index is not None else zone_end
    title_lines, end = _title_lines(lines, start)
    if type_index is None:
        title_lines, end = _untyped_title(lines, zone_end)
    header.used.update(range(start, end))
    header.title = " ".join(title_lines) or None
    header.body_start = end
    if header.number:
        symbol = header.number.split("/")[-1].split("-")[0]
        if type_index is None and symbol in SYMBOL_KINDS:
            header.kind = SYMBOL_KINDS[symbol]
        elif type_index is None and not any(symbol == key for key in SYMBOL_KINDS):
            header.kind = "letter" if _has_kinh_gui(lines) else header.kind
    if type_index is None and header.kind == "other":
        if _has_kinh_gui(lines):
            header.kind = "letter"
        elif header.title and search_key(header.title).startswith("ke hoach"):
            header.kind = "plan"
    return header


def _zone_end(lines: list[str]) -> int:
    for index, line in enumerate(lines[:80]):
        if line and (_BODY_START.match(line) or re.match(r"^(II|I)\s*\.\s", line)):
            return index
    return min(len(lines), 40)


def _title_lines(lines: list[str], start: int) -> tuple[list[str], int]:
    title: list[str] = []
    index = start
    while index < len(lines) and not lines[index]:
        index += 1
    while index < len(lines) and len(title) < 4:
        line = lines[index]
        if not line:
            if title:
                break
            index += 1
            continue
        if _BODY_START.match(line) or _AUTHORITY.match(line) or _RULE.match(line):
            break
        if MARKER.match(line) and not line.startswith("("):
            break
        title.append(line)
        index += 1
    return title, index


def _untyped_title(lines: list[str], zone_end: int) -> tuple[list[str], int]:
    for index in range(zone_end):
        line = lines[index]
        if re.match(r"^(V/v|Về việc)\b", line, re.IGNORECASE):
            return [re.sub(r"^(V/v|Về việc)\s*:?\s*", "", line, flags=re.IGNORECASE)], index + 1
        if search_key(line).startswith("ke hoach ") and not line.isupper():
            return [line], index + 1
    return [], zone_end


def _has_kinh_gui(lines: list[str]) -> bool:
    return any(re.match(r"^Kính gửi\b", line, re.IGNORECASE) for line in lines[:80])


def _issuer_from_lines(lines: list[str]) -> str | None:
    upper = [line for line in lines if line.isupper() and not _NUMBER_LINE.match(line)]
    if not upper:
        return None
    text = " ".join(upper)
    starts = [m.start() for m in _ISSUER_HEADS.finditer(text)]
    if starts:
        text = text[starts[-1] :]
    return pretty_body(text.strip())


def pretty_body(text: str) -> str:
    """A People's Committee name in short form ("ỦY BAN NHÂN DÂN TỈNH AN GIANG" -> "UBND tỉnh
    An Giang"); other bodies are kept as written."""
    match = re.match(
        r"^(ỦY BAN NHÂN DÂN|UỶ BAN NHÂN DÂN|UBND|HỘI ĐỒNG NHÂN DÂN|HĐND|CÔNG AN)\s+(.*)$", text
    )
    if not match or not text.isupper():
        return text
    head = {"HỘI ĐỒNG NHÂN DÂN": "HĐND", "HĐND": "HĐND", "CÔNG AN": "Công an"}.get(
        match.group(1), "UBND"
    )
    rest = match.group(2)
    for level in _LEVELS:
        if rest.startswith(level + " "):
            name = rest[len(level) + 1 :]
            return f"{head} {level.lower()} {name.title()}"
    return f"{head} {rest.title()}"


_INTRO_ISSUER = re.compile(
    r"\b(UBND|Ủy ban nhân dân|Uỷ ban nhân dân|ỦY BAN NHÂN DÂN)\s+"
    r"(tỉnh|thành phố|huyện|quận|thị xã|xã|phường|thị trấn|đặc khu)\s+(.+)$",
    re.IGNORECASE,
)


def issuer_from_text(line: str) -> str | None:
    """The issuer named in an introduction ("UBND xã Hoàng Hợp ban hành Kế hoạch ..." ->
    "UBND xã Hoàng Hợp"), the place name being the capitalised words after the level."""
    for match in _INTRO_ISSUER.finditer(line):
        words = []
        for word in match.group(3).split():
            clean = word.strip(",.;:")
            if not clean or not clean[0].isupper():
                break
            words.append(clean)
            if clean != word:
                break
        if words:
            return f"UBND {match.group(2).lower()} {' '.join(words)}"
    return None


def find_attached_plan(lines: list[str], after: int) -> int | None:
    """Index of the "KẾ HOẠCH" line that starts the plan a decision issues, if there is one."""
    for index in range(after, len(lines)):
        if lines[index].strip().rstrip(":") != "KẾ HOẠCH":
            continue
        window = lines[index + 1 : index + 8]
        if any(re.match(r"^\(?\s*Ban hành kèm theo", line, re.IGNORECASE) for line in window):
            return index
        if any(_SIGN_TITLE.match(line) for line in lines[max(after, index - 12) : index]):
            return index
    return None


def take_footer(lines: list[str]) -> Footer:
    """The recipients and the signature block among `lines` (indices of the lines read)."""
    footer = Footer()
    recipients_at = None
    for index, line in enumerate(lines):
        match = _RECIPIENTS.match(line)
        if match:
            recipients_at = index
            footer.used.add(index)
            if match.group(1):
                footer.recipients.extend(_recipient_parts(match.group(1)))
            continue
        if (
            recipients_at is not None
            and line.startswith(("-", "+", "•"))
            and index - recipients_at < 40
        ):
            footer.recipients.extend(_recipient_parts(line))
            footer.used.add(index)
    titles: list[int] = []
    for index, line in enumerate(lines):
        if line and line.isupper() and _SIGN_TITLE.match(line) and not _opens_decision(line):
            titles.append(index)
    for index in titles:
        block = [index]
        cursor = index + 1
        while cursor < len(lines) and (not lines[cursor] or cursor in titles):
            if lines[cursor]:
                block.append(cursor)
            cursor += 1
        while cursor < len(lines) and (not lines[cursor] or _SIGN_NOISE.match(lines[cursor])):
            if lines[cursor]:
                footer.used.add(cursor)
            cursor += 1
        if cursor < len(lines) and looks_like_name(lines[cursor]):
            footer.signer_title = " / ".join(_tidy_title(lines[i]) for i in block)
            footer.signer_name = _tidy_name(lines[cursor])
            footer.used.update(block)
            footer.used.add(cursor)
            break
    return footer


def _opens_decision(line: str) -> bool:
    # "CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH AN GIANG" opens a decision; it is not a signature title.
    return bool(re.match(r"^(PHÓ\s+)?CHỦ TỊCH\s+(ỦY|UỶ) BAN", line))


def _recipient_parts(text: str) -> list[str]:
    text = re.sub(r"^[-+•]\s*", "", text.strip())
    parts = [part.strip(" ;,.") for part in re.split(r";\s*-?\s*", text)]
    return [re.sub(r"(\S)\((?=[a-zđ/ ]{1,8}\))", r"\1 (", part) for part in parts if part]


def looks_like_name(line: str) -> bool:
    """A person's name: 2-6 capitalised words, no digits or punctuation."""
    words = line.strip().split()
    if not 2 <= len(words) <= 6 or any(ch.isdigit() for ch in line):
        return False
    if re.search(r"[,;:()/.]", line) or _SIGN_TITLE.match(line):
        return False
    return all(word[0].isupper() for word in words)


def _tidy_title(line: str) -> str:
    return re.sub(r"^(TM|KT|TL|TUQ|Q)\s*\.\s*", r"\1. ", line.strip())


def _tidy_name(line: str) -> str:
    name = line.strip()
    return name.title() if name.isupper() else name


_PERIOD_RANGE = re.compile(r"(?:giai đoạn|thời kỳ)?\s*(\d{4})\s*-\s*(\d{4})", re.IGNORECASE)
_PERIOD_YEAR = re.compile(r"\bnăm\s+(\d{4})\b", re.IGNORECASE)
_PERIOD_SCOPE = re.compile(r"từ năm\s+(\d{4})\s+đến(?: hết)?(?: năm)?\s+(\d{4})", re.IGNORECASE)


def find_period(*texts: str | None) -> tuple[int, int] | None:
    """The plan's period from its title ("giai đoạn 2016 - 2020", "năm 2025") or scope line."""
    for text in texts:
        if not text:
            continue
        match = _PERIOD_SCOPE.search(text) or _PERIOD_RANGE.search(text)
        if match and 1900 < int(match.group(1)) <= int(match.group(2)) < 2200:
            return int(match.group(1)), int(match.group(2))
        years = _PERIOD_YEAR.findall(text)
        if len(years) == 1:
            return int(years[0]), int(years[0])
    return None
