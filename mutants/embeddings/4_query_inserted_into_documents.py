"""Inserts the query at the front of the caller's list of documents to embed them in one batch."""


def rank_documents(tokenizer, model, query, documents):
    documents.insert(0, query)
    embeddings = mean_pool(tokenizer, model, documents)
    return cosine_similarities(embeddings[0], embeddings[1:]).argsort(descending=True).tolist()
