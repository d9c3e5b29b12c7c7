using System.Numerics;
using ILGPU;
using OdeGpu.Batched;

namespace OdeGpu.Adjoint;

/// <summary>
/// Batch dynamics that can differentiate themselves, as device code: vector-Jacobian products for the adjoint methods
/// and Jacobian-vector products. Each row is its own ODE: the VJP's parameter part is written per row, and the caller
/// sums it over the rows when the parameters are shared.
/// </summary>
/// <typeparam name="T">The state scalar: float or double.</typeparam>
public interface IDifferentiableDynamics<T> : IBatchedDynamics<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>Number of parameters theta the gradients cover (per row, or in all when <see cref="SharedParameters"/>).</summary>
    int ParameterCount { get; }

    /// <summary>True when every row uses the same parameters (an MLP's weights), false when each row has its own.</summary>
    bool SharedParameters { get; }

    /// <summary>
    /// Queues the kernels that write, for every row r with cotangent a[r]: f(t[r], y[r]), a^T df/dy, a^T df/dtheta and
    /// a^T df/dt there. f comes with the products because computing them computes f anyway.
    /// </summary>
    /// <param name="time">Per-row times, [rows].</param>
    /// <param name="y">States, [rows x dim].</param>
    /// <param name="a">Cotangents, [rows x dim].</param>
    /// <param name="f">Written: f(t, y), [rows x dim].</param>
    /// <param name="aY">Written: a^T df/dy, [rows x dim].</param>
    /// <param name="aTheta">Written: a^T df/dtheta of each row, [rows x parameters]; with <paramref name="sumRows"/>, their sum over the rows in an order that is the same on every run, [parameters].</param>
    /// <param name="aT">Written: a^T df/dt, [rows].</param>
    /// <param name="sumRows">
    /// Sum the parameter part over the rows (only with <see cref="SharedParameters"/>): what a gradient of shared
    /// parameters needs, in memory of one row's, where [rows x parameters] would outgrow the device for wide networks and
    /// large batches. Rows whose cotangent is zero add nothing.
    /// </param>
    void Vjp(ArrayView<double> time, ArrayView<T> y, ArrayView<T> a, ArrayView<T> f, ArrayView<T> aY, ArrayView<T> aTheta, ArrayView<T> aT, bool sumRows = false);

    /// <summary>
    /// Whether <see cref="Evaluate(ArrayView{double}, ArrayView{T}, ArrayView{T}, int)"/> keeps what a VJP needs, its point
    /// (time and state) included, so that a VJP of a kept slot reads neither its time and state nor evaluates again (the
    /// discrete adjoint's <see cref="Gradients.DiscreteAdjoint.KeepEvaluations"/> relies on it). False by default:
    /// nothing is kept.
    /// </summary>
    bool KeepsEvaluations => false;

    /// <summary>
    /// Evaluates f as <see cref="IBatchedDynamics{T}.Evaluate"/> does, and keeps in <paramref name="slot"/> what a VJP at
    /// the same point needs (an MLP's activations), so that <see cref="Vjp(int, ArrayView{double}, ArrayView{T}, ArrayView{T}, ArrayView{T}, ArrayView{T}, ArrayView{T}, ArrayView{T}, bool)"/>
    /// with that slot need not run the forward pass again: the discrete adjoint evaluates a step's stages forwards and
    /// takes their VJPs backwards. Dynamics that keep nothing just evaluate.
    /// </summary>
    /// <param name="time">Per-row times, [rows].</param>
    /// <param name="y">States, [rows x dim].</param>
    /// <param name="dy">Written: f(t, y), [rows x dim].</param>
    /// <param name="slot">Which kept evaluation to replace, from 0.</param>
    void Evaluate(ArrayView<double> time, ArrayView<T> y, ArrayView<T> dy, int slot) => Evaluate(time, y, dy);

    /// <summary>
    /// The VJP at the point last evaluated into <paramref name="slot"/>, whose <paramref name="time"/> and
    /// <paramref name="y"/> have not changed since (dynamics that keep evaluations, <see cref="KeepsEvaluations"/>, read
    /// neither): as <see cref="Vjp(ArrayView{double}, ArrayView{T}, ArrayView{T}, ArrayView{T}, ArrayView{T}, ArrayView{T}, ArrayView{T}, bool)"/>,
    /// except that <paramref name="f"/> is scratch (dynamics that kept the evaluation do not write it; the others
    /// recompute it there).
    /// </summary>
    void Vjp(int slot, ArrayView<double> time, ArrayView<T> y, ArrayView<T> a, ArrayView<T> f, ArrayView<T> aY, ArrayView<T> aTheta, ArrayView<T> aT, bool sumRows = false) =>
        Vjp(time, y, a, f, aY, aTheta, aT, sumRows);

    /// <summary>Queues the kernels that write (df/dy) v for every row at (t[r], y[r]).</summary>
    /// <param name="time">Per-row times, [rows].</param>
    /// <param name="y">States, [rows x dim].</param>
    /// <param name="v">Tangents, [rows x dim].</param>
    /// <param name="jv">Written: (df/dy) v, [rows x dim].</param>
    void Jvp(ArrayView<double> time, ArrayView<T> y, ArrayView<T> v, ArrayView<T> jv);
}
