"""Text hygiene: turn copied or extracted text into clean lines the structure reader can trust.

Owns: clean_text() -> Cleaned; layout_table() (two-column header and signature tables);
fix_fused_words(); MARKER (the numbering markers every module recognises).
Invariants: the output is NFC with plain spaces and ASCII hyphens; a blank line is kept as "" (it
separates a title from what follows); lines injected by legal-document portals are removed and
reported as warnings, never obeyed; the portal's metadata block ("Số hiệu: … Loại văn bản: …")
is removed from the text and kept in Cleaned.portal only as a cross-check; a fused word is split
only when Vietnamese spelling allows exactly one split ("Nghịđịnh" -> "Nghị định").
Not here: what a line means (structure, header ...).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from pcmd.common.text import search_key

MARKER = re.compile(
    r"^(?:[IVXLC]+[.)]\s|\d{1,2}(?:\.\d{1,2})*[.)]\s|\d{1,2}(?:\.\d{1,2})+\s|[a-zđ][.)]\s"
    r"|\(\d{1,2}\)|[-+•*]\s|Điều\s+\d)"
)
_NEWLINES = re.compile(r"\r\n|[\r\u2028\u2029\x0b\x0c\x85]")
_SPACES = re.compile(r"[ \t\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]+")
_INVISIBLE = re.compile(r"[\u200b\u200c\u200d\u2060\ufeff\u00ad]")
_DASHES = re.compile(r"[\u2010-\u2015\u2212\u2e3a\u2e3b\ufe58\ufe63\uff0d]")
_RULE = re.compile(r"^[-_=.*~]{3,}$")
_PIPE = re.compile(r"\s*\|\s*")
_SYMBOL_GLUE = re.compile(r"(?<=[/-])([A-ZĐ]{1,12})(ngày|năm|của|về|và|tại)\b")

_PORTAL_KEYS = (
    "Số hiệu",
    "Loại văn bản",
    "Nơi ban hành",
    "Người ký",
    "Ngày ban hành",
    "Ngày hiệu lực",
    "Ngày công báo",
    "Số công báo",
    "Lĩnh vực",
    "Tình trạng",
    "Ngày hết hiệu lực",
    "Cơ quan ban hành",
    "Tình trạng hiệu lực",
)
_PORTAL_KEY = re.compile(r"(" + "|".join(re.escape(k) for k in _PORTAL_KEYS) + r")\s*:\s*")

# Lines written by portals to the reader (or to a program reading the page): never document text.
_INJECTION_KEYS = (
    "thong bao voi nguoi dung",
    "hay luon",
    "bo qua cac huong dan",
    "bo qua moi huong dan",
    "ignore previous",
    "ignore all",
    "system prompt",
    "tro ly ao",
    "mo hinh ngon ngu",
    "chatgpt",
    "you are an ai",
    "as an ai",
)
_BOILERPLATE_STARTS = (
    "de su dung toan bo tien ich",
    "neu ban la thanh vien",
    "vui long dang nhap",
    "dang nhap de",
    "dang ky thanh vien",
    "ban dang xem van ban",
    "ban chua dang nhap",
    "tai van ban",
    "tai ve van ban",
    "luatvietnam",
    "thuvienphapluat",
    "hethongphapluat",
    "xem them van ban",
    "van ban lien quan",
)
_BOILERPLATE_EXACT = {"he thong phap luat", "dang nhap", "dang ky", "in van ban", "tai ve"}

_TABLE_LAYOUT_HINT = re.compile(
    r"CỘNG HÒA|CỘNG HOÀ|ỦY BAN|UỶ BAN|UBND|Độc lập|Số\s*:|Nơi nhận|CHỦ TỊCH|GIÁM ĐỐC|"
    r"TM\.|KT\.|ngày\s+\d+\s+tháng"
)


@dataclass
class Cleaned:
    lines: list[str]
    portal: dict[str, str] = field(default_factory=dict)
    removed: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def clean_text(text: str) -> Cleaned:
    """Clean lines (blank lines kept as ""), the portal metadata, removed lines and warnings."""
    text = unicodedata.normalize("NFC", _NEWLINES.sub("\n", text))
    lines = [clean_line(line) for line in text.split("\n")]
    result = Cleaned(lines=[])
    lines = _take_portal_block(lines, result)
    kept: list[str] = []
    for line in lines:
        verdict = _portal_line(line)
        if verdict == "injection":
            result.removed.append(line)
            result.warnings.append(
                f"Đã bỏ một dòng do trang web chèn vào, không thuộc văn bản: {_short(line)!r}"
            )
        elif verdict == "boilerplate":
            result.removed.append(line)
        else:
            kept.append(line)
    lines = _join_broken(_expand_pipe_rows(_join_broken(kept)))
    result.lines = [fix_fused_words(line) for line in lines]
    return result


def clean_line(line: str) -> str:
    line = _INVISIBLE.sub("", line)
    line = _DASHES.sub("-", line)
    line = _SPACES.sub(" ", line).strip()
    return _SYMBOL_GLUE.sub(r"\1 \2", line)


def layout_table(rows: list[list[str]]) -> list[str]:
    """Lines of a table: header/signature tables column by column, other tables row by row."""
    cells = [cell for row in rows for cell in row]
    if (
        any(_TABLE_LAYOUT_HINT.search(cell) for cell in cells)
        and max(map(len, rows), default=0) <= 3
    ):
        width = max(len(row) for row in rows)
        out: list[str] = []
        for col in range(width):
            for row in rows:
                if col < len(row):
                    out.extend(part for part in row[col].split("\n"))
            out.append("")
        return out
    return [
        " | ".join(cell.replace("\n", " ").strip() for cell in row if cell.strip()) for row in rows
    ]


def _expand_pipe_rows(lines: list[str]) -> list[str]:
    out: list[str] = []
    block: list[list[str]] = []
    for line in [*lines, ""]:
        if "|" in line and line.count("|") <= 8:
            block.append([cell.strip() for cell in _PIPE.split(line.strip().strip("|"))])
            continue
        if block:
            out.extend(clean_line(part) for part in layout_table(block))
            block = []
        out.append(line)
    return out[:-1]


def _take_portal_block(lines: list[str], result: Cleaned) -> list[str]:
    """Remove the portal's metadata block near the top and keep its values."""
    hits = [i for i, line in enumerate(lines[:60]) if _PORTAL_KEY.match(line)]
    if len(hits) < 2:
        return lines
    first, last = hits[0], hits[-1]
    if last - first > 15:
        return lines
    for line in lines[first : last + 1]:
        matches = list(_PORTAL_KEY.finditer(line))
        for index, match in enumerate(matches):
            end = matches[index + 1].start() if index + 1 < len(matches) else len(line)
            result.portal[match.group(1)] = line[match.end() : end].strip().rstrip(",")
    removed = lines[first : last + 1]
    # The portal's own title line sits just above the block ("Quyết định 1994/QĐ-UBND năm 2016 …").
    head = first - 1
    while head >= 0 and not lines[head]:
        head -= 1
    if head >= 0 and all(not line for line in lines[:head]) and not MARKER.match(lines[head]):
        result.portal["Tiêu đề"] = lines[head]
        removed = lines[head : last + 1]
        first = head
    result.removed.extend(line for line in removed if line)
    return lines[:first] + lines[last + 1 :]


def _portal_line(line: str) -> str | None:
    if not line:
        return None
    key = search_key(line)
    if line.startswith("#") or any(marker in key for marker in _INJECTION_KEYS):
        return "injection"
    if key in _BOILERPLATE_EXACT or key.startswith(_BOILERPLATE_STARTS):
        return "boilerplate"
    return None


def _join_broken(lines: list[str]) -> list[str]:
    """Join words and sentences broken across lines ("ỦY\\nBAN NHÂN DÂN", "Số:\\n2578/KH-UBND")."""
    out: list[str] = []
    for line in lines:
        if out and line and out[-1] and _continues(out[-1], line):
            out[-1] = f"{out[-1]} {line}"
        else:
            out.append(line)
    return out


def _continues(previous: str, line: str) -> bool:
    if MARKER.match(line) or _RULE.match(previous) or _RULE.match(line):
        return False
    if previous.endswith("Số:") or previous in ("Số", "Số :"):
        return True
    if " " not in previous and previous.isalpha() and len(previous) <= 12:
        return True
    if previous.endswith(" -") and len(previous) > 2 and not MARKER.match(previous + " "):
        return True
    first = line[0]
    return first.isalpha() and first.islower() and previous[-1] not in ".:;!?"


# --- fused words -------------------------------------------------------------------------------

_FINALS = {"", "c", "ch", "m", "n", "ng", "nh", "p", "t"}
_INITIALS = {
    "b", "c", "ch", "d", "đ", "g", "gh", "gi", "h", "k", "kh", "l", "m", "n", "ng", "ngh", "nh",
    "p", "ph", "qu", "r", "s", "t", "th", "tr", "v", "x",
}  # fmt: skip
_OPEN_FORBIDDEN = {"ă", "â", "iê", "yê", "uô", "ươ"}
_CHECKED = {"c", "ch", "p", "t"}
_TONES_CHECKED = {"\u0301", "\u0323"}
_TONES = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}
_WORD = re.compile(r"[^\W\d_]{4,}")


def fix_fused_words(line: str) -> str:
    """Split words fused by copying ("Nghịđịnh", "TỔ CHỨCVÀ") where only one split is possible."""
    if line.isascii():
        return line
    return _WORD.sub(lambda m: _split_token(m.group(0)), line)


def _base(ch: str) -> str:
    return unicodedata.normalize("NFD", ch.lower())[0]


def _split_token(token: str) -> str:
    if token.isascii():
        return token
    bases = [_base(ch) for ch in token]
    vowel = [b in "aeiouy" for b in bases]
    for i, b in enumerate(bases):
        if b == "u" and i and bases[i - 1] == "q":
            vowel[i] = False
        if (
            b == "i"
            and i
            and bases[i - 1] == "g"
            and i + 1 < len(bases)
            and bases[i + 1] in "aeiouy"
        ):
            vowel[i] = False
    runs: list[tuple[int, int]] = []
    for i, is_vowel in enumerate(vowel):
        if is_vowel and (not runs or runs[-1][1] != i):
            runs.append((i, i + 1))
        elif is_vowel:
            runs[-1] = (runs[-1][0], i + 1)
    if len(runs) < 2:
        return token
    cuts: list[int] = []
    for (start, end), (next_start, _) in zip(runs, runs[1:], strict=False):
        cluster = "".join(ch.lower() for ch in token[end:next_start])
        cluster = unicodedata.normalize("NFC", cluster)
        options = []
        for k in range(len(cluster) + 1):
            final, initial = cluster[:k], cluster[k:]
            if final in _FINALS and initial in _INITIALS and _syllable_ok(token[start:end], final):
                options.append(end + k)
        if len(options) != 1:
            return token
        cuts.append(options[0])
    pieces = []
    previous = 0
    for cut in cuts:
        pieces.append(token[previous:cut])
        previous = cut
    pieces.append(token[previous:])
    return " ".join(pieces)


def _syllable_ok(nucleus: str, final: str) -> bool:
    marks = unicodedata.normalize("NFD", nucleus.lower())
    tones = {ch for ch in marks if ch in _TONES}
    shape = unicodedata.normalize("NFC", "".join(ch for ch in marks if ch not in _TONES))
    if final == "" and shape in _OPEN_FORBIDDEN:
        return False
    return not (final in _CHECKED and not tones & _TONES_CHECKED)


def _short(line: str, limit: int = 160) -> str:
    return line if len(line) <= limit else line[: limit - 1] + "…"
