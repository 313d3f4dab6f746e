#!/usr/bin/env python3
"""Loads an NIR file (e.g. `snnc export --nir-compat`'s) with each
framework's own NIR reader and reports, per framework, whether it loads and
runs one step. Run it with each environment's python (test/data/nir/README.md):

  python load_export_in_frameworks.py FILE.nir snntorch|norse|rockpool|sinabs|spyx

Prints one line: `<framework>: loads` or `<framework>: refused: <error>`.
Exit status 0 when it loads. CI does not run it (no Python there).
"""
import sys
import numpy as np


def load(fw, path):
    import nir
    graph = nir.read(path)
    n_in = int(np.prod(graph.nodes["input"].input_type["input"]))
    if fw == "snntorch":
        import torch
        from snntorch.import_nir import import_from_nir
        net = import_from_nir(graph)
        net(torch.zeros(1, n_in))
    elif fw == "norse":
        import torch
        import norse.torch as nt
        net = nt.from_nir(graph)
        net(torch.zeros(1, n_in))
    elif fw == "rockpool":
        import torch
        from rockpool.nn.modules.torch.nir import from_nir
        net = from_nir(graph)
        net(torch.zeros(1, 1, n_in))
    elif fw == "sinabs":
        import torch
        from sinabs.nir import from_nir
        net = from_nir(graph, batch_size=1)
        net(torch.zeros(1, n_in))
    elif fw == "spyx":
        import jax.numpy as jnp
        from spyx.nir import from_nir
        from_nir(graph, jnp.zeros((1, 1, n_in)), dt=1)
    else:
        raise SystemExit("unknown framework " + fw)


if __name__ == "__main__":
    path, fw = sys.argv[1], sys.argv[2]
    try:
        load(fw, path)
    except Exception as e:  # the framework's own error is the result
        print("%s: refused: %s: %s" % (fw, type(e).__name__,
                                       str(e).splitlines()[0][:160]))
        sys.exit(1)
    print("%s: loads" % fw)
