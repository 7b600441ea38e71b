namespace Harness.Evidence.Allure;

/// <summary><see cref="Source"/> is a file name in the results directory ("&lt;uuid&gt;-attachment.ext").</summary>
public sealed record AllureAttachment(string Name, string Source, string Type);
