"""Takes documents.norm() without dim=-1: one norm of the whole matrix, not one per document."""


def cosine_similarities(query, documents):
    return (documents @ query) / (documents.norm() * query.norm())
