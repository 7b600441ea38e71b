namespace Harness.Scenarios;

/// <summary>
/// The one plain-text line of each rack event, as every console shows it (harness run and nightly, the NUnit suite's
/// progress, run.ps1's filter): "SERIAL start  CASE", "SERIAL LEAK scenario / browser version / mode: reason" …
/// </summary>
public static class RackEventText
{
    public static string Line(RackProgress p) => p.Kind switch
    {
        RackProgressKind.DevicePrepared => $"{p.Serial} prepared: {p.PlannedCases} case(s){(p.Message is null ? "" : $" (limit: {p.Message})")}",
        RackProgressKind.CaseStarted => $"{p.Serial} start  {p.Case}",
        RackProgressKind.CaseFinished =>
            $"{p.Serial} {CaseVerdictNames.Word(p.Result!.Verdict)} {p.Case!.Scenario.Name} / {p.Case.Browser.Id} {p.Result.BrowserVersion} / {p.Case.Mode.Name}: {p.Result.Reason}",
        RackProgressKind.DeviceFailed => $"{p.Serial} failed: {p.Message}",
        RackProgressKind.DeviceRestored => $"{p.Serial} restored{(p.Message is null ? "" : $" with problems: {p.Message}")}{(p.Note is null ? "" : $" (note: {p.Note})")}",
        _ => p.Serial,
    };
}
