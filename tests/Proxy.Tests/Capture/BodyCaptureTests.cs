using Harness.Proxy.Capture;

namespace Harness.Proxy.Tests.Capture;

public sealed class BodyCaptureTests
{
    private static byte[] Bytes(int n) => Enumerable.Range(0, n).Select(i => (byte)(i * 7)).ToArray();

    [TestCase(true)]
    [TestCase(false)]
    public void KeepsEveryByte_UnderTheLimit(bool announced)
    {
        var data = Bytes(70_000);
        var capture = new BodyCapture(1 << 20);
        if (announced) capture.ExpectSize(data.Length);
        foreach (var piece in data.Chunk(16_384)) capture.Append(piece);
        var body = capture.ToFlowBody(null, "application/octet-stream");
        Assert.That(body.Raw, Is.EqualTo(data));
        Assert.That(body.Size, Is.EqualTo(data.Length));
        Assert.That(body.Truncated, Is.False);
    }

    [TestCase(true)]
    [TestCase(false)]
    public void CutsAtTheLimit_AndRecordsTheTrueSize(bool announced)
    {
        var data = Bytes(50_000);
        var capture = new BodyCapture(12_345);
        if (announced) capture.ExpectSize(data.Length);
        foreach (var piece in data.Chunk(4_000)) capture.Append(piece);
        var body = capture.ToFlowBody(null, null);
        Assert.That(body.Raw, Is.EqualTo(data[..12_345]));
        Assert.That(body.Size, Is.EqualTo(50_000));
        Assert.That(body.Truncated, Is.True);
    }

    [Test]
    public void AnnouncedSizeLargerThanWhatCame_KeepsOnlyWhatCame()
    {
        // A client that announces 1 MB and aborts after 10 bytes: the flow shows the 10 bytes, not a padded array.
        var capture = new BodyCapture(1 << 20);
        capture.ExpectSize(1_000_000);
        capture.Append(Bytes(10));
        var body = capture.ToFlowBody(null, null);
        Assert.That(body.Raw, Is.EqualTo(Bytes(10)));
        Assert.That(body.Size, Is.EqualTo(10));
    }

    [Test]
    public void AnnouncedSizeSmallerThanWhatCame_GrowsAndKeepsEveryByteInOrder()
    {
        // The kept array is allocated without zeroing: growing past the announced size must carry the old bytes over.
        var data = Bytes(70_000);
        var capture = new BodyCapture(1 << 20);
        capture.ExpectSize(1000);
        for (var at = 0; at < data.Length; at += 7000) capture.Append(data.AsSpan(at, Math.Min(7000, data.Length - at)));
        var body = capture.ToFlowBody(null, null);
        Assert.That(body.Raw, Is.EqualTo(data));
        Assert.That(body.Size, Is.EqualTo(data.Length));
    }

    [Test]
    public void ZeroLimit_KeepsNothingButCounts()
    {
        var capture = new BodyCapture(0);
        capture.ExpectSize(100);
        capture.Append(Bytes(100));
        var body = capture.ToFlowBody(null, null);
        Assert.That(body.Raw, Is.Empty);
        Assert.That(body.Size, Is.EqualTo(100));
    }
}
