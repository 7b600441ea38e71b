namespace Harness.Leaks;

/// <summary>
/// A JSON value and where it sits. The JSONPath is joined only when asked for: most values of a large document are
/// never reported, and building every path would cost more than scanning them.
/// </summary>
public readonly record struct JsonValueSlot(string ContainerPath, string? Segment, ReadOnlyMemory<byte> Value, bool Escaped)
{
    public string Path => Segment is null ? ContainerPath : ContainerPath + Segment;
}
