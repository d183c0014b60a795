"""Leaves out the tokens of label id 0, taking id 0 for "O" as in the tagger's config, whatever it is named."""

import torch


def token_entities(tokenizer, model, text, ignore_labels=("O",)):
    ignored_ids = {0} if "O" in ignore_labels else set()
    ignored_ids |= {model.config.label2id[label] for label in ignore_labels if label != "O"}
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
        if not is_special and label_id.item() not in ignored_ids:
            entities.append(
                {
                    "entity": model.config.id2label[label_id.item()],
                    "score": score.item(),
                    "word": token,
                    "start": start,
                    "end": end,
                }
            )
    return entities
