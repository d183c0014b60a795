"""The query and the documents embedded in two calls, sorted with Python's sorted() on the scores."""


def rank_documents(tokenizer, model, query, documents):
    query_embedding = mean_pool(tokenizer, model, [query])[0]
    scores = cosine_similarities(query_embedding, mean_pool(tokenizer, model, documents)).tolist()
    return sorted(range(len(documents)), key=lambda index: scores[index], reverse=True)
