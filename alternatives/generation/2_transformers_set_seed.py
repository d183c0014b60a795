"""transformers.set_seed (Python, numpy and torch at once) instead of torch.manual_seed, input_ids passed by name."""

from transformers import set_seed


def sample(tokenizer, model, prompt, generation_config, seed):
    encoded = tokenizer(prompt, return_tensors="pt")
    set_seed(seed)
    return model.generate(
        input_ids=encoded["input_ids"],
        attention_mask=encoded["attention_mask"],
        generation_config=generation_config,
        return_dict_in_generate=True,
        output_scores=True,
    )
