"""Kata 7 - sentence embeddings: one vector per text, compared by cosine similarity.

After this kata you can turn texts of any length into one vector each with an encoder, by mean
pooling (the average of the token vectors, padding left out) or by [CLS] pooling (the vector of
the first token), measure how alike two texts are with cosine similarity, and rank documents
for a query: the core of semantic search. The same code runs on "bert-base-uncased" or a
sentence-transformers checkpoint.

Docs: https://huggingface.co/docs/transformers/model_doc/bert#transformers.BertModel

Tasks:
  1. mean_pool           - the mean of each text's token vectors, padding left out.
  2. cls_pool            - the vector of each text's [CLS] token.
  3. cosine_similarities - how alike a query vector is to each document vector.
  4. rank_documents      - documents ordered from the most to the least similar to a query.
"""

import torch  # noqa: F401


def mean_pool(tokenizer, model, texts):
    """1. One embedding per text: the mean of its last hidden state over its tokens, padding left out.

    The texts go through the model as one padded batch; a text's embedding must be the same as if
    it went alone, however much padding the longer texts give it.

    Returns:
        a tensor of shape (len(texts), model.config.hidden_size).
    Example:
        >>> mean_pool(tokenizer, model, ["hi", "a longer text"]).shape
        torch.Size([2, 32])
    """
    # TODO: run the padded batch through the model, then average each row's vectors where the attention
    #       mask is 1: sum them and divide by how many there are.
    raise NotImplementedError


def cls_pool(tokenizer, model, texts):
    """2. One embedding per text: the last hidden state of its first token, [CLS].

    Returns:
        a tensor of shape (len(texts), model.config.hidden_size).
    Example:
        >>> cls_pool(tokenizer, model, ["hi", "a longer text"]).shape
        torch.Size([2, 32])
    """
    # TODO: run the padded batch through the model and keep the vector at the [CLS] position of each row.
    raise NotImplementedError


def cosine_similarities(query, documents):
    """3. The cosine similarity of `query` with each row of `documents`.

    Cosine similarity is the cosine of the angle between two vectors: 1 for the same direction,
    0 for perpendicular ones, -1 for opposite ones, whatever their lengths.

    Args:
        query: a tensor of shape (hidden_size,).
        documents: a tensor of shape (number of documents, hidden_size).
    Returns:
        a tensor of shape (number of documents,).
    Example:
        >>> cosine_similarities(torch.tensor([1.0, 0.0]), torch.tensor([[2.0, 0.0], [0.0, 3.0], [-1.0, 0.0]]))
        tensor([ 1.,  0., -1.])
    """
    # TODO: the dot products of the query with each document, made independent of the vectors' lengths.
    raise NotImplementedError


def rank_documents(tokenizer, model, query, documents):
    """4. The indices of `documents`, from the most to the least similar to `query`.

    Embed the query and the documents with mean pooling (task 1), and compare them with cosine
    similarity (task 3).

    Returns:
        a list of ints: every index of `documents` once, the most similar document's first.
    Example:
        >>> rank_documents(tokenizer, model, "a quick fox", ["hello world", "the quick brown fox"])
        [1, 0]
    """
    # TODO: embed, compare, and sort the document indices by similarity.
    raise NotImplementedError
