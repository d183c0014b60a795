"""torch.nn.functional.cosine_similarity with the query broadcast over the documents."""

import torch.nn.functional as F


def cosine_similarities(query, documents):
    return F.cosine_similarity(query.unsqueeze(0), documents, dim=1)
