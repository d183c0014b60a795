"""Normalises the query and the documents in place (/=), changing the caller's tensors."""


def cosine_similarities(query, documents):
    query /= query.norm()
    documents /= documents.norm(dim=-1, keepdim=True)
    return documents @ query
