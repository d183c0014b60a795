"""Hands the messages to a text-generation pipeline built on the given model and tokenizer, new text only."""

from transformers import pipeline


def chat_reply(tokenizer, model, messages, max_new_tokens):
    generator = pipeline("text-generation", model=model, tokenizer=tokenizer)
    result = generator(messages, do_sample=False, max_new_tokens=max_new_tokens, return_full_text=False)
    return result[0]["generated_text"]
