using System.Globalization;
using System.IO.Compression;
using System.Text;
using System.Text.Json.Nodes;

namespace Harness.VirtualDevice.Telemetry;

/// <summary>
/// The Sensors Analytics Android SDK's upload encoding (2020): JSON array → gzip → base64 →
/// <c>crc=&lt;String.hashCode(data_list)&gt;&amp;gzip=1&amp;data_list=&lt;URLEncoder.encode(data_list)&gt;</c>. No I/O.
/// </summary>
public sealed class SensorsEncoder
{
    private readonly SensorsEncoderOptions _options;

    public SensorsEncoder(SensorsEncoderOptions? options = null)
    {
        _options = options ?? new SensorsEncoderOptions();
    }

    public SensorsPayload Encode(JsonArray events)
    {
        var json = AndroidJsonWriter.Write(events);
        var dataList = Convert.ToBase64String(Gzip(Encoding.UTF8.GetBytes(json)));
        var crc = JavaString.HashCode(dataList);
        var fields = _options.FieldOrder.Select(field => field switch
        {
            SensorsFormField.Crc => "crc=" + crc.ToString(CultureInfo.InvariantCulture),
            SensorsFormField.Gzip => "gzip=1",
            SensorsFormField.DataList => "data_list=" + JavaUrlEncoder.Encode(dataList),
            _ => throw new ArgumentOutOfRangeException(nameof(field), field, "unknown Sensors form field"),
        });
        return new SensorsPayload(json, dataList, crc, string.Join('&', fields));
    }

    private static byte[] Gzip(byte[] data)
    {
        using var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.Optimal, leaveOpen: true))
        {
            gzip.Write(data);
        }

        return output.ToArray();
    }
}
