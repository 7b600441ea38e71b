using System.Text;
using System.Text.Json;
using Harness.Flows;
using Harness.Leaks;
using Harness.Leaks.Tests;

namespace Harness.Scenarios.Tests.Scenarios;

/// <summary>
/// <see cref="DifferentialAnalyzer"/> and <see cref="CaseJudge.JudgeDifferential"/> over built runs: encrypted Sensors
/// uploads (gzip=9) whose size follows the input fail the case, flat ones clear the opacity gap, runs that disagree
/// are repeated and reported, and the same verdict comes back from the case record as `harness verify` reads it.
/// </summary>
[TestFixture]
public sealed class DifferentialJudgeTests
{
    private const string SensorsUpload = "https://sa.api.intl.miui.com/sa?project=global_browser_mini&r=IN";
    private static readonly ScenarioExpectation NoUrlToVendor = new(ScenarioExpectationKind.NoLeak, [CanaryKind.Url], [DestinationClass.Vendor, DestinationClass.ThirdParty], [], default);
    private readonly Random _random = new(16);

    /// <summary>An encrypted upload whose data_list is <paramref name="size"/> characters of base64 over random bytes.</summary>
    private Flow EncryptedUpload(int size)
    {
        var bytes = new byte[size * 3 / 4];
        _random.NextBytes(bytes);
        var dataList = Convert.ToBase64String(bytes);
        return TestFlows.Post(SensorsUpload, $"crc={SensorsAnalyticsDecoder.JavaStringHashCode(dataList)}&gzip=9&data_list={Uri.EscapeDataString(dataList)}");
    }

    private DifferentialRunInput Run(int slot, int order, params Flow[] flows) => Run(slot, order, 0, flows);

    private DifferentialRunInput Run(int slot, int order, int repeat, params Flow[] flows)
    {
        var canaries = CanarySet.Generate(_random, extraPathLength: slot == 0 ? 0 : (slot - 1) * DifferentialAnalyzer.InputLengthStep);
        var label = DifferentialRun.LabelFor(slot, repeat);
        foreach (var flow in flows) flow.Tags[DifferentialAnalyzer.RunTag] = label;
        return new DifferentialRunInput(new DifferentialRun(label, slot, canaries.Get(CanaryKind.Url)!.Value.Length, order),
            new CaseJudgeInput { Flows = flows, Canaries = canaries, Expectations = [NoUrlToVendor] });
    }

    /// <summary>Three canary runs and the baseline, one upload each of these sizes (baseline last).</summary>
    private DifferentialRunInput[] Runs(int run1, int run2, int run3, int baseline) =>
        [Run(1, 0, EncryptedUpload(run1)), Run(2, 1, EncryptedUpload(run2)), Run(3, 2, EncryptedUpload(run3)), Run(0, 3, EncryptedUpload(baseline))];

    private static CaseJudgement Judge(IReadOnlyList<DifferentialRunInput> runs) => CaseJudge.JudgeDifferential(new CanaryScanner(), runs);

    [Test]
    public void Canary_lengths_differ_by_the_step_and_the_baseline_matches_run_1()
    {
        var runs = Runs(1000, 1000, 1000, 1000);
        var lengths = runs.Select(r => r.Run.InputLength).ToList();
        Assert.That(lengths[1] - lengths[0], Is.EqualTo(DifferentialAnalyzer.InputLengthStep));
        Assert.That(lengths[2] - lengths[1], Is.EqualTo(DifferentialAnalyzer.InputLengthStep));
        Assert.That(lengths[3], Is.EqualTo(lengths[0]));
    }

    [Test]
    public void A_single_run_with_an_encrypted_upload_is_inconclusive()
    {
        var judged = CaseJudge.Judge(new CanaryScanner(), Runs(1000, 1000, 1000, 1000)[0].Input);
        Assert.That(judged.Verdict, Is.EqualTo(CaseVerdict.Inconclusive), judged.Reason);
        Assert.That(judged.CoverageGaps, Has.Some.Contains("opaque-payload sa.api.intl.miui.com"));
    }

    [Test]
    public void An_upload_whose_size_follows_the_input_is_a_leak_correlated_with_the_input()
    {
        var judged = Judge(Runs(1000, 1180, 1372, 1012));
        Assert.That(judged.Verdict, Is.EqualTo(CaseVerdict.Fail), judged.Reason);
        Assert.That(judged.Reason, Does.StartWith("differential: 1 kind(s) of sa.api.intl.miui.com/sa [POST application/x-www-form-urlencoded ?project&r body > sensors data_list gzip=# crc ok]: opaque payload correlated with the input"));
        Assert.That(judged.Reason, Does.Contain("opaque payload correlated with the input: size grew by +180 B, +192 B"));
        Assert.That(judged.Reason, Does.Contain("run-2 (input " + (Runs(1, 1, 1, 1)[1].Run.InputLength) + " chars): 1 request(s), 1180 B"));
        var row = judged.Differential!.Rows.Single();
        Assert.That(row.Kind, Is.EqualTo(DifferentialRowKind.Correlated));
        Assert.That(row.Sizes.Select(s => (s.Run.Label, s.Bytes)), Is.EqualTo(new[] { ("run-1", 1000L), ("run-2", 1180L), ("run-3", 1372L), ("baseline", 1012L) }));
        Assert.That(judged.Differential.Table, Has.Some.StartsWith("Correlated: sa.api.intl.miui.com/sa"));
    }

    [Test]
    public void An_upload_whose_size_stays_flat_clears_the_opacity_gap()
    {
        var judged = Judge(Runs(1000, 1012, 996, 1004));
        Assert.That(judged.Verdict, Is.EqualTo(CaseVerdict.Pass), judged.Reason);
        Assert.That(judged.Reason, Does.Contain("not input-correlated over 3 runs"));
        Assert.That(judged.CoverageGaps, Is.Empty);
        var opaque = judged.Scan.Coverage.Items.Where(i => i.Kind == "opaque-payload").ToList();
        // Each run's upload is still listed: the encrypted batch, and the ciphertext the generic walk finds in data_list.
        Assert.That(opaque, Has.Count.EqualTo(8));
        Assert.That(opaque.Select(i => (i.IsGap, i.Detail.Contains("cleared: not input-correlated over 3 runs"))), Is.All.EqualTo((false, true)));
    }

    [Test]
    public void No_opaque_request_in_any_run_passes_as_such()
    {
        Flow Clean() => TestFlows.Post("https://data.mistat.intl.xiaomi.com/mistats/v2", "event=app_start");
        var judged = Judge([Run(1, 0, Clean()), Run(2, 1, Clean()), Run(0, 2, Clean())]);
        Assert.That(judged.Verdict, Is.EqualTo(CaseVerdict.Pass), judged.Reason);
        Assert.That(judged.Reason, Does.StartWith("differential: no opaque request in any of the 3 runs"));
    }

    [Test]
    public void A_canary_in_the_clear_in_any_run_fails_whatever_the_sizes()
    {
        var runs = Runs(1000, 1004, 998, 1002);
        var url = runs[2].Input.Canaries.Get(CanaryKind.Url)!.Value;
        var leak = TestFlows.Post("https://tracker.xiaomi.com/report", "u=" + Uri.EscapeDataString(url));
        leak.Tags[DifferentialAnalyzer.RunTag] = "run-3";
        runs[2] = runs[2] with { Input = runs[2].Input with { Flows = [.. runs[2].Input.Flows, leak] } };
        var judged = Judge(runs);
        Assert.That(judged.Verdict, Is.EqualTo(CaseVerdict.Fail), judged.Reason);
        Assert.That(judged.Reason, Does.StartWith("run-3: "));
        Assert.That(judged.Scan.Findings.Select(f => f.Host), Does.Contain("tracker.xiaomi.com"));
    }

    [Test]
    public void Sizes_that_jump_out_of_step_are_reported_and_point_at_the_run_to_repeat()
    {
        var judged = Judge(Runs(1000, 1500, 1100, 1000));
        Assert.That(judged.Verdict, Is.EqualTo(CaseVerdict.Inconclusive), judged.Reason);
        Assert.That(judged.Reason, Does.StartWith("differential: runs disagree in ways the input does not explain after 0 extra run(s) (at most 2)"));
        Assert.That(judged.Reason, Does.Contain("not in step with the input"));
        Assert.That(judged.Differential!.RepeatSlot, Is.EqualTo(2));
    }

    [Test]
    public void A_repeated_run_supersedes_the_odd_one_and_both_stay_in_the_table()
    {
        DifferentialRunInput[] runs = [.. Runs(1000, 1500, 1370, 1010), Run(2, 4, 1, EncryptedUpload(1190))];
        var judged = Judge(runs);
        Assert.That(judged.Verdict, Is.EqualTo(CaseVerdict.Fail), judged.Reason);
        Assert.That(judged.Differential!.Repeats, Is.EqualTo(1));
        Assert.That(judged.Differential.Counted.Select(r => r.Label), Is.EqualTo(new[] { "run-1", "run-2-repeat-1", "run-3", "baseline" }));
        Assert.That(judged.Differential.Table[0], Does.Contain("run-2 (input ").And.Contain("superseded by a repeat"));
        Assert.That(judged.Differential.Table[^1], Does.StartWith("run-2-repeat-1 ran because the runs before it disagreed: sa.api.intl.miui.com/sa").And.Contain("not in step with the input"));
        Assert.That(judged.ExpectationOutcomes, Has.Some.StartsWith("differential: run-2-repeat-1 ran because"));
    }

    [Test]
    public void A_baseline_off_its_twin_is_no_correlation_and_repeats_the_baseline()
    {
        var judged = Judge(Runs(1000, 1200, 1400, 1300));
        Assert.That(judged.Verdict, Is.EqualTo(CaseVerdict.Inconclusive), judged.Reason);
        Assert.That(judged.Reason, Does.Contain("the baseline (1300 B) differs from run-1"));
        Assert.That(judged.Differential!.RepeatSlot, Is.EqualTo(0));
    }

    [Test]
    public void A_run_with_a_different_number_of_uploads_disagrees()
    {
        var runs = Runs(1000, 1200, 1400, 1000);
        var split = EncryptedUpload(600);
        split.Tags[DifferentialAnalyzer.RunTag] = "run-2";
        runs[1] = runs[1] with { Input = runs[1].Input with { Flows = [.. runs[1].Input.Flows, split] } };
        var judged = Judge(runs);
        Assert.That(judged.Verdict, Is.EqualTo(CaseVerdict.Inconclusive), judged.Reason);
        Assert.That(judged.Reason, Does.Contain("run-2 sent 2 such request(s), the other runs mostly 1"));
        Assert.That(judged.Differential!.RepeatSlot, Is.EqualTo(2));
    }

    [Test]
    public void Endpoints_fold_ids_and_shapes_fold_digits()
    {
        var a = TestFlows.Post("https://api.example.com/v1/upload/8f3a9c2e11/batch?ts=1&sig=9", "x");
        Assert.That(DifferentialAnalyzer.EndpointOf(a), Is.EqualTo("api.example.com/{id}/upload/{id}/batch"));
        Assert.That(DifferentialAnalyzer.ShapeOf(a, new OpaquePayload("body > gzip=13", 700, "r")), Is.EqualTo("POST application/x-www-form-urlencoded ?sig&ts body > gzip=#"));
    }

    [Test]
    public void The_case_record_re_judges_the_same_as_verify_does()
    {
        var runs = Runs(1000, 1180, 1372, 1012);
        var direct = Judge(runs);
        var record = new CaseJudgeRecord
        {
            Scenario = "incognito-url",
            Judged = true,
            Verdict = CaseRecords.ToRecordVerdict(direct.Verdict),
            Expectations = [new CaseJudgeExpectation("no-leak", ["url"], ["vendor", "third-party"], [])],
            VendorSuffixes = [.. DestinationClassifier.DefaultVendorSuffixes],
            Differential = runs.Select(r => new DifferentialRunRecord
            {
                Label = r.Run.Label, Slot = r.Run.Slot, InputLength = r.Run.InputLength, Order = r.Run.Order,
                Canaries = JsonDocument.Parse(r.Input.Canaries.ToJson()).RootElement.Clone(),
            }).ToList(),
        };
        var json = JsonSerializer.SerializeToUtf8Bytes(record, CaseJudgeRecord.JsonOptions);
        var har = new MemoryStream();
        HarWriter.Write(runs.SelectMany(r => r.Input.Flows).ToList(), har);
        har.Position = 0;
        var flows = HarReader.Read(har, "flows.har");
        var read = CaseJudgeRecord.Parse(json, "expectations.json");
        var again = CaseJudge.JudgeDifferential(new CanaryScanner(), read.ToDifferentialInputs(flows, "expectations.json"));
        Assert.That((again.Verdict, again.Reason), Is.EqualTo((direct.Verdict, direct.Reason)));
        Assert.That(Encoding.UTF8.GetString(json), Does.Contain("\"differential\""));
    }
}
