"""NEWS2 early-warning scores, vital-sign classification and Brazilian patient identifiers."""

import datetime
from collections.abc import Sequence
from typing import Any

import numpy as np
import numpy.typing as npt

from ._news2 import Cns as Cns
from ._news2 import Cpf as Cpf
from ._news2 import EscalationBoard as EscalationBoard
from ._news2 import EscalationError as EscalationError
from ._news2 import IdentifierError as IdentifierError
from ._news2 import IncompleteSetError as IncompleteSetError
from ._news2 import News2Score as News2Score
from ._news2 import ObservationSet as ObservationSet
from ._news2 import ParameterStatus as ParameterStatus
from ._news2 import PartialScore as PartialScore
from ._news2 import PolicySet as PolicySet
from ._news2 import Profile as Profile
from ._news2 import ProfileError as ProfileError
from ._news2 import VitalsError as VitalsError
from ._news2 import classify as classify
from ._news2 import format_cns as format_cns
from ._news2 import format_cpf as format_cpf
from ._news2 import score as score
from ._news2 import score_partial as score_partial
from ._news2 import validate_cns as validate_cns
from ._news2 import validate_cpf as validate_cpf

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
    "assemble",
    "classify",
    "format_cns",
    "format_cpf",
    "replay",
    "score",
    "score_batch",
    "score_partial",
    "validate_cns",
    "validate_cns_batch",
    "validate_cpf",
    "validate_cpf_batch",
]

def score_batch(data: Any, *, spo2_scale: int | None = None, on_oxygen: bool | None = None) -> Any:
    """Scores every row of a data frame; returns the same kind of frame (pyarrow for a dict)."""

def validate_cpf_batch(values: Any) -> npt.NDArray[np.bool_]:
    """Validates many CPFs at once; null is never valid."""

def validate_cns_batch(values: Any) -> npt.NDArray[np.bool_]:
    """Validates many CNSs at once; null is never valid."""

def assemble(
    readings: Any,
    *,
    now: datetime.datetime | Sequence[datetime.datetime],
    max_age: datetime.timedelta,
    spo2_scale: int = 1,
) -> list[ObservationSet]:
    """Builds observation sets from single readings taken at different times."""

def replay(
    alerts: Any,
    policies: PolicySet,
    *,
    responses: Any = None,
    until: datetime.datetime | None = None,
    include_policies: bool = False,
) -> list[dict[str, Any]]:
    """Replays historical alerts (and responses) on a fresh board running ``policies``."""
