#!/usr/bin/env bash
# Every GPU check of issues 2, 3 and 7 in one call, results under $OUT (at most 9 minutes: the timeouts below add up to 540 s).
#
# Here (with the .NET SDK):
#   ../shared/device/bundle.sh tests/OdeGpu.Tests/OdeGpu.Tests.csproj src/Cli/OdeGpu.Cli.csproj
# Then with the device tool: run(command="bash bench/gpu/run.sh", carry=[".device"], timeout_s=540)
set -uo pipefail
source .device/env.sh
out=${OUT:-/tmp/odegpu-gpu}
mkdir -p "$out"
export PYTHONUNBUFFERED=1
step() { echo "== $*" | tee -a "$out/log.txt"; }

step "device"
nvidia-smi --query-gpu=name,memory.total,clocks.max.sm --format=csv | tee "$out/gpu.csv"
dotnet .device/OdeGpu.Cli/odegpu.dll devices | tee -a "$out/log.txt"

step "CUDA tests: references in both modes, CUDA against CPU"
timeout 80 dotnet .device/OdeGpu.Tests/OdeGpu.Tests.dll -trait device=cuda > "$out/tests.txt" 2>&1; echo "tests exit $?" | tee -a "$out/log.txt"
tail -n 5 "$out/tests.txt" | tee -a "$out/log.txt"

step "odegpu bench ensemble: L1(a) up to 2^23"
timeout 100 dotnet .device/OdeGpu.Cli/odegpu.dll bench ensemble --device cuda --min-n 8192 --max-n 8388608 --workloads l1a \
  --out "$out/l1a.json" 2>&1 | tee -a "$out/log.txt"

step "odegpu bench ensemble: L1(b, c, d) and V1 up to 2^20"
timeout 60 dotnet .device/OdeGpu.Cli/odegpu.dll bench ensemble --device cuda --min-n 8192 --max-n 524288 --workloads l1b,l1c,l1d,v1 \
  --out "$out/others.json" 2>&1 | tee -a "$out/log.txt"

step "G1: the fused gradients on the GPU, N = 524288 (issue 7)"
for a in continuous discrete; do for r in 1e-6 1e-8; do
  timeout 25 dotnet .device/OdeGpu.Cli/odegpu.dll gradient lorenz --trajectories 524288 --param r=0:21 --y0 1,0,0 --times 0,1 \
    --device cuda --rtol $r --atol $(python3 -c "print(1e-3*$r)") --adjoint $a --stats "$out/g1-$a-$r.json" --out "$out/g1-$a-$r.csv" > /dev/null 2>&1
  echo "g1 $a $r exit $? $(tr -d '\n ' < "$out/g1-$a-$r.json" 2>/dev/null)" | tee -a "$out/log.txt"
done; done

step "peers: diffrax and torchdiffeq on L1, same sizes; diffrax on G1"
timeout 100 python3 bench/peers/diffrax_l1.py --sizes 131072,2097152,8388608 --out "$out/diffrax.json" 2>&1 | tail -n 12 | tee -a "$out/log.txt"
timeout 40 python3 bench/peers/torchdiffeq_l1.py --sizes 131072,2097152,8388608 --out "$out/torchdiffeq.json" 2>&1 | tail -n 6 | tee -a "$out/log.txt"
timeout 60 python3 bench/peers/diffrax_g1.py --sizes 524288 --out "$out/diffrax_g1.json" 2>&1 | tail -n 5 | tee -a "$out/log.txt"
