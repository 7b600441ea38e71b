using System.Text.Json;
using Harness.Evidence.Bundles;

namespace Harness.Evidence.Tests.Bundles;

[TestFixture]
public sealed class HarnessCommitTests
{
    [TestCase("1.0.0+0123abcd", null, "0123abcd")]
    [TestCase("1.0.0", null, null)]
    [TestCase("1.0.0+0123abcd", "given", "given")]
    public async Task The_bundle_records_the_commit_the_harness_was_built_from(string version, string? commit, string? expected)
    {
        var folder = Path.Combine(Path.GetTempPath(), "harness-commit-" + Guid.NewGuid().ToString("N"));
        try
        {
            await EvidenceBundleWriter.CreateAsync(new EvidenceBundleOptions { BundleDirectory = folder, RunId = "r", HarnessVersion = version, HarnessCommit = commit }, CancellationToken.None);
            using var run = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(folder, BundleLayout.RunFile)));
            var recorded = run.RootElement.TryGetProperty("harnessCommit", out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
            Assert.That(recorded, Is.EqualTo(expected));
        }
        finally
        {
            if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true);
        }
    }
}
