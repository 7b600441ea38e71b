using System.Collections.Frozen;
using System.Text.RegularExpressions;
using YamlDotNet.RepresentationModel;

namespace Harness.Browsers;

/// <summary>Turns the YAML tree of one profile into a <see cref="BrowserProfile"/>, resolving selectors per version range.</summary>
internal sealed partial class ProfileParser
{
    private static readonly string[] TopLevelKeys = ["kind", "id", "name", "package", "launch-activity", "launch-action", "user-agent", "telemetry-settle", "telemetry", "languages", "selectors", "recipes", "versions", "dialogs", "search-engines"];
    private static readonly string[] KindNames = ["browser", "system-app"];
    private static readonly string[] SelectorKeys = ["id", "text", "desc", "class", "index"];
    private static readonly string[] RangeKeys = ["range", "actions", "selectors", "recipes"];
    private static readonly string[] StepKinds = ["tap", "type", "key", "wait-for", "set-switch", "assert", "read", "intent"];
    private static readonly string[] IntentKeys = ["action", "data", "package", "extras"];
    private static readonly string[] ConditionKinds = ["present", "absent", "checked", "unchecked", "enabled", "focused", "text-contains"];
    public static readonly IReadOnlyCollection<string> Placeholders = ["url", "host", "term", "account", "password", "file", "certificate"];

    private static readonly FrozenDictionary<string, string[]> StepModifiers = new Dictionary<string, string[]>(StringComparer.Ordinal)
    {
        ["tap"] = ["expect", "optional", "attempts"],
        ["type"] = [],
        ["key"] = ["until", "max"],
        ["wait-for"] = ["timeout"],
        ["set-switch"] = ["state", "attempts"],
        ["assert"] = [],
        ["read"] = [],
        ["intent"] = [],
    }.ToFrozenDictionary(StringComparer.Ordinal);

    /// <summary>Key names `input keyevent` accepts that a browser recipe has a use for.</summary>
    public static readonly IReadOnlyCollection<string> KeyNames = ["ENTER", "BACK", "HOME", "TAB", "DEL", "ESCAPE", "SEARCH", "MENU", "DPAD_UP", "DPAD_DOWN", "DPAD_LEFT", "DPAD_RIGHT", "DPAD_CENTER", "PAGE_UP", "PAGE_DOWN", "MOVE_END", "MOVE_HOME"];

    [GeneratedRegex(@"^[a-z][a-z0-9-]*$")]
    private static partial Regex IdPattern();

    [GeneratedRegex(@"^[A-Za-z][A-Za-z0-9_]*(\.[A-Za-z][A-Za-z0-9_]*)+$")]
    private static partial Regex PackagePattern();

    [GeneratedRegex(@"^[a-z]{2,3}$")]
    private static partial Regex LanguagePattern();

    [GeneratedRegex(@"\{([^{}]*)\}")]
    private static partial Regex PlaceholderPattern();

    [GeneratedRegex(@"^[A-Za-z][A-Za-z0-9_]*(\.[A-Za-z0-9_]+)+$")]
    private static partial Regex IntentActionPattern();

    private readonly YamlReader _yaml;
    private string _package = "";
    private IReadOnlyList<string> _languages = [];
    private ProfileKind _kind = ProfileKind.Browser;

    public ProfileParser(YamlReader yaml) => _yaml = yaml;

    public BrowserProfile Parse(YamlNode root)
    {
        var top = _yaml.Entries(_yaml.Mapping(root, "(document)", "id: mint"), "", TopLevelKeys);
        YamlNode Required(string key) => top.TryGetValue(key, out var entry)
            ? entry.Value
            : throw _yaml.Error(root, key, $"missing required key \"{key}\"");

        if (top.TryGetValue("kind", out var kindEntry))
        {
            var kindName = _yaml.Scalar(kindEntry.Value, "kind");
            _kind = kindName switch
            {
                "browser" => ProfileKind.Browser,
                "system-app" => ProfileKind.SystemApp,
                _ => throw _yaml.Error(kindEntry.Value, "kind", $"unknown kind \"{kindName}\"{DidYouMean.Hint(kindName, KindNames)}; use browser (the default) or system-app"),
            };
        }

        var idNode = Required("id");
        var id = _yaml.Scalar(idNode, "id");
        if (!IdPattern().IsMatch(id))
            throw _yaml.Error(idNode, "id", $"\"{id}\" is not a valid id: use lower-case letters, digits and '-', e.g. mint");
        var name = _yaml.NonEmptyScalar(Required("name"), "name");
        var packageNode = Required("package");
        _package = _yaml.Scalar(packageNode, "package");
        if (!PackagePattern().IsMatch(_package))
            throw _yaml.Error(packageNode, "package", $"\"{_package}\" is not an Android package name such as com.mi.globalbrowser.mini");

        string? launchActivity = null;
        if (top.TryGetValue("launch-activity", out var activityEntry) && activityEntry.Value is not YamlScalarNode { Value: "" or "~" or null })
        {
            launchActivity = _yaml.Scalar(activityEntry.Value, "launch-activity").Trim();
            // "pkg/.Act" and "pkg/full.Class" are am start's component forms; a bare ".Act" or "full.Class" belongs to this package.
            if (launchActivity.Length > 0 && !launchActivity.Contains('/'))
                launchActivity = $"{_package}/{launchActivity}";
            if (launchActivity.Length == 0) launchActivity = null;
        }

        string? launchAction = null;
        if (top.TryGetValue("launch-action", out var actionEntry))
        {
            launchAction = _yaml.Scalar(actionEntry.Value, "launch-action").Trim();
            if (!IntentActionPattern().IsMatch(launchAction))
                throw _yaml.Error(actionEntry.Value, "launch-action", $"\"{launchAction}\" is not an intent action such as android.settings.SECURITY_SETTINGS");
            if (launchActivity is not null)
                throw _yaml.Error(actionEntry.Key, "launch-action", "give launch-activity or launch-action, not both");
        }

        // A system app sends no telemetry of its own that a scenario judges: only a browser needs its User-Agent token.
        var userAgent = _kind == ProfileKind.Browser || top.ContainsKey("user-agent")
            ? _yaml.NonEmptyScalar(Required("user-agent"), "user-agent")
            : "";
        var settle = top.TryGetValue("telemetry-settle", out var settleEntry)
            ? _yaml.Duration(settleEntry.Value, "telemetry-settle")
            : BrowserProfile.DefaultTelemetrySettle;

        _languages = ParseLanguages(Required("languages"));

        var selectors = top.TryGetValue("selectors", out var selectorsEntry)
            ? ParseSelectors(selectorsEntry.Value, "selectors", null)
            : new Dictionary<string, ElementSelector>(StringComparer.Ordinal);

        var sharedRecipes = top.TryGetValue("recipes", out var recipesEntry)
            ? RecipeNodes(recipesEntry.Value, "recipes")
            : new Dictionary<BrowserAction, (YamlNode, string)>();
        // Parse every shared recipe once against the profile's own selectors, so a mistake in a recipe no range
        // lists is still reported.
        foreach (var (action, (node, field)) in sharedRecipes)
            ParseRecipe(action, node, field, selectors);

        var versionsNode = _yaml.Sequence(Required("versions"), "versions", "- range: \">=3.4.3 <3.5.0\"");
        if (versionsNode.Children.Count == 0)
            throw _yaml.Error(versionsNode, "versions", "list at least one version range");
        var ranges = new List<BrowserVersionRange>();
        for (var i = 0; i < versionsNode.Children.Count; i++)
            ranges.Add(ParseRange(versionsNode.Children[i], $"versions[{i}]", selectors, sharedRecipes));

        var dialogs = top.TryGetValue("dialogs", out var dialogsEntry) ? ParseDialogs(dialogsEntry.Value, selectors) : [];
        return new BrowserProfile(id, name, _package, launchActivity, userAgent, settle, _languages, ranges, _yaml.File, _kind, launchAction)
        {
            Dialogs = dialogs,
            Telemetry = top.TryGetValue("telemetry", out var telemetryEntry) ? ParseTelemetry(telemetryEntry.Value) : null,
            SearchEngines = top.TryGetValue("search-engines", out var enginesEntry) ? ParseSearchEngines(enginesEntry.Value) : BrowserProfile.NoSearchEngines,
        };
    }

    /// <summary>dialogs: NAME: { when: COND, tap: SEL } or { when: COND, key: BACK }.</summary>
    private IReadOnlyList<InterruptingDialog> ParseDialogs(YamlNode node, IReadOnlyDictionary<string, ElementSelector> selectors)
    {
        var mapping = _yaml.Mapping(node, "dialogs", "first-run-consent: { when: { present: consent-agree }, tap: consent-agree }");
        var dialogs = new List<InterruptingDialog>();
        foreach (var (keyNode, valueNode) in mapping.Children)
        {
            var name = _yaml.Scalar(keyNode, "dialogs");
            var field = YamlReader.Join("dialogs", name);
            if (!IdPattern().IsMatch(name))
                throw _yaml.Error(keyNode, field, $"\"{name}\" is not a valid dialog name: use lower-case letters, digits and '-'");
            var entries = _yaml.Entries(_yaml.Mapping(valueNode, field, "{ when: { present: consent-agree }, tap: consent-agree }"), field, ["when", "tap", "key"]);
            if (!entries.TryGetValue("when", out var when))
                throw _yaml.Error(valueNode, field + ".when", "a dialog needs when: the condition that recognises it, e.g. { present: consent-agree }");
            var conditions = ParseConditions(when.Value, field + ".when", selectors);
            var hasTap = entries.TryGetValue("tap", out var tap);
            var hasKey = entries.TryGetValue("key", out var key);
            if (hasTap == hasKey)
                throw _yaml.Error(valueNode, field, "a dialog is dismissed by exactly one of tap: SELECTOR or key: BACK");
            string? keyCode = null;
            if (hasKey)
            {
                var k = _yaml.Scalar(key.Value, field + ".key").Trim().ToUpperInvariant();
                if (k.StartsWith("KEYCODE_", StringComparison.Ordinal)) k = k["KEYCODE_".Length..];
                if (!KeyNames.Contains(k))
                    throw _yaml.Error(key.Value, field + ".key", $"unknown key \"{k}\"{DidYouMean.Hint(k, KeyNames)}; known: {string.Join(", ", KeyNames)}");
                keyCode = "KEYCODE_" + k;
            }
            dialogs.Add(new InterruptingDialog(name, conditions, hasTap ? SelectorReference(tap.Value, field + ".tap", selectors) : null, keyCode, _yaml.Where(valueNode)));
        }
        return dialogs;
    }

    /// <summary><c>search-engines: { default: [google.com], zh-CN: [baidu.com] }</c>: the hosts a build searches out of the box, per locale.</summary>
    private IReadOnlyDictionary<string, IReadOnlyList<string>> ParseSearchEngines(YamlNode node)
    {
        var mapping = _yaml.Mapping(node, "search-engines", "{ default: [google.com], zh-CN: [baidu.com] }");
        var engines = new Dictionary<string, IReadOnlyList<string>>(StringComparer.OrdinalIgnoreCase);
        foreach (var (keyNode, valueNode) in mapping.Children)
        {
            var locale = _yaml.Scalar(keyNode, "search-engines");
            var field = YamlReader.Join("search-engines", locale);
            if (locale != "default" && !System.Text.RegularExpressions.Regex.IsMatch(locale, "^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$"))
                throw _yaml.Error(keyNode, field, $"\"{locale}\" is not a locale such as zh-CN or en, nor \"default\"");
            if (engines.ContainsKey(locale)) throw _yaml.Error(keyNode, field, $"\"{locale}\" is listed twice");
            var hosts = _yaml.ScalarList(valueNode, field, "[google.com]");
            foreach (var (host, hostNode) in hosts)
                if (host.Length == 0 || host.Contains('/') || host.Contains(':') || !host.Contains('.'))
                    throw _yaml.Error(hostNode, field, $"\"{host}\" is not a host name such as baidu.com");
            if (hosts.Count == 0) throw _yaml.Error(valueNode, field, "list at least one host, e.g. [google.com]");
            engines[locale] = hosts.Select(h => h.Value.ToLowerInvariant()).ToList();
        }
        return engines;
    }

    private IReadOnlyList<string> ParseLanguages(YamlNode node)
    {
        var sequence = _yaml.Sequence(node, "languages", "[en, es]");
        var languages = new List<string>();
        for (var i = 0; i < sequence.Children.Count; i++)
        {
            var language = _yaml.Scalar(sequence.Children[i], $"languages[{i}]");
            if (!LanguagePattern().IsMatch(language))
                throw _yaml.Error(sequence.Children[i], $"languages[{i}]", $"\"{language}\" is not a language code such as en or es");
            if (languages.Contains(language))
                throw _yaml.Error(sequence.Children[i], $"languages[{i}]", $"\"{language}\" is listed twice");
            languages.Add(language);
        }
        if (languages.Count == 0) throw _yaml.Error(node, "languages", "list at least one language, e.g. [en, es]");
        return languages;
    }

    private Dictionary<string, ElementSelector> ParseSelectors(YamlNode node, string field, IReadOnlyDictionary<string, ElementSelector>? overriding)
    {
        var mapping = _yaml.Mapping(node, field, "menu: { id: menu_button, desc: { en: Menu, es: Menú } }");
        var result = new Dictionary<string, ElementSelector>(StringComparer.Ordinal);
        foreach (var (keyNode, valueNode) in mapping.Children)
        {
            var name = _yaml.Scalar(keyNode, field);
            var selectorField = YamlReader.Join(field, name);
            if (!IdPattern().IsMatch(name))
                throw _yaml.Error(keyNode, selectorField, $"\"{name}\" is not a valid selector name: use lower-case letters, digits and '-'");
            if (overriding is not null && !overriding.ContainsKey(name))
                throw _yaml.Error(keyNode, selectorField, $"a version range can only override a selector defined under the top-level selectors; \"{name}\" is not one{DidYouMean.Hint(name, overriding.Keys)}");
            if (!result.TryAdd(name, ParseSelector(valueNode, selectorField, name)))
                throw _yaml.Error(keyNode, selectorField, $"selector \"{name}\" is defined twice");
        }
        return result;
    }

    private ElementSelector ParseSelector(YamlNode node, string field, string name)
    {
        var mapping = _yaml.Mapping(node, field, "{ id: menu_button, desc: { en: Menu, es: Menú } }");
        var entries = _yaml.Entries(mapping, field, SelectorKeys);
        string? resourceId = null;
        var otherIds = new List<string>();
        SourceLocation? idLocation = null;
        if (entries.TryGetValue("id", out var idEntry))
        {
            // One id, or a list of the ids different builds use (first found wins), e.g. [url, url_edit].
            foreach (var (id, idNode) in _yaml.ScalarList(idEntry.Value, field + ".id", "[url, url_edit]"))
            {
                if (id.Contains(' '))
                    throw _yaml.Error(idNode, field + ".id", $"\"{id}\" is not a resource-id: write the short name (menu_button) or the full id (android:id/button1)");
                var full = id.Contains(":id/", StringComparison.Ordinal) ? id
                    : id.Contains(':') || id.Contains('/') ? throw _yaml.Error(idNode, field + ".id", $"\"{id}\" is not a resource-id: a full id looks like {_package}:id/name")
                    : $"{_package}:id/{id}";
                if (resourceId is null) resourceId = full;
                else otherIds.Add(full);
            }
            idLocation = _yaml.Where(idEntry.Value);
        }
        // A label may name what the action is about, e.g. the picked file: { text: "{file}" }.
        var text = entries.TryGetValue("text", out var textEntry) ? ParseLocalized(textEntry.Value, field + ".text", allowPlaceholders: true) : null;
        var desc = entries.TryGetValue("desc", out var descEntry) ? ParseLocalized(descEntry.Value, field + ".desc", allowPlaceholders: true) : null;
        var className = entries.TryGetValue("class", out var classEntry) ? _yaml.NonEmptyScalar(classEntry.Value, field + ".class").Trim() : null;
        var index = entries.TryGetValue("index", out var indexEntry) ? _yaml.Integer(indexEntry.Value, field + ".index", 0, 999) : 0;
        if (resourceId is null && text is null && desc is null)
            throw _yaml.Error(node, field, "a selector needs at least one of id, text or desc (class and index only narrow those down)");
        return new ElementSelector(name, resourceId, text, desc, className, index, _yaml.Where(node)) { OtherResourceIds = otherIds, IdLocation = idLocation };
    }

    private LocalizedText ParseLocalized(YamlNode node, string field, bool allowPlaceholders = false)
    {
        if (node is YamlScalarNode)
        {
            var text = _yaml.NonEmptyScalar(node, field);
            CheckPlaceholders(node, field, text, allowPlaceholders);
            return LocalizedText.Same(text);
        }
        var mapping = _yaml.Mapping(node, field, "{ en: Menu, es: Menú }");
        var entries = _yaml.Entries(mapping, field, _languages);
        var byLanguage = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var language in _languages)
        {
            if (!entries.TryGetValue(language, out var entry))
                throw _yaml.Error(node, field, $"missing the \"{language}\" text: give the label in every language of the profile ({string.Join(", ", _languages)})");
            var text = _yaml.NonEmptyScalar(entry.Value, YamlReader.Join(field, language));
            CheckPlaceholders(entry.Value, YamlReader.Join(field, language), text, allowPlaceholders);
            byLanguage[language] = text;
        }
        return LocalizedText.PerLanguage(byLanguage);
    }

    private void CheckPlaceholders(YamlNode node, string field, string text, bool allowed)
    {
        foreach (Match match in PlaceholderPattern().Matches(text))
        {
            var name = match.Groups[1].Value;
            if (!allowed)
                throw _yaml.Error(node, field, $"placeholders such as {{{name}}} are only allowed in type steps, selector labels and text-contains checks");
            if (!Placeholders.Contains(name))
                throw _yaml.Error(node, field, $"unknown placeholder {{{name}}}{DidYouMean.Hint(name, Placeholders)}; known: {string.Join(", ", Placeholders.Select(p => "{" + p + "}"))}");
        }
    }

    private Dictionary<BrowserAction, (YamlNode Node, string Field)> RecipeNodes(YamlNode node, string field) =>
        RecipeEntries(node, field).ToDictionary(pair => pair.Key, pair => (pair.Value.Node, pair.Value.Field));

    private Dictionary<BrowserAction, (YamlNode Key, YamlNode Node, string Field)> RecipeEntries(YamlNode node, string field)
    {
        var mapping = _yaml.Mapping(node, field, "open-url: [ ... steps ... ]");
        var result = new Dictionary<BrowserAction, (YamlNode, YamlNode, string)>();
        foreach (var (keyNode, valueNode) in mapping.Children)
        {
            var actionField = YamlReader.Join(field, _yaml.Scalar(keyNode, field));
            var action = ParseActionName(keyNode, actionField);
            if (!result.TryAdd(action, (keyNode, valueNode, actionField)))
                throw _yaml.Error(keyNode, actionField, $"the recipe for \"{action.ToName()}\" is given twice");
        }
        return result;
    }

    private BrowserAction ParseActionName(YamlNode node, string field)
    {
        var name = _yaml.Scalar(node, field);
        var known = BrowserActionNames.For(_kind);
        if (!BrowserActionNames.TryParse(name, out var action))
            throw _yaml.Error(node, field, $"unknown action \"{name}\"{DidYouMean.Hint(name, known)}; known actions: {string.Join(", ", known)}");
        return BrowserActionNames.IsAllowed(_kind, action)
            ? action
            : throw _yaml.Error(node, field, $"\"{name}\" is not an action of a {_kind.ToName()} profile{(_kind == ProfileKind.Browser ? " (set kind: system-app for a system app's profile)" : "")}; known actions: {string.Join(", ", known)}");
    }

    private BrowserVersionRange ParseRange(YamlNode node, string field, IReadOnlyDictionary<string, ElementSelector> profileSelectors,
        IReadOnlyDictionary<BrowserAction, (YamlNode Node, string Field)> sharedRecipes)
    {
        var mapping = _yaml.Mapping(node, field, "{ range: \">=3.4.3 <3.5.0\", actions: [open-url, search] }");
        var entries = _yaml.Entries(mapping, field, RangeKeys);
        if (!entries.TryGetValue("range", out var rangeEntry))
            throw _yaml.Error(node, field + ".range", "missing required key \"range\", e.g. range: \">=3.4.3 <3.5.0\"");
        var rangeText = _yaml.Scalar(rangeEntry.Value, field + ".range");
        if (!VersionRange.TryParse(rangeText, out var range, out var rangeError))
            throw _yaml.Error(rangeEntry.Value, field + ".range", rangeError);

        var selectors = new Dictionary<string, ElementSelector>(profileSelectors, StringComparer.Ordinal);
        if (entries.TryGetValue("selectors", out var selectorsEntry))
            foreach (var (name, selector) in ParseSelectors(selectorsEntry.Value, field + ".selectors", profileSelectors))
                selectors[name] = selector;

        var ownRecipes = entries.TryGetValue("recipes", out var recipesEntry)
            ? RecipeEntries(recipesEntry.Value, field + ".recipes")
            : new Dictionary<BrowserAction, (YamlNode Key, YamlNode Node, string Field)>();

        if (!entries.TryGetValue("actions", out var actionsEntry))
            throw _yaml.Error(node, field + ".actions", "missing required key \"actions\": list the actions this version range has, e.g. [open-url, search]");
        var actionsNode = _yaml.Sequence(actionsEntry.Value, field + ".actions", "[open-url, search, incognito-on]");
        var recipes = new Dictionary<BrowserAction, ActionRecipe>();
        for (var i = 0; i < actionsNode.Children.Count; i++)
        {
            var actionField = $"{field}.actions[{i}]";
            var action = ParseActionName(actionsNode.Children[i], actionField);
            if (recipes.ContainsKey(action))
                throw _yaml.Error(actionsNode.Children[i], actionField, $"\"{action.ToName()}\" is listed twice");
            var (recipeNode, recipeField) = ownRecipes.TryGetValue(action, out var own) ? (own.Node, own.Field)
                : sharedRecipes.TryGetValue(action, out var shared) ? shared
                : throw _yaml.Error(actionsNode.Children[i], actionField, $"no recipe for \"{action.ToName()}\": add it under recipes (top level or this range's)");
            recipes[action] = ParseRecipe(action, recipeNode, recipeField, selectors);
        }
        foreach (var (action, (recipeKey, _, recipeField)) in ownRecipes)
            if (!recipes.ContainsKey(action))
                throw _yaml.Error(recipeKey, recipeField, $"this range has a recipe for \"{action.ToName()}\" but does not list it under actions");

        return new BrowserVersionRange(range, recipes, selectors, _yaml.Where(node));
    }

    private ActionRecipe ParseRecipe(BrowserAction action, YamlNode node, string field, IReadOnlyDictionary<string, ElementSelector> selectors)
    {
        var sequence = _yaml.Sequence(node, field, "- tap: menu");
        if (sequence.Children.Count == 0) throw _yaml.Error(node, field, "a recipe needs at least one step");
        var steps = new List<RecipeStep>();
        for (var i = 0; i < sequence.Children.Count; i++)
            steps.Add(ParseStep(sequence.Children[i], $"{field}[{i}]", selectors));
        return new ActionRecipe(action, steps, _yaml.Where(node));
    }

    private RecipeStep ParseStep(YamlNode node, string field, IReadOnlyDictionary<string, ElementSelector> selectors)
    {
        var mapping = _yaml.Mapping(node, field, "{ tap: menu, expect: { present: settings-item } }");
        var kinds = mapping.Children.Keys.OfType<YamlScalarNode>().Where(k => StepKinds.Contains(k.Value)).ToList();
        if (kinds.Count != 1)
        {
            var keys = mapping.Children.Keys.OfType<YamlScalarNode>().Select(k => k.Value ?? "").ToList();
            var hint = keys.Select(k => DidYouMean.Hint(k, StepKinds)).FirstOrDefault(h => h.Length > 0) ?? "";
            throw _yaml.Error(node, field, kinds.Count == 0
                ? $"a step needs exactly one of {string.Join(", ", StepKinds)}; found {string.Join(", ", keys)}{hint}"
                : $"a step does one thing: found both {kinds[0].Value} and {kinds[1].Value}; split it into two steps");
        }
        var kind = kinds[0].Value!;
        var entries = _yaml.Entries(mapping, field, [kind, .. StepModifiers[kind]]);
        var value = entries[kind].Value;
        var kindField = YamlReader.Join(field, kind);
        var where = _yaml.Where(node);
        int? Attempts() => entries.TryGetValue("attempts", out var a) ? _yaml.Integer(a.Value, field + ".attempts", 1, 20) : null;

        switch (kind)
        {
            case "tap":
            {
                var expect = entries.TryGetValue("expect", out var e) ? ParseConditions(e.Value, field + ".expect", selectors) : [];
                var optional = entries.TryGetValue("optional", out var o) && _yaml.Boolean(o.Value, field + ".optional");
                return new TapStep(SelectorReference(value, kindField, selectors), expect, optional, Attempts(), where);
            }
            case "type":
            {
                var text = _yaml.Scalar(value, kindField);
                if (text.Length == 0) throw _yaml.Error(value, kindField, "nothing to type");
                CheckPlaceholders(value, kindField, text, allowed: true);
                return new TypeStep(text, where);
            }
            case "key":
            {
                var key = _yaml.Scalar(value, kindField).Trim().ToUpperInvariant();
                if (key.StartsWith("KEYCODE_", StringComparison.Ordinal)) key = key["KEYCODE_".Length..];
                if (!KeyNames.Contains(key))
                    throw _yaml.Error(value, kindField, $"unknown key \"{key}\"{DidYouMean.Hint(key, KeyNames)}; known: {string.Join(", ", KeyNames)}");
                var until = entries.TryGetValue("until", out var u) ? ParseConditions(u.Value, field + ".until", selectors) : [];
                var hasMax = entries.TryGetValue("max", out var m);
                if (hasMax && until.Count == 0) throw _yaml.Error(m.Value, field + ".max", "max only makes sense with until");
                var max = hasMax ? _yaml.Integer(m.Value, field + ".max", 1, 20) : 5;
                return new KeyStep("KEYCODE_" + key, until, max, where);
            }
            case "wait-for":
            {
                var timeout = entries.TryGetValue("timeout", out var t) ? _yaml.Duration(t.Value, field + ".timeout") : (TimeSpan?)null;
                return new WaitForStep(ParseConditions(value, kindField, selectors), timeout, where);
            }
            case "set-switch":
            {
                if (!entries.TryGetValue("state", out var s))
                    throw _yaml.Error(node, field + ".state", "set-switch needs state: on or state: off");
                return new SetSwitchStep(SelectorReference(value, kindField, selectors), _yaml.Boolean(s.Value, field + ".state"), Attempts(), where);
            }
            case "assert":
                return new AssertStep(ParseConditions(value, kindField, selectors), where);
            case "intent":
                return ParseIntent(value, kindField, where);
            default:
                return new ReadStep(ParseConditions(value, kindField, selectors), where);
        }
    }

    /// <summary>intent: { action: android.intent.action.VIEW, data: "{url}", package: self, extras: { query: "{term}" } }</summary>
    private IntentStep ParseIntent(YamlNode node, string field, SourceLocation where)
    {
        var entries = _yaml.Entries(_yaml.Mapping(node, field, "{ action: android.intent.action.VIEW, data: \"{url}\" }"), field, IntentKeys);
        if (!entries.TryGetValue("action", out var actionEntry))
            throw _yaml.Error(node, field + ".action", "an intent needs action:, e.g. android.intent.action.VIEW");
        var action = _yaml.TrimmedScalar(actionEntry.Value, field + ".action");
        if (!IntentActionPattern().IsMatch(action))
            throw _yaml.Error(actionEntry.Value, field + ".action", $"\"{action}\" is not an intent action such as android.intent.action.VIEW");
        string? data = null;
        if (entries.TryGetValue("data", out var dataEntry))
        {
            data = _yaml.NonEmptyScalar(dataEntry.Value, field + ".data");
            CheckPlaceholders(dataEntry.Value, field + ".data", data, allowed: true);
        }
        var package = entries.TryGetValue("package", out var packageEntry) ? _yaml.TrimmedScalar(packageEntry.Value, field + ".package") : "self";
        if (package == "self") package = _package;
        else if (!PackagePattern().IsMatch(package))
            throw _yaml.Error(packageEntry.Value, field + ".package", $"\"{package}\" is not a package name (or self)");
        var extras = new Dictionary<string, string>(StringComparer.Ordinal);
        if (entries.TryGetValue("extras", out var extrasEntry))
        {
            foreach (var (keyNode, valueNode) in _yaml.Mapping(extrasEntry.Value, field + ".extras", "{ query: \"{term}\" }").Children)
            {
                var key = _yaml.TrimmedScalar(keyNode, field + ".extras");
                var value = _yaml.Scalar(valueNode, YamlReader.Join(field + ".extras", key));
                CheckPlaceholders(valueNode, YamlReader.Join(field + ".extras", key), value, allowed: true);
                extras[key] = value;
            }
        }
        return new IntentStep(action, data, package, extras, where);
    }

    private ElementSelector SelectorReference(YamlNode node, string field, IReadOnlyDictionary<string, ElementSelector> selectors)
    {
        if (node is YamlMappingNode) return ParseSelector(node, field, "inline");
        var name = _yaml.Scalar(node, field);
        return selectors.TryGetValue(name, out var selector)
            ? selector
            : throw _yaml.Error(node, field, $"unknown selector \"{name}\"{DidYouMean.Hint(name, selectors.Keys)}: define it under selectors, or write it inline as {{ id: …, text: … }}");
    }

    private IReadOnlyList<UiCondition> ParseConditions(YamlNode node, string field, IReadOnlyDictionary<string, ElementSelector> selectors)
    {
        if (node is YamlSequenceNode sequence)
        {
            if (sequence.Children.Count == 0) throw _yaml.Error(node, field, "list at least one condition");
            return sequence.Children.Select((child, i) => ParseCondition(child, $"{field}[{i}]", selectors)).ToList();
        }
        return [ParseCondition(node, field, selectors)];
    }

    private UiCondition ParseCondition(YamlNode node, string field, IReadOnlyDictionary<string, ElementSelector> selectors)
    {
        var mapping = _yaml.Mapping(node, field, "{ present: incognito-indicator }");
        var entries = _yaml.Entries(mapping, field, [.. ConditionKinds, "text"]);
        var kinds = ConditionKinds.Where(entries.ContainsKey).ToList();
        if (kinds.Count != 1)
            throw _yaml.Error(node, field, kinds.Count == 0
                ? $"a condition needs one of {string.Join(", ", ConditionKinds)}"
                : $"one condition per mapping: found both {kinds[0]} and {kinds[1]}; use a list for several");
        var kind = kinds[0] switch
        {
            "present" => ConditionKind.Present,
            "absent" => ConditionKind.Absent,
            "checked" => ConditionKind.Checked,
            "unchecked" => ConditionKind.Unchecked,
            "enabled" => ConditionKind.Enabled,
            "focused" => ConditionKind.Focused,
            _ => ConditionKind.TextContains,
        };
        var selector = SelectorReference(entries[kinds[0]].Value, YamlReader.Join(field, kinds[0]), selectors);
        LocalizedText? text = null;
        if (kind == ConditionKind.TextContains)
        {
            if (!entries.TryGetValue("text", out var t))
                throw _yaml.Error(node, field + ".text", "text-contains needs text: the text to look for (per language or one for all)");
            text = ParseLocalized(t.Value, field + ".text", allowPlaceholders: true);
        }
        else if (entries.TryGetValue("text", out var stray))
        {
            throw _yaml.Error(stray.Key, field + ".text", $"text only goes with text-contains, not with {kinds[0]}");
        }
        return new UiCondition(kind, selector, text);
    }
}
