"""Shapes and parameter counts of the chapter-4 CNNs and the vision encoder."""

import pytest
import torch
from torch import nn

from nnref.models import (
    VGG16_CONFIG,
    CifarCNN,
    DigitsCNN,
    MiniAlexNet,
    SmallCNN,
    VisionEncoder,
    count_parameters,
    shape_walk,
    vgg16,
)


def conv_params(c_in, c_out, k):
    return c_out * (c_in * k * k + 1)


def linear_params(n_in, n_out):
    return n_out * (n_in + 1)


@pytest.mark.parametrize(
    "make, input_shape, output_shape, n_params",
    [
        (
            SmallCNN,
            (16, 1, 20, 20),
            (16, 10),
            conv_params(1, 3, 5) + conv_params(3, 10, 5) + linear_params(1440, 50) + linear_params(50, 10),
        ),
        (
            CifarCNN,
            (4, 3, 32, 32),
            (4, 10),
            conv_params(3, 6, 5)
            + conv_params(6, 16, 5)
            + linear_params(400, 120)
            + linear_params(120, 84)
            + linear_params(84, 10),
        ),
        (DigitsCNN, (5, 1, 8, 8), (5, 10), conv_params(1, 16, 3) + conv_params(16, 32, 3) + linear_params(128, 10)),
    ],
)
def test_small_models(make, input_shape, output_shape, n_params):
    model = make()
    assert model(torch.randn(input_shape)).shape == output_shape
    assert count_parameters(model) == n_params


def test_small_cnn_walk():
    walk = {name: shape for name, _, shape in shape_walk(SmallCNN(), (16, 1, 20, 20))}
    assert walk["conv1"] == (16, 3, 16, 16)
    assert walk["conv2"] == (16, 10, 12, 12)
    assert walk["flatten"] == (16, 1440)
    with pytest.raises(RuntimeError):  # the 1440 is tied to 20x20 inputs
        SmallCNN()(torch.randn(2, 1, 28, 28))


def test_mini_alexnet_on_meta():
    with torch.device("meta"):
        model = MiniAlexNet()
    walk = shape_walk(model, (10, 384, 13, 13))
    shapes = {name: shape for name, _, shape in walk}
    assert shapes["conv2.2"] == (10, 256, 6, 6)
    assert shapes["flatten"] == (10, 9216)
    assert walk[-1] == ("log_softmax", "LogSoftmax", (10, 1000))
    expected = (
        conv_params(384, 384, 3)
        + conv_params(384, 256, 3)
        + linear_params(9216, 4096)
        + linear_params(4096, 4096)
        + linear_params(4096, 1000)
    )
    assert count_parameters(model) == expected == 60_843_624


def test_mini_alexnet_outputs_log_probabilities():
    torch.manual_seed(0)
    model = MiniAlexNet(num_classes=7)
    model.fc1 = nn.Linear(9216, 8)  # keep the test light
    model.fc2 = nn.Linear(8, 8)
    model.fc3 = nn.Linear(8, 7)
    out = model(torch.randn(2, 384, 13, 13))
    torch.testing.assert_close(out.exp().sum(1), torch.ones(2))


def test_vgg16_on_meta():
    model = vgg16(device="meta")
    assert count_parameters(model) == 138_357_544
    assert all(p.device.type == "meta" for p in model.parameters())
    assert sum(isinstance(m, nn.Conv2d) for m in model.modules()) == 13
    assert sum(isinstance(m, nn.Linear) for m in model.modules()) == 3
    assert VGG16_CONFIG.count("M") == 5
    walk = dict((n, s) for n, _, s in shape_walk(model, (2, 3, 224, 224)))
    assert walk["features.30"] == (2, 512, 7, 7)
    assert walk["classifier.6"] == (2, 1000)


def test_vgg16_state_dict_keys_match_torchvision_layout():
    keys = list(vgg16(device="meta").state_dict())
    assert keys[:2] == ["features.0.weight", "features.0.bias"]
    assert keys[-2:] == ["classifier.6.weight", "classifier.6.bias"]
    assert len(keys) == 32


@pytest.mark.parametrize("hw", [(16, 16), (17, 31), (64, 48)])
def test_vision_encoder_any_size(hw):
    enc = VisionEncoder()
    assert enc(torch.randn(3, 3, *hw)).shape == (3, 128)


def test_vision_encoder_options_and_errors():
    enc = VisionEncoder(in_channels=1, feature_dim=32, channels=(8, 16))
    assert enc(torch.randn(2, 1, 20, 20)).shape == (2, 32)
    expected = conv_params(1, 8, 3) + conv_params(8, 16, 3) + linear_params(16, 32)
    assert count_parameters(enc) == expected
    with pytest.raises(ValueError, match="at least 16"):
        enc(torch.randn(2, 1, 15, 20))
    with pytest.raises(ValueError, match=r"\(B, 1, H, W\)"):
        enc(torch.randn(2, 3, 20, 20))
