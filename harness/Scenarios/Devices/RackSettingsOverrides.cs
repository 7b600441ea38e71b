using Harness.Core;
using Harness.Proxy;

namespace Harness.Scenarios;

/// <summary>
/// What a run's own options change in the rack's settings, the same for `harness run`, `harness nightly` and the suite
/// (run.ps1): <c>--upstream forward|sinkhole</c>, <c>--upstream-file FILE</c> (an "upstream" section in a file of its
/// own, as a virtual rack publishes beside its ready file) and <c>--account-env ID_VAR:PASSWORD_VAR</c>.
/// </summary>
public sealed record RackSettingsOverrides
{
    public string? Upstream { get; init; }
    public string? UpstreamFile { get; init; }
    public string? AccountEnvironment { get; init; }

    /// <summary>The names the overrides go by in error messages (options of the CLI, or HARNESS_* variables of the suite).</summary>
    public (string Upstream, string UpstreamFile, string AccountEnvironment) Fields { get; init; } = ("--upstream", "--upstream-file", "--account-env");

    public RackSettings ApplyTo(RackSettings settings, Func<string, string?> environment)
    {
        ArgumentNullException.ThrowIfNull(settings);
        if (!string.IsNullOrWhiteSpace(Upstream))
        {
            settings = settings with
            {
                Upstream = Upstream.Trim().ToLowerInvariant() switch
                {
                    "forward" => UpstreamMode.Forward,
                    "sinkhole" => UpstreamMode.Sinkhole,
                    _ => throw new BadInputException($"'{Upstream}' is not an upstream mode: use forward (real origins) or sinkhole (the proxy answers)", field: Fields.Upstream),
                },
            };
        }
        if (!string.IsNullOrWhiteSpace(UpstreamFile)) settings = RackSettingsParser.AddUpstreamFile(settings, UpstreamFile);
        if (!string.IsNullOrWhiteSpace(AccountEnvironment))
        {
            var names = AccountEnvironment.Split(':', StringSplitOptions.TrimEntries);
            if (names.Length != 2 || names.Any(n => n.Length == 0))
                throw new BadInputException($"'{AccountEnvironment}' is not ID_VARIABLE:PASSWORD_VARIABLE, e.g. MI_ACCOUNT_ID:MI_ACCOUNT_PASSWORD", field: Fields.AccountEnvironment);
            string Read(string name) => environment(name) is { Length: > 0 } value
                ? value
                : throw new BadInputException($"environment variable {name} is not set", field: Fields.AccountEnvironment);
            // The run's account replaces the rack's, also a phone's own: one account for the whole run was asked for.
            settings = settings with
            {
                Account = new MiAccount(Read(names[0]), Read(names[1]), "environment " + names[0]),
                PhoneAccounts = new Dictionary<string, MiAccount>(StringComparer.Ordinal),
            };
        }
        return settings;
    }
}
