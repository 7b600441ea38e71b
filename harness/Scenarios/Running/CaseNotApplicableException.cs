namespace Harness.Scenarios;

/// <summary>The installed version lacks something the case needs; the case is skipped with this reason, never passed.</summary>
public sealed class CaseNotApplicableException(string message) : Exception(message);
