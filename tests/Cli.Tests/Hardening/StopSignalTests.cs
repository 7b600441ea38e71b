using System.Runtime.InteropServices;
using Harness.Cli.Commands;

namespace Harness.Cli.Tests.Hardening;

/// <summary>
/// How `harness proxy` and `harness virtual-rack` take SIGINT/SIGTERM. The signals are fed to the handler's decision
/// directly: raising real ones would reach the test runner itself.
/// </summary>
public sealed class StopSignalTests
{
    [Test]
    public void The_first_signal_stops_the_command_and_keeps_the_process_to_finish()
    {
        using var stop = new StopSignal(CancellationToken.None);
        Assert.That(stop.Token.IsCancellationRequested, Is.False);
        Assert.That(stop.Signal(PosixSignal.SIGTERM), Is.True, "the process must stay to write the HAR / disconnect the phones");
        Assert.That(stop.Token.IsCancellationRequested, Is.True);
    }

    [Test]
    public void A_second_ctrl_c_ends_the_process_and_a_later_sigterm_does_not()
    {
        using var stop = new StopSignal(CancellationToken.None);
        stop.Signal(PosixSignal.SIGINT);
        Assert.That(stop.Signal(PosixSignal.SIGTERM), Is.True, "a supervisor's SIGTERM after the terminal's Ctrl-C must not cut the finishing work short");
        Assert.That(stop.Signal(PosixSignal.SIGINT), Is.False, "a user's second Ctrl-C gets the default action: the process ends");
    }

    [Test]
    public void A_signal_after_the_command_is_over_is_ignored_not_thrown()
    {
        // The host's own handler runs first and may let the command finish and dispose before ours runs: a real
        // `harness proxy` died here with an unhandled ObjectDisposedException on the signal thread.
        using var host = new CancellationTokenSource();
        var stop = new StopSignal(host.Token);
        host.Cancel();
        stop.Dispose();
        Assert.That(() => stop.Signal(PosixSignal.SIGTERM), Throws.Nothing);
    }
}
