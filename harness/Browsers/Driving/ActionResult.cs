namespace Harness.Browsers;

/// <summary>
/// What an action left behind. <see cref="State"/> is the value of its read step (null for actions that only act),
/// <see cref="Text"/> the text of the element the read looked at (e.g. "Signed in: 12345"), <see cref="Taps"/> how
/// many taps it took (retries included).
/// </summary>
public sealed record ActionResult(BrowserAction Action, bool? State, string? Text, int Taps);
