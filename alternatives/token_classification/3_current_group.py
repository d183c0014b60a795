"""One group open at a time: closed by an O, a B- label or another type; the type is the label past "B-"/"I-"."""


def group_entities(tokenizer, model, text):
    entities, current = [], None

    def close(group):
        if group is not None:
            tokens = group["tokens"]
            entities.append(
                {
                    "entity_group": group["type"],
                    "score": sum(t["score"] for t in tokens) / len(tokens),
                    "word": tokenizer.convert_tokens_to_string([t["word"] for t in tokens]),
                    "start": tokens[0]["start"],
                    "end": tokens[-1]["end"],
                }
            )

    for token in token_entities(tokenizer, model, text, ignore_labels=()):
        label = token["entity"]
        if label == "O":
            close(current)
            current = None
            continue
        entity_type = label[2:] if label.startswith(("B-", "I-")) else label
        if current is not None and current["type"] == entity_type and not label.startswith("B-"):
            current["tokens"].append(token)
        else:
            close(current)
            current = {"type": entity_type, "tokens": [token]}
    close(current)
    return entities
