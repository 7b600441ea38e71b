namespace Harness.Scenarios;

/// <summary>
/// The Mi Account a phone signs in with, read from where the rack file points (environment variables), never from
/// the repository. <see cref="ToString"/> never shows the password; the run masks it wherever the capture holds it.
/// </summary>
public sealed record MiAccount(string Id, string Password, string Source)
{
    /// <summary>What a masked password reads as in the capture: <c>[masked:account-password]</c>.</summary>
    public const string PasswordMaskName = "account-password";

    public override string ToString() => $"{Id} ({Source})";
}
