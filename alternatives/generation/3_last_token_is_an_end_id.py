"""Generation stops right after an end token: ended is whether the last new id is one of the config's end ids."""

from transformers import GenerationConfig


def greedy_with_end(tokenizer, model, prompt, max_new_tokens):
    inputs = tokenizer(prompt, return_tensors="pt")
    config = GenerationConfig(do_sample=False, max_new_tokens=max_new_tokens)
    output = model.generate(**inputs, generation_config=config, return_dict_in_generate=True)
    new_ids = output.sequences[0, inputs["input_ids"].shape[1] :].tolist()
    eos = model.generation_config.eos_token_id
    end_ids = eos if isinstance(eos, list) else [eos]
    return tokenizer.decode(new_ids, skip_special_tokens=True), bool(new_ids) and new_ids[-1] in end_ids
