using System.Security.Cryptography;
using System.Text;

namespace Harness.Leaks;

/// <summary>
/// Every searchable form of every canary, built once per canary set so the search cost does not grow with the number
/// of canaries: the canaries and their surviving encodings go into one Aho–Corasick matcher; digests (MD5, SHA-1,
/// SHA-256 as hex or base64) are random strings that would fill the matcher's first levels for every byte, so they are
/// looked up instead, as whole hex and base64 runs of a digest's length, in a hash table.
/// </summary>
public sealed class CanaryPatternSet
{
    private static readonly int[] DigestHexLengths = [32, 40, 64];
    private static readonly int[] DigestBase64Lengths = [22, 27, 43];

    private readonly int[] _matcherToPattern;
    // Digest forms by length and first eight bytes (hex folded to lower case): a run is looked up without making a
    // string of it, and confirmed byte for byte against the few forms that share its key.
    private readonly Dictionary<(int Length, ulong Prefix), List<int>> _digestForms = [];

    public CanaryPatternSet(IEnumerable<Canary> canaries)
    {
        var patterns = new List<CanaryPattern>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var matcherPatterns = new List<int>();
        void Add(CanaryPattern p)
        {
            if (!seen.Add((p.CaseSensitive ? "s:" : "i:") + Encoding.Latin1.GetString(p.Bytes))) return;
            patterns.Add(p);
            if (p.Hash is null) matcherPatterns.Add(patterns.Count - 1);
            else
            {
                var key = (p.Bytes.Length, DigestPrefix(p.Bytes, fold: !p.CaseSensitive));
                if (!_digestForms.TryGetValue(key, out var forms)) _digestForms[key] = forms = [];
                forms.Add(patterns.Count - 1);
            }
        }
        foreach (var canary in canaries)
        {
            var value = Encoding.UTF8.GetBytes(canary.Value);
            Add(new CanaryPattern(canary, "plain", value, false));
            var escaped = Uri.EscapeDataString(canary.Value);
            if (escaped != canary.Value) Add(new CanaryPattern(canary, "percent-encoded", Encoding.ASCII.GetBytes(escaped), false));
            if (canary.Value.Contains(' '))
            {
                // A form or query value writes a space as '+'; a URL carried as a value of another (a Referer header, a
                // "$url" in JSON, a redirect parameter) keeps that '+' after its own layer of encoding is undone.
                Add(new CanaryPattern(canary, "plus-spaced", Encoding.UTF8.GetBytes(canary.Value.Replace(' ', '+')), false));
                Add(new CanaryPattern(canary, "form-encoded", Encoding.ASCII.GetBytes(escaped.Replace("%20", "+")), false));
            }
            if (canary.Value.Any(c => c > 0x7E))
            {
                // A JSON writer that escapes non-ASCII (Java's org.json with ensure-ASCII settings, Gson's HTML-safe mode,
                // System.Text.Json by default) writes each UTF-16 unit as \uXXXX; the matcher folds case, so \u4E2D and
                // \u4e2d both match. Percent-encoding in lower-case hex (%e4%b8%ad) is found the same way.
                Add(new CanaryPattern(canary, "json-unicode-escaped", Encoding.ASCII.GetBytes(JsonUnicodeEscape(canary.Value)), false));
            }
            if (canary.Value.Contains('/'))
                Add(new CanaryPattern(canary, "json-escaped", Encoding.UTF8.GetBytes(canary.Value.Replace("/", "\\/")), false));
            foreach (var (name, digest) in Digests(value))
            {
                var b64 = Convert.ToBase64String(digest).TrimEnd('=');
                Add(new CanaryPattern(canary, name + " hex", Encoding.ASCII.GetBytes(Convert.ToHexStringLower(digest)), false) { Hash = name });
                Add(new CanaryPattern(canary, name + " base64", Encoding.ASCII.GetBytes(b64), true) { Hash = name });
                Add(new CanaryPattern(canary, name + " base64url", Encoding.ASCII.GetBytes(b64.Replace('+', '-').Replace('/', '_')), true) { Hash = name });
            }
        }
        Patterns = patterns;
        _matcherToPattern = [.. matcherPatterns];
        Matcher = new AhoCorasickMatcher(matcherPatterns.Select(i => patterns[i].Bytes).ToList());
        MinLength = patterns.Min(p => p.Bytes.Length);
    }

    public IReadOnlyList<CanaryPattern> Patterns { get; }
    public AhoCorasickMatcher Matcher { get; }
    public int MinLength { get; }

    /// <summary>Matches in <paramref name="text"/>; <see cref="PatternHit.Pattern"/> indexes <see cref="Patterns"/>.</summary>
    /// <param name="alphabetRuns">Runs of base64 alphabet of 16+ bytes in <paramref name="text"/> when the caller has them.</param>
    public void Find(ReadOnlySpan<byte> text, List<PatternHit> hits, IReadOnlyList<EncodedRun>? alphabetRuns = null)
    {
        var before = hits.Count;
        Matcher.Search(text, hits);
        for (var i = before; i < hits.Count; i++) hits[i] = hits[i] with { Pattern = _matcherToPattern[hits[i].Pattern] };
        if (alphabetRuns is null)
        {
            FindDigests(text, hits);
            return;
        }
        foreach (var run in alphabetRuns)
            if (run.Length >= DigestBase64Lengths[0]) LookUp(text.Slice(run.Start, run.Length), run.Start, hits);
    }

    private void FindDigests(ReadOnlySpan<byte> text, List<PatternHit> hits)
    {
        var runs = new List<EncodedRun>();
        Base64Decoder.FindAlphabetRuns(text, DigestBase64Lengths[0], runs);
        foreach (var run in runs) LookUp(text.Slice(run.Start, run.Length), run.Start, hits);
    }

    /// <summary>A digest fills its run: a hex run of exactly a digest's length, or a base64 run of one (padding aside).</summary>
    private void LookUp(ReadOnlySpan<byte> run, int at, List<PatternHit> hits)
    {
        if (Array.IndexOf(DigestHexLengths, run.Length) >= 0 && run.IndexOfAnyExcept(HexDigits) < 0
            && _digestForms.TryGetValue((run.Length, DigestPrefix(run, fold: true)), out var hexForms))
        {
            foreach (var form in hexForms)
                if (!Patterns[form].CaseSensitive && System.Text.Ascii.EqualsIgnoreCase(run, Patterns[form].Bytes)) hits.Add(new PatternHit(form, at));
        }
        if (Array.IndexOf(DigestBase64Lengths, run.Length) >= 0 && _digestForms.TryGetValue((run.Length, DigestPrefix(run, fold: false)), out var base64Forms))
        {
            foreach (var form in base64Forms)
                if (Patterns[form].CaseSensitive && run.SequenceEqual(Patterns[form].Bytes)) hits.Add(new PatternHit(form, at));
        }
    }

    /// <summary>The first eight bytes as a number; <paramref name="fold"/> lower-cases hex letters (digits keep their value).</summary>
    private static ulong DigestPrefix(ReadOnlySpan<byte> form, bool fold)
    {
        var prefix = System.Buffers.Binary.BinaryPrimitives.ReadUInt64LittleEndian(form);
        return fold ? prefix | 0x2020202020202020UL : prefix;
    }

    private static readonly System.Buffers.SearchValues<byte> HexDigits = System.Buffers.SearchValues.Create("0123456789abcdefABCDEF"u8);

    private static string JsonUnicodeEscape(string value) =>
        string.Concat(value.Select(c => c > 0x7E ? $"\\u{(int)c:x4}" : c.ToString()));

    private static IEnumerable<(string Name, byte[] Digest)> Digests(byte[] value)
    {
        yield return ("md5", MD5.HashData(value));
        yield return ("sha1", SHA1.HashData(value));
        yield return ("sha256", SHA256.HashData(value));
    }
}
