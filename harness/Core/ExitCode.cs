namespace Harness.Core;

/// <summary>Exit codes of run.ps1 and the harness CLI; which one a run gets is decided by Harness.Scenarios.RunExitCodes.</summary>
public enum ExitCode
{
    AllPass = 0,
    LeakFound = 1,
    Inconclusive = 2,
    BadInput = 3,
    Infrastructure = 4,
}
