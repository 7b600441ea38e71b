using Harness.Adb;
using Harness.Adb.Diagnostics;

namespace Harness.Adb.Tests.Unit;

public sealed class DoctorRulesTests
{
    private static DeviceFacts Healthy => new()
    {
        Serial = "127.0.0.1:5555",
        State = DeviceState.Device,
        BootCompleted = true,
        Browsers = [new InstalledBrowser("com.mi.globalbrowser", true, "12.1", 121)],
        HttpProxy = null,
        DataFreeBytes = 4L * 1024 * 1024 * 1024,
    };

    [Test]
    public void A_healthy_phone_has_no_problems()
    {
        Assert.That(DoctorRules.FindProblems(Healthy), Is.Empty);
        Assert.That(DoctorRules.FindProblems(Healthy with { HttpProxy = ":0" }), Is.Empty);
    }

    [Test]
    public void A_leftover_proxy_is_flagged_with_the_clear_command()
    {
        var problem = DoctorRules.FindProblems(Healthy with { HttpProxy = "127.0.0.1:8888" }).Single();
        Assert.That(problem.Problem, Does.Contain("127.0.0.1:8888"));
        Assert.That(problem.Fix, Does.EndWith("shell settings put global http_proxy :0"));
    }

    [Test]
    public void Leftover_reverse_forwards_are_each_flagged()
    {
        var facts = Healthy with { ReverseForwards = [new ForwardEntry("(reverse)", "tcp:8888", "tcp:9999"), new ForwardEntry("(reverse)", "tcp:1", "tcp:2")] };
        var problems = DoctorRules.FindProblems(facts);
        Assert.That(problems.Select(p => p.Fix), Is.EqualTo(new[] { "adb -s 127.0.0.1:5555 reverse --remove tcp:8888", "adb -s 127.0.0.1:5555 reverse --remove tcp:1" }));
    }

    [Test]
    public void Low_or_unknown_storage_no_browser_and_unfinished_boot_are_flagged()
    {
        Assert.That(DoctorRules.FindProblems(Healthy with { DataFreeBytes = 10 * 1024 * 1024 }).Single().Problem, Does.Contain("10 MiB free"));
        Assert.That(DoctorRules.FindProblems(Healthy with { DataFreeBytes = null }).Single().Problem, Does.Contain("df /data"));
        Assert.That(DoctorRules.FindProblems(Healthy with { Browsers = [new InstalledBrowser("com.android.browser", false, null, null)] }).Single().Problem, Does.Contain("none of the known browsers"));
        Assert.That(DoctorRules.FindProblems(Healthy with { BootCompleted = false }).Single().Problem, Does.Contain("boot"));
    }

    [Test]
    public void An_unauthorized_phone_gets_only_the_authorisation_fix()
    {
        var problem = DoctorRules.FindProblems(new DeviceFacts { Serial = "x", State = DeviceState.Unauthorized }).Single();
        Assert.That(problem.Fix, Does.Contain("USB debugging"));
    }
}
