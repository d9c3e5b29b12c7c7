#!/bin/bash
# N1 side by side: torchdiffeq's ode_demo (unmodified, from an export of its repository) and odegpu fit spiral, for
# 100 and 1000 iterations each, so that seconds per iteration = (t1000 - t100) / 900. Prints one line per run with
# its wall time; the programs' own outputs (total losses) go to $DIR/*.txt and odegpu's history to $DIR/*/history.csv.
# Usage: bash bench/n1.sh <directory holding ode_demo.py and the torchdiffeq package> [DIR]
set -e
TDE=$(cd "$1" && pwd)
DIR=${2:-/tmp/n1}
ODEGPU="dotnet $(pwd)/src/Cli/bin/Release/net10.0/odegpu.dll"
mkdir -p "$DIR"
for adjoint in "" "--adjoint"; do
  for n in 100 1000; do
    start=$(date +%s.%N)
    (cd "$TDE" && OMP_NUM_THREADS=$(nproc) /usr/bin/python3 ode_demo.py --niters $n --test_freq 100 $adjoint > "$DIR/torch_${n}${adjoint}.txt" 2>&1)
    echo "torchdiffeq ${adjoint:-direct} $n $(echo "$(date +%s.%N) - $start" | bc) s"
  done
done
for adjoint in discrete continuous; do
  for precision in float64 float32; do
    for n in 100 1000; do
      out="$DIR/odegpu_${adjoint}_${precision}_${n}"
      rm -rf "$out"
      start=$(date +%s.%N)
      $ODEGPU fit spiral --iterations $n --eval-every 100 --adjoint $adjoint --precision $precision --out "$out" > "$out.txt" 2>/dev/null
      echo "odegpu $adjoint $precision $n $(echo "$(date +%s.%N) - $start" | bc) s"
    done
  done
done
