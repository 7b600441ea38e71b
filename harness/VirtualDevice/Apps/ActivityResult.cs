namespace Harness.VirtualDevice.Apps;

/// <summary>What a finished activity hands back to the app that started it for a result (RESULT_OK with data, or cancelled).</summary>
public sealed record ActivityResult(bool Ok, string? Data = null, IReadOnlyDictionary<string, string>? Extras = null)
{
    public static ActivityResult Canceled { get; } = new(false);
}
