using System.Runtime.InteropServices;

namespace Harness.Cli.Commands;

/// <summary>
/// SIGINT and SIGTERM for a long-running command (the proxy, the virtual rack): the first one cancels <see cref="Token"/>
/// and the command finishes its work (the HAR, the phones' disconnects). A second Ctrl-C (SIGINT) while it finishes
/// gets the system's default action, so the process ends at once and a user who will not wait is never held; a later
/// SIGTERM does not (a supervisor such as run.ps1 sends one after the terminal's Ctrl-C already reached the whole
/// process group, and escalates to SIGKILL itself). A signal that arrives after the command is over (the host's own
/// handler may have stopped it first) is ignored rather than thrown on the signal thread, which crashed the process.
/// </summary>
public sealed class StopSignal : IDisposable
{
    private readonly CancellationTokenSource _stop;
    private readonly PosixSignalRegistration _sigint;
    private readonly PosixSignalRegistration _sigterm;
    private int _signals;

    public StopSignal(CancellationToken hostStopping)
    {
        _stop = CancellationTokenSource.CreateLinkedTokenSource(hostStopping);
        _sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal);
        _sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal);
    }

    /// <summary>Cancelled by the first signal (or by the host).</summary>
    public CancellationToken Token => _stop.Token;

    /// <summary>Wait until the first signal (or the host) asks the command to stop.</summary>
    public async Task WaitAsync()
    {
        try { await Task.Delay(Timeout.Infinite, Token).ConfigureAwait(false); }
        catch (OperationCanceledException) { }
    }

    /// <summary>A signal arrived. Returns whether the process keeps running to finish (false: default action, it ends).</summary>
    public bool Signal(PosixSignal kind)
    {
        if (Interlocked.Increment(ref _signals) > 1) return kind != PosixSignal.SIGINT;
        // The host's own handling may already have cancelled the source, and the command may be over (disposed).
        try { _stop.Cancel(); }
        catch (ObjectDisposedException) { }
        return true;
    }

    private void OnSignal(PosixSignalContext signal) => signal.Cancel = Signal(signal.Signal);

    public void Dispose()
    {
        // Registrations first: no handler starts after the source is gone (one already running is guarded above).
        _sigint.Dispose();
        _sigterm.Dispose();
        _stop.Dispose();
    }
}
