using System.Globalization;
using System.Text.Json.Nodes;
using Harness.VirtualDevice.Telemetry;

namespace Harness.VirtualDevice.Tests.Telemetry;

[TestFixture]
public sealed class SensorsEncoderTests
{
    private static JsonArray Events(int count) =>
        new(Enumerable.Range(0, count).Select(i => (JsonNode)new JsonObject
        {
            ["_track_id"] = -1_234_567 + i,
            ["event"] = "page_load_event_start",
            ["properties"] = new JsonObject { ["url"] = $"https://canary.example/secret/{i}?q=näive+term" },
        }).ToArray());

    [Test]
    public void Body_decodes_back_to_the_events_and_crc_is_the_java_hash_of_data_list()
    {
        var events = Events(30);

        var payload = new SensorsEncoder().Encode(events);

        var body = payload.FormBody;
        var dataList = SensorsWireFormat.PercentDecode(SensorsWireFormat.Field(body, "data_list"));
        Assert.Multiple(() =>
        {
            Assert.That(body, Does.StartWith("crc="));
            Assert.That(SensorsWireFormat.Field(body, "gzip"), Is.EqualTo("1"));
            Assert.That(dataList, Does.StartWith("H4sI"));
            Assert.That(dataList, Does.Not.Contain("\n"));
            Assert.That(dataList.Length % 4, Is.Zero, "padded base64");
            Assert.That(dataList, Is.EqualTo(payload.DataList));
            Assert.That(SensorsWireFormat.Field(body, "crc"), Is.EqualTo(JavaString.HashCode(dataList).ToString(CultureInfo.InvariantCulture)));
            Assert.That(JsonNode.DeepEquals(SensorsWireFormat.DecodeDataList(dataList), events), Is.True);
        });
    }

    [Test]
    public void An_encrypted_upload_is_marked_gzip_9_hides_the_events_and_its_size_follows_them()
    {
        var encoder = new SensorsEncoder(new SensorsEncoderOptions { Encrypted = true });
        var small = encoder.Encode(Events(10));
        var large = encoder.Encode(Events(40));

        var dataList = SensorsWireFormat.PercentDecode(SensorsWireFormat.Field(small.FormBody, "data_list"));
        var batch = JsonNode.Parse(Convert.FromBase64String(dataList))!.AsObject();
        Assert.Multiple(() =>
        {
            Assert.That(SensorsWireFormat.Field(small.FormBody, "gzip"), Is.EqualTo("9"));
            Assert.That(SensorsWireFormat.Field(small.FormBody, "crc"), Is.EqualTo(JavaString.HashCode(dataList).ToString(CultureInfo.InvariantCulture)));
            Assert.That(batch.Select(p => p.Key), Is.EqualTo(new[] { "ekey", "pkv", "payloads" }));
            Assert.That(Convert.FromBase64String((string)batch["ekey"]!), Has.Length.EqualTo(256), "an RSA-2048 block");
            Assert.That(small.FormBody, Does.Not.Contain("canary").And.Not.Contain("H4sI"));
            // Compressed before it is encrypted: more events, a larger ciphertext; the same events, another one each time.
            Assert.That(large.DataList.Length, Is.GreaterThan(small.DataList.Length));
            Assert.That(encoder.Encode(Events(10)).DataList, Is.Not.EqualTo(small.DataList));
        });
    }

    [Test]
    public void Base64_specials_travel_percent_encoded()
    {
        // Enough varied events that the base64 text surely contains '+' and '/'.
        var payload = new SensorsEncoder().Encode(Events(200));

        var encoded = SensorsWireFormat.Field(payload.FormBody, "data_list");

        Assert.That(payload.DataList, Does.Contain("+").And.Contain("/"));
        Assert.That(encoded, Does.Not.Contain("+").And.Not.Contain("/").And.Not.Contain("="));
        Assert.That(encoded, Does.Contain("%2B").And.Contain("%2F"));
        Assert.That(encoded.Replace("%2B", "+").Replace("%2F", "/").Replace("%3D", "="), Is.EqualTo(payload.DataList));
    }

    [Test]
    public void Negative_crc_is_sent_as_signed_decimal()
    {
        // Find a payload whose hash is negative; about half are.
        var payload = Enumerable.Range(1, 50).Select(n => new SensorsEncoder().Encode(Events(n))).First(p => p.Crc < 0);

        Assert.That(SensorsWireFormat.Field(payload.FormBody, "crc"), Does.Match("^-[0-9]+$"));
    }

    [Test]
    public void Field_order_is_configurable()
    {
        var encoder = new SensorsEncoder(new SensorsEncoderOptions
        {
            FieldOrder = [SensorsFormField.DataList, SensorsFormField.Gzip, SensorsFormField.Crc],
        });

        var payload = encoder.Encode(Events(2));

        Assert.That(payload.FormBody, Does.StartWith("data_list=H4sI"));
        Assert.That(payload.FormBody, Does.Contain("&gzip=1&crc="));
        Assert.That(payload.FormBody, Does.EndWith("&crc=" + payload.Crc.ToString(CultureInfo.InvariantCulture)));
    }
}
