namespace Harness.Leaks;

/// <summary>
/// Multi-pattern search over bytes, ASCII case-insensitive, compiled once into a dense DFA over byte classes.
/// Bytes that occur in no pattern share one class, so the table stays small even with thousands of patterns
/// and the inner loop is one table lookup per input byte whatever the number of patterns.
/// </summary>
public sealed class AhoCorasickMatcher
{
    private readonly byte[] _classOf = new byte[256];
    private readonly int _classCount;
    // Transitions hold the target's row offset (state * class count), with the sign bit set when the target
    // reports a match: one load, one AND and one sign test per input byte.
    private readonly int[] _delta;
    private readonly System.Buffers.SearchValues<byte>? _firstBytes;
    private readonly PatternStartFilter? _starts;
    private readonly int[] _outputStart;
    private readonly int[] _outputs;
    private readonly bool[] _hasOutput;
    private readonly int[] _patternLength;

    public AhoCorasickMatcher(IReadOnlyList<byte[]> patterns)
    {
        ArgumentNullException.ThrowIfNull(patterns);
        PatternCount = patterns.Count;
        _patternLength = patterns.Select(p => p.Length).ToArray();

        // Class 0 is "in no pattern"; every other distinct folded byte gets its own class.
        var classes = 1;
        var folded = new byte[256];
        for (var b = 0; b < 256; b++) folded[b] = Fold((byte)b);
        var seen = new int[256];
        foreach (var p in patterns)
        {
            if (p.Length == 0) throw new ArgumentException("Empty pattern.", nameof(patterns));
            foreach (var b in p)
            {
                var f = folded[b];
                if (seen[f] == 0) seen[f] = classes++;
            }
        }
        if (classes > 255) throw new ArgumentException("Too many distinct bytes in patterns.");
        for (var b = 0; b < 256; b++) _classOf[b] = (byte)seen[folded[b]];
        _classCount = classes;

        // Trie.
        var children = new List<int[]> { NewRow(classes) };
        var terminal = new List<List<int>?> { null };
        for (var i = 0; i < patterns.Count; i++)
        {
            var state = 0;
            foreach (var b in patterns[i])
            {
                var c = _classOf[b];
                var next = children[state][c];
                if (next <= 0)
                {
                    next = children.Count;
                    children[state][c] = next;
                    children.Add(NewRow(classes));
                    terminal.Add(null);
                }
                state = next;
            }
            (terminal[state] ??= []).Add(i);
        }

        // BFS: failure links turned into full transitions, outputs merged along failure chains.
        var stateCount = children.Count;
        _delta = new int[stateCount * classes];
        var fail = new int[stateCount];
        var outs = new List<int>[stateCount];
        var order = new Queue<int>();
        outs[0] = terminal[0] ?? [];
        for (var c = 0; c < classes; c++)
        {
            var s = children[0][c];
            if (s > 0)
            {
                fail[s] = 0;
                _delta[c] = s;
                order.Enqueue(s);
            }
            else _delta[c] = 0;
        }
        while (order.Count > 0)
        {
            var r = order.Dequeue();
            outs[r] = [.. terminal[r] ?? [], .. outs[fail[r]]];
            for (var c = 0; c < classes; c++)
            {
                var s = children[r][c];
                if (s > 0)
                {
                    fail[s] = _delta[fail[r] * classes + c];
                    _delta[r * classes + c] = s;
                    order.Enqueue(s);
                }
                else _delta[r * classes + c] = _delta[fail[r] * classes + c];
            }
        }
        _outputStart = new int[stateCount + 1];
        _hasOutput = new bool[stateCount];
        var flat = new List<int>();
        for (var s = 0; s < stateCount; s++)
        {
            _outputStart[s] = flat.Count;
            if (outs[s] is { Count: > 0 } o)
            {
                flat.AddRange(o);
                _hasOutput[s] = true;
            }
        }
        _outputStart[stateCount] = flat.Count;
        _outputs = [.. flat];
        StateCount = stateCount;
        for (var i = 0; i < _delta.Length; i++)
        {
            var target = _delta[i];
            _delta[i] = target * classes | (_hasOutput[target] ? int.MinValue : 0);
        }

        // From the root only a pattern's first byte leads anywhere, so the search can jump (vectorized) to the next
        // such byte. Worth it only when those bytes are few; canary tokens share their first bytes.
        var first = new HashSet<byte>();
        foreach (var p in patterns)
        {
            var lower = Fold(p[0]);
            first.Add(lower);
            first.Add(lower is >= (byte)'a' and <= (byte)'z' ? (byte)(lower - 32) : lower);
        }
        if (first.Count <= 8 && !_hasOutput[0]) _firstBytes = System.Buffers.SearchValues.Create([.. first]);
        // Better still, the first two bytes: "zq" and "ht" are rare together even where z and h are common.
        if (!_hasOutput[0]) _starts = PatternStartFilter.TryCreate(patterns);
    }

    public int PatternCount { get; }
    public int StateCount { get; }

    public int PatternLength(int pattern) => _patternLength[pattern];

    /// <summary>Appends (pattern index, start offset) of every occurrence, overlapping ones included.</summary>
    public void Search(ReadOnlySpan<byte> text, List<PatternHit> hits)
    {
        var delta = _delta;
        var classOf = _classOf;
        var firstBytes = _firstBytes;
        var starts = _starts;
        var row = 0;
        var i = 0;
        while (i < text.Length)
        {
            if (row == 0)
            {
                if (starts is not null)
                {
                    i = starts.Next(text, i);
                    if (i < 0) return;
                }
                else if (firstBytes is not null)
                {
                    var next = text[i..].IndexOfAny(firstBytes);
                    if (next < 0) return;
                    i += next;
                }
            }
            var entry = delta[row + classOf[text[i]]];
            row = entry & int.MaxValue;
            i++;
            if (entry < 0)
            {
                var state = row / _classCount;
                for (var k = _outputStart[state]; k < _outputStart[state + 1]; k++)
                {
                    var p = _outputs[k];
                    hits.Add(new PatternHit(p, i - _patternLength[p]));
                }
            }
        }
    }

    private static int[] NewRow(int classes) => new int[classes];

    private static byte Fold(byte b) => b is >= (byte)'A' and <= (byte)'Z' ? (byte)(b | 0x20) : b;
}
