using Harness.Adb.Ui;

namespace Harness.Browsers;

/// <summary>The state of one action's execution: read results and tap count, plus the step logic.</summary>
internal sealed class RecipeRun(BrowserDriver driver, ActionRecipe recipe, ActionArguments arguments)
{
    private readonly BrowserDriverOptions _options = driver.Options;

    public bool? State { get; private set; }
    public string? Text { get; private set; }
    public int Taps { get; private set; }

    /// <summary>The activity the last intent step resolved to, as the phone reported it.</summary>
    public string? ResolvedActivity { get; private set; }

    private string? Language => driver.Language;

    private UiElement? Find(UiHierarchy screen, ElementSelector selector) => SelectorMatcher.Find(screen, selector, Language, arguments, recipe.Action);

    private bool AllHold(UiHierarchy screen, IReadOnlyList<UiCondition> conditions) =>
        SelectorMatcher.AllHold(screen, conditions, Language, arguments, recipe.Action);

    public Task ExecuteAsync(int index, CancellationToken cancellationToken) => recipe.Steps[index] switch
    {
        TapStep tap => TapAsync(index, tap, cancellationToken),
        TypeStep type => TypeAsync(index, type, cancellationToken),
        KeyStep key => KeyAsync(index, key, cancellationToken),
        WaitForStep wait => WaitForAsync(index, wait, cancellationToken),
        SetSwitchStep set => SetSwitchAsync(index, set, cancellationToken),
        AssertStep check => AssertAsync(index, check, cancellationToken),
        ReadStep read => ReadAsync(index, read, cancellationToken),
        IntentStep intent => IntentAsync(index, intent, cancellationToken),
        var other => throw new NotSupportedException($"step kind {other.GetType().Name}"),
    };

    private Task<BrowserStepFailedException> Fail(int index, string expected, UiHierarchy? screen, CancellationToken cancellationToken)
    {
        var step = recipe.Steps[index];
        return driver.FailureAsync(recipe.Action.ToName(), index, step.Describe(), step.Location, expected, screen, cancellationToken);
    }

    private async Task TapAsync(int index, TapStep step, CancellationToken cancellationToken)
    {
        if (step.Optional)
        {
            var now = await FreshDumpAsync(cancellationToken).ConfigureAwait(false);
            if (now is null || Find(now, step.Target) is null) return;
        }
        var attempts = step.Attempts ?? _options.TapAttempts;
        UiHierarchy? screen = null;
        for (var attempt = 1; attempt <= attempts; attempt++)
        {
            // On a retry the earlier tap may have taken late: then the expected state is already there.
            var retry = attempt > 1 && step.Expect.Count > 0;
            var (ready, current) = await driver.WaitUntilAsync(
                s => Find(s, step.Target) is not null || (retry && AllHold(s, step.Expect)), _options.StepTimeout, cancellationToken).ConfigureAwait(false);
            screen = current ?? screen;
            if (!ready)
                throw await Fail(index, $"{step.Target} on screen within {_options.StepTimeout.TotalSeconds:0.#}s (not found)", screen, cancellationToken).ConfigureAwait(false);
            if (retry && AllHold(screen!, step.Expect)) return;
            var target = Find(screen!, step.Target)!;
            var centre = target.Center;
            await driver.Device.TapAsync(centre.X, centre.Y, cancellationToken).ConfigureAwait(false);
            Taps++;
            if (step.Expect.Count == 0) return;
            var (took, after) = await driver.WaitUntilAsync(s => AllHold(s, step.Expect), _options.TapCheckTimeout, cancellationToken).ConfigureAwait(false);
            screen = after ?? screen;
            if (took) return;
        }
        throw await Fail(index, $"{string.Join(" and ", step.Expect)} after {attempts} tap(s) on {step.Target.Name}", screen, cancellationToken).ConfigureAwait(false);
    }

    private async Task TypeAsync(int index, TypeStep step, CancellationToken cancellationToken)
    {
        try
        {
            await driver.Device.SendTextAsync(PlaceholderExpander.Expand(step.Text, arguments, recipe.Action), cancellationToken).ConfigureAwait(false);
        }
        catch (Adb.UnsupportedTextException e)
        {
            throw await Fail(index, "text the phone can type: " + e.Message, null, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task IntentAsync(int index, IntentStep step, CancellationToken cancellationToken)
    {
        string Fill(string text) => PlaceholderExpander.Expand(text, arguments, recipe.Action);
        var extras = step.Extras.ToDictionary(e => e.Key, e => Fill(e.Value), StringComparer.Ordinal);
        string? resolved;
        try
        {
            resolved = await driver.Device.StartIntentAsync(step.Action, step.Data is null ? null : Fill(step.Data), extras, step.Package, cancellationToken).ConfigureAwait(false);
        }
        catch (Adb.AdbCommandFailedException e)
        {
            throw await Fail(index, $"the phone to start the intent ({e.Reason})", null, cancellationToken).ConfigureAwait(false);
        }
        ResolvedActivity = resolved;
        // Another app (a chooser, another browser) answering the intent is not the browser under test.
        if (resolved is not null && !resolved.StartsWith(step.Package + "/", StringComparison.Ordinal))
            throw await Fail(index, $"the intent resolved to an activity of {step.Package}, not {resolved}", null, cancellationToken).ConfigureAwait(false);
    }

    private async Task KeyAsync(int index, KeyStep step, CancellationToken cancellationToken)
    {
        if (step.Until.Count == 0)
        {
            await driver.Device.KeyEventAsync(step.KeyCode, cancellationToken).ConfigureAwait(false);
            return;
        }
        UiHierarchy? screen = null;
        for (var press = 0; press <= step.MaxPresses; press++)
        {
            // After a press, wait for the screen to change before judging it: judging the old screen would press again and overshoot.
            var before = screen;
            var (_, current) = await driver.WaitUntilAsync(
                s => before is null || AllHold(s, step.Until) || s.Xml != before.Xml, before is null ? _options.StepTimeout : _options.TapCheckTimeout, cancellationToken).ConfigureAwait(false);
            screen = current ?? screen;
            // Never press blind: without a dump we cannot tell whether one more BACK would leave the app.
            if (screen is null) break;
            if (AllHold(screen, step.Until)) return;
            if (press == step.MaxPresses) break;
            await driver.Device.KeyEventAsync(step.KeyCode, cancellationToken).ConfigureAwait(false);
        }
        throw await Fail(index, $"{string.Join(" and ", step.Until)} after {step.MaxPresses} presses of {step.KeyCode}", screen, cancellationToken).ConfigureAwait(false);
    }

    private async Task WaitForAsync(int index, WaitForStep step, CancellationToken cancellationToken)
    {
        var timeout = step.Timeout ?? _options.StepTimeout;
        var (done, screen) = await driver.WaitUntilAsync(s => AllHold(s, step.Conditions), timeout, cancellationToken).ConfigureAwait(false);
        if (!done)
            throw await Fail(index, $"{string.Join(" and ", step.Conditions)} within {timeout.TotalSeconds:0.#}s", screen, cancellationToken).ConfigureAwait(false);
    }

    private async Task SetSwitchAsync(int index, SetSwitchStep step, CancellationToken cancellationToken)
    {
        var attempts = step.Attempts ?? _options.TapAttempts;
        var wanted = step.On ? "checked" : "unchecked";
        UiHierarchy? screen = null;
        for (var attempt = 1; attempt <= attempts; attempt++)
        {
            var (ready, current) = await driver.WaitUntilAsync(s => Find(s, step.Switch) is { Enabled: true }, _options.StepTimeout, cancellationToken).ConfigureAwait(false);
            screen = current ?? screen;
            if (!ready)
            {
                var found = screen is null ? null : Find(screen, step.Switch);
                throw await Fail(index, $"{step.Switch} on screen and enabled within {_options.StepTimeout.TotalSeconds:0.#}s ({(found is null ? "not found" : "found but disabled")})", screen, cancellationToken).ConfigureAwait(false);
            }
            var element = Find(screen!, step.Switch)!;
            if (SelectorMatcher.IsChecked(element) == step.On) return;
            await driver.Device.TapAsync(element.Center.X, element.Center.Y, cancellationToken).ConfigureAwait(false);
            Taps++;
            var (took, after) = await driver.WaitUntilAsync(
                s => Find(s, step.Switch) is { } e && SelectorMatcher.IsChecked(e) == step.On, _options.TapCheckTimeout, cancellationToken).ConfigureAwait(false);
            screen = after ?? screen;
            if (took) return;
        }
        throw await Fail(index, $"{step.Switch.Name} {wanted} after {attempts} tap(s)", screen, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>One dump of the current screen; a dump that fails is retried within the step timeout.</summary>
    private async Task<UiHierarchy?> FreshDumpAsync(CancellationToken cancellationToken) =>
        (await driver.WaitUntilAsync(_ => true, _options.StepTimeout, cancellationToken).ConfigureAwait(false)).Screen;

    private async Task AssertAsync(int index, AssertStep step, CancellationToken cancellationToken)
    {
        var screen = await FreshDumpAsync(cancellationToken).ConfigureAwait(false);
        if (screen is null || !AllHold(screen, step.Conditions))
        {
            var failed = screen is null ? step.Conditions : step.Conditions.Where(c => !SelectorMatcher.Holds(screen, c, Language, arguments, recipe.Action)).ToList();
            throw await Fail(index, string.Join(" and ", failed), screen, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task ReadAsync(int index, ReadStep step, CancellationToken cancellationToken)
    {
        var screen = await FreshDumpAsync(cancellationToken).ConfigureAwait(false)
            ?? throw await Fail(index, "a UI dump to read the state from", null, cancellationToken).ConfigureAwait(false);
        State = AllHold(screen, step.Conditions);
        var element = Find(screen, step.Conditions[0].Selector);
        Text = element is null ? null : element.Text.Length > 0 ? element.Text : element.ContentDescription;
    }
}
