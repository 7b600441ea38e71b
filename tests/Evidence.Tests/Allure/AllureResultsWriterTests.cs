using System.Text.Json;
using System.Text.Json.Nodes;
using Harness.Evidence.Allure;
using Harness.Evidence.Records;
using Harness.Evidence.Tests.Fakes;

namespace Harness.Evidence.Tests.Allure;

public sealed class AllureResultsWriterTests
{
    private TestBundleFactory _factory = null!;
    private string _results = null!;

    [SetUp]
    public void SetUp()
    {
        _factory = new TestBundleFactory();
        _results = Path.Combine(_factory.Root, "allure-results");
    }

    [TearDown] public void TearDown() => _factory.Dispose();

    private static readonly string[] RequiredFields = ["uuid", "historyId", "testCaseId", "fullName", "name", "status", "stage", "start", "stop", "labels", "parameters", "attachments", "steps"];

    [Test]
    public async Task Every_case_becomes_a_schema_shaped_result_with_the_right_status_and_existing_attachments()
    {
        var (bundle, _) = await _factory.CreateSealedAsync();
        using var contents = await Harness.Evidence.Bundles.BundleReader.OpenAsync(bundle, CancellationToken.None);
        var leak = contents.Cases.Single(c => c.Record.CaseId == "mint-incognito-url").Record with
        {
            Steps = [new CaseStepRecord { Name = "open URL", StartedUtc = DateTimeOffset.Parse("2026-11-25T04:00:01Z"), StoppedUtc = DateTimeOffset.Parse("2026-11-25T04:00:05Z") }],
        };
        var writer = new AllureResultsWriter(_results);
        var cases = new[]
        {
            (Record: leak, Status: "failed"),
            (Record: leak with { CaseId = "p", Verdict = CaseVerdicts.Pass, Findings = [] }, Status: "passed"),
            (Record: leak with { CaseId = "i", Verdict = CaseVerdicts.Inconclusive, Reason = "TLS pinned by tracking.miui.com", Findings = [] }, Status: "skipped"),
            (Record: leak with { CaseId = "b", Verdict = CaseVerdicts.Inconclusive, InfrastructureError = "device 127.0.0.1:5555 disconnected" }, Status: "broken"),
        };
        foreach (var c in cases) await writer.WriteCaseAsync(c.Record, bundle, CancellationToken.None);
        await writer.WriteCategoriesAsync(CancellationToken.None);

        var files = Directory.GetFiles(_results).Select(Path.GetFileName).ToList();
        var resultFiles = files.Where(f => f!.EndsWith("-result.json")).ToList();
        Assert.That(resultFiles, Has.Count.EqualTo(4));
        Assert.That(files.Where(f => f!.Contains("-attachment")), Has.All.Match(@"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}-attachment(\.\w+)?$"));

        var statuses = new List<string>();
        foreach (var file in resultFiles)
        {
            var result = JsonNode.Parse(File.ReadAllText(Path.Combine(_results, file!)))!.AsObject();
            foreach (var field in RequiredFields) Assert.That(result.ContainsKey(field), Is.True, $"{file} lacks {field}");
            Assert.That(file, Is.EqualTo(result["uuid"]!.GetValue<string>() + "-result.json"));
            var status = result["status"]!.GetValue<string>();
            statuses.Add(status);
            Assert.That(status, Is.AnyOf("passed", "failed", "broken", "skipped"));
            Assert.That(result["stage"]!.GetValue<string>(), Is.EqualTo("finished"));
            Assert.That(result["start"]!.GetValue<long>(), Is.EqualTo(DateTimeOffset.Parse("2026-11-25T04:00:00Z").ToUnixTimeMilliseconds()));
            Assert.That(result["stop"]!.GetValue<long>(), Is.GreaterThan(result["start"]!.GetValue<long>()));
            var labels = result["labels"]!.AsArray().Select(l => (l!["name"]!.GetValue<string>(), l["value"]!.GetValue<string>())).ToList();
            Assert.That(labels, Does.Contain(("epic", "com.mi.globalbrowser.mini")).And.Contain(("feature", "visit-url"))
                .And.Contain(("story", "incognito=on,sync=off")).And.Contain(("host", "127.0.0.1:5555")).And.Contain(("severity", "critical"))
                .And.Contain(("language", "C#")).And.Contain(("suite", "com.mi.globalbrowser.mini")).And.Contain(("tag", "incognito")));
            Assert.That(labels.Select(l => l.Item1), Does.Contain("framework").And.Contain("parentSuite").And.Contain("subSuite"));
            var parameters = result["parameters"]!.AsArray().ToDictionary(p => p!["name"]!.GetValue<string>(), p => p!["value"]!.GetValue<string>());
            Assert.That(parameters, Does.ContainKey("device").And.ContainKey("browser version").And.ContainKey("incognito").And.ContainKey("sync"));
            Assert.That(parameters["incognito"], Is.EqualTo("on"));
            Assert.That(parameters["sync"], Is.EqualTo("off"));
            Assert.That(result["testCaseId"]!.GetValue<string>(), Is.EqualTo(AllureIds.Md5Hex(result["fullName"]!.GetValue<string>())));
            foreach (var attachment in result["attachments"]!.AsArray())
                Assert.That(File.Exists(Path.Combine(_results, attachment!["source"]!.GetValue<string>())), Is.True);
            var names = result["attachments"]!.AsArray().Select(a => a!["name"]!.GetValue<string>()).ToList();
            Assert.That(names, Does.Contain("findings").And.Contain("HAR flows.har").And.Contain("logcat")
                .And.Some.StartsWith("screenshot").And.Some.StartsWith("UI dump"));
            Assert.That(result["steps"]!.AsArray().Single()!["name"]!.GetValue<string>(), Is.EqualTo("open URL"));
            if (status == "skipped") Assert.That(result["statusDetails"]!["message"]!.GetValue<string>(), Does.Contain("TLS pinned by tracking.miui.com"));
            if (status == "failed") Assert.That(result["statusDetails"]!["message"]!.GetValue<string>(), Does.Contain("url → tracking.intl.miui.com"));
            if (status == "broken") Assert.That(result["statusDetails"]!["message"]!.GetValue<string>(), Does.Contain("disconnected"));
        }
        Assert.That(statuses, Is.EquivalentTo(cases.Select(c => c.Status)));

        var har = JsonNode.Parse(File.ReadAllText(Path.Combine(_results, resultFiles[0]!)))!["attachments"]!.AsArray().Single(a => a!["name"]!.GetValue<string>() == "HAR flows.har")!;
        Assert.That(File.ReadAllText(Path.Combine(_results, har["source"]!.GetValue<string>())),
            Is.EqualTo(File.ReadAllText(Path.Combine(bundle, "cases", "mint-incognito-url", "flows.har"))));

        var categories = JsonNode.Parse(File.ReadAllText(Path.Combine(_results, "categories.json")))!.AsArray();
        Assert.That(categories.Select(c => $"{c!["name"]}={c["matchedStatuses"]![0]}"), Is.EqualTo(new[] { "Leak=failed", "Inconclusive=skipped", "Infrastructure=broken" }));
    }

    [Test]
    public async Task HistoryId_follows_allure_nunit_and_survives_a_new_browser_version_but_not_a_new_device()
    {
        var writer = new AllureResultsWriter(_results);
        var record = HistoryRecord();
        var a = await writer.WriteCaseAsync(record, null, CancellationToken.None);
        var newVersion = await writer.WriteCaseAsync(record with { BrowserVersion = "1.7.0" }, null, CancellationToken.None);
        var otherDevice = await writer.WriteCaseAsync(record with { DeviceSerial = "127.0.0.1:5557" }, null, CancellationToken.None);

        var expected = AllureIds.Md5Hex(JsonSerializer.Serialize(new { fullName = a.FullName, parameters = new[] { "127.0.0.1:5555", "on", "off" } }));
        Assert.That(a.HistoryId, Is.EqualTo(expected));
        Assert.That(a.HistoryId, Does.Match("^[0-9a-f]{32}$"));
        Assert.That(newVersion.HistoryId, Is.EqualTo(a.HistoryId));
        Assert.That(otherDevice.HistoryId, Is.Not.EqualTo(a.HistoryId));
        Assert.That(a.TestCaseId, Is.EqualTo(otherDevice.TestCaseId));
        Assert.That(a.Uuid, Is.Not.EqualTo(newVersion.Uuid));
    }

    [Test]
    public async Task Environment_executor_and_history_carry_over_are_written()
    {
        var writer = new AllureResultsWriter(_results);
        Directory.CreateDirectory(_results);
        await writer.WriteEnvironmentAsync(new Dictionary<string, string> { ["harness.version"] = "1.0", ["device 1"] = "Redmi=Note\n8" }, CancellationToken.None);
        await writer.WriteExecutorAsync(new AllureExecutor { Name = "nightly", BuildOrder = 42, ReportName = "leaks" }, CancellationToken.None);
        Assert.That(File.ReadAllText(Path.Combine(_results, "environment.properties")), Is.EqualTo("device\\ 1=Redmi=Note\\n8\nharness.version=1.0\n"));
        var executor = JsonNode.Parse(File.ReadAllText(Path.Combine(_results, "executor.json")))!;
        Assert.That(executor["buildOrder"]!.GetValue<long>(), Is.EqualTo(42));
        Assert.That(executor["name"]!.GetValue<string>(), Is.EqualTo("nightly"));

        var report = Path.Combine(_factory.Root, "allure-report");
        Assert.That(AllureHistory.CarryOver(report, _results), Is.Zero, "first run: nothing to carry");
        Directory.CreateDirectory(Path.Combine(report, "history"));
        File.WriteAllText(Path.Combine(report, "history", "history-trend.json"), "[{\"buildOrder\":41}]");
        Assert.That(AllureHistory.CarryOver(report, _results), Is.EqualTo(1));
        Assert.That(File.ReadAllText(Path.Combine(_results, "history", "history-trend.json")), Is.EqualTo("[{\"buildOrder\":41}]"));
    }

    private static CaseRecord HistoryRecord() => new()
    {
        CaseId = "c", Scenario = "visit-url", BrowserPackage = "com.mi.globalbrowser.mini", BrowserVersion = "1.6.3",
        DeviceSerial = "127.0.0.1:5555", Mode = "incognito=on,sync=off", Verdict = CaseVerdicts.Pass,
        StartedUtc = DateTimeOffset.UnixEpoch.AddDays(1), StoppedUtc = DateTimeOffset.UnixEpoch.AddDays(1).AddSeconds(3),
    };

}
