"""SVG figures carry their size in the HTML (nnref_docs.figures, run by hooks/figures.py): no layout
shift when they load."""

from types import SimpleNamespace

import pytest

from nnref_docs import figures


@pytest.mark.parametrize(
    ("tag", "size"),
    [
        ('<svg width="432pt" height="252pt" viewBox="0 0 432 252">', (576, 336)),  # matplotlib
        ('<svg viewBox="0 0 300 120" xmlns="http://www.w3.org/2000/svg">', (300, 120)),
        ('<svg width="200" height="100">', (200, 100)),
        ('<svg width="100%" height="100%">', None),
        ("<p>no svg here</p>", None),
    ],
)
def test_svg_size(tag, size):
    assert figures.svg_size(tag) == size


def test_local_svg_images_get_width_and_height(tmp_path):
    (tmp_path / "04-cnn").mkdir()
    (tmp_path / "04-cnn" / "edges.svg").write_text('<svg width="720pt" height="201.6pt">', encoding="utf-8")
    svg = SimpleNamespace(dest_uri="04-cnn/edges.svg", abs_src_path=str(tmp_path / "04-cnn" / "edges.svg"))
    html = (
        '<p><img alt="edges" src="../../../04-cnn/edges.svg" /></p>'
        '<img alt="sized" src="../x.svg" width="10" />'
        '<img alt="remote" src="https://example.org/a.svg" />'
    )
    out = figures.size_svg_images(html, "en/04-cnn/kernels/", [svg], tmp_path)
    assert '<img alt="edges" src="../../../04-cnn/edges.svg" width="960" height="269" />' in out
    assert '<img alt="sized" src="../x.svg" width="10" />' in out
    assert '<img alt="remote" src="https://example.org/a.svg" />' in out
