namespace Harness.Leaks;

public sealed record ExpectationOutcome(ScanExpectation Expectation, Verdict Verdict, string Reason);
