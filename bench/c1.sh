#!/bin/bash
# C1 side by side (BENCHMARKS.md): odegpu flow train and FFJORD's train_toy.py (unmodified, through
# bench/peers/ffjord_toy.py) on the same data with FFJORD's toy defaults, one after the other, never together.
# Usage: bash bench/c1.sh <ffjord export> <torchdiffeq export> [DIR] [ITERATIONS] [DATA...]
set -e
FFJORD=$(cd "$1" && pwd)
TDE=$(cd "$2" && pwd)
DIR=${3:-/tmp/c1}
N=${4:-1400}
shift 4 || true
DATASETS=${@:-8gaussians pinwheel checkerboard}
ODEGPU="dotnet $(pwd)/src/Cli/bin/Release/net10.0/odegpu.dll"
PEER=$(pwd)/bench/peers/ffjord_toy.py
mkdir -p "$DIR"
runs=()
for data in $DATASETS; do
  rm -rf "$DIR/odegpu-$data" "$DIR/ffjord-$data"
  $ODEGPU flow train --data "$data" --iterations "$N" --test-every 100 --out "$DIR/odegpu-$data" > "$DIR/odegpu-$data.txt" 2>/dev/null
  (cd "$FFJORD" && FFJORD_DIR="$FFJORD" PYTHONPATH="$TDE" /usr/bin/python3 "$PEER" --data "$data" --niters "$N" --val_freq 100 \
    --viz_freq 100000 --save "$DIR/ffjord-$data" > "$DIR/ffjord-$data.txt" 2>&1)
  runs+=("odegpu:$data:$DIR/odegpu-$data/history.csv" "ffjord:$data:$DIR/ffjord-$data/logs")
done
/usr/bin/python3 "$(pwd)/bench/c1_summary.py" "${runs[@]}"
