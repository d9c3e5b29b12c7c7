using OdeGpu.BuiltIn;
using OdeGpu.Tableaux;

namespace OdeGpu.Cli;

/// <summary>The text of <c>odegpu --help</c>.</summary>
internal static class HelpText
{
    /// <summary>Usage, commands, systems and methods.</summary>
    public static string Text => $"""
        odegpu: batched ODE solving on GPUs (CUDA, OpenCL) and the CPU

        usage:
          odegpu devices
          odegpu solve SYSTEM --y0 A,B,... --times T0,...,T1 [options]
          odegpu gradient SYSTEM --y0 A,B,... --times T0,...,T1 [solve options] [gradient options]
          odegpu bench ensemble [--device cpu|cuda|opencl] [--min-n N] [--max-n N] [--workloads l1a,l1b,l1c,l1d,v1] [--simd on|off|both] [--out FILE.json]
          odegpu fit spiral [--iterations N] [--adjoint continuous|discrete] [--precision float64|float32]
                            [--device cpu|cuda|opencl] [--seed S] [--eval-every K] [--out DIR]
          odegpu flow train [--data NAME] [--iterations N] [--out DIR] [flow options]
          odegpu flow sample --model DIR --count N --out FILE.csv [--seed S] [--device cpu|cuda|opencl]
          odegpu flow density --model DIR --out FILE.png [--grid N] [--range LO,HI] [--device cpu|cuda|opencl]
          odegpu classify train --model resnet|odenet|rknet|mlp [--data mnist|fashion-mnist] [--mnist DIR] [--epochs N]
                [--train-size N] [--test-size N] [--width W] [--blocks N] [--batch N] [--lr X] [--tolerance X] [--no-augment] [--seed N] --out DIR
          odegpu classify train --resume DIR [--epochs N] [--mnist DIR] [--out DIR]
                                    continue a checkpoint (saved after every epoch) as the run would have gone on
          odegpu classify evaluate --model DIR [--data mnist|fashion-mnist] [--mnist DIR] [--test-size N]
          odegpu bench neural [--device cpu|cuda|opencl] [--batch 64,65536] [--methods dopri5,tsit5]
                              [--adjoints none,discrete,continuous] [--repeats N] [--out FILE.json]
          odegpu check [--assembly FILE.dll] [--method NAME]...
                                            compile the kernels of the assembly's systems (or the built-in ones) for
                                            CUDA (PTX) and OpenCL C, without a GPU; exit 1 when one does not compile

        solve options:
          --param NAME=VALUE | NAME=LO:HI   a parameter, or a range spread linearly over the trajectories (repeatable)
          --trajectories N                  number of trajectories (default 1)
          --method NAME                     {string.Join(", ", Methods.All.Select(m => m.Name))} (default dopri5)
          --dt DT                           fixed step; otherwise adaptive:
          --rtol R --atol A[,A...]          tolerances (default 1e-6, 1e-9; atol may be one per component)
          --controller pi|integral          step-size controller (default pi)
          --first-step H --min-step H --max-step H --max-steps N
          --precision float32|float64       state precision (default float64; time is always double); float32 resolves
                                            about 6e-8 relative, so --rtol below 1e-6 gets a warning
          --mode ensemble|batched           ensemble (default): one fused kernel, one thread per trajectory;
                                            batched: one kernel per stage over the [trajectories x dim] batch
          --slice-steps K                   ensemble: attempts per kernel launch between compactions (default 256)
          --no-compaction                   ensemble: relaunch every trajectory instead of packing the running ones
          --simd on|off                     ensemble on the CPU: groups of trajectories on SIMD lanes where the system allows (default on)
          --chunk N                         ensemble: trajectories per chunk (default: half the device memory)
          --shared-step                     batched: one step size for the whole batch instead of one per trajectory
          --device cpu|cuda|opencl          force a backend (also ODEGPU_DEVICE); default: cuda, then opencl, then cpu
          --out FILE.csv|FILE.parquet       one row per trajectory and output time: trajectory, status, t, y0, y1, ...;
                                            NaN at times a failed trajectory never reached
          --stats FILE.json                 device, timings, evaluations, steps and status per trajectory

        gradient options (L = sum over the times after T0 of |y(t)|^2, per trajectory; --mode as for solve, the
        ensemble mode by default):
          --loss squares                    the loss (default)
          --adjoint continuous|discrete     continuous: the adjoint ODE backwards, memory flat in the steps (default);
                                            discrete: the recorded steps replayed, exact to round-off (in the
                                            ensemble mode its steps end on the output times)
          --checkpoint-every K              the discrete adjoint keeps every K-th state and recomputes the rest
                                            (batched mode; memory N/K + 2K states instead of N)
          --adjoint-rtol R --adjoint-atol A the continuous adjoint's tolerances (default the forward ones)
          --seminorm                        leave the parameters' adjoint out of the backward error norm
          --out FILE.csv|FILE.parquet       one row per trajectory: trajectory, status, loss, d_y0, ..., d_PARAM, ...,
                                            d_t0, d_t1
          --stats FILE.json                 nfe_forward, nfe_backward, seconds, peak_device_bytes

        flow options (FFJORD's toy defaults, BENCHMARKS.md's C1):
          --data NAME                       {string.Join(", ", OdeGpu.Flows.ToyData.Names)} (default 8gaussians)
          --iterations N --test-every K     iterations (default 1400); the test NLL every K (default 100) and at the end
          --hidden 64-64-64 --blocks N      each block's hidden widths (default 64-64-64), blocks in sequence (default 1)
          --layer concatsquash|concat|linear --activation {string.Join("|", OdeGpu.Flows.FlowActivations.Names)}
          --time T --fixed-time             each block's end time (default 0.5), trained through sqrt(T) unless fixed
          --trace exact|rademacher|gaussian the trace of df/dz: exact (default) or Hutchinson's, drawn per solve
          --kinetic W --frobenius W         RNODE's regularizers: weights of the integrals of |f|^2 and ||df/dz||_F^2
          --adjoint continuous|discrete     the gradient method (default continuous, as FFJORD)
          --precision float32|float64       (default float32); --tolerance TOL: rtol = atol of the solves (default 1e-5)
          --batch B --test-batch B          training batch (default 100) and held-out test set (default 1000)
          --lr LR --weight-decay WD         Adam (default 1e-3, 1e-5); --seed S; --resume DIR continues a checkpoint
          writes history.csv, the checkpoint (model.safetensors, model.json, optimizer.safetensors, training.json) and
          data.png, samples.png, density.png, loss.png into --out (default flow-NAME)

        bench options:
          --min-n N --max-n N               sizes N, 4N, 16N, ... below --max-n, then --max-n (default 512 to 8192 on the
                                            CPU, to 2^23 on a GPU); V1 runs at 256 unless a size is given
          neural: N2 (MLP 4-32-32-4 softplus, float32, t in [0, 10], rtol = atol = 1e-6, one step size per batch),
                                            the best of --repeats (default 3) after a warm-up; one JSON row per batch,
                                            method and gradient method (continuous twice: seminorm off and on) with batch,
                                            method, adjoint, seminorm, seconds, nfe_forward, nfe_backward (per row)

        systems:
        {string.Join("\n", BuiltInSystem.All.Select(s => $"  {s.Name,-16}{(s.Parameters.Length == 0 ? "no parameters" : string.Join(", ", s.Parameters.Zip(s.Defaults, (p, d) => $"{p}={d:G6}"))),-28}{s.Description}"))}

        exit codes: 0 success, 1 some trajectory failed (see --stats), 2 bad arguments, an unwritable output or no such
        device, 130 or 143 interrupted by SIGINT (Ctrl-C) or SIGTERM (the unfinished output is removed)
        """;
}
