"""Targets: turn a target sentence into comparator, value, unit, population, years and milestones.

Owns: read_targets(text, section) -> list[Target]; has_quantity(); is_dated_commitment().
Invariants:
- The quantity is, in this order of preference: a percentage or a percentage range ("80%",
  "3-5%", "03 - 05%", "từ 3 đến 5%"), a fraction ("10/10 huyện"), a frequency ("ít nhất một
  tháng, một lần", "2 lần/năm"), a count ("03 mô hình", "5.300 người dân"). Years, dates,
  document numbers and section numbers are never quantities.
- A fraction is a coverage level: "10/10 huyện" is kind "level", value 100, unit "%", with the
  fraction kept in `fraction` ({"numerator": 10, "denominator": 10}), so that the target keeps its
  meaning when the number of districts changes.
- Comparator: an explicit word wins ("ít nhất", "tối thiểu", "đạt", "từ … trở lên" -> ">=";
  "trên", "hơn" -> ">"; "không quá", "tối đa" -> "<="; "dưới" -> "<"; a range -> "between");
  without one, 100% reads "=" and any other value ">=" (a target is a floor to reach).
- `value` is the final level; staged milestones ("Đến năm 2017, đạt 75% và năm 2020 đạt 100%",
  "Đến năm 2017: 50%, năm 2020: 100%") go to `milestones`; a single "Đến năm 2020: …" gives one
  milestone for that year.
- A sentence holding several quantified clauses separated by ";" yields one target per clause;
  clauses without a quantity stay with the clause before them.
Not here: deciding which lines are target sentences (document), measuring targets (indicators).
"""

from __future__ import annotations

import re

from pcmd.plans.parsing.model import Milestone, Target
from pcmd.plans.parsing.numbers import NUMBER, WORD_PATTERN, parse_number, tidy

Number = int | float

_NUM = rf"(?:{NUMBER})"
_NUMW = rf"(?:{NUMBER}|{WORD_PATTERN})"
_PERCENT_RANGE = re.compile(
    rf"(?<![\d.,/])(?P<lo>{_NUM})\s*%?\s*(?:-|đến|tới)\s*(?P<hi>{_NUM})\s*%", re.IGNORECASE
)
_PERCENT = re.compile(rf"(?<![\d.,/])(?P<v>{_NUM})\s*%")
_FRACTION = re.compile(r"(?<![\d/.])(?P<a>\d{1,3})\s*/\s*(?P<b>\d{1,3})(?![\d/])\s+(?=[^\W\d_])")
_UNIT = r"(?P<unit>tháng|quý|năm|tuần)"
_FREQUENCY = (
    re.compile(
        rf"(?:(?P<cmp>ít nhất|tối thiểu)\s+)?(?P<n>{_NUMW})\s+{_UNIT}\s*,?\s*"
        rf"(?P<k>{_NUMW})\s+lần\b",
        re.IGNORECASE,
    ),
    re.compile(
        rf"(?:(?P<cmp>ít nhất|tối thiểu)\s+)?(?P<k>{_NUMW})\s+lần\s*(?:/|trên|mỗi|một|trong)\s*"
        rf"(?:một\s+|1\s+)?{_UNIT}",
        re.IGNORECASE,
    ),
    re.compile(
        rf"(?:mỗi|hằng|hàng)\s+{_UNIT}\s+(?:(?P<cmp>ít nhất|tối thiểu)\s+)?(?P<k>{_NUMW})\s+lần\b",
        re.IGNORECASE,
    ),
)
_COUNT = re.compile(
    rf"(?:(?P<cmp>ít nhất|tối thiểu|trên|hơn|không dưới|không ít hơn)\s+)?"
    rf"(?<![\d.,/(])(?P<n>{_NUM})(?![\d/%)]|[.,]\d)\s+(?=[^\W\d_])",
    re.IGNORECASE,
)
_COUNT_WORD = re.compile(
    rf"(?P<cmp>ít nhất|tối thiểu|không dưới)\s+(?P<n>{WORD_PATTERN})\s+(?=[^\W\d_])", re.IGNORECASE
)
_NOT_COUNT_BEFORE = re.compile(
    r"\b(năm|tháng|ngày|quý|đoạn|điều|khoản|mục|số|thứ|giờ|phút|lần|kỳ|khóa|khoá|tuổi)\s*$|-\s*$",
    re.IGNORECASE,
)
_CMP_BEFORE = (
    (re.compile(r"(không ít hơn|không dưới|ít nhất|tối thiểu|đạt|đạt từ|đạt mức)\s*$", re.I), ">="),
    (re.compile(r"(cao hơn|trên|hơn|vượt)\s*$", re.I), ">"),
    (re.compile(r"(không quá|không vượt quá|tối đa)\s*$", re.I), "<="),
    (re.compile(r"(thấp hơn|dưới)\s*$", re.I), "<"),
)
_CHANGE = re.compile(r"\b(tăng|giảm)\b", re.IGNORECASE)
_BASELINE = re.compile(r"so với\s+(?:cùng kỳ\s+)?năm\s+(\d{4})", re.IGNORECASE)
_START_YEAR = re.compile(r"\btừ năm\s+(\d{4})", re.IGNORECASE)
_BY_YEAR = re.compile(r"\b(?:đến|tới|trước)(?:\s+hết)?\s+năm\s+(\d{4})", re.IGNORECASE)
_MILESTONE = re.compile(
    rf"năm\s+(?P<y>\d{{4}})\s*[:,]?\s*(?:(?:phấn đấu\s+)?(?:đạt|đạt từ|ít nhất|trên|tối thiểu)\s+)?"
    rf"(?P<v>{_NUM})\s*%",
    re.IGNORECASE,
)
_PER = (
    (re.compile(r"\b(hằng|hàng|mỗi)\s+năm\b", re.I), "year"),
    (re.compile(r"\b(hằng|hàng|mỗi)\s+quý\b", re.I), "quarter"),
    (re.compile(r"\b(hằng|hàng|mỗi)\s+tháng\b", re.I), "month"),
)
_POPULATION_STOP = re.compile(
    r"\s\(|[;:.]|\s(?:được|đã|sẽ|tổ chức|xây dựng|triển khai|thực hiện|có liên quan|hành vi|"
    r"trên địa bàn|trong toàn|trong tỉnh|tham gia|hoàn thành|lồng ghép|làm tốt|đạt|không có|"
    r"tiếp cận|sử dụng|so với|tăng|giảm|ban hành|bố trí|duy trì|thành lập|kiện toàn|"
    r"trở lên|trở xuống)\b",
    re.IGNORECASE,
)
_COUNT_STOP = re.compile(
    r"\s(?:tại|trong|cho|nhằm|của|với|để|về|ở|và|như sau|gồm|sau đây)\b", re.IGNORECASE
)
_LEADING = re.compile(r"^(?:trong\s+)?(?:tổng\s+)?(?:số|các|những)\s+", re.IGNORECASE)


def read_targets(text: str, section: str, *, in_task: bool = False) -> list[Target]:
    """The targets stated in one sentence or bullet (one per quantified ";" clause)."""
    targets = []
    for clause in _clauses(text):
        target = _read_clause(clause, section)
        if target is not None:
            if in_task:
                target.confidence = max(0.3, target.confidence - 0.1)
            targets.append(target)
    return targets


def has_quantity(text: str) -> bool:
    return _quantity(text) is not None


def is_dated_commitment(text: str) -> bool:
    """A target stated inside a list of tasks ("Đến năm 2020: xây dựng … 03 mô hình")."""
    match = re.match(r"^(?:đến|tới|trước)(?:\s+hết)?\s+năm\s+\d{4}\s*[:,]?\s*(.*)$", text, re.I)
    return match is not None and has_quantity(match.group(1))


def _clauses(text: str) -> list[str]:
    parts = [part.strip() for part in text.split(";")]
    clauses: list[str] = []
    for part in parts:
        if not part:
            continue
        starts_target = has_quantity(part) and not re.match(r"^(và\s+)?năm\s+\d{4}", part, re.I)
        if clauses and (not starts_target or not has_quantity(clauses[-1])):
            clauses[-1] = f"{clauses[-1]}; {part}"
        else:
            clauses.append(part)
    return clauses


def _quantity(text: str) -> tuple[str, re.Match[str]] | None:
    match = _PERCENT_RANGE.search(text)
    if match:
        return "range", match
    match = _PERCENT.search(text)
    if match:
        return "percent", match
    match = _FRACTION.search(text)
    if match and 0 < int(match.group("a")) <= int(match.group("b")):
        return "fraction", match
    for pattern in _FREQUENCY:
        match = pattern.search(text)
        if match:
            return "frequency", match
    for pattern in (_COUNT, _COUNT_WORD):
        for match in pattern.finditer(text):
            if _NOT_COUNT_BEFORE.search(text[: match.start("n")]):
                continue
            value = parse_number(match.group("n"))
            if value is None or (isinstance(value, int) and 1900 <= value <= 2100):
                continue
            return "count", match
    return None


def _read_clause(text: str, section: str) -> Target | None:
    found = _quantity(text)
    if found is None:
        return None
    form, match = found
    target = Target(section=section, text=text.strip())
    confidence = 0.9
    if form in ("range", "percent"):
        target.unit = "%"
        target.kind = "level"
        if form == "range":
            target.value = parse_number(match.group("lo"))
            target.value_max = parse_number(match.group("hi"))
            target.comparator = "between"
        else:
            target.value = parse_number(match.group("v"))
            target.comparator, explicit = _comparator(text, match, target.value)
            confidence -= 0 if explicit else 0.1
        milestones = [
            Milestone(year=int(m.group("y")), value=parse_number(m.group("v")) or 0)
            for m in _MILESTONE.finditer(text)
        ]
        if len(milestones) >= 2:
            last = milestones[-1]
            target.milestones = milestones
            target.value = last.value
            tail = list(_PERCENT.finditer(text))[-1]
            target.comparator, _ = _comparator(text, tail, last.value)
            match = tail
        target.population = _population_after(text, match.end())
    elif form == "fraction":
        numerator, denominator = int(match.group("a")), int(match.group("b"))
        target.kind = "level"
        target.unit = "%"
        target.fraction = (numerator, denominator)
        target.value = tidy(100 * numerator / denominator)
        target.comparator, _ = _comparator(text, match, target.value)
        target.population = _population_after(text, match.end())
    elif form == "frequency":
        _frequency(target, match)
    else:
        target.kind = "count"
        target.unit = "count"
        target.value = parse_number(match.group("n"))
        cmp_word = (match.group("cmp") or "").lower()
        target.comparator = {"trên": ">", "hơn": ">"}.get(cmp_word, ">=")
        target.population = _count_population(text, match.end())
        confidence -= 0.05
    change = _CHANGE.search(text[: match.start()])
    if form in ("range", "percent", "count") and (change or _BASELINE.search(text)):
        target.kind = "change"
        word = change.group(1).lower() if change else ""
        target.direction = "decrease" if word == "giảm" else "increase"
        subject = _population_before(text[: change.start()]) if change else None
        target.population = subject or target.population
    baseline = _BASELINE.search(text)
    target.baseline_year = int(baseline.group(1)) if baseline else None
    start = _START_YEAR.search(text)
    target.start_year = int(start.group(1)) if start else None
    if not target.milestones:
        by_year = _BY_YEAR.search(text)
        if by_year and target.value is not None:
            target.milestones = [Milestone(year=int(by_year.group(1)), value=target.value)]
    if target.per is None:
        target.per = next((per for pattern, per in _PER if pattern.search(text)), None)
    if target.population is None and target.kind != "frequency":
        confidence -= 0.25
    target.confidence = round(max(0.3, confidence), 2)
    return target


def _comparator(text: str, match: re.Match[str], value: Number | None) -> tuple[str, bool]:
    before = text[max(0, match.start() - 30) : match.start()]
    after = text[match.end() : match.end() + 20].lower()
    if "trở lên" in after:
        return ">=", True
    if "trở xuống" in after:
        return "<=", True
    for pattern, comparator in _CMP_BEFORE:
        if pattern.search(before):
            return comparator, True
    return ("=" if value == 100 else ">="), value == 100


def _frequency(target: Target, match: re.Match[str]) -> None:
    groups = match.groupdict()
    times = parse_number(groups["k"]) or 1
    interval = parse_number(groups.get("n") or "1") or 1
    unit = groups["unit"].lower()
    per = {"tháng": "month", "quý": "quarter", "năm": "year", "tuần": "week"}[unit]
    if unit == "tháng" and interval in (3, 6, 12):
        per = {3: "quarter", 6: "year", 12: "year"}[int(interval)]
        times = times * (2 if interval == 6 else 1)
    elif interval != 1:
        target.confidence = 0.6
    target.kind = "frequency"
    target.unit = "times"
    target.value = times
    target.per = per
    target.comparator = ">=" if groups.get("cmp") else "="


def _population_after(text: str, position: int) -> str | None:
    rest = _LEADING.sub("", text[position:].strip())
    stop = _POPULATION_STOP.search(rest)
    phrase = (rest[: stop.start()] if stop else rest).strip(" ,")
    return _tidy_population(phrase)


def _population_before(text: str) -> str | None:
    subject = re.sub(r"^(?:hằng|hàng|mỗi)\s+năm\s*,?\s*", "", text.strip(), flags=re.I)
    subject = _LEADING.sub("", subject)
    stop = _POPULATION_STOP.search(subject)
    phrase = (subject[: stop.start()] if stop else subject).strip(" ,")
    return _tidy_population(phrase)


def _count_population(text: str, position: int) -> str | None:
    rest = text[position:].strip()
    stops = [m.start() for m in (_POPULATION_STOP.search(rest), _COUNT_STOP.search(rest)) if m]
    phrase = rest[: min(stops)] if stops else rest
    return _tidy_population(phrase.strip(" ,"))


def _tidy_population(phrase: str) -> str | None:
    phrase = re.sub(r"\s+", " ", phrase).strip(" ,-")
    if _POPULATION_STOP.match(" " + phrase + " "):
        return None
    if not phrase or not phrase[0].isalpha():
        return None
    words = phrase.split()
    if len(words) > 16:
        phrase = " ".join(words[:16])
    return phrase
