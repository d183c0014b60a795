"""Greedy decoding asked for in a GenerationConfig, the new ids decoded with batch_decode."""

from transformers import AutoModelForCausalLM, AutoTokenizer, GenerationConfig


def greedy_continuation(model_dir, prompt, max_new_tokens):
    tokenizer = AutoTokenizer.from_pretrained(model_dir)
    model = AutoModelForCausalLM.from_pretrained(model_dir)
    encoded = tokenizer([prompt], return_tensors="pt")
    config = GenerationConfig(do_sample=False, max_new_tokens=max_new_tokens)
    outputs = model.generate(**encoded, generation_config=config)
    return tokenizer.batch_decode(outputs[:, encoded["input_ids"].shape[1] :], skip_special_tokens=True)[0]
