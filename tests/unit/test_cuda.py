"""On a CUDA device, nnref's models, losses, a training step and the DDP path agree with the CPU.

These tests are skipped (and counted) on a machine without CUDA. The GPU job sets
``NNREF_REQUIRE_CUDA=1``; then a missing device fails the whole run instead (see conftest.py).

Tolerances: TF32 is switched off, so float32 kernels on the GPU differ from the CPU's only by
summation order: outputs and gradients agree to about 1e-6 relative; we allow 1e-4 relative and
1e-5 absolute. Training compounds those differences, so weights after a few steps get 1e-3.
"""

import socket

import pytest

torch = pytest.importorskip("torch")

from torch import nn  # noqa: E402

from nnref.data.vla_text import VLATokenizer  # noqa: E402
from nnref.models import MLP, DigitsCNN, LSTMClassifier, SimpleVLA  # noqa: E402
from nnref.train import fit  # noqa: E402
from nnref.train.tasks import build_task  # noqa: E402

pytestmark = pytest.mark.skipif(not torch.cuda.is_available(), reason="needs a CUDA device (the GPU job runs it)")
RTOL, ATOL = 1e-4, 1e-5


@pytest.fixture(autouse=True)
def no_tf32():
    matmul, cudnn = torch.backends.cuda.matmul.allow_tf32, torch.backends.cudnn.allow_tf32
    torch.backends.cuda.matmul.allow_tf32 = torch.backends.cudnn.allow_tf32 = False
    yield
    torch.backends.cuda.matmul.allow_tf32, torch.backends.cudnn.allow_tf32 = matmul, cudnn


def _vla():
    return SimpleVLA(VLATokenizer().vocab_size, feature_dim=32, vision_channels=(16, 16), embed_dim=8, hidden_size=16)


CASES = {
    "mlp": (lambda: MLP([64, 32, 10]), lambda g: (torch.randn(16, 64, generator=g),)),
    "cnn": (lambda: DigitsCNN(), lambda g: (torch.randn(16, 1, 8, 8, generator=g),)),
    "lstm": (lambda: LSTMClassifier(3, 16, num_classes=4), lambda g: (torch.randn(16, 12, 3, generator=g),)),
    "vla": (
        _vla,
        lambda g: (
            torch.randn(8, 3, 16, 16, generator=g),
            torch.randint(1, VLATokenizer().vocab_size, (8, 6), generator=g),
            torch.full((8,), 6),
        ),
    ),
}


@pytest.mark.parametrize("name", CASES)
def test_forward_and_gradients_agree(name):
    make_model, make_inputs = CASES[name]
    torch.manual_seed(0)
    cpu_model = make_model()
    gpu_model = make_model().cuda()
    gpu_model.load_state_dict(cpu_model.state_dict())
    inputs = make_inputs(torch.Generator().manual_seed(1))
    out_cpu = cpu_model(*inputs)
    out_gpu = gpu_model(*(x.cuda() for x in inputs))
    torch.testing.assert_close(out_gpu.cpu(), out_cpu, rtol=RTOL, atol=ATOL)
    upstream = torch.randn(out_cpu.shape, generator=torch.Generator().manual_seed(2))
    out_cpu.backward(upstream)
    out_gpu.backward(upstream.cuda())
    for (pname, p_cpu), p_gpu in zip(cpu_model.named_parameters(), gpu_model.parameters(), strict=True):
        torch.testing.assert_close(p_gpu.grad.cpu(), p_cpu.grad, rtol=RTOL, atol=ATOL, msg=pname)


@pytest.mark.parametrize(
    ("loss", "make_target"),
    [
        (nn.CrossEntropyLoss(), lambda g: torch.randint(0, 5, (32,), generator=g)),
        (nn.MSELoss(), lambda g: torch.randn(32, 5, generator=g)),
        (nn.BCEWithLogitsLoss(), lambda g: torch.randint(0, 2, (32, 5), generator=g).float()),
    ],
    ids=["cross_entropy", "mse", "bce_with_logits"],
)
def test_losses_agree(loss, make_target):
    g = torch.Generator().manual_seed(0)
    logits = torch.randn(32, 5, generator=g, requires_grad=True)
    target = make_target(g)
    logits_gpu = logits.detach().cuda().requires_grad_()
    value_cpu, value_gpu = loss(logits, target), loss(logits_gpu, target.cuda())
    torch.testing.assert_close(value_gpu.cpu(), value_cpu, rtol=RTOL, atol=ATOL)
    value_cpu.backward()
    value_gpu.backward()
    torch.testing.assert_close(logits_gpu.grad.cpu(), logits.grad, rtol=RTOL, atol=ATOL)


def _train(device: str, epochs: int = 3):
    parts = build_task("xor", seed=0)
    history = fit(
        parts.model,
        parts.train_loader,
        parts.val_loader,
        parts.loss_fn,
        parts.optimizer,
        epochs,
        metric=parts.metric,
        device=device,
        progress=False,
        seed=0,
    )
    return {k: v.detach().cpu() for k, v in parts.model.state_dict().items()}, history


def test_a_training_run_agrees():
    cpu_weights, cpu_history = _train("cpu")
    gpu_weights, gpu_history = _train("cuda")
    for name, value in cpu_weights.items():
        torch.testing.assert_close(gpu_weights[name], value, rtol=1e-3, atol=1e-3, msg=name)
    assert gpu_history.val_metric == pytest.approx(cpu_history.val_metric, abs=0.01)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_ddp_with_nccl_on_one_rank_matches_plain_training(monkeypatch):
    import torch.distributed as dist

    from nnref.train.distributed import cleanup_distributed, init_distributed, wrap_ddp

    monkeypatch.setenv("MASTER_ADDR", "127.0.0.1")
    monkeypatch.setenv("MASTER_PORT", str(_free_port()))
    for key, value in {"RANK": "0", "LOCAL_RANK": "0", "WORLD_SIZE": "1"}.items():
        monkeypatch.setenv(key, value)
    plain_weights, _ = _train("cuda")
    rank, world, device = init_distributed(torch.device("cuda"))
    try:
        assert (rank, world, device.type, dist.get_backend()) == (0, 1, "cuda", "nccl")
        parts = build_task("xor", seed=0)
        model = wrap_ddp(parts.model, device)
        opt = type(parts.optimizer)(model.parameters(), **parts.optimizer.defaults)
        fit(model, parts.train_loader, parts.val_loader, parts.loss_fn, opt, 3, device=device, progress=False, seed=0)
        for name, value in model.module.state_dict().items():
            torch.testing.assert_close(value.cpu(), plain_weights[name], rtol=1e-5, atol=1e-6, msg=name)
    finally:
        cleanup_distributed()
