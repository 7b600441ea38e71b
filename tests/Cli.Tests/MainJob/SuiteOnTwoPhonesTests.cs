using System.Text.Json;
using Harness.Cli.Tests.Hardening;

namespace Harness.Cli.Tests.MainJob;

/// <summary>
/// The main job end to end: the NUnit leak suite on two virtual phones through a private adb server (the 2020 Mint
/// Browser on one, the fixed one on the other), then its NUnit and Allure results case by case, the Allure CLI's
/// report and that report in headless Chromium.
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed class SuiteOnTwoPhonesTests
{
    private const string Filter = "(TestCategory=scenario:incognito-url|TestCategory=scenario:control-leak)&TestCategory=browser:mint";
    private SuiteRack _rack = null!;
    private SuiteArtifacts _run = null!;
    private CliResult _suite = null!;
    private string _leaky = "";
    private string _fixed = "";

    [OneTimeSetUp]
    public async Task RunTheSuiteAsync()
    {
        _rack = await SuiteRack.StartAsync(("Redmi Note 8", ["mint@3.4.0"]), ("Mi 10", ["mint@3.4.3"]));
        _leaky = _rack.Phones[0].Serial;
        _fixed = _rack.Phones[1].Serial;
        var output = _rack.Folder.Combine("out");
        var trx = _rack.Folder.Combine("trx");
        _suite = await LeakSuiteProcess.RunSuiteAsync(Filter, trx, _rack.Environment(output), line => TestContext.Progress.WriteLine("  suite| " + line), TimeSpan.FromMinutes(8));
        _run = SuiteArtifacts.Read(output, trx);
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        if (_rack is not null) await _rack.DisposeAsync();
    }

    [Test]
    public void EveryCaseOfBothPhonesRanAndHasOneNUnitResultInItsOwnState()
    {
        Assert.That(_run.DeviceFailures, Is.Empty, _suite.ToString());
        // control-leak (1 mode) + incognito-url (2 modes), mint only, on each phone.
        Assert.That(_run.Cases.Select(c => c.GetProperty("serial").GetString()).Distinct(), Is.EquivalentTo(new[] { _leaky, _fixed }));
        Assert.That(_run.Cases, Has.Count.EqualTo(6), _suite.ToString());
        Assert.That(_run.Trx, Has.Count.EqualTo(_run.Cases.Count), "one NUnit result per case");
        foreach (var line in _run.Cases)
        {
            var name = SuiteArtifacts.TestName(line);
            var nunit = _run.Trx.SingleOrDefault(t => t.TestName == name);
            Assert.That(nunit, Is.Not.Null, $"no NUnit result named {name}; have: {string.Join(" | ", _run.Trx.Select(t => t.TestName))}");
            var verdict = line.GetProperty("verdict").GetString();
            switch (verdict)
            {
                case "pass":
                    Assert.That(nunit!.Outcome, Is.EqualTo("Passed"), name);
                    break;
                case "fail":
                    Assert.That(nunit!.Outcome, Is.EqualTo("Failed"), name);
                    Assert.That(nunit.Message, Does.StartWith("LEAK:"), name);
                    Assert.That(nunit.Message, Does.Contain(" reached "), "the findings are in the failure message");
                    break;
                case "inconclusive":
                    Assert.That(nunit!.Outcome, Is.Not.EqualTo("Passed").And.Not.EqualTo("Failed"), name);
                    Assert.That(nunit.Message, Does.StartWith("inconclusive:"), name);
                    break;
                case "n/a":
                    Assert.That(nunit!.Outcome, Is.EqualTo("NotExecuted"), name);
                    Assert.That(nunit.Message, Does.StartWith("not applicable:"), name);
                    break;
                default:
                    Assert.Fail($"unknown verdict {verdict} for {name}");
                    break;
            }
        }
    }

    [Test]
    public void TheControlFindsItsLeakOnBothPhones()
    {
        foreach (var serial in new[] { _leaky, _fixed })
            Assert.That(_run.Case(serial, "control-leak", "mint", "incognito=off").GetProperty("verdict").GetString(), Is.EqualTo("pass"),
                $"control on {serial}: a pipeline that cannot see the known leak must never pass silently");
    }

    [Test]
    public void The2020MintLeaksTheUrlInIncognitoAndTheFixedOneDoesNotInItsPrivateConfiguration()
    {
        var leaky = _run.Case(_leaky, "incognito-url", "mint", "enhanced-incognito=off");
        Assert.That(leaky.GetProperty("version").GetString(), Is.EqualTo("3.4.0"));
        Assert.That(leaky.GetProperty("verdict").GetString(), Is.EqualTo("fail"), leaky.ToString());
        Assert.That(leaky.GetProperty("findings").EnumerateArray().Select(f => f.GetString()), Has.Some.EndsWith(":url"));
        var enhanced = _run.Case(_leaky, "incognito-url", "mint", "enhanced-incognito=on");
        Assert.That(enhanced.GetProperty("verdict").GetString(), Is.EqualTo("n/a"), "3.4.0 has no Enhanced Incognito Mode");
        // The private configuration of the fixed builds (docs/architecture.md, what is known about the browsers): Incognito on, Enhanced Incognito Mode off.
        var fixedCase = _run.Case(_fixed, "incognito-url", "mint", "enhanced-incognito=off");
        Assert.That(fixedCase.GetProperty("version").GetString(), Is.EqualTo("3.4.3"));
        Assert.That(fixedCase.GetProperty("verdict").GetString(), Is.EqualTo("pass"), fixedCase.ToString());
    }

    [Test]
    public void AllureResultsFollowTheSchemaCaseByCase()
    {
        var results = _run.AllureResultDocuments();
        var judged = _run.Cases.Where(c => c.GetProperty("verdict").GetString() != "n/a").ToList();
        Assert.That(results, Has.Count.EqualTo(judged.Count), "one Allure result per judged case (not-applicable cases ran nothing)");
        foreach (var line in judged)
        {
            var serial = line.GetProperty("serial").GetString()!;
            var scenario = line.GetProperty("scenario").GetString()!;
            var mode = line.GetProperty("mode").GetString()!;
            var result = results.Single(r => Label(r, "host") == serial && Label(r, "feature") == scenario && Label(r, "story") == (mode == "default" ? "default" : mode));
            var context = $"{scenario} {mode} on {serial}";
            foreach (var field in new[] { "uuid", "historyId", "testCaseId", "fullName", "name", "status", "stage" })
                Assert.That(result.GetProperty(field).GetString(), Is.Not.Null.And.Not.Empty, $"{field} of {context}");
            Assert.That(result.GetProperty("stage").GetString(), Is.EqualTo("finished"));
            Assert.That(result.GetProperty("stop").GetInt64(), Is.GreaterThanOrEqualTo(result.GetProperty("start").GetInt64()));
            var expected = line.GetProperty("verdict").GetString() switch
            {
                "pass" => "passed",
                "fail" => "failed",
                _ => line.GetProperty("infrastructure").ValueKind == JsonValueKind.String ? "broken" : "skipped",
            };
            Assert.That(result.GetProperty("status").GetString(), Is.EqualTo(expected), context);
            if (expected == "failed") Assert.That(result.GetProperty("statusDetails").GetProperty("message").GetString(), Does.StartWith("LEAK"));
            Assert.That(Label(result, "epic"), Is.EqualTo(line.GetProperty("package").GetString()));
            Assert.That(Label(result, "severity"), Is.EqualTo(mode.Contains("incognito=on") ? "critical" : "normal"));
            var parameters = result.GetProperty("parameters").EnumerateArray().ToDictionary(p => p.GetProperty("name").GetString()!, p => p.GetProperty("value").GetString());
            Assert.That(parameters["device"], Is.EqualTo(serial));
            Assert.That(parameters["browser version"], Is.EqualTo(line.GetProperty("version").GetString()));
            Assert.That(parameters["incognito"], Is.EqualTo(mode.Contains("incognito=on") && !mode.StartsWith("incognito=off") ? "on" : "off"));
            Assert.That(result.GetProperty("steps").GetArrayLength(), Is.GreaterThan(2), $"steps with timings of {context}");
            foreach (var step in result.GetProperty("steps").EnumerateArray())
                Assert.That(step.GetProperty("stop").GetInt64(), Is.GreaterThanOrEqualTo(step.GetProperty("start").GetInt64()));
            var attachments = result.GetProperty("attachments").EnumerateArray().ToList();
            foreach (var attachment in attachments)
                Assert.That(File.Exists(Path.Combine(_run.AllureResults, attachment.GetProperty("source").GetString()!)), $"attachment {attachment} of {context} is in the results");
            var names = attachments.Select(a => a.GetProperty("name").GetString()!).ToList();
            Assert.That(names, Has.Member("findings"), context);
            Assert.That(names, Has.Some.StartsWith("HAR"), context);
            Assert.That(names, Has.Some.EqualTo("logcat"), context);
        }
        Assert.That(results.Select(r => r.GetProperty("historyId").GetString()).Distinct().Count(), Is.EqualTo(results.Count), "each case its own history line");
        foreach (var file in new[] { "environment.properties", "executor.json", "categories.json" })
            Assert.That(File.Exists(Path.Combine(_run.AllureResults, file)), file);
        using var categories = JsonDocument.Parse(File.ReadAllText(Path.Combine(_run.AllureResults, "categories.json")));
        Assert.That(categories.RootElement.EnumerateArray().Select(c => c.GetProperty("name").GetString()), Is.EquivalentTo(new[] { "Leak", "Inconclusive", "Infrastructure" }));
    }

    [Test]
    public async Task TheAllureCliRendersTheResultsAndChromiumShowsTheCases()
    {
        var report = _rack.Folder.Combine("allure-report");
        var (exit, output) = await ReportTools.GenerateAsync(_run.AllureResults, report, _rack.Folder.Path);
        Assert.That(exit, Is.EqualTo(0), output);
        Assert.That(output, Does.Not.Contain("Error").And.Not.Contain("error:"), output);
        var index = Path.Combine(report, "index.html");
        Assert.That(File.Exists(index), $"no {index}; the CLI said: {output}");

        // Headless Chromium's virtual clock can take the screenshot while the single-file report is still unpacking
        // its data (a spinner on an empty page, ~18 kB): each attempt is a fresh page load, at most three.
        var png = _rack.Folder.Combine("report.png");
        byte[] bytes = [];
        for (var attempt = 0; attempt < 3 && bytes.Length <= 40_000; attempt++)
        {
            var (shotExit, shotOutput) = await ReportTools.ScreenshotAsync(new Uri(index).AbsoluteUri, png);
            Assert.That(shotExit, Is.EqualTo(0), shotOutput);
            bytes = await File.ReadAllBytesAsync(png);
        }
        Assert.That(bytes.Take(8), Is.EqualTo(new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A }), "a PNG");
        Assert.That(System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(16)), Is.EqualTo(1400), "width");
        // The loading page is ~18 kB; the rendered report (statistics, metadata, the tree of cases) is several times that.
        Assert.That(bytes.Length, Is.GreaterThan(40_000), "the screenshot shows a rendered report, not the loading page");

        // Each case has its own page (index.html#<id>): the rendered DOM names the case.
        using var listing = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(report, "test-results.json")));
        var cases = listing.RootElement.GetProperty("byId").EnumerateObject().Select(p => p.Value).ToList();
        Assert.That(cases, Has.Count.EqualTo(_run.AllureResultDocuments().Count), "the report lists every case");
        var leak = cases.FirstOrDefault(c => c.GetProperty("status").GetString() == "failed");
        var shown = leak.ValueKind == JsonValueKind.Object ? leak : cases[0];
        var name = shown.GetProperty("name").GetString()!;
        var url = new Uri(index).AbsoluteUri + "#" + shown.GetProperty("id").GetString();
        var shownText = "";
        // Same race as the screenshot ("Failed to fetch" / spinner): at most three fresh page loads.
        for (var attempt = 0; attempt < 3 && !shownText.Contains(name, StringComparison.Ordinal); attempt++)
            shownText = await RenderedTextAsync(url);
        Assert.That(shownText, Does.Contain(name), $"the rendered case page shows the case's name; it showed:\n{string.Join(" | ", shownText.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Take(60))}");
    }

    private static async Task<string> RenderedTextAsync(string url)
    {
        var dom = await ReportTools.DumpDomAsync(url);
        Assert.That(dom.ExitCode, Is.EqualTo(0), "chromium --dump-dom");
        var text = System.Text.RegularExpressions.Regex.Replace(System.Text.RegularExpressions.Regex.Replace(dom.Output, "<(script|style)[\\s\\S]*?</(script|style)>", ""), "<[^>]+>", "\n");
        return System.Net.WebUtility.HtmlDecode(text);
    }

    private static string? Label(JsonElement result, string name) =>
        result.GetProperty("labels").EnumerateArray().Where(l => l.GetProperty("name").GetString() == name).Select(l => l.GetProperty("value").GetString()).FirstOrDefault();
}
