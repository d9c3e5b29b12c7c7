#!/bin/bash
# G1 on this machine through the CLI, end to end (kernel compilation included): odegpu gradient for both adjoints at
# three tolerances in the given mode, error of d_r against the discrete adjoint at rtol 1e-12.
#   bash bench/g1.sh N [ensemble|batched] [repeats]
set -e
O="dotnet $(dirname "$0")/../src/Cli/bin/Release/net10.0/odegpu.dll"
N=${1:-2048}
MODE=${2:-ensemble}
REPEATS=${3:-3}
COMMON="lorenz --trajectories $N --param r=0:21 --y0 1,0,0 --times 0,1 --device cpu --mode $MODE"
[ -f ref$N.csv ] || $O gradient $COMMON --adjoint discrete --rtol 1e-12 --atol 1e-15 --out ref$N.csv > /dev/null
for a in continuous discrete; do for r in 1e-3 1e-6 1e-8; do
  at=$(/usr/bin/python3 -c "print(1e-3*$r)")
  for k in $(seq 1 $REPEATS); do $O gradient $COMMON --adjoint $a --rtol $r --atol $at --out $a$r.csv --stats $a$r-$k.json > /dev/null; done
  /usr/bin/python3 - <<PY
import csv, json
ref=[float(r['d_r']) for r in csv.DictReader(open('ref$N.csv'))]
got=[float(r['d_r']) for r in csv.DictReader(open('$a$r.csv'))]
err=max(abs(a-b) for a,b in zip(got,ref))/max(abs(x) for x in ref)
s=[json.load(open('$a$r-%d.json'%k)) for k in range(1, $REPEATS + 1)]
print(json.dumps(dict(mode='$MODE', method='$a', n=$N, rtol=$r, best_seconds=min(x['seconds'] for x in s), nfe_forward=s[0]['nfe_forward']//$N, nfe_backward=s[0]['nfe_backward']//$N, peak_device_bytes=s[0]['peak_device_bytes'], gradient_error=err)))
PY
done; done
