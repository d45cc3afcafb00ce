"""Train a small PyTorch MLP and watch it in nnvis.

    python examples/watch_mlp.py --record out.nnvisrec      # then: nnvis --load out.nnvisrec
    nnvis --listen 127.0.0.1:5000                           # prints a token; then:
    python examples/watch_mlp.py --connect 127.0.0.1:5000 --token TOKEN

The data are synthetic: 20 features, 4 classes decided by a few random directions, so the
network has something to learn in a few hundred steps. ``--activation sigmoid --depth 8``
shows the vanishing gradients of the nnvis lesson in a PyTorch model.
"""
import argparse

import torch
from torch import nn

import nnvis.watch

ACTIVATIONS = {"relu": nn.ReLU, "tanh": nn.Tanh, "sigmoid": nn.Sigmoid, "gelu": nn.GELU}


def make_data(n=4096, features=20, classes=4, seed=0):
    g = torch.Generator().manual_seed(seed)
    X = torch.randn(n, features, generator=g)
    directions = torch.randn(features, classes, generator=g)
    y = (X @ directions + 0.5 * torch.randn(n, classes, generator=g)).argmax(dim=1)
    split = n * 4 // 5
    return (X[:split], y[:split]), (X[split:], y[split:])


def make_model(features, classes, width, depth, activation):
    layers, fan_in = [], features
    for _ in range(depth):
        layers += [nn.Linear(fan_in, width), ACTIVATIONS[activation]()]
        fan_in = width
    return nn.Sequential(*layers, nn.Linear(fan_in, classes))


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--record", help="write the snapshots to this .nnvisrec file")
    p.add_argument("--connect", metavar="HOST:PORT", help="send them to nnvis --listen")
    p.add_argument("--token", help="the token nnvis --listen printed (or NNVIS_TOKEN)")
    p.add_argument("--steps", type=int, default=600)
    p.add_argument("--every", type=int, default=10, help="a snapshot every N steps")
    p.add_argument("--width", type=int, default=64)
    p.add_argument("--depth", type=int, default=3)
    p.add_argument("--activation", choices=sorted(ACTIVATIONS), default="relu")
    p.add_argument("--lr", type=float, default=0.05)
    p.add_argument("--batch", type=int, default=64)
    args = p.parse_args(argv)

    torch.manual_seed(0)
    device = "cuda" if torch.cuda.is_available() else "cpu"
    (X, y), (X_test, y_test) = make_data()
    X, y, X_test, y_test = (t.to(device) for t in (X, y, X_test, y_test))
    model = make_model(X.shape[1], int(y.max()) + 1, args.width, args.depth,
                       args.activation).to(device)
    opt = torch.optim.SGD(model.parameters(), lr=args.lr, momentum=0.9)
    w = nnvis.watch.attach(model, every=args.every, record=args.record, connect=args.connect,
                           token=args.token, optimizer=opt, name="watch_mlp")
    with w:
        for step in range(args.steps):
            i = (step * args.batch) % (len(X) - args.batch)
            xb, yb = X[i:i + args.batch], y[i:i + args.batch]
            opt.zero_grad()
            out = model(xb)
            loss = nn.functional.cross_entropy(out, yb)
            loss.backward()
            opt.step()
            if step % 50 == 0:        # held-out metrics now and then, without a step
                with torch.no_grad():
                    test_out = model(X_test)
                    w.log_eval(test_loss=nn.functional.cross_entropy(test_out, y_test).item(),
                               test_acc=(test_out.argmax(1) == y_test).float().mean().item())
            # once per optimiser step: the batch's metrics (tensors are fine)
            w.log(loss=loss.detach(), acc=(out.argmax(1) == yb).float().mean())
    print(f"trained {args.steps} steps; final batch loss {loss.item():.4f}"
          + (f"; recording in {args.record}" if args.record else ""))


if __name__ == "__main__":
    main()
