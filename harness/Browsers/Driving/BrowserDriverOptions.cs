namespace Harness.Browsers;

/// <summary>Bounds of the driver's waits and retries. Every wait re-dumps the screen until a state appears; none sleeps a fixed time.</summary>
public sealed class BrowserDriverOptions
{
    /// <summary>How long a wait-for (or a tap's target to appear) may take.</summary>
    public TimeSpan StepTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>How long to watch for a tap's expected result before calling the tap "not taken" and tapping again.</summary>
    public TimeSpan TapCheckTimeout { get; init; } = TimeSpan.FromSeconds(3);

    /// <summary>Taps tried per tap or set-switch step, unless the step says otherwise.</summary>
    public int TapAttempts { get; init; } = 3;

    /// <summary>Pause between two dumps while waiting; a dump itself takes a good part of a second on a real phone.</summary>
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromMilliseconds(250);

    /// <summary>How long the app may take after `am start` to show a screen of its own.</summary>
    public TimeSpan LaunchTimeout { get; init; } = TimeSpan.FromSeconds(20);

    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>Dialogs beyond the profile's own (e.g. MIUI's system prompts from scenarios/system) dismissed whenever seen.</summary>
    public IReadOnlyList<InterruptingDialog> ExtraDialogs { get; init; } = [];

    /// <summary>How many interrupting dialogs in a row one wait may dismiss before it calls the screen stuck.</summary>
    public int MaxDialogsInARow { get; init; } = 5;

    /// <summary>Overrides the language read from the phone (persist.sys.locale); null = detect.</summary>
    public string? Language { get; init; }
}
