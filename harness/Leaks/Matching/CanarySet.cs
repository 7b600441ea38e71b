using System.Text;
using System.Text.Json;

namespace Harness.Leaks;

/// <summary>
/// The canaries of one run (or one scenario) and the hosts where they are meant to go.
/// Tokens are <c>zq</c> + 16 random base32 characters: that prefix followed by 16 letters/digits does not occur in
/// real traffic by chance (32^16 ≈ 10^24), and equal-length distinct tokens cannot be substrings of each other.
/// The URL canary is composed of the host, path and query canaries, so a leaked URL also shows its parts;
/// the scanner reports the most specific kind.
/// A Han search term (<see cref="CanaryScript.Han"/>) is <see cref="HanTokenPrefix"/> + 8 random characters of the
/// CJK Unified Ideographs block (U+4E00–U+9FA5, assigned since Unicode 4.1, in every Chinese font and IME):
/// 20,902^8 ≈ 10^34 terms, so it is as unique per case as the Latin token.
/// </summary>
public sealed class CanarySet
{
    public const string TokenPrefix = "zq";
    public const int RandomTokenLength = 16;
    public const string DefaultCanaryDomain = "canary.test";
    /// <summary>"金丝雀" (canary): every Han search term starts with it, so a reader of a finding sees what it is.</summary>
    public const string HanTokenPrefix = "金丝雀";
    public const int RandomHanLength = 8;
    private const char FirstSafeHan = '\u4E00';
    private const char LastSafeHan = '\u9FA5';
    private const string Base32Alphabet = "abcdefghijklmnopqrstuvwxyz234567";

    public CanarySet(IEnumerable<Canary> canaries, IEnumerable<string>? intendedHosts = null)
    {
        Canaries = canaries.ToList();
        if (Canaries.Count == 0) throw new ArgumentException("A canary set needs at least one canary.", nameof(canaries));
        var empty = Canaries.FirstOrDefault(c => string.IsNullOrEmpty(c.Value));
        if (empty is not null) throw new ArgumentException($"Canary of kind {empty.Kind} has an empty value.", nameof(canaries));
        IntendedHosts = (intendedHosts ?? []).Select(h => h.Trim().ToLowerInvariant()).Where(h => h.Length > 0).Distinct().ToList();
    }

    public IReadOnlyList<Canary> Canaries { get; }
    public IReadOnlyList<string> IntendedHosts { get; }

    public Canary? Get(CanaryKind kind) => Canaries.FirstOrDefault(c => c.Kind == kind);

    /// <summary>A fresh set: one canary of every kind, the canary host intended.</summary>
    /// <param name="queryScript">The script of the search term; a Han term goes into the URL canary percent-encoded, as a browser sends it.</param>
    /// <param name="extraPathLength">Random characters added to the path token, so runs of a differential case differ in input length.</param>
    public static CanarySet Generate(Random random, string canaryDomain = DefaultCanaryDomain, IEnumerable<string>? searchEngineHosts = null,
        CanaryScript queryScript = CanaryScript.Latin, int extraPathLength = 0)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(extraPathLength);
        ArgumentNullException.ThrowIfNull(random);
        var used = new HashSet<string>(StringComparer.Ordinal);
        string Token()
        {
            while (true)
            {
                var t = NewToken(random);
                if (used.Add(t)) return t;
            }
        }
        var host = Token() + "." + canaryDomain.Trim('.').ToLowerInvariant();
        var path = Token() + Extra(random, extraPathLength);
        var query = queryScript == CanaryScript.Han ? NewHanToken(random) : Token();
        var title = Token();
        var url = $"https://{host}/{path}?q={Uri.EscapeDataString(query)}";
        var canaries = new[]
        {
            new Canary(CanaryKind.Url, url),
            new Canary(CanaryKind.Host, host),
            new Canary(CanaryKind.Path, path),
            new Canary(CanaryKind.Query, query),
            new Canary(CanaryKind.Title, title),
        };
        return new CanarySet(canaries, [host, .. searchEngineHosts ?? []]);
    }

    /// <summary>A random token, exposed so callers (and benches) can make extra canaries of the same shape.</summary>
    public static string NewToken(Random random)
    {
        Span<char> chars = stackalloc char[TokenPrefix.Length + RandomTokenLength];
        TokenPrefix.AsSpan().CopyTo(chars);
        for (var i = TokenPrefix.Length; i < chars.Length; i++) chars[i] = Base32Alphabet[random.Next(Base32Alphabet.Length)];
        return new string(chars);
    }

    private static string Extra(Random random, int length)
    {
        var chars = new char[length];
        for (var i = 0; i < length; i++) chars[i] = Base32Alphabet[random.Next(Base32Alphabet.Length)];
        return new string(chars);
    }

    /// <summary>A random Chinese search term: <see cref="HanTokenPrefix"/> + <see cref="RandomHanLength"/> ideographs.</summary>
    public static string NewHanToken(Random random)
    {
        ArgumentNullException.ThrowIfNull(random);
        Span<char> chars = stackalloc char[HanTokenPrefix.Length + RandomHanLength];
        HanTokenPrefix.AsSpan().CopyTo(chars);
        for (var i = HanTokenPrefix.Length; i < chars.Length; i++) chars[i] = (char)random.Next(FirstSafeHan, LastSafeHan + 1);
        return new string(chars);
    }

    /// <summary>The canaries file format: <c>{"canaries":[{"kind":"url","value":"…"}],"intended":["host",…]}</c>.</summary>
    public string ToJson()
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            w.WriteStartObject();
            w.WriteStartArray("canaries");
            foreach (var c in Canaries)
            {
                w.WriteStartObject();
                w.WriteString("kind", CanaryKindNames.ToName(c.Kind));
                w.WriteString("value", c.Value);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteStartArray("intended");
            foreach (var h in IntendedHosts) w.WriteStringValue(h);
            w.WriteEndArray();
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(stream.ToArray());
    }

    public static CanarySet FromJson(string json, string fileName = "<canaries>") => CanaryFileReader.Parse(Encoding.UTF8.GetBytes(json), fileName);
}
