"""Human-judge agreement and judge-bias analysis on stored ratings."""
