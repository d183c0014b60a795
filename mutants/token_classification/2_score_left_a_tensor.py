"""Puts each token's probability in the dict as the 0-d tensor it is, not as a Python float."""

import torch


def token_entities(tokenizer, model, text, ignore_labels=("O",)):
    inputs = tokenizer(text, return_tensors="pt", return_offsets_mapping=True, return_special_tokens_mask=True)
    offsets = inputs.pop("offset_mapping")[0].tolist()
    special = inputs.pop("special_tokens_mask")[0].tolist()
    with torch.no_grad():
        probabilities = model(**inputs).logits[0].softmax(dim=-1)
    scores, label_ids = probabilities.max(dim=-1)
    tokens = tokenizer.convert_ids_to_tokens(inputs["input_ids"][0])
    entities = []
    for token, score, label_id, (start, end), is_special in zip(
        tokens, scores, label_ids, offsets, special, strict=True
    ):
        label = model.config.id2label[label_id.item()]
        if not is_special and label not in ignore_labels:
            entities.append({"entity": label, "score": score, "word": token, "start": start, "end": end})
    return entities
