namespace Harness.Leaks;

/// <summary>A stretch of bytes that may be an encoding (base64 or hex) inside a longer payload.</summary>
public readonly record struct EncodedRun(int Start, int Length, bool UrlSafe);
