using System.Globalization;
using System.Text;

namespace Harness.VirtualDevice.Network.Http;

/// <summary>Renders an HTTP/1.1 request to bytes (no I/O). Adds Host first and Content-Length when missing.</summary>
public static class Http1RequestSerializer
{
    public static byte[] Serialize(
        string method,
        string target,
        string hostHeader,
        IEnumerable<KeyValuePair<string, string>> headers,
        ReadOnlySpan<byte> body,
        bool hasBody)
    {
        var headerList = headers.ToList();
        var text = new StringBuilder();
        text.Append(method).Append(' ').Append(target).Append(" HTTP/1.1\r\n");
        if (!headerList.Any(h => h.Key.Equals("Host", StringComparison.OrdinalIgnoreCase)))
        {
            text.Append("Host: ").Append(hostHeader).Append("\r\n");
        }

        foreach (var (name, value) in headerList)
        {
            if (name.Contains('\r') || name.Contains('\n') || value.Contains('\r') || value.Contains('\n'))
            {
                throw new ArgumentException($"header '{name}' contains a line break", nameof(headers));
            }

            text.Append(name).Append(": ").Append(value).Append("\r\n");
        }

        if (hasBody && !headerList.Any(h => h.Key.Equals("Content-Length", StringComparison.OrdinalIgnoreCase)))
        {
            text.Append("Content-Length: ").Append(body.Length.ToString(CultureInfo.InvariantCulture)).Append("\r\n");
        }

        text.Append("\r\n");
        var head = Encoding.Latin1.GetBytes(text.ToString());
        var bytes = new byte[head.Length + body.Length];
        head.CopyTo(bytes, 0);
        body.CopyTo(bytes.AsSpan(head.Length));
        return bytes;
    }
}
