"""Match the names of bodies as a plan writes them to the agencies of the issuing unit.

Owns: AgencyMatcher (one per unit and date), AgencyMatch, is_generic(), agency_kind_guess().
Invariants: case, diacritics, punctuation and the usual abbreviations (UBND, UBMTTQ, LĐTBXH …)
never matter; the unit's own place name may be written or left out ("Công an xã" is "Công an
xã Hoằng Hợp"); a name that fits several agencies equally is ambiguous, never guessed; generic
phrases ("các đơn vị có liên quan", "Ủy ban nhân dân các huyện") are not agencies.
Not here: writing (importing.py), the preview (preview.py).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from django.utils.translation import gettext as _

from pcmd.common.text import nfc, search_key
from pcmd.orgunits.models import Agency, OrgUnit
from pcmd.orgunits.selectors import agency_list

# Abbreviations of bodies as plans write them, keyed by search_key (longest first).
_ABBREVIATIONS: list[tuple[str, str]] = [
    ("ubmttqvn", "uy ban mat tran to quoc viet nam"),
    ("ubmttq", "uy ban mat tran to quoc"),
    ("mttq", "mat tran to quoc"),
    ("ubnd", "uy ban nhan dan"),
    ("hdnd", "hoi dong nhan dan"),
    ("ldtbxh", "lao dong thuong binh va xa hoi"),
    ("lhpn", "lien hiep phu nu"),
    ("vhttdl", "van hoa the thao va du lich"),
    ("vh xh", "van hoa xa hoi"),
    ("vhxh", "van hoa xa hoi"),
    ("tttt", "thong tin va truyen thong"),
    ("gd dt", "giao duc va dao tao"),
    ("gddt", "giao duc va dao tao"),
    ("kh dt", "ke hoach va dau tu"),
    ("khdt", "ke hoach va dau tu"),
    ("kh cn", "khoa hoc va cong nghe"),
    ("pt th", "phat thanh truyen hinh"),
    ("vksnd", "vien kiem sat nhan dan"),
    ("tand", "toa an nhan dan"),
    ("bdbp", "bo doi bien phong"),
    ("ccb", "cuu chien binh"),
    ("tncs", "thanh nien cong san"),
]
# Words that name a level of unit: "Công an xã", "Ủy ban nhân dân huyện".
_LEVEL_WORDS = (
    "thanh pho",
    "thi tran",
    "thi xa",
    "dac khu",
    "to dan pho",
    "khu pho",
    "tinh",
    "huyen",
    "quan",
    "xa",
    "phuong",
    "thon",
    "xom",
    "ap",
    "ban",
    "thi",
)
# A body is generic when it names a group, not one body.
_GENERIC_PATTERNS = [
    re.compile(r"^(cac|nhung|moi|toan the)\b"),
    re.compile(r"\bcac (co quan|don vi|nganh|ban|so|doan the|to chuc|cap|dia phuong|xa|huyen)\b"),
    re.compile(r"\b(co )?lien quan\b"),
    re.compile(r"\bcac cap\b"),
    re.compile(r"\bkhac$"),
]
# After a body's name, words that turn it into a group ("Ủy ban nhân dân các huyện").
_GROUP_NEXT = {"cac", "cap", "nhung", "moi"}

# Agency kind guessed from a name (for agencies a user asks to create).
_KIND_WORDS: list[tuple[str, str]] = [
    ("uy ban mat tran", Agency.Kind.FATHERLAND_FRONT),
    ("mat tran to quoc", Agency.Kind.FATHERLAND_FRONT),
    ("uy ban nhan dan", Agency.Kind.PEOPLE_COMMITTEE),
    ("hoi dong nhan dan", Agency.Kind.PEOPLE_COUNCIL),
    ("cong an", Agency.Kind.POLICE),
    ("bien phong", Agency.Kind.BORDER_GUARD),
    ("cong chuc van hoa", Agency.Kind.CULTURE_SOCIAL_OFFICER),
    ("phong van hoa", Agency.Kind.CULTURE_SOCIAL_OFFICE),
    ("lao dong thuong binh", Agency.Kind.LABOUR_SOCIAL_AFFAIRS),
    ("tram y te", Agency.Kind.HEALTH_STATION),
    ("y te", Agency.Kind.HEALTH_DEPARTMENT),
    ("truyen thanh", Agency.Kind.RADIO),
    ("phat thanh", Agency.Kind.RADIO),
    ("bao ", Agency.Kind.PRESS),
    ("tu phap", Agency.Kind.JUSTICE),
    ("tai chinh", Agency.Kind.FINANCE),
    ("giao duc", Agency.Kind.EDUCATION),
    ("truong", Agency.Kind.SCHOOL),
    ("tuyen giao", Agency.Kind.PROPAGANDA_BOARD),
    ("kiem sat", Agency.Kind.PROCURACY),
    ("toa an", Agency.Kind.COURT),
    ("phu nu", Agency.Kind.WOMENS_UNION),
    ("doan thanh nien", Agency.Kind.YOUTH_UNION),
    ("tinh doan", Agency.Kind.YOUTH_UNION),
    ("nong dan", Agency.Kind.FARMERS_UNION),
    ("cuu chien binh", Agency.Kind.VETERANS),
    ("lien doan lao dong", Agency.Kind.LABOUR_FEDERATION),
    ("ban chi dao", Agency.Kind.STEERING_COMMITTEE),
]


def _expand(key: str) -> str:
    padded = f" {key} "
    for short, full in _ABBREVIATIONS:
        padded = padded.replace(f" {short} ", f" {full} ")
    return padded.strip()


def name_key(text: str) -> str:
    """search_key with abbreviations spelled out and a leading "Đề nghị" dropped."""
    key = _expand(search_key(text))
    for lead in ("de nghi ", "giao "):
        if key.startswith(lead):
            key = key[len(lead) :]
    return key


def is_requested_phrase(text: str) -> bool:
    """“Đề nghị Viện Kiểm sát …”: the plan asks a body outside the committee's authority."""
    return search_key(text).startswith("de nghi ")


def is_generic(text: str) -> bool:
    """True for phrases that name a group of bodies rather than one ("các đơn vị có liên quan")."""
    key = name_key(text)
    return not key or any(p.search(key) for p in _GENERIC_PATTERNS)


def agency_kind_guess(name: str) -> str:
    key = name_key(name)
    for words, kind in _KIND_WORDS:
        if words in key:
            return kind
    return Agency.Kind.OTHER


def clean_name(text: str) -> str:
    """The name as it should be stored for a new agency: NFC, no “Đề nghị”, no final dot."""
    value = nfc(text).rstrip(" .;,:")
    value = re.sub(r"^(Đề nghị|đề nghị|ĐỀ NGHỊ)\s+", "", value)
    return value


@dataclass
class AgencyMatch:
    """How one written name was resolved: an agency, a generic phrase, or nothing (uncertain)."""

    text: str
    agency_id: int | None = None
    agency_name: str = ""
    generic: bool = False
    requested: bool = False
    uncertain: bool = False
    ambiguous: bool = False  # several agencies fit; otherwise an uncertain name fits none
    reason: str = ""
    candidates: list[dict[str, object]] = field(default_factory=list)
    chosen: bool = False  # the user chose (or created) the agency; no guess involved

    @property
    def is_matched(self) -> bool:
        return self.agency_id is not None


def _tokens(key: str) -> list[str]:
    return key.split()


def _is_word_prefix(short: str, long: str) -> bool:
    return long == short or long.startswith(short + " ")


class AgencyMatcher:
    """Resolve names against the agencies of `org_unit` valid on `on` (loaded once)."""

    def __init__(self, org_unit: OrgUnit, *, on: date) -> None:
        self.org_unit = org_unit
        self.on = on
        self.agencies: list[Agency] = list(agency_list(org_unit, on=on))
        place = search_key(org_unit.short_name or org_unit.name)
        full = search_key(org_unit.name)
        # "xa hoang hop", "hoang hop" — what a name may end with to say it is this unit's.
        self._suffixes = sorted({full, place}, key=len, reverse=True)
        self._cores: list[tuple[Agency, set[str]]] = [
            (agency, {c for c in (self.core(agency.name), self.core(agency.short_name)) if c})
            for agency in self.agencies
        ]

    def core(self, text: str) -> str:
        """The name without the unit's place name and without a trailing level word."""
        key = name_key(text or "")
        for suffix in self._suffixes:
            if suffix and key.endswith(" " + suffix):
                key = key[: -len(suffix) - 1].strip()
                break
        for word in _LEVEL_WORDS:
            if key.endswith(" " + word):
                key = key[: -len(word) - 1].strip()
                break
        return key

    def _label(self, agency: Agency) -> dict[str, object]:
        return {"id": agency.pk, "name": agency.name}

    def match(self, text: str, *, chosen: dict[str, int | None] | None = None) -> AgencyMatch:
        raw = nfc(text)
        result = AgencyMatch(text=raw, requested=is_requested_phrase(raw))
        if chosen is not None:
            key = search_key(clean_name(raw))
            for name, agency_id in chosen.items():
                if search_key(clean_name(name)) == key:
                    result.chosen = True
                    if agency_id is None:
                        result.generic = True  # the user keeps it as text
                        return result
                    agency = next((a for a in self.agencies if a.pk == agency_id), None)
                    if agency is not None:
                        return self._matched(result, agency)
        core = self.core(raw)
        if not core:
            result.generic = True
            return result
        exact = [a for a, cores in self._cores if core in cores]
        if len(exact) == 1:
            return self._matched(result, exact[0])
        if len(exact) > 1:
            return self._ambiguous(result, exact)
        # "Hội Liên hiệp Phụ nữ" for "Hội Liên hiệp Phụ nữ xã Hoằng Hợp".
        if len(_tokens(core)) >= 2:
            shorter = [
                a for a, cores in self._cores if any(_is_word_prefix(core, c) for c in cores)
            ]
            if len(shorter) == 1:
                return self._matched(result, shorter[0])
            if len(shorter) > 1:
                return self._ambiguous(result, shorter)
        # "Công chức văn hoá xã hội tham mưu …": a body's name followed by what it does.
        longer: list[tuple[int, Agency]] = []
        for agency, cores in self._cores:
            for c in cores:
                if len(_tokens(c)) >= 2 and core.startswith(c + " "):
                    rest = _tokens(core[len(c) + 1 :])
                    if rest and rest[0] not in _GROUP_NEXT:
                        longer.append((len(c), agency))
        if longer:
            best = max(length for length, _a in longer)
            top = list({a.pk: a for length, a in longer if length == best}.values())
            if len(top) == 1:
                return self._matched(result, top[0])
            return self._ambiguous(result, top)
        if is_generic(raw):
            result.generic = True
            return result
        result.uncertain = True
        result.reason = _("Chưa có cơ quan “%(name)s” trong danh sách cơ quan của %(unit)s.") % {
            "name": clean_name(raw),
            "unit": self.org_unit.name,
        }
        result.candidates = [self._label(a) for a in self._similar(core)]
        return result

    def _matched(self, result: AgencyMatch, agency: Agency) -> AgencyMatch:
        result.agency_id = agency.pk
        result.agency_name = agency.name
        result.requested = result.requested or agency.is_requested
        result.uncertain = False
        result.reason = ""
        return result

    def _ambiguous(self, result: AgencyMatch, agencies: list[Agency]) -> AgencyMatch:
        result.uncertain = True
        result.ambiguous = True
        result.reason = _("“%(name)s” có thể là nhiều cơ quan: %(names)s.") % {
            "name": clean_name(result.text),
            "names": "; ".join(a.name for a in agencies),
        }
        result.candidates = [self._label(a) for a in agencies]
        return result

    def _similar(self, core: str, limit: int = 5) -> list[Agency]:
        words = set(_tokens(core))
        scored = []
        for agency, cores in self._cores:
            overlap = max((len(words & set(_tokens(c))) for c in cores), default=0)
            if overlap:
                scored.append((-overlap, agency.name, agency))
        scored.sort(key=lambda row: (row[0], row[1]))
        return [agency for _o, _n, agency in scored[:limit]]
