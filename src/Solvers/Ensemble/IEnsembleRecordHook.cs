namespace OdeGpu.Ensemble;

/// <summary>
/// What runs on a chunk's step record once its ensemble solve has finished and before its device buffers are freed:
/// the fused discrete adjoint replays the record there, so it never leaves the device.
/// </summary>
/// <typeparam name="T">The state scalar.</typeparam>
internal interface IEnsembleRecordHook<T> where T : unmanaged
{
    /// <summary>Called once per chunk, in chunk order.</summary>
    void Recorded(EnsembleRecord<T> record);
}
