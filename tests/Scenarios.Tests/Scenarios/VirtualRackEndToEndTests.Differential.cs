using Harness.Evidence.Bundles;
using Harness.Evidence.Signing;
using Harness.Evidence.Verification;

namespace Harness.Scenarios.Tests.Scenarios;

/// <summary>
/// Differential runs on virtual phones: mint@3.5.0 encrypts its Sensors uploads (gzip=9), so one run of incognito-url
/// is inconclusive and three runs plus a baseline show the ciphertext growing with the URL; mint@3.4.3 in its private
/// configuration passes them. Real time (the SDK's 15 s flush), so that each run's upload is one batch.
/// </summary>
public sealed partial class VirtualRackEndToEndTests
{
    /// <summary>The shipped scenario's own text with <c>differential: N</c> added, parsed as a user's file would be.</summary>
    private ScenarioScript Differential(string name, int runs, string mode)
    {
        var path = Path.Combine(RepositoryPaths.ScenariosDirectory, name + ".yaml");
        var script = ScenarioLoader.Parse(File.ReadAllText(path) + $"\ndifferential: {runs}\n", path, _profiles.Select(p => p.Id).ToList());
        return script with { Modes = script.Modes.Where(m => m.Name == mode).ToList() };
    }

    [Test]
    public async Task An_encrypted_upload_is_inconclusive_alone_and_a_leak_correlated_with_the_input_over_differential_runs()
    {
        var encrypted = await StartPhoneAsync("Mi 10", ["mint@3.5.0"], timeFactor: 1.0);
        var fixedPhone = await StartPhoneAsync("Redmi K20", ["mint@3.4.3"], timeFactor: 1.0);

        // One run: the upload is ciphertext, so nothing can be said about what it carries.
        var once = await new RackRunner(RackOptions("encrypted-once")).RunAsync(_adb, [encrypted.Serial], [Scenario("incognito-url", IncognitoOnly)], _profiles, CancellationToken.None);
        var single = once.Results.Single();
        Assert.That(single.Verdict, Is.EqualTo(CaseVerdict.Inconclusive), single.Reason);
        Assert.That(single.CoverageGaps, Has.Some.Contains("opaque-payload sa.api.intl.miui.com").And.Some.Contains("gzip=9"), string.Join("\n", single.CoverageGaps));

        // differential: 3 on both phones at once: the encrypted build's upload follows the URL, the fixed build sends nothing opaque.
        var bundle = await EvidenceBundleWriter.CreateAsync(new EvidenceBundleOptions { BundleDirectory = Path.Combine(_work, "differential", "bundle"), RunId = "e2e-differential", HarnessVersion = "test" }, CancellationToken.None);
        var rack = new RackRunner(RackOptions("differential", RunOptions("differential", bundle)));
        var result = await rack.RunAsync(_adb, [encrypted.Serial, fixedPhone.Serial], [Differential("incognito-url", 3, IncognitoOnly)], _profiles, CancellationToken.None);
        var all = Describe(result.Results);
        TestContext.Out.WriteLine(all);
        foreach (var r in result.Results) TestContext.Out.WriteLine(string.Join("\n", r.DifferentialTable));
        Assert.That(result.Results, Has.Count.EqualTo(2), all);

        var leak = result.Results.Single(r => r.Case.Serial == encrypted.Serial);
        Assert.That(leak.Verdict, Is.EqualTo(CaseVerdict.Fail), all);
        Assert.That(leak.Reason, Does.StartWith("differential: ").And.Contain("opaque payload correlated with the input"));
        Assert.That(leak.Reason, Does.Contain("sa.api.intl.miui.com/sa"));
        Assert.That(leak.DifferentialRuns.Select(r => r.Run.Label).Take(4), Is.EqualTo(new[] { "run-1", "run-2", "run-3", "baseline" }));
        Assert.That(leak.DifferentialRuns.Select(r => r.Run.InputLength).Distinct().Count(), Is.EqualTo(3), "the canary runs differ in input length");
        Assert.That(leak.DifferentialTable, Has.Some.StartsWith("Correlated: sa.api.intl.miui.com/sa"));
        Assert.That(leak.Flows.Select(f => f.Tags.GetValueOrDefault(DifferentialAnalyzer.RunTag)).Distinct(), Is.SupersetOf(new[] { "run-1", "run-2", "run-3", "baseline" }));

        var cleared = result.Results.Single(r => r.Case.Serial == fixedPhone.Serial);
        Assert.That(cleared.Verdict, Is.EqualTo(CaseVerdict.Pass), all);
        Assert.That(cleared.Reason, Does.StartWith("differential: no opaque request in any of the").Or.Contain("not input-correlated over 3 runs"));
        Assert.That(cleared.ExpectationOutcomes, Has.Some.StartsWith("baseline: telemetry-heartbeat: pass"));
        AssertAnsweredUpstream(result.Results);

        // The bundle alone re-judges both differential cases the same (harness verify), sizes table included.
        var expectations = await File.ReadAllTextAsync(Path.Combine(bundle.BundleDirectory, BundleLayout.CaseFolder(leak.Case.Id), BundleLayout.CaseExpectationsFile));
        Assert.That(expectations, Does.Contain("\"differentialTable\"").And.Contain("Correlated: sa.api.intl.miui.com/sa"));
        var key = await new SigningKeyStore(Path.Combine(_work, "differential", "key")).LoadOrCreateAsync(CancellationToken.None);
        await bundle.SealAsync(key, CancellationToken.None);
        var report = await new BundleVerifier(new ScenarioBundleRescanner()).VerifyAsync(bundle.BundleDirectory, null, CancellationToken.None);
        Assert.That(report.Holds, Is.True, report.ToText());
        Assert.That(report.CasesRescanned, Is.EqualTo(2));

        await AssertRestoredAsync(encrypted.Serial);
        await AssertRestoredAsync(fixedPhone.Serial);
    }
}
