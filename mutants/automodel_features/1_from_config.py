"""Uses AutoModel.from_config where from_pretrained was meant: the right shape, random weights."""

from transformers import AutoConfig, AutoModel, AutoTokenizer


def load_encoder(model_dir):
    return AutoTokenizer.from_pretrained(model_dir), AutoModel.from_config(AutoConfig.from_pretrained(model_dir))
