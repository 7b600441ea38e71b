namespace Harness.Leaks;

/// <summary>
/// One searchable form of a canary: the value itself, an encoding that survives without decoding, or a hash.
/// <see cref="CaseSensitive"/> forms (base64 of a hash) are confirmed byte for byte after the case-folded search.
/// </summary>
public sealed record CanaryPattern(Canary Canary, string Form, byte[] Bytes, bool CaseSensitive)
{
    /// <summary>The hash name when this form is a digest (md5, sha1, sha256), else null.</summary>
    public string? Hash { get; init; }
}
