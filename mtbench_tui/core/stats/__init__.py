"""Agreement statistics. The stable public face of this package is ``mtbench_tui.stats``.

Names load on first use (PEP 562), so a module that needs only the numpy engine
(``core.stats.paired``) doesn't pay for importing scipy and krippendorff.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

_WHERE = {
    "brennan_prediger": "agreement",
    "cohen_kappa": "agreement",
    "fleiss_components": "agreement",
    "fleiss_kappa": "agreement",
    "gwet_ac1": "agreement",
    "gwet_ac2": "agreement",
    "percent_agreement": "agreement",
    "scotts_pi": "agreement",
    "BootstrapResult": "bootstrap",
    "bootstrap_ci": "bootstrap",
    "BlandAltman": "correlation",
    "Correlation": "correlation",
    "bland_altman": "correlation",
    "kendall": "correlation",
    "pearson": "correlation",
    "spearman": "correlation",
    "icc": "reliability",
    "icc_interval": "reliability",
    "krippendorff_alpha": "reliability",
    "AgreementCount": "verdicts",
    "VerdictAgreement": "verdicts",
    "score_vote": "verdicts",
    "verdict_agreement": "verdicts",
}

__all__ = [
    "AgreementCount",
    "BlandAltman",
    "BootstrapResult",
    "Correlation",
    "VerdictAgreement",
    "bland_altman",
    "bootstrap_ci",
    "brennan_prediger",
    "cohen_kappa",
    "fleiss_components",
    "fleiss_kappa",
    "gwet_ac1",
    "gwet_ac2",
    "icc",
    "icc_interval",
    "kendall",
    "krippendorff_alpha",
    "pearson",
    "percent_agreement",
    "score_vote",
    "scotts_pi",
    "spearman",
    "verdict_agreement",
]


def __getattr__(name: str) -> Any:
    """Load a public name from its module on first use."""
    module = _WHERE.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{module}"), name)
    globals()[name] = value
    return value


if TYPE_CHECKING:
    from mtbench_tui.core.stats.agreement import (
        brennan_prediger,
        cohen_kappa,
        fleiss_components,
        fleiss_kappa,
        gwet_ac1,
        gwet_ac2,
        percent_agreement,
        scotts_pi,
    )
    from mtbench_tui.core.stats.bootstrap import BootstrapResult, bootstrap_ci
    from mtbench_tui.core.stats.correlation import (
        BlandAltman,
        Correlation,
        bland_altman,
        kendall,
        pearson,
        spearman,
    )
    from mtbench_tui.core.stats.reliability import icc, icc_interval, krippendorff_alpha
    from mtbench_tui.core.stats.verdicts import (
        AgreementCount,
        VerdictAgreement,
        score_vote,
        verdict_agreement,
    )
