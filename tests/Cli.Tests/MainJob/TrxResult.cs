namespace Harness.Cli.Tests.MainJob;

/// <summary>One UnitTestResult of a TRX file.</summary>
internal sealed record TrxResult(string TestName, string Outcome, string Message, string StdOut);
