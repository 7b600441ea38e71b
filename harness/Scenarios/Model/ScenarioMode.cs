namespace Harness.Scenarios;

/// <summary>
/// One column of a script's mode matrix. A null switch is left as the browser has it after the earlier steps;
/// <see cref="Name"/> is the stable text used in case ids, reports and history ("incognito=on,enhanced-incognito=off").
/// </summary>
public sealed record ScenarioMode(bool? Incognito, bool? EnhancedIncognito, bool? Sync, bool? SignedIn, SourceLocation Location)
{
    public static ScenarioMode Default(SourceLocation location) => new(null, null, null, null, location);

    public string Name
    {
        get
        {
            var parts = new List<string>();
            void Add(string key, bool? value)
            {
                if (value is { } v) parts.Add($"{key}={(v ? "on" : "off")}");
            }
            Add("incognito", Incognito);
            Add("enhanced-incognito", EnhancedIncognito);
            Add("signed-in", SignedIn);
            Add("sync", Sync);
            return parts.Count == 0 ? "default" : string.Join(',', parts);
        }
    }

    /// <summary>Sync needs a Mi Account: sync=on (or signed-in=on) means the runner signs in first.</summary>
    public bool NeedsSignIn => SignedIn == true || Sync == true;

    public override string ToString() => Name;
}
