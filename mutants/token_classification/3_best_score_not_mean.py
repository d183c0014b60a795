"""Gives each entity the best score of its tokens instead of their mean."""


def group_entities(tokenizer, model, text):
    groups = []
    for token in token_entities(tokenizer, model, text, ignore_labels=()):
        prefix, _, entity_type = token["entity"].rpartition("-")
        if groups and groups[-1][0] == entity_type and prefix != "B":
            groups[-1][1].append(token)
        else:
            groups.append((entity_type, [token]))
    return [
        {
            "entity_group": entity_type,
            "score": max(token["score"] for token in tokens),
            "word": tokenizer.convert_tokens_to_string([token["word"] for token in tokens]),
            "start": tokens[0]["start"],
            "end": tokens[-1]["end"],
        }
        for entity_type, tokens in groups
        if entity_type != "O"
    ]
