namespace Harness.Browsers;

/// <summary>What `profile check` may do on the phone and where it writes the screens it saw.</summary>
public sealed class ProfileCheckOptions
{
    /// <summary>Only these actions (plus the state reads that let the check restore the phone); null = every action of the installed version.</summary>
    public IReadOnlyCollection<BrowserAction>? Actions { get; init; }

    /// <summary>Folder for one dump and screenshot per step (and per failure); null = keep nothing.</summary>
    public string? OutDirectory { get; init; }

    public string Url { get; init; } = "https://example.com/";
    public string Term { get; init; } = "harness profile check";

    /// <summary>sign-in, sign-out (and sync on a phone that is not signed in) need an account; without one they are not checked.</summary>
    public string? Account { get; init; }
    public string? Password { get; init; }

    public BrowserDriverOptions Driver { get; init; } = new();
}
