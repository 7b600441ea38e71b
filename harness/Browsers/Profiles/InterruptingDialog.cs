namespace Harness.Browsers;

/// <summary>
/// A dialog that may cover the app at any time (first-run consent, "set as default browser", a rating prompt, MIUI's
/// "Install via USB" or a permission prompt): recognised when every <see cref="When"/> condition holds, dismissed by
/// tapping <see cref="Tap"/> or pressing <see cref="Key"/>. The driver dismisses it whenever it sees it.
/// </summary>
public sealed record InterruptingDialog(string Name, IReadOnlyList<UiCondition> When, ElementSelector? Tap, string? Key, SourceLocation Location)
{
    public string DescribeDismissal() => Tap is not null ? $"tap {Tap.Name}" : $"key {Key}";
}
