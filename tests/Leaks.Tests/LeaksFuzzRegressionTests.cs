using System.Text;
using Harness.Core;
using Harness.Leaks;

namespace Harness.Leaks.Tests;

/// <summary>Crashes the `scan-decoders` and `canary-file` fuzz targets (tests/fuzz) found in the scanner and its inputs.</summary>
public sealed class LeaksFuzzRegressionTests
{
    [Test]
    public void EscapedJsonKeyWithInvalidUtf8_IsABrokenDocument_NotInvalidOperationException()
    {
        // Found by afl: GetString() on an escaped key holding a byte that is not UTF-8 threw out of the scanner.
        byte[] json = [.. "{\"a\\u0041"u8.ToArray(), 0xDE, .. "b\": \"x\"}"u8.ToArray()];
        var values = new List<JsonValueSlot>();
        Assert.That(JsonStringsDecoder.TryDecode(json, includeNumbers: false, values), Is.False);
    }

    [Test]
    public void CanariesFileWithInvalidUtf8_IsBadInputWithLine()
    {
        byte[] json = [.. "{\"canaries\":[\n{\"kind\":\"url\",\"value\":\"x"u8.ToArray(), 0x96, .. "\"}]}"u8.ToArray()];
        var e = Assert.Throws<BadInputException>(() => CanaryFileReader.Parse(json, "canaries.json"))!;
        Assert.That((e.File, e.Line, e.Field), Is.EqualTo(("canaries.json", 2, "(encoding)")));
    }

    [Test]
    public void CanaryWithLoneSurrogateEscape_IsBadInput()
    {
        var json = Encoding.UTF8.GetBytes("""{"canaries":[{"kind":"url","value":"x\ud800"}]}""");
        var e = Assert.Throws<BadInputException>(() => CanaryFileReader.Parse(json, "canaries.json"))!;
        Assert.That(e.File, Is.EqualTo("canaries.json"));
    }

    [Test]
    public void DestinationsFileWithInvalidUtf8_IsBadInput()
    {
        byte[] json = [.. "{\"vendor\": [\""u8.ToArray(), 0xFF, .. "\"]}"u8.ToArray()];
        var e = Assert.Throws<BadInputException>(() => DestinationClassifier.Parse(json, "destinations.json", []))!;
        Assert.That((e.Line, e.Field), Is.EqualTo((1, "(encoding)")));
    }

    [Test]
    public void DestinationsShapeError_NamesTheLine()
    {
        // Found by the bad-input tests (tests/Cli.Tests/Hardening): the line was missing.
        var e = Assert.Throws<BadInputException>(() => DestinationClassifier.Parse("{\n \"vendor\": [\"a\",\n 7]\n}"u8.ToArray(), "d.json", []))!;
        Assert.That((e.Line, e.Field), Is.EqualTo((3, "vendor[1]")));
    }
}
