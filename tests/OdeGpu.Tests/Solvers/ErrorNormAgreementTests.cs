using OdeGpu.Batched;
using OdeGpu.Ensemble;
using OdeGpu.Ensemble.Steppers;
using OdeGpu.Precision;
using OdeGpu.State;
using OdeGpu.Tests.Support;

namespace OdeGpu.Tests.Solvers;

/// <summary>In float32 both modes compute the controller's error norm the same way, so they agree bit for bit.</summary>
public sealed class ErrorNormAgreementTests(CpuDevice cpu) : IClassFixture<CpuDevice>
{
    private const double Rtol = 1e-6;
    private static readonly float[] Atol = [1e-8f, 3e-7f, 1e-5f];

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void The_batched_norm_of_each_row_is_the_fused_kernels_norm_bit_for_bit(bool twoEstimates)
    {
        var (y, error) = Rows(64);

        var batched = BatchedNorms(y, error, twoEstimates);

        var atol = new Vec3<float>(Atol[0], Atol[1], Atol[2]);
        for (var r = 0; r < y.Length; r++)
        {
            var yNew = Vec3<float>.MulAdd(y[r], 1f, error[r]);
            var fused = twoEstimates
                ? EnsembleKernels.ScaledErrorNorm<float, Float32, Vec3<float>, Dopri8Stepper>(error[r], Vec3<float>.Scale(0.5f, error[r]), y[r], yNew, atol, (float)Rtol, 3)
                : EnsembleKernels.ScaledErrorNorm<float, Float32, Vec3<float>, Tsit5Stepper>(error[r], default, y[r], yNew, atol, (float)Rtol, 3);
            Assert.Equal(BitConverter.DoubleToInt64Bits(fused), BitConverter.DoubleToInt64Bits(batched[r]));
        }
    }

    // States over several magnitudes and errors near the tolerance, where float and double rounding of the norm differ.
    private static (Vec3<float>[] Y, Vec3<float>[] Error) Rows(int rows)
    {
        var y = new Vec3<float>[rows];
        var error = new Vec3<float>[rows];
        for (var r = 0; r < rows; r++)
        {
            var scale = MathF.Pow(10, r % 7 - 3);
            y[r] = new Vec3<float>(scale * (1 + r / 7f), -scale / (r + 3f), 1f / (r + 1));
            error[r] = new Vec3<float>(scale * 1.3e-6f * (r % 5 + 1), 7.1e-7f * (r % 3 + 1), -2.9e-6f / (r % 4 + 1));
        }
        return (y, error);
    }

    // Propose with one stage of weight 1 and h = 1 gives yNew = y + error and the error itself; then RowNorm.
    private double[] BatchedNorms(Vec3<float>[] y, Vec3<float>[] error, bool twoEstimates)
    {
        var device = cpu.Device;
        var rows = y.Length;
        using var yBuffer = device.Upload(y.SelectMany(v => new[] { v.X, v.Y, v.Z }).ToArray());
        using var k = device.Upload(error.SelectMany(v => new[] { v.X, v.Y, v.Z }).ToArray());
        using var yNew = device.Allocate<float>(3 * rows);
        using var weights = device.Upload(new[] { 1.0 });
        using var weights3 = device.Upload(new[] { 0.5 });
        using var atol = device.Upload(Atol.Select(a => (double)a).ToArray());
        using var squares = device.Allocate<float>(3 * rows);
        using var squares3 = device.Allocate<float>(3 * rows);
        using var step = device.Upload(Enumerable.Repeat(1.0, rows).ToArray());
        using var active = device.Upload(Enumerable.Repeat(1, rows).ToArray());
        using var sums = device.Allocate<double>(rows);
        using var sums3 = device.Allocate<double>(rows);
        using var norms = device.Allocate<double>(rows);
        device.LaunchElements(ErrorKernels.Propose<float, Float32>, 3L * rows, new ProposeArgs<float>
        {
            Y = yBuffer.View, K = k.View, YNew = yNew.View, Weights = weights.View, ErrorWeights = weights.View,
            ErrorWeights3 = twoEstimates ? weights3.View : default, StageCount = 1, Atol = atol.View, Rtol = Rtol,
            ErrorSquares = squares.View, ErrorSquares3 = squares3.View, Step = step.View, Active = active.View, Dimension = 3, Length = 3L * rows,
        });
        device.Launch(ErrorKernels.RowNorm<float, Float32>, rows, new NormArgs<float>
        {
            ErrorSquares = squares.View, ErrorSquares3 = squares3.View, RowSums = sums.View, RowSums3 = sums3.View, ErrorNorm = norms.View,
            Active = active.View, Dimension = 3, NormComponents = 3, Rows = rows, TwoEstimates = twoEstimates ? 1 : 0,
        });
        return device.Download<double>(norms.View);
    }
}
