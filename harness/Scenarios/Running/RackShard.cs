using System.Globalization;
using Harness.Core;

namespace Harness.Scenarios;

/// <summary>
/// Shard K of N (`--shard K/N`, run.ps1 -Shard, HARNESS_SHARD): one host's part of a rack spread over several hosts or
/// CI jobs. With at least N phones it takes the K-th contiguous slice of the phones; with fewer (one phone, say) every
/// phone runs the K-th slice of its own planned cases. `harness merge` puts the shards' outputs back together.
/// </summary>
public sealed record RackShard(int Index, int Count)
{
    public static RackShard Parse(string text, string field = "--shard")
    {
        var parts = text.Split('/');
        if (parts.Length != 2
            || !int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var index)
            || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var count)
            || count < 1 || index < 1 || index > count)
            throw new BadInputException($"\"{text}\" is not a shard: expected K/N with 1 ≤ K ≤ N, e.g. 1/2", field: field);
        return new RackShard(index, count);
    }

    /// <summary>The K-th of N contiguous, nearly equal slices of <paramref name="items"/> (in their order).</summary>
    public IReadOnlyList<T> Slice<T>(IReadOnlyList<T> items)
    {
        ArgumentNullException.ThrowIfNull(items);
        var from = (Index - 1) * items.Count / Count;
        var to = Index * items.Count / Count;
        return items.Skip(from).Take(to - from).ToList();
    }

    public override string ToString() => $"{Index}/{Count}";
}
