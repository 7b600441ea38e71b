using System.Buffers;

namespace Harness.Leaks;

/// <summary>
/// Decoder output in a pooled array: decoded payloads live only while the walker is inside them (visitors copy what
/// they keep into excerpts and strings), so their buffers go back to the pool instead of feeding the GC.
/// </summary>
internal struct RentedBytes
{
    private byte[]? _array;

    public RentedBytes(int capacity) => _array = ArrayPool<byte>.Shared.Rent(Math.Max(capacity, 16));

    public int Length { get; set; }

    public readonly byte[] Array => _array ?? throw new InvalidOperationException("Buffer already returned.");

    public readonly ReadOnlyMemory<byte> Memory => Array.AsMemory(0, Length);

    public readonly Span<byte> Free => Array.AsSpan(Length);

    public static RentedBytes CopyOf(ReadOnlySpan<byte> bytes)
    {
        var copy = new RentedBytes(bytes.Length);
        copy.Append(bytes);
        return copy;
    }

    /// <summary>Grows to at least <paramref name="capacity"/>, keeping the first <see cref="Length"/> bytes.</summary>
    public void Grow(int capacity)
    {
        var bigger = ArrayPool<byte>.Shared.Rent(capacity);
        Array.AsSpan(0, Length).CopyTo(bigger);
        ArrayPool<byte>.Shared.Return(Array);
        _array = bigger;
    }

    public void Append(ReadOnlySpan<byte> bytes)
    {
        if (Length + bytes.Length > Array.Length) Grow(Math.Max(Array.Length * 2, Length + bytes.Length));
        bytes.CopyTo(Array.AsSpan(Length));
        Length += bytes.Length;
    }

    public void Append(byte b)
    {
        if (Length == Array.Length) Grow(Array.Length * 2);
        Array[Length++] = b;
    }

    public void Return()
    {
        if (_array is not null) ArrayPool<byte>.Shared.Return(_array);
        _array = null;
        Length = 0;
    }
}
