"""Builds [CLS] first [SEP] second [SEP] and its token_type_ids by hand, with no attention_mask."""


def encode_pair(tokenizer, first, second):
    head = tokenizer(first)["input_ids"]
    tail = tokenizer(second, add_special_tokens=False)["input_ids"] + [tokenizer.sep_token_id]
    return {"input_ids": head + tail, "token_type_ids": [0] * len(head) + [1] * len(tail)}
