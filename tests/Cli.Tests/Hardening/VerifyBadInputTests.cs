using System.IO.Compression;
using Harness.Core;
using Harness.Evidence.Bundles;

namespace Harness.Cli.Tests.Hardening;

/// <summary>Damaged or foreign input given to `harness verify`, through the built CLI: exit 3, a clear line, no stack trace.</summary>
[TestFixture]
[Parallelizable(ParallelScope.Children)]
public sealed class VerifyBadInputTests
{
    private static async Task<(TempFolder Dir, string Bundle)> SealedBundleAsync()
    {
        var dir = new TempFolder();
        using var ca = Harness.Proxy.Certificates.CertificateAuthority.LoadOrCreate(dir.Combine("ca"));
        var bundle = await SampleBundle.CreateAsync(dir, dir.Combine("ca"), dir.Combine("signing"),
            dir.File("in/case.har", """{"log":{"version":"1.2","creator":{"name":"t","version":"1"},"entries":[]}}"""),
            dir.File("in/canaries.json", """{"canaries":[{"kind":"url","value":"https://canary-q7x.example/p"}]}"""));
        return (dir, bundle);
    }

    private static void AssertRefused(CliResult result, string mentions)
    {
        Assert.That(result.ExitCode, Is.EqualTo((int)ExitCode.BadInput), result.ToString());
        Assert.That(result.Stderr, Does.Contain(mentions), result.ToString());
        Assert.That(result.HasStackTrace, Is.False, "no stack trace without --verbose: " + result);
    }

    [Test]
    public async Task MissingBundle_IsRefused()
    {
        using var dir = new TempFolder();
        var path = dir.Combine("no-such-bundle");
        AssertRefused(await BuiltCli.RunAsync(["verify", path]), path);
    }

    [Test]
    public async Task FolderThatIsNotABundle_IsRefused()
    {
        using var dir = new TempFolder();
        dir.File("notes.txt", "hello");
        AssertRefused(await BuiltCli.RunAsync(["verify", dir.Path]), dir.Path);
    }

    [Test]
    public async Task TruncatedZip_IsRefused()
    {
        var (dir, bundle) = await SealedBundleAsync();
        using (dir)
        {
            var zip = dir.Combine("bundle.zip");
            ZipFile.CreateFromDirectory(bundle, zip);
            var bytes = await File.ReadAllBytesAsync(zip);
            await File.WriteAllBytesAsync(zip, bytes[..(bytes.Length / 2)]);
            AssertRefused(await BuiltCli.RunAsync(["verify", zip]), zip);
        }
    }

    [Test]
    public async Task TruncatedManifest_IsRefusedNamingTheFile()
    {
        var (dir, bundle) = await SealedBundleAsync();
        using (dir)
        {
            var manifest = Path.Combine(bundle, BundleLayout.ManifestFile);
            var text = await File.ReadAllTextAsync(manifest);
            await File.WriteAllTextAsync(manifest, text[..(text.Length / 2)]);
            AssertRefused(await BuiltCli.RunAsync(["verify", bundle]), BundleLayout.ManifestFile);
        }
    }

    [Test]
    public async Task RunFileOfWrongType_IsRefusedNamingTheFile()
    {
        var (dir, bundle) = await SealedBundleAsync();
        using (dir)
        {
            var run = Path.Combine(bundle, BundleLayout.RunFile);
            await File.WriteAllTextAsync(run, "[1, 2, 3]");
            var result = await BuiltCli.RunAsync(["verify", bundle]);
            // A changed run file is also a hash mismatch; either way the user must get a clear refusal, not a crash.
            Assert.That(result.ExitCode, Is.Not.EqualTo((int)ExitCode.AllPass).And.Not.EqualTo((int)ExitCode.Infrastructure), result.ToString());
            Assert.That(result.HasStackTrace, Is.False, result.ToString());
        }
    }

    [Test]
    public async Task IntactBundle_PassesTheIntegrityChecks()
    {
        // The control: the damage above is what makes verify refuse, not the sample bundle itself.
        var (dir, bundle) = await SealedBundleAsync();
        using (dir)
        {
            var result = await BuiltCli.RunAsync(["verify", bundle]);
            // The sample case carries no expectations, so re-scanning its findings is out of scope here; what must hold is
            // that the intact bundle is read as a bundle and every hash and the signature check out.
            Assert.That(result.ExitCode, Is.Not.EqualTo((int)ExitCode.BadInput), result.ToString());
            Assert.That(result.Stdout, Does.Contain("files checked: "), result.ToString());
            foreach (var kind in new[] { "NotSealed", "MissingFile", "ExtraFile", "ContentChanged", "SignatureMissing", "SignatureInvalid", "PinMismatch" })
                Assert.That(result.Stdout, Does.Not.Contain(kind + ":"), result.ToString());
        }
    }
}
