using Harness.Leaks;

namespace Harness.Scenarios;

/// <summary>What <see cref="CaseJudge"/> concluded from a case's flows: the verdict, why, and the scan behind it.</summary>
public sealed record CaseJudgement(
    CaseVerdict Verdict,
    string Reason,
    ScanResult Scan,
    IReadOnlyList<string> CoverageGaps,
    IReadOnlyList<string> ExpectationOutcomes,
    DifferentialAnalysis? Differential = null);
