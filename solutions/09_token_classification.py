"""Kata 9 - token classification: a label for every token, then the entities they spell.

After this kata you can run a token classifier (`AutoModelForTokenClassification`, the model
behind named-entity recognition) yourself: read one row of logits per token, turn each row into
a label with `config.id2label` and a probability with a softmax, and group the B-/I- labelled
tokens into entities, exactly as the `token-classification` pipeline does with
`aggregation_strategy="none"` and `"simple"`.

The model here is the course's tiny tagger (labels O, B-PER, I-PER, B-LOC, I-LOC); the same code
runs on "dslim/bert-base-NER". Texts are ASCII, so no token is [UNK].

Docs: https://huggingface.co/docs/transformers/tasks/token_classification

Tasks:
  1. token_labels   - each token of a text with its predicted label.
  2. token_entities - the pipeline's per-token entities: label, score, word and character span.
  3. group_entities - tokens grouped into entities, as aggregation_strategy="simple" does.
"""

import torch


def token_labels(tokenizer, model, text):
    """1. Every token of `text` with the label the model predicts for it.

    Returns:
        a list of `(token, label)` tuples, one per token of the text, in order; [CLS] and [SEP]
        are not part of the text and are left out.
    Example:
        >>> token_labels(tokenizer, model, "Kofi lives in Rome")
        [('K', 'B-PER'), ('##o', 'I-PER'), ('##f', 'I-PER'), ('##i', 'I-PER'), ('lives', 'O'), ('in', 'O'),
         ('R', 'B-LOC'), ('##o', 'I-LOC'), ('##m', 'I-LOC'), ('##e', 'I-LOC')]
    """
    inputs = tokenizer(text, return_tensors="pt")
    with torch.no_grad():
        label_ids = model(**inputs).logits[0].argmax(dim=-1).tolist()
    ids = inputs["input_ids"][0].tolist()
    # [CLS] and [SEP] get a row of logits too; the special tokens mask says which positions they are.
    special = tokenizer.get_special_tokens_mask(ids, already_has_special_tokens=True)
    tokens = tokenizer.convert_ids_to_tokens(ids)
    return [
        (token, model.config.id2label[label_id])
        for token, label_id, is_special in zip(tokens, label_ids, special, strict=True)
        if not is_special
    ]


def token_entities(tokenizer, model, text, ignore_labels=("O",)):
    """2. What `pipeline("token-classification")(text, ignore_labels=...)` returns, by hand.

    Returns:
        a list of dicts, one per token of the text whose label is not in `ignore_labels`, in
        order, with the keys:
          "entity": the token's label; "score": its probability (a float), the softmax of the
          token's logits; "word": the token; "start", "end": the token's span of `text`,
          `text[start:end]`.
    Example:
        >>> token_entities(tokenizer, model, "Kofi lives in Rome")[:2]
        [{'entity': 'B-PER', 'score': 0.99..., 'word': 'K', 'start': 0, 'end': 1},
         {'entity': 'I-PER', 'score': 0.99..., 'word': '##o', 'start': 1, 'end': 2}]
    """
    inputs = tokenizer(text, return_tensors="pt", return_offsets_mapping=True, return_special_tokens_mask=True)
    # Neither is an input of the model (transformers 5.x would pass them on unused): take them out first.
    offsets = inputs.pop("offset_mapping")[0].tolist()
    special = inputs.pop("special_tokens_mask")[0].tolist()
    with torch.no_grad():
        # One distribution per token: the softmax runs over the labels (the last dimension), not the tokens.
        probabilities = model(**inputs).logits[0].softmax(dim=-1)
    scores, label_ids = probabilities.max(dim=-1)
    tokens = tokenizer.convert_ids_to_tokens(inputs["input_ids"][0])
    entities = []
    rows = zip(tokens, scores, label_ids, offsets, special, strict=True)
    for token, score, label_id, (start, end), is_special in rows:
        label = model.config.id2label[label_id.item()]
        if not is_special and label not in ignore_labels:
            entities.append({"entity": label, "score": score.item(), "word": token, "start": start, "end": end})
    return entities


def group_entities(tokenizer, model, text):
    """3. What the pipeline returns with `aggregation_strategy="simple"`, by hand.

    Adjacent tokens form one entity while they have the same type (PER, LOC): a token labelled I-
    continues the entity before it if that entity has its type; a B- token always starts a new
    entity; an O token belongs to none. Entities of type O are left out. A type is the label
    without its B- or I- prefix, whatever it holds: "B-geo-loc" is of type "geo-loc".

    Returns:
        a list of dicts, one per entity, in order, with the keys:
          "entity_group": its type, the label without B-/I-; "score": the mean of its tokens'
          scores; "word": its tokens joined by `tokenizer.convert_tokens_to_string`;
          "start", "end": from its first token's start to its last token's end.
    Example:
        >>> group_entities(tokenizer, model, "Kofi lives in Rome")
        [{'entity_group': 'PER', 'score': 0.99..., 'word': 'Kofi', 'start': 0, 'end': 4},
         {'entity_group': 'LOC', 'score': 0.99..., 'word': 'Rome', 'start': 14, 'end': 18}]
    """
    groups = []
    # Keep the O tokens: they end the entity before them.
    for token in token_entities(tokenizer, model, text, ignore_labels=()):
        label = token["entity"]
        # "B-PER" -> "B", "PER"; "B-geo-loc" -> "B", "geo-loc" (split at the first hyphen only); "O" -> "", "O".
        prefix, entity_type = (label[0], label[2:]) if label[:2] in ("B-", "I-") else ("", label)
        if groups and groups[-1][0] == entity_type and prefix != "B":
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
