using System.IO.Compression;
using System.Text;

namespace Harness.Leaks.Tests;

/// <summary>
/// A Sensors Analytics POST body built as the 2020 Android SDK builds it (docs/architecture.md, "What is known about the browsers"):
/// data_list = base64(gzip(JSON array)), crc = Java String.hashCode of data_list, form-encoded with + / = escaped.
/// </summary>
internal static class SensorsBody
{
    public static string Build(string eventsJsonArray)
    {
        var dataList = Convert.ToBase64String(Gzip(Encoding.UTF8.GetBytes(eventsJsonArray)));
        return $"crc={JavaHashCode(dataList)}&gzip=1&data_list={Uri.EscapeDataString(dataList)}";
    }

    public static byte[] Gzip(byte[] data)
    {
        var output = new MemoryStream();
        using (var gz = new GZipStream(output, CompressionLevel.Optimal)) gz.Write(data);
        return output.ToArray();
    }

    /// <summary>java.lang.String.hashCode: s[0]*31^(n-1) + … with int overflow.</summary>
    public static int JavaHashCode(string s)
    {
        var h = 0;
        unchecked
        {
            foreach (var c in s) h = 31 * h + c;
        }
        return h;
    }

    public static string Events(string url, string uuid = "3f2a9c1e-7b4d-4e2a-9f1c-2d3e4f5a6b7c", string deviceId = "a1b2c3d4e5f60718") =>
        $$$"""
        [{"_track_id":123456,"time":1588000000000,"type":"track","distinct_id":"{{{uuid}}}","event":"app_start","properties":{"$device_id":"{{{deviceId}}}","uuid":"{{{uuid}}}","$model":"Redmi Note 8"}},
         {"_track_id":223456,"time":1588000001000,"type":"track","distinct_id":"{{{uuid}}}","event":"page_load_event_start","properties":{"uuid":"{{{uuid}}}"}},
         {"_track_id":323456,"time":1588000002000,"type":"track","distinct_id":"{{{uuid}}}","event":"search","properties":{"search_word":"weather"}},
         {"_track_id":423456,"time":1588000003000,"type":"track","distinct_id":"{{{uuid}}}","event":"page_load_event_finish","properties":{"url":"{{{url.Replace("/", "\\/")}}}","$device_id":"{{{deviceId}}}"}}]
        """;
}
