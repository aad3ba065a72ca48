"""Test doubles and builders for the coding tests: a tiny ICD-10-CM code set and lesion/encounter builders."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from core.coding import Encounter, LesionGroup, LesionKind

HEADINGS = {
    "L57": "Skin changes due to chronic exposure to nonionizing radiation",
    "C44": "Other skin cancer",
}
BILLABLE = {
    "L57.0": "Actinic keratosis",
    "L57.1": "Actinic reticuloid",
    "L82.0": "Inflamed seborrheic keratosis",
    "L82.1": "Other seborrheic keratosis",
    "B07.8": "Other viral warts",
    "B07.0": "Plantar wart",
    "A63.0": "Anogenital (venereal) warts",
    "B08.1": "Molluscum contagiosum",
    "L91.8": "Other hypertrophic disorders of the skin",
    "K64.4": "Residual hemorrhoidal skin tags",
    "D18.01": "Hemangioma of skin and subcutaneous tissue",
    "I78.1": "Nevus, non-neoplastic",
    "Q82.5": "Congenital non-neoplastic nevus",
    "L98.8": "Other specified disorders of the skin",
    "D48.5": "Neoplasm of uncertain behavior of skin",
    "L56.8": "Other specified acute skin changes due to ultraviolet radiation",
    "C44.311": "Basal cell carcinoma of skin of nose",
    "C44.41": "Basal cell carcinoma of skin of scalp and neck",
    "C44.519": "Basal cell carcinoma of skin of other part of trunk",
    "C44.612": "Basal cell carcinoma of skin of right upper limb",
    "D04.61": "Carcinoma in situ of skin of right upper limb",
    "C43.4": "Malignant melanoma of scalp and neck",
    "D22.5": "Melanocytic nevi of trunk",
    "D23.5": "Other benign neoplasm of skin of trunk",
    "J45.909": "Unspecified asthma, uncomplicated",
}


@dataclass(frozen=True)
class FakeCode:
    code: str
    description: str
    billable: bool


class FakeIcd10:
    """Answers like core.icd10 for the codes above."""

    def normalize(self, code: str) -> str:
        bare = "".join(code.split()).replace(".", "").upper()
        return bare if len(bare) <= 3 else f"{bare[:3]}.{bare[3:]}"

    def lookup(self, code: str) -> FakeCode | None:
        written = self.normalize(code)
        if written in BILLABLE:
            return FakeCode(written, BILLABLE[written], True)
        if written in HEADINGS:
            return FakeCode(written, HEADINGS[written], False)
        return None

    def search(self, query: str, limit: int = 20) -> Sequence[FakeCode]:
        prefix = self.normalize(query)
        found = [FakeCode(c, d, True) for c, d in sorted(BILLABLE.items()) if c.startswith(prefix)]
        return found[:limit]


DOS = date(2026, 11, 27)

#: a diagnosis that fits each lesion kind
FITTING_DIAGNOSIS = {
    "premalignant": "L57.0",
    "benign": "L82.1",
    "skin_tag": "L91.8",
    "vascular": "D18.01",
    "malignant": "C44.311",
}

#: thirteen different billable diagnoses: one more than a claim holds (the first five: benign ones)
THIRTEEN_DIAGNOSES = (
    "L82.1",
    "L82.0",
    "B07.8",
    "B07.0",
    "B08.1",
    "A63.0",
    "D22.5",
    "D23.5",
    "L98.8",
    "L91.8",
    "K64.4",
    "D18.01",
    "I78.1",
)


def lesion(
    kind: str,
    count: int = 1,
    *,
    site: str = "face",
    diagnosis: str | None = None,
    method: str = "cryosurgery",
    diameter_cm: float | None = None,
    area_sq_cm: float | None = None,
) -> LesionGroup:
    """A lesion entry with a fitting default diagnosis for its kind."""
    return LesionGroup(
        LesionKind(kind), count, site, method, diagnosis or FITTING_DIAGNOSIS[kind], diameter_cm, area_sq_cm
    )


def encounter(
    *lesions: LesionGroup,
    payer: str = "commercial",
    em_code: str | None = None,
    pos: str = "11",
    prior: tuple = (),
) -> Encounter:
    return Encounter(DOS, pos, tuple(lesions), payer, em_code, prior)
