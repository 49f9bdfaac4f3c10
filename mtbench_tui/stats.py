"""mtbench-review's agreement statistics: the stable, documented Python API.

Every function takes plain sequences or numpy arrays, with NaN (or None) for a
missing rating; pairs with a missing side are left out.

    >>> from mtbench_tui import stats
    >>> stats.cohen_kappa([1, 2, 3, 3], [1, 2, 3, 2], weights="quadratic", labels=[1, 2, 3])
    0.8

Two raters: ``percent_agreement``, ``cohen_kappa``, ``scotts_pi``, ``gwet_ac1``, ``gwet_ac2``,
``spearman``, ``kendall`` (tau-b), ``pearson``, ``bland_altman``.
Also ``brennan_prediger``, and ``scotts_pi``/``gwet_ac2`` with linear or quadratic weights.
Many raters: ``fleiss_kappa`` (and ``fleiss_components``) (items x categories counts),
``krippendorff_alpha`` (raters x items),
``icc`` and ``icc_interval`` (items x raters, Shrout & Fleiss forms).
Uncertainty: ``bootstrap_ci`` (resamples whole clusters, e.g. question ids, when given).
MT-Bench pairwise verdicts: ``verdict_agreement`` and ``score_vote``.
"""

from mtbench_tui.core.stats import *  # noqa: F403 - this module is the public face of core.stats
from mtbench_tui.core.stats import __all__  # noqa: F401
