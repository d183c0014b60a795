"""Sorts in ascending order, so the least similar document comes first."""


def rank_documents(tokenizer, model, query, documents):
    embeddings = mean_pool(tokenizer, model, [query, *documents])
    return cosine_similarities(embeddings[0], embeddings[1:]).argsort().tolist()
