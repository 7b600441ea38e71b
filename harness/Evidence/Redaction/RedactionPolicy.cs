namespace Harness.Evidence.Redaction;

/// <summary>Which HAR fields are secrets. Names compare case-insensitively with '-' and '_' ignored ("pass_token" = "passToken").</summary>
public sealed record RedactionPolicy
{
    public const string Mask = "[REDACTED]";

    public static IReadOnlyList<string> DefaultSecretHeaders { get; } = ["Authorization", "Proxy-Authorization", "Cookie", "Set-Cookie"];

    public static IReadOnlyList<string> DefaultTokenFields { get; } =
        ["token", "access_token", "refresh_token", "id_token", "passToken", "serviceToken", "cUserId", "userToken", "session_token", "auth_token"];

    /// <summary>Extra field names (headers, query params, JSON/form fields) from `--mask-field`.</summary>
    public IReadOnlyList<string> ExtraFields { get; init; } = [];

    /// <summary>Shortest canary string we protect from masking; shorter strings (kind names) would protect everything.</summary>
    public int MinimumProtectedLength { get; init; } = 6;

    public bool IsSecretHeader(string name) =>
        DefaultSecretHeaders.Any(h => string.Equals(h, name, StringComparison.OrdinalIgnoreCase)) || IsTokenField(name);

    public bool IsTokenField(string name)
    {
        var normalized = Normalize(name);
        if (normalized.Length == 0) return false;
        return normalized.EndsWith("token", StringComparison.Ordinal)
               || DefaultTokenFields.Any(f => Normalize(f) == normalized)
               || ExtraFields.Any(f => Normalize(f) == normalized);
    }

    private static string Normalize(string name) => name.Replace("-", "").Replace("_", "").ToLowerInvariant();
}
