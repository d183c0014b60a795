"""Divides by the query's length only, not by each document's."""


def cosine_similarities(query, documents):
    return (documents @ query) / query.norm()
