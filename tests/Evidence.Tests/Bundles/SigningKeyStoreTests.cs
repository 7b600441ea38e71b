using Harness.Evidence.Signing;

namespace Harness.Evidence.Tests.Bundles;

public sealed class SigningKeyStoreTests
{
    [Test]
    public async Task The_key_is_created_once_owner_only_and_reloaded_with_the_same_fingerprint()
    {
        var dir = Path.Combine(Path.GetTempPath(), "keys-" + Guid.NewGuid().ToString("N"), "signing");
        try
        {
            var store = new SigningKeyStore(dir);
            string first;
            using (var key = await store.LoadOrCreateAsync(CancellationToken.None)) first = key.Fingerprint;
            using var again = await store.LoadOrCreateAsync(CancellationToken.None);

            Assert.That(again.Fingerprint, Is.EqualTo(first));
            Assert.That(first, Does.Match("^[0-9a-f]{64}$"));
            Assert.That(SignatureCheck.FingerprintOfPem(again.PublicKeyPem), Is.EqualTo(first));
            Assert.That(again.PublicKeyPem, Does.StartWith("-----BEGIN PUBLIC KEY-----"));
            if (!OperatingSystem.IsWindows())
            {
                Assert.That(File.GetUnixFileMode(store.PrivateKeyPath), Is.EqualTo(UnixFileMode.UserRead | UnixFileMode.UserWrite));
                Assert.That(File.GetUnixFileMode(dir), Is.EqualTo(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute));
            }
            var signature = again.Sign("manifest"u8);
            Assert.That(SignatureCheck.Verify(again.PublicKeyPem, "manifest"u8, signature), Is.True);
            Assert.That(SignatureCheck.Verify(again.PublicKeyPem, "manifesT"u8, signature), Is.False);
        }
        finally
        {
            Directory.Delete(Path.GetDirectoryName(dir)!, recursive: true);
        }
    }
}
