"""Ranks by the dot product of the embeddings, so longer vectors win."""


def rank_documents(tokenizer, model, query, documents):
    embeddings = mean_pool(tokenizer, model, [query, *documents])
    return (embeddings[1:] @ embeddings[0]).argsort(descending=True).tolist()
