namespace Harness.Browsers;

/// <summary>An interrupting dialog the driver saw and dismissed, and when.</summary>
public sealed record DismissedDialog(string Name, string Dismissal, DateTimeOffset AtUtc);
