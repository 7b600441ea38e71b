namespace Harness.Scenarios;

/// <summary>
/// One row of the summary table: a browser version × scenario × mode, with the worst verdict across the phones that
/// ran it, those phones, and why (the findings of a leak, the reason of an inconclusive or not-applicable case).
/// </summary>
public sealed record RunSummaryRow(string Browser, string Scenario, string Mode, CaseVerdict Verdict, string Phones, string Detail);
