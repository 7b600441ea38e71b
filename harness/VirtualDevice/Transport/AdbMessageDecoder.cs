using System.Buffers.Binary;

namespace Harness.VirtualDevice.Transport;

/// <summary>Sans-io decoder: feed it whatever the socket delivered, take out whole messages.</summary>
public sealed class AdbMessageDecoder(uint maxPayload = AdbCommand.MaxPayload)
{
    private byte[] _buffer = new byte[64 * 1024];
    private int _start;
    private int _end;

    public void Feed(ReadOnlySpan<byte> bytes)
    {
        if (_end + bytes.Length > _buffer.Length)
        {
            var live = _end - _start;
            var target = _buffer;
            if (live + bytes.Length > _buffer.Length) target = new byte[Math.Max(_buffer.Length * 2, live + bytes.Length)];
            Buffer.BlockCopy(_buffer, _start, target, 0, live);
            _buffer = target;
            _start = 0;
            _end = live;
        }
        bytes.CopyTo(_buffer.AsSpan(_end));
        _end += bytes.Length;
    }

    public bool TryRead(out AdbMessage message)
    {
        message = default;
        var available = _end - _start;
        if (available < AdbMessageCodec.HeaderSize) return false;
        var header = _buffer.AsSpan(_start, AdbMessageCodec.HeaderSize);
        var command = BinaryPrimitives.ReadUInt32LittleEndian(header);
        var arg0 = BinaryPrimitives.ReadUInt32LittleEndian(header[4..]);
        var arg1 = BinaryPrimitives.ReadUInt32LittleEndian(header[8..]);
        var length = BinaryPrimitives.ReadUInt32LittleEndian(header[12..]);
        var magic = BinaryPrimitives.ReadUInt32LittleEndian(header[20..]);
        if (magic != (command ^ 0xFFFFFFFF)) throw new AdbProtocolException($"bad magic 0x{magic:X8} for command 0x{command:X8}");
        if (length > maxPayload) throw new AdbProtocolException($"payload of {length} bytes exceeds the maximum {maxPayload}");
        if (available < AdbMessageCodec.HeaderSize + length) return false;
        var payload = _buffer.AsSpan(_start + AdbMessageCodec.HeaderSize, (int)length).ToArray();
        _start += AdbMessageCodec.HeaderSize + (int)length;
        if (_start == _end) _start = _end = 0;
        message = new AdbMessage(command, arg0, arg1, payload);
        return true;
    }
}
