using System.Text.Json.Nodes;
using Harness.VirtualDevice.Telemetry;

namespace Harness.VirtualDevice.Tests.Telemetry;

[TestFixture]
public sealed class JavaCompatibilityTests
{
    // Values printed by Java's "...".hashCode().
    [TestCase("", 0)]
    [TestCase("a", 97)]
    [TestCase("hello", 99162322)]
    [TestCase("Hello World", -862545276)]
    [TestCase("polygenelubricants", int.MinValue)]
    public void String_hash_code_matches_java(string value, int expected)
    {
        Assert.That(JavaString.HashCode(value), Is.EqualTo(expected));
    }

    [Test]
    public void Url_encoder_matches_java_url_encoder()
    {
        Assert.That(JavaUrlEncoder.Encode("H4sI+/a= b*c.d-e_f~g"), Is.EqualTo("H4sI%2B%2Fa%3D+b*c.d-e_f%7Eg"));
        Assert.That(JavaUrlEncoder.Encode("é"), Is.EqualTo("%C3%A9"));
    }

    [Test]
    public void Json_is_written_like_android_org_json()
    {
        var json = new JsonObject
        {
            ["url"] = "https://example.org/a?b=\"c\"",
            ["n"] = 1590000000123L,
            ["ok"] = true,
            ["word"] = "café\n",
            ["none"] = null,
            ["list"] = new JsonArray(1, "x"),
        };

        Assert.That(
            AndroidJsonWriter.Write(json),
            Is.EqualTo("{\"url\":\"https:\\/\\/example.org\\/a?b=\\\"c\\\"\",\"n\":1590000000123,\"ok\":true,\"word\":\"café\\n\",\"none\":null,\"list\":[1,\"x\"]}"));
    }
}
