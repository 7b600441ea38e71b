using System.Text;
using Harness.Flows;
using Harness.Leaks;
using Harness.Leaks.Tests;

namespace Harness.Scenarios.Tests.Scenarios;

/// <summary>
/// The device-metadata expectation in <see cref="CaseJudge"/>: identifiers sent to the vendor or a third party fail it,
/// except a value every app's User-Agent already carries (the model), which is reported but not counted.
/// </summary>
[TestFixture]
public sealed class DeviceMetadataJudgeTests
{
    private const string Dalvik = "Dalvik/2.1.0 (Linux; U; Android 10; Redmi Note 8 MIUI/V11.0.3.0.PCOINXM)";
    private static readonly ScenarioExpectation NoMetadata = new(ScenarioExpectationKind.NoDeviceMetadata, [], [DestinationClass.Vendor, DestinationClass.ThirdParty], [], default);
    private static readonly Dictionary<string, string> Phone = new() { ["model"] = "Redmi Note 8", ["android_id"] = "a1b2c3d4e5f60718", ["imei"] = "861234567890123" };

    private static Flow Post(string url, string body) => TestFlows.Post(url, Encoding.UTF8.GetBytes(body), headers: [new HeaderField("User-Agent", Dalvik)]);

    private static CaseJudgement Judge(params Flow[] flows) => CaseJudge.Judge(new CanaryScanner(), new CaseJudgeInput
    {
        Flows = flows,
        Canaries = CanarySet.Generate(new Random(7)),
        Expectations = [NoMetadata],
        DeviceMetadata = Phone,
    });

    [Test]
    public void The_model_that_every_user_agent_carries_is_reported_not_counted()
    {
        var judged = Judge(Post("https://sa.api.intl.miui.com/sa", "model=Redmi%20Note%208&event=open"));
        Assert.That(judged.Verdict, Is.EqualTo(CaseVerdict.Pass), judged.Reason);
        Assert.That(judged.Reason, Does.Contain("model (Redmi Note 8) sent too, but in every app's User-Agent"));
        Assert.That(judged.Scan.DeviceMetadataFindings.Select(f => f.Name), Does.Contain("model"), "still in the findings");
    }

    [Test]
    public void Real_identifiers_still_fail_beside_the_model()
    {
        var judged = Judge(Post("https://sa.api.intl.miui.com/sa", "model=Redmi%20Note%208&device_id=a1b2c3d4e5f60718"));
        Assert.That(judged.Verdict, Is.EqualTo(CaseVerdict.Fail), judged.Reason);
        Assert.That(judged.Reason, Does.Contain("android_id").And.Contain("in every app's User-Agent"));
    }

    [Test]
    public void The_sha256_of_the_imei_to_a_third_party_fails()
    {
        var hash = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(Encoding.UTF8.GetBytes(Phone["imei"])));
        var judged = Judge(Post("https://ads.example.net/track", "uid=" + hash));
        Assert.That(judged.Verdict, Is.EqualTo(CaseVerdict.Fail), judged.Reason);
        Assert.That(judged.Reason, Does.Contain("imei (sha256, hex) to ads.example.net"));
    }
}
