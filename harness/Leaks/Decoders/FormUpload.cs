namespace Harness.Leaks;

/// <summary>
/// A form read by an <see cref="IFormFieldsDecoder"/>: the label of its step (what it is, integrity checks), the
/// fields it consumed, and either its decoded content split into labelled parts or why it cannot be read.
/// The content lives in a pooled buffer until <see cref="Dispose"/>.
/// </summary>
public sealed class FormUpload : IDisposable
{
    private RentedBytes _content;
    private readonly List<(string Label, int Start, int Length)> _parts = [];
    private SpanSplitter? _splitter;

    /// <summary>Finds the parts of the content (adds them with <see cref="AddPart"/>); run once, when parts are first asked for.</summary>
    internal delegate void SpanSplitter(ReadOnlySpan<byte> content, FormUpload upload);

    internal FormUpload(string label, IReadOnlyCollection<string> consumed, RentedBytes content)
    {
        Label = label;
        ConsumedFields = consumed;
        _content = content;
    }

    public string Label { get; }

    /// <summary>The encodings undone to reach the content (base64, gzip), as steps of its location and decode chain.</summary>
    public IReadOnlyList<DecodeStep> Encodings { get; init; } = [];

    /// <summary>What a part is, as the decoder name of its step (<c>sensors-event</c>).</summary>
    public string PartKind { get; init; } = "part";

    public IReadOnlyCollection<string> ConsumedFields { get; }

    /// <summary>Why the upload cannot be read (encrypted), or null when it was.</summary>
    public string? UnreadableReason { get; init; }

    /// <summary>The size of what could not be read.</summary>
    public long UnreadableSize { get; init; }

    /// <summary>The decoded content, whole (walked as one payload when it has no parts).</summary>
    public ReadOnlyMemory<byte> Content => _content.Length == 0 ? default : _content.Memory;

    public IEnumerable<(string Label, ReadOnlyMemory<byte> Data)> Parts
    {
        get
        {
            Split();
            foreach (var (label, start, length) in _parts) yield return (label, Content.Slice(start, length));
        }
    }

    public int PartCount
    {
        get
        {
            Split();
            return _parts.Count;
        }
    }

    /// <summary>Parts are found only when asked for: a walk that rules the whole content out never needs them.</summary>
    internal SpanSplitter? Splitter
    {
        init => _splitter = value;
    }

    private void Split()
    {
        if (_splitter is not { } splitter) return;
        _splitter = null;
        splitter(Content.Span, this);
    }

    internal void AddPart(string label, int start, int length) => _parts.Add((label, start, length));

    public void Dispose()
    {
        _content.Return();
    }
}
