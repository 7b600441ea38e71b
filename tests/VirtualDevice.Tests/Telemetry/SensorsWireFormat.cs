using System.IO.Compression;
using System.Text;
using System.Text.Json.Nodes;

namespace Harness.VirtualDevice.Tests.Telemetry;

/// <summary>Decodes a Sensors Analytics POST body the way an analyst would: by field name, step by step.</summary>
internal static class SensorsWireFormat
{
    public static string Field(string formBody, string name)
    {
        var pair = formBody.Split('&').SingleOrDefault(p => p.StartsWith(name + "=", StringComparison.Ordinal))
            ?? throw new AssertionException($"field '{name}' missing from '{formBody}'");
        return pair[(name.Length + 1)..];
    }

    public static string PercentDecode(string value) => Uri.UnescapeDataString(value.Replace('+', ' '));

    public static JsonArray DecodeDataList(string dataList)
    {
        var compressed = Convert.FromBase64String(dataList);
        using var gunzip = new GZipStream(new MemoryStream(compressed), CompressionMode.Decompress);
        using var json = new MemoryStream();
        gunzip.CopyTo(json);
        return JsonNode.Parse(Encoding.UTF8.GetString(json.ToArray()))!.AsArray();
    }

    public static JsonArray DecodeBody(string formBody) => DecodeDataList(PercentDecode(Field(formBody, "data_list")));
}
