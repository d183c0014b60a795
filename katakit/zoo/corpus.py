"""The built-in corpus the tiny models learn from: short lines a learner can recognise in outputs."""

LINES = (
    "Hello world, this is a tiny language model.",
    "The quick brown fox jumps over the lazy dog.",
    "Transformers turn tokens into vectors and back again.",
    "A pipeline hides the tokenizer, the model and the decoding.",
    "Katas teach by doing, one small step at a time.",
    "안녕하세요, 작은 언어 모델입니다.",
)
