"""Agreement statistics. The stable public face of this package is ``mtbench_tui.stats``."""

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

__all__ = [
    "AgreementCount",
    "BlandAltman",
    "BootstrapResult",
    "Correlation",
    "VerdictAgreement",
    "bland_altman",
    "bootstrap_ci",
    "brennan_prediger",
    "fleiss_components",
    "icc_interval",
    "cohen_kappa",
    "fleiss_kappa",
    "gwet_ac1",
    "gwet_ac2",
    "icc",
    "kendall",
    "krippendorff_alpha",
    "pearson",
    "percent_agreement",
    "score_vote",
    "scotts_pi",
    "spearman",
    "verdict_agreement",
]
