namespace Harness.Adb;

/// <summary>
/// `uiautomator dump` ran but produced no hierarchy: "ERROR: could not get idle state." while the screen animates,
/// "null root node" while windows change, or (MIUI) only a Java stack trace. <see cref="Transient"/> says whether a
/// later dump can be expected to work; <see cref="Output"/> is what the phone printed.
/// </summary>
public sealed class UiDumpFailedException : AdbProtocolException
{
    public UiDumpFailedException(string reason, string output, bool transient)
        : base($"uiautomator dump failed: {reason}")
    {
        Reason = reason;
        Output = output;
        Transient = transient;
    }

    public string Reason { get; }
    public string Output { get; }
    public bool Transient { get; }
}
