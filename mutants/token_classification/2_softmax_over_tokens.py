"""Takes the softmax over the tokens (dim=0) instead of over the labels."""

import torch


def token_entities(tokenizer, model, text, ignore_labels=("O",)):
    inputs = tokenizer(text, return_tensors="pt", return_offsets_mapping=True, return_special_tokens_mask=True)
    offsets = inputs.pop("offset_mapping")[0].tolist()
    special = inputs.pop("special_tokens_mask")[0].tolist()
    with torch.no_grad():
        logits = model(**inputs).logits[0]
    label_ids = logits.argmax(dim=-1)
    probabilities = logits.softmax(dim=0)
    tokens = tokenizer.convert_ids_to_tokens(inputs["input_ids"][0])
    entities = []
    for position, (token, label_id, (start, end), is_special) in enumerate(
        zip(tokens, label_ids, offsets, special, strict=True)
    ):
        label = model.config.id2label[label_id.item()]
        if not is_special and label not in ignore_labels:
            score = probabilities[position, label_id].item()
            entities.append({"entity": label, "score": score, "word": token, "start": start, "end": end})
    return entities
