"""L2-regularised logistic regression by Newton's method: the data are tens of thousands of rows of
a score of features, no need for a library."""
from __future__ import annotations

import numpy as np


def fit_logistic(
    x: np.ndarray,
    y: np.ndarray,
    sample_weight: np.ndarray | None = None,
    l2: float = 1.0,
    steps: int = 50,
    offset: np.ndarray | None = None,
) -> tuple[np.ndarray, float]:
    """Weights and bias for raw features. Features are standardised for the fit, so that the penalty
    treats a cosine gap and a share alike; the bias is not shrunk. `offset`: a fixed logit per row
    added to the model's (what another model already says)."""
    n, d = x.shape
    sw = np.ones(n) if sample_weight is None else sample_weight
    center, scale = x.mean(axis=0), x.std(axis=0)
    scale[scale == 0] = 1.0
    xb = np.hstack([(x - center) / scale, np.ones((n, 1))])
    w = np.zeros(d + 1)
    reg = np.full(d + 1, l2)
    reg[-1] = 0.0
    fixed = np.zeros(n) if offset is None else offset
    for _ in range(steps):
        p = 1.0 / (1.0 + np.exp(-(xb @ w + fixed)))
        gradient = xb.T @ (sw * (p - y)) + reg * w
        hessian = (xb * (sw * p * (1 - p))[:, None]).T @ xb + np.diag(reg)
        step = np.linalg.solve(hessian, gradient)
        w -= step
        if np.abs(step).max() < 1e-8:
            break
    weights = w[:-1] / scale
    return weights, float(w[-1] - weights @ center)


def auc(scores: np.ndarray, labels: np.ndarray) -> float:
    """Area under the ROC curve (the chance a positive outranks a negative; ties count half)."""
    pos, neg = scores[labels == 1], scores[labels == 0]
    if not len(pos) or not len(neg):
        return float("nan")
    order = np.argsort(np.concatenate([pos, neg]), kind="mergesort")
    ranks = np.empty(len(order))
    ranks[order] = np.arange(1, len(order) + 1)
    allscores = np.concatenate([pos, neg])
    for value in np.unique(allscores):  # average ranks of ties
        tied = allscores == value
        ranks[tied] = ranks[tied].mean()
    return float((ranks[: len(pos)].sum() - len(pos) * (len(pos) + 1) / 2) / (len(pos) * len(neg)))
