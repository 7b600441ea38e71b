using Harness.Adb;
using Harness.TestSupport;

namespace Harness.Cli.Tests.Hardening;

/// <summary>
/// Faults between the harness and its phones, on virtual phones through a private real adb server: a phone that drops
/// off (cable pulled) and an adb server killed and restarted. Each must fail only what it touches, with a typed ADB
/// error rather than a hang, and be recoverable without restarting the harness.
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed class AdbFaultTests
{
    private static AdbClient ClientFor(PrivateAdbServer adb, bool startServer = false) => new(new AdbClientOptions
    {
        Port = adb.Port, AdbPath = adb.AdbPath, StartServerIfMissing = startServer,
        CommandTimeout = TimeSpan.FromSeconds(20), MaxRetryAttempts = 3,
    });

    [Test]
    public async Task PhoneDisconnects_OnlyThatPhoneFails_TheOtherIsUnaffected_AndItComesBack()
    {
        await using var adb = await PrivateAdbServer.StartAsync();
        await using var lost = await VirtualPhoneFixture.StartAsync(adb, "Redmi Note 8");
        await using var other = await VirtualPhoneFixture.StartAsync(adb, "Mi 10");
        var client = ClientFor(adb);
        Assert.That((await client.ShellAsync(lost.Serial, "echo before")).Stdout.Trim(), Is.EqualTo("before"));

        await lost.Phone.DropAdbConnectionsAsync();
        await lost.WaitForStateAsync("offline").ContinueWith(_ => { }, TaskScheduler.Default); // adb shows offline or drops it

        var failure = Assert.CatchAsync(async () => await client.ShellAsync(lost.Serial, "echo during"));
        Assert.That(failure, Is.InstanceOf<AdbException>().Or.InstanceOf<TimeoutException>(), $"a typed error, got {failure}");
        Assert.That((await client.ShellAsync(other.Serial, "echo unaffected")).Stdout.Trim(), Is.EqualTo("unaffected"), "the other phone keeps working");

        lost.Phone.AllowReconnect();
        await adb.RunAdbAsync("connect", lost.Serial);
        await lost.WaitForStateAsync("device");
        Assert.That((await client.ShellAsync(lost.Serial, "echo after")).Stdout.Trim(), Is.EqualTo("after"));
    }

    [Test]
    public async Task AdbServerKilledAndRestarted_TheSameClientCarriesOn()
    {
        await using var adb = await PrivateAdbServer.StartAsync();
        await using var phone = await VirtualPhoneFixture.StartAsync(adb, "Redmi Note 8");
        var client = ClientFor(adb, startServer: true);
        Assert.That((await client.ShellAsync(phone.Serial, "echo before")).Stdout.Trim(), Is.EqualTo("before"));

        var (killExit, killOut, killErr) = await adb.RunAdbAsync("kill-server");
        Assert.That(killExit, Is.EqualTo(0), killOut + killErr);

        // The client starts the server again itself (StartServerIfMissing); a network phone must then be reconnected,
        // as a USB phone would reappear on its own.
        await client.ConnectAsync("127.0.0.1", phone.Phone.Port);
        await phone.WaitForStateAsync("device");
        Assert.That((await client.ShellAsync(phone.Serial, "echo after")).Stdout.Trim(), Is.EqualTo("after"));
        Assert.That((await client.GetDevicesAsync()).Select(d => d.Serial), Does.Contain(phone.Serial));
    }
}
