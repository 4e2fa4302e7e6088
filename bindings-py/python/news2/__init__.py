"""NEWS2 early-warning scores, vital-sign classification and Brazilian patient identifiers.

Bindings to the ``news2-core`` Rust crate: every clinical rule (the RCP 2017 chart,
the plausibility bounds, the rounding rule, the identifier checks) lives in the core;
this package converts Python and data-frame values and maps errors.

Scalar: ``score``, ``score_partial``, ``classify``. Batch: ``score_batch`` over pandas,
polars, pyarrow or a dict of columns. Time series: ``assemble``. Identifiers: ``Cpf``,
``Cns``, ``validate_cpf``, ``format_cpf``, ``validate_cpf_batch`` and the CNS
equivalents. Escalation simulation (``escalation-core``): ``PolicySet``,
``EscalationBoard`` and ``replay``. Bad input raises ``VitalsError`` (a ``ValueError``) naming the field, the
value and what was expected; a missing value is never treated as normal.
"""

from ._assembly import assemble
from ._batch import score_batch, validate_cns_batch, validate_cpf_batch
from ._escalation import replay
from ._news2 import (
    Cns,
    Cpf,
    EscalationBoard,
    EscalationError,
    IdentifierError,
    IncompleteSetError,
    News2Score,
    ObservationSet,
    ParameterStatus,
    PartialScore,
    PolicySet,
    Profile,
    ProfileError,
    VitalsError,
    classify,
    format_cns,
    format_cpf,
    score,
    score_partial,
    validate_cns,
    validate_cpf,
)

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
