#!/usr/bin/python3
"""Loads an MLP checkpoint that odegpu wrote (model.safetensors) into torch: a pure-Python reader of the safetensors
format (the package does not install here), then a module holding net = nn.Sequential(Linear, Tanh, Linear, ...), as
torchdiffeq's ode_demo's ODEFunc does, with load_state_dict(strict=True); prints the network's output at the given
inputs, to compare with odegpu's. Usage:
/usr/bin/python3 safetensors_torch.py --file model.safetensors --x "1,0.5;-0.3,2" """
import argparse, json, os, struct
import torch

torch.set_num_threads(os.cpu_count())

p = argparse.ArgumentParser(); p.add_argument("--file", required=True); p.add_argument("--x", default="1,0.5;-0.3,2")
a = p.parse_args()
with open(a.file, "rb") as f:
    data = f.read()
(length,) = struct.unpack("<Q", data[:8])
header = json.loads(data[8:8 + length])
body = data[8 + length:]
state = {}
for name, entry in header.items():
    if name == "__metadata__":
        continue
    dtype = {"F32": torch.float32, "F64": torch.float64}[entry["dtype"]]
    begin, end = entry["data_offsets"]
    state[name] = torch.frombuffer(bytearray(body[begin:end]), dtype=dtype).reshape(entry["shape"])
layers = sorted({int(k.split(".")[1]) for k in state})
modules = []
for i, index in enumerate(layers):
    out_features, in_features = state[f"net.{index}.weight"].shape
    modules.append(torch.nn.Linear(in_features, out_features, dtype=state[f"net.{index}.weight"].dtype))
    if i + 1 < len(layers):
        modules.append(torch.nn.Tanh())
class Function(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.net = torch.nn.Sequential(*modules)


function = Function()
print(function.load_state_dict(state, strict=True))
net = function.net
x = torch.tensor([[float(v) for v in row.split(",")] for row in a.x.split(";")], dtype=next(net.parameters()).dtype)
with torch.no_grad():
    print(json.dumps(net(x).tolist()))
