using System.Text;
using Harness.Core;
using Harness.Flows;

namespace Harness.Proxy.Tests.Har;

/// <summary>Crashes the `har` fuzz target (tests/fuzz) found in HarReader, each now a clear BadInputException.</summary>
public sealed class HarReaderFuzzRegressionTests
{
    private static BadInputException Refuse(byte[] har) =>
        Assert.Throws<BadInputException>(() => HarReader.Read(new MemoryStream(har), "fuzz.har"))!;

    [Test]
    public void InvalidUtf8InAString_IsBadInputWithLine_NotInvalidOperationException()
    {
        // Found by afl: JsonDocument accepts the bytes, then GetString() threw "Cannot transcode invalid UTF-8".
        var head = Encoding.UTF8.GetBytes("{\"log\":{\"entries\":[\n{\"startedDateTime\":\"");
        byte[] har = [.. head, 0xFF, 0xB1, .. Encoding.UTF8.GetBytes("\"}]}}")];
        var e = Refuse(har);
        Assert.That((e.File, e.Line, e.Field), Is.EqualTo(("fuzz.har", 2, "(encoding)")));
    }

    [Test]
    public void LoneSurrogateEscape_IsBadInputNamingTheEntry()
    {
        var har = Encoding.UTF8.GetBytes("""
            {"log":{"entries":[{"startedDateTime":"2026-11-25T04:00:00Z",
             "request":{"method":"GET","url":"http://a.example/\ud800","httpVersion":"HTTP/1.1","headers":[]},
             "response":{"status":200,"statusText":"OK","httpVersion":"HTTP/1.1","headers":[],"content":{"size":0,"mimeType":"text/plain"}}}]}}
            """);
        var e = Refuse(har);
        Assert.That(e.Field, Does.StartWith("log.entries[0]"));
        Assert.That(e.Line, Is.Not.Null);
    }

    [Test]
    public void ShapeError_NamesTheLine()
    {
        // Found by the bad-input tests: shape errors named the field but no line.
        var e = Refuse(Encoding.UTF8.GetBytes("{\n \"log\": {\n  \"entries\": 5\n }\n}"));
        Assert.That((e.Line, e.Field), Is.EqualTo((3, "log.entries")));
    }

    [Test]
    public void SyntaxError_NamesTheJsonField()
    {
        var e = Refuse(Encoding.UTF8.GetBytes("{\"log\": {"));
        Assert.That((e.Line, e.Field), Is.EqualTo((1, "(json)")));
    }
}
