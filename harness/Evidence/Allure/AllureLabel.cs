namespace Harness.Evidence.Allure;

public sealed record AllureLabel(string Name, string Value);
