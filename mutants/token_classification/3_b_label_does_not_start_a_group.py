"""Groups adjacent tokens by type alone, so a B- token joins the entity before it."""


def group_entities(tokenizer, model, text):
    groups = []
    for token in token_entities(tokenizer, model, text, ignore_labels=()):
        entity_type = token["entity"].rpartition("-")[2]
        if groups and groups[-1][0] == entity_type:
            groups[-1][1].append(token)
        else:
            groups.append((entity_type, [token]))
    return [
        {
            "entity_group": entity_type,
            "score": sum(token["score"] for token in tokens) / len(tokens),
            "word": tokenizer.convert_tokens_to_string([token["word"] for token in tokens]),
            "start": tokens[0]["start"],
            "end": tokens[-1]["end"],
        }
        for entity_type, tokens in groups
        if entity_type != "O"
    ]
