"""Passes a GenerationConfig copied from the model's, made greedy, and decodes with batch_decode."""

import copy

import torch


def chat_reply(tokenizer, model, messages, max_new_tokens):
    input_ids = chat_prompt_ids(tokenizer, messages)
    config = copy.deepcopy(model.generation_config)
    config.update(do_sample=False, max_new_tokens=max_new_tokens, temperature=None, top_p=None)
    with torch.no_grad():
        output = model.generate(input_ids, attention_mask=torch.ones_like(input_ids), generation_config=config)
    return tokenizer.batch_decode(output[:, input_ids.shape[1] :], skip_special_tokens=True)[0]
