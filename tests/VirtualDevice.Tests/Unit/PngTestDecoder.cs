using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;
using Harness.VirtualDevice.Ui;

namespace Harness.VirtualDevice.Tests.Unit;

/// <summary>Independent PNG reader for tests: checks signature, chunk CRCs, IHDR, and that IDAT inflates to the right size.</summary>
internal static class PngTestDecoder
{
    public static (int Width, int Height, byte[] Raw) Decode(byte[] png)
    {
        if (!png.AsSpan(0, 8).SequenceEqual(new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A })) throw new InvalidDataException("bad signature");
        var offset = 8;
        int width = 0, height = 0;
        using var idat = new MemoryStream();
        var sawEnd = false;
        while (offset < png.Length)
        {
            var length = BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(offset));
            var type = Encoding.ASCII.GetString(png, offset + 4, 4);
            var data = png.AsSpan(offset + 8, length);
            var crc = BinaryPrimitives.ReadUInt32BigEndian(png.AsSpan(offset + 8 + length));
            if (crc != Crc32.Compute(png.AsSpan(offset + 4, 4 + length))) throw new InvalidDataException($"bad CRC in {type}");
            if (type == "IHDR") { width = BinaryPrimitives.ReadInt32BigEndian(data); height = BinaryPrimitives.ReadInt32BigEndian(data[4..]); }
            if (type == "IDAT") idat.Write(data);
            if (type == "IEND") { sawEnd = true; break; }
            offset += 12 + length;
        }
        if (!sawEnd) throw new InvalidDataException("no IEND");
        idat.Position = 0;
        using var inflated = new MemoryStream();
        using (var z = new ZLibStream(idat, CompressionMode.Decompress)) z.CopyTo(inflated);
        if (inflated.Length != (long)(width * 3 + 1) * height) throw new InvalidDataException($"IDAT inflates to {inflated.Length} bytes, expected {(width * 3 + 1) * height}");
        return (width, height, inflated.ToArray());
    }
}
