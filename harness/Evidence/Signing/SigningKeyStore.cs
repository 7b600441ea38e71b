using System.Security.Cryptography;

namespace Harness.Evidence.Signing;

/// <summary>
/// Finds or creates the installation's signing key in a key folder (default ~/.harness/signing).
/// The folder is 700 and the private key 600 on Unix: the key proves the bundle came from this machine.
/// </summary>
public sealed class SigningKeyStore(string keyDirectory)
{
    public const string PrivateKeyFileName = "bundle-signing-key.pem";

    public static string DefaultDirectory =>
        Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".harness", "signing");

    public string KeyDirectory { get; } = keyDirectory;
    public string PrivateKeyPath => Path.Combine(KeyDirectory, PrivateKeyFileName);

    public async Task<BundleSigningKey> LoadOrCreateAsync(CancellationToken ct)
    {
        if (File.Exists(PrivateKeyPath))
        {
            var pem = await File.ReadAllTextAsync(PrivateKeyPath, ct);
            var existing = ECDsa.Create();
            try
            {
                existing.ImportFromPem(pem);
            }
            catch (Exception e) when (e is CryptographicException or ArgumentException)
            {
                existing.Dispose();
                throw new Harness.Core.BadInputException("signing key file is not a valid EC private key; move it away to create a new one", PrivateKeyPath, inner: e);
            }
            return new BundleSigningKey(existing);
        }

        CreateOwnerOnlyDirectory(KeyDirectory);
        var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var privatePem = key.ExportPkcs8PrivateKeyPem();
        var temp = PrivateKeyPath + "." + Guid.NewGuid().ToString("N")[..8] + ".partial";
        // Create with owner-only mode from the start so the key is never readable by others, even briefly.
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, Share = FileShare.None };
        if (!OperatingSystem.IsWindows()) options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        await using (var stream = new FileStream(temp, options))
        await using (var writer = new StreamWriter(stream))
        {
            await writer.WriteAsync(privatePem.AsMemory(), ct);
        }
        try
        {
            // Another process may have created the key concurrently; keep the first one.
            File.Move(temp, PrivateKeyPath, overwrite: false);
        }
        catch (IOException) when (File.Exists(PrivateKeyPath))
        {
            File.Delete(temp);
            key.Dispose();
            return await LoadOrCreateAsync(ct);
        }
        return new BundleSigningKey(key);
    }

    private static void CreateOwnerOnlyDirectory(string directory)
    {
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(directory);
            return;
        }
        Directory.CreateDirectory(directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        File.SetUnixFileMode(directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
    }
}
