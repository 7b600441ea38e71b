using Harness.Cli.Tests.Hardening;
using Harness.Core;

namespace Harness.Cli.Tests.RemoteRack;

/// <summary>
/// Rack files that cannot work beyond one host, through the built CLI: an adb server on another address (its reverse
/// tunnels would end on that host, never at our proxy), malformed "connect" and "pair" entries, a pairing code written
/// into the file. All exit 3 with file:line:column: field: message, before any phone or adb server is touched.
/// </summary>
[TestFixture]
[Parallelizable(ParallelScope.Children)]
public sealed class RemoteRackBadInputTests
{
    private static async Task<CliResult> RunAsync(TempFolder dir, string devices, params string[] extra) =>
        await BuiltCli.RunAsync(["run", "--devices", devices, "--scenarios", Path.Combine(BuiltCli.FindRepositoryRoot(), "scenarios"),
            "--out", dir.Combine("out"), "--history", dir.Combine("history.db"), .. extra], workingDirectory: dir.Path);

    [Test]
    public async Task An_adb_server_on_another_host_is_refused_with_its_line_and_what_to_do_instead()
    {
        using var dir = new TempFolder("harness-remote-bad");
        // 192.0.2.0/24 (TEST-NET-1) is never this host's address, and nothing is sent there: the refusal comes first.
        var devices = dir.File("devices.json", "{\n  \"devices\": [{\"serial\": \"R58M123ABC\"}],\n  \"adb\": \"192.0.2.7:5037\"\n}");
        var result = await RunAsync(dir, devices);
        Assert.That(result.ExitCode, Is.EqualTo((int)ExitCode.BadInput), result.ToString());
        Assert.That(result.Stderr, Does.StartWith($"{devices}:3:10: adb: the adb server 192.0.2.7:5037 is on another host"), result.ToString());
        Assert.That(result.Stderr, Does.Contain("`adb reverse` tunnels end on the adb server's host"), "says why");
        Assert.That(result.Stderr, Does.Contain("\"connect\"").And.Contain("--shard").And.Contain("harness merge"), "says what to do instead");
        Assert.That(result.HasStackTrace, Is.False, result.ToString());
    }

    [Test]
    public async Task An_adb_override_on_another_host_is_refused_too()
    {
        using var dir = new TempFolder("harness-remote-bad");
        var devices = dir.File("devices.json", "{\"devices\": [{\"serial\": \"R58M123ABC\"}]}");
        var result = await RunAsync(dir, devices, "--adb", "192.0.2.7:5037");
        Assert.That(result.ExitCode, Is.EqualTo((int)ExitCode.BadInput), result.ToString());
        Assert.That(result.Stderr, Does.StartWith("--adb: the adb server 192.0.2.7:5037 is on another host"), result.ToString());
    }

    [TestCase("localhost:5037")]
    [TestCase("127.0.0.1:5037")]
    [TestCase("[::1]:5037")]
    public async Task An_adb_server_on_this_host_is_accepted(string endpoint)
    {
        using var dir = new TempFolder("harness-remote-bad");
        // A port nothing listens on: accepted by the rack check, then unreachable (exit 4), not refused (exit 3).
        var devices = dir.File("devices.json", $"{{\"adb\": \"{endpoint.Replace("5037", "1")}\", \"devices\": [{{\"serial\": \"R58M123ABC\"}}]}}");
        var result = await RunAsync(dir, devices);
        Assert.That(result.ExitCode, Is.EqualTo((int)ExitCode.Infrastructure), result.ToString());
        Assert.That(result.Stderr, Does.Contain("unreachable"), result.ToString());
    }

    [TestCase("{\n \"devices\": [\n  {\"connect\": \"192.168.1.20\"}]}", 3, "devices[0].connect")]
    [TestCase("{\n \"devices\": [\n  {\"serial\": \"R58M\", \"connect\": \"192.168.1.20:5555\"}]}", 3, "devices[0].serial")]
    [TestCase("{\n \"devices\": [\n  {\"connect\": \"192.168.1.20:5555\",\n   \"pair\": {\"code\": \"123456\"}}]}", 4, "devices[0].pair.code")]
    [TestCase("{\n \"devices\": [\n  {\"connect\": \"192.168.1.20:5555\",\n   \"pair\": {\"code-env\": \"HARNESS_TEST_UNSET_PAIRING_CODE\"}}]}", 4, "devices[0].pair.code-env")]
    [TestCase("{\n \"devices\": [\n  {\"pair\": {\"code-env\": \"X\"}, \"serial\": \"R58M\"}]}", 3, "devices[0].pair")]
    public async Task Bad_connect_and_pair_entries_are_refused_with_line_and_field(string json, int line, string field)
    {
        using var dir = new TempFolder("harness-remote-bad");
        var devices = dir.File("devices.json", json);
        var result = await RunAsync(dir, devices);
        Assert.That(result.ExitCode, Is.EqualTo((int)ExitCode.BadInput), result.ToString());
        Assert.That(result.Stderr, Does.StartWith($"{devices}:{line}:").And.Contain($": {field}: "), result.ToString());
        Assert.That(result.Stderr, Does.Not.Contain("123456"), "a pairing code is never echoed");
    }
}
