using System.Runtime.InteropServices;

namespace OdeGpu.Cli;

/// <summary>
/// Turns the first SIGINT (Ctrl-C) or SIGTERM into a cancellation that the solve and the writers observe, so that they
/// stop between slices and remove their temporary file; a second signal ends the process at once. SIGINT is also what
/// <see cref="Console.CancelKeyPress"/> listens to, so one registration serves both.
/// </summary>
internal sealed class Interruption : IDisposable
{
    private readonly CancellationTokenSource _source = new();
    private readonly List<PosixSignalRegistration> _registrations = [];

    /// <summary>Cancelled when a signal arrives.</summary>
    public CancellationToken Token => _source.Token;

    /// <summary>The signal that arrived, or null.</summary>
    public PosixSignal? Signal { get; private set; }

    /// <summary>The shell's exit code for the signal: 130 after SIGINT, 143 after SIGTERM.</summary>
    public int ExitCode => Signal == PosixSignal.SIGTERM ? 143 : 130;

    /// <summary>Listens for SIGINT and SIGTERM until disposed.</summary>
    public static Interruption OnSignals()
    {
        var interruption = new Interruption();
        foreach (var signal in new[] { PosixSignal.SIGINT, PosixSignal.SIGTERM })
            interruption._registrations.Add(PosixSignalRegistration.Create(signal, interruption.Handle));
        return interruption;
    }

    /// <summary>Cancels as if <paramref name="signal"/> had arrived.</summary>
    public void Raise(PosixSignal signal)
    {
        Signal ??= signal;
        _source.Cancel();
    }

    /// <summary>Stops listening.</summary>
    public void Dispose()
    {
        foreach (var registration in _registrations)
            registration.Dispose();
        _source.Dispose();
    }

    private void Handle(PosixSignalContext context)
    {
        if (Signal is not null)
            return;
        context.Cancel = true;
        Raise(context.Signal);
    }
}
