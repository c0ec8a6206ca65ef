"""Names of bodies (agencies, posts) in assignment lines and responsibilities.

Owns: split_bodies() ("Công chức văn hoá xã hội, đài truyền thanh xã, trạm y tế xã" -> three
names), subject_bodies() (the bodies a sentence starts with, before its verb), is_generic().
Invariants: a list is split on commas and "và" only where the next part starts a new body, so a
name keeps its own commas and "và" ("Sở Văn hóa, Thể thao và Du lịch", "Sở Kế hoạch và Đầu tư",
"Ủy ban nhân dân các huyện, thị, thành phố"); generic phrases ("các đơn vị có liên quan", "các
sở, ngành liên quan") are not bodies and are returned apart so the caller can keep them as text.
Not here: matching names to the agency registry (plans.services at import).
"""

from __future__ import annotations

import re

# Heads that start a body whatever the case ("đài truyền thanh xã" in a commune plan).
_HEADS_ANY_CASE = (
    "ủy ban", "uỷ ban", "ubnd", "hđnd", "ubmttq", "mttq", "hội đồng nhân dân", "công an",
    "công chức", "cán bộ", "trạm y tế", "đài truyền thanh", "đài phát thanh", "tòa án", "toà án",
    "viện kiểm sát", "mặt trận", "hội liên hiệp", "hội nông dân", "hội cựu chiến binh",
    "đoàn thanh niên", "chủ tịch", "phó chủ tịch", "giám đốc", "trưởng công an", "trưởng thôn",
    "bí thư", "đảng ủy", "đảng uỷ", "ban chỉ đạo", "đội kiểm tra", "đoàn kiểm tra", "bộ chỉ huy",
    "bộ đội", "trung tâm", "văn phòng", "thanh tra", "chi cục", "kho bạc", "tỉnh đoàn",
    "huyện đoàn", "xã đoàn", "liên đoàn", "phòng văn hóa", "phòng văn hoá", "phòng lao động",
)  # fmt: skip
# Heads that are also ordinary words in lower case ("phòng, chống", "cơ sở"): capitalised only.
_HEADS_CAPITAL = (
    "Ban", "Hội", "Đoàn", "Sở", "Phòng", "Bộ", "Viện", "Đài", "Báo", "Trường", "Cục", "Tổng cục",
    "Chi hội", "Chi đoàn", "Tổ", "Đội", "Ngân hàng", "Bưu điện", "Trạm",
)  # fmt: skip
_GENERIC_START = re.compile(r"^(các|những|mọi|toàn thể|cả)\b", re.IGNORECASE)
_GENERIC_WORDS = re.compile(
    r"\b(có liên quan|liên quan|khác|trên địa bàn)\s*$|^(đơn vị|cơ quan|ngành|đoàn thể|"
    r"ban, ngành|ban ngành|địa phương|tổ chức|nhân dân|người dân)\b",
    re.IGNORECASE,
)
# Verbs that end the subject of a sentence ("Công chức văn hoá xã hội tham mưu …"); lower case only,
# so that names such as "Ban Chỉ đạo" are not cut.
_VERB = re.compile(
    r"(?<!các)(?<!những)\s(?:hướng dẫn|tham mưu|chủ trì|phối hợp|tổ chức|thực hiện|có trách nhiệm|"
    r"chịu trách nhiệm|"
    r"triển khai|xây dựng|chỉ đạo|tăng cường|đẩy mạnh|phải|ban hành|theo dõi|rà soát|nghiên cứu|"
    r"quản lý|thành lập|giúp|làm|được|căn cứ|cần|nâng cao|tuyên truyền|bố trí|tiếp tục|đôn đốc|"
    r"giám sát|vận động|lồng ghép|hỗ trợ|duy trì|tập trung|thường xuyên|định kỳ)\b"
)
_SPLIT = re.compile(r"(,\s*|\s+và\s+|\s*;\s*)")


def starts_body(text: str) -> bool:
    lower = text.lower()
    if any(lower.startswith(head + " ") or lower == head for head in _HEADS_ANY_CASE):
        return True
    return any(text.startswith(head + " ") for head in _HEADS_CAPITAL)


def is_generic(text: str) -> bool:
    return bool(_GENERIC_START.match(text) or _GENERIC_WORDS.search(text))


def split_bodies(text: str) -> tuple[list[str], list[str]]:
    """(bodies, generic phrases) named in a list such as an assignment line's value."""
    text = text.strip().strip(".;,: ").strip()
    if not text:
        return [], []
    parts = _SPLIT.split(text)
    groups: list[str] = []
    for index in range(0, len(parts), 2):
        part = parts[index].strip()
        separator = parts[index - 1] if index else ""
        if not part:
            continue
        if groups and not (starts_body(part) or is_generic(part)):
            groups[-1] = groups[-1] + separator + part
        else:
            groups.append(part)
    bodies: list[str] = []
    generic: list[str] = []
    for group in groups:
        group = group.strip(" .;,")
        if is_generic(group) or not starts_body(group):
            generic.append(group)
        else:
            name = group[0].upper() + group[1:]
            if name not in bodies:
                bodies.append(name)
    return bodies, generic


def subject_of(text: str) -> tuple[str, bool]:
    """The subject of a sentence (before its verb or colon) and whether it is "Đề nghị …"."""
    text = text.strip()
    requested = bool(re.match(r"^đề nghị\b", text, re.IGNORECASE))
    text = re.sub(r"^(đề nghị|giao( cho)?|yêu cầu)\s+", "", text, flags=re.IGNORECASE)
    head, sep, _ = text.partition(":")
    if sep and len(head.split()) <= 20:
        return head.strip(), requested
    verb = _VERB.search(text)
    return (text[: verb.start()] if verb else text).strip(), requested


def subject_bodies(text: str) -> tuple[list[str], list[str], bool]:
    """(bodies, generic phrases, requested) for the subject of a sentence."""
    subject, requested = subject_of(text)
    if not subject or not (starts_body(subject) or is_generic(subject)):
        return [], [], requested
    bodies, generic = split_bodies(subject)
    return bodies, generic, requested
