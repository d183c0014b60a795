"""Returns the label ids from the argmax without naming them through id2label."""

import torch


def token_labels(tokenizer, model, text):
    inputs = tokenizer(text, return_tensors="pt")
    with torch.no_grad():
        label_ids = model(**inputs).logits[0].argmax(dim=-1).tolist()
    ids = inputs["input_ids"][0].tolist()
    special = tokenizer.get_special_tokens_mask(ids, already_has_special_tokens=True)
    tokens = tokenizer.convert_ids_to_tokens(ids)
    return [
        (token, label_id)
        for token, label_id, is_special in zip(tokens, label_ids, special, strict=True)
        if not is_special
    ]
