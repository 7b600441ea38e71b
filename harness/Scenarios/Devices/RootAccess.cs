using Harness.Adb;

namespace Harness.Scenarios;

/// <summary>
/// How to run a command as root on one phone, found by probing as HTTP Toolkit does: plain <c>id</c> (adbd already
/// root), then the <c>su</c> spellings of the common su binaries; the first whose output shows uid=0(root) wins.
/// </summary>
public sealed class RootAccess
{
    private readonly Func<string, string> _wrap;

    private RootAccess(string probe, Func<string, string> wrap)
    {
        Probe = probe;
        _wrap = wrap;
    }

    /// <summary>The probe that proved root, e.g. "su -c id".</summary>
    public string Probe { get; }

    /// <summary>The shell command line that runs <paramref name="command"/> (a whole shell line) as root.</summary>
    public string Wrap(string command) => _wrap(command);

    private static readonly (string Probe, Func<string, string> Wrap)[] Variants =
    [
        ("id", command => command),
        ("su -c id", command => "su -c " + ShellQuote.Quote(command)),
        ("su 0 id", command => "su 0 sh -c " + ShellQuote.Quote(command)),
        ("su root id", command => "su root sh -c " + ShellQuote.Quote(command)),
    ];

    /// <summary>Null when no variant gives root (the phone is not rooted, or su asks the user and times out).</summary>
    public static async Task<RootAccess?> ProbeAsync(AdbClient adb, string serial, TimeSpan timeoutPerProbe, CancellationToken cancellationToken)
    {
        foreach (var (probe, wrap) in Variants)
        {
            try
            {
                var result = await adb.ShellAsync(serial, probe, cancellationToken, timeoutPerProbe).ConfigureAwait(false);
                if (result.Stdout.Contains("uid=0(root)", StringComparison.Ordinal)) return new RootAccess(probe, wrap);
            }
            catch (Exception e) when (e is TimeoutException or AdbCommandFailedException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
            {
                // A su that waits for a tap on the phone never answers: that is "no root" for an unattended run.
            }
        }
        return null;
    }
}
