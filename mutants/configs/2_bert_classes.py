"""Builds a BertModel from a BertConfig read from the folder, as in the BERT example, whatever the folder holds."""

from transformers import BertConfig, BertModel


def fresh_model(model_dir):
    return BertModel(BertConfig.from_pretrained(model_dir))
