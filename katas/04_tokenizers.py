"""Kata 4 - tokenizers in depth: ids, tokens, special tokens, batches, offsets and pairs.

After this kata you can read what a tokenizer really does to a text: the ids and the tokens
behind them, the special tokens it adds and how to drop them again, a padded and truncated
batch with its attention mask, the offsets that point each token back into the text, and a
sentence pair with its `token_type_ids`.

Two tokenizers take part: the GPT-2-style one (byte-level BPE: any text round-trips, a space
shows as `Ġ`) and the BERT-style one (WordPiece: lowercased, `##` marks a word's continuation,
`[CLS]` and `[SEP]` added around every text). The same code runs on "gpt2" and "bert-base-uncased".

Docs: https://huggingface.co/docs/transformers/main_classes/tokenizer

Tasks:
  1. encode_and_decode - the ids, their tokens, and the text decoded back without special tokens.
  2. encode_batch      - a padded, truncated batch of texts as PyTorch tensors.
  3. token_spans       - each token with the piece of the original text it came from.
  4. encode_pair       - two texts encoded as one sentence pair.
"""


def encode_and_decode(tokenizer, text):
    """1. Encode `text`, name its tokens, and decode the ids back into text.

    Returns:
        a triple `(ids, tokens, decoded)`: `ids` the list of token ids the tokenizer gives for
        `text` (special tokens included), `tokens` the token string of each id, and `decoded`
        the ids turned back into a `str` without the special tokens.
    Example:
        >>> encode_and_decode(bert_tokenizer, "Hello world")
        ([2, 179, 204, 3], ['[CLS]', 'hello', 'world', '[SEP]'], 'hello world')
        >>> encode_and_decode(gpt2_tokenizer, "Hello world")[1]
        ['Hello', 'Ġwor', 'ld']
    """
    # TODO: tokenize the text, turn its ids into token strings, and decode the ids without special tokens.
    raise NotImplementedError


def encode_batch(tokenizer, texts, max_length):
    """2. Encode a list of texts of different lengths as one batch of PyTorch tensors.

    Every text is cut to at most `max_length` tokens (special tokens included), and the shorter
    ones are padded to the longest text of the batch (not to `max_length`).

    Returns:
        the tokenizer's whole output (a `BatchEncoding`, every field it gives: `input_ids`,
        `attention_mask`, and `token_type_ids` for BERT), each a tensor of shape (len(texts),
        length of the longest text, at most max_length).
    Example:
        >>> batch = encode_batch(bert_tokenizer, ["hi", "the quick brown fox jumps"], 5)
        >>> batch["input_ids"].shape, batch["attention_mask"].tolist()
        (torch.Size([2, 5]), [[1, 1, 1, 1, 0], [1, 1, 1, 1, 1]])
    """
    # TODO: call the tokenizer on the list with the options for padding, truncation, max_length and tensors.
    raise NotImplementedError


def token_spans(tokenizer, text):
    """3. Each token of `text` (no special tokens) with the piece of `text` it was made from.

    Tokens can differ from the text they stand for (`hello` for "Hello", `##i`, `Ġwor` for
    " wor"); the tokenizer can tell, for each token, where in the original text it starts and ends.

    Returns:
        a list of `(token, piece)` tuples of two strings, one per token, where `piece` is a
        slice of `text`.
    Example:
        >>> token_spans(bert_tokenizer, "Hello, Hi")
        [('hello', 'Hello'), (',', ','), ('h', 'H'), ('##i', 'i')]
    """
    # TODO: ask the tokenizer for each token's offsets (and no special tokens), then slice `text` with them.
    raise NotImplementedError


def encode_pair(tokenizer, first, second):
    """4. Encode two texts as one sentence pair, the way BERT reads a question and its context.

    Returns:
        the tokenizer's output (a `BatchEncoding`), with lists (not tensors) as values:
        `input_ids` of `[CLS] first [SEP] second [SEP]`, and `token_type_ids` that say which
        text each token belongs to (0 for the first, 1 for the second).
    Example:
        >>> encode_pair(bert_tokenizer, "a", "b")["token_type_ids"]
        [0, 0, 0, 1, 1]
    """
    # TODO: give the tokenizer both texts so that it knows they are a pair.
    raise NotImplementedError
