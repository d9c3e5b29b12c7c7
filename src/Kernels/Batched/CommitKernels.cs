using ILGPU;
using OdeGpu.Device;

namespace OdeGpu.Batched;

/// <summary>Arguments of <see cref="CommitKernels.Commit{T}"/>.</summary>
public struct CommitArgs<T> : IElementArgs<CommitArgs<T>> where T : unmanaged
{
    /// <summary>The state, overwritten by <see cref="YNew"/> in accepted rows.</summary>
    public ArrayView<T> Y;

    /// <summary>The accepted state.</summary>
    public ArrayView<T> YNew;

    /// <summary>Stage derivatives; stage 0 receives f(t1, y1) from stage <see cref="FirstStageSource"/>.</summary>
    public ArrayView<T> K;

    /// <summary>The stage holding f(t1, y1): the last stage for FSAL methods, else the extra evaluation.</summary>
    public int FirstStageSource;

    /// <summary>1 when f(t1, y1) was an extra evaluation to charge to the row.</summary>
    public int ChargeEvaluation;

    /// <summary>Which rows accepted.</summary>
    public ArrayView<int> Accepted;

    /// <summary>Evaluation counters.</summary>
    public ArrayView<int> Evaluations;

    /// <summary>The state dimension.</summary>
    public int Dimension;

    /// <summary>rows x dim.</summary>
    public long Length;

    /// <summary>The element that index 0 of this launch works on.</summary>
    public long First;

    /// <inheritdoc />
    public readonly CommitArgs<T> From(long first) => this with { First = first };
}

/// <summary>Moves accepted rows to the end of their step.</summary>
public static class CommitKernels
{
    /// <summary>Y = YNew and K_0 = f(t1, y1) for one element of an accepted row.</summary>
    public static void Commit<T>(Index1D index, CommitArgs<T> a) where T : unmanaged =>
        CommitAt<T, ViewIndexer>(index, a);

    // The body at one index, the arguments by reference: the direct CPU launcher calls it without copying them.
    internal static void CommitAt<T, TAccess>(Index1D index, in CommitArgs<T> a)
        where T : unmanaged
        where TAccess : struct, IViewAccess
    {
        var i = a.First + index;
        var row = BatchIndex.Row(i, a.Dimension);
        if (TAccess.At(a.Accepted, row) == 0)
            return;
        TAccess.At(a.Y, i) = TAccess.At(a.YNew, i);
        TAccess.At(a.K, i) = TAccess.At(a.K, BatchIndex.Stage(a.FirstStageSource, a.Length, i));
        if (a.ChargeEvaluation != 0 && BatchIndex.Component(i, row, a.Dimension) == 0)
            TAccess.At(a.Evaluations, row) += 1;
    }
}
