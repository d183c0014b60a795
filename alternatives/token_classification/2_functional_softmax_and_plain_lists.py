"""torch.nn.functional.softmax; the offsets and the special tokens mask read from a plain (list) encoding."""

import torch


def token_entities(tokenizer, model, text, ignore_labels=("O",)):
    encoding = tokenizer(text, return_offsets_mapping=True, return_special_tokens_mask=True)
    with torch.no_grad():
        logits = model(
            input_ids=torch.tensor([encoding["input_ids"]]),
            attention_mask=torch.tensor([encoding["attention_mask"]]),
            token_type_ids=torch.tensor([encoding["token_type_ids"]]),
        ).logits[0]
    probabilities = torch.nn.functional.softmax(logits, dim=-1)
    entities = []
    for position, token_id in enumerate(encoding["input_ids"]):
        if encoding["special_tokens_mask"][position]:
            continue
        label_id = int(probabilities[position].argmax())
        label = model.config.id2label[label_id]
        if label in ignore_labels:
            continue
        start, end = encoding["offset_mapping"][position]
        entities.append(
            {
                "entity": label,
                "score": float(probabilities[position, label_id]),
                "word": tokenizer.convert_ids_to_tokens(token_id),
                "start": start,
                "end": end,
            }
        )
    return entities
