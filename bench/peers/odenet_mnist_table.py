"""The paper's Table 1 on torchdiffeq, beside `odegpu classify train`: the same models as torchdiffeq's
examples/odenet_mnist.py (downsampling, six ResBlocks or one ODEBlock of ODEfunc, the fc head; the MLP on raw pixels),
the same loop (SGD momentum 0.9, lr 0.1 divided by 10 at epochs 60/100/140 of 160 scaled as odegpu scales them, batch
128 with the last partial batch dropped, RandomCrop(28, padding=4)), on the images odegpu trained on (its split.json).

usage: PYTHONPATH=<torchdiffeq export> /usr/bin/python3 odenet_mnist_table.py MODEL SPLIT_JSON DIGITS_DIR EPOCHS [WIDTH] [SEED]
MODEL is resnet, odenet (adjoint), rknet (backprop through dopri5) or mlp. DIGITS_DIR is the npm package's src/digits, or
for a Fashion-MNIST split (its "data") the directory of the IDX files. M2_DEVICE=cuda runs it on the GPU. Prints one
line per epoch and a JSON line.
"""
import gzip, json, os, resource, sys, time
import numpy as np, torch, torch.nn as nn
from torchdiffeq import odeint, odeint_adjoint

torch.set_num_threads(os.cpu_count())
device = torch.device(os.environ.get("M2_DEVICE", "cpu"))  # cuda for the GPU run (bench/gpu/m2.sh)
model_name, split_path, digits_dir, epochs = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
width = int(sys.argv[5]) if len(sys.argv) > 5 else 64
seed = int(sys.argv[6]) if len(sys.argv) > 6 else 0
torch.manual_seed(seed)
rng = np.random.default_rng(seed)

split = json.load(open(split_path))


def idx(name):
    with gzip.open(f"{digits_dir}/{name}-ubyte.gz") as f:
        data = f.read()
    dims = data[3]
    shape = [int.from_bytes(data[4 + 4 * i:8 + 4 * i], "big") for i in range(dims)]
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * dims).reshape(shape)


if split.get("data") == "fashion-mnist":  # DIGITS_DIR is the IDX directory; training and test images index their own files
    train_images, test_images = (idx(f"{s}-images-idx3").astype(np.float32).reshape(-1, 1, 28, 28) / 255 for s in ("train", "t10k"))
    train_labels, test_labels = (idx(f"{s}-labels-idx1").astype(np.int64) for s in ("train", "t10k"))
else:
    images = np.concatenate([np.array(json.load(open(f"{digits_dir}/{d}.json"))["data"], dtype=np.float32).reshape(-1, 1, 28, 28) for d in range(10)])
    labels = np.concatenate([np.full(len(json.load(open(f"{digits_dir}/{d}.json"))["data"]) // 784, d) for d in range(10)])
    train_images, test_images, train_labels, test_labels = images, images, labels, labels
x_train, y_train = torch.tensor(train_images[split["train"]]), torch.tensor(train_labels[split["train"]])
x_test, y_test = torch.tensor(test_images[split["test"]]), torch.tensor(test_labels[split["test"]])


def norm(dim):
    return nn.GroupNorm(min(32, dim), dim)


class ConcatConv2d(nn.Module):
    def __init__(self, dim_in, dim_out):
        super().__init__()
        self._layer = nn.Conv2d(dim_in + 1, dim_out, 3, 1, 1)

    def forward(self, t, x):
        return self._layer(torch.cat([torch.ones_like(x[:, :1]) * t, x], 1))


class ODEfunc(nn.Module):
    def __init__(self, dim):
        super().__init__()
        self.norm1, self.conv1, self.norm2, self.conv2, self.norm3 = norm(dim), ConcatConv2d(dim, dim), norm(dim), ConcatConv2d(dim, dim), norm(dim)
        self.nfe = 0

    def forward(self, t, x):
        self.nfe += 1
        return self.norm3(self.conv2(t, torch.relu(self.norm2(self.conv1(t, torch.relu(self.norm1(x)))))))


class ODEBlock(nn.Module):
    def __init__(self, odefunc, adjoint):
        super().__init__()
        self.odefunc, self.adjoint = odefunc, adjoint

    def forward(self, x):
        solve = odeint_adjoint if self.adjoint else odeint
        return solve(self.odefunc, x, torch.tensor([0.0, 1.0]).to(x), rtol=1e-3, atol=1e-3)[1]


class ResBlock(nn.Module):
    def __init__(self, dim):
        super().__init__()
        self.norm1, self.conv1 = norm(dim), nn.Conv2d(dim, dim, 3, 1, 1, bias=False)
        self.norm2, self.conv2 = norm(dim), nn.Conv2d(dim, dim, 3, 1, 1, bias=False)

    def forward(self, x):
        return x + self.conv2(torch.relu(self.norm2(self.conv1(torch.relu(self.norm1(x))))))


class Flatten(nn.Module):
    def forward(self, x):
        return x.view(x.shape[0], -1)


if model_name == "mlp":
    model = nn.Sequential(Flatten(), nn.Linear(784, 300), nn.ReLU(), nn.Linear(300, 10))
    block = None
else:
    down = [nn.Conv2d(1, width, 3, 1), norm(width), nn.ReLU(), nn.Conv2d(width, width, 4, 2, 1), norm(width), nn.ReLU(), nn.Conv2d(width, width, 4, 2, 1)]
    features = [ODEBlock(ODEfunc(width), model_name == "odenet")] if model_name in ("odenet", "rknet") else [ResBlock(width) for _ in range(6)]
    block = features[0] if model_name in ("odenet", "rknet") else None
    model = nn.Sequential(*down, *features, norm(width), nn.ReLU(), nn.AdaptiveAvgPool2d((1, 1)), Flatten(), nn.Linear(width, 10))
model = model.to(device)
parameters = sum(p.numel() for p in model.parameters())
optimizer = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9)


def learning_rate(epoch):
    return 0.1 * 0.1 ** sum(epoch > max(1, round(m * epochs / 160)) for m in (60, 100, 140))


def crop(batch):
    padded = torch.nn.functional.pad(batch, (4, 4, 4, 4))
    out = torch.empty_like(batch)
    for k in range(len(batch)):
        dy, dx = rng.integers(0, 9, size=2)
        out[k] = padded[k, :, dy:dy + 28, dx:dx + 28]
    return out


def test_error():
    with torch.no_grad():
        wrong = sum((model(x_test[i:i + 128].to(device)).argmax(1).cpu() != y_test[i:i + 128]).sum().item() for i in range(0, len(x_test), 128))
    return wrong / len(x_test)


rows = []
for epoch in range(1, epochs + 1):
    for group in optimizer.param_groups:
        group["lr"] = learning_rate(epoch)
    order = torch.tensor(rng.permutation(len(x_train)))
    times, losses, wrong, nfe_forward, nfe_backward = [], [], 0, [], []
    start = time.perf_counter()
    for b in range(len(x_train) // 128):
        began = time.perf_counter()
        index = order[b * 128:(b + 1) * 128]
        x, y = crop(x_train[index]).to(device), y_train[index].to(device)
        optimizer.zero_grad()
        before = block.odefunc.nfe if block else 0
        logits = model(x)
        middle = block.odefunc.nfe if block else 0
        loss = nn.functional.cross_entropy(logits, y)
        loss.backward()
        optimizer.step()
        nfe_forward.append(middle - before)
        nfe_backward.append((block.odefunc.nfe if block else 0) - middle)
        losses.append(loss.item())
        wrong += (logits.argmax(1) != y).sum().item()
        times.append(time.perf_counter() - began)
    seconds = time.perf_counter() - start
    err = test_error()
    rows.append(dict(epoch=epoch, loss=float(np.mean(losses)), train_error=wrong / (len(times) * 128), test_error=err, nfe_forward=float(np.mean(nfe_forward)),
                     nfe_backward=float(np.mean(nfe_backward)), seconds=seconds, seconds_per_iteration=float(np.median(times))))
    print(f"Epoch {epoch:04d} | Time {np.median(times):.3f} s/it | NFE-F {np.mean(nfe_forward):.1f} | NFE-B {np.mean(nfe_backward):.1f} | "
          f"Loss {np.mean(losses):.4f} | Train Err {rows[-1]['train_error']:.4f} | Test Err {err:.4f}", flush=True)
print(json.dumps(dict(model=model_name, width=width, test_error=rows[-1]["test_error"], parameters=parameters,
                      peak_rss_bytes=resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024,
                      peak_device_bytes=torch.cuda.max_memory_allocated() if device.type == "cuda" else None, seconds_per_epoch=float(np.mean([r["seconds"] for r in rows])),
                      seconds_per_iteration=float(np.median([r["seconds_per_iteration"] for r in rows])), nfe_forward=rows[-1]["nfe_forward"],
                      nfe_backward=rows[-1]["nfe_backward"], epochs=epochs, history=rows)))
