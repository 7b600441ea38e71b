using System.IO.Compression;
using System.Text;
using Harness.Core;
using Harness.Evidence.Bundles;
using Harness.Evidence.Records;
using Harness.Evidence.Tests.Fakes;
using Harness.Evidence.Verification;

namespace Harness.Evidence.Tests.Bundles;

public sealed class BundleVerifierTests
{
    private TestBundleFactory _factory = null!;
    private readonly BundleVerifier _verifier = new(new SubstringRescanner());

    [SetUp] public void SetUp() => _factory = new TestBundleFactory();
    [TearDown] public void TearDown() => _factory.Dispose();

    [Test]
    public async Task A_sealed_bundle_verifies_with_its_findings_reproduced()
    {
        var (folder, sealedBundle) = await _factory.CreateSealedAsync();
        var report = await _verifier.VerifyAsync(folder, null, CancellationToken.None);

        Assert.That(report.Differences, Is.Empty, report.ToText());
        Assert.That(report.Holds, Is.True);
        Assert.That(report.ExitCode, Is.EqualTo(ExitCode.AllPass));
        Assert.That(report.CasesRescanned, Is.EqualTo(2));
        Assert.That(report.FilesChecked, Is.EqualTo(sealedBundle.Manifest.Files.Count));
        Assert.That(report.SigningKeyFingerprint, Is.EqualTo(sealedBundle.SigningKeyFingerprint));
        using var bundle = await BundleReader.OpenAsync(folder, CancellationToken.None);
        Assert.That(bundle.Cases.Single(c => c.Record.CaseId == "mint-incognito-url").Record.Findings, Has.Count.EqualTo(2), "the fixture must leak");
    }

    [Test]
    public async Task The_bundle_holds_every_kind_of_evidence_listed_in_the_manifest()
    {
        var (_, sealedBundle) = await _factory.CreateSealedAsync();
        var paths = sealedBundle.Manifest.Files.Select(f => f.Path).ToList();
        Assert.That(paths, Is.SupersetOf(new[]
        {
            "run.json", "signing/public-key.pem", "proxy/ca.pem", "scenarios/visit-url.yaml", "profiles/mint.yaml",
            "devices/127.0.0.1_5555/getprop.txt", "devices/127.0.0.1_5555/facts.json", "devices/127.0.0.1_5555/user-ca-failed-step.png",
            "cases/mint-incognito-url/result.json", "cases/mint-incognito-url/flows.har", "cases/mint-incognito-url/canaries.json",
            "cases/mint-incognito-url/expectations.json", "cases/mint-incognito-url/logcat.txt",
            "cases/mint-incognito-url/screenshots/mint-incognito-url-home.png", "cases/mint-incognito-url/ui/mint-incognito-url-window.xml",
        }));
        Assert.That(paths, Has.None.EqualTo("manifest.json").And.None.EqualTo("manifest.sig"));
        Assert.That(sealedBundle.Manifest.EndedUtc, Is.Not.Null);
        Assert.That(sealedBundle.Manifest.HarnessCommit, Is.EqualTo("abc123"));
    }

    [Test]
    public async Task A_zipped_bundle_verifies_like_the_folder()
    {
        var (folder, _) = await _factory.CreateSealedAsync();
        var zip = Path.Combine(_factory.Root, "bundle.zip");
        BundleArchive.Zip(folder, zip);

        var report = await _verifier.VerifyAsync(zip, null, CancellationToken.None);
        Assert.That(report.Holds, Is.True, report.ToText());

        using (var archive = ZipFile.Open(zip, ZipArchiveMode.Update))
        {
            var entry = archive.GetEntry("cases/mint-incognito-url/logcat.txt")!;
            entry.Delete();
            using var writer = new StreamWriter(archive.CreateEntry("cases/mint-incognito-url/logcat.txt").Open());
            writer.Write("edited");
        }
        var tampered = await _verifier.VerifyAsync(zip, null, CancellationToken.None);
        Assert.That(tampered.Differences.Select(d => d.File), Does.Contain("cases/mint-incognito-url/logcat.txt"));
    }

    [Test]
    public async Task Changing_one_byte_of_any_file_fails_and_names_that_file()
    {
        var (folder, sealedBundle) = await _factory.CreateSealedAsync();
        Assert.Multiple(async () =>
        {
            foreach (var entry in sealedBundle.Manifest.Files)
            {
                var copy = _factory.Copy(folder);
                var path = Path.Combine(copy, entry.Path);
                var bytes = await File.ReadAllBytesAsync(path);
                bytes[bytes.Length / 2] ^= 0x01;
                await File.WriteAllBytesAsync(path, bytes);

                var report = await _verifier.VerifyAsync(copy, null, CancellationToken.None);
                Assert.That(report.ExitCode, Is.EqualTo(ExitCode.LeakFound), entry.Path);
                Assert.That(report.Differences, Has.Some.Matches<VerificationDifference>(d => d.Kind == DifferenceKind.ContentChanged && d.File == entry.Path),
                    $"{entry.Path}: {report.ToText()}");
            }
        });
    }

    [Test]
    public async Task Removing_a_file_fails_and_names_it()
    {
        var (folder, _) = await _factory.CreateSealedAsync();
        File.Delete(Path.Combine(folder, "cases", "mint-normal-control", "ui", "mint-normal-control-window.xml"));

        var report = await _verifier.VerifyAsync(folder, null, CancellationToken.None);
        Assert.That(report.Holds, Is.False);
        Assert.That(report.Differences, Has.Some.Matches<VerificationDifference>(d =>
            d.Kind == DifferenceKind.MissingFile && d.File == "cases/mint-normal-control/ui/mint-normal-control-window.xml"));
        Assert.That(report.ToText(), Does.Contain("MissingFile: cases/mint-normal-control/ui/mint-normal-control-window.xml").And.Contain("NOT VERIFIED"));
        var json = System.Text.Json.Nodes.JsonNode.Parse(report.ToJson())!;
        Assert.That(json["verified"]!.GetValue<bool>(), Is.False);
        Assert.That(json["differences"]![0]!["file"]!.GetValue<string>(), Is.EqualTo("cases/mint-normal-control/ui/mint-normal-control-window.xml"));
    }

    [Test]
    public async Task Adding_a_file_fails_and_names_it()
    {
        var (folder, _) = await _factory.CreateSealedAsync();
        await File.WriteAllTextAsync(Path.Combine(folder, "cases", "mint-incognito-url", "extra.txt"), "planted");

        var report = await _verifier.VerifyAsync(folder, null, CancellationToken.None);
        Assert.That(report.Differences, Has.Some.Matches<VerificationDifference>(d =>
            d.Kind == DifferenceKind.ExtraFile && d.File == "cases/mint-incognito-url/extra.txt"));
        Assert.That(report.ExitCode, Is.EqualTo(ExitCode.LeakFound));
    }

    [Test]
    public async Task Swapping_the_HAR_for_another_runs_HAR_fails_names_it_and_the_findings_no_longer_match()
    {
        var (leaking, _) = await _factory.CreateSealedAsync(leak: true);
        var (clean, _) = await _factory.CreateSealedAsync(leak: false);
        File.Copy(Path.Combine(clean, "cases", "mint-incognito-url", "flows.har"), Path.Combine(leaking, "cases", "mint-incognito-url", "flows.har"), overwrite: true);

        var report = await _verifier.VerifyAsync(leaking, null, CancellationToken.None);
        Assert.That(report.Differences, Has.Some.Matches<VerificationDifference>(d =>
            d.Kind == DifferenceKind.ContentChanged && d.File == "cases/mint-incognito-url/flows.har"));
        Assert.That(report.Differences, Has.Some.Matches<VerificationDifference>(d =>
            d.Kind == DifferenceKind.VerdictDiffers && d.File == "cases/mint-incognito-url/result.json"));
        Assert.That(report.Differences.Count(d => d.Kind == DifferenceKind.FindingMissingFromRescan), Is.EqualTo(2));
    }

    [Test]
    public async Task A_manifest_edited_to_match_a_changed_file_fails_the_signature()
    {
        var (folder, sealedBundle) = await _factory.CreateSealedAsync();
        var logcat = Path.Combine(folder, "cases", "mint-incognito-url", "logcat.txt");
        await File.WriteAllTextAsync(logcat, "nothing to see here");
        var newBytes = await File.ReadAllBytesAsync(logcat);
        var manifest = sealedBundle.Manifest with
        {
            Files = sealedBundle.Manifest.Files.Select(f => f.Path == "cases/mint-incognito-url/logcat.txt"
                ? f with { Sha256 = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(newBytes)), Size = newBytes.Length }
                : f).ToList(),
        };
        await File.WriteAllBytesAsync(Path.Combine(folder, "manifest.json"), BundleJson.Serialize(manifest));

        var report = await _verifier.VerifyAsync(folder, null, CancellationToken.None);
        Assert.That(report.Differences.Select(d => d.Kind), Is.EquivalentTo(new[] { DifferenceKind.SignatureInvalid }), report.ToText());
        Assert.That(report.Differences.Single().File, Is.EqualTo("manifest.json"));
    }

    [Test]
    public async Task A_wrong_pin_fails_and_the_right_pin_in_any_spelling_passes()
    {
        var (folder, sealedBundle) = await _factory.CreateSealedAsync();
        var wrong = await _verifier.VerifyAsync(folder, new string('a', 64), CancellationToken.None);
        Assert.That(wrong.Differences, Has.Some.Matches<VerificationDifference>(d => d.Kind == DifferenceKind.PinMismatch));
        Assert.That(wrong.ExitCode, Is.EqualTo(ExitCode.LeakFound));

        var spelled = "SHA256:" + string.Join(":", sealedBundle.SigningKeyFingerprint.ToUpperInvariant().Chunk(2).Select(c => new string(c)));
        var right = await _verifier.VerifyAsync(folder, spelled, CancellationToken.None);
        Assert.That(right.Holds, Is.True, right.ToText());
    }

    [Test]
    public async Task A_bundle_signed_by_a_substituted_key_fails_the_pin_of_the_original_key()
    {
        var (folder, sealedBundle) = await _factory.CreateSealedAsync();
        var other = new Harness.Evidence.Signing.SigningKeyStore(Path.Combine(_factory.Root, "other-keys"));
        using var attackerKey = await other.LoadOrCreateAsync(CancellationToken.None);
        File.Delete(Path.Combine(folder, "manifest.json"));
        var run = (await BundleReader.OpenAsync(folder, CancellationToken.None)).Run!;
        await BundleSealer.SealAsync(folder, run, attackerKey, null, TimeProvider.System, CancellationToken.None);

        var unpinned = await _verifier.VerifyAsync(folder, null, CancellationToken.None);
        Assert.That(unpinned.Holds, Is.True, "a re-sealed bundle is self-consistent; only the pin catches it");
        var pinned = await _verifier.VerifyAsync(folder, sealedBundle.SigningKeyFingerprint, CancellationToken.None);
        Assert.That(pinned.Differences, Has.Some.Matches<VerificationDifference>(d => d.Kind == DifferenceKind.PinMismatch));
    }

    [Test]
    public async Task A_recorded_verdict_the_rescan_does_not_reach_is_reported()
    {
        var (folder, _) = await _factory.CreateSealedAsync(leak: true, lieAboutVerdict: true);
        var report = await _verifier.VerifyAsync(folder, null, CancellationToken.None);
        Assert.That(report.Differences, Has.Some.Matches<VerificationDifference>(d => d.Kind == DifferenceKind.VerdictDiffers && d.Detail.Contains("recorded verdict pass, re-scan gives fail")));
        Assert.That(report.Differences.Count(d => d.Kind == DifferenceKind.FindingOnlyInRescan), Is.EqualTo(2));
    }

    [Test]
    public async Task Without_a_rescanner_verification_says_so_and_does_not_pass()
    {
        var (folder, _) = await _factory.CreateSealedAsync();
        var report = await new BundleVerifier(null).VerifyAsync(folder, null, CancellationToken.None);
        Assert.That(report.Holds, Is.False);
        Assert.That(report.ExitCode, Is.EqualTo(ExitCode.Infrastructure));
        Assert.That(report.Differences.Single().Detail, Is.EqualTo("verification of findings not available: no rescanner registered"));
    }

    [Test]
    public async Task A_run_killed_before_sealing_leaves_a_readable_partial_bundle_that_does_not_verify()
    {
        var (folder, _) = await _factory.CreateUnsealedAsync();
        using (var bundle = await BundleReader.OpenAsync(folder, CancellationToken.None))
        {
            Assert.That(bundle.IsSealed, Is.False);
            Assert.That(bundle.Cases.Select(c => c.Record.CaseId), Is.EquivalentTo(new[] { "mint-incognito-url", "mint-normal-control" }));
            Assert.That(bundle.Run!.EndedUtc, Is.Null);
        }
        var report = await _verifier.VerifyAsync(folder, null, CancellationToken.None);
        Assert.That(report.Differences, Has.Some.Matches<VerificationDifference>(d => d.Kind == DifferenceKind.NotSealed));
        Assert.That(report.ExitCode, Is.EqualTo(ExitCode.LeakFound));
    }

    [Test]
    public void Unreadable_input_is_bad_input()
    {
        var notThere = Path.Combine(_factory.Root, "nope");
        Assert.ThrowsAsync<BadInputException>(() => _verifier.VerifyAsync(notThere, null, CancellationToken.None));
        var garbage = Path.Combine(_factory.Root, "garbage.zip");
        File.WriteAllText(garbage, "not a zip");
        Assert.ThrowsAsync<BadInputException>(() => _verifier.VerifyAsync(garbage, null, CancellationToken.None));
        var empty = _factory.NewFolder("empty");
        Directory.CreateDirectory(empty);
        Assert.ThrowsAsync<BadInputException>(() => _verifier.VerifyAsync(empty, null, CancellationToken.None));
    }

    [Test]
    public async Task The_proxy_CA_private_key_is_refused()
    {
        var (_, writer) = await _factory.CreateUnsealedAsync();
        var withKey = Path.Combine(_factory.Root, "ca-with-key.pem");
        await File.WriteAllTextAsync(withKey, "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n-----BEGIN PRIVATE KEY-----\nMIIE\n-----END PRIVATE KEY-----\n");
        var e = Assert.ThrowsAsync<BadInputException>(() => writer.AddProxyCaCertificateAsync(withKey, CancellationToken.None));
        Assert.That(e!.Message, Does.Contain("PRIVATE KEY"));
        Assert.That(File.ReadAllText(Path.Combine(writer.BundleDirectory, "proxy", "ca.pem")), Does.Not.Contain("PRIVATE KEY"));
    }

    [Test]
    public async Task Case_ids_cannot_escape_the_bundle_folder()
    {
        var (_, writer) = await _factory.CreateUnsealedAsync();
        var stored = await writer.AddCaseAsync(new CaseEvidence
        {
            Record = new CaseRecord { CaseId = "../../evil", Scenario = "s", BrowserPackage = "b", Verdict = CaseVerdicts.Pass },
        }, CancellationToken.None);
        Assert.That(File.Exists(Path.Combine(writer.BundleDirectory, "cases", "_.._evil", "result.json")), Is.True);
        Assert.That(stored.Attachments, Is.Empty);
        Assert.That(Encoding.UTF8.GetString(File.ReadAllBytes(Path.Combine(writer.BundleDirectory, "cases", "_.._evil", "result.json"))), Does.Contain("../../evil"));
    }
}
