#!/usr/bin/env bash
# Issue 12 on the device machine's CPU (AVX-512 where it has it): the SIMD lanes at 256 bits (.NET's default) and at
# 512 (which odegpu takes itself where the CPU has it), beside the scalar kernel and torchdiffeq, on two cores
# (taskset -c 0,1) as BENCHMARKS.md's CPU figures are; results under $OUT (at most 5 minutes: the timeouts below add up to 290 s). No GPU is used.
#
# Here (with the .NET SDK):
#   ../shared/device/bundle.sh tests/OdeGpu.Tests/OdeGpu.Tests.csproj src/Cli/OdeGpu.Cli.csproj
#   cp -r <torchdiffeq export> .device/torchdiffeq
# Then with the device tool: run(command="bash bench/gpu/lanes.sh", carry=[".device"], timeout_s=300)
set -uo pipefail
source .device/env.sh
out=${OUT:-/tmp/odegpu-lanes}
mkdir -p "$out"
step() { echo "== $*" | tee -a "$out/log.txt"; }
cores="taskset -c 0,1"

step "cpu"
grep -m1 "model name" /proc/cpuinfo | tee -a "$out/log.txt"
grep -o 'avx512[a-z_]*' /proc/cpuinfo | sort -u | tr '\n' ' ' | tee -a "$out/log.txt"; echo | tee -a "$out/log.txt"

step "the SIMD tests at 512 bits and at 128 (LaneWidthTests runs them in child processes)"
timeout 120 dotnet .device/OdeGpu.Tests/OdeGpu.Tests.dll -class OdeGpu.Tests.Simd.LaneWidthTests > "$out/tests.txt" 2>&1
echo "tests exit $?" | tee -a "$out/log.txt"
tail -n 3 "$out/tests.txt" | tee -a "$out/log.txt"

step "odegpu bench ensemble on two cores: L1(a) and L1(b), lanes and scalar, at 256 bits then 512, twice"
for round in 1 2; do
  for bits in 256 512; do
    width=(env DOTNET_MaxVectorTBitWidth=$bits)
    timeout 35 "${width[@]}" $cores dotnet .device/OdeGpu.Cli/odegpu.dll bench ensemble --device cpu --min-n 131072 --max-n 131072 \
      --workloads l1a,l1b --simd both --out "$out/lanes-$bits-$round.json" 2>&1 | tail -n 8 | tee -a "$out/log.txt"
  done
done

step "torchdiffeq L1(a) on the same two cores, two threads, on the CPU"
CUDA_VISIBLE_DEVICES= PYTHONPATH=.device/torchdiffeq timeout 30 $cores python3 bench/peers/torchdiffeq_l1.py --sizes 131072 \
  --workloads l1a --repeats 2 --threads 2 --out "$out/torchdiffeq-cpu.json" 2>&1 | tail -n 2 | tee -a "$out/log.txt"
