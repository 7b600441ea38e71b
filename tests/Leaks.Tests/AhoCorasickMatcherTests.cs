using System.Text;

namespace Harness.Leaks.Tests;

public sealed class AhoCorasickMatcherTests
{
    [Test]
    public void Finds_overlapping_and_nested_patterns_case_insensitively()
    {
        var m = new AhoCorasickMatcher(new[] { "he", "she", "his", "hers" }.Select(Encoding.ASCII.GetBytes).ToList());
        var hits = new List<PatternHit>();
        m.Search("uSHErs his"u8, hits);
        Assert.That(hits.Select(h => (h.Pattern, h.Start)), Is.EquivalentTo(new[] { (1, 1), (0, 2), (3, 2), (2, 7) }));
    }

    [Test]
    public void Agrees_with_naive_search_on_random_input()
    {
        var random = new Random(3);
        var patterns = Enumerable.Range(0, 200).Select(_ => RandomBytes(random, 2 + random.Next(6), "abcAB%")).ToList();
        var m = new AhoCorasickMatcher(patterns);
        var text = RandomBytes(random, 5000, "abcAB%xy");
        var hits = new List<PatternHit>();
        m.Search(text, hits);
        var expected = new List<(int, int)>();
        var folded = Encoding.ASCII.GetString(text).ToLowerInvariant();
        for (var p = 0; p < patterns.Count; p++)
        {
            var pattern = Encoding.ASCII.GetString(patterns[p]).ToLowerInvariant();
            for (var i = folded.IndexOf(pattern, StringComparison.Ordinal); i >= 0; i = folded.IndexOf(pattern, i + 1, StringComparison.Ordinal)) expected.Add((p, i));
        }
        Assert.That(hits.Select(h => (h.Pattern, h.Start)), Is.EquivalentTo(expected));
    }

    private static byte[] RandomBytes(Random random, int length, string alphabet) =>
        Enumerable.Range(0, length).Select(_ => (byte)alphabet[random.Next(alphabet.Length)]).ToArray();
}
