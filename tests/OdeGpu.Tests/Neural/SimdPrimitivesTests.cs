using System.Numerics;
using ILGPU;
using ILGPU.Runtime;
using OdeGpu.Device;
using OdeGpu.Neural;
using OdeGpu.Precision;
using OdeGpu.Tests.Support;

namespace OdeGpu.Tests.Neural;

/// <summary>
/// The SIMD twins of the dense network's passes (<see cref="SimdPrimitives"/> on the direct CPU launcher) against the
/// ILGPU kernels they replace (the same calls on ILGPU's CPU accelerator), in float and double, for layers narrower
/// and wider than a vector, as Linear, ConcatLinear and ConcatSquash, on one row and on enough rows to spread over the cores:
/// every output of both passes equal up to the sums' rounding, and the summed parameter gradient the same bits on
/// every run.
/// </summary>
public sealed class SimdPrimitivesTests(CpuDevice cpu, AcceleratorDevice accelerator) : IClassFixture<CpuDevice>, IClassFixture<AcceleratorDevice>
{
    public static TheoryData<int, int[], int> Shapes => new()
    {
        { 1, [4, 32, 32, 4], 0 },
        { 300, [4, 32, 32, 4], 1 },
        { 7, [3, 5, 3], 1 },
        { 129, [2, 50, 2], 0 },
        { 260, [6, 17, 40, 6], 1 },
        { 300, [4, 32, 32, 4], Squashed },
        { 7, [3, 9, 3], Squashed },
    };

    // The third argument of a shape: 0 Linear, 1 ConcatLinear (the time column), Squashed ConcatSquash.
    private const int Squashed = 2;

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Both_passes_match_the_kernels(int rows, int[] widths, int mode)
    {
        Compare<double, Float64>(rows, widths, mode, 1e-12);
        Compare<float, Float32>(rows, widths, mode, 2e-5);
    }

    [Fact]
    public void The_summed_parameter_gradient_is_the_same_bits_on_every_run()
    {
        using var first = new Network<float, Float32>(cpu.Device, 1000, [4, 32, 32, 4], 1, seed: 3);
        using var second = new Network<float, Float32>(cpu.Device, 1000, [4, 32, 32, 4], 1, seed: 3);
        first.Run();
        second.Run();
        Assert.Equal(first.Outputs().Last().Values, second.Outputs().Last().Values);
    }

    private void Compare<T, TP>(int rows, int[] widths, int mode, double tolerance)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TP : struct, IPrecision<T>
    {
        using var twin = new Network<T, TP>(cpu.Device, rows, widths, mode, seed: rows);
        using var kernels = new Network<T, TP>(accelerator.Device, rows, widths, mode, seed: rows);
        twin.Run();
        kernels.Run();
        foreach (var ((name, actual), (_, expected)) in twin.Outputs().Zip(kernels.Outputs()))
        {
            Assert.Equal(expected.Length, actual.Length);
            // sums over the rows round apart by about the square root of their count
            var bound = name.StartsWith("WBar", StringComparison.Ordinal) || name.StartsWith("BBar", StringComparison.Ordinal) || name.StartsWith("SquashBar", StringComparison.Ordinal)
                ? tolerance * Math.Sqrt(rows) : tolerance;
            for (var e = 0; e < expected.Length; e++)
            {
                var (u, v) = (double.CreateTruncating(expected[e]), double.CreateTruncating(actual[e]));
                Assert.True(Math.Abs(u - v) <= bound * Math.Max(1, Math.Abs(u)), $"{typeof(T).Name} {name}[{e}]: twin {v}, kernels {u}");
            }
        }
    }

    // A softplus network's layers on one device, from seeded inputs, weights and output cotangents.
    private sealed class Network<T, TP> : IDisposable
        where T : unmanaged, IFloatingPointIeee754<T>
        where TP : struct, IPrecision<T>
    {
        private readonly OdeDevice _device;
        private readonly List<MemoryBuffer1D<T, Stride1D.Dense>> _buffers = [];
        private readonly MemoryBuffer1D<double, Stride1D.Dense> _time;
        private readonly LinearLayerArgs<T>[] _layers;

        public Network(OdeDevice device, int rows, int[] widths, int mode, int seed)
        {
            var timeColumn = mode == 1 ? 1 : 0;
            _device = device;
            var random = new Random(seed);
            MemoryBuffer1D<T, Stride1D.Dense> Random(long length) =>
                Keep(device.Upload(Enumerable.Range(0, (int)length).Select(_ => T.CreateTruncating(2 * random.NextDouble() - 1)).ToArray()));
            MemoryBuffer1D<T, Stride1D.Dense> Empty(long length) => Keep(device.Allocate<T>(length));
            _time = device.Upload(Enumerable.Range(0, rows).Select(r => 0.01 * r - 0.5).ToArray());
            var x = Random((long)rows * widths[0]).View;
            var xBar = Empty((long)rows * widths[0]).View;
            var timeBar = Empty(rows).View;
            _layers = new LinearLayerArgs<T>[widths.Length - 1];
            for (var l = 0; l < _layers.Length; l++)
            {
                int inputs = widths[l], outputs = widths[l + 1], columns = timeColumn + inputs;
                var size = (long)rows * outputs;
                _layers[l] = new LinearLayerArgs<T>
                {
                    X = l == 0 ? x : _layers[l - 1].H, XBar = l == 0 ? xBar : _layers[l - 1].HBar, Time = _time.View, TimeBar = timeBar,
                    W = Random(outputs * columns).View, B = Random(outputs).View, WBar = Empty(outputs * columns).View, BBar = Empty(outputs).View,
                    Z = Empty(size).View, H = Empty(size).View, ZBar = Empty(size).View, HBar = l == widths.Length - 2 ? Random(size).View : Empty(size).View,
                    In = inputs, Out = outputs, TimeColumn = timeColumn, Rows = rows,
                };
                if (mode == Squashed)
                    _layers[l] = _layers[l] with
                    {
                        Squash = 1, D = Random(outputs).View, G = Random(outputs).View, C = Random(outputs).View, L = Empty(size).View, LBar = Empty(size).View,
                        SquashBar = Empty(3 * outputs).View,
                    };
            }
        }

        public void Run()
        {
            SimdPrimitives.MlpForward<T, TP, Softplus>(_device, _layers);
            SimdPrimitives.MlpBackward<T, TP, Softplus>(_device, _layers);
        }

        // Every layer's forward and backward outputs, the parameter gradient last.
        public IEnumerable<(string Name, T[] Values)> Outputs()
        {
            for (var l = 0; l < _layers.Length; l++)
            {
                var a = _layers[l];
                yield return ($"Z{l}", _device.Download(a.Z));
                yield return ($"H{l}", _device.Download(a.H));
                yield return ($"ZBar{l}", _device.Download(a.ZBar));
                yield return ($"XBar{l}", _device.Download(a.XBar));
                yield return ($"BBar{l}", _device.Download(a.BBar));
                if (a.Squash != 0)
                    yield return ($"SquashBar{l}", _device.Download(a.SquashBar));
            }
            yield return ("TimeBar", _device.Download(_layers[0].TimeBar));
            yield return ("WBar", [.. _layers.SelectMany(a => _device.Download(a.WBar))]);
        }

        public void Dispose()
        {
            _time.Dispose();
            foreach (var buffer in _buffers)
                buffer.Dispose();
        }

        private MemoryBuffer1D<T, Stride1D.Dense> Keep(MemoryBuffer1D<T, Stride1D.Dense> buffer)
        {
            _buffers.Add(buffer);
            return buffer;
        }
    }
}
