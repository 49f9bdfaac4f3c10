"""Pairwise ground truth: human A/B votes, judges' pair verdicts, scores and agreement."""
