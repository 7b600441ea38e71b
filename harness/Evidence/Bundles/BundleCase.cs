using Harness.Evidence.Records;

namespace Harness.Evidence.Bundles;

/// <summary>One case as found in a bundle: its recorded result and where its inputs are (relative paths, null when absent).</summary>
public sealed record BundleCase(string Folder, string ResultPath, CaseRecord Record, string? HarPath, string? CanariesPath, string? ExpectationsPath);
