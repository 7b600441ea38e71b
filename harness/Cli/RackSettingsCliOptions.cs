using System.CommandLine;
using Harness.Scenarios;

namespace Harness.Cli;

/// <summary>
/// `--upstream`, `--upstream-file` and `--account-env` of the commands that run a rack: the run's own word over the
/// rack file's upstream section and account (see <see cref="RackSettingsOverrides"/>).
/// </summary>
public sealed class RackSettingsCliOptions
{
    public Option<string?> Upstream { get; } = new("--upstream") { Description = "forward (every request to its real origin; the rack file's default) or sinkhole (the proxy answers vendor servers itself)." };
    public Option<string?> UpstreamFile { get; } = new("--upstream-file") { Description = "A file with an \"upstream\" section (connect-to, ca) added to the rack's, e.g. READY.upstream.json that `harness virtual-rack --ready-file READY` publishes." };
    public Option<string?> AccountEnvironment { get; } = new("--account-env") { Description = "ID_VAR:PASSWORD_VAR: the Mi Account of every phone, from these environment variables (e.g. MI_ACCOUNT_ID:MI_ACCOUNT_PASSWORD)." };

    public void AddTo(Command command)
    {
        command.Options.Add(Upstream);
        command.Options.Add(UpstreamFile);
        command.Options.Add(AccountEnvironment);
    }

    public RackSettingsOverrides Read(ParseResult parse) => new()
    {
        Upstream = parse.GetValue(Upstream),
        UpstreamFile = parse.GetValue(UpstreamFile),
        AccountEnvironment = parse.GetValue(AccountEnvironment),
    };
}
