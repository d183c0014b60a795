"""padding="longest", each field passed to the model by name, model.eval() called first."""

import torch


def embed_batch(tokenizer, model, texts):
    model.eval()
    batch = tokenizer(texts, padding="longest", return_tensors="pt")
    with torch.no_grad():
        outputs = model(
            input_ids=batch["input_ids"], attention_mask=batch["attention_mask"], token_type_ids=batch["token_type_ids"]
        )
    return outputs.last_hidden_state
