"""The teaching messages name what was expected and what came back."""

import torch

from katakit.explain import tensor_problem, wrong_type


def test_none_asks_whether_a_return_is_missing():
    message = wrong_type(None, torch.Tensor, "f(x)")
    assert message.startswith("f(x) returned None: did you forget to `return`")


def test_a_list_instead_of_a_tensor_names_both_types():
    message = tensor_problem([1.0, 2.0], torch.tensor([1.0, 2.0]), "f(x)", "(n,)", "")
    assert "returned list" in message and "expected a Tensor" in message


def test_a_wrong_shape_names_both_shapes_and_the_dimensions():
    message = tensor_problem(torch.zeros(2, 3), torch.zeros(3, 2), "f(x)", "(batch, hidden)", "")
    assert "(2, 3)" in message and "(3, 2) = (batch, hidden)" in message


def test_equal_values_of_another_dtype_get_a_dtype_message():
    message = tensor_problem(torch.ones(2, dtype=torch.float64), torch.ones(2), "f(x)", "(n,)", "")
    assert message is not None and "torch.float64" in message and "torch.float32" in message


def test_a_matching_tensor_has_no_problem():
    assert tensor_problem(torch.ones(2), torch.ones(2), "f(x)", "(n,)", "") is None
