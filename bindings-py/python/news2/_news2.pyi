"""Type stubs for the Rust extension module ``news2._news2`` (import ``news2`` instead)."""

import datetime
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, Literal

from typing_extensions import final

import numpy as np
import numpy.typing as npt

__all__ = [
    "Cns",
    "Cpf",
    "EscalationBoard",
    "EscalationError",
    "IdentifierError",
    "IncompleteSetError",
    "News2Score",
    "ObservationSet",
    "ParameterStatus",
    "PartialScore",
    "PolicySet",
    "Profile",
    "ProfileError",
    "VitalsError",
    "classify",
    "format_cns",
    "format_cpf",
    "score",
    "score_partial",
    "validate_cns",
    "validate_cpf",
    "_assemble",
    "_replay",
    "_object_text_arrow",
    "_score_arrow",
    "_score_arrow_numpy",
    "_validate_cns_arrow",
    "_validate_cpf_arrow",
]

_Risk = Literal["low", "low-medium", "medium", "high"]
_Freshness = Literal["fresh", "stale", "missing"]

class VitalsError(ValueError):
    """An observation that cannot be scored: impossible, malformed or missing."""

    field: str
    kind: str

class EscalationError(ValueError):
    """A policy set or an escalation command that escalation-core refuses."""

class IdentifierError(ValueError):
    """A text that is not a valid CPF or CNS."""

    identifier: Literal["cpf", "cns"]
    kind: str
    position: int | None
    expected: int | None
    found: int | None
    remainder: int | None

class ProfileError(ValueError):
    """A classification profile that cannot be used."""

    field: str | None
    kind: str

class IncompleteSetError(ValueError):
    """An observation set that cannot be scored as complete."""

    missing: list[str]
    stale: list[str]

@final
class News2Score:
    """The result of ``score``: a complete NEWS2 score."""

    @property
    def total(self) -> int: ...
    @property
    def risk(self) -> _Risk: ...
    @property
    def parameters(self) -> dict[str, int]: ...
    @property
    def monitoring(self) -> str: ...
    @property
    def response(self) -> str: ...
    @property
    def red(self) -> list[str]: ...
    @property
    def scale(self) -> int: ...
    @property
    def complete(self) -> bool: ...
    def to_dict(self) -> dict[str, Any]: ...
    def __eq__(self, value: object, /) -> bool: ...

@final
class PartialScore:
    """The result of ``score_partial``: the score of what was measured."""

    @property
    def total(self) -> int: ...
    @property
    def parameters(self) -> dict[str, int | None]: ...
    @property
    def missing(self) -> list[str]: ...
    @property
    def complete(self) -> bool: ...
    @property
    def red(self) -> list[str]: ...
    @property
    def scale(self) -> int: ...
    @property
    def minimum_risk(self) -> _Risk: ...
    def to_complete(self) -> News2Score | None: ...
    def to_dict(self) -> dict[str, Any]: ...
    def __eq__(self, value: object, /) -> bool: ...

@final
class Cpf:
    """A valid CPF (Cadastro de Pessoas Físicas)."""

    def __new__(cls, text: str) -> Cpf: ...
    @staticmethod
    def parse(text: str) -> Cpf: ...
    @property
    def digits(self) -> str: ...
    @property
    def fiscal_region(self) -> int: ...
    @property
    def fiscal_region_states(self) -> list[str]: ...
    def __eq__(self, value: object, /) -> bool: ...
    def __hash__(self) -> int: ...

@final
class Cns:
    """A valid CNS (Cartão Nacional de Saúde)."""

    def __new__(cls, text: str) -> Cns: ...
    @staticmethod
    def parse(text: str) -> Cns: ...
    @property
    def digits(self) -> str: ...
    @property
    def kind(self) -> Literal["definitive", "provisional"]: ...
    def __eq__(self, value: object, /) -> bool: ...
    def __hash__(self) -> int: ...

@final
class Profile:
    """Thresholds for each classified vital: the NEWS2-derived default, or a custom profile."""

    def __new__(cls, entries: Mapping[str, Mapping[str, float | None]] | None = None) -> Profile: ...
    @staticmethod
    def default() -> Profile: ...
    @staticmethod
    def from_dict(entries: Mapping[str, Mapping[str, float | None]]) -> Profile: ...
    @staticmethod
    def from_json(text: str) -> Profile: ...
    def to_dict(self) -> dict[str, dict[str, float]]: ...
    def __eq__(self, value: object, /) -> bool: ...

@final
class ParameterStatus:
    """What assembly found for one parameter."""

    @property
    def parameter(self) -> str: ...
    @property
    def freshness(self) -> _Freshness: ...
    @property
    def value(self) -> int | float | bool | str | None: ...
    @property
    def time(self) -> datetime.datetime | None: ...
    @property
    def age(self) -> datetime.timedelta | None: ...

@final
class ObservationSet:
    """One patient's observation set at one time."""

    @property
    def patient(self) -> Any: ...
    @property
    def now(self) -> datetime.datetime: ...
    @property
    def max_age(self) -> datetime.timedelta: ...
    @property
    def spo2_scale(self) -> int: ...
    def status(self, parameter: str) -> ParameterStatus: ...
    @property
    def statuses(self) -> dict[str, ParameterStatus]: ...
    @property
    def missing(self) -> list[str]: ...
    @property
    def stale(self) -> list[str]: ...
    @property
    def complete(self) -> bool: ...
    def score(self) -> News2Score: ...
    def score_partial(self) -> PartialScore: ...
    def to_dict(self) -> dict[str, Any]: ...

@final
class PolicySet:
    """Escalation chains per NEWS2 risk band (escalation-core's ``PolicySet``)."""

    def __new__(cls, spec: Mapping[str, Any] | str) -> PolicySet: ...
    @staticmethod
    def from_dict(spec: Mapping[str, Any]) -> PolicySet: ...
    @staticmethod
    def from_json(text: str) -> PolicySet: ...
    @staticmethod
    def demo() -> PolicySet: ...
    @staticmethod
    def production() -> PolicySet: ...
    def to_dict(self) -> dict[str, Any]: ...
    def to_json(self) -> str: ...
    def __eq__(self, value: object, /) -> bool: ...

@final
class EscalationBoard:
    """Open escalations driven by explicit timestamps (escalation-core's ``Board``)."""

    def __new__(cls, policies: PolicySet) -> EscalationBoard: ...
    def alert(self, patient: int, risk: str, at: datetime.datetime) -> tuple[int, list[dict[str, Any]]]: ...
    def update_risk(self, escalation_id: int, *, risk: str, at: datetime.datetime) -> list[dict[str, Any]]: ...
    def acknowledge(
        self, escalation_id: int, *, staff_id: str, role: str, at: datetime.datetime
    ) -> list[dict[str, Any]]: ...
    def decline(
        self, escalation_id: int, *, staff_id: str, role: str, at: datetime.datetime
    ) -> list[dict[str, Any]]: ...
    def snooze(
        self, escalation_id: int, *, staff_id: str, role: str, duration: datetime.timedelta, at: datetime.datetime
    ) -> list[dict[str, Any]]: ...
    def resolve(
        self, escalation_id: int, *, staff_id: str, role: str, at: datetime.datetime
    ) -> list[dict[str, Any]]: ...
    def advance_to(self, at: datetime.datetime) -> list[dict[str, Any]]: ...
    def next_deadline(self) -> datetime.datetime | None: ...
    def open_for(self, patient: int) -> int | None: ...
    def state(self, escalation_id: int) -> Literal["notifying", "acknowledged", "unanswered"] | None: ...
    def __len__(self) -> int: ...

_Number = int | float

def score(
    *,
    respiration_rate: _Number | None,
    spo2: _Number | None,
    systolic_bp: _Number | None,
    pulse: _Number | None,
    consciousness: str | None,
    temperature: _Number | None,
    on_oxygen: bool | None = False,
    spo2_scale: _Number | None = 1,
) -> News2Score:
    """Scores one complete observation set."""

def score_partial(
    *,
    respiration_rate: _Number | None = None,
    spo2: _Number | None = None,
    systolic_bp: _Number | None = None,
    pulse: _Number | None = None,
    consciousness: str | None = None,
    temperature: _Number | None = None,
    on_oxygen: bool | None = None,
    spo2_scale: _Number | None = None,
) -> PartialScore:
    """Scores an observation set that may have gaps."""

def classify(
    *,
    respiration_rate: _Number | None = None,
    spo2: _Number | None = None,
    systolic_bp: _Number | None = None,
    diastolic_bp: _Number | None = None,
    pulse: _Number | None = None,
    temperature: _Number | None = None,
    consciousness: str | None = None,
    profile: Profile | Mapping[str, Mapping[str, float | None]] | str | None = None,
) -> dict[str, dict[str, str | None]]:
    """Classifies each vital given as normal, warning or critical."""

def validate_cpf(text: str) -> bool:
    """Whether ``text`` is a valid CPF."""

def format_cpf(text: str) -> str:
    """The masked form of a valid CPF."""

def validate_cns(text: str) -> bool:
    """Whether ``text`` is a valid CNS."""

def format_cns(text: str) -> str:
    """The spaced form of a valid CNS."""

def _replay(
    alerts: Iterable[Mapping[str, Any]],
    policies: PolicySet,
    *,
    responses: Iterable[Mapping[str, Any]] | None = None,
    until: datetime.datetime | None = None,
    include_policies: bool = False,
) -> list[dict[str, Any]]: ...
def _score_arrow(
    data: Any,
    *,
    spo2_scale: _Number | None = None,
    on_oxygen: bool | None = None,
    error_view: bool = False,
) -> Any: ...
def _score_arrow_numpy(
    data: Any,
    *,
    spo2_scale: _Number | None = None,
    on_oxygen: bool | None = None,
    error_arrow: bool = False,
) -> dict[str, Any]: ...
def _object_text_arrow(values: npt.NDArray[np.object_]) -> Any | None: ...
def _validate_cpf_arrow(values: Any) -> npt.NDArray[np.bool_]: ...
def _validate_cns_arrow(values: Any) -> npt.NDArray[np.bool_]: ...
def _assemble(
    records: Iterable[Mapping[str, Any]],
    *,
    now: datetime.datetime | Sequence[datetime.datetime],
    max_age: datetime.timedelta,
    spo2_scale: _Number | None = None,
) -> list[ObservationSet]: ...
