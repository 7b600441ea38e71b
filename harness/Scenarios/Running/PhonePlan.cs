using Harness.Adb;
using Harness.Browsers;

namespace Harness.Scenarios;

/// <summary>
/// The cases of one phone: every scenario × every profile it applies to whose package is installed × every mode. A
/// phone adb cannot answer for gets every profile (<see cref="Note"/> says so); the runner then reports the ones not
/// installed as not applicable, and a phone that is really gone fails its preparation with these cases.
/// </summary>
public sealed record PhonePlan(string Serial, IReadOnlyList<ScenarioCase> Cases, string? Note)
{
    private static readonly TimeSpan AnswerTimeout = TimeSpan.FromSeconds(20);

    /// <param name="caseShard">When set, only this shard's slice of the phone's cases (see <see cref="RackShard"/>).</param>
    public static async Task<PhonePlan> MakeAsync(AdbClient adb, string serial, IReadOnlyList<ScenarioScript> scenarios, IReadOnlyList<BrowserProfile> profiles,
        CancellationToken ct, RackShard? caseShard = null)
    {
        var plan = await MakeWholeAsync(adb, serial, scenarios, profiles, ct).ConfigureAwait(false);
        return caseShard is null ? plan : plan with { Cases = caseShard.Slice(plan.Cases) };
    }

    private static async Task<PhonePlan> MakeWholeAsync(AdbClient adb, string serial, IReadOnlyList<ScenarioScript> scenarios, IReadOnlyList<BrowserProfile> profiles,
        CancellationToken ct)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(AnswerTimeout);
        try
        {
            return new PhonePlan(serial, await ScenarioRunner.PlanAsync(adb, serial, scenarios, profiles, timeout.Token).ConfigureAwait(false), null);
        }
        catch (Exception e) when (e is AdbException or IOException or TimeoutException || e is OperationCanceledException && !ct.IsCancellationRequested)
        {
            return Assumed(serial, scenarios, profiles, $"adb did not list the installed browsers ({e.GetType().Name}: {e.Message}); planned every profile");
        }
    }

    /// <summary>Every profile a scenario applies to, installed or not.</summary>
    public static PhonePlan Assumed(string serial, IReadOnlyList<ScenarioScript> scenarios, IReadOnlyList<BrowserProfile> profiles, string note) =>
        new(serial, scenarios.SelectMany(s => profiles.Where(p => s.AppliesTo(p.Id)).SelectMany(p => s.Modes.Select(m => new ScenarioCase(s, p, m, serial)))).ToList(), note);
}
