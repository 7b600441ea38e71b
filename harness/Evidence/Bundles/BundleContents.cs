using Harness.Evidence.Records;

namespace Harness.Evidence.Bundles;

/// <summary>
/// An opened bundle (sealed or partial). <see cref="Manifest"/> is null for a bundle whose run was interrupted
/// before sealing; everything written so far is still readable.
/// </summary>
public sealed class BundleContents(IBundleSource source, RunInfo? run, BundleManifest? manifest, byte[]? manifestBytes,
    IReadOnlyList<BundleCase> cases) : IDisposable
{
    public IBundleSource Source { get; } = source;
    public RunInfo? Run { get; } = run;
    public BundleManifest? Manifest { get; } = manifest;
    public byte[]? ManifestBytes { get; } = manifestBytes;
    public IReadOnlyList<BundleCase> Cases { get; } = cases;
    public bool IsSealed => Manifest is not null;

    public Task<byte[]> ReadAllBytesAsync(string relativePath, CancellationToken ct) => Source.ReadAllBytesAsync(relativePath, ct);

    public void Dispose() => Source.Dispose();
}
