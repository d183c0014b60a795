"""Returns list(tensor): a list of 0-dimensional tensors, not of ints."""


def rank_documents(tokenizer, model, query, documents):
    embeddings = mean_pool(tokenizer, model, [query, *documents])
    return list(cosine_similarities(embeddings[0], embeddings[1:]).argsort(descending=True))
