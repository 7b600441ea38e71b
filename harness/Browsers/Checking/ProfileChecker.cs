using Harness.Adb.Ui;

namespace Harness.Browsers;

/// <summary>
/// `harness profile check`: runs a profile's actions on the phone one step at a time and says, for every step, whether
/// its selectors found their elements by id, only by label (a renamed id), or not at all, with the closest elements on
/// that screen and the profile change that would fit the installed build. Read-only actions run first; toggles run in
/// the order that leaves each setting as it was found (incognito, enhanced incognito, sync, sign-in), and
/// clear-browsing-data runs last. One dump and screenshot per step go to <see cref="ProfileCheckOptions.OutDirectory"/>.
/// </summary>
public sealed class ProfileChecker
{
    private readonly IDeviceUi _device;
    private readonly BrowserProfile _profile;
    private readonly ProfileCheckOptions _options;
    private readonly List<ActionCheck> _actions = [];
    private readonly Dictionary<SourceLocation, SelectorIssue> _issues = [];
    private readonly Dictionary<string, bool> _switchWasOn = new(StringComparer.Ordinal);
    private readonly List<string> _notes = [];
    private BrowserDriver _driver = null!;
    private int _fileNumber;

    public ProfileChecker(IDeviceUi device, BrowserProfile profile, ProfileCheckOptions? options = null)
    {
        _device = device ?? throw new ArgumentNullException(nameof(device));
        _profile = profile ?? throw new ArgumentNullException(nameof(profile));
        _options = options ?? new ProfileCheckOptions();
    }

    public async Task<ProfileCheckReport> CheckAsync(CancellationToken cancellationToken = default)
    {
        _driver = await BrowserDriver.AttachAsync(_device, _profile, _options.Driver, cancellationToken).ConfigureAwait(false);
        if (_options.OutDirectory is { } folder) Directory.CreateDirectory(folder);
        await _driver.LaunchAsync(cancellationToken).ConfigureAwait(false);
        await RunPlanAsync(cancellationToken).ConfigureAwait(false);
        if (_options.Actions is null) JudgeUnusedSelectors();
        foreach (var action in _driver.VersionRange.Recipes.Keys.Where(Wanted).Where(a => _actions.All(c => c.Action != a)))
            _actions.Add(new ActionCheck(action, null, "not reached", [], null));
        var ordered = _actions.OrderBy(a => a.Action).ToList();
        return new ProfileCheckReport(_profile, _driver.InstalledVersion, _driver.VersionRange, _driver.Language, ordered,
            _issues.Values.ToList(), _notes);
    }

    private readonly List<(UiHierarchy Screen, string Name)> _screensSeen = [];

    /// <summary>
    /// Selectors no action uses are judged on every screen the check saw: one found only by its label there has a stale id.
    /// </summary>
    private void JudgeUnusedSelectors()
    {
        var used = _driver.VersionRange.Recipes.Values.SelectMany(r => r.Steps).SelectMany(Selectors).Select(s => s.Location).ToHashSet();
        foreach (var selector in _driver.VersionRange.Selectors.Values.Where(s => !used.Contains(s.Location) && s.ResourceId is not null))
        {
            var hits = _screensSeen.Select(seen => (seen.Screen, Found: SelectorMatcher.FindAll(seen.Screen, selector, _driver.Language))).Where(h => h.Found.Count > 0).ToList();
            if (hits.Count == 0 || hits.Any(h => h.Found.Any(e => selector.ResourceIds.Contains(e.ResourceId)))) continue;
            AddIssue(selector, SelectorProblem.IdNotOnScreen, BrowserAction.GoHome, -1, hits[0].Screen, ElementRole.Tap, []);
        }
    }

    private bool Supports(BrowserAction action) => _driver.Supports(action);
    private bool Wanted(BrowserAction action) => _options.Actions is null || _options.Actions.Contains(action);
    private bool HasAccount => _options.Account is { Length: > 0 } && _options.Password is { Length: > 0 };

    private async Task RunPlanAsync(CancellationToken ct)
    {
        // Read-only first: they also tell how to leave the phone.
        await CheckAsync(BrowserAction.GoHome, ct).ConfigureAwait(false);
        var incognitoWas = await ReadAsync(BrowserAction.ConfirmIncognitoState, ct).ConfigureAwait(false);
        var signedInWas = await ReadAsync(BrowserAction.SignInState, ct).ConfigureAwait(false);

        // Navigation: changes no setting.
        if (await CheckAsync(BrowserAction.OpenUrl, ct).ConfigureAwait(false) == true)
            await CheckAsync(BrowserAction.Back, ct).ConfigureAwait(false);
        await CheckAsync(BrowserAction.GoHome, ct, record: false).ConfigureAwait(false);
        await CheckAsync(BrowserAction.Search, ct).ConfigureAwait(false);
        await CheckAsync(BrowserAction.GoHome, ct, record: false).ConfigureAwait(false);
        await CheckAsync(BrowserAction.OpenNewsItem, ct).ConfigureAwait(false);
        await CheckAsync(BrowserAction.GoHome, ct, record: false).ConfigureAwait(false);

        // Incognito, with Enhanced Incognito (which needs incognito on) checked while it is on.
        if (incognitoWas == true)
        {
            await CheckAsync(BrowserAction.IncognitoOff, ct).ConfigureAwait(false);
            await CheckAsync(BrowserAction.IncognitoOn, ct).ConfigureAwait(false);
            await TogglePairAsync(BrowserAction.EnhancedIncognitoOn, BrowserAction.EnhancedIncognitoOff, ct).ConfigureAwait(false);
        }
        else
        {
            await CheckAsync(BrowserAction.IncognitoOn, ct).ConfigureAwait(false);
            await TogglePairAsync(BrowserAction.EnhancedIncognitoOn, BrowserAction.EnhancedIncognitoOff, ct).ConfigureAwait(false);
            await CheckAsync(BrowserAction.IncognitoOff, ct).ConfigureAwait(false);
        }

        // The account: sync needs one signed in.
        if (signedInWas == true)
        {
            await TogglePairAsync(BrowserAction.SyncOn, BrowserAction.SyncOff, ct).ConfigureAwait(false);
            if (HasAccount)
            {
                await CheckAsync(BrowserAction.SignOut, ct).ConfigureAwait(false);
                await CheckAsync(BrowserAction.SignIn, ct).ConfigureAwait(false);
                _notes.Add($"the phone was signed in; it is now signed in as {_options.Account}");
            }
            else
            {
                NotChecked(BrowserAction.SignOut, "needs --account and --password to sign in again afterwards");
                NotChecked(BrowserAction.SignIn, "needs --account and --password");
            }
        }
        else if (HasAccount)
        {
            if (await CheckAsync(BrowserAction.SignIn, ct).ConfigureAwait(false) == true)
                await TogglePairAsync(BrowserAction.SyncOn, BrowserAction.SyncOff, ct).ConfigureAwait(false);
            await CheckAsync(BrowserAction.SignOut, ct).ConfigureAwait(false);
        }
        else
        {
            foreach (var action in new[] { BrowserAction.SignIn, BrowserAction.SignOut, BrowserAction.SyncOn, BrowserAction.SyncOff })
                NotChecked(action, "needs --account and --password (the phone is not signed in)");
        }

        // A new incognito tab switches incognito on: switch it back off when it was off.
        if (await CheckAsync(BrowserAction.NewIncognitoTab, ct).ConfigureAwait(false) is not null && incognitoWas != true)
            await CheckAsync(BrowserAction.IncognitoOff, ct, record: false).ConfigureAwait(false);
        await CheckAsync(BrowserAction.ClearBrowsingData, ct).ConfigureAwait(false);
        await CheckAsync(BrowserAction.GoHome, ct, record: false).ConfigureAwait(false);
    }

    /// <summary>Both halves of a switch; when the switch was on before, the "on" half runs again last.</summary>
    private async Task TogglePairAsync(BrowserAction on, BrowserAction off, CancellationToken ct)
    {
        await CheckAsync(on, ct).ConfigureAwait(false);
        var switchName = SwitchOf(on);
        await CheckAsync(off, ct).ConfigureAwait(false);
        if (switchName is not null && _switchWasOn.TryGetValue(switchName, out var wasOn) && wasOn)
            await CheckAsync(on, ct, record: false).ConfigureAwait(false);
    }

    private string? SwitchOf(BrowserAction action) =>
        _driver.VersionRange.Recipes.TryGetValue(action, out var recipe) ? recipe.Steps.OfType<SetSwitchStep>().FirstOrDefault()?.Switch.Name : null;

    private void NotChecked(BrowserAction action, string reason)
    {
        if (Supports(action) && Wanted(action) && _actions.All(a => a.Action != action))
            _actions.Add(new ActionCheck(action, null, reason, [], null));
    }

    /// <summary>A state read, run even when not asked for (it decides the order); null when it cannot be read.</summary>
    private async Task<bool?> ReadAsync(BrowserAction action, CancellationToken ct)
    {
        if (!Supports(action)) return null;
        var (works, state) = await RunActionAsync(action, record: Wanted(action), ct).ConfigureAwait(false);
        return works ? state : null;
    }

    /// <summary>Runs one action when the version has it and it is wanted (or always, unrecorded, to restore). Null when not run.</summary>
    private async Task<bool?> CheckAsync(BrowserAction action, CancellationToken ct, bool record = true)
    {
        if (!Supports(action)) return null;
        if (record && !Wanted(action)) return null;
        // An action already checked runs again only to restore state, unrecorded.
        if (record && _actions.Any(a => a.Action == action)) record = false;
        return (await RunActionAsync(action, record, ct).ConfigureAwait(false)).Works;
    }

    private ActionArguments Arguments => new(Url: _options.Url, Term: _options.Term, Account: _options.Account, Password: _options.Password);

    private async Task<(bool Works, bool? State)> RunActionAsync(BrowserAction action, bool record, CancellationToken ct)
    {
        // A step that fails on a selector with a convincing candidate is run again with the candidate's id, so one check
        // finds every broken selector of an action, not only the first.
        for (var attempt = 1; ; attempt++)
        {
            var known = _patches.Count;
            var (works, state, steps, failure) = await RunOnceAsync(action, record, attempt, ct).ConfigureAwait(false);
            var retry = failure is not null && _patches.Count > known && attempt < MaxAttempts;
            if (failure is not null) await RecoverAsync(action, ct).ConfigureAwait(false);
            if (retry) continue;
            if (record) _actions.Add(new ActionCheck(action, works, null, steps, failure));
            return (works, state);
        }
    }

    private const int MaxAttempts = 6;

    private async Task<(bool Works, bool? State, List<StepCheck> Steps, string? Failure)> RunOnceAsync(BrowserAction action, bool record, int attempt, CancellationToken ct)
    {
        var recipe = Patched(_driver.VersionRange.Recipes[action]);
        var arguments = Arguments;
        var run = new RecipeRun(_driver, recipe, arguments);
        var steps = new List<StepCheck>();
        string? failure = null;
        var number = ++_fileNumber;
        var prefix = $"{number:00}-{action.ToName()}" + (attempt > 1 ? $"-retry{attempt - 1}" : "");
        RecipeStep? previous = null;
        for (var i = 0; i < recipe.Steps.Count; i++)
        {
            var step = recipe.Steps[i];
            var (screen, files) = await CaptureAsync($"{prefix}-step{i + 1}", ct).ConfigureAwait(false);
            if (previous is not null && screen is not null && record) JudgeConditions(action, i - 1, previous, screen, steps);
            var (outcome, detail) = screen is null ? (StepOutcome.Matched, "no dump before the step") : JudgeTargets(action, i, step, screen, arguments, record);
            try
            {
                await run.ExecuteAsync(i, ct).ConfigureAwait(false);
                var patched = PatchedDetail(step);
                if (outcome == StepOutcome.Matched && patched is not null) outcome = StepOutcome.MatchedWithSuggestion;
                steps.Add(new StepCheck(action, i, step.Describe(), step.Location, outcome, detail ?? patched, files));
            }
            catch (BrowserStepFailedException e)
            {
                var failFiles = await SaveFailureAsync($"{prefix}-step{i + 1}-failed", e, ct).ConfigureAwait(false);
                var failScreen = e.UiDumpXml is { } xml ? TryParse(xml) : null;
                // The failure screen may be past the point (a BACK too many left the app): the screen before the step counts too.
                if (record) Diagnose(action, i, step, [.. new[] { failScreen, screen }.OfType<UiHierarchy>()], arguments);
                failure = e.Message;
                steps.Add(new StepCheck(action, i, step.Describe(), step.Location, StepOutcome.Failed, "expected " + e.Expected, [.. files, .. failFiles]));
                for (var rest = i + 1; rest < recipe.Steps.Count; rest++)
                    steps.Add(new StepCheck(action, rest, recipe.Steps[rest].Describe(), recipe.Steps[rest].Location, StepOutcome.NotRun, null, []));
                break;
            }
            previous = step;
        }
        if (failure is null && previous is not null && record)
        {
            var (after, _) = await CaptureAsync($"{prefix}-after", ct).ConfigureAwait(false);
            if (after is not null) JudgeConditions(action, recipe.Steps.Count - 1, previous, after, steps);
        }
        return (failure is null, failure is null ? run.State : null, steps, failure);
    }

    /// <summary>Selectors given a suggested id so far (by where they are defined), used for the rest of the check.</summary>
    private readonly Dictionary<SourceLocation, ElementSelector> _patches = [];

    private ElementSelector Patch(ElementSelector selector) => _patches.TryGetValue(selector.Location, out var patched) ? patched : selector;

    private UiCondition Patch(UiCondition condition) => condition with { Selector = Patch(condition.Selector) };

    private IReadOnlyList<UiCondition> Patch(IReadOnlyList<UiCondition> conditions) => conditions.Select(Patch).ToList();

    private ActionRecipe Patched(ActionRecipe recipe) => _patches.Count == 0 ? recipe : recipe with
    {
        Steps = recipe.Steps.Select(step => step switch
        {
            TapStep tap => tap with { Target = Patch(tap.Target), Expect = Patch(tap.Expect) },
            SetSwitchStep set => set with { Switch = Patch(set.Switch) },
            KeyStep key => key with { Until = Patch(key.Until) },
            WaitForStep wait => wait with { Conditions = Patch(wait.Conditions) },
            AssertStep check => check with { Conditions = Patch(check.Conditions) },
            ReadStep read => read with { Conditions = Patch(read.Conditions) },
            _ => step,
        }).ToList(),
    };

    private string? PatchedDetail(RecipeStep step)
    {
        var names = Selectors(step).Where(s => _patches.ContainsKey(s.Location)).Select(s => s.Name).Distinct().ToList();
        return names.Count == 0 ? null : $"ran with the suggested id of {string.Join(", ", names)}";
    }

    private static IEnumerable<ElementSelector> Selectors(RecipeStep step) =>
        (step switch
        {
            TapStep tap => [tap.Target],
            SetSwitchStep set => [set.Switch],
            _ => Array.Empty<ElementSelector>(),
        }).Concat(Conditions(step).Select(c => c.Selector));

    /// <summary>After a failed action the app may be anywhere: start it afresh for the next one.</summary>
    private async Task RecoverAsync(BrowserAction failed, CancellationToken ct)
    {
        try
        {
            await _driver.ForceStopAsync(ct).ConfigureAwait(false);
            await _driver.LaunchAsync(ct).ConfigureAwait(false);
        }
        catch (BrowserStepFailedException e)
        {
            _notes.Add($"after {failed.ToName()} failed, the app could not be started again: {e.Message}");
            throw;
        }
    }

    /// <summary>The selectors a step finds before it acts (tap and switch targets), judged on the screen before the step.</summary>
    private (StepOutcome, string?) JudgeTargets(BrowserAction action, int index, RecipeStep step, UiHierarchy screen, ActionArguments arguments, bool record)
    {
        var (target, role) = step switch
        {
            TapStep tap => (tap.Target, ElementRole.Tap),
            SetSwitchStep set => (set.Switch, ElementRole.Switch),
            _ => ((ElementSelector?)null, ElementRole.Read),
        };
        if (target is null) return (StepOutcome.Matched, null);
        var found = SelectorMatcher.FindAll(screen, target, _driver.Language, arguments, action);
        if (step is TapStep { Optional: true } && found.Count == 0) return (StepOutcome.Skipped, $"{target.Name} not on screen");
        if (step is SetSwitchStep && found.Count > 0) _switchWasOn.TryAdd(target.Name, SelectorMatcher.IsChecked(found[0]));
        if (found.Count == 0 || target.ResourceId is null || found.Any(e => target.ResourceIds.Contains(e.ResourceId))) return (StepOutcome.Matched, null);
        if (record) AddIssue(target, SelectorProblem.IdNotOnScreen, action, index, screen, role, ExpectedTexts(step, target, arguments, action));
        return (StepOutcome.MatchedByLabel, $"{target.Name}: id {CandidateRanker.IdName(target.ResourceId)} not on screen, found by label");
    }

    /// <summary>The conditions a step waited for, judged on the screen after it: an element found only by label is a stale id.</summary>
    private void JudgeConditions(BrowserAction action, int index, RecipeStep step, UiHierarchy screen, List<StepCheck> steps)
    {
        foreach (var condition in Conditions(step).Where(c => c.Kind != ConditionKind.Absent))
        {
            var selector = condition.Selector;
            if (selector.ResourceId is null) continue;
            var found = SelectorMatcher.FindAll(screen, selector, _driver.Language, Arguments, action);
            if (found.Count == 0 || found.Any(e => selector.ResourceIds.Contains(e.ResourceId))) continue;
            AddIssue(selector, SelectorProblem.IdNotOnScreen, action, index, screen, ElementRole.Read, ExpectedTexts(step, selector, Arguments, action));
            var at = steps.FindIndex(s => s.Index == index);
            if (at >= 0 && steps[at].Outcome == StepOutcome.Matched)
                steps[at] = steps[at] with { Outcome = StepOutcome.MatchedByLabel, Detail = $"{selector.Name}: id {CandidateRanker.IdName(selector.ResourceId)} not on screen, found by label" };
        }
    }

    /// <summary>A failed step: every selector it needed that is not on the failure screen is missing.</summary>
    private void Diagnose(BrowserAction action, int index, RecipeStep step, IReadOnlyList<UiHierarchy> screens, ActionArguments arguments)
    {
        if (screens.Count == 0) return;
        var needed = new List<(ElementSelector Selector, ElementRole Role)>();
        if (step is TapStep tap) needed.Add((tap.Target, ElementRole.Tap));
        if (step is SetSwitchStep set) needed.Add((set.Switch, ElementRole.Switch));
        needed.AddRange(Conditions(step).Where(c => c.Kind != ConditionKind.Absent).Select(c => (c.Selector, ElementRole.Read)));
        foreach (var (selector, role) in needed)
        {
            if (SelectorMatcher.FindAll(screens[0], selector, _driver.Language, arguments, action).Count > 0) continue;
            var texts = ExpectedTexts(step, selector, arguments, action);
            var best = screens.MaxBy(s => Rank(s, selector, role, texts).FirstOrDefault()?.Score ?? 0)!;
            AddIssue(selector, SelectorProblem.Missing, action, index, best, role, texts);
        }
    }

    private IReadOnlyList<CandidateElement> Rank(UiHierarchy screen, ElementSelector selector, ElementRole role, IReadOnlyList<string> expectedTexts) =>
        CandidateRanker.Rank(screen.AllElements.Where(e => e.Package == _profile.Package || e.ResourceId.StartsWith("android:id/", StringComparison.Ordinal)),
            selector, _driver.Language, role, expectedTexts);

    private static IEnumerable<UiCondition> Conditions(RecipeStep step) => step switch
    {
        TapStep tap => tap.Expect,
        KeyStep key => key.Until,
        WaitForStep wait => wait.Conditions,
        AssertStep check => check.Conditions,
        ReadStep read => read.Conditions,
        _ => [],
    };

    private IReadOnlyList<string> ExpectedTexts(RecipeStep step, ElementSelector selector, ActionArguments arguments, BrowserAction action) =>
        Conditions(step).Where(c => c.Kind == ConditionKind.TextContains && c.Selector.Location == selector.Location && c.Text is not null)
            .SelectMany(c => c.Text!.Candidates(_driver.Language))
            .Select(text => PlaceholderExpander.Expand(text, arguments, action))
            .ToList();

    private void AddIssue(ElementSelector selector, SelectorProblem problem, BrowserAction action, int index, UiHierarchy screen, ElementRole role, IReadOnlyList<string> expectedTexts)
    {
        if (_issues.TryGetValue(selector.Location, out var known) && (known.Problem == SelectorProblem.Missing || problem == SelectorProblem.IdNotOnScreen)) return;
        var candidates = Rank(screen, selector, role, expectedTexts);
        ProfileEdit? edit = null;
        string suggestion;
        if (candidates.FirstOrDefault() is { } weak && weak.Score < CandidateRanker.ConvincingScore)
        {
            suggestion = $"no convincing candidate (best scores {weak.Score}): the app may not have reached the screen; run `harness ui` where {selector.Name} should be";
        }
        else if (candidates.FirstOrDefault() is { } best && best.Element.ResourceId.Length > 0)
        {
            edit = ProfileEdits.AddId(ReadLines(selector.Location.File), selector, best.Element.ResourceId, _profile.Package);
            var original = Patch(selector);
            if (!original.ResourceIds.Contains(best.Element.ResourceId))
                _patches[selector.Location] = original.ResourceId is null
                    ? original with { ResourceId = best.Element.ResourceId }
                    : original with { OtherResourceIds = [.. original.OtherResourceIds, best.Element.ResourceId] };
            suggestion = edit is null
                ? $"give {selector.Name} the id {CandidateRanker.IdName(best.Element.ResourceId)}"
                : $"{selector.Location.File}:{selector.Location.Line}: {edit.NewText.Trim()}";
        }
        else if (candidates.FirstOrDefault() is { } labelOnly)
        {
            suggestion = $"no candidate has an id: select {selector.Name} by its label ({UiTreeWriter.Describe(labelOnly.Element)})";
        }
        else
        {
            suggestion = $"nothing on this screen resembles {selector.Name}: run `harness ui` on the screen where it should be";
        }
        _issues[selector.Location] = new SelectorIssue(selector, problem, action, index, candidates, edit, suggestion);
    }

    private readonly Dictionary<string, IReadOnlyList<string>> _fileLines = new(StringComparer.Ordinal);

    private IReadOnlyList<string> ReadLines(string file)
    {
        if (!_fileLines.TryGetValue(file, out var lines))
            _fileLines[file] = lines = File.Exists(file) ? File.ReadAllText(file).Split('\n').Select(l => l.TrimEnd('\r')).ToList() : [];
        return lines;
    }

    private async Task<(UiHierarchy? Screen, IReadOnlyList<string> Files)> CaptureAsync(string name, CancellationToken ct)
    {
        var capture = await ScreenCapturer.CaptureAsync(_device, _options.Driver.StepTimeout, _options.Driver.TimeProvider, ct).ConfigureAwait(false);
        if (capture.Screen is { } seen) _screensSeen.Add((seen, name));
        return (capture.Screen, await SaveAsync(name, capture.Screen?.Xml, capture.Png, ct).ConfigureAwait(false));
    }

    private Task<IReadOnlyList<string>> SaveFailureAsync(string name, BrowserStepFailedException failure, CancellationToken ct) =>
        SaveAsync(name, failure.UiDumpXml, failure.ScreenshotPng, ct);

    private async Task<IReadOnlyList<string>> SaveAsync(string name, string? xml, byte[]? png, CancellationToken ct)
    {
        if (_options.OutDirectory is not { } folder) return [];
        var files = new List<string>();
        if (xml is not null)
        {
            var path = Path.Combine(folder, name + ".xml");
            await File.WriteAllTextAsync(path, xml, ct).ConfigureAwait(false);
            files.Add(path);
        }
        if (png is not null)
        {
            var path = Path.Combine(folder, name + ".png");
            await File.WriteAllBytesAsync(path, png, ct).ConfigureAwait(false);
            files.Add(path);
        }
        return files;
    }

    private static UiHierarchy? TryParse(string xml)
    {
        try { return UiHierarchy.Parse(xml); }
        catch (Adb.AdbProtocolException) { return null; }
    }
}
