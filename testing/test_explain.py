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


def test_structure_names_a_tensor_where_a_list_of_ints_is_promised():
    from katakit.explain import structure_problem

    message = structure_problem(torch.tensor([1, 2]), [1, 2], "f(x)")
    assert message.startswith("f(x) is a Tensor; expected a list") and ".tolist()" in message


def test_structure_names_the_field_that_holds_a_tensor_scalar():
    from katakit.explain import structure_problem

    got = [{"label": "A", "score": 0.5}, {"label": "B", "score": torch.tensor(0.5)}]
    message = structure_problem(got, [{"label": "A", "score": 0.5}, {"label": "B", "score": 0.5}], "f(x)")
    assert message.startswith("f(x)[1]['score'] is a Tensor; expected a float")


def test_structure_names_missing_and_extra_keys_and_lengths():
    from katakit.explain import structure_problem

    assert "the dict has no 'end'" in structure_problem({"start": 0, "stop": 1}, {"start": 0, "end": 1}, "f")
    assert structure_problem({"start": 0, "end": 1, "index": 2}, {"start": 0, "end": 1}, "f") is None
    assert structure_problem([1], [1, 2], "f") == "f: 1 items; expected 2."


def test_structure_tells_bools_ints_and_floats_apart():
    import numpy

    from katakit.explain import structure_problem

    assert "expected an int" in structure_problem(True, 1, "f")
    assert "expected a bool" in structure_problem(1, True, "f")
    assert "expected an int" in structure_problem(numpy.int64(1), 1, "f")
    assert structure_problem(numpy.float64(0.5), 0.5, "f") is None  # a float, as numpy's floats are
    assert structure_problem((1, 0.5, "a", [True]), (2, 1.5, "b", [False]), "f") is None  # types only


def test_unchanged_names_the_argument_a_call_sorted_or_wrote_into():
    from katakit.unchanged import keep

    texts, ids = ["b", "a"], torch.tensor([[1, 2]])
    kept = keep(texts=texts, ids=ids)
    assert kept.changed("f(...)") is None
    texts.sort()
    assert kept.changed("f(...)").startswith("f(...) changed its argument `texts`: it was ['b', 'a'] before")
    texts.reverse()
    ids += 1
    assert "`ids`: its values were written to in place" in kept.changed("f(...)")


def test_unchanged_names_a_model_left_in_training_mode_or_with_other_weights():
    from katakit.unchanged import keep

    model = torch.nn.Sequential(torch.nn.Linear(2, 2), torch.nn.Dropout()).eval()
    kept = keep(model=model)
    model.train()
    assert "left in training mode" in kept.changed("f(...)")
    model.eval()
    with torch.no_grad():
        model[0].weight.mul_(2)
    assert "weight `0.weight` is not what it was" in kept.changed("f(...)")
