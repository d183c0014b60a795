"""Takes the mean of the tokens' scores with torch and leaves it a 0-d tensor."""

import torch


def group_entities(tokenizer, model, text):
    groups = []
    for token in token_entities(tokenizer, model, text, ignore_labels=()):
        label = token["entity"]
        prefix, entity_type = (label[0], label[2:]) if label[:2] in ("B-", "I-") else ("", label)
        if groups and groups[-1][0] == entity_type and prefix != "B":
            groups[-1][1].append(token)
        else:
            groups.append((entity_type, [token]))
    return [
        {
            "entity_group": entity_type,
            "score": torch.tensor([token["score"] for token in tokens]).mean(),
            "word": tokenizer.convert_tokens_to_string([token["word"] for token in tokens]),
            "start": tokens[0]["start"],
            "end": tokens[-1]["end"],
        }
        for entity_type, tokens in groups
        if entity_type != "O"
    ]
