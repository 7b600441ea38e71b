namespace Harness.Adb;

/// <summary>
/// `input` was refused with the INJECT_EVENTS SecurityException. On MIUI/HyperOS this is the "USB debugging (Security
/// settings)" switch of Developer options being off; elsewhere a device policy forbids input injection.
/// </summary>
public sealed class InputInjectionDeniedException : AdbCommandFailedException
{
    public const string Fix = "on MIUI/HyperOS turn on Settings → Additional settings → Developer options → \"USB debugging (Security settings)\" (it needs a Mi account and a SIM card), then retry";

    public InputInjectionDeniedException(string request, string output)
        : base(request, $"the phone refused input injection (INJECT_EVENTS): {Fix}; the phone said: {FirstLine(output)}")
    {
    }

    public static bool Matches(string output) => output.Contains("INJECT_EVENTS", StringComparison.Ordinal);

    private static string FirstLine(string output) =>
        output.Split('\n').Select(l => l.Trim()).FirstOrDefault(l => l.Contains("INJECT_EVENTS", StringComparison.Ordinal)) ?? output.Trim();
}
