using System.Text;
using System.Text.Json.Nodes;
using Harness.Flows;
using Harness.VirtualDevice.Tests.Telemetry;

namespace Harness.VirtualDevice.Tests.Browsers;

/// <summary>The Sensors Analytics uploads among captured flows, decoded step by step (percent, base64, gzip, JSON) and crc-checked.</summary>
internal sealed class SensorsCapture
{
    private SensorsCapture(IReadOnlyList<Flow> uploads, IReadOnlyList<JsonObject> events)
    {
        Uploads = uploads;
        Events = events;
    }

    public IReadOnlyList<Flow> Uploads { get; }
    public IReadOnlyList<JsonObject> Events { get; }

    public static bool IsUpload(Flow flow, string host) =>
        flow.Method == "POST" && flow.Host == host && flow.Url is { } url && new Uri(url).AbsolutePath == "/sa";

    public static SensorsCapture From(IEnumerable<Flow> flows, string host)
    {
        var uploads = flows.Where(f => IsUpload(f, host)).ToList();
        var events = new List<JsonObject>();
        foreach (var upload in uploads)
        {
            var body = Encoding.ASCII.GetString(upload.RequestBody!.Content);
            var dataList = SensorsWireFormat.PercentDecode(SensorsWireFormat.Field(body, "data_list"));
            Assert.That(dataList, Does.StartWith("H4sI"), "data_list is base64 of gzip");
            Assert.That(SensorsWireFormat.Field(body, "gzip"), Is.EqualTo("1"));
            Assert.That(int.Parse(SensorsWireFormat.Field(body, "crc"), System.Globalization.CultureInfo.InvariantCulture), Is.EqualTo(JavaHashCode(dataList)),
                "crc is Java's String.hashCode of data_list");
            events.AddRange(SensorsWireFormat.DecodeDataList(dataList).Select(e => e!.AsObject()));
        }
        return new SensorsCapture(uploads, events);
    }

    public IEnumerable<JsonObject> Named(string eventName) => Events.Where(e => (string?)e["event"] == eventName);

    public bool Has(string eventName, string property, string value) => Named(eventName).Any(e => (string?)e["properties"]![property] == value);

    /// <summary>Every decoded event as text: whether a value went out at all, in any field.</summary>
    public bool Mentions(string value) => Events.Any(e => e.ToJsonString().Contains(value, StringComparison.Ordinal));

    /// <summary>Java's String.hashCode over UTF-16 code units, 32-bit wrap-around.</summary>
    public static int JavaHashCode(string text)
    {
        var hash = 0;
        foreach (var c in text) hash = unchecked(31 * hash + c);
        return hash;
    }
}
