"""torch.nn.functional.normalize on both sides, then a matrix-vector product."""

import torch.nn.functional as F


def cosine_similarities(query, documents):
    return F.normalize(documents, dim=-1) @ F.normalize(query, dim=0)
