"""Finds the masks with numpy and returns list() of its array: numpy ints, not Python ints."""

import numpy as np


def mask_positions(tokenizer, text):
    input_ids = np.array(tokenizer(text)["input_ids"])
    return list(np.flatnonzero(input_ids == tokenizer.mask_token_id))
