"""nnref: small, readable reference implementations behind the nnref docs.

Five modules, dependencies running one way:

- ``nnref.autograd``: a scalar reverse-mode engine (stdlib only)
- ``nnref.scratch``: NumPy forward/backward of layers, losses, optimizers
- ``nnref.models``: PyTorch modules the pages build
- ``nnref.data``: small generated or shipped datasets, no downloads
- ``nnref.train``: a readable training/evaluation loop

``import nnref`` never imports torch.
"""

__version__ = "0.1.0"
__all__ = ["__version__"]
