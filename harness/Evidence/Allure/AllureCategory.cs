namespace Harness.Evidence.Allure;

public sealed record AllureCategory(string Name, IReadOnlyList<string> MatchedStatuses, string? MessageRegex = null, bool Flaky = false);
