namespace OdeGpu.Device;

/// <summary>
/// Arguments of a kernel over more elements than one launch can index (an index is an int): the kernel works on
/// element <c>first + index</c>, and <see cref="OdeDevice.LaunchElements{TArgs}"/> launches it slice by slice.
/// </summary>
/// <typeparam name="TSelf">The implementing arguments struct.</typeparam>
public interface IElementArgs<TSelf> where TSelf : struct, IElementArgs<TSelf>
{
    /// <summary>The same arguments for a launch whose index 0 is element <paramref name="first"/>.</summary>
    TSelf From(long first);
}
