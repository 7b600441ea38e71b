namespace Harness.Evidence.Allure;

/// <summary>A test parameter; <see cref="Excluded"/> ones do not take part in historyId.</summary>
public sealed record AllureParameter(string Name, string Value, bool Excluded = false, string Mode = "default");
