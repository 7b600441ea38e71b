using Harness.Leaks;
using YamlDotNet.RepresentationModel;

namespace Harness.Scenarios;

/// <summary>Turns one scenario document into a <see cref="ScenarioScript"/>, checking every field and the step order.</summary>
internal sealed class ScenarioParser(YamlReader reader, IReadOnlyCollection<string>? knownBrowsers)
{
    private static readonly string[] TopKeys = ["name", "description", "claim", "browsers", "search-script", "modes", "steps", "expectations", "destinations", "differential"];
    private static readonly string[] DestinationKeys = ["intended", "vendors"];
    private static readonly string[] ModeKeys = ["incognito", "enhanced-incognito", "sync", "signed-in"];
    private static readonly string[] ExpectationNames = ["no-leak", "leak-expected", "no-linkable-id", "no-device-metadata"];
    private static readonly string[] LeakKeys = ["kinds", "to", "allow-hosts"];

    // Steps that talk to a running browser: they need a launch before them.
    private static readonly ScenarioStepKind[] NeedsRunningBrowser =
        [ScenarioStepKind.ApplyMode, ScenarioStepKind.OpenUrl, ScenarioStepKind.Search, ScenarioStepKind.OpenNewsItem, ScenarioStepKind.SignIn, ScenarioStepKind.SignOut, ScenarioStepKind.RestartBrowser];

    public ScenarioScript Parse(YamlNode root)
    {
        var top = reader.Mapping(root, "", "name: incognito-url");
        var entries = reader.Entries(top, "", TopKeys);
        foreach (var required in new[] { "name", "claim", "steps", "expectations" })
            if (!entries.ContainsKey(required))
                throw reader.Error(root, required, $"\"{required}\" is missing; every scenario needs name, claim, steps and expectations");

        var name = reader.TrimmedScalar(entries["name"].Value, "name");
        if (name.Any(c => char.IsWhiteSpace(c) || c is '/' or '\\'))
            throw reader.Error(entries["name"].Value, "name", $"\"{name}\" is used in file and case names: use letters, digits and dashes, e.g. incognito-url");
        var steps = ParseSteps(entries["steps"].Value);
        var modes = entries.TryGetValue("modes", out var m) ? ParseModes(m.Value) : [ScenarioMode.Default(reader.Where(root))];
        var expectations = ParseExpectations(entries["expectations"].Value, steps);

        if (modes.Any(mode => mode.Name != "default") && steps.All(s => s.Kind != ScenarioStepKind.ApplyMode))
            throw reader.Error(entries["steps"].Value, "steps", "the modes matrix sets switches but no step applies them: add \"- apply-mode\" after \"- launch\"");

        return new ScenarioScript
        {
            Name = name,
            Description = entries.TryGetValue("description", out var d) ? reader.Scalar(d.Value, "description").Trim() : "",
            Claim = reader.TrimmedScalar(entries["claim"].Value, "claim"),
            Browsers = entries.TryGetValue("browsers", out var b) ? ParseBrowsers(b.Value) : [],
            SearchScript = entries.TryGetValue("search-script", out var ss) ? ParseSearchScript(ss.Value) : CanaryScript.Latin,
            Modes = modes,
            Steps = steps,
            Expectations = expectations,
            IntendedHosts = DestinationHosts(entries, "intended"),
            VendorDomains = DestinationHosts(entries, "vendors"),
            Differential = entries.TryGetValue("differential", out var diff) ? reader.Integer(diff.Value, "differential", DifferentialAnalyzer.MinRuns, DifferentialAnalyzer.MaxRuns) : null,
            SourceFile = reader.File,
        };
    }

    /// <summary><c>destinations: { intended: [example.org], vendors: [vendor-analytics.example] }</c>: what the scenario adds to the run's.</summary>
    private IReadOnlyList<string> DestinationHosts(IReadOnlyDictionary<string, (YamlNode Key, YamlNode Value)> entries, string name)
    {
        if (!entries.TryGetValue("destinations", out var destinations)) return [];
        var lists = reader.Entries(reader.Mapping(destinations.Value, "destinations", "{ intended: [example.org], vendors: [vendor-analytics.example] }"), "destinations", DestinationKeys);
        if (!lists.TryGetValue(name, out var list)) return [];
        var field = "destinations." + name;
        var hosts = reader.ScalarList(list.Value, field, "[example.org]");
        foreach (var (host, node) in hosts)
            if (host.Contains('/') || host.Contains(':') || host.Contains(' ') || !host.Contains('.'))
                throw reader.Error(node, field, $"\"{host}\" is not a host name such as example.org");
        return hosts.Select(h => h.Value.TrimStart('.').TrimEnd('.').ToLowerInvariant()).ToList();
    }

    private CanaryScript ParseSearchScript(YamlNode node) =>
        reader.TrimmedScalar(node, "search-script") switch
        {
            "latin" => CanaryScript.Latin,
            "han" => CanaryScript.Han,
            var other => throw reader.Error(node, "search-script", $"\"{other}\" is not a script: use latin (the default) or han (a Chinese search term)"),
        };

    private IReadOnlyList<string> ParseBrowsers(YamlNode node)
    {
        var ids = reader.ScalarList(node, "browsers", "[mint, mibrowser]");
        if (ids.Count == 1 && ids[0].Value == "all") return [];
        var result = new List<string>();
        for (var i = 0; i < ids.Count; i++)
        {
            var (id, idNode) = ids[i];
            if (id == "all") throw reader.Error(idNode, $"browsers[{i}]", "\"all\" stands alone: write browsers: all, or list profile ids");
            if (knownBrowsers is not null && !knownBrowsers.Contains(id))
                throw reader.Error(idNode, node is YamlSequenceNode ? $"browsers[{i}]" : "browsers",
                    $"no browser profile has id \"{id}\"{DidYouMean.Hint(id, knownBrowsers)}; known: {string.Join(", ", knownBrowsers)}, or all");
            if (result.Contains(id)) throw reader.Error(idNode, $"browsers[{i}]", $"\"{id}\" is listed twice");
            result.Add(id);
        }
        return result;
    }

    private IReadOnlyList<ScenarioMode> ParseModes(YamlNode node)
    {
        var sequence = reader.Sequence(node, "modes", "[ { incognito: on, enhanced-incognito: off } ]");
        if (sequence.Children.Count == 0) throw reader.Error(node, "modes", "the list is empty: leave modes out for one default mode, or list at least one");
        var modes = new List<ScenarioMode>();
        for (var i = 0; i < sequence.Children.Count; i++)
        {
            var field = $"modes[{i}]";
            var child = sequence.Children[i];
            var mapping = reader.Mapping(child, field, "{ incognito: on, sync: off }");
            var e = reader.Entries(mapping, field, ModeKeys);
            bool? Switch(string key) => e.TryGetValue(key, out var v) ? reader.OnOff(v.Value, $"{field}.{key}") : null;
            var mode = new ScenarioMode(Switch("incognito"), Switch("enhanced-incognito"), Switch("sync"), Switch("signed-in"), reader.Where(child));
            if (mode.EnhancedIncognito == true && mode.Incognito != true)
                throw reader.Error(e["enhanced-incognito"].Value, $"{field}.enhanced-incognito", "Enhanced Incognito Mode can only be switched on inside Incognito Mode: add incognito: on");
            if (mode.Sync == true && mode.SignedIn == false)
                throw reader.Error(e["sync"].Value, $"{field}.sync", "sync needs a Mi Account: sync: on cannot go with signed-in: off");
            if (modes.FirstOrDefault(other => other.Name == mode.Name) is { } twin)
                throw reader.Error(child, field, $"the same mode as modes line {twin.Location.Line} ({mode.Name}); remove one");
            modes.Add(mode);
        }
        return modes;
    }

    private IReadOnlyList<ScenarioStep> ParseSteps(YamlNode node)
    {
        var sequence = reader.Sequence(node, "steps", "[ clear-data, launch, apply-mode, { open-url: \"{canary.url}\" }, wait-telemetry ]");
        if (sequence.Children.Count == 0) throw reader.Error(node, "steps", "the list is empty: a scenario needs at least launch and one action");
        var steps = new List<ScenarioStep>();
        var launched = false;
        for (var i = 0; i < sequence.Children.Count; i++)
        {
            var field = $"steps[{i}]";
            var child = sequence.Children[i];
            var (name, nameNode, argument) = reader.NamedEntry(child, field,
                "a step is a name (- launch) or one name with its argument (- open-url: \"{canary.url}\")");
            if (!ScenarioStepNames.TryParse(name, out var kind))
                throw reader.Error(nameNode, field, $"unknown step \"{name}\"{DidYouMean.Hint(name, ScenarioStepNames.All)}; steps: {string.Join(", ", ScenarioStepNames.All)}");
            var stepField = $"{field}.{name}";
            var location = reader.Where(child);
            ScenarioStep step;
            switch (kind)
            {
                case ScenarioStepKind.OpenUrl or ScenarioStepKind.Search:
                {
                    if (argument is null)
                        throw reader.Error(child, stepField, $"{name} needs what to {(kind == ScenarioStepKind.Search ? "search" : "open")}, e.g. - {name}: \"{(kind == ScenarioStepKind.Search ? "{canary.query}" : "{canary.url}")}\"");
                    var text = reader.TrimmedScalar(argument, stepField);
                    if (CanaryTemplate.FindUnknownPlaceholder(text) is { } unknown)
                        throw reader.Error(argument, stepField, $"unknown placeholder {{{unknown}}}; known: {string.Join(", ", CanaryTemplate.KnownPlaceholders.Select(p => "{" + p + "}"))}");
                    if (!CanaryTemplate.HasPlaceholder(text))
                        throw reader.Error(argument, stepField, $"\"{text}\" has no canary: without a fresh canary nothing can be traced; use e.g. \"{{canary.{(kind == ScenarioStepKind.Search ? "query" : "url")}}}\"");
                    step = new ScenarioStep(kind, location, Argument: text);
                    break;
                }
                case ScenarioStepKind.WaitTelemetry:
                    step = new ScenarioStep(kind, location, Duration: argument is null ? null : reader.Duration(argument, stepField, bareSeconds: true));
                    break;
                case ScenarioStepKind.NewSession:
                {
                    var label = argument is null ? null : reader.TrimmedScalar(argument, stepField);
                    var all = steps.Where(s => s.Kind == ScenarioStepKind.NewSession).Select(s => s.Label).Append("session-1");
                    if (label is not null && all.Contains(label)) throw reader.Error(argument!, stepField, $"session label \"{label}\" is used twice");
                    step = new ScenarioStep(kind, location, Label: label);
                    break;
                }
                default:
                    if (argument is not null) throw reader.Error(argument, stepField, $"{name} takes no argument: write - {name}");
                    step = new ScenarioStep(kind, location);
                    break;
            }
            if (kind == ScenarioStepKind.Launch) launched = true;
            if (!launched && NeedsRunningBrowser.Contains(kind))
                throw reader.Error(child, stepField, $"{name} needs a running browser: put \"- launch\" before it");
            steps.Add(step);
        }
        return steps;
    }

    private IReadOnlyList<ScenarioExpectation> ParseExpectations(YamlNode node, IReadOnlyList<ScenarioStep> steps)
    {
        var sequence = reader.Sequence(node, "expectations", "[ { no-leak: { kinds: [url], to: [vendor, third-party] } } ]");
        if (sequence.Children.Count == 0) throw reader.Error(node, "expectations", "the list is empty: a scenario without an expectation proves nothing");
        var result = new List<ScenarioExpectation>();
        for (var i = 0; i < sequence.Children.Count; i++)
        {
            var field = $"expectations[{i}]";
            var child = sequence.Children[i];
            var (name, nameNode, body) = reader.NamedEntry(child, field,
                "an expectation is a name (- no-linkable-id) or one name with its settings (- no-leak: { kinds: [url], to: [vendor] })");
            var kind = name switch
            {
                "no-leak" => ScenarioExpectationKind.NoLeak,
                "leak-expected" => ScenarioExpectationKind.LeakExpected,
                "no-linkable-id" => ScenarioExpectationKind.NoLinkableId,
                "no-device-metadata" => ScenarioExpectationKind.NoDeviceMetadata,
                _ => throw reader.Error(nameNode, field, $"unknown expectation \"{name}\"{DidYouMean.Hint(name, ExpectationNames)}; expectations: {string.Join(", ", ExpectationNames)}"),
            };
            var itemField = $"{field}.{name}";
            IReadOnlyList<CanaryKind> kinds = Enum.GetValues<CanaryKind>();
            IReadOnlyList<DestinationClass> to = ScanExpectation.LeakDestinations;
            IReadOnlyList<string> allow = [];
            if (body is not null)
            {
                var mapping = reader.Mapping(body, itemField, "{ kinds: [url, query], to: [vendor, third-party] }");
                var allowedKeys = kind switch
                {
                    ScenarioExpectationKind.NoLeak => LeakKeys,
                    ScenarioExpectationKind.LeakExpected => ["kinds", "to"],
                    ScenarioExpectationKind.NoDeviceMetadata => ["to"],
                    _ => (string[])[],
                };
                var e = reader.Entries(mapping, itemField, allowedKeys);
                if (e.TryGetValue("kinds", out var k)) kinds = ParseKinds(k.Value, $"{itemField}.kinds");
                if (e.TryGetValue("to", out var t)) to = ParseDestinations(t.Value, $"{itemField}.to");
                if (e.TryGetValue("allow-hosts", out var a))
                    allow = reader.ScalarList(a.Value, $"{itemField}.allow-hosts", "[sync.browser.intl.miui.com]").Select(h => h.Value.Trim().TrimEnd('.').ToLowerInvariant()).ToList();
            }
            if (kind == ScenarioExpectationKind.NoLinkableId && steps.All(s => s.Kind != ScenarioStepKind.NewSession))
                throw reader.Error(child, itemField, "no-linkable-id compares two sessions: add a \"- new-session\" step");
            if (kind == ScenarioExpectationKind.LeakExpected && steps.All(s => s.Kind is not (ScenarioStepKind.OpenUrl or ScenarioStepKind.Search)))
                throw reader.Error(child, itemField, "a control needs a canary to leak: add an open-url or search step");
            result.Add(new ScenarioExpectation(kind, kinds, to, allow, reader.Where(child)));
        }
        return result;
    }

    private IReadOnlyList<CanaryKind> ParseKinds(YamlNode node, string field)
    {
        var names = Enum.GetValues<CanaryKind>().Select(CanaryKindNames.ToName).ToArray();
        var list = new List<CanaryKind>();
        foreach (var (value, valueNode) in reader.ScalarList(node, field, "[url, query]"))
        {
            if (!CanaryKindNames.TryParse(value, out var kind))
                throw reader.Error(valueNode, field, $"unknown canary kind \"{value}\"{DidYouMean.Hint(value, names)}; kinds: {string.Join(", ", names)}");
            if (!list.Contains(kind)) list.Add(kind);
        }
        return list.Count > 0 ? list : throw reader.Error(node, field, "list at least one canary kind");
    }

    private IReadOnlyList<DestinationClass> ParseDestinations(YamlNode node, string field)
    {
        string[] names = ["vendor", "third-party"];
        var list = new List<DestinationClass>();
        foreach (var (value, valueNode) in reader.ScalarList(node, field, "[url, query]"))
        {
            var destination = value switch
            {
                "vendor" => DestinationClass.Vendor,
                "third-party" => DestinationClass.ThirdParty,
                "intended" => throw reader.Error(valueNode, field, "\"intended\" is where canaries are meant to go (the canary site, the search engine): it cannot be a leak destination; use vendor or third-party"),
                _ => throw reader.Error(valueNode, field, $"unknown destination class \"{value}\"{DidYouMean.Hint(value, names)}; classes: vendor, third-party"),
            };
            if (!list.Contains(destination)) list.Add(destination);
        }
        return list.Count > 0 ? list : throw reader.Error(node, field, "list at least one destination class");
    }
}
