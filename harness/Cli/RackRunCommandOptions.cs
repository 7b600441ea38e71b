using System.CommandLine;
using Harness.Core;
using Harness.Evidence.History;
using Harness.Scenarios;

namespace Harness.Cli;

/// <summary>
/// The options `harness run` and `harness nightly` share, and the one place they become a <see cref="RackRunOptions"/>:
/// the rack, the selection, where the output, history and keys go, the settle time. A new run-wide setting is an
/// option here (and a property of <see cref="RackRunOptions"/>, which the NUnit suite fills from its settings).
/// </summary>
public sealed class RackRunCommandOptions(string outputPrefix, bool devicesRequired)
{
    public Option<string?> Devices { get; } = new("--devices") { Description = "The rack file (devices.json).", Required = devicesRequired };
    public Option<string?> Scenario { get; } = new("--scenario") { Description = "Only scenarios whose file or name matches this glob, e.g. incognito-*." };
    public Option<string?> Browser { get; } = new("--browser") { Description = "Only this browser profile id (mint, mibrowser, miuibrowser)." };
    public Option<string?> Out { get; } = new("--out") { Description = $"Output folder (default results/{outputPrefix}-<UTC time>)." };
    public Option<double?> Settle { get; } = new("--settle") { Description = "Seconds to wait for telemetry after the steps (overrides profiles and scripts)." };
    public Option<string?> Adb { get; } = new("--adb") { Description = "adb server as HOST:PORT (overrides devices.json)." };
    public Option<string> Scenarios { get; } = new("--scenarios") { Description = "Folder of scenario scripts (profiles in its browsers/).", DefaultValueFactory = _ => "scenarios" };
    public Option<string> History { get; } = new("--history") { Description = "History database.", DefaultValueFactory = _ => HistoryStore.DefaultPath };
    public Option<string?> CaDirectory { get; } = new("--ca-dir") { Description = "Interception CA folder (created on first use); default ~/.harness/ca." };
    public Option<string?> SigningDirectory { get; } = new("--signing-dir") { Description = "Evidence signing key folder (created on first use); default ~/.harness/signing." };
    public Option<string?> Upstream { get; } = new("--upstream") { Description = "forward (every request to its real origin; the rack file's default) or sinkhole (the proxy answers vendor servers itself)." };
    public Option<string?> UpstreamFile { get; } = new("--upstream-file") { Description = "A file with an \"upstream\" section (connect-to, ca) added to the rack's, e.g. READY.upstream.json that `harness virtual-rack --ready-file READY` publishes." };
    public Option<string?> Shard { get; } = new("--shard") { Description = "K/N: this host's shard of the rack: the K-th slice of the phones, or with fewer phones than shards the K-th slice of each phone's cases; combine the shards' outputs with `harness merge`." };
    public Option<string?> AccountEnvironment { get; } = new("--account-env") { Description = "ID_VAR:PASSWORD_VAR: the Mi Account of every phone, from these environment variables (e.g. MI_ACCOUNT_ID:MI_ACCOUNT_PASSWORD)." };

    public void AddTo(Command command)
    {
        foreach (var option in new Option[] { Devices, Scenario, Browser, Out, Settle, Adb, Scenarios, History, CaDirectory, SigningDirectory, Upstream, UpstreamFile, AccountEnvironment, Shard })
            command.Options.Add(option);
    }

    /// <summary>The output folder asked for, or results/PREFIX-&lt;UTC time&gt;.</summary>
    public string OutputDirectory(ParseResult parse, DateTimeOffset started) =>
        Path.GetFullPath(parse.GetValue(Out) ?? Path.Combine("results", $"{outputPrefix}-{started:yyyyMMdd-HHmmss}"));

    /// <summary>Loads the rack and the selection; <see cref="BadInputException"/> names what is wrong.</summary>
    public RackSelection LoadSelection(ParseResult parse)
    {
        var devices = parse.GetValue(Devices) ?? throw new BadInputException("required (the rack file, e.g. devices.json)", field: "--devices");
        var selection = RackSelection.Load(devices, parse.GetValue(Scenarios)!, parse.GetValue(Scenario), parse.GetValue(Browser), parse.GetValue(Adb),
            new RackSettingsOverrides { Upstream = parse.GetValue(Upstream), UpstreamFile = parse.GetValue(UpstreamFile), AccountEnvironment = parse.GetValue(AccountEnvironment) },
            parse.GetValue(Shard) is { } shard ? RackShard.Parse(shard) : null);
        if (parse.GetValue(Settle) is < 0) throw new BadInputException("must be zero or more seconds", field: "--settle");
        return selection;
    }

    public RackRunOptions RunOptions(ParseResult parse, RackSelection selection, string runKind, string outputDirectory) =>
        selection.RunOptions(outputDirectory) with
        {
            RunKind = runKind,
            HistoryDatabase = parse.GetValue(History)!,
            CaDirectory = parse.GetValue(CaDirectory),
            SigningKeyDirectory = parse.GetValue(SigningDirectory),
            Settle = parse.GetValue(Settle) is { } seconds ? TimeSpan.FromSeconds(seconds) : null,
        };
}
