namespace Harness.Scenarios;

/// <summary>What a scenario step does; the YAML names are in <see cref="ScenarioStepNames"/>.</summary>
public enum ScenarioStepKind
{
    /// <summary>`pm clear` of the browser: a fresh install's state (new anonymous id).</summary>
    ClearData,
    Launch,
    /// <summary>Puts the browser into the case's mode (incognito, enhanced incognito, account, sync) and reads it back.</summary>
    ApplyMode,
    OpenUrl,
    Search,
    OpenNewsItem,
    /// <summary>Waits for buffered telemetry to be flushed (profile default, or the step's own duration).</summary>
    WaitTelemetry,
    /// <summary>Force-stop and relaunch within the same session.</summary>
    RestartBrowser,
    /// <summary>A second session: force-stop, relaunch, mode applied again; later flows carry the new session label.</summary>
    NewSession,
    SignIn,
    SignOut,
}
