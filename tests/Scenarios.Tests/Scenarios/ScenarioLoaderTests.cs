using Harness.Browsers;
using Harness.Core;
using Harness.Leaks;

namespace Harness.Scenarios.Tests.Scenarios;

[TestFixture]
public sealed class ScenarioLoaderTests
{
    private const string Good = """
        name: incognito-url
        description: Opens a canary URL in incognito.
        claim: In incognito, a visited URL does not reach the vendor.
        browsers: [mint, mibrowser]
        modes:
          - { incognito: on, enhanced-incognito: off }
          - { incognito: on, enhanced-incognito: on }
        steps:
          - clear-data
          - launch
          - apply-mode
          - open-url: "{canary.url}"
          - search: "{canary.query}"
          - wait-telemetry: 25s
          - new-session: second
          - wait-telemetry
        expectations:
          - no-leak: { kinds: [url, query], to: [vendor], allow-hosts: [Sync.Browser.Intl.Miui.com] }
          - leak-expected: { kinds: [url], to: [vendor] }
          - no-linkable-id
          - no-device-metadata
        """;

    [Test]
    public void A_good_script_loads_with_every_field()
    {
        var script = ScenarioLoader.Parse(Good, "good.yaml");
        Assert.Multiple(() =>
        {
            Assert.That(script.Name, Is.EqualTo("incognito-url"));
            Assert.That(script.Claim, Does.StartWith("In incognito"));
            Assert.That(script.Browsers, Is.EqualTo(new[] { "mint", "mibrowser" }));
            Assert.That(script.AppliesTo("mint"), Is.True);
            Assert.That(script.AppliesTo("miuibrowser"), Is.False);
            Assert.That(script.Modes.Select(m => m.Name), Is.EqualTo(new[] { "incognito=on,enhanced-incognito=off", "incognito=on,enhanced-incognito=on" }));
            Assert.That(script.Steps.Select(s => s.Kind), Is.EqualTo(new[]
            {
                ScenarioStepKind.ClearData, ScenarioStepKind.Launch, ScenarioStepKind.ApplyMode, ScenarioStepKind.OpenUrl,
                ScenarioStepKind.Search, ScenarioStepKind.WaitTelemetry, ScenarioStepKind.NewSession, ScenarioStepKind.WaitTelemetry,
            }));
            Assert.That(script.Steps[3].Argument, Is.EqualTo("{canary.url}"));
            Assert.That(script.Steps[3].Location, Is.EqualTo(new SourceLocation("good.yaml", 12, 5)));
            Assert.That(script.Steps[5].Duration, Is.EqualTo(TimeSpan.FromSeconds(25)));
            Assert.That(script.Steps[7].Duration, Is.Null);
            Assert.That(script.SessionLabels, Is.EqualTo(new[] { "session-1", "second" }));
            Assert.That(script.Expectations.Select(e => e.Kind), Is.EqualTo(new[]
            {
                ScenarioExpectationKind.NoLeak, ScenarioExpectationKind.LeakExpected, ScenarioExpectationKind.NoLinkableId, ScenarioExpectationKind.NoDeviceMetadata,
            }));
            Assert.That(script.Expectations[0].Kinds, Is.EqualTo(new[] { CanaryKind.Url, CanaryKind.Query }));
            Assert.That(script.Expectations[0].To, Is.EqualTo(new[] { DestinationClass.Vendor }));
            Assert.That(script.Expectations[0].AllowHosts, Is.EqualTo(new[] { "sync.browser.intl.miui.com" }));
            Assert.That(script.Expectations[3].To, Is.EqualTo(new[] { DestinationClass.Vendor, DestinationClass.ThirdParty }));
        });
    }

    [Test]
    public void A_script_adds_intended_hosts_and_vendor_domains()
    {
        var script = ScenarioLoader.Parse(Good + "\ndestinations: { intended: [Shop.Example.ORG], vendors: [vendor-analytics.example] }\n", "good.yaml");
        Assert.That(script.IntendedHosts, Is.EqualTo(new[] { "shop.example.org" }));
        Assert.That(script.VendorDomains, Is.EqualTo(new[] { "vendor-analytics.example" }));
        Assert.That(ScenarioLoader.Parse(Good, "good.yaml").IntendedHosts, Is.Empty);
        var error = Assert.Throws<BadInputException>(() => ScenarioLoader.Parse(Good + "\ndestinations:\n  intended: [\"https://shop.example.org/\"]\n", "bad.yaml"))!;
        Assert.That(error.Field, Is.EqualTo("destinations.intended"));
        Assert.That(error.Line, Is.EqualTo(Good.Split('\n').Length + 2), error.Describe());
    }

    [Test]
    public void Browsers_all_and_no_modes_give_every_browser_and_one_default_mode()
    {
        var script = ScenarioLoader.Parse("""
            name: control
            claim: c
            browsers: all
            steps: [launch, { open-url: "{canary.url}" }]
            expectations: [ { leak-expected: { kinds: [url], to: [vendor] } } ]
            """, "c.yaml");
        Assert.That(script.Browsers, Is.Empty);
        Assert.That(script.AppliesTo("anything"), Is.True);
        Assert.That(script.Modes.Single().Name, Is.EqualTo("default"));
    }

    // Each bad script: the line, column and field the message must name, and a phrase saying what to do.
    [TestCase("name: x\nclaim: c\nsteps: [launch]\nexpectations: [no-linkable-id]\n", 4, 16, "expectations[0].no-linkable-id", "add a \"- new-session\" step")]
    [TestCase("name: x\nclaim: c\nsteps:\n  - launch\n  - open-ur: \"{canary.url}\"\nexpectations: [no-device-metadata]\n", 5, 5, "steps[1]", "did you mean \"open-url\"")]
    [TestCase("name: x\nclaim: c\nsteps:\n  - open-url: \"{canary.url}\"\nexpectations: [no-device-metadata]\n", 4, 5, "steps[0].open-url", "put \"- launch\" before it")]
    [TestCase("name: x\nclaim: c\nsteps:\n  - launch\n  - open-url: \"{canary.ur}\"\nexpectations: [no-device-metadata]\n", 5, 15, "steps[1].open-url", "unknown placeholder {canary.ur}")]
    [TestCase("name: x\nclaim: c\nsteps:\n  - launch\n  - open-url: \"https://example.org/\"\nexpectations: [no-device-metadata]\n", 5, 15, "steps[1].open-url", "has no canary")]
    [TestCase("name: x\nclaim: c\nsteps:\n  - launch\n  - wait-telemetry: soon\nexpectations: [no-device-metadata]\n", 5, 21, "steps[1].wait-telemetry", "20s")]
    [TestCase("name: x\nclaim: c\nmodes:\n  - { incognito: maybe }\nsteps: [launch, apply-mode]\nexpectations: [no-device-metadata]\n", 4, 18, "modes[0].incognito", "expected on or off")]
    [TestCase("name: x\nclaim: c\nmodes:\n  - { incognito: off, enhanced-incognito: on }\nsteps: [launch, apply-mode]\nexpectations: [no-device-metadata]\n", 4, 43, "modes[0].enhanced-incognito", "add incognito: on")]
    [TestCase("name: x\nclaim: c\nmodes:\n  - { incognito: on }\nsteps: [launch]\nexpectations: [no-device-metadata]\n", 5, 8, "steps", "add \"- apply-mode\"")]
    [TestCase("name: x\nclaim: c\nsteps: [launch]\nexpectations:\n  - no-leak: { kinds: [url], to: [intended] }\n", 5, 35, "expectations[0].no-leak.to", "cannot be a leak destination")]
    [TestCase("name: x\nclaim: c\nsteps: [launch]\nexpectations:\n  - no-leak: { kinds: [uri] }\n", 5, 24, "expectations[0].no-leak.kinds", "did you mean \"url\"")]
    [TestCase("name: x\nclaim: c\nsteps: [launch]\nexpectations:\n  - no-leak: { kinds: [url], allow: [a.com] }\n", 5, 30, "expectations[0].no-leak.allow", "allowed here: kinds, to, allow-hosts")]
    [TestCase("name: x\nclaim: c\nsearch-script: chinese\nsteps: [launch]\nexpectations: [no-device-metadata]\n", 3, 16, "search-script", "use latin (the default) or han")]
    [TestCase("name: x\nclaim: c\ndifferential: 1\nsteps: [launch]\nexpectations: [no-device-metadata]\n", 3, 15, "differential", "expected a whole number from 2 to 6, got \"1\"")]
    [TestCase("name: x\nclaim: c\ndifferential: three\nsteps: [launch]\nexpectations: [no-device-metadata]\n", 3, 15, "differential", "expected a whole number from 2 to 6")]
    [TestCase("name: x\nclaim: c\ndifferential: [3]\nsteps: [launch]\nexpectations: [no-device-metadata]\n", 3, 15, "differential", "")]
    [TestCase("name: x\nclaim: c\nstep: [launch]\nexpectations: [no-device-metadata]\n", 3, 1, "step", "did you mean \"steps\"")]
    [TestCase("name: x\nsteps: [launch]\nexpectations: [no-device-metadata]\n", 1, 1, "claim", "\"claim\" is missing")]
    [TestCase("name: x\nclaim: c\nsteps: [launch\nexpectations: [no-device-metadata]\n", 3, 8, "(syntax)", "not valid YAML")]
    public void A_bad_script_names_file_line_column_and_field(string yaml, int line, int column, string field, string hint)
    {
        var error = Assert.Throws<BadInputException>(() => ScenarioLoader.Parse(yaml, "bad.yaml"))!;
        Assert.Multiple(() =>
        {
            Assert.That(error.File, Is.EqualTo("bad.yaml"));
            Assert.That(error.Field, Is.EqualTo(field));
            Assert.That(error.Message, Does.Contain(hint));
            Assert.That((error.Line, error.Column), Is.EqualTo((line, column)), error.Describe());
            Assert.That(error.Describe(), Does.StartWith($"bad.yaml:{error.Line}:{error.Column}: {field}: "));
        });
    }

    [Test]
    public void Differential_is_off_unless_set_and_counts_the_canary_runs()
    {
        Assert.That(ScenarioLoader.Parse(Good, "good.yaml").Differential, Is.Null);
        Assert.That(ScenarioLoader.Parse(Good + "\ndifferential: 3\n", "good.yaml").Differential, Is.EqualTo(3));
    }

    [Test]
    public void An_unknown_browser_id_is_refused_when_the_profiles_are_known()
    {
        var error = Assert.Throws<BadInputException>(() => ScenarioLoader.Parse(
            "name: x\nclaim: c\nbrowsers: [mint, mibrowsr]\nsteps: [launch]\nexpectations: [no-device-metadata]\n", "b.yaml", ["mint", "mibrowser", "miuibrowser"]))!;
        Assert.That(error.Field, Is.EqualTo("browsers[1]"));
        Assert.That(error.Message, Does.Contain("did you mean \"mibrowser\""));
        Assert.That(error.Line, Is.EqualTo(3));
    }

    [Test]
    public void Every_shipped_scenario_loads_against_the_shipped_profiles()
    {
        var profiles = BrowserProfileLoader.LoadDirectory(RepositoryPaths.BrowsersDirectory);
        var scripts = ScenarioLoader.LoadDirectory(RepositoryPaths.ScenariosDirectory, knownBrowsers: profiles.Select(p => p.Id).ToList());
        Assert.That(scripts.Select(s => s.Name), Is.EquivalentTo(new[]
        {
            "chinese-search", "control-leak", "device-metadata", "incognito-identifier-persistence", "incognito-search", "incognito-url", "normal-sync-off", "normal-sync-on",
        }));
        var control = scripts.Single(s => s.Name == "control-leak");
        Assert.That(control.Expectations.Single().Kind, Is.EqualTo(ScenarioExpectationKind.LeakExpected));
        var syncOn = scripts.Single(s => s.Name == "normal-sync-on");
        Assert.That(syncOn.Expectations.Single().AllowHosts, Does.Contain("sync.browser.intl.miui.com"));
        Assert.That(syncOn.Modes.Single().NeedsSignIn, Is.True);
        Assert.That(scripts.Single(s => s.Name == "incognito-identifier-persistence").SessionLabels, Has.Count.EqualTo(2));
        Assert.That(scripts.Single(s => s.Name == "chinese-search").SearchScript, Is.EqualTo(CanaryScript.Han));
        Assert.That(scripts.Where(s => s.Name != "chinese-search").Select(s => s.SearchScript), Has.All.EqualTo(CanaryScript.Latin));
    }

    [Test]
    public void A_glob_selects_scenarios_by_file_or_script_name()
    {
        var scripts = ScenarioLoader.LoadDirectory(RepositoryPaths.ScenariosDirectory, "incognito-*");
        Assert.That(scripts.Select(s => s.Name), Is.EquivalentTo(new[] { "incognito-identifier-persistence", "incognito-search", "incognito-url" }));
    }

    [Test]
    public void Canary_placeholders_expand_to_the_case_canaries()
    {
        var canaries = CanarySet.Generate(new Random(7));
        var url = CanaryTemplate.Expand("{canary.url}", canaries);
        Assert.That(url, Is.EqualTo(canaries.Get(CanaryKind.Url)!.Value));
        Assert.That(CanaryTemplate.Expand("find {canary.query} now", canaries), Is.EqualTo($"find {canaries.Get(CanaryKind.Query)!.Value} now"));
        Assert.That(CanaryTemplate.FindUnknownPlaceholder("{canary.url} {url}"), Is.EqualTo("url"));
    }
}
